//! Refunds: journaled before the request and settled after it; a lost answer is resolved by asking
//! again (a refund that already went through is refused as already refunded).

use std::time::Instant;

use super::{Engine, EngineError};
use regi_core::domain::{AttemptState, FailReason, Yen};
use regi_core::payment::RefundDone;
use regi_journal::{
    CASH_PROVIDER, RefundLink, RefundOutcome, RefundState, SaleDetail, UnresolvedRefund,
};
use regi_payment::{GatewayError, RefundRequest};
use uuid::Uuid;

impl Engine {
    /// Refunds all that is left of a paid sale with the clerk's reason.
    pub async fn refund(&self, sale_id: i64, reason: &str) -> Result<RefundDone, EngineError> {
        self.refund_of(sale_id, None, reason).await
    }

    /// Refunds `amount` yen of a paid sale (`None`: all that is left), each tender by its own
    /// means: an electronic payment through its provider, cash from the drawer. The amount is
    /// taken from the latest tender first; a tender whose provider refunds only whole payments
    /// gives back all it has left or nothing, so a part comes from the tenders that can give
    /// one. When no tender can, the refund is refused before anything is journaled or sent. A
    /// sale partly paid and abandoned is refunded the same way.
    pub async fn refund_of(
        &self,
        sale_id: i64,
        amount: Option<Yen>,
        reason: &str,
    ) -> Result<RefundDone, EngineError> {
        let detail = self.journal.call(move |j| j.sale(sale_id)).await?;
        let partial_ok = |provider: &str| self.refunds_in_part(provider);
        let plan = match refund_plan(&detail, amount, partial_ok) {
            Ok(plan) => plan,
            Err(PlanRefused::WholeOnly { provider, left }) => {
                return Err(EngineError::Gateway(GatewayError::Fatal(format!(
                    "{provider} refunds a payment only whole (¥{} of it is left to refund)",
                    left.value()
                ))));
            }
            Err(PlanRefused::TooMuch) => {
                let left = detail.sale.refundable();
                return Err(EngineError::Journal(regi_journal::JournalError::Refused(
                    match amount {
                        Some(asked) => format!(
                            "a refund of sale {sale_id} must be between ¥1 and the ¥{} not yet \
                             refunded (got {asked})",
                            left.value()
                        ),
                        None => format!("sale {sale_id} has nothing left to refund"),
                    },
                )));
            }
        };
        let mut last = RefundDone::Unknown;
        for part in plan {
            let reason_owned = reason.to_string();
            let link = RefundLink {
                return_id: None,
                cash_back: part.cash_back,
            };
            let started = self
                .journal
                .call(move |j| {
                    j.begin_linked_refund(
                        sale_id,
                        Some(part.attempt_id),
                        Some(part.amount),
                        &reason_owned,
                        link,
                    )
                })
                .await?;
            if started.settled {
                tracing::info!(
                    sale_id,
                    refund_id = started.refund_id,
                    amount = started.amount.value(),
                    "cash given back from the drawer"
                );
                last = RefundDone::Refunded {
                    refund_transaction_id: String::new(),
                };
                continue;
            }
            let pending = PendingRefund {
                refund_id: started.refund_id,
                provider: started.provider,
                transaction_id: started.transaction_id,
                request_id: started.request_id,
                reason: reason.to_string(),
                amount: started.amount,
            };
            last = self.drive_refund(&pending, false).await?;
            if !matches!(last, RefundDone::Refunded { .. }) {
                // Refused or unanswered: the tenders after it wait for the clerk.
                return Ok(last);
            }
        }
        Ok(last)
    }

    /// Whether `provider` gives back a part of a payment (cash always does).
    pub fn refunds_in_part(&self, provider: &str) -> bool {
        provider == CASH_PROVIDER
            || self
                .gateways
                .get(provider)
                .is_some_and(|g| g.capabilities().partial_refund)
    }

