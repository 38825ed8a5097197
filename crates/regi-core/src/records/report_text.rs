//! The X and Z reports as plain text for the terminal (`regi report`), in Japanese or English:
//! the sales per tender, refunds, top-ups, and the drawer's cash with its last count.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use super::drawer::CashSummary;
use super::report::{Report, ReportKind, provider_label, providers_shown};
use super::time::local_time;
use crate::domain::{PaymentMethod, Yen};
use crate::lang::Lang;

/// Every label of the text report in one language.
struct Words {
    x_title: &'static str,
    z_title: &'static str,
    day: &'static str,
    opened: &'static str,
    generated: &'static str,
    receipts: &'static str,
    sales: &'static str,
    total: &'static str,
    refunds: &'static str,
    net_sales: &'static str,
    discounts: &'static str,
    topups: &'static str,
    topup_refunds: &'static str,
    net_topups: &'static str,
    taxable: fn(&str) -> String,
    tax: fn(&str) -> String,
    count: fn(i64) -> String,
    outcomes: fn(&Report) -> String,
    unresolved: fn(i64) -> String,
    methods: [&'static str; 5],
    cash: CashWords,
}

/// The labels of the drawer's cash, shared with the printed reports and the till.
pub struct CashWords {
    pub title: &'static str,
    pub float: &'static str,
    pub received: &'static str,
    pub change: &'static str,
    pub sales: &'static str,
    pub refunds: &'static str,
    pub paid_in: &'static str,
    pub paid_out: &'static str,
    pub expected: &'static str,
    pub counted: &'static str,
    pub over_short: &'static str,
    pub not_counted: &'static str,
}

pub const CASH_JA: CashWords = CashWords {
    title: "現金",
    float: "釣銭準備金",
    received: "お預かり",
    change: "お釣り",
    sales: "現金売上",
    refunds: "現金返金",
    paid_in: "入金",
    paid_out: "出金",
    expected: "現金在高（理論）",
    counted: "現金在高（実査）",
    over_short: "過不足",
    not_counted: "未精算",
};

pub const CASH_EN: CashWords = CashWords {
    title: "Cash",
    float: "Opening float",
    received: "Received",
    change: "Change",
    sales: "Cash sales",
    refunds: "Cash refunds",
    paid_in: "Paid in",
    paid_out: "Paid out",
    expected: "Expected in drawer",
    counted: "Counted",
    over_short: "Over/short",
    not_counted: "Not counted",
};

impl CashWords {
    pub fn of(lang: Lang) -> &'static CashWords {
        match lang {
            Lang::Ja => &CASH_JA,
            Lang::En => &CASH_EN,
        }
    }
}

/// `+¥120` over, `-¥120` short, `¥0` even.
pub fn signed_yen(amount: Yen) -> String {
    if amount.is_positive() {
        format!("+{amount}")
    } else {
        amount.to_string()
    }
}

const JA: Words = Words {
    x_title: "X レポート（点検）",
    z_title: "Z レポート（精算）",
    day: "営業日",
    opened: "開始",
    generated: "作成",
    receipts: "レシート",
    sales: "売上",
    total: "合計",
    refunds: "返金",
    net_sales: "純売上",
    discounts: "値引",
    topups: "チャージ",
    topup_refunds: "チャージ取消",
    net_topups: "純チャージ",
    taxable: |rate| format!("{rate}対象"),
    tax: |rate| format!("  内消費税 {rate}"),
    count: |c| format!("{c}件"),
    outcomes: |r| {
        format!(
            "決済失敗 {}件 / 期限切れ {}件 / 取消 {}件 / 中止 {}件 ({})",
            r.failed_attempts,
            r.expired_attempts,
            r.cancelled_attempts,
            r.voided_sales,
            r.voided_amount
        )
    },
    unresolved: |c| format!("未確定の決済 {c}件"),
    methods: ["QR提示", "決済ページ", "コード読取", "ツケ払い", "現金"],
    cash: CASH_JA,
};

