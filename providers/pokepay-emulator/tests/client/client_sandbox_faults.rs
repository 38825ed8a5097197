//! regi's client against a sandbox injecting faults over a real socket: dropped answers retried
//! with the same `request_id`, 503s, held answers that time the client out, and latency.

use std::time::Duration;

use regi_pokepay::CallError;
use regi_pokepay::wire::{CreateCpmTransactionRequest, Num};
use regi_pokepay_emulator::faults::FaultOutcome;
use regi_pokepay_emulator::{CUSTOMER_RICH, CpmScope, FaultPlan, SandboxOptions, SandboxState};
use uuid::Uuid;

use crate::common::{Harness, assert_table_texts};

fn faults(spec: &str) -> FaultPlan {
    FaultPlan::from_specs(&[spec]).expect("a valid fault spec")
}

/// A sandbox injecting `plan` (its fault sequence fixed by `seed` when given), and a client that
/// retries up to `max_retries` times.
async fn start_faulty(plan: FaultPlan, seed: Option<u64>, max_retries: u32) -> Harness {
    Harness::start_with(
        SandboxOptions {
            seed,
            faults: plan,
            ..Default::default()
        },
        |s| s.max_retries = max_retries,
    )
    .await
}

fn cpm_payment(h: &Harness, amount: i64) -> CreateCpmTransactionRequest {
    CreateCpmTransactionRequest {
        cpm_token: h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]),
        shop_id: h.shop_id(),
        amount: Num::yen(-amount),
        description: Some("fault test".into()),
        metadata: None,
        products: None,
        request_id: Some(Uuid::new_v4()),
        strategy: None,
    }
}

#[tokio::test]
async fn answers_dropped_on_every_try_still_leave_exactly_one_transaction() {
    let h = start_faulty(faults("drop=1.0"), None, 2).await;
    let request = cpm_payment(&h, 1_500);
    let before = h.customer(CUSTOMER_RICH);

    // Every try (the first and the client's two retries, all with the same request_id) is applied
    // and then cut off: the client cannot know the outcome.
    let lost = h.client.create_cpm_transaction(&request).await;
    let error = lost.expect_err("no answer ever arrives");
    assert!(matches!(error, CallError::Unknown { .. }), "{error:?}");
    assert!(error.is_outcome_unknown());
    let ledger = h.sandbox.state.transactions();
    assert_eq!(ledger.len(), 1, "the retries did not pay twice");
    let paid = ledger[0].clone();
    assert_eq!(paid.transaction.amount, Num::yen(1_500));
    assert_eq!(
        h.customer(CUSTOMER_RICH).money_balance + h.customer(CUSTOMER_RICH).point_balance,
        before.money_balance + before.point_balance - 1_500
    );

    // Once the network is back the caller's retry with the same request_id gets that transaction,
    // and the lookup by request_id finds it too.
    h.sandbox.state.set_faults(FaultPlan::default());
    let retried = h.client.create_cpm_transaction(&request).await.unwrap();
    assert_eq!(retried, paid);
    let found = h
        .client
        .get_transaction_by_request_id(request.request_id.unwrap())
        .await
        .unwrap();
    assert_eq!(found, paid);
    assert_eq!(h.transaction_count(), 1);
}

/// A seed whose first two fault decisions under `plan` are `first`, then `second`. The
/// decisions follow only from the seed, so a probe state built from it predicts a fresh one.
fn seed_with(plan: FaultPlan, first: FaultOutcome, second: FaultOutcome) -> u64 {
    (0..1_000)
        .find(|&seed| {
            let probe = SandboxState::new(SandboxOptions {
                seed: Some(seed),
                faults: plan,
                ..Default::default()
            })
            .expect("a probe sandbox");
            probe.decide_fault().outcome == first && probe.decide_fault().outcome == second
        })
        .expect("some seed drops first and answers second")
}

#[tokio::test]
async fn the_clients_own_retry_after_a_dropped_answer_returns_the_one_transaction() {
    let plan = faults("drop=0.5");
    let seed = seed_with(plan, FaultOutcome::Drop, FaultOutcome::Answer);
    let h = start_faulty(plan, Some(seed), 1).await;
    let request = cpm_payment(&h, 2_400);

    // The first try is applied and dropped; the automatic retry (same request_id) is answered
    // with the transaction the first one made.
    let detail = h.client.create_cpm_transaction(&request).await.unwrap();
    let ledger = h.sandbox.state.transactions();
    assert_eq!(ledger.len(), 1);
    assert_eq!(detail, ledger[0]);
    assert_eq!(detail.transaction.amount, Num::yen(2_400));
}

