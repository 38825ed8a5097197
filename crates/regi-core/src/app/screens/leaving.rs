//! Leaving a sale some of whose tenders are paid is never silent: Esc (or quitting) asks whether
//! to go on paying or to give the paid tenders back, each by its own means (cash from the drawer),
//! behind the manager PIN when one is set.

use chrono::{DateTime, Utc};

use crate::app::screens::{Screen, pin_entry};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PinPurpose};
use crate::payment::RefundDone;

/// Where leaving a sale with paid tenders stands.
#[derive(Clone, PartialEq, Eq)]
pub enum Leaving {
    /// Go on paying, or give the paid tenders back? `quit`: asked because the clerk quits.
    Asking { quit: bool },
    /// Typing the manager PIN before the tenders are given back; only its length is drawn.
    Pin(String),
    /// The runtime is checking the PIN.
    CheckingPin(AttemptId),
    /// The paid tenders are being refunded, each by its own means.
    GivingBack(AttemptId),
}

/// The typed PIN is a secret: Debug shows only how many digits it has.
impl std::fmt::Debug for Leaving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Leaving::Asking { quit } => f.debug_struct("Asking").field("quit", quit).finish(),
            Leaving::Pin(typed) => write!(f, "Pin(<{} digits>)", typed.chars().count()),
            Leaving::CheckingPin(a) => f.debug_tuple("CheckingPin").field(a).finish(),
            Leaving::GivingBack(a) => f.debug_tuple("GivingBack").field(a).finish(),
        }
    }
}

/// Esc (or quitting) with paid tenders: ask rather than leave.
pub fn ask_to_leave(app: &mut App, quit: bool) {
    app.split.part_typed = None;
    app.split.leaving = Some(Leaving::Asking { quit });
    app.screen = Screen::PayMethod;
}

/// A key while leaving is asked, the PIN typed, or the tenders given back.
pub fn on_leaving_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let Some(leaving) = app.split.leaving.as_mut() else {
        return Vec::new();
    };
    match leaving {
        Leaving::Asking { .. } => match key {
            Key::Esc | Key::Enter => {
                app.split.leaving = None;
                Vec::new()
            }
            Key::F(7) => give_back(app),
            _ => Vec::new(),
        },
        Leaving::Pin(typed) => match key {
            Key::Esc => {
                app.split.leaving = Some(Leaving::Asking { quit: false });
                Vec::new()
            }
            Key::Enter if !locked && !typed.is_empty() => {
                let mut typed = std::mem::take(typed);
                let attempt = app.new_attempt();
                app.split.leaving = Some(Leaving::CheckingPin(attempt));
                vec![pin_entry::verify(&mut typed, attempt, PinPurpose::Refund)]
            }
            key => {
                pin_entry::edit(typed, key, locked);
                Vec::new()
            }
        },
        Leaving::CheckingPin(_) | Leaving::GivingBack(_) => {
            if key == Key::Esc {
                app.notify(NoticeMessage::StillChecking);
            }
            Vec::new()
        }
    }
}

/// F7 on the question: behind the PIN when one is set, else at once.
fn give_back(app: &mut App) -> Vec<Command> {
    if app.pin_required {
        app.split.leaving = Some(Leaving::Pin(String::new()));
        return Vec::new();
    }
    start_giving_back(app)
}

fn start_giving_back(app: &mut App) -> Vec<Command> {
    let Some(sale_id) = app.split.sale_id else {
        app.split.leaving = None;
        return Vec::new();
    };
    let attempt = app.new_attempt();
    app.split.leaving = Some(Leaving::GivingBack(attempt));
    app.notify(NoticeMessage::Refunding);
    vec![Command::Refund {
        attempt,
        sale_id,
        amount: None,
    }]
}

/// Whether `attempt` is the PIN check or the refund of leaving a sale.
pub fn awaits(app: &App, attempt: AttemptId) -> bool {
    matches!(
        app.split.leaving,
        Some(Leaving::CheckingPin(a) | Leaving::GivingBack(a)) if a == attempt
    )
}

pub fn on_pin_checked(
    app: &mut App,
    attempt: AttemptId,
    correct: bool,
    at: DateTime<Utc>,
) -> Vec<Command> {
    pin_entry::count(app, correct, at);
    if app.split.leaving != Some(Leaving::CheckingPin(attempt)) {
        return Vec::new();
    }
    if correct {
        return start_giving_back(app);
    }
    app.split.leaving = Some(Leaving::Pin(String::new()));
    app.notify(NoticeMessage::WrongPin);
    Vec::new()
}

