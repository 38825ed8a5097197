//! Waiting while the customer scans the merchant QR on screen.

use crate::app::screens::{FailReason, Screen, outcome};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PaymentEvent, TenderOption};
use crate::domain::PaymentMethod;
use crate::payment::QrSession;

#[derive(Debug, Clone, PartialEq)]
pub struct QrWait {
    pub attempt: AttemptId,
    pub phase: QrPhase,
    /// The last poll's outcome was unknown; the engine keeps asking.
    pub checking: bool,
    /// The way to pay the clerk chose, named on screen; `None`: the first provider's QR.
    pub tender: Option<TenderOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QrPhase {
    Creating,
    Showing(QrSession),
    /// The clerk pressed Esc; the code is hidden until the engine confirms the cancel.
    Cancelling,
}

impl QrWait {
    pub fn new(attempt: AttemptId, tender: Option<TenderOption>) -> Self {
        Self {
            attempt,
            phase: QrPhase::Creating,
            checking: false,
            tender,
        }
    }

    pub fn session(&self) -> Option<&QrSession> {
        match &self.phase {
            QrPhase::Showing(session) => Some(session),
            _ => None,
        }
    }
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let training = app.training;
    let Screen::QrWait(wait) = &mut app.screen else {
        return Vec::new();
    };
    match key {
        Key::Esc if wait.phase != QrPhase::Cancelling => {
            wait.phase = QrPhase::Cancelling;
            vec![Command::CancelQr {
                attempt: wait.attempt,
            }]
        }
        Key::F(9) if training => match wait.session() {
            Some(session) => vec![Command::TrainingPayQr {
                token: session.token.clone(),
            }],
            None => Vec::new(),
        },
        Key::F(10) if training => match wait.session() {
            Some(session) => vec![Command::TrainingFailQr {
                token: session.token.clone(),
            }],
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

pub fn on_payment(app: &mut App, event: PaymentEvent) -> Vec<Command> {
    let Screen::QrWait(wait) = &mut app.screen else {
        return Vec::new();
    };
    let cancelling = wait.phase == QrPhase::Cancelling;
    match event {
        PaymentEvent::QrReady(session) => {
            if wait.phase == QrPhase::Creating {
                wait.phase = QrPhase::Showing(session);
            }
            Vec::new()
        }
        PaymentEvent::Checking if cancelling => {
            let attempt = wait.attempt;
            outcome::checking(app, PaymentMethod::MerchantQr, attempt, true);
            Vec::new()
        }
        PaymentEvent::Checking => {
            wait.checking = true;
            Vec::new()
        }
        PaymentEvent::Paid {
            sale_id,
            transaction,
        } => outcome::paid(
            app,
            PaymentMethod::MerchantQr,
            sale_id,
            transaction,
            cancelling,
        ),
        PaymentEvent::Held {
            sale_id,
            transaction,
        } => outcome::held(app, PaymentMethod::MerchantQr, sale_id, transaction),
        PaymentEvent::Refused(failure) => {
            outcome::failed(app, PaymentMethod::MerchantQr, FailReason::Refused(failure));
            Vec::new()
        }
        PaymentEvent::Unresolved => {
            outcome::unresolved(app, PaymentMethod::MerchantQr);
            Vec::new()
        }
        PaymentEvent::Expired => {
            outcome::failed(app, PaymentMethod::MerchantQr, FailReason::Expired);
            Vec::new()
        }
        PaymentEvent::NotStarted(reason) => {
            outcome::failed(
                app,
                PaymentMethod::MerchantQr,
                FailReason::NotStarted(reason),
            );
            Vec::new()
        }
        PaymentEvent::JournalStopped { disk_full } => {
            outcome::failed(
                app,
                PaymentMethod::MerchantQr,
                FailReason::JournalStopped { disk_full },
            );
            Vec::new()
        }
        PaymentEvent::Unrecorded { disk_full } => {
            let attempt = wait.attempt;
            outcome::unrecorded(app, PaymentMethod::MerchantQr, attempt, disk_full);
            Vec::new()
        }
        PaymentEvent::Cancelled => {
            app.screen = Screen::PayMethod;
            app.notify(NoticeMessage::Cancelled);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::app::screens::{FailReason, OutcomeKind, QrPhase, Screen};
    use crate::app::test_support::*;
    use crate::app::{App, AttemptId, Command, Key, Msg, NoticeMessage, PaymentEvent, update};

    fn showing(training: bool) -> (App, AttemptId) {
        let app = showing_qr(training);
        let attempt = app.live_attempt().expect("attempt");
        (app, attempt)
    }

    /// The result screen says paid, and whether the payment beat a cancel.
    fn assert_paid(app: &App, before_cancel: bool) {
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("no outcome")
        };
        assert!(
            matches!(outcome.kind, OutcomeKind::Paid { before_cancel: b, .. } if b == before_cancel),
            "{:?}",
            outcome.kind
        );
    }

    fn event(app: &mut App, attempt: AttemptId, event: PaymentEvent) -> Vec<Command> {
        update(app, Msg::Payment { attempt, event })
    }

    #[test]
    fn shows_the_token_then_paid_clears_the_sale_and_prints() {
        let (mut app, attempt) = showing(false);
        let Screen::QrWait(wait) = &app.screen else {
            panic!("not waiting")
        };
        assert_eq!(wait.session().map(|s| s.token.as_str()), Some(TOKEN));
        let commands = event(&mut app, attempt, paid_event(1200));
        assert_eq!(
            commands,
            vec![Command::Print {
                sale_id: 1,
                slip: crate::app::SlipRequest::Receipt {
                    money_name: Some("ポケペイ".into())
                }
            }]
        );
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("no outcome")
        };
        assert_eq!(outcome.amount, crate::domain::Yen(1200));
        assert_paid(&app, false);
        assert!(app.cart.is_empty());
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.screen, Screen::Sale);
        assert!(app.checkout.is_none());
    }

    #[test]
    fn esc_cancels_and_a_confirmed_cancel_returns_to_the_choice() {
        let (mut app, attempt) = showing(false);
        assert_eq!(
            press(&mut app, &[Key::Esc]),
            vec![Command::CancelQr { attempt }]
        );
        // A second Esc while cancelling sends nothing more.
        assert!(press(&mut app, &[Key::Esc]).is_empty());
        event(&mut app, attempt, PaymentEvent::Cancelled);
        assert_eq!(app.screen, Screen::PayMethod);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::Cancelled)
        );
        assert_eq!(app.cart.total(), Ok(crate::domain::Yen(1200)));
    }

