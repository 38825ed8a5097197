//! KOMOJU's shapes and errors as raw JSON: every documented field present (nulls included), ids,
//! timestamps, the error envelope, auth.

use serde_json::{Value, json};

use crate::support::{code_and_param, raw, read};

fn is_komoju_time(value: &Value) -> bool {
    let text = value.as_str().unwrap_or("");
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
        && text.len() == "2020-08-17T18:03:53.000+09:00".len()
        && text.ends_with("+09:00")
        && text.as_bytes()[19] == b'.'
}

fn is_komoju_id(value: &Value) -> bool {
    let text = value.as_str().unwrap_or("");
    text.len() == 25
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[tokio::test]
async fn a_new_session_has_every_field_with_nulls_where_unset() {
    let r = raw().await;
    let session = r.session(8888).await;
    for field in [
        "id",
        "resource",
        "mode",
        "amount",
        "currency",
        "payment",
        "session_url",
        "return_url",
        "default_locale",
        "payment_methods",
        "created_at",
        "cancelled_at",
        "completed_at",
        "status",
        "expired",
        "merchant",
        "metadata",
        "payment_data",
    ] {
        assert!(session.get(field).is_some(), "{field} missing in {session}");
    }
    assert!(is_komoju_id(&session["id"]));
    assert!(is_komoju_time(&session["created_at"]));
    assert_eq!(session["resource"], "session");
    assert_eq!(session["status"], "pending");
    assert_eq!(session["amount"], 8888);
    assert_eq!(session["payment"], Value::Null);
    assert_eq!(session["cancelled_at"], Value::Null);
    assert_eq!(session["expired"], false);
    assert_eq!(
        session["payment_methods"],
        json!([{"type": "paypay"}, {"type": "linepay"}])
    );
    assert_eq!(session["payment_data"]["capture"], "auto");
    assert_eq!(session["payment_data"]["external_order_num"], "R-1");
}

#[tokio::test]
async fn a_payment_has_every_field_with_nulls_and_empty_lists_where_unset() {
    let r = raw().await;
    let session = r.session(1000).await;
    r.emulator
        .state
        .pay_session(session["id"].as_str().unwrap(), None, None)
        .unwrap();
    let (_, shown) = r
        .get(&format!("/sessions/{}", session["id"].as_str().unwrap()))
        .await;
    let payment = &shown["payment"];
    for field in [
        "customer",
        "payment_deadline",
        "description",
        "customer_family_name",
        "customer_given_name",
        "mcc",
    ] {
        assert_eq!(payment.get(field), Some(&Value::Null), "{field}");
    }
    assert!(is_komoju_id(&payment["id"]));
    assert_eq!(payment["resource"], "payment");
    assert_eq!(payment["status"], "captured");
    assert!(is_komoju_time(&payment["captured_at"]));
    assert_eq!(
        (payment["total"].as_i64(), payment["tax"].as_i64()),
        (Some(1000), Some(0))
    );
    assert_eq!(payment["refunds"], json!([]));
    assert_eq!(payment["payment_details"]["type"], "paypay");
    assert_eq!(payment["session"], session["id"]);
    assert!(is_komoju_time(&shown["completed_at"]));
}

#[tokio::test]
async fn a_form_encoded_create_like_the_curl_sample_works() {
    let r = raw().await;
    let response = r
        .http
        .post(r.url("/sessions"))
        .basic_auth(r.key(), Some(""))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("amount=8888&currency=JPY&return_url=https%3A%2F%2Fexample.com&payment_data[capture]=manual&payment_types[]=paypay")
        .send()
        .await
        .unwrap();
    let (status, session) = read(response).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["amount"], 8888);
    assert_eq!(session["return_url"], "https://example.com");
    assert_eq!(session["payment_data"]["capture"], "manual");
    assert_eq!(session["payment_methods"], json!([{"type": "paypay"}]));
}

#[tokio::test]
async fn a_missing_amount_is_422_missing_parameter_naming_it() {
    let r = raw().await;
    let (status, body) = r.post("/sessions", &json!({"currency": "JPY"}), None).await;
    assert_eq!(status, 422);
    assert_eq!(code_and_param(&body), ("missing_parameter", Some("amount")));
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("amount")
    );
    assert_eq!(body["error"]["details"], json!({}));
}

#[tokio::test]
async fn a_wrong_missing_or_passworded_key_is_401_unauthorized() {
    let r = raw().await;
    let attempts = [
        r.http
            .get(r.url("/payments"))
            .basic_auth("sk_test_wrong", Some("")),
        r.http.get(r.url("/payments")),
        r.http
            .get(r.url("/payments"))
            .basic_auth(r.key(), Some("password")),
    ];
    for attempt in attempts {
        let (status, body) = read(attempt.send().await.unwrap()).await;
        assert_eq!(status, 401);
        assert_eq!(code_and_param(&body), ("unauthorized", None));
        assert_eq!(body["error"]["param"], Value::Null);
    }
}

#[tokio::test]
async fn an_unknown_route_or_resource_is_404_not_found() {
    let r = raw().await;
    for path in [
        "/sessions",
        "/nothing/here",
        "/payments/aaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        let (status, body) = r.get(path).await;
        assert_eq!(
            (status, code_and_param(&body).0),
            (404, "not_found"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_bad_request() {
    let r = raw().await;
    let response = r
        .http
        .post(r.url("/sessions"))
        .basic_auth(r.key(), Some(""))
        .header("Content-Type", "application/json")
        .body("{\"amount\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = read(response).await;
    assert_eq!((status, code_and_param(&body).0), (400, "bad_request"));
}

#[tokio::test]
async fn rule_violations_are_422_unprocessable_entity() {
    let r = raw().await;
    let session = r.session(1000).await;
    let id = session["id"].as_str().unwrap();
    let paid = r.emulator.state.pay_session(id, None, None).unwrap();
    let payment = paid.payment.unwrap().id;
    let (status, body) = r
        .post(&format!("/payments/{payment}/capture"), &json!({}), None)
        .await;
    assert_eq!(
        (status, code_and_param(&body).0),
        (422, "unprocessable_entity")
    );
    let (status, body) = r
        .post(&format!("/sessions/{id}/cancel"), &json!({}), None)
        .await;
    assert_eq!(
        (status, code_and_param(&body).0),
        (422, "unprocessable_entity")
    );
    let (status, body) = r
        .post(
            &format!("/payments/{payment}/refund"),
            &json!({"amount": 5000}),
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        code_and_param(&body),
        ("unprocessable_entity", Some("amount"))
    );
}
