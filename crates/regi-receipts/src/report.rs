//! X (点検) and Z (精算) reports on paper.

use chrono::{DateTime, Utc};

use super::header::{store_header, terminal_info};
use regi_config::Config;
use regi_core::domain::{PaymentMethod, Yen};
use regi_core::lang::Lang;
use regi_core::records::{
    CashSummary, CashWords, ProviderTotals, provider_label, providers_shown, signed_yen,
};
use regi_journal::{
    MethodTotals, RateTotals, Report, ReportKind, Totals, local_time, parse_timestamp,
};
use regi_printer::receipt::{ReceiptDoc, ReceiptKind, ReportRow};

use super::printing::{PrintOutcome, PrintReport, preview, render};
use super::queue::job_kind_name;
use super::service::queue_and_flush_bytes;
use regi_journal::JournalHandle;
use regi_printer::spool::JobKind;

/// Marks a slip can carry besides its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlipMarks {
    /// From the training journal: stamped as not valid.
    pub training: bool,
    /// Printed again from history (再発行).
    pub reprint: bool,
}

/// The report as a slip. Labels are Japanese unless the configured printer has no Kanji font.
pub fn report_slip(report: &Report, config: &Config, marks: SlipMarks) -> ReceiptDoc {
    let kanji = config
        .printer
        .resolved_profile()
        .map(|p| p.kanji)
        .unwrap_or(true);
    let words = if kanji { &JA } else { &EN };
    let lang = if kanji { Lang::Ja } else { Lang::En };
    let (kind, prefix) = match report.kind {
        ReportKind::X => (ReceiptKind::XReport, "X"),
        ReportKind::Z => (ReceiptKind::ZReport, "Z"),
    };
    ReceiptDoc {
        store: store_header(config),
        terminal: terminal_info(config, ""),
        receipt_number: format!("{prefix}-{:04}", report.business_day_id),
        // A report whose time cannot be read is still worth printing; the epoch marks the gap.
        issued_at: parse_timestamp(&report.generated_at).unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        kind,
        training: marks.training,
        reprint: marks.reprint,
        lines: Vec::new(),
        tax_included: true,
        rate_summaries: Vec::new(),
        total: report.net_sales.value(),
        tenders: Vec::new(),
        receipt_code: None,
        report_rows: {
            let mut rows = rows(report, words, lang);
            cash_rows(&mut rows, CashWords::of(lang), &report.cash);
            rows
        },
    }
}

struct Words {
    day: &'static str,
    opened: &'static str,
    receipts: &'static str,
    sales: &'static str,
    refunds: &'static str,
    net_sales: &'static str,
    discounts: &'static str,
    topups: &'static str,
    topup_refunds: &'static str,
    net_topups: &'static str,
    rate_suffix: &'static str,
    tax: &'static str,
    merchant_qr: &'static str,
    hosted_page: &'static str,
    customer_code: &'static str,
    tab: &'static str,
    cash: &'static str,
    count_suffix: &'static str,
    failed: &'static str,
    expired: &'static str,
    cancelled: &'static str,
    voided: &'static str,
    unresolved: &'static str,
}

const JA: Words = Words {
    day: "営業日",
    opened: "開始",
    receipts: "レシート",
    sales: "売上",
    refunds: "返金",
    net_sales: "純売上",
    discounts: "値引",
    topups: "チャージ",
    topup_refunds: "チャージ取消",
    net_topups: "純チャージ",
    rate_suffix: "対象",
    tax: "内消費税",
    merchant_qr: "QR提示",
    hosted_page: "決済ページ",
    customer_code: "コード読取",
    tab: "ツケ払い",
    cash: "現金",
    count_suffix: "件",
    failed: "決済失敗",
    expired: "期限切れ",
    cancelled: "取消",
    voided: "中止",
    unresolved: "未確定の決済",
};

const EN: Words = Words {
    day: "Business day",
    opened: "Opened",
    receipts: "Receipts",
    sales: "Sales",
    refunds: "Refunds",
    net_sales: "Net sales",
    discounts: "Discounts",
    topups: "Top-ups",
    topup_refunds: "Top-up refunds",
    net_topups: "Net top-ups",
    rate_suffix: " items",
    tax: "incl. tax",
    merchant_qr: "QR shown",
    hosted_page: "Payment page",
    customer_code: "Code scanned",
    tab: "Charged to tabs",
    cash: "Cash",
    count_suffix: "",
    failed: "Failed",
    expired: "Expired",
    cancelled: "Cancelled",
    voided: "Voided",
    unresolved: "Unresolved payments",
};

