//! Waiting for the customer's code: from the scanner, or typed and confirmed with Enter.

use crate::app::records::PayMethod;
use crate::app::screens::{CodeKind, FailReason, Screen, classify, outcome};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PaymentEvent};

/// Longest code the typed field keeps; real codes are 20–22 characters.
const MAX_TYPED: usize = 64;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanWait {
    /// Characters typed by hand (or by a keyboard-wedge scanner not yet recognised as one).
    pub typed: String,
    /// The charge in flight, once a code was accepted.
    pub charging: Option<AttemptId>,
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
    if classify(code) != CodeKind::Customer {
        app.notify(NoticeMessage::NotAPaymentCode);
        return Vec::new();
    }
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    let attempt = app.new_attempt();
    if let Screen::ScanWait(wait) = &mut app.screen {
        wait.typed.clear();
        wait.charging = Some(attempt);
    }
    vec![Command::ChargeCode {
        attempt,
        code: code.to_string(),
        amount: checkout.amount,
        direction: checkout.direction,
        products: checkout.products,
    }]
}

pub fn on_payment(app: &mut App, attempt: AttemptId, event: PaymentEvent) -> Vec<Command> {
    match event {
        PaymentEvent::Paid(transaction) => outcome::paid(app, PayMethod::Code, transaction, false),
        PaymentEvent::Refused(refusal) => {
            outcome::failed(app, PayMethod::Code, FailReason::Refused(refusal));
            Vec::new()
        }
        PaymentEvent::NotStarted(reason) => {
            outcome::failed(app, PayMethod::Code, FailReason::NotStarted(reason));
            Vec::new()
        }
        PaymentEvent::Checking => {
            outcome::checking(app, PayMethod::Code, attempt, false);
            Vec::new()
        }
        PaymentEvent::Expired => {
            outcome::failed(app, PayMethod::Code, FailReason::Expired);
            Vec::new()
        }
        PaymentEvent::Cancelled | PaymentEvent::QrReady(_) => Vec::new(),
    }
}
