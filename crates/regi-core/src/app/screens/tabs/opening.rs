//! Opening a tab at the till: the customer shows their app's code, regi reads who they are and
//! their verified cards, the clerk picks the card, types a label (room 301, table 7, a name) and
//! how many days it stays open (1 to 30), and the manager PIN guards the opening.

use crate::app::screens::Screen;
use crate::app::screens::tabs::{TabsMode, TabsScreen};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PinPurpose};
use crate::scan::{ScanKind, classify};
use crate::secret::MaskedCode;
use crate::tab::TabCustomer;

/// Characters a label may have.
const MAX_LABEL: usize = 24;
/// The longest a tab may stay open.
pub const MAX_DAYS: u32 = 30;

/// The tab being opened, as far as the clerk got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabDraft {
    pub customer: TabCustomer,
    /// Index into the customer's cards.
    pub card: usize,
    pub label: String,
    /// Days typed (empty: 1).
    pub days: String,
}

impl TabDraft {
    pub fn days(&self) -> Option<u32> {
        if self.days.is_empty() {
            return Some(1);
        }
        self.days
            .parse()
            .ok()
            .filter(|d| (1..=MAX_DAYS).contains(d))
    }
}

/// How opening a tab ended, as the clerk is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabOpenedAs {
    Opened {
        label: String,
    },
    /// The provider refused (e.g. the card); its texts in both languages.
    Refused {
        message_ja: String,
        message_en: String,
    },
    /// No answer yet: the opening is kept and asked again (same key) on the next start.
    Unknown,
}

fn screen(app: &mut App) -> Option<&mut TabsScreen> {
    match &mut app.screen {
        Screen::Tabs(screen) => Some(screen),
        _ => None,
    }
}

/// The customer's code scanned while the tabs screen waits for it.
pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    let is_customer = classify(code.trim(), &app.customer_codes) == ScanKind::CustomerCode;
    let attempt = app.new_attempt();
    let Some(screen) = screen(app) else {
        return Vec::new();
    };
    if screen.mode != TabsMode::ScanCode {
        return Vec::new();
    }
    if !is_customer {
        app.notify(NoticeMessage::NotAPaymentCode);
        return Vec::new();
    }
    screen.mode = TabsMode::Reading(attempt);
    vec![Command::FindTabCustomer {
        attempt,
        code: MaskedCode::from(code.trim().to_string()),
    }]
}

pub fn on_customer(
    app: &mut App,
    attempt: AttemptId,
    result: Result<TabCustomer, String>,
) -> Vec<Command> {
    let Some(screen) = screen(app) else {
        return Vec::new();
    };
    if screen.mode != TabsMode::Reading(attempt) {
        return Vec::new();
    }
    match result {
        Ok(customer) if customer.cards.is_empty() => {
            screen.mode = TabsMode::List;
            app.notify(NoticeMessage::NoVerifiedCard);
        }
        Ok(customer) => {
            screen.draft = Some(TabDraft {
                customer,
                card: 0,
                label: String::new(),
                days: String::new(),
            });
            screen.mode = TabsMode::ChooseCard;
        }
        Err(reason) => {
            screen.mode = TabsMode::ScanCode;
            app.notify(NoticeMessage::TaskFailed(reason));
        }
    }
    Vec::new()
}

/// Keys while waiting for the code, choosing the card, typing the label or the days.
pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let training = app.training;
    let Some(screen) = screen(app) else {
        return Vec::new();
    };
    let mode = screen.mode.clone();
    // Training: the simulated customer with a verified card shows their code.
    if mode == TabsMode::ScanCode && key == Key::F(11) && training {
        return vec![Command::TrainingPresentTabCode];
    }
    if key == Key::Esc {
        screen.mode = match mode {
            TabsMode::Days => TabsMode::Label,
            TabsMode::Label => TabsMode::ChooseCard,
            _ => {
                screen.draft = None;
                TabsMode::List
            }
        };
        return Vec::new();
    }
    let Some(draft) = screen.draft.as_mut() else {
        return Vec::new();
    };
    match (mode, key) {
        (TabsMode::ChooseCard, Key::Up) => draft.card = draft.card.saturating_sub(1),
        (TabsMode::ChooseCard, Key::Down) => {
            draft.card = (draft.card + 1).min(draft.customer.cards.len().saturating_sub(1));
        }
        (TabsMode::ChooseCard, Key::Enter) => screen.mode = TabsMode::Label,
        (TabsMode::Label, Key::Backspace) => {
            draft.label.pop();
        }
        (TabsMode::Label, Key::Enter) if !draft.label.trim().is_empty() => {
            screen.mode = TabsMode::Days;
        }
        (TabsMode::Label, Key::Char(c))
            if !c.is_control() && draft.label.chars().count() < MAX_LABEL =>
        {
            draft.label.push(c);
        }
        (TabsMode::Days, Key::Backspace) => {
            draft.days.pop();
        }
        (TabsMode::Days, Key::Char(c)) if c.is_ascii_digit() && draft.days.len() < 2 => {
            draft.days.push(c);
        }
        (TabsMode::Days, Key::Enter) => {
            if draft.days().is_none() {
                app.notify(NoticeMessage::TabDaysOutOfRange);
                return Vec::new();
            }
            screen.guarded = PinPurpose::OpenTab;
            screen.mode = TabsMode::Pin(String::new());
        }
        _ => {}
    }
    Vec::new()
}

