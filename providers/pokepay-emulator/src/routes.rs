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
use super::faults::{CallFaults, FaultDecision, PartnerWire};
use super::ops;
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

/// The customer side alone (`/_sandbox`): what `regi sandbox --tls` serves over plain http
/// beside its https Partner API, since a customer's app holds no partner client certificate.
pub fn customer_side_router(state: SandboxState) -> Router {
    Router::new()
        .nest("/_sandbox", customer::routes())
        .with_state(state)
}

async fn partner_api(State(state): State<SandboxState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let header_text = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let lang = Lang::from_accept_language(header_text(header::ACCEPT_LANGUAGE));
    let content_type = header_text(header::CONTENT_TYPE).map(str::to_string);
    let path = parts.uri.path().to_string();

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
    if let Err(error) = state.check_call(&call.timestamp, &call.partner_call_id) {
        return sealed_error(error);
    }
    let Some((op, path_param)) = Operation::resolve(call.method.as_str(), &path) else {
        return sealed_error(ApiError::not_found());
    };

    // `ping` takes no fault and draws none, so it does not shift the seeded sequence.
    let decision = if op == Operation::Ping {
        FaultDecision::NONE
    } else {
        state.decide_fault()
    };
    let faults = CallFaults::for_request(decision, &parts.extensions).named(op);
    let wire = PartnerWire {
        unavailable: || sealed_error(ApiError::unavailable()),
        hold: state.hold(),
    };
    if let Some(refusal) = faults.before_call(&wire).await {
        return refusal;
    }

    let response = match ops::run(&state, op, path_param.unwrap_or(""), &call.params, lang) {
        Ok(value) => sealed_json(&key, 200, &value, timestamp.clone(), call_id.clone()),
        Err(error) => sealed_error(error),
    };
    faults.deliver(&wire, response).await
}