    #[test]
    fn paid_before_the_cancel_is_reported_as_paid() {
        let (mut app, attempt) = showing(false);
        press(&mut app, &[Key::Esc]);
        event(&mut app, attempt, paid_event(1200));
        assert_paid(&app, true);
    }

    #[test]
    fn unknown_during_cancel_shows_checking_never_failed_then_resolves() {
        let (mut app, attempt) = showing(false);
        press(&mut app, &[Key::Esc]);
        event(&mut app, attempt, PaymentEvent::Checking);
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("no outcome")
        };
        assert!(matches!(outcome.kind, OutcomeKind::Checking { .. }));
        // Esc cannot abandon an unknown outcome.
        press(&mut app, &[Key::Esc]);
        assert!(matches!(app.screen, Screen::Outcome(_)));
        event(&mut app, attempt, paid_event(1200));
        assert_paid(&app, true);
    }

    #[test]
    fn unknown_poll_keeps_the_code_up_with_a_checking_status() {
        let (mut app, attempt) = showing(false);
        event(&mut app, attempt, PaymentEvent::Checking);
        let Screen::QrWait(wait) = &app.screen else {
            panic!("left the QR")
        };
        assert!(wait.checking);
        assert!(matches!(wait.phase, QrPhase::Showing(_)));
    }

    #[test]
    fn refusal_and_expiry_explain_and_offer_a_new_code() {
        let (mut app, attempt) = showing(false);
        event(
            &mut app,
            attempt,
            refused(
                crate::domain::FailReason::InsufficientBalance,
                "account_balance_not_enough",
            ),
        );
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("no outcome")
        };
        assert!(matches!(
            outcome.kind,
            OutcomeKind::Failed(FailReason::Refused(_))
        ));
        let commands = press(&mut app, &[Key::F(1)]);
        assert!(matches!(
            commands.as_slice(),
            [Command::StartQr { attempt: next, checkout, tender: None, .. }]
                if *next != attempt && checkout.draft.total == crate::domain::Yen(1200)
        ));

        let (mut app, attempt) = showing(false);
        event(&mut app, attempt, PaymentEvent::Expired);
        assert!(matches!(
            &app.screen,
            Screen::Outcome(o) if o.kind == OutcomeKind::Failed(FailReason::Expired)
        ));
    }

    #[test]
    fn stale_results_are_ignored() {
        let (mut app, attempt) = showing(false);
        press(&mut app, &[Key::Esc]);
        event(&mut app, attempt, PaymentEvent::Cancelled);
        press(&mut app, &[Key::F(1)]);
        let before = app.screen.clone();
        // The old tray reports paid: it belongs to an attempt the clerk left.
        assert!(event(&mut app, attempt, paid_event(1200)).is_empty());
        assert_eq!(app.screen, before);
    }

    #[test]
    fn customer_keys_work_only_in_training() {
        let (mut app, _) = showing(false);
        assert!(press(&mut app, &[Key::F(9), Key::F(10)]).is_empty());
        let (mut app, _) = showing(true);
        assert_eq!(
            press(&mut app, &[Key::F(9)]),
            vec![Command::TrainingPayQr {
                token: TOKEN.into()
            }]
        );
        assert_eq!(
            press(&mut app, &[Key::F(10)]),
            vec![Command::TrainingFailQr {
                token: TOKEN.into()
            }]
        );
    }
}
