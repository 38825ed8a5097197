//! Returns of lines: the return is journaled with what each rate gives back, then its money is
//! refunded tender by tender. A part of a payment whose provider refunds only whole payments
//! (Pokepay) is not refunded through it: that part goes back in cash from the drawer,
//! journaled as such, and the payment stays with the customer's wallet untouched.

use super::refund::PendingRefund;
use super::{Engine, EngineError};
use regi_core::domain::ReturnedLine;
use regi_core::payment::RefundDone;
use regi_journal::{JournalError, RefundLink, ReturnRecord, TenderPart};

/// How a return ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDone {
    pub record: ReturnRecord,
    /// Each tender's part, in the order they were given back.
    pub parts: Vec<TenderPart>,
    /// The last part's outcome: refunded, or the part that was refused or is not answered yet
    /// (the parts after it were not begun).
    pub outcome: RefundDone,
}

impl Engine {
    /// Returns `lines` of a paid sale: journals the return with its amount per rate, then
    /// gives the money back, each tender by its own means.
    pub async fn return_lines(
        &self,
        sale_id: i64,
        lines: Vec<ReturnedLine>,
        reason: &str,
    ) -> Result<ReturnDone, EngineError> {
        let reason_owned = reason.to_string();
        let record = self
            .journal
            .call(move |j| j.begin_return(sale_id, &lines, &reason_owned))
            .await?;
        let detail = self.journal.call(move |j| j.sale(sale_id)).await?;
        let parts = detail
            .return_tenders(record.total(), |p| self.refunds_in_part(p))
            .ok_or_else(|| {
                EngineError::Journal(JournalError::Refused(format!(
                    "the tenders of sale {sale_id} have less than {} left to give back",
                    record.total()
                )))
            })?;
        let mut outcome = RefundDone::Unknown;
        for part in &parts {
            let reason_owned = reason.to_string();
            let (attempt_id, amount) = (part.attempt_id, part.amount);
            let link = RefundLink {
                return_id: Some(record.id),
                cash_back: part.cash_back,
            };
            let started = self
                .journal
                .call(move |j| {
                    j.begin_linked_refund(
                        sale_id,
                        Some(attempt_id),
                        Some(amount),
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
                    cash_back = part.cash_back,
                    "returned goods' money given back from the drawer"
                );
                outcome = RefundDone::Refunded {
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
            outcome = self.drive_refund(&pending, false).await?;
            if !matches!(outcome, RefundDone::Refunded { .. }) {
                break;
            }
        }
        Ok(ReturnDone {
            record,
            parts,
            outcome,
        })
    }
}