const EN: Words = Words {
    x_title: "X report (reading)",
    z_title: "Z report (closing)",
    day: "Business day",
    opened: "Opened",
    generated: "Made",
    receipts: "Receipts",
    sales: "Sales",
    total: "Total",
    refunds: "Refunds",
    net_sales: "Net sales",
    discounts: "Discounts",
    topups: "Top-ups",
    topup_refunds: "Top-up refunds",
    net_topups: "Net top-ups",
    taxable: |rate| format!("{rate} items"),
    tax: |rate| format!("  incl. tax {rate}"),
    count: |c| format!("×{c}"),
    outcomes: |r| {
        format!(
            "Failed {} / Expired {} / Cancelled {} / Voided {} ({})",
            r.failed_attempts,
            r.expired_attempts,
            r.cancelled_attempts,
            r.voided_sales,
            r.voided_amount
        )
    },
    unresolved: |c| format!("Unresolved payments: {c}"),
    methods: [
        "QR shown",
        "Payment page",
        "Code scanned",
        "Charged to tabs",
        "Cash",
    ],
    cash: CASH_EN,
};

fn method_label(w: &Words, method: PaymentMethod) -> &'static str {
    let at = match method {
        PaymentMethod::MerchantQr => 0,
        PaymentMethod::HostedPage => 1,
        PaymentMethod::CustomerCode => 2,
        PaymentMethod::Tab => 3,
        PaymentMethod::Cash => 4,
    };
    w.methods[at]
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

fn row_text(out: &mut String, label: &str, count: &str, amount: &str) {
    let _ = writeln!(
        out,
        "  {}{} {amount:>12}",
        pad_to_width(label, 20),
        pad_left_to_width(count, 7)
    );
}

impl Report {
    /// The report as text in Japanese, for the terminal or a receipt-width printout.
    pub fn to_text(&self) -> String {
        self.to_text_in(Lang::Ja)
    }

    /// The report as text in `lang`.
    pub fn to_text_in(&self, lang: Lang) -> String {
        let w = match lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        };
        let mut out = String::new();
        let title = match self.kind {
            ReportKind::X => w.x_title,
            ReportKind::Z => w.z_title,
        };
        let row = |out: &mut String, label: &str, count: Option<i64>, amount: Yen| {
            let count = count.map(w.count).unwrap_or_default();
            row_text(out, label, &count, &amount.to_string());
        };
        let _ = writeln!(out, "{title}");
        let _ = writeln!(out, "{} #{}", w.day, self.business_day_id);
        let _ = writeln!(
            out,
            "{} {}",
            w.opened,
            local_time(&self.opened_at, "%Y-%m-%d %H:%M")
        );
        let _ = writeln!(
            out,
            "{} {}",
            w.generated,
            local_time(&self.generated_at, "%Y-%m-%d %H:%M")
        );
        if let (Some(first), Some(last)) = (self.first_receipt_no, self.last_receipt_no) {
            let _ = writeln!(out, "{} No.{first}〜{last}", w.receipts);
        }
        for (title, totals, methods, providers) in [
            (
                w.sales,
                self.payments,
                &self.payments_by_method,
                &self.payments_by_provider,
            ),
            (
                w.refunds,
                self.refunds,
                &self.refunds_by_method,
                &self.refunds_by_provider,
            ),
        ] {
            let _ = writeln!(out, "\n{title}");
            row(&mut out, w.total, Some(totals.count), totals.amount);
            for m in methods {
                row(&mut out, method_label(w, m.method), Some(m.count), m.amount);
            }
            for p in providers_shown(providers) {
                row(
                    &mut out,
                    provider_label(&p.provider, lang),
                    Some(p.count),
                    p.amount,
                );
                for m in &p.by_money_name {
                    row(
                        &mut out,
                        &format!("  {}", m.money_name),
                        Some(m.count),
                        m.amount,
                    );
                }
            }
            if title == w.sales {
                if self.discounts.count > 0 {
                    row(
                        &mut out,
                        w.discounts,
                        Some(self.discounts.count),
                        Yen(-self.discounts.amount.value()),
                    );
                }
                for r in &self.payments_by_rate {
                    let rate = r.rate.to_string();
                    row(&mut out, &(w.taxable)(&rate), None, r.taxable);
                    row(&mut out, &(w.tax)(&rate), None, r.tax);
                }
            }
        }
        let _ = writeln!(out);
        row(&mut out, w.net_sales, None, self.net_sales);
        let _ = writeln!(out, "\n{}", w.topups);
        row(
            &mut out,
            w.total,
            Some(self.topups.count),
            self.topups.amount,
        );
        for m in &self.topups_by_method {
            row(&mut out, method_label(w, m.method), Some(m.count), m.amount);
        }
        row(
            &mut out,
            w.topup_refunds,
            Some(self.topup_refunds.count),
            self.topup_refunds.amount,
        );
        row(&mut out, w.net_topups, None, self.net_topups);
        write_cash(&mut out, &w.cash, &self.cash);
        let _ = writeln!(out, "\n{}", (w.outcomes)(self));
        if self.unresolved_attempts > 0 {
            let _ = writeln!(out, "{}", (w.unresolved)(self.unresolved_attempts));
        }
        out
    }
}

