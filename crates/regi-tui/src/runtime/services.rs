//! What the runtime needs from the rest of regi to carry out the app's commands. The checkout
//! engine, journal and printer implement it in production; tests use a scripted fake.

use std::future::Future;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

use regi_core::app::records::{ReceiptLookupError, StatusReport};
use regi_core::app::{AttemptId, Checkout, Msg, PaymentEvent, PinPurpose, SlipRequest};
use regi_core::secret::Secret;
use regi_engine::RefundDone;
use regi_journal::{Report, ReportKind, SaleDetail};

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

pub trait Services: Send + Sync + 'static {
    /// Creates a merchant QR and follows it to the end (paid, refused, expired, cancelled), reporting
    /// each step. Returns when the attempt is settled or handed to reconciliation.
    fn run_qr(&self, checkout: Checkout, events: PaymentEvents) -> impl Future<Output = ()> + Send;

    /// Asks the running merchant QR attempt to cancel; its `run_qr` reports how that ended.
    fn cancel_qr(&self, attempt: AttemptId) -> impl Future<Output = ()> + Send;

    /// Charges a customer-presented code, resolving unknown outcomes before reporting the end.
    fn charge_code(
        &self,
        code: String,
        checkout: Checkout,
        events: PaymentEvents,
    ) -> impl Future<Output = ()> + Send;

    /// Refunds a paid sale; `Err` when the refund could not even be journaled.
    fn refund(&self, sale_id: i64) -> impl Future<Output = Result<RefundDone, String>> + Send;

    /// Checks a manager PIN against the configured one (slow on purpose, so on a blocking
    /// thread) and journals the try with what it was asked for. Never fails: a PIN that could not
    /// be checked is wrong.
    fn verify_pin(
        &self,
        entered: Secret<String>,
        purpose: PinPurpose,
    ) -> impl Future<Output = PinVerdict> + Send;

    /// Sales of the open business day, newest first, and sale `also` first when it is not
    /// among them (a sale of an earlier day opened from its receipt).
    fn history(
        &self,
        also: Option<i64>,
    ) -> impl Future<Output = Result<Vec<SaleDetail>, String>> + Send;

    /// The sale a scanned receipt code of this till stands for.
    fn find_receipt(
        &self,
        code: String,
    ) -> impl Future<Output = Result<i64, ReceiptLookupError>> + Send;

    /// X reads the open day; Z closes it. `None` when no day is open.
    fn report(
        &self,
        kind: ReportKind,
    ) -> impl Future<Output = Result<Option<Box<Report>>, String>> + Send;

    fn status(&self) -> impl Future<Output = StatusReport> + Send;

    /// Prints a slip of a sale; `Err` says why it is not on paper (queued, failed). In training
    /// nothing is printed and `Ok(Some(text))` is the text the printer would have received.
    fn print(
        &self,
        sale_id: i64,
        slip: SlipRequest,
    ) -> impl Future<Output = Result<Option<String>, String>> + Send;

    /// Training only: the simulated customer acts. Outside training the app never issues these
    /// commands, and an implementation without a simulated customer reports an error.
    fn training_pay_qr(&self, token: String) -> impl Future<Output = Result<(), String>> + Send;
    fn training_fail_qr(&self, token: String) -> impl Future<Output = Result<(), String>> + Send;
    /// A fresh customer code, delivered to the app as if scanned.
    fn training_present_code(&self) -> impl Future<Output = Result<String, String>> + Send;
}
