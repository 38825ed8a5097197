//! A held payment captured with the attempt's key, and refunds in part and in full.

use regi_core::domain::FailReason;
use regi_komoju::wire::PaymentStatus;
use regi_payment::{CaptureRequest, GatewayError, PaymentGateway, QrStatus, RefundRequest};
use uuid::Uuid;

use regi_komoju::SessionOptions;
use regi_komoju::wire::CaptureMode;
use regi_komoju_emulator::{EmulatorConfig, FaultPlan};

use crate::support::{Harness, harness, harness_with, manual_capture, qr_request, seed_giving};

fn payment_row(h: &Harness, id: &str) -> (PaymentStatus, i64, i64, usize) {
    h.emulator
        .state
        .read(|l| {
            l.payment(id)
                .map(|p| (p.status, p.total(), p.amount_refunded(), p.refunds.len()))
        })
        .unwrap()
}

fn refund(payment_id: &str, amount: Option<i64>) -> RefundRequest {
    RefundRequest {
        transaction_id: payment_id.to_string(),
        amount,
        reason: "returned".into(),
        request_id: Uuid::new_v4(),
    }
}

#[tokio::test]
async fn a_held_payment_reads_authorized_and_is_captured_once_with_the_attempts_key() {
    let h = manual_capture().await;
    let request = qr_request(1500);
    let session = h.shown(&request).await;
    h.customer_pays(&session, "linepay");
    let QrStatus::Authorized(held) = h.gateway.qr_status(&session.id).await.unwrap() else {
        panic!("a manual-capture payment is held");
    };
    assert_eq!(
        payment_row(&h, &held.transaction_id).0,
        PaymentStatus::Authorized
    );
    let capture = CaptureRequest {
        transaction_id: held.transaction_id.clone(),
        amount: held.amount,
        request_id: request.request_id,
    };
    let paid = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(
        (paid.amount, paid.money_name.as_deref()),
        (1500, Some("LINE Pay"))
    );
    assert_eq!(
        payment_row(&h, &held.transaction_id),
        (PaymentStatus::Captured, 1500, 0, 0)
    );
    // The engine captures again after a lost answer: the same money, taken once.
    let again = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(again.transaction_id, paid.transaction_id);
    assert!(matches!(
        h.gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Paid(_)
    ));
}

#[tokio::test]
async fn a_capture_whose_answer_was_lost_is_unknown_and_its_retry_takes_the_money_once() {
    let h = manual_capture().await;
    let request = qr_request(1500);
    let session = h.shown(&request).await;
    let payment_id = h.customer_pays(&session, "paypay").payment.unwrap().id;
    let capture = CaptureRequest {
        transaction_id: payment_id.clone(),
        amount: 1000,
        request_id: request.request_id,
    };
    // The capture's own key is held busy past the client's retries (1 + 3): had the capture
    // been sent under any other key, it would have gone through.
    let key = format!("{}-capture", request.request_id);
    h.emulator.state.occupy_idempotency_key(&key, 4);
    let err = h.gateway.capture(&capture).await.unwrap_err();
    assert!(err.is_unknown(), "{err:?}");
    assert_eq!(payment_row(&h, &payment_id).0, PaymentStatus::Authorized);
    let paid = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(
        paid.amount, 1000,
        "a capture of less takes only what is asked"
    );
    assert_eq!(
        payment_row(&h, &payment_id),
        (PaymentStatus::Captured, 1000, 0, 0)
    );
}

