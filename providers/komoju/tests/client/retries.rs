//! Unknown outcomes and the same idempotency key: 409 in progress, 503, a dropped answer, a held
//! answer.

use std::time::Duration;

use regi_komoju::wire::CaptureMode;
use regi_komoju::{ErrorClass, IdempotencyKey, UnknownCause};
use regi_komoju_emulator::FaultPlan;

use crate::support::{harness, harness_with, session_request};

#[tokio::test]
async fn a_request_in_progress_is_retried_with_the_same_key_until_it_answers() {
    let h = harness().await;
    let key = IdempotencyKey::random();
    h.emulator.state.occupy_idempotency_key(key.as_str(), 2);
    let session = h
        .client
        .create_session(&session_request(100, CaptureMode::Auto), &key)
        .await
        .unwrap();
    assert_eq!(h.session_count(), 1);
    assert_eq!(session.amount, 100);
}

#[tokio::test]
async fn a_request_still_in_progress_after_the_retries_is_unknown_and_the_same_key_later_succeeds()
{
    let h = harness_with(|s| s.conflict_retries = 1).await;
    let key = IdempotencyKey::random();
    h.emulator.state.occupy_idempotency_key(key.as_str(), 3);
    let request = session_request(100, CaptureMode::Auto);
    let err = h.client.create_session(&request, &key).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Unknown);
    assert!(matches!(
        err,
        regi_komoju::KomojuError::Unknown {
            cause: UnknownCause::StillInProgress { attempts: 2 },
            ..
        }
    ));
    assert_eq!(h.session_count(), 0);
    let session = h.client.create_session(&request, &key).await.unwrap();
    let again = h.client.create_session(&request, &key).await.unwrap();
    assert_eq!(session.id, again.id);
    assert_eq!(h.session_count(), 1);
}

#[tokio::test]
async fn a_503_is_unknown_and_the_same_key_then_creates_one_session() {
    let h = harness().await;
    h.emulator.state.set_faults(FaultPlan {
        unavailable: 1.0,
        ..Default::default()
    });
    let key = IdempotencyKey::random();
    let request = session_request(100, CaptureMode::Auto);
    let err = h.client.create_session(&request, &key).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Unknown);
    assert_eq!(
        (err.status(), err.code()),
        (Some(503), Some("service_unavailable"))
    );
    h.emulator.state.set_faults(FaultPlan::default());
    h.client.create_session(&request, &key).await.unwrap();
    assert_eq!(h.session_count(), 1);
}

#[tokio::test]
async fn a_dropped_answer_on_create_is_unknown_and_the_retry_with_the_same_key_finds_the_one_session()
 {
    let h = harness().await;
    h.emulator.state.set_faults(FaultPlan {
        drop: 1.0,
        ..Default::default()
    });
    let key = IdempotencyKey::random();
    let request = session_request(100, CaptureMode::Auto);
    let err = h.client.create_session(&request, &key).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Unknown);
    assert_eq!(h.session_count(), 1, "the dropped call was carried out");
    h.emulator.state.set_faults(FaultPlan::default());
    let session = h.client.create_session(&request, &key).await.unwrap();
    assert_eq!(h.session_count(), 1);
    let created = h.emulator.state.read(|l| l.sessions[0].id.clone());
    assert_eq!(session.id, created);
}

#[tokio::test]
async fn a_dropped_refund_retried_with_the_same_key_refunds_once() {
    let h = harness().await;
    let id = h.paid(1000, CaptureMode::Auto).await;
    h.emulator.state.set_faults(FaultPlan {
        drop: 1.0,
        ..Default::default()
    });
    let key = IdempotencyKey::random();
    let request = regi_komoju::wire::RefundPaymentRequest {
        amount: Some(400),
        description: None,
    };
    let err = h
        .client
        .refund_payment(&id, &request, &key)
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown());
    h.emulator.state.set_faults(FaultPlan::default());
    let payment = h.client.refund_payment(&id, &request, &key).await.unwrap();
    assert_eq!((payment.amount_refunded, payment.refunds.len()), (400, 1));
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused_naming_the_header() {
    let h = harness().await;
    let key = IdempotencyKey::random();
    h.client
        .create_session(&session_request(100, CaptureMode::Auto), &key)
        .await
        .unwrap();
    let err = h
        .client
        .create_session(&session_request(200, CaptureMode::Auto), &key)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Refused);
    assert_eq!(
        (err.status(), err.param()),
        (Some(422), Some("X-KOMOJU-IDEMPOTENCY"))
    );
    assert_eq!(h.session_count(), 1);
}

#[tokio::test]
async fn an_answer_held_past_the_clients_limit_is_unknown() {
    let h = harness_with(|s| s.timeout = Duration::from_millis(300)).await;
    h.emulator.state.set_faults(FaultPlan {
        timeout: 1.0,
        ..Default::default()
    });
    let err = h
        .client
        .create_session(
            &session_request(100, CaptureMode::Auto),
            &IdempotencyKey::random(),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        regi_komoju::KomojuError::Unknown {
            cause: UnknownCause::Timeout,
            ..
        }
    ));
}

#[tokio::test]
async fn a_client_that_gives_up_during_the_latency_leaves_the_key_free_for_its_retry() {
    // The server drops a request whose client went away; its key must not stay "in progress".
    // The conflict retries give the server time to notice the closed connection.
    let h = harness_with(|s| {
        s.timeout = Duration::from_millis(200);
        s.conflict_retries = 5;
        s.conflict_pause = Duration::from_millis(50);
    })
    .await;
    h.emulator.state.set_faults(FaultPlan {
        latency: Duration::from_secs(30),
        ..Default::default()
    });
    let key = IdempotencyKey::random();
    let request = session_request(100, CaptureMode::Auto);
    let err = h.client.create_session(&request, &key).await.unwrap_err();
    assert!(err.is_outcome_unknown());
    h.emulator.state.set_faults(FaultPlan::default());
    h.client.create_session(&request, &key).await.unwrap();
    assert_eq!(h.session_count(), 1);
}
