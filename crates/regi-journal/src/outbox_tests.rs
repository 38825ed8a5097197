//! The outbox numbers each write's events in order, in the write's own transaction, with the
//! state the store needs to rebuild the reports.

use super::*;
use crate::Report;
use crate::sales::append_event;
use crate::test_support::{journal, sale};
use regi_core::domain::Yen;
use regi_core::records::RefundOutcome;

fn head(journal: &Journal) -> i64 {
    journal.outbox_head().unwrap().map_or(0, |(seq, _)| seq)
}

/// The events written since `seq`, each as (seq, kind).
fn since(journal: &Journal, seq: i64) -> Vec<(i64, String)> {
    journal
        .outbox_after(seq, 1000)
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.kind))
        .collect()
}

fn numbered_from(first: i64, events: &[(i64, String)]) -> bool {
    events
        .iter()
        .enumerate()
        .all(|(i, (seq, _))| *seq == first + i as i64)
}

#[test]
fn a_sale_is_numbered_next_and_carries_its_lines_and_tax_per_rate() {
    let (_dir, mut journal) = journal();
    let sale_id = sale(&mut journal, 1_100);
    let events = journal.outbox_after(0, 100).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["day_opened", "sale_created"]);
    assert_eq!(events[0].seq, 1);
    assert_eq!(events[1].seq, 2);
    let created = &events[1].snapshot;
    assert_eq!(created["sale"]["id"], sale_id);
    assert_eq!(created["sale"]["total"], 1_100);
    assert_eq!(created["sale"]["standard_tax"], 100);
    assert_eq!(created["lines"][0]["amount"], 1_100);
    assert_eq!(events[0].snapshot["business_day"]["closed_at"], Value::Null);
}

#[test]
fn a_cash_payment_and_its_refund_follow_in_order_with_the_refund_in_the_snapshot() {
    let (_dir, mut journal) = journal();
    let sale_id = sale(&mut journal, 500);
    let before = head(&journal);
    journal.record_cash_tender(sale_id, Yen(1_000)).unwrap();
    let paid = since(&journal, before);
    assert!(numbered_from(before + 1, &paid), "{paid:?}");
    assert!(
        paid.iter().any(|(_, k)| k == "attempt_paid_observed"),
        "{paid:?}"
    );

    let before = head(&journal);
    let refund = journal.begin_refund(sale_id, "returned").unwrap();
    if !refund.settled {
        journal
            .finish_refund(
                refund.refund_id,
                RefundOutcome::Done {
                    refund_transaction_id: "r-1".into(),
                },
            )
            .unwrap();
    }
    let refunded = journal.outbox_after(before, 100).unwrap();
    assert_eq!(refunded[0].seq, before + 1);
    let last = refunded.last().unwrap();
    assert_eq!(last.snapshot["refunds"][0]["amount"], 500);
    assert_eq!(last.snapshot["refunds"][0]["state"], "done");
    assert_eq!(last.snapshot["sale"]["state"], "refunded");
}

#[test]
fn a_drawer_movement_is_numbered_next_and_carries_the_movement() {
    let (_dir, mut journal) = journal();
    journal.set_float(Yen(10_000)).unwrap();
    let before = head(&journal);
    journal.paid_out(Yen(300), "stamps").unwrap();
    let events = journal.outbox_after(before, 100).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].seq, before + 1);
    assert_eq!(events[0].kind, "drawer_paid_out");
    assert_eq!(events[0].snapshot["drawer_movement"]["amount"], 300);
    assert_eq!(events[0].snapshot["drawer_movement"]["reason"], "stamps");
}

#[test]
fn a_z_report_is_numbered_next_and_carries_the_closed_day_with_its_report() {
    let (_dir, mut journal) = journal();
    let sale_id = sale(&mut journal, 800);
    journal.record_cash_tender(sale_id, Yen(800)).unwrap();
    let before = head(&journal);
    let report = journal.close_day_with_z_report().unwrap();
    let events = journal.outbox_after(before, 100).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].seq, events[0].kind.as_str()),
        (before + 1, "z_report")
    );
    let day = &events[0].snapshot["business_day"];
    assert!(day["closed_at"].is_string());
    let stored: Report = serde_json::from_str(day["z_report_json"].as_str().unwrap()).unwrap();
    assert_eq!(stored, report);
}

#[test]
fn a_rolled_back_write_leaves_no_event_and_no_gap() {
    let (_dir, mut journal) = journal();
    sale(&mut journal, 100);
    let before = head(&journal);
    {
        let tx = journal.write().unwrap();
        append_event(
            &tx,
            "2026-01-01T00:00:00.000Z",
            None,
            None,
            "note",
            &json!({}),
        )
        .unwrap();
        // Dropped without commit: rolled back.
    }
    assert_eq!(head(&journal), before);
    assert!(journal.outbox_after(before, 10).unwrap().is_empty());
    sale(&mut journal, 200);
    let next = since(&journal, before);
    assert_eq!(next[0], (before + 1, "sale_created".to_string()));
}

#[test]
fn a_refused_write_leaves_no_event() {
    let (_dir, mut journal) = journal();
    let sale_id = sale(&mut journal, 100);
    journal.record_cash_tender(sale_id, Yen(100)).unwrap();
    let before = head(&journal);
    assert!(journal.void_sale(sale_id, "changed mind").is_err());
    assert_eq!(head(&journal), before);
}

#[test]
fn a_read_only_journal_reads_the_outbox_a_writer_wrote() {
    let (dir, mut journal) = journal();
    sale(&mut journal, 100);
    let reader = Journal::open_read_only(&dir.path().join("j.sqlite")).unwrap();
    assert_eq!(reader.outbox_head().unwrap().map(|h| h.0), Some(2));
    assert_eq!(
        reader.outbox_event(2).unwrap().unwrap().kind,
        "sale_created"
    );
    assert_eq!(reader.outbox_event(3).unwrap(), None);
}
