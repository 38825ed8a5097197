//! A receipt described as data. The journal's sales and reports are mapped onto this; layout turns it
//! into print operations. Amounts are integer yen.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The store's fixed header and footer, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreHeader {
    pub name: String,
    /// Qualified invoice issuer registration number: `T` and 13 digits.
    pub registration_number: String,
    /// Address lines as they should be printed (postcode first, if any).
    pub address: Vec<String>,
    pub phone: String,
    pub footer: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalInfo {
    /// Shown to people, e.g. `レジ1`.
    pub name: String,
    /// Stable id, e.g. `POS-01`.
    pub id: String,
    /// The member of staff who rang it (担当), when one was signed in.
    #[serde(default)]
    pub staff: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptKind {
    Sale,
    /// A return; carries when the original sale was made.
    Refund {
        original_issued_at: DateTime<Utc>,
    },
    /// Mid-day report (点検), totals not reset.
    XReport,
    /// End-of-day report (精算).
    ZReport,
    /// Money loaded onto a customer's account (チャージ): no sale of goods, so no invoice.
    Topup,
    /// A top-up given back (チャージ取消); carries when the top-up was made.
    TopupCancel {
        original_issued_at: DateTime<Utc>,
    },
    /// A customer's tab closed and billed: every charge, the tax per rate, the total billed.
    TabStatement,
    /// The drawer counted (精算): pieces per denomination, counted, expected, over/short.
    DrawerCount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    pub name: String,
    pub quantity: u32,
    pub unit_price: i64,
    pub amount: i64,
    /// Taxed at the reduced rate (8%); printed with ※.
    pub reduced_rate: bool,
}

/// One tax rate's share of the receipt (10%対象 / 8%対象).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateSummary {
    pub rate_percent: u8,
    /// Amount of the items at this rate (tax included if `ReceiptDoc::tax_included`).
    pub taxable_total: i64,
    pub tax: i64,
}

/// A payment (or its refund) through a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInfo {
    /// e.g. `Pokepay (ポケペイマネー)`.
    pub method_label: String,
    pub transaction_id: String,
    pub amount: i64,
}

/// One tender of a sale, or one tender given back on a refund slip, in the order it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tender {
    /// Paid or refunded through a provider.
    Provider(PaymentInfo),
    /// Cash taken: `amount` is what it paid of the sale, `received` the yen handed over
    /// (お預かり) and `change` what was given back (お釣り).
    Cash {
        amount: i64,
        received: i64,
        change: i64,
    },
    /// Cash given back from the drawer (現金返金).
    CashRefund { amount: i64 },
}

impl Tender {
    /// Cash changed hands for it at the till.
    pub fn is_cash(&self) -> bool {
        matches!(self, Tender::Cash { .. } | Tender::CashRefund { .. })
    }
}

/// A label/value row of an X or Z report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub label: String,
    pub value: String,
}

impl ReportRow {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
        }
    }

    pub fn yen(label: impl Into<String>, amount: i64) -> Self {
        Self::new(label, format_yen(amount))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptDoc {
    pub store: StoreHeader,
    pub terminal: TerminalInfo,
    pub receipt_number: String,
    /// Printed in Asia/Tokyo time.
    pub issued_at: DateTime<Utc>,
    pub kind: ReceiptKind,
    /// Made in training mode: stamped so it cannot pass for a real receipt.
    pub training: bool,
    /// A copy printed again from history (再発行).
    pub reprint: bool,
    pub lines: Vec<ReceiptLine>,
    /// Prices include consumption tax (内税); otherwise tax is added on top (外税).
    pub tax_included: bool,
    pub rate_summaries: Vec<RateSummary>,
    pub total: i64,
    /// How it was paid (or given back), one entry per tender; empty on reports.
    pub tenders: Vec<Tender>,
    /// Put in the QR code and printed under it, to find the sale again (refunds, reprints).
    pub receipt_code: Option<String>,
    /// Body of X/Z reports.
    pub report_rows: Vec<ReportRow>,
}

impl ReceiptDoc {
    pub fn has_reduced_rate_items(&self) -> bool {
        self.lines.iter().any(|l| l.reduced_rate)
    }

    /// The goods sold; a discount line (a negative amount) is not an item.
    pub fn item_count(&self) -> u64 {
        self.lines
            .iter()
            .filter(|l| l.amount >= 0)
            .map(|l| u64::from(l.quantity))
            .sum()
    }

    /// Cash was taken or given back: the drawer is opened by the cash flow itself.
    pub fn has_cash(&self) -> bool {
        self.tenders.iter().any(Tender::is_cash)
    }
}

/// `¥1,234`, `-¥500`.
pub fn format_yen(amount: i64) -> String {
    regi_core::domain::Yen(amount).to_string()
}

/// `T` followed by exactly 13 ASCII digits.
pub fn is_valid_registration_number(number: &str) -> bool {
    number
        .strip_prefix('T')
        .is_some_and(|digits| digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_is_grouped_by_thousands() {
        assert_eq!(format_yen(0), "¥0");
        assert_eq!(format_yen(999), "¥999");
        assert_eq!(format_yen(1_234), "¥1,234");
        assert_eq!(format_yen(1_234_567), "¥1,234,567");
        assert_eq!(format_yen(-500), "-¥500");
        assert_eq!(format_yen(i64::MIN), "-¥9,223,372,036,854,775,808");
    }

    #[test]
    fn registration_number_is_t_and_13_digits() {
        assert!(is_valid_registration_number("T1234567890123"));
        assert!(!is_valid_registration_number("1234567890123"));
        assert!(!is_valid_registration_number("T123456789012"));
        assert!(!is_valid_registration_number("T12345678901２3"));
    }
}
