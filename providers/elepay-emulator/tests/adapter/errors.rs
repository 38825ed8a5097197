//! Each class of error as the engine sees it: a wrong key and broken requests are fatal, a server
//! that does not answer leaves the outcome unknown, elepay's refusals are refusals with the
//! clerk's texts; and what elepay cannot do is refused before anything is sent.

use regi_core::domain::{FailReason, PaymentMethod as Presentation};
use regi_elepay::{CaptureMode, ElepayGateway, GatewayOptions, SecretKey};
use regi_elepay_emulator::{EmulatorConfig, FaultPlan};
use regi_payment::{CodeCharge, Direction, GatewayError, PaymentGateway};
use uuid::Uuid;

use crate::support::{Harness, gateway_for, wallet_qr};

#[tokio::test]
async fn the_gateway_declares_capture_partial_refunds_and_both_qr_presentations() {
    let h = Harness::start().await;
    let caps = h.gateway.capabilities();
    assert!(caps.capture && caps.partial_refund);
    assert_eq!(
        caps.presentations,
        &[Presentation::MerchantQr, Presentation::HostedPage]
    );
    assert_eq!(h.gateway.provider(), "elepay");
    assert_eq!(regi_elepay::PROVIDER, "elepay");
}

#[tokio::test]
async fn a_wrong_key_is_fatal_never_shows_the_key_and_charges_nothing() {
    let h = Harness::start().await;
    let wrong = gateway_for(
        &h.emulator,
        &SecretKey::new("sk_test_WrongKey99"),
        CaptureMode::Auto,
    );
    let err = wrong
        .create_qr(&wallet_qr(500, "paypay"))
        .await
        .unwrap_err();
    assert!(matches!(err, GatewayError::Fatal(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("WrongKey99"));
    assert!(h.ledger().await.is_empty());
}

#[tokio::test]
async fn a_server_that_does_not_answer_leaves_a_create_and_a_read_unknown() {
    let config = EmulatorConfig {
        faults: FaultPlan {
            unavailable: 1.0,
            ..Default::default()
        },
        ..Default::default()
    };
    let h = Harness::start_with(config, CaptureMode::Auto).await;
    let create = h.gateway.create_qr(&wallet_qr(500, "paypay")).await;
    assert!(create.unwrap_err().is_unknown());
    let read = h.gateway.qr_status("charge:cha_1").await;
    assert!(read.unwrap_err().is_unknown());
    let cancel = h.gateway.cancel_qr("code:cod_1").await;
    assert!(cancel.unwrap_err().is_unknown());
    assert!(h.ledger().await.is_empty());
}

#[tokio::test]
async fn a_request_elepay_refuses_is_a_refusal_with_its_code_and_the_clerks_texts() {
    let h = Harness::start().await;
    let err = h
        .gateway
        .create_qr(&wallet_qr(0, "paypay"))
        .await
        .unwrap_err();
    let GatewayError::Refused(refusal) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    assert_eq!(refusal.reason, FailReason::RejectedOther);
    assert_eq!(refusal.error_type, "M002002");
    assert_eq!(
        refusal.message_en,
        "elepay: the request has a missing or wrong value"
    );
    assert_eq!(refusal.message_ja, "elepay: 送信内容に誤りがあります");
}

#[tokio::test]
async fn a_qr_id_elepay_does_not_know_or_regi_did_not_make_is_fatal() {
    let h = Harness::start().await;
    for id in ["charge:cha_missing", "code:cod_missing", "cha_untagged"] {
        let err = h.gateway.qr_status(id).await.unwrap_err();
        assert!(matches!(err, GatewayError::Fatal(_)), "{id}: {err:?}");
    }
}

#[tokio::test]
async fn top_ups_unknown_wallets_and_customer_codes_are_refused_before_anything_is_sent() {
    let h = Harness::start().await;
    let mut topup = wallet_qr(500, "paypay");
    topup.direction = Direction::Topup;
    let unknown_wallet = wallet_qr(500, "paypai");
    let mut no_wallet = wallet_qr(500, "paypay");
    no_wallet.wallet = None;
    let configured = gateway_for(&h.emulator, &h.emulator.secret_key, CaptureMode::Auto);
    let bare = ElepayGateway::new(
        configured.client().clone(),
        GatewayOptions {
            default_wallet: None,
            ..configured.options().clone()
        },
    );
    for (gateway, request) in [
        (&h.gateway, &topup),
        (&h.gateway, &unknown_wallet),
        (&bare, &no_wallet),
    ] {
        let err = gateway.create_qr(request).await.unwrap_err();
        assert!(matches!(err, GatewayError::Fatal(_)), "{err:?}");
    }
    let code = CodeCharge {
        code: "1234".into(),
        amount: 500,
        direction: Direction::Payment,
        request_id: Uuid::new_v4(),
        description: "regi".into(),
        products: Vec::new(),
    };
    assert!(matches!(
        h.gateway.charge_code(&code).await,
        Err(GatewayError::Fatal(_))
    ));
    assert!(h.ledger().await.is_empty());
}
