//! A journaled return of lines (返品): the lines and quantities given back and what each tax
//! rate gave back for them, so a later return knows what is left and a slip can list them.

use crate::domain::{AttemptState, PaymentMethod, ReturnedLine, SoldLine, TaxSummary, Yen};

use super::sales::{LineRecord, RefundState, SaleDetail};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRecord {
    pub id: i64,
    pub sale_id: i64,
    pub reason: String,
    /// Each rate's part of the refund, its tax in it.
    pub tax: TaxSummary,
    pub lines: Vec<ReturnedLine>,
    pub created_at: String,
}

impl ReturnRecord {
    pub fn total(&self) -> Yen {
        Yen(self.tax.standard.taxable_total.value() + self.tax.reduced.taxable_total.value())
    }
}

impl LineRecord {
    /// The line as a return reads it.
    pub fn sold(&self) -> SoldLine {
        SoldLine {
            line_no: self.line_no,
            quantity: self.quantity,
            rate: self.tax_rate,
            amount: self.amount,
        }
    }
}

impl SaleDetail {
    /// The lines already given back: those of every return some refund of which did not fail
    /// (a return whose refunds were all refused, or never begun because the register stopped
    /// first, gave nothing back).
    pub fn returned_lines(&self) -> Vec<ReturnedLine> {
        self.returns
            .iter()
            .filter(|ret| {
                self.refunds
                    .iter()
                    .any(|r| r.return_id == Some(ret.id) && r.state != RefundState::Failed)
            })
            .flat_map(|ret| ret.lines.iter().copied())
            .collect()
    }

    /// How many of line `line_no` are already given back.
    pub fn returned_of(&self, line_no: i64) -> i64 {
        self.returned_lines()
            .iter()
            .filter(|l| l.line_no == line_no)
            .map(|l| l.quantity)
            .sum()
    }
}

/// One paid tender's part of a return's refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderPart {
    pub attempt_id: i64,
    pub provider: String,
    pub method: PaymentMethod,
    pub amount: Yen,
    /// Given back in cash from the drawer: the tender's provider refunds only whole payments
    /// and this is less than all it paid.
    pub cash_back: bool,
}

impl SaleDetail {
    /// Which tenders give back `amount` yen of a return, latest first: cash from the drawer,
    /// a provider that refunds by amount (`partial_ok`) through it, and a part of a payment
    /// whose provider refunds only whole payments in cash from the drawer (refunding it whole
    /// would give back more than was returned). `None` when the tenders have less left.
    pub fn return_tenders(
        &self,
        amount: Yen,
        partial_ok: impl Fn(&str) -> bool,
    ) -> Option<Vec<TenderPart>> {
        let mut wanted = amount.value();
        let mut parts = Vec::new();
        for attempt in self.attempts.iter().rev() {
            if wanted <= 0 {
                break;
            }
            if !matches!(attempt.state, AttemptState::Paid { .. }) {
                continue;
            }
            let paid = attempt
                .capture_amount
                .map_or(attempt.amount.value().abs(), Yen::value);
            let given_back: i64 = self
                .refunds
                .iter()
                .filter(|r| r.attempt_id == attempt.id && r.state != RefundState::Failed)
                .map(|r| r.amount.value())
                .sum();
            let take = wanted.min(paid - given_back);
            if take <= 0 {
                continue;
            }
            let whole_only =
                attempt.method != PaymentMethod::Cash && !partial_ok(&attempt.provider);
            parts.push(TenderPart {
                attempt_id: attempt.id,
                provider: attempt.provider.clone(),
                method: attempt.method,
                amount: Yen(take),
                cash_back: whole_only && take < paid,
            });
            wanted -= take;
        }
        (wanted <= 0 && !parts.is_empty()).then_some(parts)
    }
}
