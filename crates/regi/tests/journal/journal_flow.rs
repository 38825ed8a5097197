//! Sales through the journal: attempts, recovery, refunds, reports, export, async handle.

use chrono::{DateTime, TimeZone, Utc};
use regi_core::domain::{
    AmountGuard, AttemptEvent, AttemptState, Cart, Failure, PaymentMethod, Product, Resolution,
    SaleDraft, TaxPolicy, TaxRate, Yen,
};
use regi_journal::{
    CreatedAttempt, Journal, JournalError, JournalHandle, RefundOutcome, RefundState, ReportKind,
    SaleFilter, SaleMeta, SaleState,
};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 4, 1, 0, 30, 0).single().unwrap()
}

fn open(dir: &tempfile::TempDir) -> Journal {
    Journal::open_with_clock(&dir.path().join("journal.sqlite"), Box::new(at)).unwrap()
}

fn product(jan: &str, name: &str, price: i64, rate: TaxRate) -> Product {
    Product {
        jan: jan.into(),
        name: name.into(),
        unit_price: Yen(price),
        tax_rate: rate,
    }
}

fn cart() -> Cart {
    Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)))
}

fn onigiri() -> Product {
    product("4902100001016", "おにぎり 鮭", 160, TaxRate::Reduced8)
}

fn beer() -> Product {
    product("4902500001010", "ビール 350ml缶", 248, TaxRate::Standard10)
}

fn tea() -> Product {
    product("4902300001012", "緑茶 525ml", 151, TaxRate::Reduced8)
}

/// A sale of `products`, one each.
fn checkout(products: &[Product]) -> SaleDraft {
    let mut c = cart();
    for p in products {
        c.add_product(p).unwrap();
    }
    c.checkout().unwrap()
}

fn manual(amount: i64) -> SaleDraft {
    let mut c = cart();
    c.add_manual(Yen(amount), TaxRate::Standard10, None)
        .unwrap();
    c.checkout().unwrap()
}

fn meta() -> SaleMeta {
    SaleMeta {
        training: false,
        terminal: "REG-01".into(),
    }
}

fn paid(tx: &str) -> AttemptEvent {
    AttemptEvent::PaidObserved {
        transaction_id: tx.into(),
    }
}

fn state_of(journal: &Journal, sale_id: i64) -> SaleState {
    journal.sale(sale_id).unwrap().sale.state
}

/// Applies `event` to the attempt, which must accept it.
fn record(journal: &mut Journal, attempt: &CreatedAttempt, event: AttemptEvent) -> AttemptState {
    journal
        .record_attempt_event(attempt.attempt_id, event)
        .unwrap()
}

/// A CPM attempt for the sale whose payment request has gone out.
fn send_cpm(journal: &mut Journal, sale_id: i64) -> CreatedAttempt {
    let attempt = journal
        .create_attempt(sale_id, "pokepay", PaymentMethod::CustomerCode)
        .unwrap();
    record(journal, &attempt, AttemptEvent::Sent);
    attempt
}

/// A cashtray attempt for the sale whose tray was created and shown to the customer.
fn present_cashtray(
    journal: &mut Journal,
    sale_id: i64,
    tray: &str,
    token: &str,
) -> CreatedAttempt {
    let attempt = journal
        .create_attempt(sale_id, "pokepay", PaymentMethod::MerchantQr)
        .unwrap();
    journal
        .record_presented(attempt.attempt_id, tray, token)
        .unwrap();
    attempt
}

