//! Configuration problems and requests that are never sent.

use regi_komoju::wire::CaptureMode;
use regi_komoju::{
    Client, ClientSettings, ConfigurationError, ErrorClass, IdempotencyKey, KomojuError, SecretKey,
};

use crate::support::{harness, session_request};

#[tokio::test]
async fn a_wrong_key_is_a_configuration_error_naming_401_and_not_the_key() {
    let h = harness().await;
    let settings = ClientSettings::new(&h.emulator.api_base_url, SecretKey::new("sk_test_wrong"));
    let client = Client::new(&settings).unwrap();
    let err = client.check_key().await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Configuration);
    assert_eq!(
        (err.status(), err.code()),
        (Some(401), Some("unauthorized"))
    );
    assert!(!err.to_string().contains("sk_test_wrong"));
    let err = client
        .create_session(
            &session_request(100, CaptureMode::Auto),
            &IdempotencyKey::random(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Configuration);
    assert_eq!(h.session_count(), 0);
}

#[test]
fn plain_http_to_another_machine_or_an_empty_key_is_refused_before_any_call() {
    let key = SecretKey::new("sk_test_x");
    let insecure = Client::new(&ClientSettings::new(
        "http://komoju.example/api/v1",
        key.clone(),
    ));
    assert!(matches!(
        insecure,
        Err(ConfigurationError::InsecureUrl { .. })
    ));
    let not_url = Client::new(&ClientSettings::new("komoju", key));
    assert!(matches!(not_url, Err(ConfigurationError::BadUrl { .. })));
    let empty = Client::new(&ClientSettings::new(
        "https://komoju.com/api/v1",
        SecretKey::new(" "),
    ));
    assert!(matches!(empty, Err(ConfigurationError::MissingSecretKey)));
}

#[tokio::test]
async fn an_id_that_could_change_the_path_is_not_sent() {
    let h = harness().await;
    for bad in ["", "../payments", "a/b"] {
        let err = h.client.show_session(bad).await.unwrap_err();
        assert!(matches!(err, KomojuError::NotSent { .. }), "{bad}: {err:?}");
    }
}

#[tokio::test]
async fn a_currency_komoju_refuses_comes_back_with_its_code_and_param() {
    let h = harness().await;
    let mut request = session_request(100, CaptureMode::Auto);
    request.currency = "XYZ".into();
    let err = h
        .client
        .create_session(&request, &IdempotencyKey::random())
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Refused);
    assert_eq!((err.status(), err.param()), (Some(422), Some("currency")));
}

#[tokio::test]
async fn the_secret_key_never_shows_in_the_clients_debug() {
    let h = harness().await;
    let printed = format!("{:?}", h.client);
    assert!(!printed.contains(h.emulator.secret_key.expose()));
}

#[tokio::test]
async fn every_operation_with_a_wrong_key_is_a_configuration_error() {
    use regi_komoju::wire::{CapturePaymentRequest, ListPaymentsQuery, RefundPaymentRequest};
    let h = harness().await;
    let id = h.paid(1000, CaptureMode::Auto).await;
    let session = h.emulator.state.read(|l| l.sessions[0].id.clone());
    let settings = ClientSettings::new(&h.emulator.api_base_url, SecretKey::new("sk_test_wrong"));
    let client = Client::new(&settings).unwrap();
    let key = IdempotencyKey::random;
    let request = session_request(100, CaptureMode::Auto);
    let results = [
        client.create_session(&request, &key()).await.map(|_| ()),
        client.show_session(&session).await.map(|_| ()),
        client.cancel_session(&session, &key()).await.map(|_| ()),
        client.show_payment(&id).await.map(|_| ()),
        client
            .capture_payment(&id, &CapturePaymentRequest::default(), &key())
            .await
            .map(|_| ()),
        client.cancel_payment(&id, &key()).await.map(|_| ()),
        client
            .refund_payment(&id, &RefundPaymentRequest::default(), &key())
            .await
            .map(|_| ()),
        client
            .list_payments(&ListPaymentsQuery::default())
            .await
            .map(|_| ()),
    ];
    for (i, result) in results.into_iter().enumerate() {
        let err = result.unwrap_err();
        assert_eq!(
            err.class(),
            ErrorClass::Configuration,
            "operation {i}: {err}"
        );
        assert_eq!(err.status(), Some(401));
    }
}

#[tokio::test]
async fn every_operation_on_an_unknown_id_is_a_definite_not_found() {
    use regi_komoju::wire::{CapturePaymentRequest, RefundPaymentRequest};
    let h = harness().await;
    let missing = "zzzzzzzzzzzzzzzzzzzzzzzzz";
    let key = IdempotencyKey::random;
    let results = [
        h.client.show_session(missing).await.map(|_| ()),
        h.client.cancel_session(missing, &key()).await.map(|_| ()),
        h.client.show_payment(missing).await.map(|_| ()),
        h.client
            .capture_payment(missing, &CapturePaymentRequest::default(), &key())
            .await
            .map(|_| ()),
        h.client.cancel_payment(missing, &key()).await.map(|_| ()),
        h.client
            .refund_payment(missing, &RefundPaymentRequest::default(), &key())
            .await
            .map(|_| ()),
    ];
    for (i, result) in results.into_iter().enumerate() {
        let err = result.unwrap_err();
        assert_eq!(err.class(), ErrorClass::Refused, "operation {i}: {err}");
        assert_eq!((err.status(), err.code()), (Some(404), Some("not_found")));
    }
}

#[test]
fn an_api_version_that_cannot_be_a_header_is_a_configuration_error() {
    let mut settings =
        ClientSettings::new("https://komoju.com/api/v1", SecretKey::new("sk_test_x"));
    settings.api_version = "2025-01-28\n".into();
    assert!(matches!(
        Client::new(&settings),
        Err(ConfigurationError::BadApiVersion { .. })
    ));
}
