//! The never-double-charge, never-lose-a-sale rules under lost answers, 503s and restarts, against
//! the sandbox through the real client.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use regi_core::domain::{AttemptState, PaymentMethod};
use regi_engine::EngineEvent;
use regi_journal::{Journal, JournalHandle, SaleFilter};
use regi_payment::{
    Capabilities, CodeCharge, GatewayError, GatewayFuture, PaidTransaction, PaymentGateway,
    QrRequest, QrSession, QrStatus, RefundRequest, RefundResult,
};
use regi_pokepay::PokepayGateway;
use regi_pokepay_emulator::{CUSTOMER_POOR, CUSTOMER_RICH, FaultPlan};
use regi_testkit::engine::*;
use tokio::sync::{Notify, mpsc, watch};
use uuid::Uuid;

/// The real gateway, except that chosen charge answers are lost after the sandbox applied them,
/// or never come back at all (the register died mid-request).
#[derive(Clone)]
struct LossyCharges {
    inner: PokepayGateway,
    lose_next_answers: Arc<AtomicU32>,
    hang_after_charge: Arc<AtomicBool>,
    charged: Arc<Notify>,
    charge_calls: Arc<AtomicU32>,
    /// A journal that stops taking writes right after the next charge reached the sandbox.
    stop_journal_after_charge: Arc<std::sync::Mutex<Option<JournalHandle>>>,
}

impl LossyCharges {
    fn new(inner: PokepayGateway) -> Self {
        Self {
            inner,
            lose_next_answers: Arc::new(AtomicU32::new(0)),
            hang_after_charge: Arc::new(AtomicBool::new(false)),
            charged: Arc::new(Notify::new()),
            charge_calls: Arc::new(AtomicU32::new(0)),
            stop_journal_after_charge: Arc::default(),
        }
    }
}

impl PaymentGateway for LossyCharges {
    fn provider(&self) -> &'static str {
        self.inner.provider()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        Box::pin(async move { self.inner.create_qr(request).await })
    }
    fn qr_status<'a>(&'a self, id: &'a str) -> GatewayFuture<'a, QrStatus> {
        Box::pin(async move { self.inner.qr_status(id).await })
    }
    fn cancel_qr<'a>(&'a self, id: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move { self.inner.cancel_qr(id).await })
    }
    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(async move {
            self.charge_calls.fetch_add(1, Ordering::SeqCst);
            let answer = self.inner.charge_code(request).await;
            let stop = self.stop_journal_after_charge.lock().unwrap().take();
            if let Some(journal) = stop {
                journal.call(|j| j.refuse_writes(true)).await.unwrap();
            }
            self.charged.notify_one();
            if self.hang_after_charge.load(Ordering::SeqCst) {
                std::future::pending::<()>().await;
            }
            let lose = self
                .lose_next_answers
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if lose {
                Err(GatewayError::Unknown("answer lost".into()))
            } else {
                answer
            }
        })
    }
    fn lookup_request(&self, request_id: Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        Box::pin(async move { self.inner.lookup_request(request_id).await })
    }
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        Box::pin(async move { self.inner.refund(request).await })
    }
}

