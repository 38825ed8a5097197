//! Waiting for the customer's code: from the scanner, or typed and confirmed with Enter.

use crate::app::screens::{FailReason, Screen, outcome, split};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PaymentEvent};
use crate::domain::PaymentMethod;
use crate::scan::{ScanKind, classify, recognise};

/// Longest code the typed field keeps; real codes are 20–22 characters.
const MAX_TYPED: usize = 64;

/// `Debug` masks what was typed: it is on its way to being a customer's payment code.
#[derive(Clone, Default, PartialEq)]
pub struct ScanWait {
    /// Characters typed by hand (or by a keyboard-wedge scanner not yet recognised as one).
    pub typed: String,
    /// The charge in flight, once a code was accepted.
    pub charging: Option<AttemptId>,
}

impl std::fmt::Debug for ScanWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanWait")
            .field("typed", &crate::secret::MaskedTail(&self.typed))
            .field("charging", &self.charging)
            .finish()
    }
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let training = app.training;
    let Screen::ScanWait(wait) = &mut app.screen else {
        return Vec::new();
    };
    if wait.charging.is_some() {
        if key == Key::Esc {
            app.notify(NoticeMessage::StillChecking);
        }
        return Vec::new();
    }
    match key {
        Key::Char(c) if !c.is_control() && wait.typed.chars().count() < MAX_TYPED => {
            wait.typed.push(c);
        }
        Key::Backspace => {
            wait.typed.pop();
        }
        Key::Enter => {
            let code = std::mem::take(&mut wait.typed);
            return submit(app, &code);
        }
        Key::Esc => app.screen = Screen::PayMethod,
        Key::F(11) if training => return vec![Command::TrainingPresentCode],
        _ => {}
    }
    Vec::new()
}

pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    match &app.screen {
        Screen::ScanWait(wait) if wait.charging.is_none() => submit(app, code),
        _ => Vec::new(),
    }
}

fn submit(app: &mut App, code: &str) -> Vec<Command> {
    let code = code.trim();
    if code.is_empty() {
        return Vec::new();
    }
    if classify(code, &app.customer_codes) != ScanKind::CustomerCode {
        app.notify(NoticeMessage::NotAPaymentCode);
        return Vec::new();
    }
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    // The code's shape says whose it is: the customer may show another wallet than the one the
    // clerk picked.
    let provider = recognise(code, &app.customer_codes).map(|format| format.provider.to_string());
    let attempt = app.new_attempt();
    if let Screen::ScanWait(wait) = &mut app.screen {
        wait.typed.clear();
        wait.charging = Some(attempt);
    }
    let mut commands: Vec<Command> = split::adopt(app).into_iter().collect();
    commands.push(Command::ChargeCode {
        attempt,
        code: code.into(),
        checkout,
        provider,
        part: split::next_part(app),
    });
    commands
}

