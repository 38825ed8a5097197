//! The wire protocol: every envelope style the SDKs send, plain vs sealed answers, languages.

use axum::body::Body;
use axum::http::{Request, header};
use base64::Engine;
use regi_pokepay::codec::{EnvelopeKey, decode_base64url};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::sandbox_support::{ALL_STYLES, Harness, Style};

#[tokio::test]
async fn echo_works_in_every_envelope_style() {
    let h = Harness::new();
    for style in ALL_STYLES {
        let answer = h
            .call_styled(style, "POST", "/echo", json!({"message": "こんにちは"}))
            .await;
        assert_eq!(answer.status, 200, "{style:?}");
        assert!(answer.sealed, "{style:?}");
        assert_eq!(
            answer.body,
            json!({"status": "ok", "message": "こんにちは"})
        );
    }
}

#[tokio::test]
async fn get_operations_work_in_every_style_with_a_body() {
    let h = Harness::new();
    for style in ALL_STYLES {
        let answer = h
            .call_styled(style, "GET", &format!("/shops/{}", h.shop_id()), json!({}))
            .await;
        assert_eq!(answer.status, 200, "{style:?}");
        assert_eq!(answer.body["id"], h.shop_id());
    }
}

#[tokio::test]
async fn delete_with_a_body_and_request_method_override_both_dispatch() {
    let h = Harness::new();
    for style in [Style::JsonVerb, Style::FormOverride] {
        let tray = h.create_cashtray(-100).await;
        let id = tray.body["id"].as_str().unwrap().to_string();
        let answer = h
            .call_styled(style, "DELETE", &format!("/cashtrays/{id}"), json!({}))
            .await;
        assert_eq!(answer.status, 200, "{style:?}");
        assert!(answer.body["canceled_at"].is_string(), "{style:?}");
    }
}

#[tokio::test]
async fn php_empty_array_params_mean_no_parameters() {
    let h = Harness::new();
    let data = h.seal_inner(&json!({
        "request_data": [],
        "timestamp": "2024-01-01T12:00:00+09:00",
        "partner_call_id": "44444444-4444-4444-8444-444444444444",
    }));
    let answer = h
        .send(h.request_with_data(Style::JsonVerb, "GET", "/private-moneys", &data))
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["rows"][0]["id"], h.money_id());
    assert_eq!(
        answer.outer["partner_call_id"],
        "44444444-4444-4444-8444-444444444444"
    );
    assert_eq!(answer.outer["timestamp"], "2024-01-01T12:00:00+09:00");
}

#[tokio::test]
async fn java_padded_base64_is_accepted() {
    let h = Harness::new();
    let unpadded = h.seal_params(&json!({"message": "padded"}));
    let bytes = decode_base64url(&unpadded).unwrap();
    let padded = base64::engine::general_purpose::URL_SAFE.encode(bytes);
    assert!(padded.ends_with('='));
    let answer = h
        .send(h.request_with_data(Style::JsonOverride, "POST", "/echo", &padded))
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["message"], "padded");
}

#[tokio::test]
async fn java_zero_prefix_and_php_pad_prefix_both_decrypt() {
    let h = Harness::new();
    let inner = json!({"request_data": {"message": "x"}, "timestamp": "2024-01-01T12:00:00+09:00", "partner_call_id": "c"}).to_string();
    for prefix in [[0u8; 16], [7u8; 16]] {
        let data = h.key.seal_with(&inner, &[0x11; 16], &prefix);
        let answer = h
            .send(h.request_with_data(Style::JsonVerb, "POST", "/echo", &data))
            .await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body["message"], "x");
    }
}

#[tokio::test]
async fn every_sdk_timestamp_format_is_accepted() {
    let h = Harness::new();
    for ts in [
        "2024-01-01T12:00:00.123456+09:00",
        "2024-01-01T12:00:00+09:00",
        "2024-01-01T03:00:00.000Z",
        "2024-01-01T03:00:00Z",
    ] {
        let data = h.seal_inner(
            &json!({"request_data": {"message": ts}, "timestamp": ts, "partner_call_id": "c"}),
        );
        let answer = h
            .send(h.request_with_data(Style::FormOverride, "POST", "/echo", &data))
            .await;
        assert_eq!(answer.status, 200, "{ts}");
        assert_eq!(answer.outer["timestamp"], ts);
    }
    let data =
        h.seal_inner(&json!({"request_data": {}, "timestamp": "noon", "partner_call_id": "c"}));
    let answer = h
        .send(h.request_with_data(Style::JsonVerb, "POST", "/echo", &data))
        .await;
    assert_eq!(answer.status, 400);
    assert!(answer.sealed);
    assert_eq!(answer.body["errors"]["invalid"], json!(["timestamp"]));
}

#[tokio::test]
async fn bodiless_ping_is_plain_and_enveloped_ping_is_sealed() {
    let h = Harness::new();
    let plain = h
        .send(Request::get("/ping").body(Body::empty()).unwrap())
        .await;
    assert_eq!((plain.status, plain.sealed), (200, false));
    assert_eq!(plain.body, json!({"pong": "ok"}));
    assert_eq!(plain.content_type, "application/json");
    for style in ALL_STYLES {
        let sealed = h.call_styled(style, "GET", "/ping", json!({})).await;
        assert_eq!((sealed.status, sealed.sealed), (200, true), "{style:?}");
        assert_eq!(sealed.body, json!({"pong": "ok"}));
    }
}

