//! The sample receipt end to end: golden bytes, and the decoder proving every item of a qualified
//! simplified invoice is on paper. Regenerate the golden file with `REGI_BLESS=1`.

use chrono::{DateTime, TimeZone, Utc};
use regi_printer::decode::{Block, decode};
use regi_printer::escpos::Align;
use regi_printer::profile::{GENERIC, PAPER_58MM, TM_T20III};
use regi_printer::receipt::{ReceiptDoc, ReceiptKind, ReportRow};
use regi_printer::sample::sample_receipt;
use regi_printer::{PrinterSettings, Profile, preview_text, receipt_bytes};

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/escpos/sample_receipt.bin"
);

fn issued_at() -> DateTime<Utc> {
    // 2025-01-15 14:32 in Tokyo.
    Utc.with_ymd_and_hms(2025, 1, 15, 5, 32, 0)
        .single()
        .expect("valid date")
}

fn bytes_for(doc: &ReceiptDoc, profile: &Profile) -> Vec<u8> {
    receipt_bytes(doc, profile, &PrinterSettings::default()).expect("renders")
}

#[test]
fn sample_receipt_matches_golden_bytes() {
    let bytes = bytes_for(&sample_receipt(issued_at()), &TM_T20III);
    if std::env::var_os("REGI_BLESS").is_some() {
        std::fs::write(GOLDEN, &bytes).expect("write golden file");
    }
    let golden = std::fs::read(GOLDEN).expect("golden file exists (REGI_BLESS=1 creates it)");
    assert!(
        golden == bytes,
        "sample receipt bytes changed; new preview:\n{}",
        preview_text(&bytes).unwrap_or_default()
    );
}