pub fn on_payment(app: &mut App, attempt: AttemptId, event: PaymentEvent) -> Vec<Command> {
    match event {
        // No provider holds a customer-code charge; shown as held should one ever say so.
        PaymentEvent::Held {
            sale_id,
            transaction,
        } => outcome::held(app, PaymentMethod::CustomerCode, sale_id, transaction),
        PaymentEvent::Paid {
            sale_id,
            transaction,
        } => outcome::paid(
            app,
            PaymentMethod::CustomerCode,
            sale_id,
            transaction,
            false,
        ),
        PaymentEvent::Refused(failure) => {
            outcome::failed(
                app,
                PaymentMethod::CustomerCode,
                FailReason::Refused(failure),
            );
            Vec::new()
        }
        PaymentEvent::Unresolved => {
            outcome::unresolved(app, PaymentMethod::CustomerCode);
            Vec::new()
        }
        PaymentEvent::NotStarted(reason) => {
            outcome::failed(
                app,
                PaymentMethod::CustomerCode,
                FailReason::NotStarted(reason),
            );
            Vec::new()
        }
        PaymentEvent::JournalStopped { disk_full } => {
            outcome::failed(
                app,
                PaymentMethod::CustomerCode,
                FailReason::JournalStopped { disk_full },
            );
            Vec::new()
        }
        PaymentEvent::Unrecorded { disk_full } => {
            outcome::unrecorded(app, PaymentMethod::CustomerCode, attempt, disk_full);
            Vec::new()
        }
        PaymentEvent::Checking => {
            outcome::checking(app, PaymentMethod::CustomerCode, attempt, false);
            Vec::new()
        }
        PaymentEvent::Expired => {
            outcome::failed(app, PaymentMethod::CustomerCode, FailReason::Expired);
            Vec::new()
        }
        PaymentEvent::Cancelled | PaymentEvent::QrReady(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::app::screens::{FailReason, OutcomeKind, Screen};
    use crate::app::test_support::*;
    use crate::app::{App, AttemptId, Command, Key, Msg, NoticeMessage, PaymentEvent, update};

    fn waiting(training: bool) -> App {
        let mut app = if training { training_app() } else { app() };
        type_text(&mut app, "800");
        press(&mut app, &[Key::Enter, Key::Char('2')]);
        app
    }

    fn charge(app: &App, attempt: u64) -> Command {
        Command::ChargeCode {
            attempt: AttemptId(attempt),
            code: CUSTOMER_CODE.into(),
            checkout: app.checkout.clone().expect("checkout"),
            provider: Some(WALLET_CODES.provider.into()),
            part: None,
        }
    }

    #[test]
    fn a_scanned_code_goes_to_the_provider_whose_code_shape_it_has() {
        let mut app = waiting(false);
        let digits = crate::scan::CustomerCodeFormat {
            provider: "other",
            length: 18,
            alphabet: crate::scan::CodeAlphabet::Digits,
        };
        app.customer_codes = vec![digits, WALLET_CODES];
        let commands = update(&mut app, Msg::Scan("123456789012345678".into()));
        let [Command::ChargeCode { provider, .. }] = commands.as_slice() else {
            panic!("expected a charge, got {commands:?}")
        };
        assert_eq!(provider.as_deref(), Some("other"));
    }

    #[test]
    fn debug_of_the_screen_masks_a_typed_code() {
        let mut app = waiting(false);
        type_text(&mut app, CUSTOMER_CODE);
        let shown = format!("{:?}", app.screen);
        assert!(shown.contains("ScanWait"), "{shown}");
        assert!(!shown.contains(CUSTOMER_CODE), "{shown}");
    }

    #[test]
    fn a_scanned_code_is_charged_once() {
        let mut app = waiting(false);
        assert_eq!(
            update(&mut app, Msg::Scan(CUSTOMER_CODE.into())),
            vec![charge(&app, 1)]
        );
        // A second scan while charging does not start another charge.
        assert!(update(&mut app, Msg::Scan(CUSTOMER_CODE.into())).is_empty());
        press(&mut app, &[Key::Esc]);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::StillChecking)
        );
        update(
            &mut app,
            Msg::Payment {
                attempt: AttemptId(1),
                event: paid_event(800),
            },
        );
        assert!(
            matches!(&app.screen, Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Paid { .. }))
        );
    }

    #[test]
    fn a_typed_code_with_enter_works_too() {
        let mut app = waiting(false);
        let mut commands = type_text(&mut app, CUSTOMER_CODE);
        commands.extend(press(&mut app, &[Key::Enter]));
        assert_eq!(commands, vec![charge(&app, 1)]);
    }

    #[test]
    fn product_barcodes_are_not_payment_codes() {
        let mut app = waiting(false);
        assert!(update(&mut app, Msg::Scan(ONIGIRI.into())).is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NotAPaymentCode)
        );
    }

    #[test]
    fn unknown_then_resolved_never_shows_failed_in_between() {
        let mut app = waiting(false);
        update(&mut app, Msg::Scan(CUSTOMER_CODE.into()));
        let attempt = AttemptId(1);
        update(
            &mut app,
            Msg::Payment {
                attempt,
                event: PaymentEvent::Checking,
            },
        );
        assert!(matches!(&app.screen, Screen::Outcome(o) if o.checking_attempt() == Some(attempt)));
        update(
            &mut app,
            Msg::Payment {
                attempt,
                event: refused(crate::domain::FailReason::TokenUsed, "code_already_used"),
            },
        );
        assert!(matches!(
            &app.screen,
            Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Failed(FailReason::Refused(_)))
        ));
        // Rescan from the failure screen.
        press(&mut app, &[Key::F(2)]);
        assert_eq!(
            update(&mut app, Msg::Scan(CUSTOMER_CODE.into())),
            vec![charge(&app, 2)]
        );
    }

    #[test]
    fn training_customer_code_key() {
        let mut app = waiting(false);
        assert!(press(&mut app, &[Key::F(11)]).is_empty());
        let mut app = waiting(true);
        assert_eq!(
            press(&mut app, &[Key::F(11)]),
            vec![Command::TrainingPresentCode]
        );
    }
}
