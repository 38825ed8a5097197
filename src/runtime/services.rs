//! What the runtime needs from the rest of regi to carry out the app's commands. The checkout
//! engine, journal and printer implement it in production; tests use a scripted fake.

use std::future::Future;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::records::{ReportKind, ReportSummary, SaleRecord, StatusReport};
use crate::app::{AttemptId, Msg, PaymentEvent};
use crate::gateway::{Direction, ProductLine, RefundResult, Refusal};

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

    /// Sends one event; `false` once the UI has gone away (the attempt should still finish and
    /// journal its outcome).
    pub fn send(&self, event: PaymentEvent) -> bool {
        self.tx
            .send(Msg::Payment {
                attempt: self.attempt,
                event,
            })
            .is_ok()
    }
}

/// A payment to take, as the app described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrder {
    pub amount: i64,
    pub direction: Direction,
    pub products: Vec<ProductLine>,
}

pub trait Services: Send + Sync + 'static {
    /// Creates a Cashtray and follows it to the end (paid, refused, expired, cancelled), reporting
    /// each step. Returns when the attempt is settled or its outcome is handed to recovery.
    fn run_qr(&self, order: PaymentOrder, events: PaymentEvents)
    -> impl Future<Output = ()> + Send;

    /// Asks the running Cashtray attempt to cancel; its `run_qr` reports how that ended.
    fn cancel_qr(&self, attempt: AttemptId) -> impl Future<Output = ()> + Send;

    /// Charges a customer-presented code, resolving unknown outcomes before reporting the end.
    fn charge_code(
        &self,
        code: String,
        order: PaymentOrder,
        events: PaymentEvents,
    ) -> impl Future<Output = ()> + Send;

    fn refund(
        &self,
        transaction_id: String,
        amount: i64,
    ) -> impl Future<Output = Result<RefundResult, Refusal>> + Send;

    fn history(&self) -> impl Future<Output = Result<Vec<SaleRecord>, String>> + Send;

    fn report(
        &self,
        kind: ReportKind,
    ) -> impl Future<Output = Result<ReportSummary, String>> + Send;

    fn status(&self) -> impl Future<Output = StatusReport> + Send;

    fn print_receipt(
        &self,
        transaction_id: String,
    ) -> impl Future<Output = Result<(), String>> + Send;

    /// Training only: the simulated customer acts. Outside training these are never called (the
    /// app does not issue the commands) and report an error if they are.
    fn training_pay_qr(&self, token: String) -> impl Future<Output = Result<(), String>> + Send;
    fn training_fail_qr(&self, token: String) -> impl Future<Output = Result<(), String>> + Send;
    /// A fresh customer code, delivered to the app as if scanned.
    fn training_present_code(&self) -> impl Future<Output = Result<String, String>> + Send;
}