#[tokio::test]
async fn a_charge_whose_outcome_cannot_be_journaled_is_unknown_until_the_journal_takes_it() {
    let sandbox = sandbox(FaultPlan::default(), 16).await;
    let dir = tempfile::tempdir().unwrap();
    let lossy = LossyCharges::new(gateway(&sandbox));
    let engine = engine(lossy.clone(), dir.path(), fast_settings());
    *lossy.stop_journal_after_charge.lock().unwrap() = Some(engine.journal().clone());
    let sale = engine.create_sale(payment(2_500)).await.unwrap();
    let token = cpm_token(&sandbox, CUSTOMER_RICH);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let paying = {
        let engine = engine.clone();
        tokio::spawn(async move { engine.pay_by_code(sale.sale_id, &token, &tx).await })
    };
    // The charge went through; the journal refuses to record it.
    loop {
        match rx.recv().await.expect("the attempt reports") {
            EngineEvent::Unrecorded { .. } => break,
            EngineEvent::Finished(outcome) => {
                panic!("finished before it was recorded: {outcome:?}")
            }
            _ => {}
        }
    }
    assert_eq!(
        sandbox.state.transactions().len(),
        1,
        "the customer was charged"
    );
    let reader = Journal::open_read_only(&journal_file(dir.path())).unwrap();
    let attempts = reader.sale(sale.sale_id).unwrap().attempts;
    assert_eq!(attempts.len(), 1);
    assert!(
        !attempts[0].state.is_final(),
        "the journal still holds the attempt as sent, not failed: {:?}",
        attempts[0].state
    );
    assert!(
        !paying.is_finished(),
        "the engine holds the outcome, it does not give up"
    );

    // Space comes back: the held answer is written and reported, and nobody charged twice.
    engine
        .journal()
        .call(|j| j.refuse_writes(false))
        .await
        .unwrap();
    let outcome = paying.await.unwrap().expect("settled, not an error");
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(
        sale_state(&engine, sale.sale_id).await,
        regi_journal::SaleState::Paid
    );
    assert_eq!(sandbox.state.transactions().len(), 1, "exactly one charge");
    assert_eq!(
        lossy.charge_calls.load(Ordering::SeqCst),
        1,
        "never sent again"
    );
}

#[tokio::test]
async fn a_lost_charge_answer_is_resolved_without_a_second_charge() {
    let sandbox = sandbox(FaultPlan::default(), 11).await;
    let dir = tempfile::tempdir().unwrap();
    let lossy = LossyCharges::new(gateway(&sandbox));
    lossy.lose_next_answers.store(2, Ordering::SeqCst);
    let engine = engine(lossy.clone(), dir.path(), fast_settings());
    let sale = engine.create_sale(payment(4_321)).await.unwrap();
    let token = cpm_token(&sandbox, CUSTOMER_RICH);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let outcome = engine.pay_by_code(sale.sale_id, &token, &tx).await.unwrap();
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(
        sandbox.state.transactions().len(),
        1,
        "exactly one transaction"
    );
    let mut saw_checking = false;
    while let Ok(event) = rx.try_recv() {
        saw_checking |= matches!(event, regi_engine::EngineEvent::Checking { .. });
    }
    assert!(
        saw_checking,
        "the clerk is told the outcome is being checked, not that it failed"
    );
}

#[tokio::test]
async fn dropped_responses_from_the_sandbox_never_charge_twice() {
    let faults = FaultPlan {
        drop: 0.5,
        ..FaultPlan::default()
    };
    let sandbox = sandbox(faults, 12).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(gateway(&sandbox), dir.path(), fast_settings());
    let (tx, _rx) = mpsc::unbounded_channel();
    for i in 0..12 {
        let sale = engine.create_sale(payment(100 + i)).await.unwrap();
        let token = cpm_token(&sandbox, CUSTOMER_RICH);
        let outcome = engine.pay_by_code(sale.sale_id, &token, &tx).await.unwrap();
        assert!(outcome.is_paid(), "sale {i}: {outcome:?}");
    }
    assert_eq!(sandbox.state.transactions().len(), 12);
}

#[tokio::test]
async fn a_register_that_died_during_a_charge_resolves_it_on_restart() {
    let sandbox = sandbox(FaultPlan::default(), 13).await;
    let dir = tempfile::tempdir().unwrap();
    let lossy = LossyCharges::new(gateway(&sandbox));
    lossy.hang_after_charge.store(true, Ordering::SeqCst);
    let first = engine(lossy.clone(), dir.path(), fast_settings());
    let sale = first.create_sale(payment(980)).await.unwrap();
    let token = cpm_token(&sandbox, CUSTOMER_RICH);
    let charged = lossy.charged.clone();
    let run = {
        let first = first.clone();
        tokio::spawn(async move {
            let (tx, _rx) = mpsc::unbounded_channel();
            first.pay_by_code(sale.sale_id, &token, &tx).await
        })
    };
    charged.notified().await;
    run.abort();
    let _ = run.await;
    drop(first);

    let second = engine(gateway(&sandbox), dir.path(), fast_settings());
    let report = second.recover().await.unwrap();
    assert_eq!(report.attempts.len(), 1);
    let ledger = sandbox.state.transactions();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        report.attempts[0].state,
        AttemptState::Paid {
            transaction_id: ledger[0].transaction.id.to_string()
        }
    );
    assert!(report.all_resolved());
    assert!(
        second.recover().await.unwrap().is_empty(),
        "nothing is left to resolve"
    );
}

