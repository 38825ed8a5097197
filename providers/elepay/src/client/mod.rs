//! The elepay HTTP client: reqwest with rustls, the secret key as Bearer or Basic, JSON in and
//! out, and every failure classified ([`ElepayError`]). One method per operation; the requests
//! are built from the shared endpoint table.
//!
//! Recovering a lost create: elepay deduplicates nothing, so a `create_charge` that ends in
//! [`ElepayError::Unknown`] must be resolved with [`ElepayClient::find_charge_by_order_no`]
//! (same order number, a window starting before the create was sent) before any new create. A
//! new create for the same sale reuses the same order number; if the sale was paid meanwhile,
//! elepay refuses it with `M002007` ([`crate::RefusalKind::OrderAlreadyPaid`]), which means paid.

mod lookup;
mod operations;
mod transport;

use std::time::Duration;

use url::Url;

use crate::error::ElepayError;
use crate::secret::{AuthScheme, SecretKey};

/// elepay's production API.
pub const DEFAULT_API_BASE_URL: &str = "https://api.elepay.io";

/// How to reach elepay.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://api.elepay.io`, or an emulator's `http://127.0.0.1:PORT` (plain http only to
    /// loopback).
    pub api_base_url: String,
    pub secret_key: SecretKey,
    pub auth: AuthScheme,
    /// The whole request, from sending to the last byte of the answer.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// How many times a read is sent in all when it gets no answer or a 5xx.
    pub read_attempts: u32,
    /// How many more times any request is sent when elepay answers "busy" (in progress, too many
    /// requests), which means it did nothing; the pause grows by `busy_pause` each time.
    pub busy_retries: u32,
    pub busy_pause: Duration,
}

impl ClientConfig {
    pub fn new(api_base_url: impl Into<String>, secret_key: SecretKey) -> Self {
        Self {
            api_base_url: api_base_url.into(),
            secret_key,
            auth: AuthScheme::default(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            read_attempts: 3,
            busy_retries: 3,
            busy_pause: Duration::from_millis(300),
        }
    }
}

/// A client for one elepay account.
#[derive(Debug, Clone)]
pub struct ElepayClient {
    base: Url,
    config: ClientConfig,
    http: reqwest::Client,
}

impl ElepayClient {
    /// Checks the settings and builds the client. Refuses an empty key, a URL that is not http(s),
    /// and plain `http://` to anything but this machine (the key would travel in clear text).
    pub fn new(config: ClientConfig) -> Result<Self, ElepayError> {
        let config_error = |reason: String| ElepayError::Config {
            operation: None,
            status: None,
            reason,
        };
        if config.secret_key.is_empty() {
            return Err(config_error("no elepay secret key is configured".into()));
        }
        let text = config.api_base_url.trim().trim_end_matches('/');
        let base = Url::parse(text).map_err(|_| {
            config_error(format!(
                "`{text}` is not a URL (expected e.g. {DEFAULT_API_BASE_URL})"
            ))
        })?;
        match base.scheme() {
            "https" => {}
            "http" if is_loopback_url(&base) => {}
            "http" => {
                return Err(config_error(format!(
                    "`{text}` uses plain http:// to another machine; elepay must be reached over \
                     https:// (plain http:// is only allowed to 127.0.0.1 or localhost)"
                )));
            }
            _ => {
                return Err(config_error(format!(
                    "`{text}` is not an http(s) URL (expected e.g. {DEFAULT_API_BASE_URL})"
                )));
            }
        }
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("regi-elepay/", env!("CARGO_PKG_VERSION")));
        if is_loopback_url(&base) {
            // An emulator on this machine: a proxy from the environment must not see the calls.
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| config_error(format!("cannot set up HTTPS: {e}")))?;
        Ok(Self { base, config, http })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }
}

/// Whether `url` names this machine: the one rule every provider follows.
pub use regi_config::is_loopback_url;

#[cfg(test)]
mod tests {
    use super::*;

    fn client(url: &str, key: &str) -> Result<ElepayClient, ElepayError> {
        ElepayClient::new(ClientConfig::new(url, SecretKey::new(key)))
    }

    #[test]
    fn plain_http_is_refused_unless_it_stays_on_this_machine() {
        assert!(client("http://127.0.0.1:4010", "sk_test_1").is_ok());
        assert!(client("http://localhost:4010/", "sk_test_1").is_ok());
        assert!(client("https://api.elepay.io", "sk_test_1").is_ok());
        let err = client("http://api.elepay.io", "sk_test_1").unwrap_err();
        assert!(err.is_config());
        assert!(err.to_string().contains("https://"), "{err}");
        assert!(
            client("ftp://127.0.0.1", "sk_test_1")
                .unwrap_err()
                .is_config()
        );
        assert!(client("not a url", "sk_test_1").unwrap_err().is_config());
    }

    #[test]
    fn an_empty_key_is_a_configuration_error() {
        let err = client("https://api.elepay.io", " ").unwrap_err();
        assert!(err.is_config() && err.to_string().contains("secret key"));
    }

    #[test]
    fn the_client_debug_never_shows_the_key() {
        let c = client("https://api.elepay.io", "sk_live_topsecret").unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
    }
}
