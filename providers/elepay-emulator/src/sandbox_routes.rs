//! The emulator's own routes under `/_sandbox`, which real elepay does not have: the customer
//! paying (`POST /_sandbox/pay`) and the ledger for tests (`GET /_sandbox/transactions`). They
//! need no key, take no faults, and are only ever served on loopback (see [`crate::serve`]).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::json::json_response;
use crate::ledger::PayError;
use crate::state::EmulatorState;
use crate::transactions::transactions;

/// `POST /_sandbox/pay`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PayRequest {
    /// A charge's `codeContent`, a code's `codeUrl`, or either's id.
    pub code: String,
    pub customer: String,
}

pub fn routes() -> Router<EmulatorState> {
    Router::new()
        .route("/pay", post(pay))
        .route("/transactions", get(list_transactions))
}

async fn pay(State(state): State<EmulatorState>, Json(req): Json<PayRequest>) -> Response {
    let paid = state.write(|l, now| l.pay(&req.code, &req.customer, now).map_err(Refused::Pay));
    match paid {
        Ok(payment) => json_response(200, &payment),
        Err(Refused::Pay(e)) => json_response(
            400,
            &regi_elepay::wire::ErrorBody {
                code: e.code().into(),
                message: e.to_string(),
            },
        ),
        Err(Refused::Api(e)) => e.into_response(),
    }
}

async fn list_transactions(State(state): State<EmulatorState>) -> Response {
    json_response(200, &state.read(|l, _| transactions(l)))
}

/// A refused payment, or a change that could not be saved.
enum Refused {
    Pay(PayError),
    Api(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Api(e)
    }
}
