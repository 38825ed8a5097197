//! Charges: create, read, the status poll, capture, revoke and listing, with each refusal.

use std::collections::BTreeMap;

use regi_elepay::wire::{
    ChargeReq, ChargeStatus, KnownPaymentMethod, ListChargesQuery, PaymentMethod, Resource,
};
use regi_elepay::{AuthScheme, RefusalKind};
use regi_elepay_emulator::customer;

use crate::support::{Harness, client_for, id, order_no};

#[tokio::test]
async fn a_qr_charge_is_created_pending_with_its_code_content_and_metadata() {
    let h = Harness::start().await;
    let mut req = ChargeReq::mpm(1500, order_no(), KnownPaymentMethod::Linepay.into(), true);
    req.description = Some("regi sale".into());
    req.metadata = Some(BTreeMap::from([
        ("terminal".to_string(), "T1".to_string()),
        ("receipt".to_string(), "0042".to_string()),
    ]));
    let charge = h.client.create_charge(&req).await.unwrap();
    assert_eq!(charge.object.as_deref(), Some("charge"));
    assert_eq!(charge.status, Some(ChargeStatus::Pending));
    assert_eq!(charge.amount, Some(1500));
    assert_eq!(charge.order_no.as_deref(), Some(req.order_no.as_str()));
    assert_eq!(charge.resource, Some(Resource::Mpm));
    assert_eq!(
        charge.payment_method,
        Some(PaymentMethod::Known(KnownPaymentMethod::Linepay))
    );
    assert!(charge.code_content.is_some());
    assert_eq!(charge.metadata, req.metadata);
    assert_eq!(charge.authorize, Some(false));
    assert_eq!(charge.paid, Some(false));
    let created = charge.create_time.unwrap();
    assert!(charge.expiry_time.unwrap() > created);
    assert_eq!(h.client.retrieve_charge(id(&charge)).await.unwrap(), charge);
}

#[tokio::test]
async fn a_charge_that_is_not_mpm_has_no_code_content() {
    let h = Harness::start().await;
    let mut req = ChargeReq::mpm(100, order_no(), KnownPaymentMethod::Paypay.into(), true);
    req.resource = Some(Resource::Web);
    let charge = h.client.create_charge(&req).await.unwrap();
    assert!(charge.code_content.is_none());
}

#[tokio::test]
async fn the_status_poll_turns_captured_when_the_customer_pays() {
    let h = Harness::start().await;
    let charge = h.charge(800, true).await;
    let status = h.client.charge_status(id(&charge)).await.unwrap();
    assert_eq!(status.status, Some(ChargeStatus::Pending));
    h.pay(&charge, "alice").await;
    let status = h.client.charge_status(id(&charge)).await.unwrap();
    assert_eq!(status.status, Some(ChargeStatus::Captured));
    assert_eq!(status.id.as_deref(), Some(id(&charge)));
    let paid = h.client.retrieve_charge(id(&charge)).await.unwrap();
    assert_eq!(paid.paid, Some(true));
    assert!(paid.paid_time.is_some());
    assert_eq!(paid.card_info.unwrap().wallet.as_deref(), Some("paypay"));
}

#[tokio::test]
async fn bearer_and_basic_keys_are_both_accepted() {
    let h = Harness::start().await;
    for scheme in [AuthScheme::Bearer, AuthScheme::Basic] {
        let client = client_for(&h.emulator, scheme, &h.emulator.secret_key);
        client.check_key().await.unwrap();
    }
}

#[tokio::test]
async fn a_poor_customer_fails_and_the_charge_stays_pending() {
    let h = Harness::start().await;
    let charge = h.charge(500, true).await;
    let err = customer::pay(h.url(), charge.code_content.as_deref().unwrap(), "poor")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("insufficient_balance"));
    let status = h.client.charge_status(id(&charge)).await.unwrap();
    assert_eq!(status.status, Some(ChargeStatus::Pending));
}

#[tokio::test]
async fn a_held_charge_is_captured_for_a_smaller_amount() {
    let h = Harness::start().await;
    let held = h.paid_charge(2000, false).await;
    assert_eq!(held.authorize, Some(true));
    assert_eq!(held.paid, Some(false));
    let captured = h
        .client
        .capture_charge(id(&held), Some(1800))
        .await
        .unwrap();
    assert_eq!(captured.status, Some(ChargeStatus::Captured));
    assert_eq!(captured.amount, Some(1800));
    assert_eq!(captured.authorize_amount, Some(2000));
    assert_eq!(captured.paid, Some(true));
    let ledger = h.transactions().await;
    assert_eq!(ledger[0].captured_amount, 1800);
}

#[tokio::test]
async fn a_held_charge_is_captured_whole_when_no_amount_is_given() {
    let h = Harness::start().await;
    let held = h.paid_charge(700, false).await;
    let captured = h.client.capture_charge(id(&held), None).await.unwrap();
    assert_eq!(captured.amount, Some(700));
}

#[tokio::test]
async fn capturing_more_than_was_authorized_is_refused_as_invalid() {
    let h = Harness::start().await;
    let held = h.paid_charge(1000, false).await;
    let err = h
        .client
        .capture_charge(id(&held), Some(1001))
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::InvalidRequest));
    assert_eq!(err.refusal().unwrap().code, "M002002");
}

#[tokio::test]
async fn capturing_a_charge_nobody_paid_is_refused_by_its_status() {
    let h = Harness::start().await;
    let pending = h.charge(1000, false).await;
    let err = h
        .client
        .capture_charge(id(&pending), None)
        .await
        .unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::StatusDoesNotAllow));
}

