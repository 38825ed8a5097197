//! Everything that can happen to the app: keys, time, scans, and results of the work it asked for.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::app::keymap::Key;
use crate::app::records::{ReceiptLookupError, StatusReport};
use crate::domain::Failure;
use crate::engine::RefundDone;
use crate::gateway::{PaidTransaction, QrSession};
use crate::journal::{Report, ReportKind, SaleDetail};
use crate::secret::MaskedTail;

/// Identifies one payment attempt (or refund); results carrying another id are stale and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttemptId(pub u64);

/// `Debug` masks a scanned code, which may be a customer's payment code: written by hand for that.
#[derive(Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    /// The clock, a few times a second: drives countdowns and notice expiry.
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
        result: RefundDone,
    },
    /// Today's sales, newest first, or why they could not be read.
    HistoryLoaded(Result<Vec<SaleDetail>, String>),
    /// The sale id a scanned receipt code stands for, or why there is none.
    ReceiptFound(Result<i64, ReceiptLookupError>),
    /// `Ok(None)`: no business day is open, so there is nothing to report.
    ReportLoaded {
        kind: ReportKind,
        report: Result<Option<Box<Report>>, String>,
    },
    StatusChecked(StatusReport),
    /// A slip was printed (or previewed in training), or why it was not: queued behind a printer
    /// problem, or failed. `shown` says whether the clerk asked for it (a reprint). In training
    /// `Ok(Some(text))` carries the text that would have been printed.
    Printed {
        sale_id: i64,
        shown: bool,
        result: Result<Option<String>, String>,
    },
    /// A background task failed; shown to the clerk instead of freezing the screen.
    TaskFailed(String),
    /// Asked to stop from outside (SIGTERM, SIGHUP).
    Shutdown,
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Key(key) => f.debug_tuple("Key").field(key).finish(),
            Msg::Tick(at) => f.debug_tuple("Tick").field(at).finish(),
            Msg::Scan(code) => f.debug_tuple("Scan").field(&MaskedTail(code)).finish(),
            Msg::Resize { cols, rows } => f
                .debug_struct("Resize")
                .field("cols", cols)
                .field("rows", rows)
                .finish(),
            Msg::Payment { attempt, event } => f
                .debug_struct("Payment")
                .field("attempt", attempt)
                .field("event", event)
                .finish(),
            Msg::Refund { attempt, result } => f
                .debug_struct("Refund")
                .field("attempt", attempt)
                .field("result", result)
                .finish(),
            Msg::HistoryLoaded(result) => f.debug_tuple("HistoryLoaded").field(result).finish(),
            Msg::ReceiptFound(result) => f.debug_tuple("ReceiptFound").field(result).finish(),
            Msg::ReportLoaded { kind, report } => f
                .debug_struct("ReportLoaded")
                .field("kind", kind)
                .field("report", report)
                .finish(),
            Msg::StatusChecked(report) => f.debug_tuple("StatusChecked").field(report).finish(),
            Msg::Printed {
                sale_id,
                shown,
                result,
            } => f
                .debug_struct("Printed")
                .field("sale_id", sale_id)
                .field("shown", shown)
                .field("result", result)
                .finish(),
            Msg::TaskFailed(why) => f.debug_tuple("TaskFailed").field(why).finish(),
            Msg::Shutdown => f.write_str("Shutdown"),
        }
    }
}

/// What the checkout engine learned about a payment attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentEvent {
    /// The Cashtray exists; draw its token.
    QrReady(QrSession),
    Paid {
        sale_id: i64,
        transaction: PaidTransaction,
    },
    /// A definite refusal: nothing was charged.
    Refused(Failure),
    /// The outcome is not known yet (timeout, 5xx); the engine keeps asking.
    Checking,
    /// The engine could not learn the outcome in time; the journal keeps the attempt and
    /// reconciliation settles it later. Never shown as a failure.
    Unresolved,
    Expired,
    Cancelled,
    /// The attempt could not start (nothing was sent or nothing can have been charged).
    NotStarted(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_scan_masks_the_code() {
        let code = "1234567890123456789012";
        let shown = format!("{:?}", Msg::Scan(code.into()));
        assert!(!shown.contains(code), "{shown}");
        assert_eq!(shown, "Scan(\"******************9012\")");
    }
}