#[tokio::test]
async fn a_register_that_died_while_showing_a_paid_qr_resolves_it_on_restart() {
    let sandbox = sandbox(FaultPlan::default(), 14).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fast_settings();
    settings.poll.fresh_interval = std::time::Duration::from_secs(3600);
    let first = engine(gateway(&sandbox), dir.path(), settings);
    let sale = first.create_sale(payment(1_100)).await.unwrap();
    let (run, _cancel, token) = start_qr(&first, sale.sale_id).await;
    sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).unwrap();
    run.abort();
    let _ = run.await;
    drop(first);

    let second = engine(gateway(&sandbox), dir.path(), fast_settings());
    let report = second.recover().await.unwrap();
    assert!(
        matches!(report.attempts[0].state, AttemptState::Paid { .. }),
        "{report:?}"
    );
    assert_eq!(
        sale_state(&second, sale.sale_id).await,
        regi_journal::SaleState::Paid
    );
}

#[tokio::test]
async fn an_open_qr_found_at_restart_is_cancelled_and_a_never_sent_code_is_not_charged() {
    let sandbox = sandbox(FaultPlan::default(), 15).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fast_settings();
    settings.poll.fresh_interval = std::time::Duration::from_secs(3600);
    let first = engine(gateway(&sandbox), dir.path(), settings);
    let qr_sale = first.create_sale(payment(700)).await.unwrap();
    let (run, _cancel, token) = start_qr(&first, qr_sale.sale_id).await;
    run.abort();
    let _ = run.await;
    // A CPM attempt journaled, then the power went before the request left.
    let code_sale = first.create_sale(payment(600)).await.unwrap();
    first
        .journal()
        .call(move |j| j.create_attempt(code_sale.sale_id, "pokepay", PaymentMethod::CustomerCode))
        .await
        .unwrap();
    drop(first);

    let second = engine(gateway(&sandbox), dir.path(), fast_settings());
    let report = second.recover().await.unwrap();
    assert_eq!(report.attempts.len(), 2);
    assert_eq!(report.attempts[0].state, AttemptState::Cancelled);
    assert!(
        matches!(&report.attempts[1].state, AttemptState::Failed(f) if f.error_type == "code_not_sent")
    );
    // The abandoned QR can no longer be paid.
    assert!(sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).is_err());
    assert!(sandbox.state.transactions().is_empty());
}

