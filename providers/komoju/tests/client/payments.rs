//! Payments: show, capture, cancel, refunds whole and partial, listing, the key check.

use regi_komoju::wire::{
    CaptureMode, CapturePaymentRequest, ListPaymentsQuery, PaymentStatus, RefundPaymentRequest,
};
use regi_komoju::{ErrorClass, IdempotencyKey};

use crate::support::harness;

fn key() -> IdempotencyKey {
    IdempotencyKey::random()
}

#[tokio::test]
async fn a_payment_shows_what_the_customer_chose_and_its_session() {
    let h = harness().await;
    let id = h.paid(1500, CaptureMode::Auto).await;
    let payment = h.client.show_payment(&id).await.unwrap();
    assert_eq!(payment.id.len(), 25);
    assert_eq!(payment.status, PaymentStatus::Captured);
    assert_eq!(
        (payment.amount, payment.total, payment.amount_refunded),
        (1500, 1500, 0)
    );
    assert_eq!(payment.payment_details.kind, "paypay");
    assert!(payment.captured_at.is_some());
    assert_eq!(payment.session.as_ref().map(String::len), Some(25));
}

#[tokio::test]
async fn showing_an_unknown_payment_is_a_definite_not_found() {
    let h = harness().await;
    let err = h
        .client
        .show_payment("bbbbbbbbbbbbbbbbbbbbbbbbb")
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Refused);
    assert_eq!((err.status(), err.code()), (Some(404), Some("not_found")));
}

#[tokio::test]
async fn a_manual_capture_session_is_authorised_until_captured_once() {
    let h = harness().await;
    let id = h.paid(2000, CaptureMode::Manual).await;
    assert_eq!(
        h.client.show_payment(&id).await.unwrap().status,
        PaymentStatus::Authorized
    );
    let captured = h
        .client
        .capture_payment(&id, &CapturePaymentRequest::default(), &key())
        .await
        .unwrap();
    assert_eq!(
        (captured.status, captured.amount),
        (PaymentStatus::Captured, 2000)
    );
    let err = h
        .client
        .capture_payment(&id, &CapturePaymentRequest::default(), &key())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(422), Some("unprocessable_entity"))
    );
}

#[tokio::test]
async fn a_partial_capture_takes_only_the_amount_and_too_much_is_refused_by_name() {
    let h = harness().await;
    let id = h.paid(2000, CaptureMode::Manual).await;
    let too_much = CapturePaymentRequest { amount: Some(2001) };
    let err = h
        .client
        .capture_payment(&id, &too_much, &key())
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.param()),
        (Some("unprocessable_entity"), Some("amount"))
    );
    let part = CapturePaymentRequest { amount: Some(1800) };
    let captured = h.client.capture_payment(&id, &part, &key()).await.unwrap();
    assert_eq!((captured.amount, captured.total), (1800, 1800));
}

#[tokio::test]
async fn an_authorised_payment_cancels_and_a_captured_one_does_not() {
    let h = harness().await;
    let held = h.paid(900, CaptureMode::Manual).await;
    let cancelled = h.client.cancel_payment(&held, &key()).await.unwrap();
    assert_eq!(cancelled.status, PaymentStatus::Cancelled);
    let taken = h.paid(900, CaptureMode::Auto).await;
    let err = h.client.cancel_payment(&taken, &key()).await.unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(422), Some("unprocessable_entity"))
    );
}

#[tokio::test]
async fn a_partial_then_a_full_refund_leave_the_payment_refunded_with_both_refunds() {
    let h = harness().await;
    let id = h.paid(3000, CaptureMode::Auto).await;
    let partial = RefundPaymentRequest {
        amount: Some(1000),
        description: Some("one item returned".into()),
    };
    let after_partial = h
        .client
        .refund_payment(&id, &partial, &key())
        .await
        .unwrap();
    assert_eq!(after_partial.status, PaymentStatus::Captured);
    assert_eq!(after_partial.amount_refunded, 1000);
    assert_eq!(after_partial.refunds.len(), 1);
    assert_eq!(after_partial.refunds[0].payment, id);
    let after_full = h
        .client
        .refund_payment(&id, &RefundPaymentRequest::default(), &key())
        .await
        .unwrap();
    assert_eq!(after_full.status, PaymentStatus::Refunded);
    assert_eq!(after_full.amount_refunded, 3000);
    assert_eq!(after_full.refunds.len(), 2);
    assert_eq!(after_full.refunds[1].amount, 2000);
    let err = h
        .client
        .refund_payment(&id, &RefundPaymentRequest::default(), &key())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(422), Some("unprocessable_entity"))
    );
}

#[tokio::test]
async fn refunding_more_than_is_left_is_refused_naming_the_amount() {
    let h = harness().await;
    let id = h.paid(1000, CaptureMode::Auto).await;
    let request = RefundPaymentRequest {
        amount: Some(1001),
        description: None,
    };
    let err = h
        .client
        .refund_payment(&id, &request, &key())
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Refused);
    assert_eq!(err.param(), Some("amount"));
    assert_eq!(h.client.show_payment(&id).await.unwrap().amount_refunded, 0);
}

#[tokio::test]
async fn payments_are_listed_by_the_registers_order_number() {
    let h = harness().await;
    let id = h.paid(1000, CaptureMode::Auto).await;
    let query = ListPaymentsQuery {
        external_order_num: Some("R-20261206-0001".into()),
        ..Default::default()
    };
    let list = h.client.list_payments(&query).await.unwrap();
    assert_eq!((list.resource.as_str(), list.total), ("list", 1));
    assert_eq!(list.data[0].id, id);
    let none = ListPaymentsQuery {
        external_order_num: Some("R-other".into()),
        ..Default::default()
    };
    assert_eq!(h.client.list_payments(&none).await.unwrap().total, 0);
}

#[tokio::test]
async fn the_key_check_passes_with_the_right_key() {
    let h = harness().await;
    h.client.check_key().await.unwrap();
}
