//! Capturing a payment the store held (hold-then-capture, e.g. an order picked up later): the
//! capture and its amount are journaled before the request leaves and sent with the attempt's
//! key, so a capture whose answer was lost is repeated for the same amount and takes the money
//! once. A capture that gets no answer is not a failure: it is read again, and if still open it
//! is repeated on the next start.

use std::time::Instant;

use super::qr::journaled_key;
use super::{Engine, EngineError};
use regi_core::domain::{AttemptEvent, AttemptState, Yen};
use regi_core::records::CaptureIntent;
use regi_journal::JournalError;
use regi_payment::{
    CaptureRequest, GatewayError, PaidTransaction, PaymentGateway, QrStatus, Refusal,
};

/// How a capture ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureOutcome {
    /// The money was taken: `amount` yen; `released` yen of what was held went back.
    Captured {
        sale_id: i64,
        amount: Yen,
        released: Yen,
        paid: PaidTransaction,
    },
    /// The provider refused the capture and took nothing; the payment stays held unless the
    /// re-read found it released (`still_held` false).
    Refused { refusal: Refusal, still_held: bool },
    /// No answer: the capture stays journaled and is repeated (same key, same amount) when asked
    /// again or on the next start. Never "failed".
    Unknown { sale_id: i64, amount: Yen },
}

impl CaptureOutcome {
    /// A short name for logs and the command line.
    pub fn kind(&self) -> &'static str {
        match self {
            CaptureOutcome::Captured { .. } => "captured",
            CaptureOutcome::Refused { .. } => "refused",
            CaptureOutcome::Unknown { .. } => "unknown",
        }
    }
}

impl Engine {
    /// Captures the held payment of `sale_id` for `amount` yen (`None`: all that is held). A
    /// capture asked for before whose answer was lost is repeated for its own amount.
    pub async fn capture_held(
        &self,
        sale_id: i64,
        amount: Option<Yen>,
    ) -> Result<CaptureOutcome, EngineError> {
        let detail = self.journal.call(move |j| j.sale(sale_id)).await?;
        let held = detail
            .attempts
            .iter()
            .find(|a| matches!(a.state, AttemptState::Authorized { .. }))
            .ok_or_else(|| {
                EngineError::Journal(JournalError::Refused(format!(
                    "sale {sale_id} is {} and holds no payment to capture",
                    detail.sale.state.as_str()
                )))
            })?;
        let attempt_id = held.id;
        let intent = self
            .journal
            .call(move |j| j.record_capture_request(attempt_id, amount))
            .await?;
        self.drive_capture(&intent, true).await
    }

