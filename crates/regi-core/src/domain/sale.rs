//! A sale ready to be paid: its kind, lines, tax and total, fixed at checkout.

use serde::{Deserialize, Serialize};

use super::cart::SaleLine;
use super::money::{AmountError, AmountGuard, Yen};
use super::tax::{TaxPolicy, TaxSummary};

/// A payment for goods, or a top-up (チャージ) of the customer's electronic money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SaleKind {
    Payment,
    Topup,
}

impl SaleKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            SaleKind::Payment => "payment",
            SaleKind::Topup => "topup",
        }
    }

    pub fn parse(text: &str) -> Option<SaleKind> {
        match text {
            "payment" => Some(SaleKind::Payment),
            "topup" => Some(SaleKind::Topup),
            _ => None,
        }
    }
}

/// The immutable result of checkout: what the journal records and the payment charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleDraft {
    pub kind: SaleKind,
    /// Empty for a top-up.
    pub lines: Vec<SaleLine>,
    /// All zero for a top-up: consumption tax does not apply to loading electronic money.
    pub tax: TaxSummary,
    pub policy: TaxPolicy,
    /// What the customer pays (payment) or loads (top-up); always positive.
    pub total: Yen,
    /// Lines whose price the clerk overrode, journaled with the price replaced.
    pub price_overrides: Vec<super::line_adjustments::PriceOverride>,
}

impl SaleDraft {
    /// A top-up of `amount`, within the clerk's guard.
    pub fn topup(amount: Yen, guard: &AmountGuard, policy: TaxPolicy) -> Result<Self, AmountError> {
        let total = guard.check(amount)?;
        Ok(SaleDraft {
            kind: SaleKind::Topup,
            lines: Vec::new(),
            tax: TaxSummary::default(),
            policy,
            total,
            price_overrides: Vec::new(),
        })
    }

    /// The signed amount as providers take it: negative for a payment, positive for a top-up.
    pub fn api_amount(&self) -> Yen {
        match self.kind {
            // total is positive and bounded by the guard, so negation cannot overflow.
            SaleKind::Payment => Yen(-self.total.value()),
            SaleKind::Topup => self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topup_has_no_tax_and_a_positive_api_amount() {
        let guard = AmountGuard::new(Yen(50_000));
        let draft = SaleDraft::topup(Yen(3_000), &guard, TaxPolicy::default()).unwrap();
        assert_eq!(draft.kind, SaleKind::Topup);
        assert!(draft.lines.is_empty());
        assert_eq!(draft.tax, TaxSummary::default());
        assert_eq!(draft.api_amount(), Yen(3_000));
    }

    #[test]
    fn topup_respects_the_guard() {
        let guard = AmountGuard::new(Yen(50_000));
        assert!(SaleDraft::topup(Yen(50_001), &guard, TaxPolicy::default()).is_err());
        assert!(SaleDraft::topup(Yen(0), &guard, TaxPolicy::default()).is_err());
    }

    #[test]
    fn kind_words_round_trip() {
        for kind in [SaleKind::Payment, SaleKind::Topup] {
            assert_eq!(SaleKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SaleKind::parse("refund"), None);
    }
}
