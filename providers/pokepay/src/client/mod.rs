//! regi's Partner API client: one pooled HTTPS connection set, the sealed envelope on every call,
//! and retries only where repeating a request cannot do anything twice (the endpoint table's
//! retry rule, `pokepay::endpoints`).
//!
//! Each HTTP attempt is `{partner_client_id, data}` sent with the operation's real verb (GETs carry
//! the body too, as the SDKs do); `data` seals `{request_data, timestamp, partner_call_id}` with a
//! fresh `partner_call_id` per attempt.

mod credit_sessions;
mod deadline;
mod decode;
mod operations;
mod transport;

use std::time::{Duration, Instant};

use chrono_tz::Tz;
use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::ApiSettings;
use crate::codec::EnvelopeKey;
use crate::endpoints::{Call, Endpoint, Operation};
use crate::error::CallError;
use crate::wire::{InnerRequest, RequestEnvelope};
use decode::Origin;
use regi_config::ConfigError;
pub use transport::is_loopback as is_loopback_url;

/// A Partner API client. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    /// The base URL, parsed once: each call only sets its path (no host parsing per call).
    base_url: Url,
    client_id: String,
    key: EnvelopeKey,
    timezone: Tz,
    accept_language: Option<HeaderValue>,
    /// The longest a whole exchange may take: connecting, sending and reading the answer.
    call_limit: Duration,
    max_retries: u32,
    retry_backoff: Duration,
}

/// Where one call goes, built from the endpoint table: the operation and its concrete path.
struct Target {
    operation: Operation,
    endpoint: Endpoint,
    method: Method,
    /// The path sent, e.g. `/cashtrays/6c0d...`.
    path: String,
    /// The path as logged, when it must differ from the path sent (a CPM token masked).
    log_path: Option<String>,
}

impl Target {
    fn of<C: Call>(param: &C::PathParam) -> Self {
        let endpoint = C::OPERATION.endpoint();
        Self {
            operation: C::OPERATION,
            // The table holds valid verbs; POST is only a type-level fallback.
            method: Method::from_bytes(endpoint.method.as_bytes()).unwrap_or(Method::POST),
            path: C::path(param),
            endpoint,
            log_path: None,
        }
    }

    fn logged_as(mut self, log_path: String) -> Self {
        self.log_path = Some(log_path);
        self
    }

    fn logged_path(&self) -> &str {
        self.log_path.as_deref().unwrap_or(&self.path)
    }

    fn origin(&self) -> Origin {
        Origin {
            operation: self.operation.name(),
            endpoint: self.endpoint,
        }
    }
}

impl Client {
    /// Builds the client: checks the credentials, refuses plain http except to this machine, and
    /// loads the mutual-TLS identity when configured.
    pub fn new(settings: &ApiSettings) -> Result<Client, ConfigError> {
        let missing = settings.missing_credentials();
        if !missing.is_empty() {
            return Err(ConfigError::MissingCredentials(missing));
        }
        let base = transport::checked_base_url(settings.base_url.trim())?;
        let key =
            EnvelopeKey::from_client_secret(settings.client_secret.expose()).map_err(|_| {
                ConfigError::invalid(
                    None,
                    "[api] client_secret",
                    "not a Pokepay client secret (base64url of 32 bytes)",
                )
            })?;
        let accept_language = match &settings.accept_language {
            Some(lang) => Some(HeaderValue::from_str(lang.trim()).map_err(|_| {
                ConfigError::invalid(None, "[api] accept_language", "not a valid header value")
            })?),
            None => None,
        };
        Ok(Client {
            http: transport::build_http(settings)?,
            base_url: base,
            client_id: settings.client_id.trim().to_string(),
            key,
            timezone: settings.timezone,
            accept_language,
            call_limit: settings.connect_timeout + settings.timeout,
            max_retries: settings.max_retries,
            retry_backoff: Duration::from_millis(300),
        })
    }

    /// Changes the pause before the first retry (doubled for each further one).
    pub fn with_retry_backoff(mut self, backoff: Duration) -> Self {
        self.retry_backoff = backoff;
        self
    }