    /// Sends a journaled capture until it is answered (for `resolve_for` when `patient`, else
    /// once), then records what came of it.
    pub(super) async fn drive_capture(
        &self,
        intent: &CaptureIntent,
        patient: bool,
    ) -> Result<CaptureOutcome, EngineError> {
        let gateway = self.gateway_of(&intent.provider).ok_or_else(|| {
            EngineError::Gateway(GatewayError::Fatal(format!(
                "the payment provider {} is not enabled",
                intent.provider
            )))
        })?;
        let request = CaptureRequest {
            transaction_id: intent.transaction_id.clone(),
            amount: intent.amount.value(),
            request_id: journaled_key(&intent.request_id)?,
        };
        let started = Instant::now();
        loop {
            match gateway.capture(&request).await {
                Ok(paid) => return self.captured(intent, paid).await,
                Err(GatewayError::Refused(refusal)) => {
                    return self
                        .capture_refused(gateway.as_ref(), intent, refusal)
                        .await;
                }
                Err(GatewayError::Fatal(message)) => {
                    return Err(EngineError::Gateway(GatewayError::Fatal(message)));
                }
                Err(error) => {
                    tracing::warn!(attempt_id = intent.attempt_id, %error, "capture not answered");
                    if !patient || started.elapsed() >= self.settings.resolve_for {
                        return self.capture_unanswered(gateway.as_ref(), intent).await;
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
            }
        }
    }

    async fn captured(
        &self,
        intent: &CaptureIntent,
        paid: PaidTransaction,
    ) -> Result<CaptureOutcome, EngineError> {
        let attempt_id = intent.attempt_id;
        let event = AttemptEvent::PaidObserved {
            transaction_id: paid.transaction_id.clone(),
        };
        let (events, _) = tokio::sync::mpsc::unbounded_channel();
        self.record_outcome(attempt_id, &events, move |j| {
            j.record_attempt_event(attempt_id, event.clone())
        })
        .await?;
        let sale_id = intent.sale_id;
        let sale = self.journal.call(move |j| j.sale(sale_id)).await?.sale;
        tracing::info!(
            sale_id,
            amount = intent.amount.value(),
            released = sale.released.value(),
            "held payment captured"
        );
        Ok(CaptureOutcome::Captured {
            sale_id,
            amount: sale.paid_amount(),
            released: sale.released,
            paid,
        })
    }

    /// A refused capture took nothing: the payment is read again, since the refusal may be
    /// because it was already captured (a repeat) or released by the provider.
    async fn capture_refused(
        &self,
        gateway: &dyn PaymentGateway,
        intent: &CaptureIntent,
        refusal: Refusal,
    ) -> Result<CaptureOutcome, EngineError> {
        match self.read_held(gateway, intent).await {
            Some(QrStatus::Paid(paid)) => return self.captured(intent, paid).await,
            Some(status @ (QrStatus::Cancelled | QrStatus::Expired | QrStatus::Failed(_))) => {
                let attempt_id = intent.attempt_id;
                let (event, _, _) = super::qr::qr_event(status);
                if let Some(event) = event {
                    self.journal
                        .call(move |j| j.record_attempt_event(attempt_id, event.clone()))
                        .await?;
                }
                return Ok(CaptureOutcome::Refused {
                    refusal,
                    still_held: false,
                });
            }
            _ => {}
        }
        let attempt_id = intent.attempt_id;
        let reason = refusal.error_type.clone();
        self.journal
            .call(move |j| j.record_capture_refused(attempt_id, &reason))
            .await?;
        Ok(CaptureOutcome::Refused {
            refusal,
            still_held: true,
        })
    }

    /// No answer to the capture: a read may still show it taken; otherwise it stays asked for.
    async fn capture_unanswered(
        &self,
        gateway: &dyn PaymentGateway,
        intent: &CaptureIntent,
    ) -> Result<CaptureOutcome, EngineError> {
        if let Some(QrStatus::Paid(paid)) = self.read_held(gateway, intent).await {
            return self.captured(intent, paid).await;
        }
        Ok(CaptureOutcome::Unknown {
            sale_id: intent.sale_id,
            amount: intent.amount,
        })
    }

    async fn read_held(
        &self,
        gateway: &dyn PaymentGateway,
        intent: &CaptureIntent,
    ) -> Option<QrStatus> {
        let shown = intent.provider_ref.as_deref()?;
        match gateway.qr_status(shown).await {
            Ok(status) => Some(status),
            Err(error) => {
                tracing::warn!(attempt_id = intent.attempt_id, %error, "held payment not readable");
                None
            }
        }
    }

    /// Gives back the payment held for `sale_id` without taking anything (the order was never
    /// picked up), then reads it again: released, the sale is cancelled; captured a moment
    /// before, it is paid; still held (no answer), it stays held and the release may be asked
    /// again. Returns the sale's attempt state as now journaled.
    pub async fn release_held(&self, sale_id: i64) -> Result<AttemptState, EngineError> {
        let detail = self.journal.call(move |j| j.sale(sale_id)).await?;
        let held = detail
            .attempts
            .iter()
            .find(|a| matches!(a.state, AttemptState::Authorized { .. }))
            .ok_or_else(|| {
                EngineError::Journal(JournalError::Refused(format!(
                    "sale {sale_id} is {} and holds no payment to release",
                    detail.sale.state.as_str()
                )))
            })?;
        if held.capture_amount.is_some() {
            // The capture may have taken the money: it is settled first.
            return Err(EngineError::Journal(JournalError::Refused(format!(
                "a capture of sale {sale_id} is still awaiting its answer; run regi capture \
                 {sale_id} to settle it first"
            ))));
        }
        let gateway = self.gateway_of(&held.provider).ok_or_else(|| {
            EngineError::Gateway(GatewayError::Fatal(format!(
                "the payment provider {} is not enabled",
                held.provider
            )))
        })?;
        let (attempt_id, shown) = (held.id, held.provider_ref.clone());
        let transaction_id = held.state.transaction_id().unwrap_or_default().to_string();
        let key = journaled_key(&held.request_id)?;
        if let Err(error) = gateway.release(&transaction_id, key).await {
            if matches!(error, GatewayError::Fatal(_)) {
                return Err(EngineError::Gateway(error));
            }
            tracing::warn!(sale_id, %error, "release not confirmed; reading the payment");
        }
        let status = match shown {
            Some(shown) => gateway.qr_status(&shown).await.ok(),
            None => None,
        };
        let event = match status {
            Some(QrStatus::Paid(paid)) => Some(AttemptEvent::PaidObserved {
                transaction_id: paid.transaction_id,
            }),
            Some(status @ (QrStatus::Cancelled | QrStatus::Expired | QrStatus::Failed(_))) => {
                super::qr::qr_event(status).0
            }
            _ => None,
        };
        match event {
            Some(event) => Ok(self
                .journal
                .call(move |j| j.record_attempt_event(attempt_id, event.clone()))
                .await?),
            None => Ok(held.state.clone()),
        }
    }

    /// Repeats every capture whose answer was lost before the last stop (same key, same amount).
    pub(super) async fn recover_captures(&self) -> Result<Vec<CaptureOutcome>, EngineError> {
        let intents = self.journal.call(|j| j.captures_in_flight()).await?;
        let mut outcomes = Vec::with_capacity(intents.len());
        for intent in intents {
            outcomes.push(self.drive_capture(&intent, false).await?);
        }
        Ok(outcomes)
    }
}