#[tokio::test]
async fn a_capture_whose_answer_was_dropped_after_it_ran_is_found_captured_on_the_retry() {
    use regi_komoju_emulator::faults::FaultOutcome::{Answer, Drop};
    let plan = FaultPlan {
        drop: 0.5,
        ..FaultPlan::default()
    };
    // create, pay (in process, no draw), read the payment, capture (dropped), read again
    let config = EmulatorConfig {
        faults: plan,
        seed: seed_giving(plan, &[Answer, Answer, Drop, Answer]),
        ..EmulatorConfig::default()
    };
    let options = SessionOptions {
        capture: CaptureMode::Manual,
        ..SessionOptions::default()
    };
    let h = harness_with(config, options).await;
    let request = qr_request(700);
    let session = h.shown(&request).await;
    let payment_id = h.customer_pays(&session, "paypay").payment.unwrap().id;
    let capture = CaptureRequest {
        transaction_id: payment_id.clone(),
        amount: 700,
        request_id: request.request_id,
    };
    assert!(h.gateway.capture(&capture).await.unwrap_err().is_unknown());
    assert_eq!(payment_row(&h, &payment_id).0, PaymentStatus::Captured);
    let paid = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(paid.transaction_id, payment_id);
    assert_eq!(
        payment_row(&h, &payment_id),
        (PaymentStatus::Captured, 700, 0, 0)
    );
}

#[tokio::test]
async fn a_capture_of_a_cancelled_payment_is_refused_as_cancelled() {
    let h = manual_capture().await;
    let request = qr_request(700);
    let session = h.shown(&request).await;
    let payment_id = h.customer_pays(&session, "paypay").payment.unwrap().id;
    h.emulator
        .state
        .mutate(|l, _| l.cancel_payment(&payment_id))
        .unwrap();
    let capture = CaptureRequest {
        transaction_id: payment_id,
        amount: 700,
        request_id: request.request_id,
    };
    let GatewayError::Refused(refusal) = h.gateway.capture(&capture).await.unwrap_err() else {
        panic!("a cancelled payment cannot be captured");
    };
    assert_eq!(refusal.reason, FailReason::TrayCancelled);
}

#[tokio::test]
async fn a_partial_then_a_full_refund_leave_nothing_and_a_third_is_already_refunded() {
    let h = harness().await;
    let (_, payment_id) = h.paid(1200).await;
    let first = h
        .gateway
        .refund(&refund(&payment_id, Some(500)))
        .await
        .unwrap();
    assert_eq!(
        payment_row(&h, &payment_id),
        (PaymentStatus::Captured, 1200, 500, 1)
    );
    let rest = h.gateway.refund(&refund(&payment_id, None)).await.unwrap();
    assert_ne!(first.refund_transaction_id, rest.refund_transaction_id);
    assert_eq!(
        payment_row(&h, &payment_id),
        (PaymentStatus::Refunded, 1200, 1200, 2)
    );
    let GatewayError::Refused(refusal) = h
        .gateway
        .refund(&refund(&payment_id, None))
        .await
        .unwrap_err()
    else {
        panic!("nothing is left to refund");
    };
    assert_eq!(refusal.reason, FailReason::AlreadyRefunded);
    assert!(!refusal.message_ja.is_empty() && !refusal.message_en.is_empty());
}

#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_unknown_and_its_retry_refunds_once() {
    let h = harness().await;
    let (_, payment_id) = h.paid(1200).await;
    let request = refund(&payment_id, Some(300));
    h.faults("drop=1");
    assert!(h.gateway.refund(&request).await.unwrap_err().is_unknown());
    h.quiet();
    let done = h.gateway.refund(&request).await.unwrap();
    assert_eq!(
        payment_row(&h, &payment_id),
        (PaymentStatus::Captured, 1200, 300, 1)
    );
    let refund_id = h
        .emulator
        .state
        .read(|l| l.payment(&payment_id).map(|p| p.refunds[0].id.clone()))
        .unwrap();
    assert_eq!(done.refund_transaction_id, refund_id);
}

#[tokio::test]
async fn a_refund_over_what_is_left_is_refused_with_komojus_code_in_both_languages() {
    let h = harness().await;
    let (_, payment_id) = h.paid(1200).await;
    let GatewayError::Refused(refusal) = h
        .gateway
        .refund(&refund(&payment_id, Some(5000)))
        .await
        .unwrap_err()
    else {
        panic!("more than was paid cannot be refunded");
    };
    assert_eq!(refusal.error_type, "unprocessable_entity");
    assert_eq!(refusal.reason, FailReason::RejectedOther);
    assert_ne!(refusal.message_ja, refusal.message_en);
    assert_eq!(payment_row(&h, &payment_id).2, 0);
}
