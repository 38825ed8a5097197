//! The customer's side, which the Partner API does not cover: scanning a cashtray, showing a CPM
//! code, looking at wallets, and the full transaction list for comparing ledgers. Available as
//! methods on `SandboxState` and as plain JSON under `/_sandbox` (the server is loopback only).
//!
//! - `GET  /_sandbox/customers`        → `[CustomerBalance]`
//! - `GET  /_sandbox/transactions`     → `[TransactionDetail]`, oldest first
//! - `POST /_sandbox/cashtrays/pay`    `{"cashtray": URL or id, "customer"?, "strategy"?}` → `TransactionDetail`
//! - `POST /_sandbox/cpm-tokens`       `{"customer"?, "scopes"?: ["payment"|"topup"], "expires_in"?}` → `CpmToken`
//! - tabs: `/_sandbox/credit-sessions`, `/_sandbox/cards` (see `credit_sessions::sandbox_routes`)
//!
//! Failures answer `{"type", "message"}` with the API's status (422 for a refused scan).

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::cashtrays::cashtray_id_from;
use super::cpm::DEFAULT_CPM_EXPIRES_IN;
use super::envelope::{plain_error, plain_json};
use super::errors::{ApiError, Lang};
use super::ledger::{CUSTOMER_RICH, CpmScope, Strategy};
use super::state::SandboxState;
use regi_pokepay::wire::{CpmToken, TransactionDetail};

/// A customer and their wallet, as the training screens and tests see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerBalance {
    pub name: String,
    pub user_id: Uuid,
    /// `None` for a customer without a wallet for the money.
    pub account_id: Option<Uuid>,
    pub money_balance: i64,
    pub point_balance: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    #[error("no customer named `{0}`")]
    UnknownCustomer(String),
    #[error("`{0}` is neither a cashtray URL nor a cashtray id")]
    NotACashtray(String),
    #[error("refused: {} ({})", .0.kind, .0.message(Lang::En))]
    Refused(ApiError),
}

impl CustomerError {
    /// The error as the `/_sandbox` routes answer it.
    pub fn as_api_error(&self) -> ApiError {
        match self {
            CustomerError::UnknownCustomer(_) => ApiError::new(404, "customer_not_found"),
            CustomerError::NotACashtray(_) => ApiError::invalid_parameter("cashtray"),
            CustomerError::Refused(e) => e.clone(),
        }
    }
}

impl From<ApiError> for CustomerError {
    fn from(e: ApiError) -> Self {
        CustomerError::Refused(e)
    }
}

impl SandboxState {
    fn customer_id(&self, name: &str) -> Result<Uuid, CustomerError> {
        self.read(|l| l.customer_by_name(name).map(|c| c.id))
            .ok_or_else(|| CustomerError::UnknownCustomer(name.to_string()))
    }

    fn mutate_or_unavailable<R>(
        &self,
        f: impl FnOnce(&mut super::ledger::Ledger, regi_pokepay::wire::Timestamp) -> R,
    ) -> Result<R, CustomerError> {
        self.mutate(f)
            .map_err(|_| CustomerError::Refused(ApiError::unavailable()))
    }

    /// The customer scans a cashtray (its URL or id), paying or receiving its amount.
    /// The scan is recorded on the tray whatever the outcome.
    pub fn pay_cashtray(
        &self,
        cashtray: &str,
        customer: &str,
    ) -> Result<TransactionDetail, CustomerError> {
        self.pay_cashtray_with(cashtray, customer, Strategy::PointPreferred)
    }

    pub fn pay_cashtray_with(
        &self,
        cashtray: &str,
        customer: &str,
        strategy: Strategy,
    ) -> Result<TransactionDetail, CustomerError> {
        let tray = cashtray_id_from(cashtray)
            .ok_or_else(|| CustomerError::NotACashtray(cashtray.to_string()))?;
        let customer = self.customer_id(customer)?;
        let id =
            self.mutate_or_unavailable(|l, now| l.scan_cashtray(tray, customer, strategy, now))??;
        self.transaction_detail(id)
            .ok_or(CustomerError::Refused(ApiError::unprocessable(
                "transaction_not_found",
            )))
    }

