//! Start-up reconciliation: every attempt and refund that was in flight when regi last stopped is
//! settled against the provider before the clerk can sell again.

use uuid::Uuid;

use super::qr::{journaled_key, qr_event, read_and_capture};
use super::{CaptureOutcome, Engine, EngineError, TabOutcome};
use regi_core::domain::{
    AttemptEvent, AttemptState, FailReason, Failure, PaymentMethod, Resolution,
};
use regi_core::payment::RefundDone;
use regi_journal::UnresolvedAttempt;
use regi_payment::{PaymentGateway, QrStatus};

/// What recovery found for one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveredAttempt {
    pub attempt_id: i64,
    pub sale_id: i64,
    pub method: PaymentMethod,
    /// The state now in the journal; not final when the provider could not be reached.
    pub state: AttemptState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveredRefund {
    pub refund_id: i64,
    pub sale_id: i64,
    pub result: RefundDone,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    pub attempts: Vec<RecoveredAttempt>,
    pub refunds: Vec<RecoveredRefund>,
    /// Sales whose payment never started, now closed as abandoned (voided; nothing was sent).
    pub abandoned_sales: Vec<i64>,
    /// Captures of held payments whose answer was lost, sent again. One still unanswered does
    /// not stop selling: the payment stays held and the capture is asked for again later.
    pub captures: Vec<CaptureOutcome>,
    /// Tabs whose opening or closing was left unanswered, asked again. One still unanswered
    /// does not stop selling: it takes no charge until settled.
    pub tabs: Vec<TabOutcome>,
    /// Sales some of whose tenders are paid and the rest still owed (the register stopped
    /// between tenders): the clerk finishes each, or gives its tenders back.
    pub partly_paid: Vec<regi_journal::SaleSummary>,
}

/// Why a sale found with no payment attempt is closed; shown in the journal and counted as a
/// void in the X and Z reports.
pub const ABANDONED_REASON: &str = "abandoned: regi stopped before its payment started";

impl RecoveryReport {
    /// Everything was settled: selling may resume.
    pub fn all_resolved(&self) -> bool {
        self.attempts.iter().all(|a| a.state.is_final())
            && self.refunds.iter().all(|r| r.result != RefundDone::Unknown)
    }

    pub fn is_empty(&self) -> bool {
        self.attempts.is_empty()
            && self.refunds.is_empty()
            && self.abandoned_sales.is_empty()
            && self.captures.is_empty()
            && self.tabs.is_empty()
            && self.partly_paid.is_empty()
    }
}

impl Engine {
    /// Settles every unresolved attempt and pending refund in the journal.
    pub async fn recover(&self) -> Result<RecoveryReport, EngineError> {
        let mut report = RecoveryReport::default();
        let abandoned = self.journal.call(|j| j.sales_never_attempted()).await?;
        for sale_id in abandoned {
            self.journal
                .call(move |j| j.void_sale(sale_id, ABANDONED_REASON))
                .await?;
            tracing::info!(sale_id, "closed a sale whose payment never started");
            report.abandoned_sales.push(sale_id);
        }
        let attempts = self.journal.call(|j| j.unresolved_attempts()).await?;
        for attempt in attempts {
            let state = self.recover_attempt(&attempt).await?;
            tracing::info!(
                attempt_id = attempt.attempt_id,
                state = state.name(),
                "recovered attempt"
            );
            report.attempts.push(RecoveredAttempt {
                attempt_id: attempt.attempt_id,
                sale_id: attempt.sale_id,
                method: attempt.method,
                state,
            });
        }
        report.captures = self.recover_captures().await?;
        report.tabs = self.recover_tabs().await?;
        let refunds = self.journal.call(|j| j.unresolved_refunds()).await?;
        for refund in refunds {
            let (refund_id, sale_id) = (refund.refund_id, refund.sale_id);
            let result = self.drive_refund(&refund.into(), true).await?;
            report.refunds.push(RecoveredRefund {
                refund_id,
                sale_id,
                result,
            });
        }
        report.partly_paid = self.journal.call(|j| j.partly_paid_sales()).await?;
        Ok(report)
    }