/// A: cashtray paid (mixed rates), B: CPM paid then refunded, C: CPM failed then voided,
/// D: top-up paid by cashtray, E: cashtray expired.
fn ring_up_a_day(journal: &mut Journal) -> [i64; 5] {
    let a = journal
        .create_sale(&checkout(&[onigiri(), onigiri(), beer()]), &meta())
        .unwrap();
    let attempt = journal
        .create_attempt(a.sale_id, "pokepay", PaymentMethod::MerchantQr)
        .unwrap();
    assert_eq!(attempt.amount, Yen(-568));
    assert_eq!(state_of(journal, a.sale_id), SaleState::Pending);
    journal
        .record_presented(
            attempt.attempt_id,
            "tray-a",
            "https://example.test/cashtrays/tray-a",
        )
        .unwrap();
    record(journal, &attempt, paid("T-A"));
    assert_eq!(state_of(journal, a.sale_id), SaleState::Paid);

    let b = journal.create_sale(&checkout(&[tea()]), &meta()).unwrap();
    let attempt = send_cpm(journal, b.sale_id);
    record(journal, &attempt, paid("T-B"));
    let refund = journal.begin_refund(b.sale_id, "返品").unwrap();
    assert_eq!(refund.transaction_id, "T-B");
    assert_eq!(refund.amount, Yen(151));
    let done = journal
        .finish_refund(
            refund.refund_id,
            RefundOutcome::Done {
                refund_transaction_id: "R-B".into(),
            },
        )
        .unwrap();
    assert_eq!(done, RefundState::Done);
    assert_eq!(state_of(journal, b.sale_id), SaleState::Refunded);

    let c_sale = journal.create_sale(&manual(1_000), &meta()).unwrap();
    let attempt = send_cpm(journal, c_sale.sale_id);
    record(
        journal,
        &attempt,
        AttemptEvent::FailedObserved(Failure::new(
            regi_core::domain::FailReason::InsufficientBalance,
            "account_balance_not_enough",
            "残高が足りません",
        )),
    );
    assert_eq!(state_of(journal, c_sale.sale_id), SaleState::Failed);
    journal.void_sale(c_sale.sale_id, "customer left").unwrap();
    assert_eq!(state_of(journal, c_sale.sale_id), SaleState::Cancelled);

    let topup = SaleDraft::topup(
        Yen(3_000),
        &AmountGuard::new(Yen(100_000)),
        TaxPolicy::default(),
    )
    .unwrap();
    let d = journal.create_sale(&topup, &meta()).unwrap();
    let attempt = present_cashtray(journal, d.sale_id, "tray-d", "token-d");
    assert_eq!(attempt.amount, Yen(3_000));
    record(journal, &attempt, paid("T-D"));

    let e = journal.create_sale(&manual(500), &meta()).unwrap();
    let attempt = present_cashtray(journal, e.sale_id, "tray-e", "token-e");
    record(journal, &attempt, AttemptEvent::ExpiredObserved);
    assert_eq!(state_of(journal, e.sale_id), SaleState::Expired);

    [a.sale_id, b.sale_id, c_sale.sale_id, d.sale_id, e.sale_id]
}

#[test]
fn x_and_z_reports_sum_by_method_rate_refunds_and_topups() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    ring_up_a_day(&mut journal);

    let x = journal.x_report().unwrap().expect("a day is open");
    assert_eq!(x.kind, ReportKind::X);
    assert_eq!((x.first_receipt_no, x.last_receipt_no), (Some(1), Some(5)));
    assert_eq!((x.payments.count, x.payments.amount), (2, Yen(568 + 151)));
    let by_method: Vec<_> = x
        .payments_by_method
        .iter()
        .map(|m| (m.method, m.count, m.amount))
        .collect();
    assert_eq!(
        by_method,
        [
            (PaymentMethod::MerchantQr, 1, Yen(568)),
            (PaymentMethod::CustomerCode, 1, Yen(151))
        ]
    );
    let by_rate: Vec<_> = x
        .payments_by_rate
        .iter()
        .map(|r| (r.rate, r.taxable, r.tax))
        .collect();
    // Standard: 248 → 22. Reduced: sale A 320 → 23, sale B 151 → 11 (once per rate per sale).
    assert_eq!(
        by_rate,
        [
            (TaxRate::Standard10, Yen(248), Yen(22)),
            (TaxRate::Reduced8, Yen(471), Yen(34))
        ]
    );
    assert_eq!((x.refunds.count, x.refunds.amount), (1, Yen(151)));
    assert_eq!(x.refunds_by_method[1].amount, Yen(151));
    assert_eq!(x.refunds_by_rate[1].tax, Yen(11));
    assert_eq!(x.net_sales, Yen(568));
    assert_eq!((x.topups.count, x.topups.amount), (1, Yen(3_000)));
    assert_eq!(x.topups_by_method[0].amount, Yen(3_000));
    assert_eq!(x.net_topups, Yen(3_000));
    assert_eq!(
        (
            x.failed_attempts,
            x.expired_attempts,
            x.cancelled_attempts,
            x.voided_sales,
            x.unresolved_attempts
        ),
        (1, 1, 0, 1, 0)
    );
    assert!(x.to_text().contains("¥568"));

    let z = journal.close_day_with_z_report().unwrap();
    assert_eq!(z.kind, ReportKind::Z);
    assert_eq!(z.payments, x.payments);
    assert_eq!(z.payments_by_rate, x.payments_by_rate);
    assert_eq!(z.net_sales, x.net_sales);
    assert_eq!(journal.z_report(z.business_day_id).unwrap(), Some(z));
    assert_eq!(journal.x_report().unwrap(), None);
    assert!(journal.list_sales(SaleFilter::OpenDay).unwrap().is_empty());
}

