//! Today's sales from the journal: list, detail, refund behind the manager PIN, reprint.

use crate::app::records::{SaleRecord, SaleState};
use crate::app::screens::Screen;
use crate::app::{App, AttemptId, Command, Key, NoticeMessage};
use crate::gateway::{RefundResult, Refusal};

/// Digits a PIN may have.
const MAX_PIN: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryScreen {
    /// `None` while the journal is being read.
    pub records: Option<Vec<SaleRecord>>,
    pub selected: usize,
    pub mode: HistoryMode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryMode {
    List,
    Detail,
    /// Typing the manager PIN; only its length is ever drawn.
    Pin(String),
    Refunding(AttemptId),
}

impl HistoryScreen {
    pub fn loading() -> Self {
        Self {
            records: None,
            selected: 0,
            mode: HistoryMode::List,
        }
    }

    pub fn selected_record(&self) -> Option<&SaleRecord> {
        self.records.as_ref()?.get(self.selected)
    }
}

fn refundable(record: &SaleRecord) -> bool {
    record.state == SaleState::Paid && record.transaction_id.is_some()
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let count = history.records.as_ref().map_or(0, Vec::len);
    match (&mut history.mode, key) {
        (HistoryMode::List, Key::Esc) => app.screen = Screen::Sale,
        (HistoryMode::List, Key::Up) => history.selected = history.selected.saturating_sub(1),
        (HistoryMode::List, Key::Down) => {
            history.selected = (history.selected + 1).min(count.saturating_sub(1));
        }
        (HistoryMode::List, Key::Enter) if count > 0 => history.mode = HistoryMode::Detail,
        (HistoryMode::List, Key::F(5) | Key::Char('r')) => {
            history.records = None;
            return vec![Command::LoadHistory];
        }
        (HistoryMode::Detail, Key::Esc) => history.mode = HistoryMode::List,
        (HistoryMode::Detail, Key::F(7) | Key::Char('r') | Key::Char('R')) => {
            if !history.selected_record().is_some_and(refundable) {
                return Vec::new();
            }
            if app.manager_pin.is_none() {
                app.notify(NoticeMessage::NoPinConfigured);
            } else {
                history.mode = HistoryMode::Pin(String::new());
            }
        }
        (HistoryMode::Detail, Key::F(8) | Key::Char('p') | Key::Char('P')) => {
            if let Some(id) = history
                .selected_record()
                .filter(|r| r.state == SaleState::Paid)
                .and_then(|r| r.transaction_id.clone())
            {
                return vec![Command::PrintReceipt { transaction_id: id }];
            }
        }
        (HistoryMode::Pin(_), Key::Esc) => history.mode = HistoryMode::Detail,
        (HistoryMode::Pin(pin), Key::Backspace) => {
            pin.pop();
        }
        (HistoryMode::Pin(pin), key) if key.digit().is_some() => {
            if let (Key::Char(c), true) = (key, pin.len() < MAX_PIN) {
                pin.push(c);
            }
        }
        (HistoryMode::Pin(_), Key::Enter) => return check_pin(app),
        _ => {}
    }
    Vec::new()
}

fn check_pin(app: &mut App) -> Vec<Command> {
    let Screen::History(history) = &app.screen else {
        return Vec::new();
    };
    let HistoryMode::Pin(typed) = &history.mode else {
        return Vec::new();
    };
    let correct = app
        .manager_pin
        .as_ref()
        .is_some_and(|pin| constant_time_eq(pin.expose().as_bytes(), typed.as_bytes()));
    let target = history
        .selected_record()
        .filter(|r| refundable(r))
        .and_then(|r| Some((r.transaction_id.clone()?, r.amount)));
    if !correct {
        if let Screen::History(history) = &mut app.screen {
            history.mode = HistoryMode::Pin(String::new());
        }
        app.notify(NoticeMessage::WrongPin);
        return Vec::new();
    }
    let Some((transaction_id, amount)) = target else {
        return Vec::new();
    };
    let attempt = app.new_attempt();
    if let Screen::History(history) = &mut app.screen {
        history.mode = HistoryMode::Refunding(attempt);
    }
    app.notify(NoticeMessage::Refunding);
    vec![Command::Refund {
        attempt,
        transaction_id,
        amount,
    }]
}

/// Compares without stopping at the first difference, so timing says nothing about the PIN.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn on_refund(
    app: &mut App,
    attempt: AttemptId,
    result: Result<RefundResult, Refusal>,
) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    if history.mode != HistoryMode::Refunding(attempt) {
        return Vec::new();
    }
    history.mode = HistoryMode::Detail;
    match result {
        Ok(_) => {
            if let Some(record) = history
                .records
                .as_mut()
                .and_then(|records| records.get_mut(history.selected))
            {
                record.state = SaleState::Refunded;
            }
            app.notify(NoticeMessage::Refunded);
            vec![Command::LoadHistory]
        }
        Err(refusal) => {
            app.notify(NoticeMessage::RefundRefused(refusal));
            Vec::new()
        }
    }
}

pub fn on_loaded(app: &mut App, records: Vec<SaleRecord>) -> Vec<Command> {
    if let Screen::History(history) = &mut app.screen {
        history.selected = history.selected.min(records.len().saturating_sub(1));
        history.records = Some(records);
    }
    Vec::new()
}
