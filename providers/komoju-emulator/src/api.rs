//! The `/api/v1` side: Basic auth with the secret key and an empty password, the endpoint table
//! the client is built from (plus `POST /sessions/{id}/pay`) for routing, `X-KOMOJU-IDEMPOTENCY`
//! on POSTs, and the fault layer.
//!
//! Order of checks for one request: auth (401), route (404), body (400), fault draw, idempotency
//! (replay, 422 for another request, 409 while in flight), latency, 503 fault, the operation,
//! then a dropped connection or a held answer when the draw said so.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use regi_komoju::client::IDEMPOTENCY_HEADER;
use regi_komoju::idempotency::is_valid_key;

use crate::errors::{ApiError, json_response};
use crate::faults::{CallFaults, KomojuWire};
use crate::idempotency::Begin;
use crate::ops::{self, Route};
use crate::params::parse_body;
use crate::state::EmulatorState;

/// Where KOMOJU's API lives on the host.
pub const API_PREFIX: &str = "/api/v1";

/// Largest request body accepted.
const MAX_BODY_BYTES: usize = 1 << 20;

pub async fn handle(State(state): State<EmulatorState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(path) = parts.uri.path().strip_prefix(API_PREFIX) else {
        return ApiError::not_found("Page").into_response();
    };
    if !authorised(&parts.headers, &state) {
        return ApiError::unauthorized().into_response();
    }
    let Some((route, id)) = Route::resolve(parts.method.as_str(), path) else {
        return ApiError::not_found("Resource").into_response();
    };
    let id = id.to_string();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return ApiError::bad_request("The body is too large.").into_response();
    };
    let params = match parse_body(content_type, &bytes) {
        Ok(params) => params,
        Err(error) => return error.into_response(),
    };
    let key = match idempotency_key(&parts.method, &parts.headers) {
        Ok(key) => key,
        Err(error) => return error.into_response(),
    };
    let faults = CallFaults::for_request(state.decide_fault(), &parts.extensions);
    let wire = KomojuWire { hold: state.hold() };
    let fingerprint = format!(
        "{} {} {}",
        parts.method,
        path.trim_end_matches('/'),
        serde_json::Value::Object(params.clone())
    );

    // Frees the key if this request ends before it runs (an unavailable fault, or the client
    // going away during the latency), so a retry is not told "in progress" forever.
    let mut claim = None;
    if let Some(key) = &key {
        match state.begin_idempotent(key, &fingerprint) {
            Begin::Run => claim = Some(KeyClaim::new(&state, key)),
            Begin::Replay { status, body } => {
                return faults.deliver(&wire, json_response(status, body)).await;
            }
            Begin::Mismatch => {
                return ApiError::invalid(
                    IDEMPOTENCY_HEADER,
                    "This idempotency key was already used for a different request.",
                )
                .into_response();
            }
            Begin::InProgress => return ApiError::in_progress().into_response(),
        }
    }
    if let Some(refusal) = faults.before_call(&wire).await {
        return refusal;
    }
    let query = parts.uri.query();
    let (status, body) = state.execute(key.as_deref().map(|k| (k, fingerprint)), |ctx| {
        ops::run(ctx, route, &id, &params, query)
    });
    if let Some(claim) = claim.as_mut() {
        claim.settled();
    }
    faults.deliver(&wire, json_response(status, body)).await
}

/// A key this request has put in flight and not yet settled with an answer.
struct KeyClaim {
    state: EmulatorState,
    key: String,
    settled: bool,
}

impl KeyClaim {
    fn new(state: &EmulatorState, key: &str) -> Self {
        Self {
            state: state.clone(),
            key: key.to_string(),
            settled: false,
        }
    }

    /// The request ran: its answer is kept (or the key freed after a 5xx) by `execute`.
    fn settled(&mut self) {
        self.settled = true;
    }
}

impl Drop for KeyClaim {
    fn drop(&mut self) {
        if !self.settled {
            self.state.abandon_idempotent(&self.key);
        }
    }
}

/// `Authorization: Basic base64(secret_key:)`: the key as user name, an empty password.
fn authorised(headers: &HeaderMap, state: &EmulatorState) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let expected = format!("{}:", state.secret_key().expose());
    constant_time_eq(&decoded, expected.as_bytes())
}

/// Compares without stopping at the first difference, so timing does not reveal the key.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The POST's idempotency key, if it sent one; a malformed key is a bad request.
fn idempotency_key(method: &Method, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    if method != Method::POST {
        return Ok(None);
    }
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if is_valid_key(key) => Ok(Some(key.to_string())),
        _ => Err(ApiError::new(
            400,
            "bad_request",
            "X-KOMOJU-IDEMPOTENCY must be 1 to 100 visible ASCII characters.",
            Some(IDEMPOTENCY_HEADER),
        )),
    }
}
