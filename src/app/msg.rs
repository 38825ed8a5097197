//! Everything that can happen to the app: keys, time, scans, and results of the work it asked for.

use chrono::{DateTime, Utc};

use crate::app::keymap::Key;
use crate::app::records::{ReportSummary, SaleRecord, StatusReport};
use crate::gateway::{PaidTransaction, QrSession, RefundResult, Refusal};

/// Identifies one payment attempt (or refund); results carrying another id are stale and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttemptId(pub u64);

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    /// The clock, once a second or so: drives countdowns and notice expiry.
    Tick(DateTime<Utc>),
    /// A complete code from the scanner (or a keystroke burst at scanner speed).
    Scan(String),
    /// The terminal changed size; views adapt on the next draw.
    Resize {
        cols: u16,
        rows: u16,
    },
    Payment {
        attempt: AttemptId,
        event: PaymentEvent,
    },
    Refund {
        attempt: AttemptId,
        result: Result<RefundResult, Refusal>,
    },
    HistoryLoaded(Vec<SaleRecord>),
    ReportLoaded(ReportSummary),
    StatusChecked(StatusReport),
    /// A receipt was (re)printed, or could not be.
    Printed(Result<(), String>),
    /// A background task failed; shown to the clerk instead of freezing the screen.
    TaskFailed(String),
    /// Asked to stop from outside (SIGTERM, SIGHUP).
    Shutdown,
}

/// What the checkout engine learned about a payment attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentEvent {
    /// The Cashtray exists; draw its token.
    QrReady(QrSession),
    Paid(PaidTransaction),
    /// A definite refusal: nothing was charged.
    Refused(Refusal),
    /// The outcome is not known yet (timeout, 5xx); the engine keeps asking.
    Checking,
    Expired,
    Cancelled,
    /// The attempt could not start (nothing was sent or nothing can have been charged).
    NotStarted(String),
}
