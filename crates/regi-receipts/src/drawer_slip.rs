//! The cash count slip (精算レシート): the pieces counted per denomination, the yen counted, the
//! cash expected when it was counted and the over/short (過不足). Printed like the X/Z reports:
//! queued until the printer takes it, shown instead in training.

use chrono::{DateTime, Utc};

use super::header::{store_header, terminal_info};
use super::printing::{PrintOutcome, PrintReport, preview, render};
use super::service::queue_and_flush_bytes;
use regi_config::Config;
use regi_core::domain::Yen;
use regi_core::lang::Lang;
use regi_core::records::{CashWords, DrawerMovement, signed_yen};
use regi_journal::{JournalHandle, parse_timestamp};
use regi_printer::receipt::{ReceiptDoc, ReceiptKind, ReportRow};

/// The print queue's word for a count slip.
pub const DRAWER_COUNT_JOB: &str = "drawer_count";

/// The slip of a journaled count. Labels are Japanese unless the printer has no Kanji font.
pub fn drawer_count_slip(count: &DrawerMovement, config: &Config, training: bool) -> ReceiptDoc {
    let kanji = config
        .printer
        .resolved_profile()
        .map(|p| p.kanji)
        .unwrap_or(true);
    let w = CashWords::of(if kanji { Lang::Ja } else { Lang::En });
    let (pieces_word, yen_word) = if kanji {
        ("枚", "円")
    } else {
        (" pcs", " yen")
    };
    let mut rows = Vec::new();
    if let Some(pieces) = &count.count {
        for (face, n, amount) in pieces.rows() {
            rows.push(ReportRow::new(
                format!("{face:>6}{yen_word} × {n}{pieces_word}"),
                amount.to_string(),
            ));
        }
    }
    rows.push(ReportRow::new(w.counted, count.amount.to_string()));
    let expected = count.expected.unwrap_or(Yen::ZERO);
    rows.push(ReportRow::new(w.expected, expected.to_string()));
    rows.push(ReportRow::new(
        w.over_short,
        signed_yen(count.over_short().unwrap_or(Yen::ZERO)),
    ));
    ReceiptDoc {
        store: store_header(config),
        terminal: terminal_info(config, ""),
        receipt_number: format!("C-{:04}-{}", count.business_day_id, count.id),
        // A count whose time cannot be read is still worth printing; the epoch marks the gap.
        issued_at: parse_timestamp(&count.created_at).unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        kind: ReceiptKind::DrawerCount,
        training,
        reprint: false,
        lines: Vec::new(),
        tax_included: true,
        rate_summaries: Vec::new(),
        total: count.amount.value(),
        tenders: Vec::new(),
        receipt_code: None,
        report_rows: rows,
    }
}

/// Prints the slip of a journaled count (queued until the printer takes it); in training, unless
/// `[printer] print_on_training`, it comes back as text to show.
pub async fn print_drawer_count(
    journal: &JournalHandle,
    config: &Config,
    count: &DrawerMovement,
    training: bool,
) -> PrintReport {
    let doc = drawer_count_slip(count, config, training);
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
    queue_and_flush_bytes(journal, config, None, DRAWER_COUNT_JOB, bytes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::records::{CashCount, MovementKind};

    fn counted() -> DrawerMovement {
        let mut pieces = CashCount::default();
        pieces.set(10_000, 1).unwrap();
        pieces.set(1_000, 2).unwrap();
        pieces.set(10, 5).unwrap();
        DrawerMovement {
            id: 7,
            business_day_id: 3,
            kind: MovementKind::Count,
            amount: pieces.total(),
            reason: String::new(),
            expected: Some(Yen(12_100)),
            count: Some(pieces),
            created_at: "2026-12-06T09:00:00.000Z".into(),
        }
    }

    fn row<'a>(doc: &'a ReceiptDoc, label: &str) -> Option<&'a str> {
        doc.report_rows
            .iter()
            .find(|r| r.label == label)
            .map(|r| r.value.as_str())
    }

    #[test]
    fn the_count_slip_lists_each_denomination_the_count_the_expected_and_the_shortage() {
        let doc = drawer_count_slip(&counted(), &Config::default(), false);
        assert_eq!(doc.kind, ReceiptKind::DrawerCount);
        assert_eq!(doc.receipt_number, "C-0003-7");
        assert_eq!(row(&doc, " 10000円 × 1枚"), Some("¥10,000"));
        assert_eq!(row(&doc, "  1000円 × 2枚"), Some("¥2,000"));
        assert_eq!(row(&doc, "     1円 × 0枚"), Some("¥0"));
        assert_eq!(row(&doc, "現金在高（実査）"), Some("¥12,050"));
        assert_eq!(row(&doc, "現金在高（理論）"), Some("¥12,100"));
        assert_eq!(row(&doc, "過不足"), Some("-¥50"));
    }

    #[test]
    fn an_ascii_printer_gets_the_count_slip_in_english() {
        let mut config = Config::default();
        config.printer.profile = "generic".into();
        let doc = drawer_count_slip(&counted(), &config, true);
        assert_eq!(row(&doc, "Over/short"), Some("-¥50"));
        assert_eq!(row(&doc, "    10 yen × 5 pcs"), Some("¥50"));
        assert!(doc.training);
        let text = preview(&render(&doc, &config.printer).unwrap()).unwrap();
        assert!(text.contains("CASH COUNT"), "{text}");
    }
}
