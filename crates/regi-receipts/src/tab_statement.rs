//! The statement of a closed tab: every sale charged to it with its day, receipt number and
//! amount (and what was refunded of it), the tax per rate of all of them, and the total billed
//! to the card. Printed when the tab is closed; training statements are shown, not printed.

use chrono::Utc;

use super::header::{store_header, terminal_info};
use super::printing::{PrintOutcome, PrintReport, preview, render};
use super::service::queue_and_flush_bytes;
use regi_config::Config;
use regi_core::domain::Yen;
use regi_journal::{JournalHandle, TabCharge, TabRecord, local_time, parse_timestamp};
use regi_printer::receipt::{ReceiptDoc, ReceiptKind, ReportRow};

/// The statement of `tab` with its `charges`.
pub fn tab_statement(
    tab: &TabRecord,
    charges: &[TabCharge],
    config: &Config,
    training: bool,
) -> ReceiptDoc {
    let kanji = config
        .printer
        .resolved_profile()
        .map(|p| p.kanji)
        .unwrap_or(true);
    let (charge_word, refunded_word, rate_word, tax_word, total_word, card_word) = if kanji {
        ("No.", "うち返金", "対象", "内税", "ご請求合計", "カード")
    } else {
        ("No.", "refunded", "taxable", "tax", "Total billed", "Card")
    };
    let mut rows = vec![
        ReportRow::new(
            tab.label.clone(),
            tab.customer_name.clone().unwrap_or_default(),
        ),
        ReportRow::new(card_word, tab.card_masked.clone()),
    ];
    let (mut taxable10, mut tax10, mut taxable8, mut tax8) = (0, 0, 0, 0);
    for c in charges {
        rows.push(ReportRow::new(
            format!(
                "{} {charge_word}{}",
                local_time(&c.at, "%m/%d %H:%M"),
                c.receipt_no
            ),
            c.total.to_string(),
        ));
        let taxes: Vec<String> = [(10, c.standard_tax), (8, c.reduced_tax)]
            .into_iter()
            .filter(|(_, tax)| tax.is_positive())
            .map(|(rate, tax)| format!("{rate}% {tax_word} {tax}"))
            .collect();
        if !taxes.is_empty() {
            rows.push(ReportRow::new(format!("  {}", taxes.join(" / ")), ""));
        }
        if c.refunded.is_positive() {
            rows.push(ReportRow::new(
                format!("  {refunded_word}"),
                Yen(-c.refunded.value()).to_string(),
            ));
        }
        taxable10 += c.standard_taxable.value();
        tax10 += c.standard_tax.value();
        taxable8 += c.reduced_taxable.value();
        tax8 += c.reduced_tax.value();
    }
    for (rate, taxable, tax) in [(10, taxable10, tax10), (8, taxable8, tax8)] {
        if taxable != 0 {
            rows.push(ReportRow::new(
                format!("{rate}%{rate_word} {}", Yen(taxable)),
                format!("{tax_word} {}", Yen(tax)),
            ));
        }
    }
    rows.push(ReportRow::new(total_word, tab.total.to_string()));
    ReceiptDoc {
        store: store_header(config),
        terminal: terminal_info(config, ""),
        receipt_number: format!("T-{:04}", tab.id),
        issued_at: tab
            .closed_at
            .as_deref()
            .and_then(|at| parse_timestamp(at).ok())
            .unwrap_or_else(Utc::now),
        kind: ReceiptKind::TabStatement,
        training,
        reprint: false,
        lines: Vec::new(),
        tax_included: true,
        rate_summaries: Vec::new(),
        total: tab.total.value(),
        tenders: Vec::new(),
        receipt_code: None,
        report_rows: rows,
    }
}

/// Prints the statement of tab `tab_id` (queued until the printer takes it); in training, or
/// with nowhere to print, it comes back as text to show.
pub async fn print_tab_statement(
    journal: &JournalHandle,
    config: &Config,
    tab_id: i64,
    training: bool,
) -> PrintReport {
    let loaded = journal
        .call(move |j| Ok((j.tab(tab_id)?, j.tab_charges(tab_id)?)))
        .await;
    let (tab, charges) = match loaded {
        Ok(found) => found,
        Err(err) => return PrintReport::failed(None, err.to_string()),
    };
    let doc = tab_statement(&tab, &charges, config, training);
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
    queue_and_flush_bytes(journal, config, None, "tab_statement", bytes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use regi_journal::TabState;

    #[test]
    fn the_statement_lists_each_charge_the_tax_per_rate_and_the_total_billed() {
        let tab = TabRecord {
            id: 3,
            provider: "pokepay".into(),
            label: "301".into(),
            customer_id: "c".into(),
            customer_name: Some("山田".into()),
            money_id: "m".into(),
            card_id: "card".into(),
            card_masked: "411111********11".into(),
            until: Utc.with_ymd_and_hms(2026, 12, 9, 15, 0, 0).unwrap(),
            expires_at: None,
            open_request_id: "k".into(),
            provider_ref: Some("s".into()),
            close_request_id: Some("c".into()),
            state: TabState::Closed,
            error_type: None,
            error_message: None,
            created_at: String::new(),
            closed_at: Some("2026-12-09T01:00:00.000Z".into()),
            charges: 2,
            total: Yen(3_240),
        };
        let charge = |sale_id, total, taxable10, tax10, taxable8, tax8| TabCharge {
            sale_id,
            receipt_no: sale_id,
            at: "2026-12-07T01:00:00.000Z".into(),
            total: Yen(total),
            standard_taxable: Yen(taxable10),
            standard_tax: Yen(tax10),
            reduced_taxable: Yen(taxable8),
            reduced_tax: Yen(tax8),
            refunded: Yen(0),
        };
        let doc = tab_statement(
            &tab,
            &[
                charge(11, 1_100, 1_100, 100, 0, 0),
                charge(12, 2_140, 1_060, 96, 1_080, 80),
            ],
            &Config::default(),
            false,
        );
        assert_eq!(doc.kind, ReceiptKind::TabStatement);
        let text: Vec<String> = doc
            .report_rows
            .iter()
            .map(|r| format!("{} | {}", r.label, r.value))
            .collect();
        assert!(
            text.contains(&"12/07 10:00 No.11 | ¥1,100".to_string()),
            "{text:?}"
        );
        assert!(
            text.contains(&"10%対象 ¥2,160 | 内税 ¥196".to_string()),
            "{text:?}"
        );
        assert!(
            text.contains(&"8%対象 ¥1,080 | 内税 ¥80".to_string()),
            "{text:?}"
        );
        assert_eq!(text.last().unwrap(), "ご請求合計 | ¥3,240");
        // It renders for the printer.
        assert!(render(&doc, &Config::default().printer).is_ok());
    }
}