/// 200 mixed checkouts (QR and customer code, payments and failures, some cancelled) against a
/// sandbox that drops 20 % of responses after applying them and answers 503 to 5 %: afterwards the
/// journal and the sandbox ledger agree on every sale and every yen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_checkouts_under_faults_leave_journal_equal_to_ledger() {
    let faults = FaultPlan {
        drop: 0.2,
        unavailable: 0.05,
        ..FaultPlan::default()
    };
    let sandbox = Arc::new(sandbox(faults, 16).await);
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(gateway(&sandbox), dir.path(), fast_settings());
    let workers = 4;
    let per_worker = 50;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let engine = engine.clone();
        let sandbox = sandbox.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_worker {
                let n = w * per_worker + i;
                let sale = engine.create_sale(payment(100 + n as i64)).await.unwrap();
                let customer = if n % 10 == 3 {
                    CUSTOMER_POOR
                } else {
                    CUSTOMER_RICH
                };
                let (tx, mut rx) = mpsc::unbounded_channel();
                if n % 2 == 0 {
                    let token = cpm_token(&sandbox, customer);
                    engine.pay_by_code(sale.sale_id, &token, &tx).await.unwrap();
                } else {
                    let (cancel, cancel_rx) = watch::channel(false);
                    let run = {
                        let engine = engine.clone();
                        tokio::spawn(
                            async move { engine.pay_by_qr(sale.sale_id, cancel_rx, &tx).await },
                        )
                    };
                    match next_presented(&mut rx).await {
                        Some(_) if n % 7 == 0 => cancel.send(true).unwrap(),
                        Some(token) => {
                            let _ = sandbox.state.pay_cashtray(&token, customer);
                        }
                        None => {}
                    }
                    run.await.unwrap().unwrap();
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }

    let sales = engine
        .journal()
        .call(|j| j.export_sales(SaleFilter::All))
        .await
        .unwrap();
    assert_eq!(sales.len(), workers * per_worker);
    let journal_paid: BTreeMap<String, i64> = sales
        .iter()
        .filter(|s| s.state == "paid")
        .map(|s| (s.transaction_id.clone().unwrap(), s.total))
        .collect();
    let ledger: BTreeMap<String, i64> = sandbox
        .state
        .transactions()
        .iter()
        .map(|t| {
            (
                t.transaction.id.to_string(),
                t.transaction.amount.as_yen().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        journal_paid, ledger,
        "every paid sale exactly once, nothing missing, nothing extra"
    );
    assert!(
        sales
            .iter()
            .all(|s| s.state != "unknown" && s.state != "pending"),
        "every attempt resolved"
    );
    assert!(
        journal_paid.len() > 120,
        "most checkouts were paid: {}",
        journal_paid.len()
    );
    assert!(sales.iter().any(|s| s.state == "failed"));
    assert!(sales.iter().any(|s| s.state == "cancelled"));
}

#[tokio::test]
async fn a_sale_left_without_an_attempt_is_closed_as_abandoned_and_counted() {
    let sandbox = sandbox(FaultPlan::default(), 17).await;
    let dir = tempfile::tempdir().unwrap();
    let first = engine(gateway(&sandbox), dir.path(), fast_settings());
    // The register stopped between recording the sale and starting its payment.
    let sale = first.create_sale(payment(880)).await.unwrap();
    close_register(first, dir.path());

    let second = engine(gateway(&sandbox), dir.path(), fast_settings());
    let report = second.recover().await.unwrap();
    assert_eq!(report.abandoned_sales, vec![sale.sale_id]);
    assert!(report.all_resolved());
    let detail = second
        .journal()
        .call(move |j| j.sale(sale.sale_id))
        .await
        .unwrap();
    assert_eq!(detail.sale.state, regi_journal::SaleState::Cancelled);
    let x = second
        .journal()
        .call(|j| j.x_report())
        .await
        .unwrap()
        .expect("the day is open");
    assert_eq!(x.voided_sales, 1, "the X report counts it");
    assert_eq!(sandbox.state.transactions().len(), 0, "nothing was sent");
    // Settled once: the next start finds nothing left.
    assert!(second.recover().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_engine_dates_an_unknown_outcome_by_its_own_clock() {
    // Every request to the provider goes unanswered.
    let faults = FaultPlan {
        drop: 1.0,
        ..FaultPlan::default()
    };
    let sandbox = sandbox(faults, 18).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fast_settings();
    settings.resolve_for = std::time::Duration::ZERO;
    let at: chrono::DateTime<chrono::Utc> = "2031-04-01T09:30:00Z".parse().unwrap();
    let engine = engine(gateway(&sandbox), dir.path(), settings).with_clock(Arc::new(move || at));
    let sale = engine.create_sale(payment(990)).await.unwrap();
    let token = "22222222222222222222ab";
    let (tx, _rx) = mpsc::unbounded_channel();
    let outcome = engine.pay_by_code(sale.sale_id, token, &tx).await.unwrap();
    assert_eq!(outcome.state, AttemptState::Unknown { since: at });
    let detail = engine
        .journal()
        .call(move |j| j.sale(sale.sale_id))
        .await
        .unwrap();
    assert_eq!(
        detail.attempts[0].state,
        AttemptState::Unknown { since: at }
    );
}
