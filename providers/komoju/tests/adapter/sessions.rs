//! Creating a session, reading it through each state, cancelling it, and a create whose answer
//! was lost.

use chrono::{Duration, Utc};
use regi_komoju::SessionOptions;
use regi_komoju::wire::CaptureMode;
use regi_komoju_emulator::EmulatorConfig;
use regi_komoju_emulator::faults::{FaultOutcome, FaultPlan};
use regi_payment::{Direction, GatewayError, PaymentGateway, QrStatus};
use uuid::Uuid;

use crate::support::{harness, harness_with, qr_request, seed_giving};

#[tokio::test]
async fn a_new_session_carries_the_amount_reference_methods_capture_and_life_and_its_page_is_the_qr()
 {
    let options = SessionOptions {
        payment_types: vec!["paypay".into(), "linepay".into()],
        ..SessionOptions::default()
    };
    let h = harness_with(EmulatorConfig::default(), options).await;
    let request = qr_request(1200);
    let session = h.shown(&request).await;
    assert!(
        session.token.starts_with(&h.emulator.base_url),
        "{}",
        session.token
    );
    let view = h.emulator.state.session(&session.id).unwrap();
    assert_eq!(session.token, view.session_url);
    let record = h
        .emulator
        .state
        .read(|l| l.session(&session.id).cloned())
        .unwrap();
    assert_eq!((record.amount, record.currency.as_str()), (1200, "JPY"));
    assert_eq!(record.payment_types, ["paypay", "linepay"]);
    assert_eq!(record.capture, CaptureMode::Auto);
    assert_eq!(
        record.external_order_num.as_deref(),
        Some(request.reference.as_str())
    );
    assert_eq!(record.metadata["reference"], request.reference.as_str());
    assert_eq!(record.metadata["terminal"], "レジ1");
    assert_eq!(record.metadata["receipt_no"], "42");
    assert_eq!(
        record.expires_at - record.created_at,
        Duration::seconds(300)
    );
    assert_eq!(session.expires_at, record.expires_at.with_timezone(&Utc));
}

#[tokio::test]
async fn a_wallet_the_clerk_chose_is_the_only_method_the_page_offers() {
    let h = harness().await;
    let mut request = qr_request(500);
    request.wallet = Some("linepay".into());
    let session = h.shown(&request).await;
    let types = h
        .emulator
        .state
        .read(|l| l.session(&session.id).map(|s| s.payment_types.clone()))
        .unwrap();
    assert_eq!(types, ["linepay"]);
}

#[tokio::test]
async fn a_top_up_is_refused_as_fatal_and_makes_no_session() {
    let h = harness().await;
    let mut request = qr_request(1000);
    request.direction = Direction::Topup;
    let err = h.gateway.create_qr(&request).await.unwrap_err();
    assert!(matches!(err, GatewayError::Fatal(_)), "{err:?}");
    assert_eq!(h.session_count(), 0);
}

#[tokio::test]
async fn an_open_session_paid_with_paypay_reads_as_paid_with_its_payment_and_brand() {
    let h = harness().await;
    let session = h.shown(&qr_request(1200)).await;
    assert_eq!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Open {
            expires_at: session.expires_at
        }
    );
    let payment_id = h.customer_pays(&session, "paypay").payment.unwrap().id;
    let QrStatus::Paid(paid) = h.gateway.qr_status(&session.id).await.unwrap() else {
        panic!("a captured payment is paid");
    };
    assert_eq!(paid.transaction_id, payment_id);
    assert_eq!(paid.amount, 1200);
    assert_eq!(paid.money_name.as_deref(), Some("PayPay"));
}

#[tokio::test]
async fn a_customer_who_fails_on_the_page_leaves_the_session_open() {
    let h = harness().await;
    let session = h.shown(&qr_request(1200)).await;
    assert!(
        h.emulator
            .state
            .pay_session(&session.token, Some("paypay"), Some("poor"))
            .is_err()
    );
    assert!(matches!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Open { .. }
    ));
}

