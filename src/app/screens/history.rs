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
            history.mode = HistoryMode::Pin(String::new());
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
    // Without a configured PIN, Enter alone confirms the refund.
    let correct = app
        .manager_pin
        .as_ref()
        .is_none_or(|pin| pin.matches(typed));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::records::PayMethod;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::gateway::Direction;

    fn record(state: SaleState) -> SaleRecord {
        SaleRecord {
            at: t0(),
            direction: Direction::Payment,
            amount: 1200,
            state,
            method: PayMethod::Qr,
            transaction_id: Some("tx-1".into()),
            customer_name: None,
            lines: Vec::new(),
        }
    }

    fn in_detail() -> App {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        update(
            &mut app,
            Msg::HistoryLoaded(vec![record(SaleState::Paid), record(SaleState::Failed)]),
        );
        press(&mut app, &[Key::Enter]);
        app
    }

    fn mode(app: &App) -> HistoryMode {
        match &app.screen {
            Screen::History(h) => h.mode.clone(),
            other => panic!("not history: {other:?}"),
        }
    }

    #[test]
    fn refund_needs_the_right_pin() {
        let mut app = in_detail();
        press(&mut app, &[Key::Char('r')]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        type_text(&mut app, "9999");
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::WrongPin)
        );
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::Refund {
                attempt,
                transaction_id,
                amount,
            },
        ] = commands.as_slice()
        else {
            panic!("expected a refund, got {commands:?}")
        };
        assert_eq!((transaction_id.as_str(), *amount), ("tx-1", 1200));
        let attempt = *attempt;
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt,
                result: Err(refusal("transaction_already_refunded")),
            },
        );
        assert!(commands.is_empty());
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::RefundRefused(r)) if r.error_type == "transaction_already_refunded"
        ));
        assert_eq!(mode(&app), HistoryMode::Detail);
    }

    #[test]
    fn successful_refund_marks_and_reloads() {
        let mut app = in_detail();
        press(&mut app, &[Key::F(7)]);
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let Some(Command::Refund { attempt, .. }) = commands.first() else {
            panic!("no refund")
        };
        let result = Ok(RefundResult {
            refund_transaction_id: "tx-r".into(),
            done_at: t0(),
        });
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt: *attempt,
                result,
            },
        );
        assert_eq!(commands, vec![Command::LoadHistory]);
        let Screen::History(history) = &app.screen else {
            panic!()
        };
        assert_eq!(
            history.selected_record().map(|r| &r.state),
            Some(&SaleState::Refunded)
        );
    }

    #[test]
    fn failed_sales_cannot_be_refunded_or_reprinted() {
        let mut app = in_detail();
        press(&mut app, &[Key::Esc, Key::Down, Key::Enter]);
        assert!(press(&mut app, &[Key::Char('r'), Key::Char('p')]).is_empty());
        assert_eq!(mode(&app), HistoryMode::Detail);
    }

    #[test]
    fn reprint_and_refund_without_a_configured_pin() {
        let mut app = in_detail();
        assert_eq!(
            press(&mut app, &[Key::F(8)]),
            vec![Command::PrintReceipt {
                transaction_id: "tx-1".into()
            }]
        );
        app.manager_pin = None;
        press(&mut app, &[Key::F(7)]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        let commands = press(&mut app, &[Key::Enter]);
        assert!(matches!(commands.as_slice(), [Command::Refund { .. }]));
    }

    #[test]
    fn esc_backs_out_of_each_level() {
        let mut app = in_detail();
        press(&mut app, &[Key::F(7)]);
        press(&mut app, &[Key::Esc]);
        assert_eq!(mode(&app), HistoryMode::Detail);
        press(&mut app, &[Key::Esc, Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
    }
}