    /// Sends the refund until a definite answer or until `resolve_for` has passed. `resumed` says
    /// an earlier run may already have sent it.
    pub(super) async fn drive_refund(
        &self,
        pending: &PendingRefund,
        resumed: bool,
    ) -> Result<RefundDone, EngineError> {
        let refund_id = pending.refund_id;
        // A refund of a provider no longer enabled stays pending until it is enabled again.
        let Some(gateway) = self.gateway_of(&pending.provider) else {
            return Ok(RefundDone::Unknown);
        };
        let request = RefundRequest {
            transaction_id: pending.transaction_id.clone(),
            // The journaled amount where the provider refunds by amount; a provider that only
            // refunds whole is only ever asked for all of it.
            amount: gateway
                .capabilities()
                .partial_refund
                .then_some(pending.amount.value()),
            reason: pending.reason.clone(),
            request_id: Uuid::parse_str(&pending.request_id).map_err(|_| {
                EngineError::Gateway(GatewayError::Fatal(
                    "journal request_id is not a UUID".into(),
                ))
            })?,
        };
        let started = Instant::now();
        let mut maybe_sent = resumed;
        loop {
            let result = gateway.refund(&request).await;
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
                    if maybe_sent && refusal.reason == FailReason::AlreadyRefunded =>
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

/// One paid tender's share of a refund.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TenderRefund {
    attempt_id: i64,
    amount: Yen,
    /// From the drawer: the rest of a payment whose provider refunds only whole payments, a
    /// part of which went back in cash already (refunding it whole would give that part twice).
    cash_back: bool,
}

/// Why no set of tenders can give back what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PlanRefused {
    /// More than is left, or nothing is left.
    TooMuch,
    /// Only a part of a tender whose provider refunds only whole payments would do.
    WholeOnly { provider: String, left: Yen },
}

/// Which tenders give back `amount` (`None`: all that is left), latest first. A tender whose
/// provider refunds only whole payments (`partial_ok` says no) gives back all it has left or
/// nothing: a part is taken from the tenders that can give one (cash, or a provider that
/// refunds by amount).
fn refund_plan(
    detail: &SaleDetail,
    amount: Option<Yen>,
    partial_ok: impl Fn(&str) -> bool,
) -> Result<Vec<TenderRefund>, PlanRefused> {
    let mut wanted = amount.map(Yen::value);
    let mut plan = Vec::new();
    let mut whole_only: Option<(String, Yen)> = None;
    for attempt in detail.attempts.iter().rev() {
        if !matches!(attempt.state, AttemptState::Paid { .. }) {
            continue;
        }
        let paid = attempt
            .capture_amount
            .map_or(attempt.amount.value().abs(), Yen::value);
        let given_back: i64 = detail
            .refunds
            .iter()
            .filter(|r| r.attempt_id == attempt.id && r.state == RefundState::Done)
            .map(|r| r.amount.value())
            .sum();
        let left = paid - given_back;
        if left <= 0 {
            continue;
        }
        let rest_of_whole_only = left < paid
            && attempt.method != regi_core::domain::PaymentMethod::Cash
            && !partial_ok(&attempt.provider);
        let take = match wanted {
            None => left,
            Some(w) if rest_of_whole_only => w.min(left),
            Some(0) => break,
            Some(w) if left <= w || partial_ok(&attempt.provider) => w.min(left),
            Some(_) => {
                whole_only.get_or_insert((attempt.provider.clone(), Yen(left)));
                continue;
            }
        };
        plan.push(TenderRefund {
            attempt_id: attempt.id,
            amount: Yen(take),
            cash_back: rest_of_whole_only,
        });
        if let Some(w) = wanted.as_mut() {
            *w -= take;
        }
    }
    match (wanted, whole_only) {
        (Some(w), Some((provider, left))) if w > 0 => {
            Err(PlanRefused::WholeOnly { provider, left })
        }
        (Some(w), None) if w > 0 => Err(PlanRefused::TooMuch),
        _ if plan.is_empty() => Err(PlanRefused::TooMuch),
        _ => Ok(plan),
    }
}

/// A journaled refund on its way to the provider: begun now, or left pending by an earlier run.
pub(super) struct PendingRefund {
    pub refund_id: i64,
    pub provider: String,
    pub transaction_id: String,
    pub request_id: String,
    pub reason: String,
    pub amount: Yen,
}

impl From<UnresolvedRefund> for PendingRefund {
    fn from(refund: UnresolvedRefund) -> Self {
        Self {
            refund_id: refund.refund_id,
            provider: refund.provider,
            transaction_id: refund.transaction_id,
            request_id: refund.request_id,
            reason: refund.reason,
            amount: refund.amount,
        }
    }
}
