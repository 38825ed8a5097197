//! Fault injection: dropped connections after the ledger changed, 503s that change nothing,
//! held answers, and the same faults for the same seed.

use std::time::Duration;

use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay_emulator::{
    CUSTOMER_RICH, CpmScope, FaultPlan, RunningSandbox, SandboxOptions, start_loopback,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::sandbox_support::Harness;

/// `POST /transactions/cpm` over a real socket, the way the PHP/NODE SDKs send it.
async fn post_cpm_over_socket(
    sandbox: &RunningSandbox,
    params: Value,
    timeout: Duration,
) -> Result<(u16, Value), reqwest::Error> {
    let key = EnvelopeKey::from_client_secret(sandbox.client_secret.expose()).unwrap();
    let inner = json!({
        "request_data": params,
        "timestamp": "2024-01-01T12:00:00+09:00",
        "partner_call_id": Uuid::new_v4().to_string(),
    });
    let body =
        json!({"partner_client_id": sandbox.client_id, "data": key.seal(&inner.to_string())});
    let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
    let response = client
        .post(format!("{}/transactions/cpm", sandbox.base_url))
        .json(&body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let outer: Value = response.json().await?;
    let sealed = outer["response_data"].as_str().unwrap_or_default();
    let plain = key.open(sealed).unwrap();
    Ok((status, serde_json::from_str(&plain).unwrap()))
}

fn faults(spec: &str) -> FaultPlan {
    FaultPlan::from_specs(&[spec]).unwrap()
}

/// A loopback sandbox built from `options`, and a payment code the rich customer shows.
async fn sandbox_with_token(options: SandboxOptions) -> (RunningSandbox, String) {
    let sandbox = start_loopback(options).await.unwrap();
    let token = sandbox
        .state
        .issue_cpm_token(CUSTOMER_RICH, &[CpmScope::Payment])
        .unwrap()
        .cpm_token;
    (sandbox, token)
}

fn cpm_params(sandbox: &RunningSandbox, token: &str, request_id: &str) -> Value {
    json!({"cpm_token": token, "shop_id": sandbox.shop_id.to_string(), "amount": -1_500, "request_id": request_id})
}

#[tokio::test]
async fn a_dropped_connection_still_applies_and_the_retry_finds_the_same_transaction() {
    let (sandbox, token) = sandbox_with_token(SandboxOptions {
        seed: Some(3),
        faults: faults("drop=1.0"),
        ..Default::default()
    })
    .await;
    let request_id = Uuid::new_v4().to_string();
    let params = cpm_params(&sandbox, &token, &request_id);

    let dropped = post_cpm_over_socket(&sandbox, params.clone(), Duration::from_secs(30)).await;
    let error = dropped.expect_err("a dropped connection is an error, not an answer");
    assert!(error.status().is_none(), "{error}");
    let ledger = sandbox.state.transactions();
    assert_eq!(ledger.len(), 1, "the call was applied before the drop");

    sandbox.state.set_faults(FaultPlan::default());
    let (status, retry) = post_cpm_over_socket(&sandbox, params, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(retry["id"], ledger[0].transaction.id.to_string());
    assert_eq!(sandbox.state.transactions().len(), 1);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn unavailable_answers_503_and_leaves_the_ledger_alone() {
    let (sandbox, token) = sandbox_with_token(SandboxOptions {
        faults: faults("unavailable=1.0"),
        ..Default::default()
    })
    .await;
    let before = sandbox.state.customers();
    let params = cpm_params(&sandbox, &token, &Uuid::new_v4().to_string());
    let (status, body) = post_cpm_over_socket(&sandbox, params, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(status, 503);
    assert_eq!(body["type"], "temporarily_unavailable");
    assert!(sandbox.state.transactions().is_empty());
    assert_eq!(sandbox.state.customers(), before);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_held_answer_times_the_client_out_after_the_call_applied() {
    let (sandbox, token) = sandbox_with_token(SandboxOptions {
        faults: faults("timeout=1"),
        hold: Duration::from_secs(3600),
        ..Default::default()
    })
    .await;
    let params = cpm_params(&sandbox, &token, &Uuid::new_v4().to_string());
    let held = post_cpm_over_socket(&sandbox, params, Duration::from_millis(500)).await;
    assert!(held.expect_err("the answer is held").is_timeout());
    assert_eq!(sandbox.state.transactions().len(), 1);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn faults_do_not_touch_bodiless_ping() {
    let sandbox = start_loopback(SandboxOptions {
        faults: faults("unavailable=1"),
        ..Default::default()
    })
    .await
    .unwrap();
    let response = reqwest::get(format!("{}/ping", sandbox.base_url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"pong": "ok"})
    );
}

async fn statuses_for_seed(seed: u64) -> Vec<u16> {
    let h = Harness::with_options(SandboxOptions {
        seed: Some(seed),
        faults: faults("unavailable=0.5"),
        ..Default::default()
    });
    let mut statuses = Vec::new();
    for i in 0..24 {
        let answer = h
            .call("POST", "/echo", json!({"message": i.to_string()}))
            .await;
        statuses.push(answer.status);
    }
    statuses
}

#[tokio::test]
async fn the_same_seed_gives_the_same_faults() {
    let a = statuses_for_seed(99).await;
    let b = statuses_for_seed(99).await;
    assert_eq!(a, b);
    assert!(a.contains(&200) && a.contains(&503), "{a:?}");
    let c = statuses_for_seed(100).await;
    assert_ne!(a, c);
}

#[tokio::test]
async fn without_a_connection_a_drop_is_reported_as_applied() {
    let h = Harness::with_options(SandboxOptions {
        faults: faults("drop=1"),
        ..Default::default()
    });
    let answer = h.call("POST", "/echo", json!({"message": "x"})).await;
    assert_eq!(answer.status, 502);
    assert_eq!(answer.body["applied"], true);
}
