//! The elepay API routes, registered from the shared endpoint table so the emulator serves
//! exactly the paths and methods the client sends. Each call goes through the same steps: fault
//! latency, the `unavailable` fault, the key check, the operation on the ledger (saved before
//! answering), then the `drop` or `timeout` fault or the answer with the endpoint's status.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use axum::{Extension, Router};
use regi_elepay::endpoints::{Method, Operation};
use regi_elepay::wire::{ChargeCaptureReq, ChargeReq, CodeReq, RefundReq, RefundsResponse};
use regi_emulator_kit::ConnectionKill;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::faults::{CallFaults, ElepayWire};
use crate::json::empty_response;
use crate::state::EmulatorState;
use crate::{auth, listing, sandbox_routes, views};

/// The whole emulator as an axum router (for `oneshot` tests or [`crate::serve`]).
pub fn router(state: EmulatorState) -> Router {
    let mut router = Router::new();
    for operation in Operation::ALL {
        let endpoint = operation.endpoint();
        let filter = match endpoint.method {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Delete => MethodFilter::DELETE,
        };
        router = if endpoint.parameter_count() == 0 {
            router.route(
                endpoint.template,
                on(
                    filter,
                    move |State(state): State<EmulatorState>,
                          kill: Option<Extension<ConnectionKill>>,
                          headers: HeaderMap,
                          RawQuery(query): RawQuery,
                          body: Bytes| async move {
                        let call = ApiCall {
                            operation,
                            params: HashMap::new(),
                            query,
                            body,
                        };
                        handle(state, kill.map(|k| k.0), headers, call).await
                    },
                ),
            )
        } else {
            router.route(
                endpoint.template,
                on(
                    filter,
                    move |State(state): State<EmulatorState>,
                          kill: Option<Extension<ConnectionKill>>,
                          headers: HeaderMap,
                          Path(params): Path<HashMap<String, String>>,
                          RawQuery(query): RawQuery,
                          body: Bytes| async move {
                        let call = ApiCall {
                            operation,
                            params,
                            query,
                            body,
                        };
                        handle(state, kill.map(|k| k.0), headers, call).await
                    },
                ),
            )
        };
    }
    router
        .nest("/_sandbox", sandbox_routes::routes())
        .fallback(|| async { ApiError::no_route() })
        .with_state(state)
}

/// One API request as the router received it.
struct ApiCall {
    operation: Operation,
    params: HashMap<String, String>,
    query: Option<String>,
    body: Bytes,
}

