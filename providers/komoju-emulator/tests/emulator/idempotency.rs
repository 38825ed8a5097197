//! `X-KOMOJU-IDEMPOTENCY`: replay, another body, in progress, bad keys.

use serde_json::json;

use crate::support::{code_and_param, raw, session_body};

#[tokio::test]
async fn the_same_key_and_body_replays_the_first_answer_without_a_second_session() {
    let r = raw().await;
    let first = r.post("/sessions", &session_body(500), Some("key-1")).await;
    let second = r.post("/sessions", &session_body(500), Some("key-1")).await;
    assert_eq!(first, second);
    assert_eq!(r.emulator.state.read(|l| l.sessions.len()), 1);
}

#[tokio::test]
async fn a_refusal_is_replayed_too() {
    let r = raw().await;
    let body = json!({"currency": "JPY"});
    let first = r.post("/sessions", &body, Some("key-1")).await;
    assert_eq!(first.0, 422);
    assert_eq!(r.post("/sessions", &body, Some("key-1")).await, first);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422_naming_the_header() {
    let r = raw().await;
    r.post("/sessions", &session_body(500), Some("key-1")).await;
    let (status, body) = r.post("/sessions", &session_body(501), Some("key-1")).await;
    assert_eq!(status, 422);
    assert_eq!(
        code_and_param(&body),
        ("unprocessable_entity", Some("X-KOMOJU-IDEMPOTENCY"))
    );
}

#[tokio::test]
async fn the_same_key_on_another_path_is_422() {
    let r = raw().await;
    let session = r.session(500).await;
    let id = session["id"].as_str().unwrap();
    r.post("/sessions", &session_body(500), Some("key-1")).await;
    let (status, _) = r
        .post(&format!("/sessions/{id}/cancel"), &json!({}), Some("key-1"))
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_key_still_in_flight_is_409_and_runs_nothing() {
    let r = raw().await;
    r.emulator.state.occupy_idempotency_key("busy", 1);
    let (status, body) = r.post("/sessions", &session_body(500), Some("busy")).await;
    assert_eq!(status, 409);
    assert_eq!(code_and_param(&body).1, Some("X-KOMOJU-IDEMPOTENCY"));
    assert_eq!(r.emulator.state.read(|l| l.sessions.len()), 0);
    let (status, _) = r.post("/sessions", &session_body(500), Some("busy")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_key_longer_than_100_characters_is_a_bad_request() {
    let r = raw().await;
    let long = "k".repeat(101);
    let (status, body) = r.post("/sessions", &session_body(500), Some(&long)).await;
    assert_eq!(status, 400);
    assert_eq!(
        code_and_param(&body),
        ("bad_request", Some("X-KOMOJU-IDEMPOTENCY"))
    );
}

#[tokio::test]
async fn two_requests_sent_together_with_one_key_create_one_session() {
    use regi_komoju_emulator::{EmulatorConfig, FaultPlan};
    // The latency holds the first request while its key is in flight, so the second usually
    // meets it running (409); if it arrives after, it gets the replay. Either way, one session.
    let r = crate::support::raw_with(EmulatorConfig {
        faults: FaultPlan::from_specs(&["latency=300"]).unwrap(),
        ..Default::default()
    })
    .await;
    let body = session_body(500);
    let (first, second) = tokio::join!(
        r.post("/sessions", &body, Some("together")),
        r.post("/sessions", &body, Some("together")),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    match statuses {
        [200, 409] => {}
        [200, 200] => assert_eq!(first.1["id"], second.1["id"]),
        other => panic!("unexpected answers {other:?}: {first:?} {second:?}"),
    }
    assert_eq!(r.emulator.state.read(|l| l.sessions.len()), 1);
}