#[test]
fn an_unknown_outcome_survives_a_restart_and_is_reconciled() {
    let dir = tempfile::tempdir().unwrap();
    let (sale_id, request_id) = {
        let mut journal = open(&dir);
        let sale = journal.create_sale(&checkout(&[beer()]), &meta()).unwrap();
        let attempt = send_cpm(&mut journal, sale.sale_id);
        record(
            &mut journal,
            &attempt,
            AttemptEvent::OutcomeLost { at: at() },
        );
        assert_eq!(state_of(&journal, sale.sale_id), SaleState::Unknown);
        (sale.sale_id, attempt.request_id)
    };

    let mut journal = open(&dir);
    let unresolved = journal.unresolved_attempts().unwrap();
    assert_eq!(unresolved.len(), 1);
    let u = &unresolved[0];
    assert_eq!(
        (u.sale_id, u.method),
        (sale_id, PaymentMethod::CustomerCode)
    );
    assert_eq!(u.request_id, request_id);
    assert_eq!(u.amount, Yen(-248));
    assert_eq!(u.state, AttemptState::Unknown { since: at() });

    let z = journal.close_day_with_z_report().unwrap_err();
    assert!(matches!(z, JournalError::Refused(_)), "{z:?}");
    assert_eq!(journal.x_report().unwrap().unwrap().unresolved_attempts, 1);

    let state = journal
        .record_resolution(
            u.attempt_id,
            Resolution::Paid {
                transaction_id: "T-R".into(),
            },
        )
        .unwrap();
    assert_eq!(state.transaction_id(), Some("T-R"));
    assert!(journal.unresolved_attempts().unwrap().is_empty());
    let detail = journal.sale(sale_id).unwrap();
    assert_eq!(detail.sale.state, SaleState::Paid);
    assert_eq!(detail.sale.transaction_id.as_deref(), Some("T-R"));
    let kinds: Vec<&str> = detail.events.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"attempt_outcome_lost"), "{kinds:?}");
    assert!(kinds.contains(&"attempt_resolved"), "{kinds:?}");
    journal.close_day_with_z_report().unwrap();
}

#[test]
fn an_unconfirmed_cashtray_is_listed_with_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let sale = journal.create_sale(&manual(700), &meta()).unwrap();
    let created = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::MerchantQr)
        .unwrap();
    let other = journal.create_sale(&manual(800), &meta()).unwrap();
    let presented = present_cashtray(&mut journal, other.sale_id, "tray-1", "token-1");
    let unresolved = journal.unresolved_attempts().unwrap();
    let ids: Vec<_> = unresolved
        .iter()
        .map(|u| (u.attempt_id, u.provider_ref.clone()))
        .collect();
    assert_eq!(
        ids,
        [
            (created.attempt_id, None),
            (presented.attempt_id, Some("tray-1".to_string()))
        ]
    );
}

#[test]
fn a_cancel_confirmed_after_payment_keeps_the_sale_paid_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let sale = journal.create_sale(&manual(500), &meta()).unwrap();
    let attempt = present_cashtray(&mut journal, sale.sale_id, "tray", "token");
    record(&mut journal, &attempt, paid("T-1"));
    let state = record(&mut journal, &attempt, AttemptEvent::CancelConfirmed);
    assert_eq!(state.transaction_id(), Some("T-1"));
    let detail = journal.sale(sale.sale_id).unwrap();
    assert_eq!(detail.sale.state, SaleState::Paid);
    let last = detail.events.last().unwrap();
    assert_eq!(last.kind, "attempt_cancel_confirmed");
    assert_eq!(last.detail["changed"], false);
}

#[test]
fn a_refused_transition_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let sale = journal.create_sale(&manual(500), &meta()).unwrap();
    let attempt = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::CustomerCode)
        .unwrap();
    let events_before = journal.sale(sale.sale_id).unwrap().events.len();
    let err = journal
        .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
        .unwrap_err();
    assert!(matches!(err, JournalError::Transition(_)), "{err:?}");
    let detail = journal.sale(sale.sale_id).unwrap();
    assert_eq!(detail.events.len(), events_before);
    assert_eq!(detail.attempts[0].state, AttemptState::Created);
}

#[test]
fn double_charges_and_double_refunds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let sale = journal.create_sale(&manual(500), &meta()).unwrap();
    let first = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::CustomerCode)
        .unwrap();
    let busy = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::MerchantQr)
        .unwrap_err();
    assert!(matches!(busy, JournalError::Refused(_)), "{busy:?}");

    let early = journal.begin_refund(sale.sale_id, "x").unwrap_err();
    assert!(matches!(early, JournalError::Refused(_)), "{early:?}");

    record(&mut journal, &first, AttemptEvent::Sent);
    record(&mut journal, &first, paid("T-1"));
    let again = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::CustomerCode)
        .unwrap_err();
    assert!(matches!(again, JournalError::Refused(_)), "{again:?}");
    let void = journal.void_sale(sale.sale_id, "x").unwrap_err();
    assert!(matches!(void, JournalError::Refused(_)), "{void:?}");

    let refund = journal.begin_refund(sale.sale_id, "返品").unwrap();
    let pending = journal.begin_refund(sale.sale_id, "返品").unwrap_err();
    assert!(matches!(pending, JournalError::Refused(_)), "{pending:?}");
    assert_eq!(journal.unresolved_refunds().unwrap().len(), 1);
    journal
        .finish_refund(
            refund.refund_id,
            RefundOutcome::Failed {
                error_type: "transaction_already_refunded".into(),
                message: "already".into(),
            },
        )
        .unwrap();
    assert_eq!(state_of(&journal, sale.sale_id), SaleState::Paid);
    let again = journal
        .finish_refund(
            refund.refund_id,
            RefundOutcome::Done {
                refund_transaction_id: "R".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(again, JournalError::Refused(_)), "{again:?}");
}

