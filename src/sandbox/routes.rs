//! HTTP routing. Partner API calls may name their method in the body (`request_method`), so they
//! cannot be routed on the verb by axum: one handler opens the envelope and then resolves the
//! operation from the effective method and the path. The customer side lives under `/_sandbox`.

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::response::Response;

use super::customer;
use super::envelope::{Rejection, open_call, parse_outer, plain_error, plain_json, sealed_json};
use super::errors::{ApiError, Lang};
use super::faults::FaultOutcome;
use super::ops::{self, Operation};
use super::server::ConnectionKill;
use super::state::SandboxState;
use crate::pokepay::wire::Pong;

/// Largest request body accepted (SDK bodies are a few kilobytes).
const MAX_BODY_BYTES: usize = 1 << 20;

/// The whole sandbox as an axum router (for `tower::ServiceExt::oneshot` tests or `serve`).
pub fn router(state: SandboxState) -> Router {
    Router::new()
        .nest("/_sandbox", customer::routes())
        .fallback(partner_api)
        .with_state(state)
}

/// Which operation a method and path name.
pub fn resolve(method: &Method, path: &str) -> Option<Operation> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let id = |s: &str| s.to_string();
    let op = match (method.as_str(), segments.as_slice()) {
        ("GET", ["ping"]) => Operation::Ping,
        ("POST", ["echo"]) => Operation::Echo,
        ("POST", ["cashtrays"]) => Operation::CreateCashtray,
        ("GET", ["cashtrays", c]) => Operation::GetCashtray(id(c)),
        ("DELETE", ["cashtrays", c]) => Operation::CancelCashtray(id(c)),
        ("PATCH", ["cashtrays", c]) => Operation::UpdateCashtray(id(c)),
        ("GET", ["cpm", t]) => Operation::GetCpmToken(id(t)),
        ("POST", ["transactions", "cpm"]) => Operation::CreateCpmTransaction,
        ("POST", ["transactions", "cashtray"]) => Operation::CreateTransactionWithCashtray,
        ("POST", ["transactions", "payment"]) => Operation::CreatePaymentTransaction,
        ("POST", ["transactions", "topup"]) => Operation::CreateTopupTransaction,
        ("GET", ["transactions", "requests", r]) => Operation::GetTransactionByRequestId(id(r)),
        ("GET", ["transactions", t]) => Operation::GetTransaction(id(t)),
        ("POST", ["transactions", t, "refund"]) => Operation::RefundTransaction(id(t)),
        ("GET", ["private-moneys"]) => Operation::GetPrivateMoneys,
        ("GET", ["shops", s]) => Operation::GetShop(id(s)),
        ("GET", ["accounts", "shops"]) => Operation::GetShopAccounts,
        ("GET", ["transactions-v2"]) => Operation::ListTransactionsV2,
        _ => return None,
    };
    Some(op)
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
        if parts.method == Method::GET && resolve(&Method::GET, &path) == Some(Operation::Ping) {
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
    let Some(op) = resolve(&call.method, &path) else {
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

    let response = match ops::run(&state, &op, &call.params, lang) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_every_documented_route() {
        let id = "6b2d7b3e-1f0a-4c55-9c1e-2f4b8a1d9e00";
        let cases = [
            (Method::GET, "/ping".to_string(), Operation::Ping),
            (Method::POST, "/echo".into(), Operation::Echo),
            (Method::POST, "/cashtrays".into(), Operation::CreateCashtray),
            (
                Method::GET,
                format!("/cashtrays/{id}"),
                Operation::GetCashtray(id.into()),
            ),
            (
                Method::DELETE,
                format!("/cashtrays/{id}/"),
                Operation::CancelCashtray(id.into()),
            ),
            (
                Method::PATCH,
                format!("/cashtrays/{id}"),
                Operation::UpdateCashtray(id.into()),
            ),
            (
                Method::GET,
                "/cpm/abc".into(),
                Operation::GetCpmToken("abc".into()),
            ),
            (
                Method::POST,
                "/transactions/cpm".into(),
                Operation::CreateCpmTransaction,
            ),
            (
                Method::POST,
                "/transactions/cashtray".into(),
                Operation::CreateTransactionWithCashtray,
            ),
            (
                Method::POST,
                "/transactions/payment".into(),
                Operation::CreatePaymentTransaction,
            ),
            (
                Method::POST,
                "/transactions/topup".into(),
                Operation::CreateTopupTransaction,
            ),
            (
                Method::GET,
                format!("/transactions/requests/{id}"),
                Operation::GetTransactionByRequestId(id.into()),
            ),
            (
                Method::GET,
                format!("/transactions/{id}"),
                Operation::GetTransaction(id.into()),
            ),
            (
                Method::POST,
                format!("/transactions/{id}/refund"),
                Operation::RefundTransaction(id.into()),
            ),
            (
                Method::GET,
                "/private-moneys".into(),
                Operation::GetPrivateMoneys,
            ),
            (
                Method::GET,
                format!("/shops/{id}"),
                Operation::GetShop(id.into()),
            ),
            (
                Method::GET,
                "/accounts/shops".into(),
                Operation::GetShopAccounts,
            ),
            (
                Method::GET,
                "/transactions-v2".into(),
                Operation::ListTransactionsV2,
            ),
        ];
        for (method, path, op) in cases {
            assert_eq!(resolve(&method, &path), Some(op), "{method} {path}");
        }
        assert_eq!(resolve(&Method::POST, "/ping"), None);
        assert_eq!(resolve(&Method::GET, "/cashtrays"), None);
        assert_eq!(resolve(&Method::GET, "/nope"), None);
    }
}