#[tokio::test]
async fn a_session_whose_time_is_up_reads_as_expired_and_cancelling_it_is_not_an_error() {
    let h = harness().await;
    let session = h.shown(&qr_request(1200)).await;
    h.clock.advance(Duration::seconds(299));
    assert!(matches!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Open { .. }
    ));
    h.clock.advance(Duration::seconds(1));
    assert_eq!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Expired
    );
    h.gateway.cancel_qr(&session.id).await.unwrap();
    assert_eq!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Expired
    );
}

#[tokio::test]
async fn a_cancelled_session_reads_as_cancelled_and_a_second_cancel_is_not_an_error() {
    let h = harness().await;
    let session = h.shown(&qr_request(1200)).await;
    h.gateway.cancel_qr(&session.id).await.unwrap();
    assert_eq!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Cancelled
    );
    h.gateway.cancel_qr(&session.id).await.unwrap();
    assert!(
        h.emulator
            .state
            .pay_session(&session.token, Some("paypay"), Some("rich"))
            .is_err(),
        "nobody can pay a cancelled session"
    );
}

#[tokio::test]
async fn a_cancel_racing_a_payment_is_not_an_error_and_the_reread_is_paid() {
    let h = harness().await;
    let session = h.shown(&qr_request(1200)).await;
    let payment_id = h.customer_pays(&session, "paypay").payment.unwrap().id;
    h.gateway.cancel_qr(&session.id).await.unwrap();
    let QrStatus::Paid(paid) = h.gateway.qr_status(&session.id).await.unwrap() else {
        panic!("the payment made before the cancel wins");
    };
    assert_eq!(paid.transaction_id, payment_id);
}

#[tokio::test]
async fn a_lost_create_answer_is_sent_again_with_the_same_key_and_makes_one_session() {
    let plan = FaultPlan {
        drop: 0.5,
        ..FaultPlan::default()
    };
    let config = || EmulatorConfig {
        faults: plan,
        seed: seed_giving(plan, &[FaultOutcome::Drop, FaultOutcome::Answer]),
        ..EmulatorConfig::default()
    };
    // Sent once only, the same create under the same faults has no answer.
    let once = SessionOptions {
        create_tries: 1,
        ..SessionOptions::default()
    };
    let lone = harness_with(config(), once).await;
    let err = lone.gateway.create_qr(&qr_request(1200)).await.unwrap_err();
    assert!(err.is_unknown(), "{err:?}");
    let h = harness_with(config(), SessionOptions::default()).await;
    let session = h.shown(&qr_request(1200)).await;
    h.quiet();
    assert_eq!(h.session_count(), 1);
    let only = h.emulator.state.read(|l| l.sessions[0].id.clone());
    assert_eq!(session.id, only);
}

#[tokio::test]
async fn a_create_whose_answers_are_all_lost_is_unknown_and_a_later_retry_finds_the_one_session() {
    let h = harness().await;
    let request = qr_request(1200);
    h.faults("drop=1");
    let err = h.gateway.create_qr(&request).await.unwrap_err();
    assert!(err.is_unknown(), "{err:?}");
    h.quiet();
    let session = h.shown(&request).await;
    assert_eq!(h.session_count(), 1);
    assert!(matches!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Open { .. }
    ));
}

#[tokio::test]
async fn a_paid_attempt_is_found_by_its_key_and_an_unknown_key_finds_nothing() {
    let h = harness().await;
    let (request, payment_id) = h.paid(900).await;
    let found = h
        .gateway
        .lookup_request(request.request_id)
        .await
        .unwrap()
        .expect("the payment of the attempt");
    assert_eq!(
        (found.transaction_id.as_str(), found.amount),
        (payment_id.as_str(), 900)
    );
    assert_eq!(found.money_name.as_deref(), Some("PayPay"));
    assert_eq!(
        h.gateway.lookup_request(Uuid::new_v4()).await.unwrap(),
        None
    );
    let unpaid = qr_request(400);
    h.shown(&unpaid).await;
    assert_eq!(
        h.gateway.lookup_request(unpaid.request_id).await.unwrap(),
        None
    );
}
