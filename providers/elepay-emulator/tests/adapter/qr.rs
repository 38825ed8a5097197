//! Wallet QR charges and EasyQR pages from create to paid, open, expired and cancelled, and a
//! cancel racing the customer.

use std::time::Duration;

use regi_elepay::CaptureMode;
use regi_elepay::adapter::{RECEIPT_NO_KEY, REQUEST_KEY, TERMINAL_KEY};
use regi_elepay::wire::{ChargeStatus, KnownPaymentMethod, PaymentMethod};
use regi_elepay_emulator::{EmulatorConfig, customer};
use regi_payment::{PaymentGateway, QrStatus};

use crate::support::{Harness, hosted_page, kind, wallet_qr};

#[tokio::test]
async fn a_wallet_qr_is_a_charge_showing_its_code_content_and_is_paid_when_the_customer_pays() {
    let h = Harness::start().await;
    let request = wallet_qr(1200, "paypay");
    let session = h.create(&request).await;
    assert!(session.id.starts_with("charge:cha_"), "{}", session.id);
    assert!(!session.token.is_empty());
    let ledger = h.ledger().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].order_no, request.reference);
    assert_eq!(ledger[0].amount, 1200);
    assert_eq!(
        ledger[0].payment_method,
        PaymentMethod::Known(KnownPaymentMethod::Paypay)
    );
    let open = h.status(&session).await;
    assert_eq!(
        open,
        QrStatus::Open {
            expires_at: session.expires_at
        }
    );

    h.pay(&session, "alice").await;
    let QrStatus::Paid(paid) = h.status(&session).await else {
        panic!("expected paid");
    };
    assert_eq!(paid.transaction_id, ledger[0].id);
    assert_eq!(paid.amount, 1200);
    assert_eq!(paid.money_name.as_deref(), Some("PayPay"));
    assert_eq!(h.ledger().await[0].status, ChargeStatus::Captured);
}

#[tokio::test]
async fn a_charge_carries_the_attempts_key_the_register_the_receipt_and_the_sale_description() {
    let h = Harness::start().await;
    let request = wallet_qr(500, "linepay");
    let session = h.create(&request).await;
    let id = session.id.trim_start_matches("charge:");
    let charge = h.gateway.client().retrieve_charge(id).await.unwrap();
    let key = request.request_id.to_string();
    let metadata = charge.metadata.unwrap();
    assert_eq!(metadata.get(REQUEST_KEY), Some(&key));
    assert_eq!(
        metadata.get(TERMINAL_KEY).map(String::as_str),
        Some("レジ1")
    );
    assert_eq!(metadata.get(RECEIPT_NO_KEY).map(String::as_str), Some("42"));
    assert_eq!(charge.description.as_deref(), Some("regi sale"));
    assert_eq!(charge.order_no, Some(request.reference));
}

#[tokio::test]
async fn a_wallet_qr_without_a_chosen_wallet_takes_the_configured_one() {
    let h = Harness::start().await;
    let mut request = wallet_qr(300, "paypay");
    request.wallet = None;
    h.create(&request).await;
    assert_eq!(
        h.ledger().await[0].payment_method,
        PaymentMethod::Known(KnownPaymentMethod::Paypay)
    );
}

#[tokio::test]
async fn an_easyqr_page_is_a_code_showing_its_url_and_is_paid_through_its_charge() {
    let h = Harness::start().await;
    let request = hosted_page(800);
    let session = h.create(&request).await;
    assert!(session.id.starts_with("code:cod_"), "{}", session.id);
    assert!(session.token.contains("cod_"), "{}", session.token);
    assert_eq!(kind(&h.status(&session).await), "open");
    assert!(
        h.ledger().await.is_empty(),
        "a code has no charge until paid"
    );

    h.pay(&session, "bob").await;
    let QrStatus::Paid(paid) = h.status(&session).await else {
        panic!("expected paid");
    };
    let ledger = h.ledger().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(paid.transaction_id, ledger[0].id);
    assert_eq!(ledger[0].order_no, request.reference);
    assert_eq!(paid.amount, 800);
    assert_eq!(paid.money_name.as_deref(), Some("LINE Pay"));
}