    /// The base URL calls go to, without a trailing slash (paths are appended to it).
    pub fn base_url(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// Sends one enveloped operation, repeating it where the endpoint table allows and it is
    /// useful.
    async fn call<C: Call>(
        &self,
        param: &C::PathParam,
        request: &C::Request,
    ) -> Result<C::Response, CallError> {
        self.call_to::<C>(Target::of::<C>(param), request).await
    }

    /// As `call`, to a target built by the caller (one whose logged path differs).
    async fn call_to<C: Call>(
        &self,
        target: Target,
        request: &C::Request,
    ) -> Result<C::Response, CallError> {
        debug_assert_eq!(target.operation, C::OPERATION);
        let request_data = serde_json::to_value(request).map_err(|e| CallError::Refused {
            operation: target.operation.name(),
            reason: format!("parameters do not serialize: {e}"),
        })?;
        let repeatable = target.endpoint.retry.allows_repeat(&request_data);
        self.with_retries(&target, repeatable, |attempt| {
            self.send_enveloped(&target, &request_data, attempt)
        })
        .await
    }

    /// A bodiless call answered with plain JSON (`Ping`).
    async fn call_plain<C: Call>(&self, param: &C::PathParam) -> Result<C::Response, CallError> {
        let target = &Target::of::<C>(param);
        // No parameters, so no `request_id`: only a repeatable endpoint is repeated.
        let repeatable = target
            .endpoint
            .retry
            .allows_repeat(&serde_json::Value::Null);
        self.with_retries(target, repeatable, |attempt| async move {
            let request = self.http.request(target.method.clone(), self.url(target));
            let (status, body) = self.exchange(target, request, None, attempt).await?;
            decode::decode_plain(&self.key, target.origin(), status, &body)
        })
        .await
    }

    async fn with_retries<T, F, Fut>(
        &self,
        target: &Target,
        repeatable: bool,
        mut attempt_fn: F,
    ) -> Result<T, CallError>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let attempts = if repeatable {
            self.max_retries.saturating_add(1)
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            match attempt_fn(attempt).await {
                Err(err) if attempt < attempts && err.is_retryable() => {
                    tracing::debug!(
                        operation = target.operation.name(),
                        attempt,
                        error = %err,
                        "retrying"
                    );
                    tokio::time::sleep(self.backoff(attempt)).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    /// Exponential pause with up to 50 % jitter, so tills that lost the network together do not
    /// come back in lockstep.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self
            .retry_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(6));
        let jitter = rand::random_range(0.0..0.5);
        base.mul_f64(1.0 + jitter).min(Duration::from_secs(5))
    }

    async fn send_enveloped<T: DeserializeOwned>(
        &self,
        target: &Target,
        request_data: &serde_json::Value,
        attempt: u32,
    ) -> Result<T, CallError> {
        let call_id = Uuid::new_v4();
        let inner = InnerRequest {
            request_data: request_data.clone(),
            timestamp: self.timestamp(),
            partner_call_id: call_id.to_string(),
        };
        let plaintext = serde_json::to_string(&inner).map_err(|e| CallError::Refused {
            operation: target.operation.name(),
            reason: format!("request does not serialize: {e}"),
        })?;
        let envelope = RequestEnvelope {
            partner_client_id: self.client_id.clone(),
            data: self.key.seal(&plaintext),
            request_method: None,
        };
        let mut request = self
            .http
            .request(target.method.clone(), self.url(target))
            .json(&envelope);
        if let Some(lang) = &self.accept_language {
            request = request.header(reqwest::header::ACCEPT_LANGUAGE, lang.clone());
        }
        let (status, body) = self
            .exchange(target, request, Some(call_id), attempt)
            .await?;
        decode::decode_enveloped(&self.key, target.origin(), status, &body)
    }

    /// Sends the request and reads the whole answer; a missing answer is `Unknown`.
    async fn exchange(
        &self,
        target: &Target,
        request: reqwest::RequestBuilder,
        call_id: Option<Uuid>,
        attempt: u32,
    ) -> Result<(u16, Vec<u8>), CallError> {
        let started = Instant::now();
        let exchange = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let body = response.bytes().await?.to_vec();
            Ok::<_, reqwest::Error>((status, body))
        };
        // Bounds the whole exchange, so a server trickling bytes cannot hold a till forever.
        let outcome = match deadline::within(self.call_limit, exchange).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(err)) => Err(transport::describe_failure(err)),
            Err(deadline::Elapsed) => Err(format!(
                "timed out: no whole answer within {} ms",
                self.call_limit.as_millis()
            )),
        };
        let latency_ms = started.elapsed().as_millis() as u64;
        let (status, reason) = match &outcome {
            Ok((status, _)) => (Some(*status), None),
            Err(reason) => (None, Some(reason.as_str())),
        };
        tracing::debug!(
            operation = target.operation.name(),
            method = %target.method,
            path = %target.logged_path(),
            status,
            latency_ms,
            attempt,
            partner_call_id = call_id.map(tracing::field::display),
            reason,
            "partner api call"
        );
        outcome.map_err(|reason| CallError::Unknown {
            operation: target.operation.name(),
            reason,
        })
    }

    fn url(&self, target: &Target) -> Url {
        let mut url = self.base_url.clone();
        let prefix = self.base_url.path().trim_end_matches('/');
        url.set_path(&format!("{prefix}{}", target.path));
        url
    }

    /// RFC 3339 in the configured zone, e.g. `2024-01-01T12:00:00+09:00`.
    fn timestamp(&self) -> String {
        chrono::Utc::now()
            .with_timezone(&self.timezone)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::CreateCashtray;
    use regi_core::secret::Secret;

    const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    fn settings(url: &str) -> ApiSettings {
        ApiSettings::new(url, "client-1", Secret::new(SECRET.to_string()))
    }

    #[test]
    fn plain_http_is_refused_unless_loopback() {
        for url in [
            "http://partnerapi-sandbox.pokepay.jp",
            "http://192.168.1.20:8080",
            "http://localhost.example.jp",
            "http://[2001:db8::1]/",
        ] {
            let err = Client::new(&settings(url)).unwrap_err();
            assert!(
                matches!(err, ConfigError::InsecureBaseUrl { .. }),
                "{url}: {err}"
            );
        }
        for url in [
            "https://partnerapi-sandbox.pokepay.jp",
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9000/",
            "http://localhost:8080/",
            "http://LOCALHOST",
        ] {
            assert!(Client::new(&settings(url)).is_ok(), "{url}");
        }
    }

    #[test]
    fn incomplete_or_malformed_settings_are_config_errors() {
        let err = Client::new(&ApiSettings::default()).unwrap_err();
        assert!(matches!(err, ConfigError::MissingCredentials(ref m) if m.len() == 3));
        let mut bad_secret = settings("https://partnerapi-sandbox.pokepay.jp");
        bad_secret.client_secret = Secret::new("short".into());
        assert!(
            !Client::new(&bad_secret)
                .unwrap_err()
                .to_string()
                .contains("short")
        );
        assert!(Client::new(&settings("ftp://example.jp")).is_err());
        assert!(Client::new(&settings("not a url")).is_err());
    }

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let client = Client::new(&settings("https://partnerapi-sandbox.pokepay.jp/")).unwrap();
        assert_eq!(client.base_url(), "https://partnerapi-sandbox.pokepay.jp");
    }

    #[test]
    fn call_urls_keep_the_base_path() {
        for (base, expected) in [
            ("https://api.example.jp", "https://api.example.jp/cashtrays"),
            (
                "https://api.example.jp/",
                "https://api.example.jp/cashtrays",
            ),
            (
                "https://api.example.jp/partner/",
                "https://api.example.jp/partner/cashtrays",
            ),
            (
                "http://127.0.0.1:8080/v1",
                "http://127.0.0.1:8080/v1/cashtrays",
            ),
        ] {
            let client = Client::new(&settings(base)).unwrap();
            let target = Target::of::<CreateCashtray>(&());
            assert_eq!(client.url(&target).as_str(), expected, "{base}");
        }
    }

    #[test]
    fn timestamps_are_rfc3339_in_tokyo_time() {
        let client = Client::new(&settings("https://partnerapi-sandbox.pokepay.jp")).unwrap();
        let ts = client.timestamp();
        assert!(ts.ends_with("+09:00"), "{ts}");
        assert!(chrono::DateTime::parse_from_rfc3339(&ts).is_ok());
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let client = Client::new(&settings("https://partnerapi-sandbox.pokepay.jp"))
            .unwrap()
            .with_retry_backoff(Duration::from_millis(100));
        let first = client.backoff(1);
        assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(150));
        let third = client.backoff(3);
        assert!(third >= Duration::from_millis(400) && third <= Duration::from_millis(600));
        assert!(client.backoff(40) <= Duration::from_secs(5));
    }

    #[test]
    fn debug_output_hides_the_key() {
        let client = Client::new(&settings("https://partnerapi-sandbox.pokepay.jp")).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains(SECRET));
        assert!(shown.contains("redacted"));
    }
}
