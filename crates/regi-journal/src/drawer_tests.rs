//! The drawer's movements and the cash it should hold, against a journal with real sales: cash
//! with change, a sale split between cash and a QR, a cash refund, paid-in and paid-out.

use super::*;
use crate::Report;
use crate::test_support::{journal, sale};
use regi_core::domain::{AttemptEvent, PaymentMethod};

/// The rest of the sale paid by a QR the customer scanned.
fn qr_pays_the_rest(journal: &mut Journal, sale_id: i64) {
    let attempt = journal
        .create_tender(
            sale_id,
            "provider-a",
            PaymentMethod::MerchantQr,
            false,
            None,
        )
        .unwrap();
    journal
        .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
        .unwrap();
    journal
        .record_attempt_event(
            attempt.attempt_id,
            AttemptEvent::PaidObserved {
                transaction_id: format!("tx-{sale_id}"),
            },
        )
        .unwrap();
}

fn refused(result: Result<DrawerMovement, JournalError>) -> DrawerRefusal {
    match result {
        Err(JournalError::Drawer(refusal)) => refusal,
        other => panic!("expected a drawer refusal, got {other:?}"),
    }
}

/// Float ¥10,000; ¥1,234 paid with ¥2,000 (change ¥766) and later refunded in cash; ¥3,000
/// paid ¥1,000 cash + ¥2,000 QR; paid-in ¥500; paid-out ¥300.
fn a_busy_day(journal: &mut Journal) -> (i64, i64) {
    journal.set_float(Yen(10_000)).unwrap();
    let cash_sale = sale(journal, 1_234);
    let tender = journal.record_cash_tender(cash_sale, Yen(2_000)).unwrap();
    assert_eq!(tender.change, Yen(766));
    let split = sale(journal, 3_000);
    journal.record_cash_tender(split, Yen(1_000)).unwrap();
    qr_pays_the_rest(journal, split);
    journal
        .begin_tender_refund(cash_sale, Some(tender.attempt_id), None, "returned")
        .unwrap();
    journal.paid_in(Yen(500), "coins from the bank").unwrap();
    journal.paid_out(Yen(300), "stamps").unwrap();
    (cash_sale, split)
}

#[test]
fn cash_expected_is_float_plus_cash_sales_less_change_refunds_and_paid_outs_plus_paid_ins() {
    let (_dir, mut journal) = journal();
    a_busy_day(&mut journal);
    let day = journal.current_business_day().unwrap().unwrap().id;
    // 10,000 + (2,000 − 766) + 1,000 − 1,234 + 500 − 300
    assert_eq!(journal.cash_expected(day).unwrap(), Yen(11_200));
    let status = journal.drawer_status().unwrap().unwrap();
    let cash = status.cash;
    assert_eq!(
        (cash.float, cash.received, cash.change, cash.sales),
        (Yen(10_000), Yen(3_000), Yen(766), Yen(2_234))
    );
    assert_eq!(
        (cash.refunds, cash.paid_in, cash.paid_out),
        (Yen(1_234), Yen(500), Yen(300))
    );
    assert_eq!((cash.counted, cash.over_short), (None, None));
    let kinds: Vec<MovementKind> = status.movements.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MovementKind::Float,
            MovementKind::PaidIn,
            MovementKind::PaidOut
        ]
    );
    assert_eq!(status.movements[2].reason, "stamps");
}

