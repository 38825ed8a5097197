//! A small HTTP client for the sandbox's customer side (`/_sandbox/...`), used by the
//! `regi customer` commands and by tests that drive a sandbox in another process.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::credit_sessions::{CardView, SessionView};
use super::customer::CustomerBalance;
use regi_pokepay::client::is_loopback_url;
use regi_pokepay::wire::{ApiErrorBody, CpmToken, TransactionDetail};

#[derive(Debug, thiserror::Error)]
pub enum CustomerClientError {
    /// The sandbox only ever listens on loopback; anything else is not a sandbox.
    #[error(
        "{url} is not a sandbox on this machine: give its loopback URL (e.g. http://127.0.0.1:4010)"
    )]
    NotLoopback { url: String },
    #[error("cannot reach the sandbox at {url}: {source}")]
    Unreachable { url: String, source: reqwest::Error },
    #[error("{kind}: {message} (HTTP {status})")]
    Refused {
        status: u16,
        kind: String,
        message: String,
    },
    #[error("the sandbox answered something unreadable (HTTP {status})")]
    Unreadable { status: u16 },
}

impl CustomerClientError {
    /// The API error type when the sandbox refused, e.g. `cashtray_already_proceed`.
    pub fn kind(&self) -> Option<&str> {
        match self {
            CustomerClientError::Refused { kind, .. } => Some(kind),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CustomerClient {
    base_url: String,
    http: reqwest::Client,
}

#[derive(Serialize)]
struct PayBody<'a> {
    cashtray: &'a str,
    customer: &'a str,
}

#[derive(Serialize)]
struct TokenBody<'a> {
    customer: &'a str,
    scopes: Vec<&'a str>,
}

impl CustomerClient {
    /// `base_url` is the sandbox's root, e.g. `http://127.0.0.1:4010`. Like `regi sandbox`, only a
    /// loopback address is accepted: a customer's token or payment never goes to another host.
    pub fn new(base_url: &str) -> Result<Self, CustomerClientError> {
        let not_loopback = || CustomerClientError::NotLoopback {
            url: base_url.to_string(),
        };
        let parsed = reqwest::Url::parse(base_url.trim()).map_err(|_| not_loopback())?;
        if !matches!(parsed.scheme(), "http" | "https") || !is_loopback_url(&parsed) {
            return Err(not_loopback());
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            // The sandbox is on this machine: a proxy from the environment must not see the calls.
            .no_proxy()
            .build()
            .map_err(|source| CustomerClientError::Unreachable {
                url: base_url.to_string(),
                source,
            })?;
        Ok(Self {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            http,
        })
    }

    /// Pays (or receives) a cashtray as `customer`.
    pub async fn pay_cashtray(
        &self,
        cashtray: &str,
        customer: &str,
    ) -> Result<TransactionDetail, CustomerClientError> {
        self.post("/_sandbox/cashtrays/pay", &PayBody { cashtray, customer })
            .await
    }

    /// A fresh CPM token for `customer` with one scope (`payment` or `topup`).
    pub async fn issue_cpm_token(
        &self,
        customer: &str,
        scope: &str,
    ) -> Result<CpmToken, CustomerClientError> {
        self.post(
            "/_sandbox/cpm-tokens",
            &TokenBody {
                customer,
                scopes: vec![scope],
            },
        )
        .await
    }

    pub async fn customers(&self) -> Result<Vec<CustomerBalance>, CustomerClientError> {
        self.get("/_sandbox/customers").await
    }

    pub async fn transactions(&self) -> Result<Vec<TransactionDetail>, CustomerClientError> {
        self.get("/_sandbox/transactions").await
    }

    /// Every tab (CreditSession) with its charges and bill, oldest first.
    pub async fn credit_sessions(&self) -> Result<Vec<SessionView>, CustomerClientError> {
        self.get("/_sandbox/credit-sessions").await
    }

    /// Every card with its limit, what was billed to it and what is left.
    pub async fn cards(&self) -> Result<Vec<CardView>, CustomerClientError> {
        self.get("/_sandbox/cards").await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, CustomerClientError> {
        let url = format!("{}{path}", self.base_url);
        let response = self.http.get(&url).send().await;
        read(url, response).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, CustomerClientError> {
        let url = format!("{}{path}", self.base_url);
        let response = self.http.post(&url).json(body).send().await;
        read(url, response).await
    }
}

async fn read<T: DeserializeOwned>(
    url: String,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, CustomerClientError> {
    let response = response.map_err(|source| CustomerClientError::Unreachable {
        url: url.clone(),
        source,
    })?;
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .map_err(|source| CustomerClientError::Unreachable { url, source })?;
    if (200..300).contains(&status) {
        serde_json::from_slice(&bytes).map_err(|_| CustomerClientError::Unreadable { status })
    } else {
        match serde_json::from_slice::<ApiErrorBody>(&bytes) {
            Ok(body) => Err(CustomerClientError::Refused {
                status,
                kind: body.kind,
                message: body.message,
            }),
            Err(_) => Err(CustomerClientError::Unreadable { status }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_sandbox_on_loopback_is_accepted() {
        for url in [
            "http://127.0.0.1:4010",
            "http://127.0.0.1:4010/",
            "http://localhost:4010",
            "http://[::1]:4010",
        ] {
            assert!(CustomerClient::new(url).is_ok(), "{url}");
        }
        for url in [
            "http://192.168.1.20:4010",
            "https://partnerapi.pokepay.jp",
            "http://localhost.example.jp:4010",
            "ftp://127.0.0.1",
            "127.0.0.1:4010",
            "",
        ] {
            let err = CustomerClient::new(url).unwrap_err();
            assert!(
                matches!(err, CustomerClientError::NotLoopback { .. }),
                "{url}: {err}"
            );
        }
    }
}