#[test]
fn a_failed_attempt_can_be_retried_with_a_new_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let sale = journal.create_sale(&manual(500), &meta()).unwrap();
    let first = send_cpm(&mut journal, sale.sale_id);
    record(
        &mut journal,
        &first,
        AttemptEvent::FailedObserved(Failure::new(
            regi_core::domain::FailReason::TokenExpired,
            "cpm_token_already_expired",
            "",
        )),
    );
    let second = present_cashtray(&mut journal, sale.sale_id, "tray", "token");
    assert_ne!(first.request_id, second.request_id);
    record(&mut journal, &second, paid("T-2"));
    let s = journal.sale(sale.sale_id).unwrap().sale;
    assert_eq!(s.state, SaleState::Paid);
    assert_eq!(s.method, Some(PaymentMethod::MerchantQr));
}

#[test]
fn print_queue_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let sale = journal.create_sale(&manual(500), &meta()).unwrap();
    let a = journal
        .enqueue_print(Some(sale.sale_id), "receipt", b"A")
        .unwrap();
    let b = journal.enqueue_print(None, "x_report", b"B").unwrap();
    let ids: Vec<i64> = journal
        .pending_print_jobs()
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(ids, [a, b]);
    journal.mark_printed(a).unwrap();
    journal.record_print_failure(b, "paper out").unwrap();
    assert!(journal.mark_printed(a).is_err());
    assert!(journal.record_print_failure(a, "late").is_err());
    let pending = journal.pending_print_jobs().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, b);
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(pending[0].last_error.as_deref(), Some("paper out"));
    journal.mark_printed(b).unwrap();
    assert!(journal.pending_print_jobs().unwrap().is_empty());
}

#[test]
fn json_export_is_an_array_of_sales_with_the_agreed_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = open(&dir);
    let ids = ring_up_a_day(&mut journal);
    let json: serde_json::Value =
        serde_json::from_str(&journal.export_json(SaleFilter::All).unwrap()).unwrap();
    let sales = json.as_array().expect("an array");
    assert_eq!(sales.len(), 5);
    for sale in sales {
        for key in [
            "id",
            "state",
            "total",
            "method",
            "transaction_id",
            "created_at",
        ] {
            assert!(sale.get(key).is_some(), "{key} missing in {sale}");
        }
    }
    let states: Vec<&str> = sales.iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["paid", "refunded", "cancelled", "paid", "expired"]);
    assert_eq!(sales[0]["id"], ids[0]);
    assert_eq!(sales[0]["total"], 568);
    assert_eq!(sales[0]["method"], "merchant_qr");
    assert_eq!(sales[0]["transaction_id"], "T-A");
    assert_eq!(sales[0]["created_at"], "2025-04-01T00:30:00.000Z");
    assert_eq!(sales[2]["transaction_id"], serde_json::Value::Null);

    let csv = journal.export_csv(SaleFilter::All).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("id,receipt_no,business_day_id,kind,state,total,method"));
    assert_eq!(lines.count(), 5);
}

#[tokio::test]
async fn the_handle_runs_journal_calls_on_the_writer_thread() {
    let dir = tempfile::tempdir().unwrap();
    let journal = open(&dir);
    let (handle, thread) = JournalHandle::spawn(journal).unwrap();
    let sale = handle
        .call(|j| j.create_sale(&manual(500), &meta()))
        .await
        .unwrap();
    let attempt = handle
        .call(move |j| j.create_attempt(sale.sale_id, "pokepay", PaymentMethod::CustomerCode))
        .await
        .unwrap();
    let err = handle
        .call(move |j| j.record_attempt_event(attempt.attempt_id, AttemptEvent::Presented))
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Transition(_)));
    let panicked: Result<(), _> = handle.call(|_| panic!("bad job")).await;
    assert!(matches!(panicked, Err(JournalError::WriterGone)));
    // The writer survives a panicking job.
    let unresolved = handle.call(|j| j.unresolved_attempts()).await.unwrap();
    assert_eq!(unresolved.len(), 1);
    drop(handle);
    thread.join().unwrap();
}