fn rows(report: &Report, w: &Words, lang: Lang) -> Vec<ReportRow> {
    let mut rows = vec![
        ReportRow::new(w.day, format!("#{}", report.business_day_id)),
        ReportRow::new(w.opened, local_time(&report.opened_at, "%Y-%m-%d %H:%M")),
    ];
    if let (Some(first), Some(last)) = (report.first_receipt_no, report.last_receipt_no) {
        rows.push(ReportRow::new(w.receipts, format!("No.{first}-{last}")));
    }
    totals(&mut rows, w, w.sales, report.payments);
    methods(&mut rows, w, &report.payments_by_method);
    providers(&mut rows, w, lang, &report.payments_by_provider);
    if report.discounts.count > 0 {
        rows.push(ReportRow::new(
            format!(
                "  {} {}",
                w.discounts,
                count_text(w, report.discounts.count)
            ),
            Yen(-report.discounts.amount.value()).to_string(),
        ));
    }
    rates(&mut rows, w, &report.payments_by_rate);
    totals(&mut rows, w, w.refunds, report.refunds);
    methods(&mut rows, w, &report.refunds_by_method);
    providers(&mut rows, w, lang, &report.refunds_by_provider);
    rows.push(ReportRow::yen(w.net_sales, report.net_sales.value()));
    totals(&mut rows, w, w.topups, report.topups);
    methods(&mut rows, w, &report.topups_by_method);
    totals(&mut rows, w, w.topup_refunds, report.topup_refunds);
    rows.push(ReportRow::yen(w.net_topups, report.net_topups.value()));
    for (label, count) in [
        (w.failed, report.failed_attempts),
        (w.expired, report.expired_attempts),
        (w.cancelled, report.cancelled_attempts),
    ] {
        rows.push(ReportRow::new(label, count_text(w, count)));
    }
    // Voided sales with what they came to, so a run of voids stands out on the slip.
    let voided = count_text(w, report.voided_sales);
    rows.push(ReportRow::new(
        w.voided,
        if report.voided_sales > 0 {
            format!("{voided} {}", report.voided_amount)
        } else {
            voided
        },
    ));
    if report.unresolved_attempts > 0 {
        rows.push(ReportRow::new(
            w.unresolved,
            count_text(w, report.unresolved_attempts),
        ));
    }
    rows
}

/// The drawer's cash: float, cash sales and refunds, paid-in and out, what the drawer should hold
/// and what the last count found.
pub(crate) fn cash_rows(rows: &mut Vec<ReportRow>, w: &CashWords, cash: &CashSummary) {
    rows.push(ReportRow::new(format!("[{}]", w.title), ""));
    for (label, amount) in [
        (w.float, cash.float),
        (w.sales, cash.sales),
        (w.refunds, cash.refunds),
        (w.paid_in, cash.paid_in),
        (w.paid_out, cash.paid_out),
        (w.expected, cash.expected),
    ] {
        rows.push(ReportRow::new(label, amount.to_string()));
    }
    match (cash.counted, cash.over_short) {
        (Some(counted), Some(over_short)) => {
            rows.push(ReportRow::new(w.counted, counted.to_string()));
            rows.push(ReportRow::new(w.over_short, signed_yen(over_short)));
        }
        _ => rows.push(ReportRow::new(w.counted, w.not_counted)),
    }
}

fn count_text(w: &Words, count: i64) -> String {
    format!("{count}{}", w.count_suffix)
}

fn totals(rows: &mut Vec<ReportRow>, w: &Words, label: &str, totals: Totals) {
    rows.push(ReportRow::new(
        format!("{label} {}", count_text(w, totals.count)),
        totals.amount.to_string(),
    ));
}

fn methods(rows: &mut Vec<ReportRow>, w: &Words, methods: &[MethodTotals]) {
    for m in methods.iter().filter(|m| m.count > 0) {
        let name = match m.method {
            PaymentMethod::MerchantQr => w.merchant_qr,
            PaymentMethod::HostedPage => w.hosted_page,
            PaymentMethod::CustomerCode => w.customer_code,
            PaymentMethod::Tab => w.tab,
            PaymentMethod::Cash => w.cash,
        };
        rows.push(ReportRow::new(
            format!("  {name} {}", count_text(w, m.count)),
            m.amount.to_string(),
        ));
    }
}

/// One row per provider, each with its ways to pay indented under it, when more than one provider
/// took payments that day or one took them more than one way.
fn providers(rows: &mut Vec<ReportRow>, w: &Words, lang: Lang, totals: &[ProviderTotals]) {
    for p in providers_shown(totals) {
        rows.push(ReportRow::new(
            format!(
                "  {} {}",
                provider_label(&p.provider, lang),
                count_text(w, p.count)
            ),
            p.amount.to_string(),
        ));
        for m in &p.by_money_name {
            rows.push(ReportRow::new(
                format!("    {} {}", m.money_name, count_text(w, m.count)),
                m.amount.to_string(),
            ));
        }
    }
}

