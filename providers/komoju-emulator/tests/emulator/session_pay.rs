//! `POST /sessions/{id}/pay` over HTTP: KOMOJU's `PaySessionResponse`, the session and payment it
//! leaves, each refusal in KOMOJU's error envelope, and idempotent replays.

use serde_json::{Value, json};

use crate::support::{Raw, code_and_param, raw, session_body};

fn paypay() -> Value {
    json!({"payment_details": {"type": "paypay"}})
}

async fn pay(r: &Raw, id: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
    r.post(&format!("/sessions/{id}/pay"), body, key).await
}

/// A pending session created with `changes` over the usual body.
async fn session_with(r: &Raw, changes: Value) -> String {
    let mut body = session_body(1200);
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, session) = r.post("/sessions", &body, None).await;
    assert_eq!(status, 200, "{session}");
    session["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn paying_completes_the_session_with_a_captured_payment_of_the_chosen_type() {
    let r = raw().await;
    let id = session_with(&r, json!({"return_url": "https://shop.example/done"})).await;
    let (status, answer) = pay(
        &r,
        &id,
        &json!({"payment_details": {"type": "linepay"}}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "completed");
    assert_eq!(
        answer["redirect_url"],
        format!("https://shop.example/done?action=complete&session_id={id}")
    );
    assert!(answer.get("app_url").is_none(), "{answer}");
    let payment = &answer["payment"];
    assert_eq!(payment["resource"], "payment");
    assert_eq!(payment["status"], "captured");
    assert_eq!(payment["payment_details"]["type"], "linepay");
    assert_eq!(
        (payment["amount"].as_i64(), payment["session"].as_str()),
        (Some(1200), Some(id.as_str()))
    );

    // The session reads as the hosted page would have left it.
    let (_, shown) = r.get(&format!("/sessions/{id}")).await;
    assert_eq!(shown["status"], "completed");
    assert_eq!(shown["payment"]["id"], payment["id"]);
}

#[tokio::test]
async fn without_a_return_url_there_is_nowhere_to_redirect() {
    let r = raw().await;
    let id = session_with(&r, json!({})).await;
    let (status, answer) = pay(&r, &id, &paypay(), None).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["redirect_url"], Value::Null);
}

#[tokio::test]
async fn capture_follows_the_session_unless_the_body_says_otherwise() {
    let r = raw().await;
    let manual = json!({"payment_data": {"external_order_num": "R-1", "capture": "manual"}});
    let id = session_with(&r, manual).await;
    let (_, answer) = pay(&r, &id, &paypay(), None).await;
    assert_eq!(answer["payment"]["status"], "authorized");
    assert_eq!(answer["payment"]["captured_at"], Value::Null);

    let id = session_with(&r, json!({})).await;
    let body = json!({"capture": "manual", "payment_details": {"type": "paypay"}, "fraud_details": {"customer_ip": "127.0.0.1"}});
    let (_, answer) = pay(&r, &id, &body, None).await;
    assert_eq!(answer["payment"]["status"], "authorized");
    // And the authorised payment captures like any other.
    let payment_id = answer["payment"]["id"].as_str().unwrap();
    let (status, captured) = r
        .post(&format!("/payments/{payment_id}/capture"), &json!({}), None)
        .await;
    assert_eq!((status, &captured["status"]), (200, &json!("captured")));
}

#[tokio::test]
async fn a_session_no_longer_pending_is_refused_in_komojus_error_shape() {
    let r = raw().await;
    let paid = session_with(&r, json!({})).await;
    pay(&r, &paid, &paypay(), None).await;
    let cancelled = session_with(&r, json!({})).await;
    r.post(&format!("/sessions/{cancelled}/cancel"), &json!({}), None)
        .await;
    let expired = session_with(&r, json!({"expires_in_seconds": 60})).await;
    r.clock.advance(chrono::TimeDelta::seconds(61));

    for id in [&paid, &cancelled, &expired] {
        let (status, body) = pay(&r, id, &paypay(), None).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(code_and_param(&body), ("unprocessable_entity", None));
        assert!(body["error"]["message"].is_string(), "{body}");
        assert_eq!(body["error"]["details"], json!({}), "{body}");
    }
    assert_eq!(r.emulator.state.read(|l| l.payments.len()), 1);
}

