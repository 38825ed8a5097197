//! The KOMOJU HTTP client: one pooled connection set, Basic auth with the secret key as user
//! name and an empty password, `X-KOMOJU-API-VERSION` on every call, JSON bodies, and the
//! caller's `X-KOMOJU-IDEMPOTENCY` key on every POST.
//!
//! The client repeats nothing on its own except a 409 "request in progress", which it retries
//! with the same key a bounded number of times and then reports as unknown. Every other unknown
//! outcome goes back to the caller, who retries with the same key or re-reads (the key is
//! journaled before the call, so a restart can do the same).

mod operations;
mod settings;
mod transport;

use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::endpoints::{Call, Operation};
use crate::error::{ConfigurationError, KomojuError, UnknownCause};
use crate::idempotency::IdempotencyKey;
use crate::secret::SecretKey;
use crate::wire::ErrorEnvelope;
pub use settings::{ClientSettings, DEFAULT_API_VERSION, PRODUCTION_API_BASE_URL};
pub use transport::is_loopback;

/// Header names as KOMOJU spells them.
pub const IDEMPOTENCY_HEADER: &str = "X-KOMOJU-IDEMPOTENCY";
pub const API_VERSION_HEADER: &str = "X-KOMOJU-API-VERSION";

/// A KOMOJU client. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    /// Without a trailing slash; operation paths are appended to it.
    base_url: String,
    secret_key: SecretKey,
    api_version: String,
    conflict_retries: u32,
    conflict_pause: std::time::Duration,
}

/// One request as the table describes it, ready to send (and to send again).
struct Outgoing<'a, B: Serialize, Q: Serialize> {
    operation: Operation,
    id: &'a str,
    body: Option<&'a B>,
    query: Option<&'a Q>,
    key: Option<&'a IdempotencyKey>,
}

impl Client {
    /// Checks the settings (non-empty key, https or loopback http) and builds the client.
    pub fn new(settings: &ClientSettings) -> Result<Client, ConfigurationError> {
        if settings.secret_key.is_empty() {
            return Err(ConfigurationError::MissingSecretKey);
        }
        let base = transport::checked_base_url(settings.api_base_url.trim())?;
        if reqwest::header::HeaderValue::from_str(&settings.api_version).is_err() {
            return Err(ConfigurationError::BadApiVersion {
                version: settings.api_version.clone(),
            });
        }
        Ok(Client {
            http: transport::build_http(settings)?,
            base_url: base.as_str().trim_end_matches('/').to_string(),
            secret_key: settings.secret_key.clone(),
            api_version: settings.api_version.clone(),
            conflict_retries: settings.conflict_retries,
            conflict_pause: settings.conflict_pause,
        })
    }

    /// The API base calls go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends one operation; on 409 sends it again with the same key, up to the configured count.
    async fn send<C: Call, Q: Serialize>(
        &self,
        outgoing: Outgoing<'_, C::Request, Q>,
    ) -> Result<C::Response, KomojuError> {
        debug_assert_eq!(outgoing.operation, C::OPERATION);
        let operation = outgoing.operation;
        let takes_id = operation.endpoint().template.contains("{id}");
        if takes_id
            && (outgoing.id.is_empty() || !outgoing.id.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(KomojuError::NotSent {
                operation,
                reason: format!("`{}` is not a KOMOJU id", outgoing.id),
            });
        }
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.exchange(&outgoing).await? {
                Answer::Done(status, bytes) => {
                    return decode::<C::Response>(operation, status, &bytes);
                }
                Answer::InProgress if attempts <= self.conflict_retries => {
                    tracing::info!(
                        operation = operation.name(),
                        attempts,
                        "KOMOJU: the first request with this key is still running; retrying with the same key"
                    );
                    tokio::time::sleep(self.conflict_pause * attempts).await;
                }
                Answer::InProgress => {
                    return Err(KomojuError::Unknown {
                        operation,
                        cause: UnknownCause::StillInProgress { attempts },
                    });
                }
            }
        }
    }

    async fn exchange<B: Serialize, Q: Serialize>(
        &self,
        outgoing: &Outgoing<'_, B, Q>,
    ) -> Result<Answer, KomojuError> {
        let operation = outgoing.operation;
        let endpoint = operation.endpoint();
        let url = format!("{}{}", self.base_url, endpoint.path(outgoing.id));
        let url = Url::parse(&url).map_err(|_| KomojuError::NotSent {
            operation,
            reason: "the request URL could not be built".into(),
        })?;
        let method = Method::from_bytes(endpoint.method.as_bytes()).unwrap_or(Method::POST);
        let mut request = self
            .http
            .request(method, url)
            .basic_auth(self.secret_key.expose(), Some(""))
            .header(API_VERSION_HEADER, &self.api_version)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(key) = outgoing.key {
            request = request.header(IDEMPOTENCY_HEADER, key.as_str());
        }
        if let Some(body) = outgoing.body {
            request = request.json(body);
        }
        if let Some(query) = outgoing.query {
            request = request.query(query);
        }
        let response = request.send().await.map_err(|e| KomojuError::Unknown {
            operation,
            cause: transport::no_answer(e),
        })?;
        let status = response.status();
        tracing::debug!(
            operation = operation.name(),
            status = status.as_u16(),
            "KOMOJU answered"
        );
        let bytes = response.bytes().await.map_err(|e| KomojuError::Unknown {
            operation,
            cause: transport::no_answer(e),
        })?;
        if status == StatusCode::CONFLICT && outgoing.key.is_some() {
            return Ok(Answer::InProgress);
        }
        Ok(Answer::Done(status, bytes.to_vec()))
    }
}

enum Answer {
    Done(StatusCode, Vec<u8>),
    /// 409: the first request with this key has not finished.
    InProgress,
}

/// Reads an answer into the expected object or a classified error.
fn decode<T: DeserializeOwned>(
    operation: Operation,
    status: StatusCode,
    bytes: &[u8],
) -> Result<T, KomojuError> {
    let code = status.as_u16();
    if status.is_success() {
        return serde_json::from_slice(bytes).map_err(|e| {
            tracing::warn!(
                operation = operation.name(),
                "KOMOJU answer unreadable: {e}"
            );
            KomojuError::Unknown {
                operation,
                cause: UnknownCause::Unreadable { status: code },
            }
        });
    }
    let error = serde_json::from_slice::<ErrorEnvelope>(bytes)
        .ok()
        .map(|e| e.error);
    if status.is_server_error() {
        return Err(KomojuError::Unknown {
            operation,
            cause: UnknownCause::ServerError {
                status: code,
                code: error.map(|e| e.code),
            },
        });
    }
    match (code, error) {
        (429, _) => Err(KomojuError::Unknown {
            operation,
            cause: UnknownCause::RateLimited,
        }),
        (401 | 403, error) => Err(ConfigurationError::KeyRefused {
            status: code,
            code: error.map_or_else(|| "unauthorized".to_string(), |e| e.code),
        }
        .into()),
        (400..=499, Some(error)) => Err(KomojuError::Refused {
            operation,
            status: code,
            error,
        }),
        // A 409 without a key, a 3xx, or a 4xx that is not KOMOJU's error object: nothing says
        // what happened.
        _ => Err(KomojuError::Unknown {
            operation,
            cause: UnknownCause::Unreadable { status: code },
        }),
    }
}
