//! `/_sandbox` over HTTP, only for peers on this machine: a customer's payment must not be
//! forged from the shop's network.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use regi_emulator_kit::loopback::only_this_machine;
use serde::Deserialize;

use crate::errors::{ApiError, json_response};
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
    let routes = Router::new()
        .route("/sessions/pay", post(pay))
        .route("/sessions/{id}/expire", post(expire))
        .route("/transactions", get(transactions));
    only_this_machine(routes, || {
        ApiError::forbidden("The customer side answers only on this machine.").into_response()
    })
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

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::Extension;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use regi_emulator_kit::PeerAddr;

    use crate::{EmulatorConfig, EmulatorState, router};

    async fn status_from(peer: &str) -> u16 {
        let state = EmulatorState::new(EmulatorConfig::default()).unwrap();
        let peer: SocketAddr = peer.parse().unwrap();
        let app = router(state).layer(Extension(PeerAddr(peer)));
        let request = Request::get("/_sandbox/transactions")
            .body(Body::empty())
            .unwrap();
        app.oneshot(request).await.unwrap().status().as_u16()
    }

    #[tokio::test]
    async fn the_customer_side_answers_this_machine_and_refuses_other_peers() {
        assert_eq!(status_from("127.0.0.1:50000").await, 200);
        assert_eq!(status_from("[::1]:50000").await, 200);
        assert_eq!(status_from("192.168.1.20:50000").await, 403);
    }
}