    /// The customer's app shows a fresh CPM code with these scopes (default lifetime 300 s).
    pub fn issue_cpm_token(
        &self,
        customer: &str,
        scopes: &[CpmScope],
    ) -> Result<CpmToken, CustomerError> {
        self.issue_cpm_token_for(customer, scopes, DEFAULT_CPM_EXPIRES_IN)
    }

    pub fn issue_cpm_token_for(
        &self,
        customer: &str,
        scopes: &[CpmScope],
        expires_in: i64,
    ) -> Result<CpmToken, CustomerError> {
        let customer = self.customer_id(customer)?;
        let token = self.mutate_or_unavailable(|l, now| {
            l.issue_cpm_token(
                customer,
                scopes.to_vec(),
                expires_in,
                || self.fresh_cpm_token(),
                now,
            )
        })??;
        self.read(|l| l.cpm_token(&token).and_then(|t| l.cpm_token_view(t)))
            .ok_or(CustomerError::Refused(ApiError::unprocessable(
                "cpm_token_not_found",
            )))
    }

    /// Every customer with their balances.
    pub fn customers(&self) -> Vec<CustomerBalance> {
        self.read(|l| {
            l.customers()
                .map(|c| {
                    let account = l.account_of(c.id);
                    CustomerBalance {
                        name: c.name.clone(),
                        user_id: c.id,
                        account_id: account.map(|a| a.id),
                        money_balance: account.map_or(0, |a| a.money_balance),
                        point_balance: account.map_or(0, |a| a.point_balance),
                    }
                })
                .collect()
        })
    }

    /// Every transaction, oldest first.
    pub fn transactions(&self) -> Vec<TransactionDetail> {
        self.read(|l| {
            l.transactions
                .iter()
                .map(|tx| l.transaction_detail_view(tx))
                .collect()
        })
    }

    pub fn transaction_detail(&self, id: Uuid) -> Option<TransactionDetail> {
        self.read(|l| l.transaction(id).map(|tx| l.transaction_detail_view(tx)))
    }
}

#[derive(Debug, Deserialize)]
struct PayRequest {
    cashtray: String,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    strategy: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CpmTokenRequest {
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    expires_in: Option<i64>,
}

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/customers", get(list_customers))
        .route("/transactions", get(list_transactions))
        .route("/cashtrays/pay", post(pay))
        .route("/cpm-tokens", post(issue_token))
        .merge(super::credit_sessions::sandbox_routes())
}

fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// Reads a JSON body without letting a malformed one produce anything but a 400.
fn json_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|_| ApiError::invalid_parameter("body"))
}

async fn list_customers(State(state): State<SandboxState>) -> Response {
    plain_json(200, &state.customers())
}

async fn list_transactions(State(state): State<SandboxState>) -> Response {
    plain_json(200, &state.transactions())
}

async fn pay(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&headers);
    let request: PayRequest = match json_body(&body) {
        Ok(r) => r,
        Err(e) => return plain_error(&e, lang),
    };
    let customer = request.customer.as_deref().unwrap_or(CUSTOMER_RICH);
    let strategy = Strategy::parse(request.strategy.as_deref());
    match state.pay_cashtray_with(&request.cashtray, customer, strategy) {
        Ok(tx) => plain_json(200, &tx),
        Err(e) => plain_error(&e.as_api_error(), lang),
    }
}

async fn issue_token(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&headers);
    let request: CpmTokenRequest = match json_body(&body) {
        Ok(r) => r,
        Err(e) => return plain_error(&e, lang),
    };
    let names = request.scopes.unwrap_or_else(|| vec!["payment".into()]);
    let Some(scopes) = names
        .iter()
        .map(|s| CpmScope::parse(s))
        .collect::<Option<Vec<_>>>()
    else {
        return plain_error(&ApiError::invalid_parameter("scopes"), lang);
    };
    let customer = request.customer.as_deref().unwrap_or(CUSTOMER_RICH);
    let expires_in = request.expires_in.unwrap_or(DEFAULT_CPM_EXPIRES_IN).max(1);
    match state.issue_cpm_token_for(customer, &scopes, expires_in) {
        Ok(token) => plain_json(200, &token),
        Err(e) => plain_error(&e.as_api_error(), lang),
    }
}