    async fn recover_attempt(
        &self,
        attempt: &UnresolvedAttempt,
    ) -> Result<AttemptState, EngineError> {
        let attempt_id = attempt.attempt_id;
        let resolution = match (attempt.method, &attempt.provider_ref) {
            // The request was never confirmed, so its QR was never shown: nobody can have paid.
            (PaymentMethod::MerchantQr | PaymentMethod::HostedPage, None) => {
                Some(not_completed("qr_not_created", "the QR was never shown"))
            }
            (PaymentMethod::MerchantQr | PaymentMethod::HostedPage, Some(shown)) => {
                match self.gateway_of(&attempt.provider) {
                    Some(gateway) => {
                        let request_id = journaled_key(&attempt.request_id)?;
                        self.settle_tray(gateway.as_ref(), shown, request_id, attempt.hold)
                            .await
                    }
                    None => None,
                }
            }
            (PaymentMethod::CustomerCode, _) => match self.gateway_of(&attempt.provider) {
                Some(gateway) => self.settle_code(gateway.as_ref(), attempt).await,
                None => None,
            },
            // Cash is journaled paid in the transaction that creates it: it is never in
            // flight, and there is no one to ask.
            (PaymentMethod::Cash, _) => None,
            // Never sent: nothing was booked, and the clerk was told nothing; it is closed.
            (PaymentMethod::Tab, _) if attempt.state == AttemptState::Created => Some(
                not_completed("tab_charge_not_sent", "the charge was never sent"),
            ),
            // Sent: asked again with its key, which the provider books once.
            (PaymentMethod::Tab, _) => {
                let settled = self
                    .settle_tab_charge(
                        attempt_id,
                        attempt.sale_id,
                        &attempt.request_id,
                        attempt.amount.value(),
                    )
                    .await?;
                return Ok(settled.unwrap_or_else(|| attempt.state.clone()));
            }
        };
        match resolution {
            Some(event) => Ok(self
                .journal
                .call(move |j| j.record_attempt_event(attempt_id, event))
                .await?),
            None => Ok(attempt.state.clone()),
        }
    }

    /// A QR request left open is cancelled (its QR is no longer on screen), then re-read: a
    /// payment that came in meanwhile wins (one held authorized is captured, unless the store
    /// holds it: then it stays held for the clerk's capture).
    async fn settle_tray(
        &self,
        gateway: &dyn PaymentGateway,
        tray: &str,
        request_id: Uuid,
        hold: bool,
    ) -> Option<AttemptEvent> {
        for _ in 0..3 {
            match read_and_capture(gateway, tray, request_id, hold).await {
                Ok(QrStatus::Open { .. }) => {
                    if let Err(error) = gateway.cancel_qr(tray).await {
                        tracing::warn!(%error, "could not cancel a tray left open");
                    }
                }
                Ok(status) => return qr_event(status).0.map(as_resolution),
                Err(error) => tracing::warn!(%error, "tray status unavailable during recovery"),
            }
            tokio::time::sleep(self.settings.retry_backoff).await;
        }
        None
    }

    async fn settle_code(
        &self,
        gateway: &dyn PaymentGateway,
        attempt: &UnresolvedAttempt,
    ) -> Option<AttemptEvent> {
        let request_id = Uuid::parse_str(&attempt.request_id).ok()?;
        match gateway.lookup_request(request_id).await {
            Ok(Some(paid)) => Some(AttemptEvent::Resolved(Resolution::Paid {
                transaction_id: paid.transaction_id,
            })),
            Ok(None) if attempt.state == AttemptState::Created => {
                Some(not_completed("code_not_sent", "the request was never sent"))
            }
            // No transaction carries our request_id: the customer was not charged.
            Ok(None) => Some(not_completed("code_not_charged", "no transaction was made")),
            Err(error) => {
                tracing::warn!(%error, "request lookup unavailable during recovery");
                None
            }
        }
    }
}

fn not_completed(error_type: &str, message: &str) -> AttemptEvent {
    AttemptEvent::Resolved(Resolution::Failed(Failure {
        reason: FailReason::RejectedOther,
        error_type: error_type.into(),
        message: message.into(),
    }))
}

/// Recovery records what it learned as a resolution of the unknown.
fn as_resolution(event: AttemptEvent) -> AttemptEvent {
    match event {
        AttemptEvent::PaidObserved { transaction_id } => {
            AttemptEvent::Resolved(Resolution::Paid { transaction_id })
        }
        AttemptEvent::FailedObserved(failure) => {
            AttemptEvent::Resolved(Resolution::Failed(failure))
        }
        AttemptEvent::ExpiredObserved => AttemptEvent::Resolved(Resolution::Expired),
        AttemptEvent::CancelConfirmed => AttemptEvent::Resolved(Resolution::Cancelled),
        other => other,
    }
}