#[tokio::test]
async fn capturing_twice_is_refused_as_already_completed() {
    let h = Harness::start().await;
    let held = h.paid_charge(1000, false).await;
    h.client.capture_charge(id(&held), None).await.unwrap();
    let err = h.client.capture_charge(id(&held), None).await.unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::AlreadyCompleted));
}

#[tokio::test]
async fn a_pending_charge_is_revoked_and_can_no_longer_be_paid() {
    let h = Harness::start().await;
    let charge = h.charge(900, true).await;
    let revoked = h.client.revoke_charge(id(&charge)).await.unwrap();
    assert_eq!(revoked.status, Some(ChargeStatus::Revoked));
    let err = customer::pay(h.url(), charge.code_content.as_deref().unwrap(), "alice")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("not_payable"));
    let again = h.client.revoke_charge(id(&charge)).await.unwrap_err();
    assert_eq!(again.refusal_kind(), Some(RefusalKind::AlreadyCompleted));
}

#[tokio::test]
async fn a_held_charge_can_be_revoked() {
    let h = Harness::start().await;
    let held = h.paid_charge(900, false).await;
    let revoked = h.client.revoke_charge(id(&held)).await.unwrap();
    assert_eq!(revoked.status, Some(ChargeStatus::Revoked));
}

#[tokio::test]
async fn a_revoke_that_loses_the_race_to_a_payment_leaves_the_charge_paid() {
    let h = Harness::start().await;
    let charge = h.charge(1200, true).await;
    // The customer pays a moment before the clerk's cancel arrives.
    h.pay(&charge, "alice").await;
    let err = h.client.revoke_charge(id(&charge)).await.unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::StatusDoesNotAllow));
    let settled = h.client.retrieve_charge(id(&charge)).await.unwrap();
    assert_eq!(settled.status, Some(ChargeStatus::Captured));
    let ledger = h.transactions().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].status, ChargeStatus::Captured);
}

#[tokio::test]
async fn an_unknown_charge_is_refused_as_not_found_by_every_charge_operation() {
    let h = Harness::start().await;
    let c = &h.client;
    let errors = [
        c.retrieve_charge("cha_missing").await.unwrap_err(),
        c.charge_status("cha_missing").await.unwrap_err(),
        c.capture_charge("cha_missing", None).await.unwrap_err(),
        c.revoke_charge("cha_missing").await.unwrap_err(),
        c.list_refunds("cha_missing").await.unwrap_err(),
    ];
    for err in errors {
        assert_eq!(err.refusal_kind(), Some(RefusalKind::NotFound), "{err}");
        assert_eq!(err.refusal().unwrap().code, "M002003");
    }
}

#[tokio::test]
async fn a_second_charge_for_a_paid_order_is_refused_as_already_paid() {
    let h = Harness::start().await;
    let paid = h.paid_charge(1000, true).await;
    let order = paid.order_no.clone().unwrap();
    let again = ChargeReq::mpm(1000, order, KnownPaymentMethod::Paypay.into(), true);
    let err = h.client.create_charge(&again).await.unwrap_err();
    assert!(err.is_order_already_paid(), "{err}");
    assert!(!err.is_outcome_unknown());
    assert_eq!(
        err.refusal().unwrap().ja(),
        "elepay: この注文はすでに支払い済みです"
    );
}

#[tokio::test]
async fn a_new_charge_for_an_order_nobody_paid_is_created() {
    let h = Harness::start().await;
    let first = h.charge(1000, true).await;
    h.client.revoke_charge(id(&first)).await.unwrap();
    let order = first.order_no.clone().unwrap();
    let again = ChargeReq::mpm(1000, order, KnownPaymentMethod::Paypay.into(), true);
    let second = h.client.create_charge(&again).await.unwrap();
    assert_ne!(second.id, first.id);
}

#[tokio::test]
async fn malformed_charge_requests_are_refused_with_the_reason() {
    let h = Harness::start().await;
    let base = ChargeReq::mpm(1000, order_no(), KnownPaymentMethod::Paypay.into(), true);
    let mut zero = base.clone();
    zero.amount = 0;
    let mut long_order = base.clone();
    long_order.order_no = "x".repeat(51);
    let mut reserved = base.clone();
    reserved.metadata = Some(BTreeMap::from([("route".to_string(), "x".to_string())]));
    let mut unlisted = base.clone();
    unlisted.payment_method = PaymentMethod::Other("bankpay".into());
    let mut dollars = base;
    dollars.currency = Some("USD".into());
    for req in [zero, long_order, reserved, unlisted, dollars] {
        let err = h.client.create_charge(&req).await.unwrap_err();
        assert_eq!(
            err.refusal_kind(),
            Some(RefusalKind::InvalidRequest),
            "{err}"
        );
        assert!(!err.refusal().unwrap().message.is_empty());
    }
    assert!(h.transactions().await.is_empty());
}

#[tokio::test]
async fn charges_are_listed_page_by_page_with_a_total() {
    let h = Harness::start().await;
    for amount in [100, 200, 300] {
        h.charge(amount, true).await;
    }
    let query = ListChargesQuery {
        limit: Some(2),
        order: Some("asc".into()),
        ..Default::default()
    };
    let page = h.client.list_charges(&query).await.unwrap();
    assert_eq!(page.total, Some(3));
    let amounts: Vec<_> = page.charges.unwrap().iter().map(|c| c.amount).collect();
    assert_eq!(amounts, [Some(100), Some(200)]);
    let bad = ListChargesQuery {
        limit: Some(101),
        ..Default::default()
    };
    let err = h.client.list_charges(&bad).await.unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::InvalidRequest));
}
