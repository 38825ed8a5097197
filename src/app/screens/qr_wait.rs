//! Waiting while the customer scans the Cashtray QR on screen.

use crate::app::records::PayMethod;
use crate::app::screens::{FailReason, Screen, outcome};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PaymentEvent};
use crate::gateway::QrSession;

#[derive(Debug, Clone, PartialEq)]
pub struct QrWait {
    pub attempt: AttemptId,
    pub phase: QrPhase,
    /// The last poll's outcome was unknown; the engine keeps asking.
    pub checking: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QrPhase {
    Creating,
    Showing(QrSession),
    /// The clerk pressed Esc; the code is hidden until the engine confirms the cancel.
    Cancelling,
}

impl QrWait {
    pub fn new(attempt: AttemptId) -> Self {
        Self {
            attempt,
            phase: QrPhase::Creating,
            checking: false,
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
            outcome::checking(app, PayMethod::Qr, attempt, true);
            Vec::new()
        }
        PaymentEvent::Checking => {
            wait.checking = true;
            Vec::new()
        }
        PaymentEvent::Paid(transaction) => {
            outcome::paid(app, PayMethod::Qr, transaction, cancelling)
        }
        PaymentEvent::Refused(refusal) => {
            outcome::failed(app, PayMethod::Qr, FailReason::Refused(refusal));
            Vec::new()
        }
        PaymentEvent::Expired => {
            outcome::failed(app, PayMethod::Qr, FailReason::Expired);
            Vec::new()
        }
        PaymentEvent::NotStarted(reason) => {
            outcome::failed(app, PayMethod::Qr, FailReason::NotStarted(reason));
            Vec::new()
        }
        PaymentEvent::Cancelled => {
            app.screen = Screen::PayMethod;
            app.notify(NoticeMessage::Cancelled);
            Vec::new()
        }
    }
}
