//! Ledger semantics through the Partner API: cashtray lifecycles with their attempts, CPM
//! one-time use, request_id idempotency, refunds.

use regi_pokepay_emulator::{
    CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH, CpmScope, CustomerError,
};
use serde_json::json;
use uuid::Uuid;

use crate::sandbox_support::Harness;

async fn tray_status(h: &Harness, id: &str) -> serde_json::Value {
    let answer = h.call("GET", &format!("/cashtrays/{id}"), json!({})).await;
    assert_eq!(answer.status, 200);
    answer.body
}

#[tokio::test]
async fn a_paid_tray_shows_attempt_and_transaction() {
    let h = Harness::new();
    let tray = h.create_cashtray(-1_000).await.body;
    let id = tray["id"].as_str().unwrap();
    let tx = h
        .state
        .pay_cashtray(tray["token"].as_str().unwrap(), CUSTOMER_RICH)
        .unwrap();
    let status = tray_status(&h, id).await;
    assert_eq!(status["attempt"]["status_code"], 200);
    assert_eq!(status["attempt"]["error_type"], "");
    assert_eq!(status["attempt"]["error_message"], "");
    assert_eq!(status["attempt"]["account"]["user"]["name"], CUSTOMER_RICH);
    assert_eq!(status["transaction"]["id"], tx.transaction.id.to_string());
    assert_eq!(h.balance(CUSTOMER_RICH), (500_000, 2_000));

    let cancel = h
        .call("DELETE", &format!("/cashtrays/{id}"), json!({}))
        .await;
    assert_eq!(
        (cancel.status, cancel.error_type()),
        (422, "cashtray_already_proceed")
    );
    let second = h.state.pay_cashtray(id, CUSTOMER_POOR).unwrap_err();
    assert!(
        matches!(second, CustomerError::Refused(ref e) if e.kind == "cashtray_already_proceed")
    );
    assert_eq!(h.state.transactions().len(), 1);
}

#[tokio::test]
async fn a_failed_scan_shows_the_reason_and_no_transaction() {
    let h = Harness::new();
    let tray = h.create_cashtray(-5_000).await.body;
    let id = tray["id"].as_str().unwrap();
    let err = h.state.pay_cashtray(id, CUSTOMER_POOR).unwrap_err();
    assert!(matches!(err, CustomerError::Refused(ref e) if e.kind == "account_balance_not_enough"));
    let status = tray_status(&h, id).await;
    assert_eq!(status["attempt"]["status_code"], 422);
    assert_eq!(
        status["attempt"]["error_type"],
        "account_balance_not_enough"
    );
    assert_eq!(
        status["attempt"]["error_message"],
        "The account balance is not enough"
    );
    assert!(status["transaction"].is_null());
    assert_eq!(h.balance(CUSTOMER_POOR), (50, 10));
}

#[tokio::test]
async fn a_walletless_scan_records_account_not_found_with_a_null_account() {
    let h = Harness::new();
    let tray = h.create_cashtray(-100).await.body;
    let id = tray["id"].as_str().unwrap();
    assert!(h.state.pay_cashtray(id, CUSTOMER_NO_WALLET).is_err());
    let status = tray_status(&h, id).await;
    assert_eq!(status["attempt"]["error_type"], "account_not_found");
    assert!(status["attempt"]["account"].is_null());
}

#[tokio::test]
async fn an_expired_tray_refuses_scans_and_changes() {
    let h = Harness::new();
    let tray = h.create_cashtray(-100).await.body;
    let id = tray["id"].as_str().unwrap();
    h.clock.advance(chrono::Duration::seconds(301));
    let err = h.state.pay_cashtray(id, CUSTOMER_RICH).unwrap_err();
    assert!(matches!(err, CustomerError::Refused(ref e) if e.kind == "cashtray_expired"));
    let status = tray_status(&h, id).await;
    assert_eq!(status["attempt"]["error_type"], "cashtray_expired");
    assert!(status["transaction"].is_null());
    let update = h
        .call("PATCH", &format!("/cashtrays/{id}"), json!({"amount": -50}))
        .await;
    assert_eq!(
        (update.status, update.error_type()),
        (422, "cashtray_expired")
    );
    let cancel = h
        .call("DELETE", &format!("/cashtrays/{id}"), json!({}))
        .await;
    assert_eq!(
        (cancel.status, cancel.error_type()),
        (422, "cashtray_expired")
    );
    assert_eq!(h.balance(CUSTOMER_RICH), (500_000, 3_000));
}

