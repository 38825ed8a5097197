//! Everything that can happen to the app: keys, time, scans, and results of the work it asked for.

use chrono::{DateTime, Utc};

use crate::app::keymap::Key;
use crate::app::records::{ReceiptLookupError, StatusReport};
use crate::domain::Failure;
use crate::payment::{CaptureDone, RefundDone};
use crate::payment::{PaidTransaction, QrSession};
use crate::records::{Report, ReportKind, SaleDetail};
use crate::secret::MaskedCode;

/// Identifies one payment attempt (or refund); results carrying another id are stale and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttemptId(pub u64);

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    /// The clock, a few times a second: drives countdowns and notice expiry.
    Tick(DateTime<Utc>),
    /// A complete code from the scanner (or a keystroke burst at scanner speed). `Debug` masks it:
    /// it may be a customer's payment code.
    Scan(MaskedCode),
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
    Capture {
        attempt: AttemptId,
        result: CaptureDone,
    },
    /// Whether the manager PIN of `Command::VerifyPin` was right, and when the try was journaled
    /// (the lockout after wrong PINs runs from that time).
    PinChecked {
        attempt: AttemptId,
        correct: bool,
        at: DateTime<Utc>,
    },
    /// Today's sales, newest first, or why they could not be read.
    HistoryLoaded(Result<Vec<SaleDetail>, String>),
    TabsLoaded(Result<Vec<crate::app::screens::TabView>, String>),
    /// The tab statement was printed (`None`), is to be shown (training: its text), or could
    /// not be printed (why).
    TabPrinted(Result<Option<String>, String>),
    TabCustomerFound {
        attempt: AttemptId,
        result: Result<crate::tab::TabCustomer, String>,
    },
    TabOpened {
        attempt: AttemptId,
        result: Result<crate::app::screens::tabs::opening::TabOpenedAs, String>,
    },
    TabClosed {
        attempt: AttemptId,
        result: Result<crate::app::screens::tabs::TabClosed, String>,
    },
    /// The sale id a scanned receipt code stands for, or why there is none.
    ReceiptFound(Result<i64, ReceiptLookupError>),
    /// `Ok(None)`: no business day is open, so there is nothing to report.
    ReportLoaded {
        kind: ReportKind,
        report: Result<Option<Box<Report>>, String>,
    },
    StatusChecked(StatusReport),
    /// A report's slip was printed (`None`), is to be shown (training: its text), or was not
    /// printed (why).
    ReportPrinted(Result<Option<String>, String>),
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
    /// Cash of `Command::TakeCash` is journaled (received, change, what remains), or why it
    /// could not be: then nothing was taken.
    CashTaken {
        attempt: AttemptId,
        result: Result<CashTaken, String>,
    },
    /// The drawer was opened (`Ok(true)`), had nothing to open it (`Ok(false)`: training, no
    /// printer), or did not open (why; the clerk opens it by key).
    DrawerOpened(Result<bool, String>),
    /// Asked to stop from outside (SIGTERM, SIGHUP).
    Shutdown,
    /// A sign-in checked: the member now on duty, or why not; `at` is when the try was journaled
    /// (the lockout after wrong PINs runs from it).
    SignedIn {
        attempt: AttemptId,
        result: Result<crate::records::StaffOnDuty, crate::app::screens::sign_in::SignInRefused>,
        at: DateTime<Utc>,
    },
    /// The cart was journaled as voided (its receipt number), or why not: the cart stays.
    CartVoided(Result<i64, String>),
    /// The cart was parked (its id), or why not: the cart stays.
    CartParked(Result<i64, String>),
    /// The parked carts, oldest first, or why they could not be read.
    ParkedLoaded(Result<Vec<crate::records::ParkedCart>, String>),
    /// A parked cart taken back, or why not.
    CartRecalled(Result<crate::records::ParkedCart, String>),
    /// The open day's cash (`None`: no day is open), or why it could not be read.
    DrawerLoaded(Result<Option<crate::records::CashSummary>, String>),
    /// A movement of the drawer journaled, with what followed, or why not.
    DrawerMoved {
        attempt: AttemptId,
        result: Result<
            crate::app::screens::drawer::DrawerDone,
            crate::app::screens::drawer::DrawerProblem,
        >,
    },
    /// A product priced on the till was saved to the catalog file: the catalog as read back
    /// from it, or why it could not be saved.
    CatalogSaved(Result<Vec<crate::domain::Product>, String>),
    /// The store published a newer catalog while the till runs (store mode): its version and
    /// products, or why the runtime could not read it.
    StoreCatalog {
        version: i64,
        products: Result<Vec<crate::domain::Product>, String>,
    },
}

/// Cash journaled as a tender of the checkout's sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashTaken {
    pub sale_id: i64,
    pub tender: crate::records::CashTender,
}

/// What the checkout engine learned about a payment attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentEvent {
    /// The merchant QR exists; draw its content.
    QrReady(QrSession),
    Paid {
        sale_id: i64,
        transaction: PaidTransaction,
    },
    /// The customer paid and the provider holds the money until the clerk captures it from the
    /// history (the store holds payments).
    Held {
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
    /// The journal cannot record the sale or its attempt, so nothing was sent: nothing was
    /// charged, and selling waits until the journal can be written.
    JournalStopped {
        disk_full: bool,
    },
    /// The customer may have been charged, but the outcome cannot be recorded yet (a full disk).
    /// Never a failure: the final event follows once the journal takes it. Until then the
    /// payment must not be taken again.
    Unrecorded {
        disk_full: bool,
    },
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
