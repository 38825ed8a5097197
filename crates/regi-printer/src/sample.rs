//! The sample receipt printed by `regi print-test` and checked byte for byte by the golden test.

use chrono::{DateTime, Utc};

use super::receipt::{
    PaymentInfo, RateSummary, ReceiptDoc, ReceiptKind, ReceiptLine, StoreHeader, Tender,
    TerminalInfo,
};

/// A store as the example configuration describes it.
pub fn sample_store() -> StoreHeader {
    StoreHeader {
        name: "株式会社サンプル商店".to_owned(),
        registration_number: "T1234567890123".to_owned(),
        address: vec![
            "〒150-0041".to_owned(),
            "東京都渋谷区神南1-2-3 サンプルビル1F".to_owned(),
        ],
        phone: "03-1234-5678".to_owned(),
        footer: vec![
            "お買い上げありがとうございます".to_owned(),
            "返品・交換はレシートをお持ちください".to_owned(),
        ],
    }
}

/// A Pokepay sale with reduced-rate (8%) and standard-rate (10%) items, prices tax included.
pub fn sample_receipt(issued_at: DateTime<Utc>) -> ReceiptDoc {
    let line = |name: &str, quantity: u32, unit_price: i64, reduced_rate: bool| ReceiptLine {
        name: name.to_owned(),
        quantity,
        unit_price,
        amount: unit_price * i64::from(quantity),
        reduced_rate,
    };
    let lines = vec![
        line("おにぎり 鮭", 2, 150, true),
        line("緑茶 500ml", 1, 160, true),
        line("ボールペン 黒", 1, 220, false),
        line("レジ袋 (L)", 1, 5, false),
    ];
    // Tax inside tax-included totals, rounded down per rate: 460 × 8/108 = 34, 225 × 10/110 = 20.
    let rate_summaries = vec![
        RateSummary {
            rate_percent: 10,
            taxable_total: 225,
            tax: 20,
        },
        RateSummary {
            rate_percent: 8,
            taxable_total: 460,
            tax: 34,
        },
    ];
    ReceiptDoc {
        store: sample_store(),
        terminal: TerminalInfo {
            name: "レジ1".to_owned(),
            id: "POS-01".to_owned(),
            staff: None,
        },
        receipt_number: "000123".to_owned(),
        issued_at,
        kind: ReceiptKind::Sale,
        training: false,
        reprint: false,
        lines,
        tax_included: true,
        rate_summaries,
        total: 685,
        tenders: vec![Tender::Provider(PaymentInfo {
            method_label: "Pokepay (ポケペイマネー)".to_owned(),
            transaction_id: "5f0c3c7e-9d7a-4c1e-8a53-2b1f6e4d9a01".to_owned(),
            amount: 685,
        })],
        receipt_code: Some("regi:receipt:POS-01:000123".to_owned()),
        report_rows: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_adds_up() {
        let doc = sample_receipt(DateTime::UNIX_EPOCH);
        let lines_total: i64 = doc.lines.iter().map(|l| l.amount).sum();
        let rates_total: i64 = doc.rate_summaries.iter().map(|r| r.taxable_total).sum();
        assert_eq!(lines_total, doc.total);
        assert_eq!(rates_total, doc.total);
        assert!(
            matches!(&doc.tenders[..], [Tender::Provider(p)] if p.amount == doc.total),
            "{:?}",
            doc.tenders
        );
        for rate in &doc.rate_summaries {
            let percent = i64::from(rate.rate_percent);
            assert_eq!(rate.tax, rate.taxable_total * percent / (100 + percent));
        }
        assert!(super::super::receipt::is_valid_registration_number(
            &doc.store.registration_number
        ));
    }
}
