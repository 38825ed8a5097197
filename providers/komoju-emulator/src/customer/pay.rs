//! `pay`: what `regi customer pay SESSION_URL --sandbox URL --provider komoju` does, as a library
//! function over HTTP, so it works against an emulator in another process.

use std::time::Duration;

use regi_komoju::client::is_loopback;
use regi_komoju::wire::{ErrorEnvelope, Session};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum CustomerPayError {
    /// The emulator's customer side only answers on this machine; anything else is not it.
    #[error(
        "{url} is not a KOMOJU emulator on this machine: give its loopback URL (e.g. http://127.0.0.1:4010)"
    )]
    NotLoopback { url: String },
    #[error("cannot reach the KOMOJU emulator at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// The payment was refused; a poor customer gets `request_failed` and the session stays pending.
    #[error("{code}: {message} (HTTP {status})")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the KOMOJU emulator answered something unreadable (HTTP {status})")]
    Unreadable { status: u16 },
}

impl CustomerPayError {
    /// KOMOJU's error code when the emulator refused (`request_failed`, `unprocessable_entity`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            CustomerPayError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct PayBody<'a> {
    session: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'a str>,
    customer: &'a str,
}

/// The customer named `customer_name` (`rich` or `poor`) pays the session at `session_url` with
/// `method` (e.g. `paypay`; `None` for the first the session offers) through the emulator at
/// `sandbox_url` (its root, e.g. `http://127.0.0.1:4010`). Returns the completed session.
pub async fn pay(
    sandbox_url: &str,
    session_url: &str,
    method: Option<&str>,
    customer_name: &str,
) -> Result<Session, CustomerPayError> {
    let root = sandbox_url.trim().trim_end_matches('/');
    let not_loopback = || CustomerPayError::NotLoopback {
        url: sandbox_url.to_string(),
    };
    let parsed = reqwest::Url::parse(root).map_err(|_| not_loopback())?;
    if parsed.scheme() != "http" || !is_loopback(&parsed) {
        return Err(not_loopback());
    }
    let unreachable = |e: reqwest::Error| CustomerPayError::Unreachable {
        url: sandbox_url.to_string(),
        reason: e.without_url().to_string(),
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        // The emulator is on this machine: a proxy from the environment must not see the call.
        .no_proxy()
        .build()
        .map_err(unreachable)?;
    let response = http
        .post(format!("{root}/_sandbox/sessions/pay"))
        .json(&PayBody {
            session: session_url,
            method,
            customer: customer_name,
        })
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(unreachable)?;
    if status == 200 {
        return serde_json::from_slice(&bytes).map_err(|_| CustomerPayError::Unreadable { status });
    }
    match serde_json::from_slice::<ErrorEnvelope>(&bytes) {
        Ok(envelope) => Err(CustomerPayError::Refused {
            status,
            code: envelope.error.code,
            message: envelope.error.message,
        }),
        Err(_) => Err(CustomerPayError::Unreadable { status }),
    }
}