#[tokio::test]
async fn a_cancelled_tray_refuses_scans() {
    let h = Harness::new();
    let tray = h.create_cashtray(-100).await.body;
    let id = tray["id"].as_str().unwrap();
    let cancel = h
        .call("DELETE", &format!("/cashtrays/{id}"), json!({}))
        .await;
    assert_eq!(cancel.status, 200);
    assert!(cancel.body["canceled_at"].is_string());
    let status = tray_status(&h, id).await;
    assert!(status["attempt"].is_null());
    assert!(status["canceled_at"].is_string());
    let err = h.state.pay_cashtray(id, CUSTOMER_RICH).unwrap_err();
    assert!(matches!(err, CustomerError::Refused(ref e) if e.kind == "cashtray_already_canceled"));
    assert_eq!(
        tray_status(&h, id).await["attempt"]["error_type"],
        "cashtray_already_canceled"
    );
    let twice = h
        .call("DELETE", &format!("/cashtrays/{id}"), json!({}))
        .await;
    assert_eq!(twice.error_type(), "cashtray_already_canceled");
}

#[tokio::test]
async fn an_updated_tray_is_paid_at_its_new_amount() {
    let h = Harness::new();
    let tray = h.create_cashtray(-100).await.body;
    let id = tray["id"].as_str().unwrap();
    h.clock.advance(chrono::Duration::seconds(200));
    let update = h
        .call(
            "PATCH",
            &format!("/cashtrays/{id}"),
            json!({"amount": -2_500.0, "description": "updated", "expires_in": 600}),
        )
        .await;
    assert_eq!(update.status, 200);
    assert_eq!(update.body["amount"], -2500);
    assert_eq!(update.body["description"], "updated");
    // The new lifetime counts from the update: the original 300 s would have run out by now.
    h.clock.advance(chrono::Duration::seconds(400));
    let tx = h.state.pay_cashtray(id, CUSTOMER_RICH).unwrap();
    assert_eq!(tx.transaction.amount.as_yen(), Some(2_500));
    assert_eq!(tx.transaction.description, "updated");
}

#[tokio::test]
async fn a_topup_tray_credits_the_customer() {
    let h = Harness::new();
    let tray = h.create_cashtray(3_000).await.body;
    let tx = h
        .state
        .pay_cashtray(tray["token"].as_str().unwrap(), CUSTOMER_POOR)
        .unwrap();
    assert_eq!(tx.transaction.kind, "topup");
    assert_eq!(h.balance(CUSTOMER_POOR), (3_050, 10));
}

#[tokio::test]
async fn a_cpm_token_is_good_for_one_transaction_and_expires() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let first = h.cpm_payment(&token, -100, None).await;
    assert_eq!(first.status, 200);
    let looked_up = h.call("GET", &format!("/cpm/{token}"), json!({})).await;
    assert_eq!(looked_up.body["transaction"]["id"], first.body["id"]);
    let second = h.cpm_payment(&token, -100, None).await;
    assert_eq!(second.error_type(), "cpm_token_already_proceed");

    let late = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    h.clock.advance(chrono::Duration::seconds(300));
    let expired = h.cpm_payment(&late, -100, None).await;
    assert_eq!(
        (expired.status, expired.error_type()),
        (422, "cpm_token_already_expired")
    );
    assert_eq!(h.state.transactions().len(), 1);
}

#[tokio::test]
async fn a_topup_token_tops_up() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_POOR, CpmScope::Topup);
    let answer = h.cpm_payment(&token, 1_000, None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["type"], "topup");
    assert_eq!(h.balance(CUSTOMER_POOR), (1_050, 10));
}

#[tokio::test]
async fn the_same_request_id_returns_the_same_transaction() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let rid = Uuid::new_v4().to_string();
    let first = h.cpm_payment(&token, -700, Some(&rid)).await;
    assert_eq!(first.status, 200);
    // The token is spent by now, yet the retry answers the original transaction.
    let retry = h.cpm_payment(&token, -700, Some(&rid)).await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.body["id"], first.body["id"]);
    assert_eq!(h.state.transactions().len(), 1);
    assert_eq!(h.balance(CUSTOMER_RICH), (500_000, 2_300));
}

