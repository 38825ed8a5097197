//! The API's refusal of stale and repeated calls over a real socket (`CallChecks::API`, what
//! `regi sandbox` runs with): a timestamp more than five minutes off is
//! `partner_request_expired`, a `partner_call_id` seen before is `partner_request_already_done`,
//! both sealed 400s that change nothing; regi's own client keeps working, retries included.

use regi_pokepay::wire::{CreateCpmTransactionRequest, Num};
use regi_pokepay_emulator::faults::FaultOutcome;
use regi_pokepay_emulator::{
    CUSTOMER_RICH, CallChecks, CpmScope, FaultPlan, SandboxOptions, SandboxState,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{ALL_STYLES, Harness, RawAnswer, raw_call_inner};

async fn checked() -> Harness {
    checked_with(SandboxOptions::default(), 0).await
}

async fn checked_with(options: SandboxOptions, max_retries: u32) -> Harness {
    Harness::start_with(
        SandboxOptions {
            call_checks: CallChecks::API,
            ..options
        },
        |s| s.max_retries = max_retries,
    )
    .await
}

/// A CPM payment of 100 yen as raw inner JSON, sent `seconds_off` from now with `call_id`.
fn cpm_inner(h: &Harness, seconds_off: i64, call_id: &str) -> Value {
    let sent = chrono::Utc::now() + chrono::Duration::seconds(seconds_off);
    json!({
        "request_data": {
            "cpm_token": h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]),
            "shop_id": h.shop_id(),
            "amount": -100,
        },
        "timestamp": sent.to_rfc3339(),
        "partner_call_id": call_id,
    })
}

fn assert_refused(answer: &RawAnswer, kind: &str, message: &str) {
    assert_eq!(answer.status, 400, "{answer:?}");
    assert!(answer.sealed, "{answer:?}");
    assert_eq!(answer.body["type"], kind, "{answer:?}");
    assert_eq!(answer.body["message"], message, "{answer:?}");
}

#[tokio::test]
async fn a_call_stamped_more_than_five_minutes_off_is_partner_request_expired() {
    let h = checked().await;
    for (style, seconds_off) in ALL_STYLES.into_iter().zip([-360, 360, -3_600, 86_400]) {
        let inner = cpm_inner(&h, seconds_off, &Uuid::new_v4().to_string());
        let answer = raw_call_inner(&h.sandbox, style, "POST", "/transactions/cpm", inner).await;
        assert_refused(
            &answer,
            "partner_request_expired",
            "This request is expired.",
        );
    }
    assert_eq!(h.transaction_count(), 0, "nothing was charged");
    // A minute off either way is on time.
    for seconds_off in [-60, 60] {
        let inner = cpm_inner(&h, seconds_off, &Uuid::new_v4().to_string());
        let answer = raw_call_inner(
            &h.sandbox,
            ALL_STYLES[0],
            "POST",
            "/transactions/cpm",
            inner,
        )
        .await;
        assert_eq!(answer.status, 200, "{answer:?}");
    }
}

#[tokio::test]
async fn a_call_id_sent_twice_is_partner_request_already_done_the_second_time() {
    let h = checked().await;
    let call_id = Uuid::new_v4().to_string();
    let first = raw_call_inner(
        &h.sandbox,
        ALL_STYLES[0],
        "POST",
        "/transactions/cpm",
        cpm_inner(&h, 0, &call_id),
    )
    .await;
    assert_eq!(first.status, 200, "{first:?}");
    for style in ALL_STYLES {
        let again = raw_call_inner(
            &h.sandbox,
            style,
            "POST",
            "/transactions/cpm",
            cpm_inner(&h, 0, &call_id),
        )
        .await;
        assert_refused(
            &again,
            "partner_request_already_done",
            "This request is already done.",
        );
        assert_eq!(again.body.get("errors"), None);
    }
    assert_eq!(h.transaction_count(), 1, "the repeat charged nothing");
}

#[tokio::test]
async fn regis_client_is_on_time_and_never_repeats_a_call_id() {
    let h = checked().await;
    for message in ["one", "two", "three"] {
        assert_eq!(h.client.echo(message).await.unwrap().message, message);
    }
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    assert_eq!(
        h.client.get_cpm_token(&token).await.unwrap().cpm_token,
        token
    );
}

/// A seed whose first two fault decisions under `plan` are a 503, then an answer.
fn seed_unavailable_then_answer(plan: FaultPlan) -> u64 {
    (0..1_000)
        .find(|&seed| {
            let probe = SandboxState::new(SandboxOptions {
                seed: Some(seed),
                faults: plan,
                ..Default::default()
            })
            .expect("a probe sandbox");
            probe.decide_fault().outcome == FaultOutcome::Unavailable
                && probe.decide_fault().outcome == FaultOutcome::Answer
        })
        .expect("some seed refuses first and answers second")
}

#[tokio::test]
async fn the_clients_retry_after_a_503_is_a_new_call_and_is_answered() {
    let plan = FaultPlan::from_specs(&["unavailable=0.5"]).expect("a fault plan");
    let seed = seed_unavailable_then_answer(plan);
    let h = checked_with(
        SandboxOptions {
            seed: Some(seed),
            faults: plan,
            ..Default::default()
        },
        1,
    )
    .await;
    let request = CreateCpmTransactionRequest {
        cpm_token: h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]),
        shop_id: h.shop_id(),
        amount: Num::yen(-700),
        description: None,
        metadata: None,
        products: None,
        request_id: Some(Uuid::new_v4()),
        strategy: None,
    };
    // The first try is refused with a 503 after its call id was seen: a retry carrying the same
    // id would be `partner_request_already_done`.
    let paid = h.client.create_cpm_transaction(&request).await.unwrap();
    assert_eq!(paid.transaction.amount, Num::yen(700));
    assert_eq!(h.transaction_count(), 1);
}