/// Opens the drafted tab once the PIN (if any) was right.
pub fn start(app: &mut App) -> Vec<Command> {
    let attempt = app.new_attempt();
    let Some(screen) = screen(app) else {
        return Vec::new();
    };
    let Some(draft) = screen.draft.clone() else {
        screen.mode = TabsMode::List;
        return Vec::new();
    };
    let (Some(card), Some(days)) = (draft.customer.cards.get(draft.card), draft.days()) else {
        screen.mode = TabsMode::List;
        return Vec::new();
    };
    screen.mode = TabsMode::Opening(attempt);
    let command = Command::OpenTab {
        attempt,
        card_id: card.card_id.clone(),
        customer: draft.customer.clone(),
        label: draft.label.trim().to_string(),
        days,
    };
    app.notify(NoticeMessage::TabOpening);
    vec![command]
}

pub fn on_opened(
    app: &mut App,
    attempt: AttemptId,
    result: Result<TabOpenedAs, String>,
) -> Vec<Command> {
    let Some(screen) = screen(app) else {
        return Vec::new();
    };
    if screen.mode != TabsMode::Opening(attempt) {
        return Vec::new();
    }
    screen.mode = TabsMode::List;
    screen.draft = None;
    app.notify(match result {
        Ok(TabOpenedAs::Opened { label }) => NoticeMessage::TabOpened { label },
        Ok(TabOpenedAs::Refused {
            message_ja,
            message_en,
        }) => NoticeMessage::TabRefused {
            message_ja,
            message_en,
        },
        Ok(TabOpenedAs::Unknown) => NoticeMessage::TabUnknown,
        Err(reason) => NoticeMessage::TaskFailed(reason),
    });
    vec![Command::LoadTabs]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::tab::TabCard;

    fn customer(cards: usize) -> TabCustomer {
        TabCustomer {
            customer_id: "c-1".into(),
            name: Some("山田".into()),
            money_id: "m-1".into(),
            cards: (0..cards)
                .map(|i| TabCard {
                    card_id: format!("card-{i}"),
                    masked_number: format!("41111{i}********11"),
                })
                .collect(),
        }
    }

    fn mode(app: &App) -> TabsMode {
        match &app.screen {
            Screen::Tabs(t) => t.mode.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// The tabs screen waiting for a customer's code.
    fn scanning() -> App {
        let mut app = app();
        app.tab_providers = vec!["provider-a".into()];
        press(&mut app, &[Key::F(8)]);
        update(&mut app, Msg::TabsLoaded(Ok(Vec::new())));
        press(&mut app, &[Key::F(2)]);
        assert_eq!(mode(&app), TabsMode::ScanCode);
        app
    }

    fn read_customer(app: &mut App, found: TabCustomer) {
        let commands = update(app, Msg::Scan(CUSTOMER_CODE.into()));
        let [Command::FindTabCustomer { attempt, .. }] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        update(
            app,
            Msg::TabCustomerFound {
                attempt: *attempt,
                result: Ok(found),
            },
        );
    }

    #[test]
    fn a_tab_is_opened_on_the_chosen_card_with_a_label_and_days_behind_the_pin() {
        let mut app = scanning();
        read_customer(&mut app, customer(2));
        assert_eq!(mode(&app), TabsMode::ChooseCard);
        press(&mut app, &[Key::Down, Key::Enter]);
        type_text(&mut app, "301");
        press(&mut app, &[Key::Enter]);
        type_text(&mut app, "31");
        press(&mut app, &[Key::Enter]);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::TabDaysOutOfRange)
        );
        press(&mut app, &[Key::Backspace, Key::Backspace]);
        type_text(&mut app, "3");
        press(&mut app, &[Key::Enter]);
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::VerifyPin {
                attempt, purpose, ..
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        assert_eq!(*purpose, PinPurpose::OpenTab);
        let commands = update(
            &mut app,
            Msg::PinChecked {
                attempt: *attempt,
                correct: true,
                at: t0(),
            },
        );
        let [
            Command::OpenTab {
                attempt,
                card_id,
                label,
                days: 3,
                ..
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        assert_eq!((card_id.as_str(), label.as_str()), ("card-1", "301"));
        let after = update(
            &mut app,
            Msg::TabOpened {
                attempt: *attempt,
                result: Ok(TabOpenedAs::Opened {
                    label: "301".into(),
                }),
            },
        );
        assert_eq!(after, vec![Command::LoadTabs]);
        assert_eq!(mode(&app), TabsMode::List);
    }

    #[test]
    fn a_customer_without_a_verified_card_is_told_so_and_nothing_is_opened() {
        let mut app = scanning();
        read_customer(&mut app, customer(0));
        assert_eq!(mode(&app), TabsMode::List);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NoVerifiedCard)
        );
    }

    #[test]
    fn in_training_f11_shows_the_code_of_a_customer_with_a_card() {
        let mut app = scanning();
        assert!(
            press(&mut app, &[Key::F(11)]).is_empty(),
            "not outside training"
        );
        app.training = true;
        assert_eq!(
            press(&mut app, &[Key::F(11)]),
            vec![Command::TrainingPresentTabCode]
        );
    }

    #[test]
    fn a_product_code_is_not_taken_for_the_customers() {
        let mut app = scanning();
        assert!(update(&mut app, Msg::Scan("4901234567894".into())).is_empty());
        assert_eq!(mode(&app), TabsMode::ScanCode);
    }
}
