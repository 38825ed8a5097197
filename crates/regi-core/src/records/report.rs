//! X and Z report figures as plain data. The journal computes them; the app and receipts show
//! them (`report_text` renders them for the terminal).

use serde::{Deserialize, Serialize};

use super::drawer::CashSummary;
use crate::domain::{PaymentMethod, TaxRate, Yen};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    X,
    Z,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub count: i64,
    pub amount: Yen,
}

impl Totals {
    /// Counts one more amount.
    pub fn add(&mut self, amount: i64) {
        self.count += 1;
        self.amount = Yen(self.amount.value().saturating_add(amount));
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodTotals {
    pub method: PaymentMethod,
    pub count: i64,
    pub amount: Yen,
}

/// What one payment provider took (or gave back) in a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderTotals {
    /// As the journal names it (the gateway's `provider()`).
    pub provider: String,
    pub count: i64,
    pub amount: Yen,
    /// Per way to pay within the provider, in the order each was first used that day. An
    /// attempt whose provider named none counts in the provider's row only. (Z reports stored
    /// before this existed read as empty.)
    #[serde(default)]
    pub by_money_name: Vec<MoneyNameTotals>,
}

/// What one way to pay within a provider took, by the name the provider gave it (the wallet, card
/// brand or money the customer chose, e.g. "PayPay").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyNameTotals {
    pub money_name: String,
    pub count: i64,
    pub amount: Yen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTotals {
    pub rate: TaxRate,
    /// Tax-inclusive amount of goods at this rate.
    pub taxable: Yen,
    pub tax: Yen,
}

/// Totals of one business day. Payments and top-ups are kept apart: a top-up is money the
/// customer loads, not a sale of goods, and carries no tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub business_day_id: i64,
    pub opened_at: String,
    /// When the report was made; for a Z report, when the day closed.
    pub generated_at: String,
    pub first_receipt_no: Option<i64>,
    pub last_receipt_no: Option<i64>,
    /// Paid payment sales (including ones refunded later).
    pub payments: Totals,
    /// Per way to pay, each paid tender with its own amount: a sale paid part in cash and part
    /// by QR adds to both.
    pub payments_by_method: Vec<MethodTotals>,
    pub payments_by_rate: Vec<RateTotals>,
    /// Per provider, in the order they first took a payment that day. (Z reports stored before
    /// this existed read as empty.)
    #[serde(default)]
    pub payments_by_provider: Vec<ProviderTotals>,
    /// Payment refunds completed this day.
    pub refunds: Totals,
    pub refunds_by_method: Vec<MethodTotals>,
    pub refunds_by_rate: Vec<RateTotals>,
    #[serde(default)]
    pub refunds_by_provider: Vec<ProviderTotals>,
    /// `payments − refunds`.
    pub net_sales: Yen,
    pub topups: Totals,
    pub topups_by_method: Vec<MethodTotals>,
    pub topup_refunds: Totals,
    pub net_topups: Yen,
    pub failed_attempts: i64,
    pub expired_attempts: i64,
    pub cancelled_attempts: i64,
    pub voided_sales: i64,
    /// Always 0 in a Z report: a day with open outcomes cannot be closed.
    pub unresolved_attempts: i64,
    /// The drawer's cash. (Z reports stored before it existed read as all zero, not counted.)
    #[serde(default)]
    pub cash: CashSummary,
}

/// The per-provider rows worth printing, each with its ways to pay under it: with one provider
/// that took one way to pay they would only repeat the total.
pub fn providers_shown(totals: &[ProviderTotals]) -> &[ProviderTotals] {
    let several_ways = totals.iter().any(|p| p.by_money_name.len() > 1);
    if totals.len() > 1 || several_ways {
        totals
    } else {
        &[]
    }
}

/// How a provider's row is named in a report: as the journal names it, but cash — a tender no
/// provider takes — in the reader's language.
pub fn provider_label(provider: &str, lang: crate::lang::Lang) -> &str {
    match (provider, lang) {
        ("cash", crate::lang::Lang::Ja) => "現金",
        ("cash", crate::lang::Lang::En) => "Cash",
        (other, _) => other,
    }
}