/// The paid tenders were refunded (the engine goes from the latest back and stops at the first
/// it cannot refund): the drawer opens when cash came back, which is when the latest tender is
/// cash or every tender was refunded.
pub fn on_refund(app: &mut App, attempt: AttemptId, result: RefundDone) -> Vec<Command> {
    if app.split.leaving != Some(Leaving::GivingBack(attempt)) {
        return Vec::new();
    }
    let latest_is_cash = app.split.paid.last().is_some_and(|t| t.cash.is_some());
    let mut commands = Vec::new();
    match result {
        RefundDone::Refunded { .. } => {
            if app.split.has_cash() {
                commands.push(Command::OpenDrawer);
            }
            app.start_new_sale();
            app.notify(NoticeMessage::GivenBack);
        }
        RefundDone::Refused(refusal) => {
            if latest_is_cash {
                commands.push(Command::OpenDrawer);
            }
            app.split.leaving = Some(Leaving::Asking { quit: false });
            app.notify(NoticeMessage::RefundRefused(refusal));
        }
        RefundDone::Unknown => {
            if latest_is_cash {
                commands.push(Command::OpenDrawer);
            }
            // The journal keeps the refund; it is asked again until it is settled.
            app.start_new_sale();
            app.notify(NoticeMessage::RefundUnknown);
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::screens::split::tests::partly_paid_in_cash;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::domain::FailReason;

    #[test]
    fn esc_on_a_partly_paid_sale_asks_and_enter_goes_on_paying() {
        let mut app = partly_paid_in_cash("3000", 1_000);
        assert!(press(&mut app, &[Key::Esc]).is_empty());
        assert_eq!(app.screen, Screen::PayMethod, "not back to the sale");
        assert_eq!(app.split.leaving, Some(Leaving::Asking { quit: false }));
        assert!(
            press(&mut app, &[Key::Char('1')]).is_empty(),
            "no payment while asked"
        );
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.split.leaving, None);
        assert_eq!(app.split.paid.len(), 1);
    }

    #[test]
    fn giving_back_the_paid_tenders_needs_the_manager_pin_then_refunds_and_opens_the_drawer() {
        let mut app = partly_paid_in_cash("3000", 1_000);
        assert!(app.pin_required);
        press(&mut app, &[Key::Esc]);
        assert!(
            press(&mut app, &[Key::F(7)]).is_empty(),
            "nothing without the PIN"
        );
        type_text(&mut app, "9999");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::VerifyPin { attempt, .. }] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        let wrong = update(
            &mut app,
            Msg::PinChecked {
                attempt: *attempt,
                correct: false,
                at: t0(),
            },
        );
        assert!(wrong.is_empty());
        assert!(matches!(app.split.leaving, Some(Leaving::Pin(_))));
        assert!(format!("{:?}", app.split).contains("Pin(<0 digits>)"));
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::VerifyPin { attempt, .. }] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        let commands = update(
            &mut app,
            Msg::PinChecked {
                attempt: *attempt,
                correct: true,
                at: t0(),
            },
        );
        let [
            Command::Refund {
                attempt,
                sale_id: 1,
                amount: None,
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt: *attempt,
                result: RefundDone::Refunded {
                    refund_transaction_id: String::new(),
                },
            },
        );
        assert_eq!(commands, [Command::OpenDrawer], "the cash comes back");
        assert_eq!(app.screen, Screen::Sale);
        assert!(app.split.paid.is_empty() && app.checkout.is_none());
    }

    #[test]
    fn without_a_pin_set_the_tenders_are_given_back_at_once_and_a_refusal_asks_again() {
        let mut app = app();
        app.pin_required = false;
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter, Key::Char('*')]);
        type_text(&mut app, "1000");
        press(&mut app, &[Key::Enter, Key::Char('1')]);
        answer(&mut app, paid_event(1_000));
        press(&mut app, &[Key::Esc]);
        let commands = press(&mut app, &[Key::F(7)]);
        let [Command::Refund { attempt, .. }] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        let refusal = crate::payment::Refusal {
            reason: FailReason::RejectedOther,
            error_type: "refund_refused".into(),
            message_ja: "返金できません".into(),
            message_en: "cannot refund".into(),
        };
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt: *attempt,
                result: RefundDone::Refused(refusal),
            },
        );
        assert!(
            commands.is_empty(),
            "no cash came back: the drawer stays shut"
        );
        assert_eq!(app.split.leaving, Some(Leaving::Asking { quit: false }));
        assert_eq!(app.split.paid.len(), 1, "the paid tender is still shown");
    }

    #[test]
    fn quitting_with_a_partly_paid_sale_asks_first_and_quits_when_asked_again() {
        let mut app = partly_paid_in_cash("3000", 1_000);
        assert!(update(&mut app, Msg::Key(Key::Interrupt)).is_empty());
        assert!(!app.quitting);
        assert_eq!(app.split.leaving, Some(Leaving::Asking { quit: true }));
        assert_eq!(
            update(&mut app, Msg::Key(Key::Interrupt)),
            [Command::Quit],
            "the sale stays partly paid in the journal and comes back at the next start"
        );
    }
}
