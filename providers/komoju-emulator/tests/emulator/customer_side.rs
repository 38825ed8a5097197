//! The customer side: `customer::pay`, expiry, the transaction list.

use chrono::Duration;
use regi_komoju::wire::PaymentStatus;
use regi_komoju_emulator::TransactionRow;
use regi_komoju_emulator::customer::{CustomerPayError, pay};
use serde_json::json;

use crate::support::raw;

#[tokio::test]
async fn pay_completes_the_session_and_reports_it() {
    let r = raw().await;
    let session = r.session(700).await;
    let url = session["session_url"].as_str().unwrap();
    let paid = pay(&r.emulator.base_url, url, Some("paypay"), "rich")
        .await
        .unwrap();
    assert_eq!(paid.payment.unwrap().payment_details.kind, "paypay");
}

#[tokio::test]
async fn pay_by_a_poor_customer_fails_and_leaves_the_session_pending() {
    let r = raw().await;
    let session = r.session(700).await;
    let url = session["session_url"].as_str().unwrap();
    let err = pay(&r.emulator.base_url, url, None, "poor")
        .await
        .unwrap_err();
    assert!(matches!(err, CustomerPayError::Refused { status: 402, .. }));
    assert_eq!(err.code(), Some("request_failed"));
    let (_, shown) = r
        .get(&format!("/sessions/{}", session["id"].as_str().unwrap()))
        .await;
    assert_eq!(shown["status"], "pending");
}

#[tokio::test]
async fn pay_with_a_method_the_session_does_not_offer_is_refused_by_name() {
    let r = raw().await;
    let session = r.session(700).await;
    let url = session["session_url"].as_str().unwrap();
    let err = pay(&r.emulator.base_url, url, Some("credit_card"), "rich")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("unprocessable_entity"));
    let err = pay(&r.emulator.base_url, url, None, "nobody")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("not_found"));
}

#[tokio::test]
async fn pay_refuses_an_emulator_address_that_is_not_this_machine() {
    let err = pay(
        "http://192.0.2.1:4010",
        "aaaaaaaaaaaaaaaaaaaaaaaaa",
        None,
        "rich",
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CustomerPayError::NotLoopback { .. }));
}

#[tokio::test]
async fn the_expire_hook_and_the_manual_clock_both_make_a_session_read_expired() {
    let r = raw().await;
    let first = r.session(700).await;
    let id = first["id"].as_str().unwrap();
    let response = r
        .http
        .post(format!(
            "{}/_sandbox/sessions/{id}/expire",
            r.emulator.base_url
        ))
        .send()
        .await
        .unwrap();
    let (status, expired) = crate::support::read(response).await;
    assert_eq!((status, &expired["expired"]), (200, &json!(true)));
    let second = r.session(700).await;
    r.clock.advance(Duration::seconds(600));
    let (_, shown) = r
        .get(&format!("/sessions/{}", second["id"].as_str().unwrap()))
        .await;
    assert_eq!(
        (&shown["expired"], &shown["status"]),
        (&json!(true), &json!("pending"))
    );
}

#[tokio::test]
async fn the_transaction_list_shows_each_payment_with_its_refunded_amount() {
    let r = raw().await;
    let session = r.session(3000).await;
    let paid = r
        .emulator
        .state
        .pay_session(session["id"].as_str().unwrap(), Some("linepay"), None)
        .unwrap();
    let payment = paid.payment.unwrap().id;
    r.post(
        &format!("/payments/{payment}/refund"),
        &json!({"amount": 1000}),
        None,
    )
    .await;
    let rows: Vec<TransactionRow> = r
        .http
        .get(format!("{}/_sandbox/transactions", r.emulator.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        rows,
        [TransactionRow {
            id: payment,
            session_id: session["id"].as_str().unwrap().to_string(),
            amount: 3000,
            status: PaymentStatus::Captured,
            refunded_amount: 1000,
            external_order_num: Some("R-1".into()),
            payment_type: "linepay".into(),
        }]
    );
}