impl ApiCall {
    fn param(&self, name: &str) -> &str {
        self.params
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

async fn handle(
    state: EmulatorState,
    kill: Option<ConnectionKill>,
    headers: HeaderMap,
    call: ApiCall,
) -> Response {
    let faults = CallFaults::new(state.decide_fault(), kill);
    let wire = ElepayWire { hold: state.hold() };
    if let Some(refusal) = faults.before_call(&wire).await {
        return refusal;
    }
    if let Err(refused) = auth::check(&headers, state.secret_key()) {
        return refused.into_response();
    }
    let response = dispatch(&state, &call).unwrap_or_else(IntoResponse::into_response);
    faults.deliver(&wire, response).await
}

fn dispatch(state: &EmulatorState, call: &ApiCall) -> Result<Response, ApiError> {
    let app_id = state.app_id();
    let success = call.operation.endpoint().success;
    let id = call.param("id");
    let ok = |value: &dyn erased::Json| Ok(value.respond(success));
    match call.operation {
        Operation::CreateCharge => {
            let req: ChargeReq = parse_body(&call.body, &["amount", "orderNo", "paymentMethod"])?;
            let expiry = state.charge_expiry_ms();
            let charge = state.write(|l, now| {
                l.create_charge(req, now, expiry)
                    .map(|c| views::charge(c, app_id))
            })?;
            ok(&charge)
        }
        Operation::ListCharges => {
            let query = listing::parse_query(call.query.as_deref())?;
            let answer = state.read(|l, _| listing::list_charges(l, &query, app_id))?;
            ok(&answer)
        }
        Operation::RetrieveCharge => {
            let charge = state.read(|l, _| l.charge(id).map(|c| views::charge(c, app_id)));
            ok(&charge.ok_or_else(|| ApiError::not_found("charge", id))?)
        }
        Operation::RetrieveChargeStatus => {
            let status = state.read(|l, _| l.charge(id).map(|c| views::charge_status(c, app_id)));
            ok(&status.ok_or_else(|| ApiError::not_found("charge", id))?)
        }
        Operation::CaptureCharge => {
            let req: ChargeCaptureReq = parse_body(&call.body, &[])?;
            let charge = state.write(|l, now| {
                l.capture_charge(id, req, now)
                    .map(|c| views::charge(c, app_id))
            })?;
            ok(&charge)
        }
        Operation::RevokeCharge => {
            let charge =
                state.write(|l, _| l.revoke_charge(id).map(|c| views::charge(c, app_id)))?;
            ok(&charge)
        }
        Operation::CreateRefund => {
            let req: RefundReq = parse_body(&call.body, &["amount"])?;
            let refund = state
                .write(|l, now| l.refund_charge(id, req, now).map(|r| views::refund(r, id)))?;
            ok(&refund)
        }
        Operation::ListChargeRefunds => {
            let refunds = state.read(|l, _| {
                l.charge(id).map(|c| {
                    let refunds: Vec<_> = c.refunds.iter().map(|r| views::refund(r, id)).collect();
                    RefundsResponse {
                        total: Some(refunds.len() as i64),
                        refunds: Some(refunds),
                    }
                })
            });
            ok(&refunds.ok_or_else(|| ApiError::not_found("charge", id))?)
        }
        Operation::RetrieveChargeRefund => {
            let refund_id = call.param("refundId");
            let refund = state.read(|l, _| {
                l.charge(id).map(|c| {
                    c.refunds
                        .iter()
                        .find(|r| r.id == refund_id)
                        .map(|r| views::refund(r, id))
                })
            });
            match refund {
                None => Err(ApiError::not_found("charge", id)),
                Some(None) => Err(ApiError::not_found("refund", refund_id)),
                Some(Some(refund)) => ok(&refund),
            }
        }
        Operation::CreateCode => {
            let req: CodeReq = parse_body(&call.body, &["amount", "orderNo"])?;
            let code = state.write(|l, now| {
                let id = l.create_code(req, now)?.id.clone();
                Ok::<_, ApiError>(views::code(&l.codes[&id], l, app_id, now))
            })?;
            ok(&code)
        }
        Operation::RetrieveCode => {
            let code_id = call.param("codeId");
            let code = state.read(|l, now| l.code(code_id).map(|c| views::code(c, l, app_id, now)));
            ok(&code.ok_or_else(|| ApiError::not_found("code", code_id))?)
        }
        Operation::CloseCode => {
            let code_id = call.param("codeId");
            state.write(|l, _| l.close_code(code_id))?;
            Ok(empty_response(success))
        }
    }
}

/// Lets `dispatch` answer any wire object with one helper.
mod erased {
    use axum::response::Response;
    use serde::Serialize;

    use crate::json::json_response;

    pub trait Json {
        fn respond(&self, status: u16) -> Response;
    }

    impl<T: Serialize> Json for T {
        fn respond(&self, status: u16) -> Response {
            json_response(status, self)
        }
    }
}

/// Reads a JSON object body: a missing required field is `M002001`, anything unreadable or of
/// the wrong type `M002002`. An empty body reads as `{}` (the SDK sends none on a bare capture).
fn parse_body<T: DeserializeOwned>(body: &[u8], required: &[&str]) -> Result<T, ApiError> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|_| ApiError::invalid("the body is not JSON"))?
    };
    let Some(object) = value.as_object() else {
        return Err(ApiError::invalid("the body must be a JSON object"));
    };
    if let Some(missing) = required
        .iter()
        .find(|field| object.get(**field).is_none_or(Value::is_null))
    {
        return Err(ApiError::missing(missing));
    }
    serde_json::from_value(value).map_err(|e| ApiError::invalid(e.to_string()))
}
