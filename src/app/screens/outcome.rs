//! The result of a payment: paid, failed (with what to do next), or still being checked.

use crate::app::records::PayMethod;
use crate::app::screens::{Screen, pay_method};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PaymentEvent};
use crate::gateway::{Direction, PaidTransaction, Refusal};

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub amount: i64,
    pub direction: Direction,
    pub method: PayMethod,
    pub kind: OutcomeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeKind {
    Paid {
        transaction: PaidTransaction,
        /// The clerk pressed cancel, but the customer had paid first.
        before_cancel: bool,
    },
    Failed(FailReason),
    /// Unknown outcome; never shown as a failure. The engine reports the answer when it has one.
    Checking {
        attempt: AttemptId,
        /// Checking started from a cancel: a late "paid" means the customer paid first.
        after_cancel: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailReason {
    Refused(Refusal),
    Expired,
    /// Could not start (network, configuration): nothing was charged.
    NotStarted(String),
}

impl FailReason {
    /// The Pokepay error type, or a generic one, for the plain-words explanation.
    pub fn error_type(&self) -> &str {
        match self {
            FailReason::Refused(refusal) => &refusal.error_type,
            FailReason::Expired => "cashtray_expired",
            FailReason::NotStarted(_) => "network",
        }
    }
}

impl Outcome {
    pub fn checking_attempt(&self) -> Option<AttemptId> {
        match self.kind {
            OutcomeKind::Checking { attempt, .. } => Some(attempt),
            _ => None,
        }
    }
}

fn show(app: &mut App, method: PayMethod, kind: OutcomeKind) {
    let (amount, direction) = app
        .checkout
        .as_ref()
        .map_or((0, crate::gateway::Direction::Payment), |c| {
            (c.amount, c.direction)
        });
    app.screen = Screen::Outcome(Outcome {
        amount,
        direction,
        method,
        kind,
    });
}

/// The sale is done: show it, forget the cart, print the receipt.
pub fn paid(
    app: &mut App,
    method: PayMethod,
    transaction: PaidTransaction,
    before_cancel: bool,
) -> Vec<Command> {
    let transaction_id = transaction.transaction_id.clone();
    show(
        app,
        method,
        OutcomeKind::Paid {
            transaction,
            before_cancel,
        },
    );
    app.cart.clear();
    app.input.clear();
    app.selected = None;
    vec![Command::PrintReceipt { transaction_id }]
}

pub fn failed(app: &mut App, method: PayMethod, reason: FailReason) {
    show(app, method, OutcomeKind::Failed(reason));
}

pub fn checking(app: &mut App, method: PayMethod, attempt: AttemptId, after_cancel: bool) {
    show(
        app,
        method,
        OutcomeKind::Checking {
            attempt,
            after_cancel,
        },
    );
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::Outcome(outcome) = &app.screen else {
        return Vec::new();
    };
    match (&outcome.kind, key) {
        (OutcomeKind::Paid { .. }, Key::Enter | Key::Esc) => {
            app.start_new_sale();
            Vec::new()
        }
        (OutcomeKind::Failed(_), Key::Char('1') | Key::F(1)) => pay_method::start_qr(app),
        (OutcomeKind::Failed(_), Key::Char('2') | Key::F(2)) => {
            pay_method::start_scan(app);
            Vec::new()
        }
        (OutcomeKind::Failed(_), Key::Esc | Key::Enter) => {
            app.screen = Screen::PayMethod;
            Vec::new()
        }
        (OutcomeKind::Checking { .. }, Key::Esc) => {
            app.notify(NoticeMessage::StillChecking);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn on_payment(app: &mut App, _attempt: AttemptId, event: PaymentEvent) -> Vec<Command> {
    let Screen::Outcome(outcome) = &app.screen else {
        return Vec::new();
    };
    let method = outcome.method;
    let after_cancel = matches!(
        outcome.kind,
        OutcomeKind::Checking {
            after_cancel: true,
            ..
        }
    );
    match event {
        PaymentEvent::Paid(transaction) => paid(app, method, transaction, after_cancel),
        PaymentEvent::Refused(refusal) => {
            failed(app, method, FailReason::Refused(refusal));
            Vec::new()
        }
        PaymentEvent::Expired => {
            failed(app, method, FailReason::Expired);
            Vec::new()
        }
        PaymentEvent::NotStarted(reason) => {
            failed(app, method, FailReason::NotStarted(reason));
            Vec::new()
        }
        PaymentEvent::Cancelled => {
            app.screen = Screen::PayMethod;
            app.notify(NoticeMessage::Cancelled);
            Vec::new()
        }
        PaymentEvent::Checking | PaymentEvent::QrReady(_) => Vec::new(),
    }
}
