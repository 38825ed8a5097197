//! X and Z report figures as plain data, and their text rendering for the terminal or a
//! receipt-width printout. The journal computes them; the app and receipts show them.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use super::time::local_time;
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

/// Pads by terminal columns, so full-width Japanese labels line up.
fn pad_to_width(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

fn pad_left_to_width(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{}{text}", " ".repeat(fill))
}

fn method_label(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::MerchantQr => "QR提示",
        PaymentMethod::HostedPage => "決済ページ",
        PaymentMethod::CustomerCode => "コード読取",
        PaymentMethod::Tab => "ツケ払い",
        PaymentMethod::Cash => "現金",
    }
}

impl Report {
    /// A plain-text rendering for the terminal or a receipt-width printout.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let title = match self.kind {
            ReportKind::X => "X レポート（点検）",
            ReportKind::Z => "Z レポート（精算）",
        };
        let row = |out: &mut String, label: &str, count: Option<i64>, amount: Yen| {
            let count = count.map(|c| format!("{c}件")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{} {amount:>12}",
                pad_to_width(label, 20),
                pad_left_to_width(&count, 7)
            );
        };
        let _ = writeln!(out, "{title}");
        let _ = writeln!(out, "営業日 #{}", self.business_day_id);
        let _ = writeln!(
            out,
            "開始 {}",
            local_time(&self.opened_at, "%Y-%m-%d %H:%M")
        );
        let _ = writeln!(
            out,
            "作成 {}",
            local_time(&self.generated_at, "%Y-%m-%d %H:%M")
        );
        if let (Some(first), Some(last)) = (self.first_receipt_no, self.last_receipt_no) {
            let _ = writeln!(out, "レシート No.{first}〜{last}");
        }
        let _ = writeln!(out, "\n売上");
        row(
            &mut out,
            "合計",
            Some(self.payments.count),
            self.payments.amount,
        );
        for m in &self.payments_by_method {
            row(&mut out, method_label(m.method), Some(m.count), m.amount);
        }
        for p in providers_shown(&self.payments_by_provider) {
            row(&mut out, &p.provider, Some(p.count), p.amount);
            for m in &p.by_money_name {
                row(
                    &mut out,
                    &format!("  {}", m.money_name),
                    Some(m.count),
                    m.amount,
                );
            }
        }
        for r in &self.payments_by_rate {
            row(&mut out, &format!("{}対象", r.rate), None, r.taxable);
            row(&mut out, &format!("  内消費税 {}", r.rate), None, r.tax);
        }
        let _ = writeln!(out, "\n返金");
        row(
            &mut out,
            "合計",
            Some(self.refunds.count),
            self.refunds.amount,
        );
        for m in &self.refunds_by_method {
            row(&mut out, method_label(m.method), Some(m.count), m.amount);
        }
        for p in providers_shown(&self.refunds_by_provider) {
            row(&mut out, &p.provider, Some(p.count), p.amount);
            for m in &p.by_money_name {
                row(
                    &mut out,
                    &format!("  {}", m.money_name),
                    Some(m.count),
                    m.amount,
                );
            }
        }
        let _ = writeln!(out);
        row(&mut out, "純売上", None, self.net_sales);
        let _ = writeln!(out, "\nチャージ");
        row(
            &mut out,
            "合計",
            Some(self.topups.count),
            self.topups.amount,
        );
        for m in &self.topups_by_method {
            row(&mut out, method_label(m.method), Some(m.count), m.amount);
        }
        row(
            &mut out,
            "チャージ取消",
            Some(self.topup_refunds.count),
            self.topup_refunds.amount,
        );
        row(&mut out, "純チャージ", None, self.net_topups);
        let _ = writeln!(
            out,
            "\n決済失敗 {}件 / 期限切れ {}件 / 取消 {}件 / 中止 {}件",
            self.failed_attempts, self.expired_attempts, self.cancelled_attempts, self.voided_sales
        );
        if self.unresolved_attempts > 0 {
            let _ = writeln!(out, "未確定の決済 {}件", self.unresolved_attempts);
        }
        out
    }
}
