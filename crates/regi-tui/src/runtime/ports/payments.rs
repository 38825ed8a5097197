//! The payments port: take a payment by merchant QR or customer code through the provider (and
//! wallet) the clerk chose, take cash, cancel a QR, refund a sale, capture a held payment.

use std::future::Future;

use regi_core::app::{AttemptId, CashTaken, Checkout, CheckoutId};
use regi_core::domain::{ReturnedLine, Yen};
use regi_core::payment::CaptureDone;
use regi_engine::{RefundDone, Route};

use super::PaymentEvents;

/// Why a refund could not even start (nothing was sent to the provider).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The journal refused to record it (the refund is never sent without its record).
    #[error("journal: {0}")]
    Journal(String),
    /// The provider cannot be used as configured.
    #[error("payment provider: {0}")]
    Provider(String),
}

pub trait Payments: Send + Sync + 'static {
    /// Creates a merchant QR on `route` and follows it to the end (paid, refused, expired,
    /// cancelled), reporting each step. Returns when the attempt is settled or handed to
    /// reconciliation.
    fn run_qr(
        &self,
        checkout: Checkout,
        route: Route,
        events: PaymentEvents,
    ) -> impl Future<Output = ()> + Send;

    /// Asks the running merchant QR attempt to cancel; its `run_qr` reports how that ended.
    fn cancel_qr(&self, attempt: AttemptId) -> impl Future<Output = ()> + Send;

    /// Charges a customer-presented code with the provider of `route`, resolving unknown outcomes
    /// before reporting the end.
    fn charge_code(
        &self,
        code: String,
        checkout: Checkout,
        route: Route,
        events: PaymentEvents,
    ) -> impl Future<Output = ()> + Send;

    /// Refunds `amount` yen of a paid sale, or all that is left of it.
    fn refund(
        &self,
        sale_id: i64,
        amount: Option<Yen>,
    ) -> impl Future<Output = Result<RefundDone, PaymentError>> + Send;

    /// Returns `lines` of a paid sale: each rate's part refunded tender by tender, a part of a
    /// payment refunded only whole given back in cash from the drawer. Without an engine behind
    /// it (a test's fake), the return is refused before anything is journaled.
    fn return_lines(
        &self,
        sale_id: i64,
        lines: Vec<ReturnedLine>,
    ) -> impl Future<Output = Result<RefundDone, PaymentError>> + Send {
        let _ = (sale_id, lines);
        async {
            Err(PaymentError::Provider(
                "returns of lines are not served here".into(),
            ))
        }
    }

    /// Journals `received` yen of cash handed over for the checkout's sale: paid at once for what
    /// it covers of what remains, the rest being the change. Returns once it is on record.
    fn take_cash(
        &self,
        checkout: Checkout,
        received: Yen,
    ) -> impl Future<Output = Result<CashTaken, PaymentError>> + Send;

    /// The checkout pays the journaled sale `sale_id` (one left partly paid, taken up again):
    /// its further tenders go to that sale. Done before the call returns, so a payment started
    /// after it pays that sale.
    fn adopt_sale(&self, checkout: CheckoutId, sale_id: i64);

    /// Takes the payment held for a sale: `amount` yen, or all that is held.
    fn capture(
        &self,
        sale_id: i64,
        amount: Option<Yen>,
    ) -> impl Future<Output = Result<CaptureDone, PaymentError>> + Send;
}