#[tokio::test]
async fn an_unknown_payment_type_is_a_bad_request_naming_it() {
    let r = raw().await;
    let id = session_with(&r, json!({})).await;
    let (status, body) = pay(
        &r,
        &id,
        &json!({"payment_details": {"type": "bitcoin"}}),
        None,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        code_and_param(&body),
        ("bad_request", Some("payment_details[type]"))
    );
    let (_, shown) = r.get(&format!("/sessions/{id}")).await;
    assert_eq!(shown["status"], "pending");
}

#[tokio::test]
async fn other_refusals_name_their_parameter_and_pay_nothing() {
    let r = raw().await;
    let id = session_with(&r, json!({})).await;
    for (body, status, code, param) in [
        // The session offers PayPay and LINE Pay only.
        (
            json!({"payment_details": {"type": "merpay"}}),
            422,
            "unprocessable_entity",
            "payment_details[type]",
        ),
        (json!({}), 422, "missing_parameter", "payment_details"),
        (
            json!({"payment_details": {}}),
            422,
            "missing_parameter",
            "payment_details[type]",
        ),
        (
            json!({"payment_details": {"type": "paypay"}, "capture": "later"}),
            422,
            "unprocessable_entity",
            "capture",
        ),
    ] {
        let (got, answer) = pay(&r, &id, &body, None).await;
        assert_eq!(got, status, "{answer}");
        assert_eq!(code_and_param(&answer), (code, Some(param)));
    }
    let (status, answer) = pay(&r, "abcdefghijklmnopqrstuvwxy", &paypay(), None).await;
    assert_eq!((status, code_and_param(&answer).0), (404, "not_found"));
    assert!(r.emulator.state.read(|l| l.payments.is_empty()));
}

#[tokio::test]
async fn the_same_key_and_body_replays_the_first_answer_and_pays_once() {
    let r = raw().await;
    let id = session_with(&r, json!({})).await;
    let first = pay(&r, &id, &paypay(), Some("pay-1")).await;
    assert_eq!(first.0, 200, "{}", first.1);
    let again = pay(&r, &id, &paypay(), Some("pay-1")).await;
    assert_eq!(again, first);
    assert_eq!(r.emulator.state.read(|l| l.payments.len()), 1);

    // Without the key the same request is a second try at a completed session.
    let (status, _) = pay(&r, &id, &paypay(), None).await;
    assert_eq!(status, 422);
    // The key with another body is refused, naming the header.
    let other = json!({"payment_details": {"type": "linepay"}});
    let (status, body) = pay(&r, &id, &other, Some("pay-1")).await;
    assert_eq!(status, 422);
    assert_eq!(
        code_and_param(&body),
        ("unprocessable_entity", Some("X-KOMOJU-IDEMPOTENCY"))
    );
}

#[tokio::test]
async fn a_refusal_is_replayed_for_its_key_too() {
    let r = raw().await;
    let id = session_with(&r, json!({})).await;
    let bad = json!({"payment_details": {"type": "bitcoin"}});
    let first = pay(&r, &id, &bad, Some("pay-2")).await;
    assert_eq!(first.0, 400);
    assert_eq!(pay(&r, &id, &bad, Some("pay-2")).await, first);
}

#[tokio::test]
async fn a_key_still_in_flight_is_409_and_pays_nothing() {
    let r = raw().await;
    let id = session_with(&r, json!({})).await;
    r.emulator.state.occupy_idempotency_key("busy", 1);
    let (status, _) = pay(&r, &id, &paypay(), Some("busy")).await;
    assert_eq!(status, 409);
    assert!(r.emulator.state.read(|l| l.payments.is_empty()));
    let (status, _) = pay(&r, &id, &paypay(), Some("busy")).await;
    assert_eq!(status, 200);
}
