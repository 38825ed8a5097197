//! Text that Shift_JIS printers handle badly, through layout, rendering and decoding.

use chrono::DateTime;
use regi_printer::decode::decode;
use regi_printer::profile::TM_T20III;
use regi_printer::receipt::ReceiptLine;
use regi_printer::sample::sample_receipt;
use regi_printer::{PrinterSettings, receipt_bytes};

/// The printed form of a product name (its line on the sample receipt, without the amount).
fn printed_name(name: &str) -> String {
    let mut doc = sample_receipt(DateTime::UNIX_EPOCH);
    doc.lines = vec![ReceiptLine {
        name: name.to_owned(),
        quantity: 1,
        unit_price: 100,
        amount: 100,
        reduced_rate: false,
    }];
    let bytes = receipt_bytes(&doc, &TM_T20III, &PrinterSettings::default()).expect("renders");
    let decoded = decode(&bytes).expect("clean stream");
    let line = decoded
        .lines()
        .find(|l| l.text.ends_with("¥100") && !l.text.starts_with("小計"))
        .expect("item row");
    assert_eq!(line.columns, 48, "row is padded to the full width");
    line.text.trim_end_matches("¥100").trim_end().to_owned()
}

#[test]
fn yen_sign_round_trips() {
    assert_eq!(printed_name("¥100ショップ"), "¥100ショップ");
    assert_eq!(printed_name("￥セール"), "￥セール");
}

#[test]
fn wave_dash_becomes_full_width_tilde() {
    assert_eq!(printed_name("10〜20個"), "10～20個");
}

#[test]
fn half_width_kana_print_as_single_bytes() {
    assert_eq!(printed_name("ｺｰﾋｰ ﾌﾞﾗｯｸ"), "ｺｰﾋｰ ﾌﾞﾗｯｸ");
}

#[test]
fn emoji_become_question_marks() {
    assert_eq!(printed_name("おにぎり🍙"), "おにぎり?");
    assert_eq!(printed_name("❤️ケーキ"), "?ケーキ");
}

#[test]
fn characters_outside_jis_x0208_are_replaced() {
    assert_eq!(printed_name("𠮷野家"), "?野家");
    assert_eq!(printed_name("髙島屋"), "高島屋");
    assert_eq!(printed_name("①お弁当"), "(1)お弁当");
    assert_eq!(printed_name("Café"), "Caf?");
}

#[test]
fn control_characters_cannot_inject_commands() {
    assert_eq!(printed_name("a\x1b@b\x1dV\x00c"), "a @b V c");
}
