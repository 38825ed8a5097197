//! A held payment captured with the attempt's key (all of it or less), and refunds partial then
//! full, each safe to repeat after a lost answer.

use regi_core::domain::FailReason;
use regi_elepay::wire::ChargeStatus;
use regi_payment::{CaptureRequest, GatewayError, PaymentGateway, QrStatus, RefundRequest};
use uuid::Uuid;

use crate::support::{Harness, wallet_qr};

/// A wallet QR the customer authorized; the held amount as the port reads it.
async fn held(h: &Harness, amount: i64) -> (CaptureRequest, String) {
    let request = wallet_qr(amount, "paypay");
    let session = h.create(&request).await;
    h.pay(&session, "alice").await;
    let QrStatus::Authorized(held) = h.status(&session).await else {
        panic!("expected authorized");
    };
    assert_eq!(held.amount, amount);
    let capture = CaptureRequest {
        transaction_id: held.transaction_id,
        amount,
        request_id: request.request_id,
    };
    (capture, session.id)
}

fn refund(transaction_id: &str, amount: Option<i64>) -> RefundRequest {
    RefundRequest {
        transaction_id: transaction_id.into(),
        amount,
        reason: "returned goods".into(),
        request_id: Uuid::new_v4(),
    }
}

#[tokio::test]
async fn a_held_payment_is_authorized_then_captured_with_the_attempts_key_and_reads_paid() {
    let h = Harness::holding().await;
    let (capture, qr_id) = held(&h, 1000).await;
    let paid = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(paid.transaction_id, capture.transaction_id);
    assert_eq!(paid.amount, 1000);
    assert_eq!(paid.money_name.as_deref(), Some("PayPay"));
    let QrStatus::Paid(read) = h.gateway.qr_status(&qr_id).await.unwrap() else {
        panic!("expected paid");
    };
    assert_eq!(read.amount, 1000);
    let ledger = h.ledger().await;
    assert_eq!(ledger[0].status, ChargeStatus::Captured);
    assert_eq!(ledger[0].captured_amount, 1000);
}

#[tokio::test]
async fn a_capture_for_less_takes_less_and_a_repeat_takes_nothing_more() {
    let h = Harness::holding().await;
    let (mut capture, _) = held(&h, 1000).await;
    capture.amount = 700;
    let first = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(first.amount, 700);
    // The same capture again, as after a lost answer: the charge is captured already.
    let again = h.gateway.capture(&capture).await.unwrap();
    assert_eq!(again.amount, 700);
    let ledger = h.ledger().await;
    assert_eq!(
        (ledger[0].captured_amount, ledger[0].authorize_amount),
        (700, 1000)
    );
}

#[tokio::test]
async fn a_capture_above_the_authorized_amount_is_refused_and_takes_nothing() {
    let h = Harness::holding().await;
    let (mut capture, _) = held(&h, 1000).await;
    capture.amount = 1001;
    let err = h.gateway.capture(&capture).await.unwrap_err();
    assert!(matches!(err, GatewayError::Refused(_)), "{err:?}");
    assert_eq!(h.ledger().await[0].status, ChargeStatus::Uncaptured);
}

#[tokio::test]
async fn a_partial_refund_then_a_full_one_gives_back_exactly_what_was_paid() {
    let h = Harness::start().await;
    let (_, paid) = h.paid(1000).await;
    let id = paid.transaction_id.as_str();
    let part = h.gateway.refund(&refund(id, Some(300))).await.unwrap();
    assert!(part.refund_transaction_id.starts_with("ref_"));
    let ledger = h.ledger().await;
    assert_eq!(ledger[0].refunded_amount, 300);
    assert_eq!(ledger[0].status, ChargeStatus::PartiallyRefunded);

    let rest = h.gateway.refund(&refund(id, None)).await.unwrap();
    assert_ne!(rest.refund_transaction_id, part.refund_transaction_id);
    let ledger = h.ledger().await;
    assert_eq!(ledger[0].refunded_amount, 1000);
    assert_eq!(ledger[0].status, ChargeStatus::Refunded);

    let err = h.gateway.refund(&refund(id, None)).await.unwrap_err();
    let GatewayError::Refused(refusal) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    assert_eq!(refusal.reason, FailReason::AlreadyRefunded);
    let err = h.gateway.refund(&refund(id, Some(1))).await.unwrap_err();
    assert!(
        matches!(&err, GatewayError::Refused(r) if r.reason == FailReason::AlreadyRefunded),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_refund_repeated_with_the_same_key_pays_back_once() {
    let h = Harness::start().await;
    let (_, paid) = h.paid(1000).await;
    let request = refund(&paid.transaction_id, Some(300));
    let first = h.gateway.refund(&request).await.unwrap();
    let again = h.gateway.refund(&request).await.unwrap();
    assert_eq!(first.refund_transaction_id, again.refund_transaction_id);
    assert_eq!(h.ledger().await[0].refunded_amount, 300);
}

#[tokio::test]
async fn a_refund_of_more_than_is_left_or_of_an_unpaid_charge_is_refused() {
    let h = Harness::start().await;
    let (_, paid) = h.paid(1000).await;
    let err = h
        .gateway
        .refund(&refund(&paid.transaction_id, Some(1001)))
        .await
        .unwrap_err();
    assert!(matches!(err, GatewayError::Refused(_)), "{err:?}");
    let pending = h.create(&wallet_qr(500, "paypay")).await;
    let pending_id = pending.id.trim_start_matches("charge:");
    let err = h
        .gateway
        .refund(&refund(pending_id, Some(100)))
        .await
        .unwrap_err();
    let GatewayError::Refused(refusal) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    assert_eq!(refusal.error_type, "10109");
    assert_eq!(
        h.ledger()
            .await
            .iter()
            .map(|t| t.refunded_amount)
            .sum::<i64>(),
        0
    );
}