#[test]
fn each_movement_appends_an_event_of_no_sale() {
    let (_dir, mut journal) = journal();
    a_busy_day(&mut journal);
    let kinds: Vec<(String, Option<i64>)> = {
        let mut stmt = journal
            .conn
            .prepare("SELECT kind, sale_id FROM events WHERE kind LIKE 'drawer_%' ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        kinds,
        [
            ("drawer_float".to_string(), None),
            ("drawer_paid_in".to_string(), None),
            ("drawer_paid_out".to_string(), None)
        ]
    );
}

#[test]
fn a_count_is_journaled_with_the_cash_expected_then_and_its_over_or_short() {
    let (_dir, mut journal) = journal();
    a_busy_day(&mut journal);
    let mut count = CashCount::default();
    count.set(10_000, 1).unwrap();
    count.set(1_000, 1).unwrap();
    count.set(100, 1).unwrap();
    count.set(50, 1).unwrap();
    count.set(10, 4).unwrap();
    let counted = journal.record_count(&count).unwrap();
    assert_eq!(counted.amount, Yen(11_190));
    assert_eq!(counted.expected, Some(Yen(11_200)));
    assert_eq!(counted.over_short(), Some(Yen(-10)));
    let status = journal.drawer_status().unwrap().unwrap();
    assert_eq!(status.movements.last().unwrap().count, Some(count));
    assert_eq!(status.cash.counted, Some(Yen(11_190)));
    assert_eq!(status.cash.over_short, Some(Yen(-10)));
    // A count moves no cash.
    assert_eq!(status.cash.expected, Yen(11_200));
}

#[test]
fn a_second_float_is_refused_pointing_to_paid_in_and_out() {
    let (_dir, mut journal) = journal();
    journal.set_float(Yen(10_000)).unwrap();
    let refusal = refused(journal.set_float(Yen(20_000)));
    assert_eq!(refusal, DrawerRefusal::FloatAlreadySet(Yen(10_000)));
    assert!(refusal.to_string().contains("paid-in"), "{refusal}");
    let day = journal.current_business_day().unwrap().unwrap().id;
    assert_eq!(journal.cash_expected(day).unwrap(), Yen(10_000));
}

#[test]
fn a_paid_out_beyond_the_cash_expected_or_without_a_reason_is_refused_and_nothing_moves() {
    let (_dir, mut journal) = journal();
    journal.set_float(Yen(5_000)).unwrap();
    assert_eq!(
        refused(journal.paid_out(Yen(5_001), "supplier")),
        DrawerRefusal::PaidOutExceedsCash {
            expected: Yen(5_000)
        }
    );
    assert_eq!(
        refused(journal.paid_in(Yen(100), "  ")),
        DrawerRefusal::ReasonMissing
    );
    assert_eq!(
        refused(journal.paid_in(Yen(0), "coins")),
        DrawerRefusal::AmountNotPositive
    );
    journal.paid_out(Yen(5_000), "supplier").unwrap();
    let status = journal.drawer_status().unwrap().unwrap();
    assert_eq!(status.movements.len(), 2);
    assert_eq!(status.cash.expected, Yen(0));
}

#[test]
fn a_day_closed_by_its_z_report_takes_no_more_movements() {
    let (_dir, mut journal) = journal();
    journal.set_float(Yen(10_000)).unwrap();
    let z = journal.close_day_with_z_report().unwrap();
    assert_eq!(z.cash.float, Yen(10_000));
    assert_eq!(
        refused(journal.record_count(&CashCount::default())),
        DrawerRefusal::NoOpenDay
    );
    // The next float starts the next day; the closed one keeps what it had.
    let next = journal.set_float(Yen(8_000)).unwrap();
    assert_ne!(next.business_day_id, z.business_day_id);
    let closed = journal.drawer_status_of(z.business_day_id).unwrap();
    assert_eq!(closed.movements.len(), 1);
    assert_eq!(closed.cash.expected, Yen(10_000));
}

#[test]
fn the_report_counts_each_tender_by_its_own_amount_and_carries_the_cash() {
    let (_dir, mut journal) = journal();
    a_busy_day(&mut journal);
    let report = journal.x_report().unwrap().unwrap();
    assert_eq!(
        (report.payments.count, report.payments.amount),
        (2, Yen(4_234))
    );
    let by: Vec<(PaymentMethod, i64, i64)> = report
        .payments_by_method
        .iter()
        .filter(|m| m.count > 0)
        .map(|m| (m.method, m.count, m.amount.value()))
        .collect();
    assert_eq!(
        by,
        [
            (PaymentMethod::MerchantQr, 1, 2_000),
            (PaymentMethod::Cash, 2, 2_234)
        ]
    );
    let providers: Vec<(String, i64)> = report
        .payments_by_provider
        .iter()
        .map(|p| (p.provider.clone(), p.amount.value()))
        .collect();
    assert_eq!(
        providers,
        [
            ("cash".to_string(), 2_234),
            ("provider-a".to_string(), 2_000)
        ]
    );
    let refunds: Vec<(PaymentMethod, i64)> = report
        .refunds_by_method
        .iter()
        .filter(|m| m.count > 0)
        .map(|m| (m.method, m.amount.value()))
        .collect();
    assert_eq!(refunds, [(PaymentMethod::Cash, 1_234)]);
    assert_eq!(report.cash.expected, Yen(11_200));
    assert_eq!(report.cash.paid_out, Yen(300));
}

#[test]
fn the_z_report_is_refused_while_a_sale_is_partly_paid_and_names_it() {
    let (_dir, mut journal) = journal();
    let sale_id = sale(&mut journal, 3_000);
    journal.record_cash_tender(sale_id, Yen(1_000)).unwrap();
    let refused = journal.close_day_with_z_report().unwrap_err();
    assert!(matches!(refused, JournalError::Refused(_)), "{refused:?}");
    assert!(
        refused.to_string().contains(&format!("#{sale_id}")),
        "{refused}"
    );
    assert!(journal.current_business_day().unwrap().is_some());
    qr_pays_the_rest(&mut journal, sale_id);
    journal.close_day_with_z_report().unwrap();
}

#[test]
fn a_z_report_stored_before_the_drawer_was_counted_still_reads() {
    let (_dir, mut journal) = journal();
    journal.set_float(Yen(10_000)).unwrap();
    let z = journal.close_day_with_z_report().unwrap();
    let mut stored = serde_json::to_value(&z).unwrap();
    stored.as_object_mut().unwrap().remove("cash");
    let old: Report = serde_json::from_value(stored).unwrap();
    assert_eq!(old.cash, CashSummary::default());
    assert_eq!(old.payments, z.payments);
}

#[test]
fn the_z_report_keeps_the_days_count_and_its_over_or_short() {
    let (_dir, mut journal) = journal();
    a_busy_day(&mut journal);
    let mut count = CashCount::default();
    count.set(10_000, 1).unwrap();
    count.set(1_000, 1).unwrap();
    count.set(100, 2).unwrap();
    count.set(10, 1).unwrap();
    journal.record_count(&count).unwrap();
    let z = journal.close_day_with_z_report().unwrap();
    assert_eq!(
        (z.cash.expected, z.cash.counted, z.cash.over_short),
        (Yen(11_200), Some(Yen(11_210)), Some(Yen(10)))
    );
    // Stored as closed: read back the same, and printed with its over/short.
    let stored = journal.z_report(z.business_day_id).unwrap().unwrap();
    assert_eq!(stored.cash, z.cash);
    let text = stored.to_text();
    let line = text.lines().find(|l| l.contains("過不足")).unwrap();
    assert!(line.ends_with("+¥10"), "{text}");
}