#[tokio::test]
async fn an_easyqr_lifetime_is_asked_in_whole_minutes_within_elepays_bounds() {
    let h = Harness::start().await;
    for (secs, minutes) in [(60, 3), (301, 6), (3600, 30)] {
        let mut request = hosted_page(100);
        request.expires_in_secs = secs;
        let session = h.create(&request).await;
        let lifetime = session.expires_at.timestamp_millis() - h.emulator.state.now();
        assert_eq!(lifetime, minutes * 60_000, "{secs} s");
    }
}

#[tokio::test]
async fn a_customer_without_the_money_leaves_the_request_open() {
    let h = Harness::start().await;
    let session = h.create(&wallet_qr(700, "paypay")).await;
    let refused = customer::pay(h.url(), &session.token, "poor").await;
    assert_eq!(refused.unwrap_err().code(), Some("insufficient_balance"));
    assert_eq!(kind(&h.status(&session).await), "open");
}

#[tokio::test]
async fn a_charge_still_pending_past_its_expiry_is_expired() {
    let config = EmulatorConfig {
        charge_expiry: Duration::ZERO,
        ..Default::default()
    };
    let h = Harness::start_with(config, CaptureMode::Auto).await;
    let session = h.create(&wallet_qr(700, "paypay")).await;
    assert_eq!(kind(&h.status(&session).await), "expired");
    assert_eq!(h.ledger().await[0].status, ChargeStatus::Pending);
}

#[tokio::test]
async fn a_code_past_its_expiry_is_expired() {
    let h = Harness::start().await;
    let session = h.create(&hosted_page(700)).await;
    h.clock.advance(Duration::from_secs(6 * 60));
    assert_eq!(kind(&h.status(&session).await), "expired");
}

#[tokio::test]
async fn cancelling_an_open_wallet_qr_revokes_its_charge() {
    let h = Harness::start().await;
    let session = h.create(&wallet_qr(700, "paypay")).await;
    h.gateway.cancel_qr(&session.id).await.unwrap();
    assert_eq!(kind(&h.status(&session).await), "cancelled");
    assert_eq!(h.ledger().await[0].status, ChargeStatus::Revoked);
    // A second cancel finds it cancelled already: not an error.
    h.gateway.cancel_qr(&session.id).await.unwrap();
}

#[tokio::test]
async fn cancelling_an_open_page_closes_its_code() {
    let h = Harness::start().await;
    let session = h.create(&hosted_page(700)).await;
    h.gateway.cancel_qr(&session.id).await.unwrap();
    assert_eq!(kind(&h.status(&session).await), "cancelled");
    h.gateway.cancel_qr(&session.id).await.unwrap();
    let refused = customer::pay(h.url(), &session.token, "alice").await;
    assert_eq!(refused.unwrap_err().code(), Some("not_payable"));
}

#[tokio::test]
async fn a_cancel_racing_a_payment_is_no_error_and_the_reread_says_paid() {
    let h = Harness::start().await;
    for request in [wallet_qr(900, "paypay"), hosted_page(900)] {
        let session = h.create(&request).await;
        h.pay(&session, "alice").await;
        h.gateway.cancel_qr(&session.id).await.unwrap();
        assert_eq!(kind(&h.status(&session).await), "paid", "{}", session.id);
    }
    let ledger = h.ledger().await;
    assert_eq!(ledger.len(), 2);
    assert!(ledger.iter().all(|t| t.status == ChargeStatus::Captured));
}

#[tokio::test]
async fn a_cancel_after_the_customer_authorized_keeps_the_hold_for_the_capture() {
    let h = Harness::holding().await;
    let session = h.create(&wallet_qr(900, "paypay")).await;
    h.pay(&session, "alice").await;
    h.gateway.cancel_qr(&session.id).await.unwrap();
    assert_eq!(kind(&h.status(&session).await), "authorized");
    assert_eq!(h.ledger().await[0].status, ChargeStatus::Uncaptured);
}
