//! Each class of error as the engine gets it: a refused key is fatal and names the setting, a
//! busy KOMOJU is unknown for a write and busy for a read, no answer at all is unknown, and what
//! KOMOJU lacks is refused before anything is sent.

use regi_core::domain::PaymentMethod;
use regi_komoju::{Client, ClientSettings, KomojuGateway, SecretKey, SessionOptions};
use regi_payment::{
    CaptureRequest, CodeCharge, Direction, GatewayError, PaymentGateway, RefundRequest,
};
use uuid::Uuid;

use crate::support::{harness, qr_request};

const WRONG_KEY: &str = "sk_test_wrong_hunter2";

fn gateway_to(api_base_url: &str, key: &str) -> KomojuGateway {
    let settings = ClientSettings::new(api_base_url, SecretKey::new(key));
    KomojuGateway::new(Client::new(&settings).unwrap(), SessionOptions::default())
}

#[tokio::test]
async fn a_wrong_key_is_fatal_and_names_the_setting_never_the_key() {
    let h = harness().await;
    let gateway = gateway_to(&h.emulator.api_base_url, WRONG_KEY);
    let session = h.shown(&qr_request(100)).await;
    let errors = [
        gateway.create_qr(&qr_request(100)).await.unwrap_err(),
        gateway.qr_status(&session.id).await.unwrap_err(),
        gateway.cancel_qr(&session.id).await.unwrap_err(),
        gateway.lookup_request(Uuid::new_v4()).await.unwrap_err(),
    ];
    for error in errors {
        let GatewayError::Fatal(message) = &error else {
            panic!("a refused key is a configuration error: {error:?}");
        };
        assert!(message.contains("[komoju] secret_key"), "{message}");
        assert!(!format!("{error} {error:?}").contains("hunter2"));
    }
    assert_eq!(h.session_count(), 1);
}

#[tokio::test]
async fn komoju_unavailable_is_unknown_for_writes_and_busy_for_reads() {
    let h = harness().await;
    let (_, payment_id) = h.paid(800).await;
    let session = h.shown(&qr_request(100)).await;
    h.faults("unavailable=1");
    let create = h.gateway.create_qr(&qr_request(100)).await.unwrap_err();
    assert!(create.is_unknown(), "{create:?}");
    let refund = RefundRequest {
        transaction_id: payment_id.clone(),
        amount: Some(100),
        reason: "returned".into(),
        request_id: Uuid::new_v4(),
    };
    let refund = h.gateway.refund(&refund).await.unwrap_err();
    assert!(refund.is_unknown(), "{refund:?}");
    let read = h.gateway.qr_status(&session.id).await.unwrap_err();
    assert!(matches!(read, GatewayError::Busy(_)), "{read:?}");
    let capture = CaptureRequest {
        transaction_id: payment_id,
        amount: 800,
        request_id: Uuid::new_v4(),
    };
    // The read before the capture is busy: nothing was sent that could take money.
    let capture = h.gateway.capture(&capture).await.unwrap_err();
    assert!(matches!(capture, GatewayError::Busy(_)), "{capture:?}");
    let cancel = h.gateway.cancel_qr(&session.id).await.unwrap_err();
    assert!(cancel.is_unknown(), "{cancel:?}");
    h.quiet();
    assert_eq!(h.session_count(), 2);
}

#[tokio::test]
async fn nothing_answering_is_unknown_never_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let gateway = gateway_to(&format!("http://{addr}/api/v1"), "sk_test_x");
    let err = gateway.create_qr(&qr_request(100)).await.unwrap_err();
    assert!(err.is_unknown(), "{err:?}");
    let refund = RefundRequest {
        transaction_id: "p0000000000000000000000001".into(),
        amount: None,
        reason: String::new(),
        request_id: Uuid::new_v4(),
    };
    assert!(gateway.refund(&refund).await.unwrap_err().is_unknown());
}

#[tokio::test]
async fn a_session_komoju_does_not_know_is_fatal() {
    let h = harness().await;
    let err = h
        .gateway
        .qr_status("abcdefghijklmnopqrstuvwxy")
        .await
        .unwrap_err();
    assert!(matches!(err, GatewayError::Fatal(_)), "{err:?}");
}

#[tokio::test]
async fn a_refund_of_a_payment_komoju_does_not_know_is_refused_as_not_found() {
    let h = harness().await;
    let refund = RefundRequest {
        transaction_id: "abcdefghijklmnopqrstuvwxy".into(),
        amount: None,
        reason: "returned".into(),
        request_id: Uuid::new_v4(),
    };
    let GatewayError::Refused(refusal) = h.gateway.refund(&refund).await.unwrap_err() else {
        panic!("an unknown payment is a definite no");
    };
    assert_eq!(refusal.error_type, "not_found");
}

#[tokio::test]
async fn komoju_takes_no_customer_code_and_says_so_without_a_request() {
    let h = harness().await;
    let charge = CodeCharge {
        code: "1234567890123456789012".into(),
        amount: 500,
        direction: Direction::Payment,
        request_id: Uuid::new_v4(),
        description: "regi".into(),
        products: Vec::new(),
    };
    let err = h.gateway.charge_code(&charge).await.unwrap_err();
    assert!(matches!(err, GatewayError::Fatal(_)), "{err:?}");
    let capabilities = h.gateway.capabilities();
    assert!(capabilities.capture && capabilities.partial_refund);
    assert_eq!(capabilities.presentations, [PaymentMethod::HostedPage]);
    assert_eq!(h.gateway.provider(), "komoju");
}
