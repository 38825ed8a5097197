//! The customer's side, as a library the `regi customer pay` command and tests call: pay a
//! charge's `codeContent` or a code's `codeUrl` at an emulator on this machine, and read its
//! ledger. Only loopback addresses are accepted: a customer's payment never goes to another host.

use std::time::Duration;

use serde::de::DeserializeOwned;
use url::Url;

use crate::ledger::Payment;
use crate::sandbox_routes::PayRequest;
use crate::transactions::{Transaction, Transactions};

#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    #[error(
        "{0} is not an elepay emulator on this machine: give its loopback URL (e.g. http://127.0.0.1:4020)"
    )]
    NotLoopback(String),
    #[error("cannot reach the emulator at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// The emulator refused the payment: `code` says why (`insufficient_balance`, `expired`,
    /// `not_payable`, `unknown_customer`, `not_found`, `not_a_payment_code`).
    #[error("{message} ({code})")]
    Refused { code: String, message: String },
    #[error("the emulator answered something unreadable (HTTP {0})")]
    Unreadable(u16),
}

impl CustomerError {
    /// The refusal's code, when the emulator refused.
    pub fn code(&self) -> Option<&str> {
        match self {
            CustomerError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// `customer_name` pays `code_content_or_url` at the emulator at `sandbox_url`. The charge ends
/// captured, or uncaptured when it was created with `capture: false`; a customer without the
/// money is refused and the charge stays pending.
pub async fn pay(
    sandbox_url: &str,
    code_content_or_url: &str,
    customer_name: &str,
) -> Result<Payment, CustomerError> {
    let (base, http) = connect(sandbox_url)?;
    let body = PayRequest {
        code: code_content_or_url.to_string(),
        customer: customer_name.to_string(),
    };
    let response = http
        .post(format!("{base}/_sandbox/pay"))
        .json(&body)
        .send()
        .await;
    read(sandbox_url, response).await
}

/// Every charge in the emulator's ledger.
pub async fn transactions(sandbox_url: &str) -> Result<Vec<Transaction>, CustomerError> {
    let (base, http) = connect(sandbox_url)?;
    let response = http
        .get(format!("{base}/_sandbox/transactions"))
        .send()
        .await;
    let listing: Transactions = read(sandbox_url, response).await?;
    Ok(listing.transactions)
}

fn connect(sandbox_url: &str) -> Result<(String, reqwest::Client), CustomerError> {
    let not_loopback = || CustomerError::NotLoopback(sandbox_url.to_string());
    let url = Url::parse(sandbox_url.trim()).map_err(|_| not_loopback())?;
    if url.scheme() != "http" || !regi_elepay::is_loopback_url(&url) {
        return Err(not_loopback());
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        // The emulator is on this machine: a proxy from the environment must not see the calls.
        .no_proxy()
        .build()
        .map_err(|e| CustomerError::Unreachable {
            url: sandbox_url.to_string(),
            reason: e.to_string(),
        })?;
    Ok((url.as_str().trim_end_matches('/').to_string(), http))
}

async fn read<T: DeserializeOwned>(
    sandbox_url: &str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, CustomerError> {
    let unreachable = |e: reqwest::Error| CustomerError::Unreachable {
        url: sandbox_url.to_string(),
        reason: e.to_string(),
    };
    let response = response.map_err(unreachable)?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(unreachable)?;
    if status == 200 {
        return serde_json::from_slice(&bytes).map_err(|_| CustomerError::Unreadable(status));
    }
    match serde_json::from_slice::<regi_elepay::wire::ErrorBody>(&bytes) {
        Ok(body) if !body.code.is_empty() => Err(CustomerError::Refused {
            code: body.code,
            message: body.message,
        }),
        _ => Err(CustomerError::Unreadable(status)),
    }
}
