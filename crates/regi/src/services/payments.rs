//! The payments port over the checkout engine: each checkout journaled once as a sale, QR and code
//! attempts run through the engine on the route the clerk chose with their progress forwarded,
//! refunds with the till's reason.

use tokio::sync::watch;

use regi_core::app::{AttemptId, CashTaken, Checkout, CheckoutId};
use regi_core::domain::{ReturnedLine, Yen};
use regi_core::payment::CaptureDone;
use regi_engine::{CaptureOutcome, EngineError, RefundDone, Route};
use regi_tui::runtime::ports::{PaymentError, PaymentEvents, Payments};

use super::{EngineServices, REFUND_REASON, lock, not_finished};

/// Why cash could not be journaled: a full disk said as such, as the clerk can act on it.
fn cash_error(error: &EngineError) -> PaymentError {
    PaymentError::Journal(error.to_string())
}

impl Payments for EngineServices {
    async fn run_qr(&self, checkout: Checkout, route: Route, events: PaymentEvents) {
        let sale_id = match self.sale_for(&checkout).await {
            Ok(id) => id,
            Err(e) => {
                events.send(not_finished(&e));
                return;
            }
        };
        let (cancel, cancelled) = watch::channel(false);
        lock(&self.cancels).insert(events.attempt(), cancel);
        self.run_attempt(&events, async |tx| {
            self.engine
                .pay_by_qr_routed(&route, sale_id, cancelled, tx)
                .await
        })
        .await;
        lock(&self.cancels).remove(&events.attempt());
    }
    async fn cancel_qr(&self, attempt: AttemptId) {
        if let Some(cancel) = lock(&self.cancels).get(&attempt) {
            let _ = cancel.send(true);
        }
    }
    async fn charge_code(
        &self,
        code: String,
        checkout: Checkout,
        route: Route,
        events: PaymentEvents,
    ) {
        let sale_id = match self.sale_for(&checkout).await {
            Ok(id) => id,
            Err(e) => {
                events.send(not_finished(&e));
                return;
            }
        };
        self.run_attempt(&events, async |tx| {
            self.engine
                .pay_by_code_routed(&route, sale_id, &code, tx)
                .await
        })
        .await;
    }
    async fn take_cash(
        &self,
        checkout: Checkout,
        received: Yen,
    ) -> Result<CashTaken, PaymentError> {
        let sale_id = self.sale_for(&checkout).await.map_err(|e| cash_error(&e))?;
        let tender = self
            .engine
            .take_cash(sale_id, received)
            .await
            .map_err(|e| cash_error(&e))?;
        if !tender.remaining.is_positive() {
            self.forget_sale(sale_id);
        }
        Ok(CashTaken { sale_id, tender })
    }

    fn adopt_sale(&self, checkout: CheckoutId, sale_id: i64) {
        lock(&self.sales).insert(checkout, sale_id);
    }

    async fn refund(&self, sale_id: i64, amount: Option<Yen>) -> Result<RefundDone, PaymentError> {
        if let Some(refusal) = self.returned_elsewhere(sale_id).await {
            return Ok(RefundDone::Refused(refusal));
        }
        self.engine
            .refund_of(sale_id, amount, REFUND_REASON)
            .await
            .map_err(port_error)
    }

    async fn return_lines(
        &self,
        sale_id: i64,
        lines: Vec<ReturnedLine>,
    ) -> Result<RefundDone, PaymentError> {
        if let Some(refusal) = self.returned_elsewhere(sale_id).await {
            return Ok(RefundDone::Refused(refusal));
        }
        self.engine
            .return_lines(sale_id, lines, REFUND_REASON)
            .await
            .map(|done| done.outcome)
            .map_err(port_error)
    }

    async fn capture(
        &self,
        sale_id: i64,
        amount: Option<Yen>,
    ) -> Result<CaptureDone, PaymentError> {
        let outcome = self
            .engine
            .capture_held(sale_id, amount)
            .await
            .map_err(port_error)?;
        Ok(match outcome {
            CaptureOutcome::Captured {
                amount, released, ..
            } => CaptureDone::Captured {
                amount: amount.value(),
                released: released.value(),
            },
            CaptureOutcome::Refused {
                refusal,
                still_held,
            } => CaptureDone::Refused {
                refusal,
                still_held,
            },
            CaptureOutcome::Unknown { .. } => CaptureDone::Unknown,
        })
    }
}

fn port_error(error: EngineError) -> PaymentError {
    match error {
        EngineError::Gateway(gateway) => PaymentError::Provider(gateway.to_string()),
        other => PaymentError::Journal(other.to_string()),
    }
}
