//! Sessions: create, show, cancel, expiry, and a cancel racing the customer.

use chrono::Duration;
use regi_komoju::wire::{CaptureMode, Locale, PaymentStatus, SessionStatus};
use regi_komoju::{ErrorClass, IdempotencyKey};
use regi_komoju_emulator::customer;

use crate::support::{harness, session_request};

#[tokio::test]
async fn a_created_session_is_pending_with_a_hosted_page_and_echoes_the_order() {
    let h = harness().await;
    let mut request = session_request(1200, CaptureMode::Auto);
    request.default_locale = Some(Locale::En);
    let session = h
        .client
        .create_session(&request, &IdempotencyKey::random())
        .await
        .unwrap();
    assert_eq!(session.id.len(), 25);
    assert_eq!(session.status, SessionStatus::Pending);
    assert_eq!((session.amount, session.currency.as_str()), (1200, "JPY"));
    assert!(session.payment.is_none());
    assert!(!session.expired);
    assert_eq!(session.default_locale, Locale::En);
    assert_eq!(
        session.session_url,
        format!("{}/sessions/{}", h.emulator.base_url, session.id)
    );
    let kinds: Vec<_> = session
        .payment_methods
        .iter()
        .map(|m| m.kind.as_str())
        .collect();
    assert_eq!(kinds, ["paypay", "credit_card"]);
    let data = session.payment_data.unwrap();
    assert_eq!(data.external_order_num.as_deref(), Some("R-20261206-0001"));
    assert_eq!(session.metadata["terminal"], "till-1");
}

#[tokio::test]
async fn showing_a_session_follows_the_customer_to_completed() {
    let h = harness().await;
    let session = h.new_session(800, CaptureMode::Auto).await;
    assert_eq!(
        h.client.show_session(&session.id).await.unwrap().status,
        SessionStatus::Pending
    );
    customer::pay(
        &h.emulator.base_url,
        &session.session_url,
        Some("paypay"),
        "rich",
    )
    .await
    .unwrap();
    let shown = h.client.show_session(&session.id).await.unwrap();
    assert_eq!(shown.status, SessionStatus::Completed);
    assert!(shown.completed_at.is_some());
    let payment = shown.payment.unwrap();
    assert_eq!(payment.status, PaymentStatus::Captured);
    assert_eq!(payment.payment_details.kind, "paypay");
    assert_eq!(
        payment.external_order_num.as_deref(),
        Some("R-20261206-0001")
    );
}

#[tokio::test]
async fn a_poor_customer_leaves_the_session_pending() {
    let h = harness().await;
    let session = h.new_session(800, CaptureMode::Auto).await;
    let err = customer::pay(&h.emulator.base_url, &session.session_url, None, "poor")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("request_failed"));
    let shown = h.client.show_session(&session.id).await.unwrap();
    assert_eq!(shown.status, SessionStatus::Pending);
    assert!(shown.payment.is_none());
}

#[tokio::test]
async fn showing_an_unknown_session_is_a_definite_not_found() {
    let h = harness().await;
    let err = h
        .client
        .show_session("aaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Refused);
    assert_eq!((err.status(), err.code()), (Some(404), Some("not_found")));
}

#[tokio::test]
async fn a_pending_session_cancels_and_cannot_then_be_paid() {
    let h = harness().await;
    let session = h.new_session(500, CaptureMode::Auto).await;
    let cancelled = h
        .client
        .cancel_session(&session.id, &IdempotencyKey::random())
        .await
        .unwrap();
    assert_eq!(cancelled.status, SessionStatus::Cancelled);
    assert!(cancelled.cancelled_at.is_some());
    let err = customer::pay(&h.emulator.base_url, &session.session_url, None, "rich")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("unprocessable_entity"));
}

#[tokio::test]
async fn cancelling_a_session_paid_a_moment_before_is_refused_and_the_reread_shows_it_paid() {
    let h = harness().await;
    let session = h.new_session(500, CaptureMode::Auto).await;
    customer::pay(&h.emulator.base_url, &session.session_url, None, "rich")
        .await
        .unwrap();
    let err = h
        .client
        .cancel_session(&session.id, &IdempotencyKey::random())
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Refused);
    assert_eq!(
        (err.status(), err.code()),
        (Some(422), Some("unprocessable_entity"))
    );
    let shown = h.client.show_session(&session.id).await.unwrap();
    assert_eq!(shown.status, SessionStatus::Completed);
}

#[tokio::test]
async fn a_cancel_racing_the_customer_ends_in_exactly_one_of_the_two() {
    let h = harness().await;
    for _ in 0..10 {
        let session = h.new_session(700, CaptureMode::Auto).await;
        let key = IdempotencyKey::random();
        let (cancel, pay) = tokio::join!(
            h.client.cancel_session(&session.id, &key),
            customer::pay(&h.emulator.base_url, &session.session_url, None, "rich"),
        );
        let shown = h.client.show_session(&session.id).await.unwrap();
        match (cancel, pay) {
            (Ok(_), Err(e)) => {
                assert_eq!(e.code(), Some("unprocessable_entity"));
                assert_eq!(shown.status, SessionStatus::Cancelled);
                assert!(shown.payment.is_none());
            }
            (Err(e), Ok(_)) => {
                assert_eq!(e.code(), Some("unprocessable_entity"));
                assert_eq!(shown.status, SessionStatus::Completed);
                assert_eq!(shown.payment.unwrap().status, PaymentStatus::Captured);
            }
            (cancel, pay) => panic!("both or neither won: {cancel:?} / {pay:?}"),
        }
    }
}

#[tokio::test]
async fn a_session_past_its_time_reads_expired_and_can_be_neither_paid_nor_cancelled() {
    let h = harness().await;
    let session = h.new_session(500, CaptureMode::Auto).await;
    h.clock.advance(Duration::seconds(299));
    assert!(!h.client.show_session(&session.id).await.unwrap().expired);
    h.clock.advance(Duration::seconds(1));
    let shown = h.client.show_session(&session.id).await.unwrap();
    assert!(shown.expired);
    assert_eq!(shown.status, SessionStatus::Pending);
    let err = h
        .client
        .cancel_session(&session.id, &IdempotencyKey::random())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("unprocessable_entity"));
    let err = customer::pay(&h.emulator.base_url, &session.session_url, None, "rich")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("unprocessable_entity"));
}
