//! The HTTP side of the client: the base URL policy (https, or plain http only to this machine),
//! the pooled `reqwest::Client`, and words for failures without an answer.

use std::error::Error as _;

use reqwest::Url;

use super::settings::ClientSettings;
use crate::error::{ConfigurationError, UnknownCause};

/// Parses the base URL; plain http is only allowed to a loopback host (the emulator).
pub(super) fn checked_base_url(url: &str) -> Result<Url, ConfigurationError> {
    let bad = |reason: &str| ConfigurationError::BadUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = Url::parse(url).map_err(|_| bad("not a URL"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(ConfigurationError::InsecureUrl {
                url: url.to_string(),
            });
        }
        _ => return Err(bad("the scheme must be https")),
    }
    if parsed.host().is_none() || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("it needs a host and no query or fragment"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("credentials belong in secret_key, not in the URL"));
    }
    Ok(parsed)
}

/// Whether `url` points at this machine: the one rule every provider follows.
pub use regi_config::is_loopback_url as is_loopback;

pub(super) fn build_http(settings: &ClientSettings) -> Result<reqwest::Client, ConfigurationError> {
    reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        // Shorter than the keep-alive limits servers and load balancers commonly use, so a pooled
        // connection is rarely found closed just as a payment is written to it.
        .pool_idle_timeout(std::time::Duration::from_secs(30))
        // A redirect would replay a payment to another address: never follow one.
        .redirect(reqwest::redirect::Policy::none())
        // A proxy from the environment must not see payments or the key.
        .no_proxy()
        .user_agent(concat!("regi-komoju/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigurationError::Http {
            reason: e.without_url().to_string(),
        })
}

/// Why a call got no answer. The URL is left out of the words.
pub(super) fn no_answer(err: reqwest::Error) -> UnknownCause {
    if err.is_timeout() {
        return UnknownCause::Timeout;
    }
    let kind = if err.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    let err = err.without_url();
    let mut detail = Vec::new();
    let mut source = err.source();
    while let Some(cause) = source {
        detail.push(cause.to_string());
        source = cause.source();
    }
    if detail.is_empty() {
        UnknownCause::NoAnswer(kind.to_string())
    } else {
        UnknownCause::NoAnswer(format!("{kind}: {}", detail.join(": ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_this_machine() {
        assert!(checked_base_url("https://komoju.com/api/v1").is_ok());
        assert!(checked_base_url("http://127.0.0.1:4010/api/v1").is_ok());
        assert!(checked_base_url("http://localhost:4010/api/v1").is_ok());
        assert!(checked_base_url("http://[::1]:4010/api/v1").is_ok());
        assert!(matches!(
            checked_base_url("http://komoju.com/api/v1"),
            Err(ConfigurationError::InsecureUrl { .. })
        ));
        assert!(matches!(
            checked_base_url("ftp://komoju.com"),
            Err(ConfigurationError::BadUrl { .. })
        ));
        assert!(matches!(
            checked_base_url("komoju.com"),
            Err(ConfigurationError::BadUrl { .. })
        ));
        assert!(matches!(
            checked_base_url("https://sk_x:@komoju.com/api/v1"),
            Err(ConfigurationError::BadUrl { .. })
        ));
    }
}
