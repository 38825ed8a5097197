//! Answers lost between elepay and the register within one create: the emulator's own router
//! behind a layer that spoils the first answer to a create, either after the emulator made the
//! charge (the answer was lost) or before (a 503 for a request that did nothing). The gateway
//! must end with exactly one charge for the sale either way.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use regi_elepay::CaptureMode;
use regi_elepay_emulator::{EmulatorConfig, EmulatorState, customer, router};
use regi_payment::PaymentGateway;
use tokio::net::TcpListener;

use crate::support::{hosted_page, kind, wallet_qr};

/// Whether the spoiled create reaches the emulator before its answer is replaced.
#[derive(Clone, Copy)]
enum Spoil {
    /// The emulator acts; the register gets a 502 instead of the answer.
    AnswerLost,
    /// The emulator never sees the call; the register gets a 503.
    NothingDone,
}

struct Server {
    url: String,
    state: EmulatorState,
}

/// The emulator on loopback, spoiling the first `POST {path}`.
async fn spoiling_first(path: &'static str, spoil: Spoil) -> Server {
    let state = EmulatorState::new(EmulatorConfig::default()).unwrap();
    let spoiled = Arc::new(AtomicBool::new(false));
    let app = router(state.clone()).layer(middleware::from_fn(move |req: Request, next: Next| {
        let spoiled = spoiled.clone();
        async move {
            let first = req.method() == Method::POST
                && req.uri().path() == path
                && !spoiled.swap(true, Ordering::SeqCst);
            match (first, spoil) {
                (false, _) => next.run(req).await,
                (true, Spoil::NothingDone) => unavailable(),
                (true, Spoil::AnswerLost) => {
                    let _answer = next.run(req).await;
                    (StatusCode::BAD_GATEWAY, Body::empty()).into_response()
                }
            }
        }
    }));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { url, state }
}

fn unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, Body::empty()).into_response()
}

fn gateway(server: &Server) -> regi_elepay::ElepayGateway {
    let config =
        regi_elepay::ClientConfig::new(server.url.clone(), server.state.secret_key().clone());
    let client = regi_elepay::ElepayClient::new(config).unwrap();
    let options = regi_elepay::GatewayOptions {
        capture: CaptureMode::Auto,
        ..Default::default()
    };
    regi_elepay::ElepayGateway::new(client, options)
}

#[tokio::test]
async fn a_charge_made_without_an_answer_is_found_by_its_order_number_in_the_same_create() {
    let server = spoiling_first("/charges", Spoil::AnswerLost).await;
    let gateway = gateway(&server);
    let request = wallet_qr(1300, "paypay");
    let session = gateway.create_qr(&request).await.unwrap();
    let ledger = customer::transactions(&server.url).await.unwrap();
    assert_eq!(ledger.len(), 1, "one charge for the sale");
    assert_eq!(session.id, format!("charge:{}", ledger[0].id));
    customer::pay(&server.url, &session.token, "alice")
        .await
        .unwrap();
    assert_eq!(kind(&gateway.qr_status(&session.id).await.unwrap()), "paid");
}

#[tokio::test]
async fn a_charge_create_that_did_nothing_is_sent_once_more_after_the_lookup_finds_nothing() {
    let server = spoiling_first("/charges", Spoil::NothingDone).await;
    let gateway = gateway(&server);
    let session = gateway.create_qr(&wallet_qr(1300, "paypay")).await.unwrap();
    let ledger = customer::transactions(&server.url).await.unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(session.id, format!("charge:{}", ledger[0].id));
}

#[tokio::test]
async fn a_page_whose_answer_was_lost_is_replaced_by_one_new_code_for_the_same_order() {
    let server = spoiling_first("/codes", Spoil::AnswerLost).await;
    let gateway = gateway(&server);
    let request = hosted_page(700);
    let session = gateway.create_qr(&request).await.unwrap();
    let codes = server.state.ledger().codes;
    assert_eq!(codes.len(), 2, "the lost code and its replacement");
    assert!(codes.values().all(|c| c.order_no == request.reference));
    customer::pay(&server.url, &session.token, "alice")
        .await
        .unwrap();
    assert_eq!(kind(&gateway.qr_status(&session.id).await.unwrap()), "paid");
    let ledger = customer::transactions(&server.url).await.unwrap();
    assert_eq!(ledger.len(), 1, "only the code shown was paid");
}
