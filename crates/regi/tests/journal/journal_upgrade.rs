//! A journal written by an earlier regi (schema 2: attempts named `cashtray` or `cpm`, the QR's id
//! in `cashtray_id`) opens, and its attempts, refunds and events come through the move to the
//! provider-neutral attempts with nothing lost.

use regi_core::domain::{AttemptState, PaymentMethod};
use regi_journal::{Journal, SCHEMA_VERSION, SaleFilter, SaleState, journal_path};
use rusqlite::Connection;

/// The schema an earlier regi wrote, from the migrations it shipped (never edited since).
const SCHEMA_1: &str = include_str!("../../../regi-journal/migrations/0001_initial.sql");
const SCHEMA_2: &str = include_str!("../../../regi-journal/migrations/0002_money_name.sql");

/// A day of an earlier regi: a QR sale paid then refunded, a customer-code sale paid, and a
/// customer-code attempt left unknown by a crash.
fn write_schema_2_journal(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch(SCHEMA_1).unwrap();
    conn.execute_batch(SCHEMA_2).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute_batch(
        "INSERT INTO business_days (id, opened_at) VALUES (1, '2026-11-20T00:00:00.000Z');
         INSERT INTO sales (id, business_day_id, receipt_no, kind, state, total, standard_taxable,
             standard_tax, reduced_taxable, reduced_tax, prices_include_tax, tax_rounding,
             training, terminal, created_at, updated_at)
         VALUES
           (1, 1, 1, 'payment', 'refunded', 1100, 1100, 100, 0, 0, 1, 'floor', 0, 'regi',
            '2026-11-20T01:00:00.000Z', '2026-11-20T01:05:00.000Z'),
           (2, 1, 2, 'payment', 'paid', 540, 0, 0, 540, 40, 1, 'floor', 0, 'regi',
            '2026-11-20T02:00:00.000Z', '2026-11-20T02:00:05.000Z'),
           (3, 1, 3, 'payment', 'unknown', 300, 300, 27, 0, 0, 1, 'floor', 0, 'regi',
            '2026-11-20T03:00:00.000Z', '2026-11-20T03:00:05.000Z');
         INSERT INTO sale_lines (sale_id, line_no, name, unit_price, quantity, tax_rate, amount)
         VALUES (1, 1, 'Coffee', 1100, 1, 'standard', 1100),
                (2, 1, 'Onigiri', 540, 1, 'reduced', 540),
                (3, 1, 'Item', 300, 1, 'standard', 300);
         INSERT INTO payment_attempts (id, sale_id, method, request_id, amount, cashtray_id,
             cashtray_token, state, transaction_id, customer_name, created_at, updated_at,
             money_name)
         VALUES
           (1, 1, 'cashtray', 'r-1', -1100, 'tray-1', 'https://qr.example/tray-1', 'paid',
            'tx-1', 'Yamada', '2026-11-20T01:00:00.000Z', '2026-11-20T01:01:00.000Z', 'Money'),
           (2, 2, 'cpm', 'r-2', -540, NULL, NULL, 'paid', 'tx-2', NULL,
            '2026-11-20T02:00:00.000Z', '2026-11-20T02:00:05.000Z', NULL);
         INSERT INTO payment_attempts (id, sale_id, method, request_id, amount, state,
             unknown_since, created_at, updated_at)
         VALUES (3, 3, 'cpm', 'r-3', -300, 'unknown', '2026-11-20T03:00:04.000Z',
            '2026-11-20T03:00:00.000Z', '2026-11-20T03:00:04.000Z');
         INSERT INTO refunds (sale_id, attempt_id, business_day_id, transaction_id, request_id,
             amount, reason, state, refund_transaction_id, created_at, updated_at)
         VALUES (1, 1, 1, 'tx-1', 'rf-1', 1100, 'returned', 'done', 'rtx-1',
            '2026-11-20T01:05:00.000Z', '2026-11-20T01:05:01.000Z');
         INSERT INTO events (at, sale_id, attempt_id, kind, detail_json)
         VALUES ('2026-11-20T01:00:00.000Z', 1, 1, 'attempt_created', '{\"method\":\"cashtray\"}');",
    )
    .unwrap();
}

#[test]
fn a_journal_of_an_earlier_regi_opens_and_keeps_every_attempt_refund_and_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_path(dir.path(), false);
    write_schema_2_journal(&path);

    let journal = Journal::open(&path).expect("an earlier journal opens and migrates");
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let broken: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0, "every reference still holds");
    let providers: Vec<String> = conn
        .prepare("SELECT DISTINCT provider FROM payment_attempts")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(providers, ["pokepay"]);

    let qr = journal.sale(1).unwrap();
    assert_eq!(qr.sale.state, SaleState::Refunded);
    assert_eq!(qr.attempts.len(), 1);
    let attempt = &qr.attempts[0];
    assert_eq!(attempt.method, PaymentMethod::MerchantQr);
    assert_eq!(attempt.provider_ref.as_deref(), Some("tray-1"));
    assert_eq!(
        attempt.presented_code.as_deref(),
        Some("https://qr.example/tray-1")
    );
    assert_eq!(attempt.customer_name.as_deref(), Some("Yamada"));
    assert_eq!(attempt.state.transaction_id(), Some("tx-1"));
    assert_eq!(qr.refunds.len(), 1);
    assert!(!qr.events.is_empty(), "the event log is kept as it was");

    let code = journal.sale(2).unwrap();
    assert_eq!(code.attempts[0].method, PaymentMethod::CustomerCode);
    assert_eq!(code.attempts[0].state.transaction_id(), Some("tx-2"));

    // What was in flight is still in flight, to be settled with its provider.
    let unresolved = journal.unresolved_attempts().unwrap();
    assert_eq!(unresolved.len(), 1);
    assert_eq!(unresolved[0].sale_id, 3);
    assert_eq!(unresolved[0].request_id, "r-3");
    assert!(matches!(unresolved[0].state, AttemptState::Unknown { .. }));

    let report = journal.x_report().unwrap().expect("the day is open");
    assert_eq!(report.payments.count, 2);
    assert_eq!(report.refunds.count, 1);
    assert_eq!(report.net_sales.value(), 540);
    assert_eq!(journal.list_sales(SaleFilter::All).unwrap().len(), 3);
}

#[test]
fn a_migrated_journal_takes_new_attempts_of_the_provider_that_made_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_path(dir.path(), false);
    write_schema_2_journal(&path);
    let mut journal = Journal::open(&path).unwrap();
    let sale = journal.sale(3).unwrap();
    assert_eq!(sale.sale.id, 3);
    // The old attempt is settled, then a new one starts under another provider's name.
    journal
        .record_attempt_event(
            3,
            regi_core::domain::AttemptEvent::Resolved(regi_core::domain::Resolution::Failed(
                regi_core::domain::Failure::new(
                    regi_core::domain::FailReason::RejectedOther,
                    "x",
                    "x",
                ),
            )),
        )
        .unwrap();
    let created = journal
        .create_attempt(3, "elsewhere", PaymentMethod::MerchantQr)
        .unwrap();
    journal
        .record_presented(created.attempt_id, "tray-1", "code")
        .expect("the same reference under another provider is another thing");
    let conn = Connection::open(&path).unwrap();
    let provider: String = conn
        .query_row(
            "SELECT provider FROM payment_attempts WHERE id = ?1",
            [created.attempt_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(provider, "elsewhere");
}
