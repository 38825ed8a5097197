//! `/_sandbox` over HTTP, only for peers on this machine: a customer's payment must not be
//! forged from the shop's network.

use axum::extract::{Path, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::errors::{ApiError, json_response};
use crate::server::PeerAddr;
use crate::state::EmulatorState;

#[derive(Debug, Deserialize)]
struct PayBody {
    session: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    customer: Option<String>,
}

pub(crate) fn routes() -> Router<EmulatorState> {
    Router::new()
        .route("/sessions/pay", post(pay))
        .route("/sessions/{id}/expire", post(expire))
        .route("/transactions", get(transactions))
        .layer(middleware::from_fn(loopback_only))
}

async fn loopback_only(request: Request, next: Next) -> Response {
    match request.extensions().get::<PeerAddr>() {
        Some(PeerAddr(peer)) if !peer.ip().is_loopback() => {
            ApiError::forbidden("The customer side answers only on this machine.").into_response()
        }
        _ => next.run(request).await,
    }
}

fn answer<T: serde::Serialize>(result: Result<T, ApiError>) -> Response {
    match result.and_then(|v| serde_json::to_string(&v).map_err(|_| ApiError::internal())) {
        Ok(body) => json_response(200, body),
        Err(error) => error.into_response(),
    }
}

async fn pay(State(state): State<EmulatorState>, body: Option<Json<PayBody>>) -> Response {
    let Some(Json(body)) = body else {
        return ApiError::bad_request("Send {\"session\": URL or id, \"method\"?, \"customer\"?}.")
            .into_response();
    };
    answer(state.pay_session(
        &body.session,
        body.method.as_deref(),
        body.customer.as_deref(),
    ))
}

async fn expire(State(state): State<EmulatorState>, Path(id): Path<String>) -> Response {
    answer(state.expire_session(&id))
}

async fn transactions(State(state): State<EmulatorState>) -> Response {
    answer(Ok(state.transactions()))
}