fn rates(rows: &mut Vec<ReportRow>, w: &Words, rates: &[RateTotals]) {
    for r in rates.iter().filter(|r| r.taxable.value() != 0) {
        rows.push(ReportRow::new(
            format!("  {}{}", r.rate, w.rate_suffix),
            r.taxable.to_string(),
        ));
        rows.push(ReportRow::new(
            format!("    ({}", w.tax),
            format!("{})", r.tax),
        ));
    }
}

/// Prints the slip of a report (queued until the printer takes it), numbered as the CLI numbers
/// it; in training, unless `[printer] print_on_training`, it comes back as text to show.
pub async fn print_report(
    journal: &JournalHandle,
    config: &Config,
    report: &Report,
    training: bool,
) -> PrintReport {
    let doc = report_slip(
        report,
        config,
        SlipMarks {
            training,
            reprint: false,
        },
    );
    let bytes = match render(&doc, &config.printer) {
        Ok(bytes) => bytes,
        Err(err) => return PrintReport::failed(None, err.to_string()),
    };
    if training && !config.printer.print_on_training {
        return match preview(&bytes) {
            Ok(text) => PrintReport {
                job_id: None,
                outcome: PrintOutcome::Preview(text),
                printed_jobs: Vec::new(),
            },
            Err(err) => PrintReport::failed(None, err.to_string()),
        };
    }
    queue_and_flush_bytes(journal, config, None, job_kind_name(JobKind::Report), bytes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::domain::{TaxRate, Yen};
    use regi_core::records::MoneyNameTotals;

    fn report(kind: ReportKind) -> Report {
        Report {
            kind,
            business_day_id: 3,
            opened_at: "2025-01-15T00:00:00.000Z".into(),
            generated_at: "2025-01-15T12:00:00.000Z".into(),
            first_receipt_no: Some(10),
            last_receipt_no: Some(14),
            payments: Totals {
                count: 4,
                amount: Yen(5_000),
            },
            payments_by_method: vec![
                MethodTotals {
                    method: PaymentMethod::MerchantQr,
                    count: 4,
                    amount: Yen(5_000),
                },
                MethodTotals {
                    method: PaymentMethod::CustomerCode,
                    count: 0,
                    amount: Yen(0),
                },
            ],
            payments_by_rate: vec![RateTotals {
                rate: TaxRate::Reduced8,
                taxable: Yen(5_000),
                tax: Yen(370),
            }],
            refunds: Totals {
                count: 1,
                amount: Yen(1_000),
            },
            refunds_by_method: Vec::new(),
            refunds_by_rate: Vec::new(),
            payments_by_provider: Vec::new(),
            refunds_by_provider: Vec::new(),
            net_sales: Yen(4_000),
            topups: Totals::default(),
            topups_by_method: Vec::new(),
            topup_refunds: Totals::default(),
            net_topups: Yen(0),
            failed_attempts: 2,
            expired_attempts: 0,
            cancelled_attempts: 0,
            voided_sales: 0,
            voided_amount: Yen::ZERO,
            unresolved_attempts: 1,
            sales_by_hour: Vec::new(),
            discounts: Totals::default(),
            cash: Default::default(),
        }
    }

    fn row<'a>(doc: &'a ReceiptDoc, label: &str) -> Option<&'a str> {
        doc.report_rows
            .iter()
            .find(|r| r.label == label)
            .map(|r| r.value.as_str())
    }

    #[tokio::test]
    async fn a_z_printed_in_training_comes_back_to_show_with_its_number() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = regi_journal::Journal::open(&dir.path().join("j.sqlite")).expect("journal");
        let (handle, writer) = JournalHandle::spawn(journal).expect("writer");
        let printed = print_report(&handle, &Config::default(), &report(ReportKind::Z), true).await;
        let PrintOutcome::Preview(text) = printed.outcome else {
            panic!("expected a preview, got {:?}", printed.outcome);
        };
        assert!(text.contains("Z-0003"), "{text}");
        drop(handle);
        writer.join().expect("writer stops");
    }

    #[test]
    fn z_report_rows_carry_the_totals() {
        let doc = report_slip(
            &report(ReportKind::Z),
            &Config::default(),
            SlipMarks::default(),
        );
        assert_eq!(doc.kind, ReceiptKind::ZReport);
        assert_eq!(doc.receipt_number, "Z-0003");
        assert_eq!(row(&doc, "売上 4件"), Some("¥5,000"));
        assert_eq!(row(&doc, "  QR提示 4件"), Some("¥5,000"));
        assert_eq!(row(&doc, "  コード読取 0件"), None);
        assert_eq!(row(&doc, "  8%対象"), Some("¥5,000"));
        assert_eq!(row(&doc, "純売上"), Some("¥4,000"));
        assert_eq!(row(&doc, "決済失敗"), Some("2件"));
        assert_eq!(row(&doc, "未確定の決済"), Some("1件"));
        assert_eq!(row(&doc, "レシート"), Some("No.10-14"));
    }

    fn provider(name: &str, ways: &[(&str, i64, i64)]) -> ProviderTotals {
        ProviderTotals {
            provider: name.into(),
            count: ways.iter().map(|w| w.1).sum(),
            amount: Yen(ways.iter().map(|w| w.2).sum()),
            by_money_name: ways
                .iter()
                .map(|&(money_name, count, amount)| MoneyNameTotals {
                    money_name: money_name.into(),
                    count,
                    amount: Yen(amount),
                })
                .collect(),
        }
    }

    fn labels(doc: &ReceiptDoc) -> Vec<&str> {
        doc.report_rows.iter().map(|r| r.label.as_str()).collect()
    }

    #[test]
    fn each_way_to_pay_is_printed_under_its_provider() {
        let mut report = report(ReportKind::Z);
        report.payments_by_provider = vec![provider(
            "provider-a",
            &[("PayPay", 3, 4_000), ("LINE Pay", 1, 1_000)],
        )];
        report.refunds_by_provider = vec![
            provider("provider-a", &[("PayPay", 1, 600)]),
            provider("provider-b", &[("d払い", 1, 400)]),
        ];
        let doc = report_slip(&report, &Config::default(), SlipMarks::default());
        assert_eq!(row(&doc, "    PayPay 3件"), Some("¥4,000"));
        assert_eq!(row(&doc, "    LINE Pay 1件"), Some("¥1,000"));
        let labels = labels(&doc);
        let provider_a = labels
            .iter()
            .position(|l| *l == "  provider-a 4件")
            .unwrap();
        assert_eq!(labels[provider_a + 1], "    PayPay 3件");
        // Refunds: two providers, so each shows its way to pay though each has only one.
        let provider_b = labels
            .iter()
            .position(|l| *l == "  provider-b 1件")
            .unwrap();
        assert_eq!(labels[provider_b + 1], "    d払い 1件");
        assert_eq!(labels[provider_b - 1], "    PayPay 1件");
    }

    #[test]
    fn one_provider_paid_one_way_prints_no_breakdown() {
        let mut report = report(ReportKind::X);
        report.payments_by_provider = vec![provider("provider-a", &[("PayPay", 4, 5_000)])];
        let doc = report_slip(&report, &Config::default(), SlipMarks::default());
        assert!(
            !labels(&doc)
                .iter()
                .any(|l| l.contains("provider-a") || l.contains("PayPay")),
            "{:?}",
            labels(&doc)
        );
    }

    #[test]
    fn the_cash_section_prints_expected_counted_and_over_short() {
        let mut report = report(ReportKind::Z);
        report.cash = CashSummary {
            float: Yen(10_000),
            sales: Yen(2_234),
            expected: Yen(12_234),
            counted: Some(Yen(12_334)),
            over_short: Some(Yen(100)),
            ..CashSummary::default()
        };
        let doc = report_slip(&report, &Config::default(), SlipMarks::default());
        assert_eq!(row(&doc, "釣銭準備金"), Some("¥10,000"));
        assert_eq!(row(&doc, "現金在高（理論）"), Some("¥12,234"));
        assert_eq!(row(&doc, "現金在高（実査）"), Some("¥12,334"));
        assert_eq!(row(&doc, "過不足"), Some("+¥100"));
        let mut config = Config::default();
        config.printer.profile = "generic".into();
        report.cash.counted = None;
        report.cash.over_short = None;
        let doc = report_slip(&report, &config, SlipMarks::default());
        assert_eq!(row(&doc, "Expected in drawer"), Some("¥12,234"));
        assert_eq!(row(&doc, "Counted"), Some("Not counted"));
    }

    #[test]
    fn ascii_printers_get_english_rows_and_marks_pass_through() {
        let mut config = Config::default();
        config.printer.profile = "generic".into();
        let marks = SlipMarks {
            training: true,
            reprint: true,
        };
        let doc = report_slip(&report(ReportKind::X), &config, marks);
        assert_eq!(doc.kind, ReceiptKind::XReport);
        assert_eq!(row(&doc, "Net sales"), Some("¥4,000"));
        assert!(doc.training && doc.reprint);
    }
}