#[tokio::test]
async fn success_answers_are_exactly_application_json_with_the_full_envelope() {
    let h = Harness::new();
    let answer = h.call("POST", "/echo", json!({"message": "hi"})).await;
    assert_eq!(answer.content_type, "application/json");
    let keys: Vec<&String> = answer.outer.as_object().unwrap().keys().collect();
    for key in ["response_data", "timestamp", "partner_call_id"] {
        assert!(keys.iter().any(|k| *k == key), "{key}");
    }
}

async fn raw_post(h: &Harness, body: Value) -> crate::sandbox_support::Answer {
    h.send(
        Request::post("/echo")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_missing_or_null_client_id_is_a_plain_invalid_parameters() {
    let h = Harness::new();
    let data = h.seal_params(&json!({"message": "x"}));
    for body in [
        json!({"partner_client_id": null, "data": data}),
        json!({"data": data}),
    ] {
        let answer = raw_post(&h, body).await;
        assert_eq!((answer.status, answer.sealed), (400, false));
        assert_eq!(answer.error_type(), "invalid_parameters");
        assert_eq!(
            answer.body["errors"]["invalid"],
            json!(["partner_client_id"])
        );
    }
}

#[tokio::test]
async fn an_unknown_client_is_plain_partner_client_not_found() {
    let h = Harness::new();
    let data = h.seal_params(&json!({"message": "x"}));
    let answer = raw_post(
        &h,
        json!({"partner_client_id": "someone-else", "data": data}),
    )
    .await;
    assert_eq!((answer.status, answer.sealed), (400, false));
    assert_eq!(answer.error_type(), "partner_client_not_found");
    assert_eq!(answer.body["message"], "The partner client is not found.");
}

#[tokio::test]
async fn a_wrong_secret_is_plain_partner_decryption_failed() {
    let h = Harness::new();
    let other = EnvelopeKey::from_bytes([42; 32]);
    let inner = json!({"request_data": {"message": "x"}, "timestamp": "2024-01-01T12:00:00+09:00", "partner_call_id": "c"});
    let data = other.seal(&inner.to_string());
    for body in [
        json!({"partner_client_id": h.client_id(), "data": data}),
        json!({"partner_client_id": h.client_id(), "data": "!!not base64!!"}),
        json!({"partner_client_id": h.client_id(), "data": null}),
    ] {
        let answer = raw_post(&h, body).await;
        assert_eq!((answer.status, answer.sealed), (400, false));
        assert_eq!(answer.error_type(), "partner_decryption_failed");
        assert_eq!(answer.body["message"], "Could not decrypt the data.");
    }
}

#[tokio::test]
async fn garbage_bodies_never_panic_and_get_plain_400s() {
    let h = Harness::new();
    for (ct, body) in [
        ("application/json", &b"{\"partner_client_id\": 5"[..]),
        ("application/json", b"[1,2,3]"),
        ("application/x-www-form-urlencoded", b"%%%&&&=="),
        ("text/plain", b"\xff\xfe\x00"),
    ] {
        let answer = h
            .send(
                Request::post("/transactions/cpm")
                    .header(header::CONTENT_TYPE, ct)
                    .body(Body::from(body.to_vec()))
                    .unwrap(),
            )
            .await;
        assert_eq!((answer.status, answer.sealed), (400, false), "{body:?}");
    }
}

#[tokio::test]
async fn api_errors_are_sealed_and_speak_japanese_when_asked() {
    let h = Harness::new();
    let data = h.seal_params(&json!({}));
    let path = format!("/transactions/requests/{}", uuid::Uuid::new_v4());
    let mut request = h.request_with_data(Style::JsonVerb, "GET", &path, &data);
    request
        .headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "ja".parse().unwrap());
    let ja = h.send(request).await;
    assert_eq!((ja.status, ja.sealed), (422, true));
    assert_eq!(ja.error_type(), "transaction_not_found");
    assert_eq!(ja.body["message"], "取引が見つかりません");
    let en = h.call("GET", &path, json!({})).await;
    assert_eq!(en.body["message"], "Transaction not found");
}

#[tokio::test]
async fn a_non_string_echo_message_is_invalid_parameters() {
    let h = Harness::new();
    let answer = h.call("POST", "/echo", json!({"message": -1})).await;
    assert_eq!((answer.status, answer.sealed), (400, true));
    assert_eq!(
        answer.body,
        json!({"type": "invalid_parameters", "message": "Invalid parameters", "errors": {"invalid": ["message"]}})
    );
}

#[tokio::test]
async fn unknown_routes_are_a_sealed_404() {
    let h = Harness::new();
    let answer = h.call("GET", "/no/such/thing", json!({})).await;
    assert_eq!((answer.status, answer.sealed), (404, true));
    assert_eq!(answer.error_type(), "notfound");
}

#[tokio::test]
async fn the_router_answers_oneshot_without_a_socket() {
    let h = Harness::new();
    let response = h
        .router
        .clone()
        .oneshot(Request::get("/ping").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
