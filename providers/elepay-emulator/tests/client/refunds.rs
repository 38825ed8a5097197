//! Refunds: partial then full, listed and read one by one, and each refusal.

use regi_elepay::RefusalKind;
use regi_elepay::wire::{ChargeStatus, RefundReq, RefundStatus};

use crate::support::{Harness, id};

fn refund(amount: i64) -> RefundReq {
    RefundReq {
        amount,
        currency: None,
        reason: Some("returned".into()),
        metadata: None,
    }
}

#[tokio::test]
async fn a_partial_then_a_full_refund_are_reflected_in_the_charge() {
    let h = Harness::start().await;
    let charge = h.paid_charge(1500, true).await;
    let first = h
        .client
        .create_refund(id(&charge), &refund(500))
        .await
        .unwrap();
    assert_eq!(first.object.as_deref(), Some("refund"));
    assert_eq!(first.status, Some(RefundStatus::Refunded));
    assert_eq!(first.charge_id.as_deref(), Some(id(&charge)));
    let partly = h.client.retrieve_charge(id(&charge)).await.unwrap();
    assert_eq!(partly.status, Some(ChargeStatus::PartiallyRefunded));
    assert_eq!(partly.refunded, Some(false));
    assert_eq!(partly.paid, Some(true));
    let refunds = partly.refunds.unwrap();
    assert_eq!((refunds.amount, refunds.total_count), (Some(500), Some(1)));

    h.client
        .create_refund(id(&charge), &refund(1000))
        .await
        .unwrap();
    let whole = h.client.retrieve_charge(id(&charge)).await.unwrap();
    assert_eq!(whole.status, Some(ChargeStatus::Refunded));
    assert_eq!(whole.refunded, Some(true));
    let refunds = whole.refunds.unwrap();
    assert_eq!((refunds.amount, refunds.total_count), (Some(1500), Some(2)));
    let ledger = h.transactions().await;
    assert_eq!(
        (ledger[0].captured_amount, ledger[0].refunded_amount),
        (1500, 1500)
    );
}

#[tokio::test]
async fn refunds_are_listed_and_read_one_by_one() {
    let h = Harness::start().await;
    let charge = h.paid_charge(1000, true).await;
    let made = h
        .client
        .create_refund(id(&charge), &refund(300))
        .await
        .unwrap();
    let listing = h.client.list_refunds(id(&charge)).await.unwrap();
    assert_eq!(listing.total, Some(1));
    assert_eq!(listing.refunds.unwrap()[0], made);
    let read = h
        .client
        .retrieve_refund(id(&charge), made.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(read, made);
}

#[tokio::test]
async fn refunding_more_than_is_left_is_refused_and_changes_nothing() {
    let h = Harness::start().await;
    let charge = h.paid_charge(1000, true).await;
    h.client
        .create_refund(id(&charge), &refund(600))
        .await
        .unwrap();
    let err = h
        .client
        .create_refund(id(&charge), &refund(401))
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::InvalidRequest));
    let listing = h.client.list_refunds(id(&charge)).await.unwrap();
    assert_eq!(listing.total, Some(1));
}

#[tokio::test]
async fn a_held_charge_cannot_be_refunded_before_its_capture() {
    let h = Harness::start().await;
    let held = h.paid_charge(1000, false).await;
    let err = h
        .client
        .create_refund(id(&held), &refund(100))
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::RefundNotCaptured));
}

#[tokio::test]
async fn a_fully_refunded_charge_refuses_another_refund() {
    let h = Harness::start().await;
    let charge = h.paid_charge(1000, true).await;
    h.client
        .create_refund(id(&charge), &refund(1000))
        .await
        .unwrap();
    let err = h
        .client
        .create_refund(id(&charge), &refund(1))
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::StatusDoesNotAllow));
}

#[tokio::test]
async fn an_unknown_refund_is_refused_as_not_found() {
    let h = Harness::start().await;
    let charge = h.paid_charge(1000, true).await;
    let err = h
        .client
        .retrieve_refund(id(&charge), "ref_missing")
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::NotFound));
    let err = h
        .client
        .create_refund("cha_missing", &refund(1))
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::NotFound));
}