#[test]
fn sample_receipt_has_every_qualified_invoice_item() {
    let bytes = bytes_for(&sample_receipt(issued_at()), &TM_T20III);
    let decoded = decode(&bytes).expect("no unparsable bytes");
    let text = decoded.text();
    for expected in [
        "株式会社サンプル商店",
        "領収書",
        "適格簡易請求書",
        "登録番号 T1234567890123",
        "東京都渋谷区神南1-2-3",
        "TEL 03-1234-5678",
        "2025年01月15日(水) 14:32",
        "端末 レジ1 (POS-01)",
        "No.000123",
        "おにぎり 鮭 ※",
        "2 x ¥150",
        "ボールペン 黒",
        "10%対象",
        "8%対象",
        "内消費税",
        "¥34)",
        "¥20)",
        "合計",
        "¥685",
        "Pokepay (ポケペイマネー)",
        "取引ID",
        "5f0c3c7e-9d7a-4c1e-8a53-2b1f6e4d9a01",
        "※は軽減税率対象商品です",
        "お買い上げありがとうございます",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert_eq!(decoded.qr_payloads(), ["regi:receipt:POS-01:000123"]);
    assert_eq!(decoded.cut_count(), 1);
    assert_eq!(decoded.blocks.last(), Some(&Block::Cut));
    assert!(!text.contains("トレーニング") && !text.contains("再発行"));
}

#[test]
fn ballpoint_pen_is_standard_rate_and_onigiri_reduced() {
    let decoded = decode(&bytes_for(&sample_receipt(issued_at()), &TM_T20III)).expect("clean");
    let line = |start: &str| {
        decoded
            .lines()
            .find(|l| l.text.starts_with(start))
            .map(|l| l.text.clone())
            .unwrap_or_default()
    };
    assert!(line("おにぎり").contains('※'));
    assert!(line("緑茶").contains('※'));
    assert!(!line("ボールペン").contains('※'));
    assert!(line("ボールペン").ends_with("¥220"));
}

#[test]
fn rows_fill_the_line_exactly_with_mixed_widths() {
    for profile in [&TM_T20III, &PAPER_58MM] {
        let decoded = decode(&bytes_for(&sample_receipt(issued_at()), profile)).expect("clean");
        for line in decoded.lines() {
            assert!(
                line.columns <= profile.columns,
                "{:?} is {} columns on {}",
                line.text,
                line.columns,
                profile.name
            );
            // Every amount row is padded to the full width, so amounts line up on the right.
            if line.text.ends_with(|c: char| c.is_ascii_digit()) && line.text.contains('¥') {
                assert_eq!(line.columns, profile.columns, "{:?}", line.text);
            }
        }
        let total = decoded
            .lines()
            .find(|l| l.text.starts_with("合計"))
            .expect("total line");
        assert_eq!((total.width_factor, total.columns), (2, profile.columns));
    }
}

#[test]
fn narrow_paper_wraps_long_values_and_stays_clean() {
    let decoded = decode(&bytes_for(&sample_receipt(issued_at()), &PAPER_58MM)).expect("clean");
    let id_line = decoded
        .lines()
        .find(|l| l.text.contains("5f0c3c7e"))
        .expect("transaction id printed");
    assert!(id_line.columns <= 32);
    assert_eq!(decoded.qr_payloads().len(), 1);
}

#[test]
fn generic_profile_prints_ascii_and_a_raster_qr_that_scans() {
    let decoded = decode(&bytes_for(&sample_receipt(issued_at()), &GENERIC)).expect("clean");
    let text = decoded.text();
    for expected in [
        "RECEIPT",
        "Reg. No. T1234567890123",
        "onigiri ? *",
        "10% items",
        "8% items",
        "TOTAL",
        "Pokepay (pokepeimane-)",
        "5f0c3c7e-9d7a-4c1e-8a53-2b1f6e4d9a01",
        "* = reduced tax rate item",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(text.is_ascii() || text.chars().all(|c| c.is_ascii() || c == '¥'));
    assert!(decoded.qr_payloads().is_empty(), "no native QR on generic");
    let images = decoded.images();
    assert_eq!(images.len(), 1);
    let image = images[0];
    let mut prepared =
        rqrr::PreparedImage::prepare_from_bitmap(image.width_dots(), image.height(), |x, y| {
            image.is_black(x, y)
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().expect("QR decodes");
    assert_eq!(content, "regi:receipt:POS-01:000123");
}

#[test]
fn training_receipts_are_stamped_top_and_bottom() {
    let mut doc = sample_receipt(issued_at());
    doc.training = true;
    let decoded = decode(&bytes_for(&doc, &TM_T20III)).expect("clean");
    let stamps: Vec<_> = decoded
        .lines()
        .enumerate()
        .filter(|(_, l)| l.text.contains("トレーニング"))
        .collect();
    assert_eq!(stamps.len(), 2);
    assert_eq!(stamps[0].0, 0, "first line is the stamp");
    assert_eq!(stamps[0].1.align, Align::Center);
    assert!(decoded.text().contains("練習用のため無効です"));
}

#[test]
fn reprints_are_marked() {
    let mut doc = sample_receipt(issued_at());
    doc.reprint = true;
    let text = decode(&bytes_for(&doc, &TM_T20III)).expect("clean").text();
    assert_eq!(text.matches("【再発行】").count(), 2);
}

#[test]
fn refund_slip_shows_the_original_sale_date() {
    let mut doc = sample_receipt(Utc.with_ymd_and_hms(2025, 1, 16, 1, 5, 0).unwrap());
    doc.kind = ReceiptKind::Refund {
        original_issued_at: issued_at(),
    };
    let text = decode(&bytes_for(&doc, &TM_T20III)).expect("clean").text();
    assert!(text.contains("返品"), "{text}");
    assert!(text.contains("適格返還請求書"));
    assert!(text.contains("元取引日"));
    assert!(text.contains("2025年01月15日(水) 14:32"));
    assert!(text.contains("2025年01月16日(木) 10:05"));
    assert!(text.contains("返金合計"));
    assert!(!text.contains("領収書"));
}

#[test]
fn x_and_z_reports_print_their_rows() {
    for (kind, title) in [
        (ReceiptKind::XReport, "Xレポート(点検)"),
        (ReceiptKind::ZReport, "Zレポート(精算)"),
    ] {
        let mut doc = sample_receipt(issued_at());
        doc.kind = kind;
        doc.lines.clear();
        doc.tenders.clear();
        doc.receipt_code = None;
        doc.report_rows = vec![
            ReportRow::new("取引件数", "42件"),
            ReportRow::yen("売上合計", 123_456),
            ReportRow::yen("返品", -1_200),
        ];
        let decoded = decode(&bytes_for(&doc, &TM_T20III)).expect("clean");
        let text = decoded.text();
        assert!(text.contains(title), "{text}");
        assert!(text.contains("¥123,456"));
        assert!(text.contains("-¥1,200"));
        assert!(decoded.qr_payloads().is_empty());
        assert_eq!(decoded.cut_count(), 1);
    }
}

#[test]
fn preview_is_aligned_text() {
    let bytes = bytes_for(&sample_receipt(issued_at()), &TM_T20III);
    let preview = preview_text(&bytes).expect("decodes");
    let heading = preview
        .lines()
        .find(|l| l.contains("領収書"))
        .expect("heading");
    assert!(heading.starts_with("  "), "centred: {heading:?}");
    assert!(preview.contains("[QR: regi:receipt:POS-01:000123]"));
    assert!(preview.trim_end().ends_with("[cut]"));
}
