//! HTTP routing. Partner API calls may name their method in the body (`request_method`), so they
//! cannot be routed on the verb by axum: one handler opens the envelope and then resolves the
//! operation from the effective method and the path against the endpoint table the client is
//! built from (`pokepay::endpoints`). The customer side lives under `/_sandbox`.

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::Response;

use super::customer;
use super::envelope::{Rejection, open_call, parse_outer, plain_error, plain_json, sealed_json};
use super::errors::{ApiError, Lang};
use super::faults::FaultOutcome;
use super::ops;
use super::server::ConnectionKill;
use super::state::SandboxState;
use regi_pokepay::endpoints::Operation;
use regi_pokepay::wire::Pong;

/// Largest request body accepted (SDK bodies are a few kilobytes).
const MAX_BODY_BYTES: usize = 1 << 20;

/// The whole sandbox as an axum router (for `tower::ServiceExt::oneshot` tests or `serve`).
pub fn router(state: SandboxState) -> Router {
    Router::new()
        .nest("/_sandbox", customer::routes())
        .fallback(partner_api)
        .with_state(state)
}

async fn partner_api(State(state): State<SandboxState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let header_text = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let lang = Lang::from_accept_language(header_text(header::ACCEPT_LANGUAGE));
    let content_type = header_text(header::CONTENT_TYPE).map(str::to_string);
    let path = parts.uri.path().to_string();
    let kill = parts.extensions.get::<ConnectionKill>().cloned();

    let Ok(body) = to_bytes(body, MAX_BODY_BYTES).await else {
        return plain_error(&ApiError::invalid_parameter("data"), lang);
    };
    let Some(outer) = parse_outer(content_type.as_deref(), &body) else {
        // Only `GET /ping` may come without an envelope; it answers in plain JSON.
        if let Some((Operation::Ping, _)) = Operation::resolve(parts.method.as_str(), &path) {
            return plain_json(200, &Pong { pong: "ok".into() });
        }
        return plain_error(&ApiError::invalid_parameter("partner_client_id"), lang);
    };
    let key = state.key().clone();
    let call = match open_call(&parts.method, &outer, state.client_id(), &key) {
        Ok(call) => call,
        Err(Rejection::Plain(error)) => return plain_error(&error, lang),
        Err(Rejection::Sealed {
            error,
            timestamp,
            partner_call_id,
        }) => {
            return sealed_json(
                &key,
                error.status,
                &error.body(lang),
                timestamp,
                partner_call_id,
            );
        }
    };
    let (timestamp, call_id) = (
        Some(call.timestamp.clone()),
        Some(call.partner_call_id.clone()),
    );
    let sealed_error = |error: ApiError| {
        sealed_json(
            &key,
            error.status,
            &error.body(lang),
            timestamp.clone(),
            call_id.clone(),
        )
    };
    let Some((op, path_param)) = Operation::resolve(call.method.as_str(), &path) else {
        return sealed_error(ApiError::not_found());
    };

    let fault = (op != Operation::Ping).then(|| state.decide_fault());
    if let Some(latency) = fault.map(|f| f.latency).filter(|l| !l.is_zero()) {
        tokio::time::sleep(latency).await;
    }
    let outcome = fault.map_or(FaultOutcome::Answer, |f| f.outcome);
    if outcome == FaultOutcome::Unavailable {
        return sealed_error(ApiError::unavailable());
    }

    let response = match ops::run(&state, op, path_param.unwrap_or(""), &call.params, lang) {
        Ok(value) => sealed_json(&key, 200, &value, timestamp.clone(), call_id.clone()),
        Err(error) => sealed_error(error),
    };
    match outcome {
        FaultOutcome::Drop => match kill {
            Some(kill) => {
                tracing::info!(
                    ?op,
                    "fault: dropping the connection after applying the call"
                );
                kill.kill();
                std::future::pending::<Response>().await
            }
            // Without a connection of our own (oneshot tests) there is nothing to cut.
            None => plain_json(
                502,
                &serde_json::json!({"sandbox_fault": "drop", "applied": true}),
            ),
        },
        FaultOutcome::Hold => {
            tracing::info!(?op, "fault: holding the answer");
            tokio::time::sleep(state.hold()).await;
            response
        }
        FaultOutcome::Answer | FaultOutcome::Unavailable => response,
    }
}
