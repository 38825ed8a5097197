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
    /// What the voided sales came to. (Z reports stored before it existed read as ¥0.)
    #[serde(default)]
    pub voided_amount: Yen,
    /// Always 0 in a Z report: a day with open outcomes cannot be closed.
    pub unresolved_attempts: i64,
    /// The drawer's cash. (Z reports stored before it existed read as all zero, not counted.)
    #[serde(default)]
    pub cash: CashSummary,
    /// Subtotal discounts given on the paid sales: how many sales had one, and the yen taken off.
    /// (Z reports stored before it existed read as none.)
    #[serde(default)]
    pub discounts: Totals,
    /// Paid payment sales per hour of shop time, in the order the hours came; hours with no
    /// sale are left out. (Z reports stored before it existed read as empty.)
    #[serde(default)]
    pub sales_by_hour: Vec<HourTotals>,
}

/// What was sold in one hour of the business day, by the shop's clock (Asia/Tokyo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourTotals {
    /// 0–23.
    pub hour: u8,
    pub count: i64,
    pub amount: Yen,
}

/// What a bar of the sales-by-hour chart stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HourMeasure {
    #[default]
    Yen,
    Count,
}

/// One bar per hour from the first hour with a sale to the last, the hours between with none
/// at 0, so the chart reads as a clock. Each bar is its hour (0–23) and its count or yen.
pub fn hour_bars(by_hour: &[HourTotals], measure: HourMeasure) -> Vec<(u8, u64)> {
    let mut bars: Vec<(u8, u64)> = Vec::new();
    for h in by_hour {
        // A day that runs past midnight goes on 23, 0, 1…: the gap is counted on the clock.
        if let Some(&(last, _)) = bars.last() {
            let mut next = (last + 1) % 24;
            while next != h.hour && bars.len() < 24 {
                bars.push((next, 0));
                next = (next + 1) % 24;
            }
        }
        let value = match measure {
            HourMeasure::Yen => h.amount.value(),
            HourMeasure::Count => h.count,
        };
        bars.push((h.hour, u64::try_from(value).unwrap_or(0)));
    }
    bars
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hour(hour: u8, count: i64, amount: i64) -> HourTotals {
        HourTotals {
            hour,
            count,
            amount: Yen(amount),
        }
    }

    #[test]
    fn hours_without_sales_between_sold_hours_show_as_empty_bars() {
        let by_hour = [hour(9, 2, 1500), hour(12, 1, 800)];
        assert_eq!(
            hour_bars(&by_hour, HourMeasure::Yen),
            vec![(9, 1500), (10, 0), (11, 0), (12, 800)]
        );
        assert_eq!(
            hour_bars(&by_hour, HourMeasure::Count),
            vec![(9, 2), (10, 0), (11, 0), (12, 1)]
        );
    }

    #[test]
    fn a_day_past_midnight_keeps_the_clock_order() {
        let by_hour = [hour(22, 1, 100), hour(1, 1, 300)];
        assert_eq!(
            hour_bars(&by_hour, HourMeasure::Yen),
            vec![(22, 100), (23, 0), (0, 0), (1, 300)]
        );
    }

    #[test]
    fn refunds_leave_no_negative_bar() {
        assert_eq!(
            hour_bars(&[hour(10, 1, -5)], HourMeasure::Yen),
            vec![(10, 0)]
        );
    }
}