#[tokio::test]
async fn a_request_id_reused_differently_is_a_conflict() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let rid = Uuid::new_v4().to_string();
    assert_eq!(h.cpm_payment(&token, -700, Some(&rid)).await.status, 200);
    let other_amount = h.cpm_payment(&token, -800, Some(&rid)).await;
    assert_eq!(
        (other_amount.status, other_amount.error_type()),
        (422, "request_id_conflict")
    );
    let other_operation = h
        .call(
            "POST",
            "/transactions/payment",
            json!({"shop_id": h.shop_id(), "customer_id": h.customer_id(CUSTOMER_RICH), "private_money_id": h.money_id(), "amount": 700, "request_id": rid}),
        )
        .await;
    assert_eq!(other_operation.error_type(), "request_id_conflict");
    assert_eq!(h.state.transactions().len(), 1);
}

#[tokio::test]
async fn a_failed_attempt_leaves_the_request_id_free_for_the_retry() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_POOR, CpmScope::Payment);
    let rid = Uuid::new_v4().to_string();
    let broke = h.cpm_payment(&token, -1_000, Some(&rid)).await;
    assert_eq!(broke.error_type(), "account_balance_not_enough");
    let lookup = h
        .call("GET", &format!("/transactions/requests/{rid}"), json!({}))
        .await;
    assert_eq!(lookup.error_type(), "transaction_not_found");
}

#[tokio::test]
async fn a_refund_restores_balances_and_happens_once() {
    let h = Harness::new();
    let before_rich = h.balance(CUSTOMER_RICH);
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let paid = h.cpm_payment(&token, -4_000, None).await;
    assert_eq!(h.balance(CUSTOMER_RICH), (499_000, 0));
    let id = paid.body["id"].as_str().unwrap();
    let refund = h
        .call(
            "POST",
            &format!("/transactions/{id}/refund"),
            json!({"description": "cancel"}),
        )
        .await;
    assert_eq!(refund.status, 200);
    assert_eq!(h.balance(CUSTOMER_RICH), before_rich);
    let again = h
        .call("POST", &format!("/transactions/{id}/refund"), json!({}))
        .await;
    assert_eq!(again.error_type(), "transaction_already_refunded");
    assert_eq!(h.balance(CUSTOMER_RICH), before_rich);
    let listed = h
        .call("GET", "/transactions-v2", json!({"is_modified": true}))
        .await;
    assert_eq!(listed.body["count"], 1);
    assert_eq!(listed.body["rows"][0]["is_modified"], true);
}

#[tokio::test]
async fn customer_side_routes_pay_issue_and_list() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let h = Harness::new();
    // "poor" has 50 yen and 10 points: just enough.
    let tray = h.create_cashtray(-60).await.body;
    let pay = |body: serde_json::Value| {
        Request::post("/_sandbox/cashtrays/pay")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let paid = h
        .send(pay(json!({"cashtray": tray["token"], "customer": "poor"})))
        .await;
    assert_eq!((paid.status, paid.sealed), (200, false));
    assert_eq!(paid.body["type"], "payment");
    let refused = h
        .send(pay(json!({"cashtray": tray["id"], "customer": "rich"})))
        .await;
    assert_eq!(
        (refused.status, refused.error_type()),
        (422, "cashtray_already_proceed")
    );
    let unknown = h
        .send(pay(json!({"cashtray": tray["id"], "customer": "nobody"})))
        .await;
    assert_eq!(unknown.status, 404);
    let garbage = h.send(pay(json!({"nothing": 1}))).await;
    assert_eq!(garbage.status, 400);

    let token = h
        .send(
            Request::post("/_sandbox/cpm-tokens")
                .body(Body::from(r#"{"customer":"rich","scopes":["topup"]}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(token.status, 200);
    assert_eq!(token.body["scopes"], json!(["topup"]));
    assert_eq!(token.body["cpm_token"].as_str().unwrap().len(), 22);

    let customers = h
        .send(
            Request::get("/_sandbox/customers")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let names: Vec<&str> = customers
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["rich", "poor", "nowallet", "empty", "card", "cardless"]
    );
    let transactions = h
        .send(
            Request::get("/_sandbox/transactions")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(transactions.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn attempt_messages_follow_accept_language() {
    use crate::sandbox_support::Style;
    use axum::http::header;
    let h = Harness::new();
    let tray = h.create_cashtray(-5_000).await.body;
    let id = tray["id"].as_str().unwrap();
    assert!(h.state.pay_cashtray(id, CUSTOMER_POOR).is_err());
    let data = h.seal_params(&json!({}));
    let mut request = h.request_with_data(
        Style::FormOverride,
        "GET",
        &format!("/cashtrays/{id}"),
        &data,
    );
    request
        .headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "ja-JP".parse().unwrap());
    let answer = h.send(request).await;
    assert_eq!(
        answer.body["attempt"]["error_message"],
        "口座残高が不足してます"
    );
}
