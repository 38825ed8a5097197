//! What the runtime needs from the rest of regi to carry out the app's commands, as small
//! ports: payments, records, printing, diagnostics, the training customer, tabs, the drawer,
//! carts (voided or parked) and staff signing in. The checkout engine,
//! journal, printer and emulators implement them in production; tests use a scripted fake.
//! Each port's errors are typed; the app is handed their text.

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

use regi_core::app::{AttemptId, Msg, PaymentEvent};

mod carts;
mod diagnostics;
mod drawer;
mod payments;
mod printing;
mod records;
mod staff;
mod tabs;
mod training;

pub use carts::Carts;
pub use diagnostics::Diagnostics;
pub use drawer::Drawer;
pub use payments::{PaymentError, Payments};
pub use printing::{PrintError, Printing};
pub use records::{Records, RecordsError};
pub use staff::{SignInVerdict, StaffDesk};
pub use tabs::{Tabs, TabsError};
pub use training::{TrainingCustomer, TrainingError};

/// The answer to a manager PIN check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinVerdict {
    pub correct: bool,
    /// When the try was journaled; the lockout after wrong PINs runs from this time.
    pub at: DateTime<Utc>,
}

/// Where a running payment attempt reports what it learns; tagged with the attempt's id so the
/// app can tell current results from stale ones.
#[derive(Debug, Clone)]
pub struct PaymentEvents {
    attempt: AttemptId,
    tx: UnboundedSender<Msg>,
}

impl PaymentEvents {
    pub fn new(attempt: AttemptId, tx: UnboundedSender<Msg>) -> Self {
        Self { attempt, tx }
    }

    pub fn attempt(&self) -> AttemptId {
        self.attempt
    }

    /// Sends one event; `false` once the UI has gone away (the attempt still finishes and
    /// journals its outcome).
    pub fn send(&self, event: PaymentEvent) -> bool {
        self.tx
            .send(Msg::Payment {
                attempt: self.attempt,
                event,
            })
            .is_ok()
    }
}

/// Everything the runtime carries out: one implementation of each port.
pub trait Services:
    Payments + Records + Printing + Diagnostics + TrainingCustomer + Tabs + Drawer + Carts + StaffDesk
{
}

impl<
    T: Payments
        + Records
        + Printing
        + Diagnostics
        + TrainingCustomer
        + Tabs
        + Drawer
        + Carts
        + StaffDesk,
> Services for T
{
}