/// The drawer's cash: where it came from and went, what it should hold, the last count.
fn write_cash(out: &mut String, w: &CashWords, cash: &CashSummary) {
    let _ = writeln!(out, "\n{}", w.title);
    let yen = |out: &mut String, label: &str, amount: Yen| {
        row_text(out, label, "", &amount.to_string());
    };
    yen(out, w.float, cash.float);
    yen(out, w.sales, cash.sales);
    yen(out, &format!("  {}", w.received), cash.received);
    yen(out, &format!("  {}", w.change), cash.change);
    yen(out, w.refunds, cash.refunds);
    yen(out, w.paid_in, cash.paid_in);
    yen(out, w.paid_out, cash.paid_out);
    yen(out, w.expected, cash.expected);
    match (cash.counted, cash.over_short) {
        (Some(counted), Some(over_short)) => {
            yen(out, w.counted, counted);
            row_text(out, w.over_short, "", &signed_yen(over_short));
        }
        _ => row_text(out, w.counted, "", w.not_counted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Totals;

    fn report() -> Report {
        let mut report = crate::app::test_support::report(ReportKind::X);
        report.payments = Totals {
            count: 1,
            amount: Yen(3_000),
        };
        report.cash = CashSummary {
            float: Yen(10_000),
            received: Yen(5_000),
            change: Yen(4_000),
            sales: Yen(1_000),
            expected: Yen(11_000),
            counted: Some(Yen(10_990)),
            over_short: Some(Yen(-10)),
            ..CashSummary::default()
        };
        report
    }

    #[test]
    fn the_cash_section_shows_the_float_expected_and_the_counts_shortage() {
        let text = report().to_text();
        assert!(text.starts_with("X レポート"), "{text}");
        assert!(text.contains("釣銭準備金"), "{text}");
        let expected = text.lines().find(|l| l.contains("理論")).unwrap();
        assert!(expected.contains("¥11,000"), "{text}");
        let over_short = text.lines().find(|l| l.contains("過不足")).unwrap();
        assert!(over_short.ends_with("-¥10"), "{text}");
    }

    #[test]
    fn the_report_reads_in_english_and_an_uncounted_drawer_says_so() {
        let mut report = report();
        report.cash.counted = None;
        report.cash.over_short = None;
        let text = report.to_text_in(Lang::En);
        assert!(text.starts_with("X report"), "{text}");
        assert!(
            text.contains("Opening float") && text.contains("¥10,000"),
            "{text}"
        );
        let counted = text.lines().find(|l| l.contains("Counted")).unwrap();
        assert!(counted.ends_with("Not counted"), "{text}");
        assert!(!text.contains("件"), "{text}");
    }

    #[test]
    fn a_day_paid_part_in_cash_names_the_cash_row_in_the_readers_language() {
        let mut report = report();
        report.payments_by_provider = ["cash", "pokepay"]
            .into_iter()
            .map(|provider| crate::records::ProviderTotals {
                provider: provider.into(),
                count: 1,
                amount: Yen(1_500),
                by_money_name: Vec::new(),
            })
            .collect();
        let ja = report.to_text();
        assert!(
            ja.lines().any(|l| l.trim_start().starts_with("現金")),
            "{ja}"
        );
        assert!(
            !ja.lines().any(|l| l.trim_start().starts_with("cash")),
            "{ja}"
        );
        let en = report.to_text_in(Lang::En);
        assert!(
            en.lines().any(|l| l.trim_start().starts_with("Cash ")),
            "{en}"
        );
    }
}
