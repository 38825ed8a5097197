//! The retry rules, against a bare server on loopback that gives one answer to everything and
//! counts requests (the emulator never says "busy" or fails a write with a 5xx): busy answers are
//! repeated then reported, reads are repeated after a 5xx, writes never are.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use regi_elepay::wire::{ChargeReq, JSON_CONTENT_TYPE, KnownPaymentMethod};
use regi_elepay::{ClientConfig, ElepayClient, RefusalKind, SecretKey};
use tokio::net::TcpListener;

/// Serves `status` with `body` to every request; returns the client and the request count.
async fn answering(status: u16, body: &'static str) -> (ElepayClient, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let app = Router::new().fallback(move || {
        seen.fetch_add(1, Ordering::SeqCst);
        async move {
            (
                StatusCode::from_u16(status).unwrap(),
                [("content-type", JSON_CONTENT_TYPE)],
                body,
            )
                .into_response()
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = ClientConfig::new(url, SecretKey::new("sk_test_busy"));
    config.busy_retries = 2;
    config.busy_pause = Duration::from_millis(1);
    config.read_attempts = 3;
    (ElepayClient::new(config).unwrap(), count)
}

fn create() -> ChargeReq {
    ChargeReq::mpm(100, "S-busy", KnownPaymentMethod::Paypay.into(), true)
}

#[tokio::test]
async fn an_operation_still_in_progress_after_the_retries_is_an_unknown_outcome() {
    let (client, count) = answering(400, r#"{"code":"M006001","message":"busy"}"#).await;
    let err = client.revoke_charge("cha_1").await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_409_is_treated_as_in_progress() {
    let (client, count) = answering(409, "").await;
    let err = client.capture_charge("cha_1", None).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn too_many_requests_after_the_retries_is_a_definite_refusal() {
    let (client, count) = answering(400, r#"{"code":"M005000","message":"slow down"}"#).await;
    let err = client.create_charge(&create()).await.unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::RateLimited), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_read_is_repeated_after_a_server_error_then_reported_unknown() {
    let (client, count) = answering(500, "").await;
    let err = client.charge_status("cha_1").await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_write_is_never_repeated_after_a_server_error() {
    let (client, count) = answering(502, "").await;
    let err = client.create_charge(&create()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_unreadable_success_is_an_unknown_outcome() {
    let (client, count) = answering(201, "<html>").await;
    let err = client.create_charge(&create()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_error_without_a_code_is_still_a_refusal_with_its_status() {
    let (client, _) = answering(404, "not json").await;
    let err = client.retrieve_charge("cha_1").await.unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::NotFound), "{err}");
    assert_eq!(err.refusal().unwrap().status, 404);
}
