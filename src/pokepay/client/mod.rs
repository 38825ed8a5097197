//! regi's Partner API client: one pooled HTTPS connection set, the sealed envelope on every call,
//! and retries only where repeating a request cannot do anything twice.
//!
//! Each HTTP attempt is `{partner_client_id, data}` sent with the operation's real verb (GETs carry
//! the body too, as the SDKs do); `data` seals `{request_data, timestamp, partner_call_id}` with a
//! fresh `partner_call_id` per attempt.

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

use crate::config::{ApiSettings, ConfigError};
use crate::pokepay::codec::EnvelopeKey;
use crate::pokepay::error::CallError;
use crate::pokepay::error_table::Endpoint;
use crate::pokepay::wire::{InnerRequest, RequestEnvelope};
use decode::Origin;
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

/// Whether repeating a request is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// A read, or a write carrying a `request_id` the server deduplicates.
    Safe,
    /// Could act twice (a new cashtray, a cancel, a refund without request id): never repeated.
    Never,
}

/// One operation: how it is called and how it may be logged.
struct Route {
    operation: &'static str,
    method: Method,
    /// The path sent, e.g. `/cashtrays/6c0d...`.
    path: String,
    /// The path as logged: CPM tokens masked.
    log_path: String,
    /// The endpoint as the error table names it.
    endpoint: Endpoint,
    repeat: Repeat,
}

impl Route {
    fn new(
        operation: &'static str,
        endpoint: Endpoint,
        path: impl Into<String>,
        repeat: Repeat,
    ) -> Self {
        let path = path.into();
        Self {
            operation,
            // The endpoint constants hold valid verbs; POST is only a type-level fallback.
            method: Method::from_bytes(endpoint.method.as_bytes()).unwrap_or(Method::POST),
            log_path: path.clone(),
            path,
            endpoint,
            repeat,
        }
    }

    fn logged_as(mut self, log_path: String) -> Self {
        self.log_path = log_path;
        self
    }

    fn origin(&self) -> Origin {
        Origin {
            operation: self.operation,
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

    /// Sends one enveloped operation, repeating it when that is safe and useful.
    async fn call<T: DeserializeOwned>(
        &self,
        route: Route,
        params: &impl serde::Serialize,
    ) -> Result<T, CallError> {
        let request_data = serde_json::to_value(params).map_err(|e| CallError::Refused {
            operation: route.operation,
            reason: format!("parameters do not serialize: {e}"),
        })?;
        self.with_retries(&route, |attempt| {
            self.send_enveloped(&route, &request_data, attempt)
        })
        .await
    }

    /// Bodiless `GET /ping`, answered with plain JSON.
    async fn call_plain<T: DeserializeOwned>(&self, route: Route) -> Result<T, CallError> {
        let route = &route;
        self.with_retries(route, |attempt| async move {
            let request = self.http.request(route.method.clone(), self.url(route));
            let (status, body) = self.exchange(route, request, None, attempt).await?;
            decode::decode_plain(&self.key, route.origin(), status, &body)
        })
        .await
    }

    async fn with_retries<T, F, Fut>(
        &self,
        route: &Route,
        mut attempt_fn: F,
    ) -> Result<T, CallError>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let attempts = match route.repeat {
            Repeat::Safe => self.max_retries.saturating_add(1),
            Repeat::Never => 1,
        };
        let mut attempt = 1;
        loop {
            match attempt_fn(attempt).await {
                Err(err) if attempt < attempts && err.is_retryable() => {
                    tracing::debug!(
                        operation = route.operation,
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
        route: &Route,
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
            operation: route.operation,
            reason: format!("request does not serialize: {e}"),
        })?;
        let envelope = RequestEnvelope {
            partner_client_id: self.client_id.clone(),
            data: self.key.seal(&plaintext),
            request_method: None,
        };
        let mut request = self
            .http
            .request(route.method.clone(), self.url(route))
            .json(&envelope);
        if let Some(lang) = &self.accept_language {
            request = request.header(reqwest::header::ACCEPT_LANGUAGE, lang.clone());
        }
        let (status, body) = self
            .exchange(route, request, Some(call_id), attempt)
            .await?;
        decode::decode_enveloped(&self.key, route.origin(), status, &body)
    }

    /// Sends the request and reads the whole answer; a missing answer is `Unknown`.
    async fn exchange(
        &self,
        route: &Route,
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
            operation = route.operation,
            method = %route.method,
            path = %route.log_path,
            status,
            latency_ms,
            attempt,
            partner_call_id = call_id.map(tracing::field::display),
            reason,
            "partner api call"
        );
        outcome.map_err(|reason| CallError::Unknown {
            operation: route.operation,
            reason,
        })
    }

    fn url(&self, route: &Route) -> Url {
        let mut url = self.base_url.clone();
        let prefix = self.base_url.path().trim_end_matches('/');
        url.set_path(&format!("{prefix}{}", route.path));
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
    use crate::secret::Secret;

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
        let route = |path: &str| {
            Route::new(
                "get_cashtray",
                Endpoint {
                    method: "GET",
                    template: "/x",
                },
                path,
                Repeat::Safe,
            )
        };
        for (base, expected) in [
            (
                "https://api.example.jp",
                "https://api.example.jp/cashtrays/abc",
            ),
            (
                "https://api.example.jp/",
                "https://api.example.jp/cashtrays/abc",
            ),
            (
                "https://api.example.jp/partner/",
                "https://api.example.jp/partner/cashtrays/abc",
            ),
            (
                "http://127.0.0.1:8080/v1",
                "http://127.0.0.1:8080/v1/cashtrays/abc",
            ),
        ] {
            let client = Client::new(&settings(base)).unwrap();
            assert_eq!(
                client.url(&route("/cashtrays/abc")).as_str(),
                expected,
                "{base}"
            );
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