#[tokio::test]
async fn without_a_request_id_a_dropped_payment_is_not_retried() {
    let plan = faults("drop=0.5");
    let seed = seed_with(plan, FaultOutcome::Drop, FaultOutcome::Answer);
    let h = start_faulty(plan, Some(seed), 3).await;
    let request = CreateCpmTransactionRequest {
        request_id: None,
        ..cpm_payment(&h, 300)
    };
    let error = h
        .client
        .create_cpm_transaction(&request)
        .await
        .expect_err("the one try is dropped");
    assert!(error.is_outcome_unknown());
    assert_eq!(h.transaction_count(), 1);
    // The second fault decision (an answer) is still unused: nothing was sent again.
    assert_eq!(h.sandbox.state.decide_fault().outcome, FaultOutcome::Answer);
}

#[tokio::test]
async fn unavailable_is_a_retryable_503_that_changes_nothing() {
    let h = start_faulty(faults("unavailable=1.0"), None, 2).await;
    let request = cpm_payment(&h, 800);
    let before = h.sandbox.state.customers();

    let error = h
        .client
        .create_cpm_transaction(&request)
        .await
        .expect_err("always unavailable");
    let failure = error.api().expect("an API error").clone();
    assert_eq!(
        (failure.status, failure.kind.as_str()),
        (503, "temporarily_unavailable")
    );
    assert!(failure.is_retryable() && error.is_retryable());
    assert!(error.is_outcome_unknown());
    assert_table_texts(&failure);
    assert_eq!(failure.en(), "Service Unavailable");
    assert_eq!(h.transaction_count(), 0);
    assert_eq!(h.sandbox.state.customers(), before);

    // Reads are refused the same way.
    let read = h.client.get_shop(h.shop_id()).await;
    assert_eq!(read.unwrap_err().api().map(|f| f.status), Some(503));
    // Ping is outside the fault plan.
    assert_eq!(h.client.ping().await.unwrap().pong, "ok");

    h.sandbox.state.set_faults(FaultPlan::default());
    h.client.create_cpm_transaction(&request).await.unwrap();
    assert_eq!(h.transaction_count(), 1);
}

#[tokio::test]
async fn a_held_answer_times_the_client_out_with_an_unknown_outcome() {
    let h = Harness::start_with(
        SandboxOptions {
            faults: faults("timeout=1.0"),
            hold: Duration::from_secs(30),
            ..Default::default()
        },
        |s| {
            s.timeout = Duration::from_millis(300);
            s.connect_timeout = Duration::from_millis(300);
            s.max_retries = 1;
        },
    )
    .await;
    let request = cpm_payment(&h, 650);
    let error = h
        .client
        .create_cpm_transaction(&request)
        .await
        .expect_err("the answer is held past the client's timeout");
    match &error {
        CallError::Unknown { reason, .. } => assert!(reason.contains("timed out"), "{reason}"),
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert!(error.is_outcome_unknown() && error.is_retryable());
    // Both tries were applied under the same request_id: one payment.
    assert_eq!(h.transaction_count(), 1);

    h.sandbox.state.set_faults(FaultPlan::default());
    let found = h
        .client
        .get_transaction_by_request_id(request.request_id.unwrap())
        .await
        .unwrap();
    assert_eq!(found.transaction.amount, Num::yen(650));
    assert_eq!(found, h.sandbox.state.transactions()[0]);
}

#[tokio::test]
async fn latency_slows_calls_down_without_changing_answers() {
    let h = Harness::start_with(
        SandboxOptions {
            faults: faults("latency=20"),
            ..Default::default()
        },
        |_| {},
    )
    .await;
    assert_eq!(h.client.echo("slow").await.unwrap().message, "slow");
    let detail = h
        .client
        .create_cpm_transaction(&cpm_payment(&h, 120))
        .await
        .unwrap();
    assert_eq!(detail.transaction.amount, Num::yen(120));
}
