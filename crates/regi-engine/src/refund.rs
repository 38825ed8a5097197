//! Refunds: journaled before the request and settled after it; a lost answer is resolved by asking
//! again (a refund that already went through answers `transaction_already_refunded`).

use std::time::Instant;

use super::{Engine, EngineError};
use regi_core::payment::RefundDone;
use regi_journal::RefundOutcome;
use regi_payment::{GatewayError, PaymentGateway};

const ALREADY_REFUNDED: &str = "transaction_already_refunded";

impl<G: PaymentGateway> Engine<G> {
    /// Refunds a paid sale with the clerk's reason.
    pub async fn refund(&self, sale_id: i64, reason: &str) -> Result<RefundDone, EngineError> {
        let reason_owned = reason.to_string();
        let started = self
            .journal
            .call(move |j| j.begin_refund(sale_id, &reason_owned))
            .await?;
        self.drive_refund(started.refund_id, &started.transaction_id, reason, false)
            .await
    }

    /// Sends the refund until a definite answer or until `resolve_for` has passed. `resumed` says
    /// an earlier run may already have sent it.
    pub(super) async fn drive_refund(
        &self,
        refund_id: i64,
        transaction_id: &str,
        reason: &str,
        resumed: bool,
    ) -> Result<RefundDone, EngineError> {
        let started = Instant::now();
        let mut maybe_sent = resumed;
        loop {
            let result = self.gateway.refund(transaction_id, reason).await;
            let (outcome, done) = match result {
                Ok(refund) => (
                    RefundOutcome::Done {
                        refund_transaction_id: refund.refund_transaction_id.clone(),
                    },
                    RefundDone::Refunded {
                        refund_transaction_id: refund.refund_transaction_id,
                    },
                ),
                Err(GatewayError::Refused(refusal))
                    if maybe_sent && refusal.error_type == ALREADY_REFUNDED =>
                {
                    (
                        // Our own earlier request went through; its answer was lost.
                        RefundOutcome::Done {
                            refund_transaction_id: String::new(),
                        },
                        RefundDone::Refunded {
                            refund_transaction_id: String::new(),
                        },
                    )
                }
                Err(GatewayError::Refused(refusal)) => (
                    RefundOutcome::Failed {
                        error_type: refusal.error_type.clone(),
                        message: refusal.message_en.clone(),
                    },
                    RefundDone::Refused(refusal),
                ),
                Err(GatewayError::Fatal(message)) => {
                    return Err(EngineError::Gateway(GatewayError::Fatal(message)));
                }
                Err(error) => {
                    maybe_sent = true;
                    tracing::warn!(refund_id, %error, "refund answer lost; asking again");
                    if started.elapsed() >= self.settings.resolve_for {
                        return Ok(RefundDone::Unknown);
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                    continue;
                }
            };
            let recorded = self
                .journal
                .call(move |j| j.finish_refund(refund_id, outcome))
                .await;
            if let Err(error) = recorded {
                // The refund was answered but cannot be recorded: it stays pending in the
                // journal, and the next start asks again (an answered refund says so).
                tracing::error!(refund_id, %error, "refund answer could not be recorded");
                return Ok(RefundDone::Unknown);
            }
            return Ok(done);
        }
    }
}
