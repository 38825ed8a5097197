//! Where the Partner API is and how to talk to it: the API keys of `[pokepay]` (or the older
//! `[api]`), checked into [`ApiSettings`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use serde::Deserialize;

use regi_config::ConfigError;
use regi_core::secret::Secret;

/// Everything `pokepay::Client::new` needs. Empty `base_url`/`client_id`/`client_secret` mean
/// "not configured" (regi then offers training mode only).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiSettings {
    pub base_url: String,
    pub client_id: String,
    pub client_secret: Secret<String>,
    /// PEM client certificate and key for mutual TLS (both or neither).
    pub tls_cert_file: Option<PathBuf>,
    pub tls_key_file: Option<PathBuf>,
    /// PEM certificates the API's server certificate must chain to, instead of the system's
    /// (a private CA, such as the one `regi sandbox --tls` makes).
    pub tls_ca_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// How long to wait for the answer once connected.
    pub timeout: Duration,
    /// Automatic retries of idempotent calls (GETs and calls carrying a `request_id`).
    pub max_retries: u32,
    /// Zone of the request `timestamp`.
    pub timezone: Tz,
    /// `Accept-Language` sent to the API (the language of the server's error messages).
    pub accept_language: Option<String>,
    /// The proxy calls go through. Without one, proxy variables of the environment (`HTTP_PROXY`,
    /// `ALL_PROXY`, ...) are ignored: a payment never takes a detour the shop did not configure.
    pub proxy: Option<ProxyUrl>,
}

/// A proxy URL: https, or plain http to this machine only (the rule for the API itself).
/// `Debug` shows it without user name and password.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl(url::Url);

impl ProxyUrl {
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = url::Url::parse(text.trim()).map_err(|e| format!("not a URL ({e})"))?;
        match url.scheme() {
            "https" => {}
            "http" if regi_config::is_loopback_url(&url) => {}
            "http" => {
                return Err(
                    "plain http to a proxy on another machine is refused; use https".into(),
                );
            }
            other => return Err(format!("scheme must be https, got {other}")),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("the URL has no host".into());
        }
        Ok(Self(url))
    }

    pub fn as_url(&self) -> &url::Url {
        &self.0
    }
}

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = &self.0;
        let host = url.host_str().unwrap_or_default();
        match url.port() {
            Some(port) => write!(f, "ProxyUrl({}://{host}:{port})", url.scheme()),
            None => write!(f, "ProxyUrl({}://{host})", url.scheme()),
        }
    }
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            client_id: String::new(),
            client_secret: Secret::new(String::new()),
            tls_cert_file: None,
            tls_key_file: None,
            tls_ca_file: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            max_retries: 2,
            timezone: chrono_tz::Asia::Tokyo,
            accept_language: None,
            proxy: None,
        }
    }
}

impl ApiSettings {
    /// Settings for a known endpoint with every other value at its default (training mode points
    /// this at the built-in sandbox).
    pub fn new(base_url: &str, client_id: &str, client_secret: Secret<String>) -> Self {
        Self {
            base_url: base_url.to_string(),
            client_id: client_id.to_string(),
            client_secret,
            ..Self::default()
        }
    }

    /// Names of the credentials that are still missing.
    pub fn missing_credentials(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.base_url.trim().is_empty() {
            missing.push("base_url");
        }
        if self.client_id.trim().is_empty() {
            missing.push("client_id");
        }
        if self.client_secret.expose().trim().is_empty() {
            missing.push("client_secret");
        }
        missing
    }
}

/// The Partner API keys as written in the TOML file (`[api]`, or the same keys in `[pokepay]`).
/// Not `Debug`: it holds the secret in clear.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct ApiSection {
    pub(crate) base_url: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) client_secret_file: Option<PathBuf>,
    pub(crate) tls_cert_file: Option<PathBuf>,
    pub(crate) tls_key_file: Option<PathBuf>,
    pub(crate) tls_ca_file: Option<PathBuf>,
    pub(crate) connect_timeout_secs: Option<u64>,
    pub(crate) timeout_secs: Option<u64>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) timezone: Option<String>,
    pub(crate) accept_language: Option<String>,
    pub(crate) proxy: Option<String>,
}

impl ApiSection {
    /// Checks the section and turns it into settings; relative paths are taken from `dir`.
    pub(crate) fn into_settings(self, origin: Option<&Path>) -> Result<ApiSettings, ConfigError> {
        let dir = origin.and_then(Path::parent).unwrap_or(Path::new(""));
        let bad = |key: &str, reason: String| {
            ConfigError::invalid(origin, format!("[api] {key}"), reason)
        };
        let mut api = ApiSettings::default();

        if let Some(url) = non_empty(self.base_url) {
            check_base_url(&url).map_err(|reason| bad("base_url", reason))?;
            api.base_url = url;
        }
        if let Some(id) = non_empty(self.client_id) {
            api.client_id = id;
        }
        let secret = match (non_empty(self.client_secret), self.client_secret_file) {
            (Some(_), Some(_)) => {
                return Err(bad(
                    "client_secret",
                    "give client_secret or client_secret_file, not both".into(),
                ));
            }
            (Some(secret), None) => Some(secret),
            (None, Some(file)) => {
                let path = resolve(dir, &file);
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| ConfigError::Read { path, source })?;
                non_empty(Some(text))
            }
            (None, None) => None,
        };
        if let Some(secret) = secret {
            api.client_secret =
                check_secret(secret).map_err(|reason| bad("client_secret", reason))?;
        }
        api.tls_cert_file = self.tls_cert_file.map(|p| resolve(dir, &p));
        api.tls_key_file = self.tls_key_file.map(|p| resolve(dir, &p));
        api.tls_ca_file = self.tls_ca_file.map(|p| resolve(dir, &p));
        if let Some(secs) = self.connect_timeout_secs {
            api.connect_timeout = check_secs(secs).map_err(|r| bad("connect_timeout_secs", r))?;
        }
        if let Some(secs) = self.timeout_secs {
            api.timeout = check_secs(secs).map_err(|r| bad("timeout_secs", r))?;
        }
        if let Some(retries) = self.max_retries {
            api.max_retries = check_retries(retries).map_err(|r| bad("max_retries", r))?;
        }
        if let Some(zone) = non_empty(self.timezone) {
            api.timezone = parse_timezone(&zone).map_err(|r| bad("timezone", r))?;
        }
        api.accept_language = non_empty(self.accept_language);
        if let Some(proxy) = non_empty(self.proxy) {
            api.proxy = Some(ProxyUrl::parse(&proxy).map_err(|r| bad("proxy", r))?);
        }
        Ok(api)
    }
}

pub(crate) fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) fn resolve(dir: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    }
}

/// A base URL must be absolute http(s) with a host. Whether plain http is acceptable is decided
/// by the client (only for loopback).
pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("scheme must be https, got {}", parsed.scheme()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("the URL must not have a query or fragment".into());
    }
    Ok(())
}

/// The secret must be usable as the envelope key; the message never repeats the value.
pub(crate) fn check_secret(secret: String) -> Result<Secret<String>, String> {
    if is_envelope_key(&secret) {
        Ok(Secret::new(secret))
    } else {
        Err("not a Pokepay client secret (base64url of 32 bytes)".into())
    }
}

/// A Pokepay client secret is the envelope's AES-256 key: base64url (padded or not) of 32 bytes.
fn is_envelope_key(secret: &str) -> bool {
    use base64::Engine as _;
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
    let secret = secret.trim();
    let decoded = if secret.ends_with('=') {
        URL_SAFE.decode(secret)
    } else {
        URL_SAFE_NO_PAD.decode(secret)
    };
    decoded.is_ok_and(|bytes| bytes.len() == 32)
}

pub(crate) fn check_secs(secs: u64) -> Result<Duration, String> {
    if (1..=600).contains(&secs) {
        Ok(Duration::from_secs(secs))
    } else {
        Err(format!("must be between 1 and 600 seconds, got {secs}"))
    }
}

pub(crate) fn check_retries(retries: u32) -> Result<u32, String> {
    if retries <= 10 {
        Ok(retries)
    } else {
        Err(format!("must be at most 10, got {retries}"))
    }
}

pub(crate) fn parse_timezone(zone: &str) -> Result<Tz, String> {
    zone.parse::<Tz>()
        .map_err(|_| format!("unknown time zone {zone:?} (expected a name like Asia/Tokyo)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_http_or_https_with_a_host() {
        assert!(check_base_url("https://partnerapi-sandbox.pokepay.jp").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/").is_ok());
        assert!(check_base_url("ftp://example.jp").is_err());
        assert!(check_base_url("partnerapi-sandbox.pokepay.jp").is_err());
        assert!(check_base_url("https://example.jp/?x=1").is_err());
    }

    #[test]
    fn secret_errors_do_not_echo_the_value() {
        let err = check_secret("tooshort-but-secret".into()).unwrap_err();
        assert!(!err.contains("tooshort-but-secret"));
        assert!(check_secret("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8".into()).is_ok());
    }

    #[test]
    fn a_proxy_is_https_or_on_this_machine() {
        for ok in [
            "https://proxy.shop.example:8443",
            "http://127.0.0.1:3128",
            "http://localhost:3128",
        ] {
            assert!(ProxyUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://proxy.shop.example:3128",
            "socks5://127.0.0.1:1080",
            "proxy.shop.example:3128",
        ] {
            assert!(ProxyUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_of_a_proxy_hides_its_password() {
        let proxy = ProxyUrl::parse("https://shop:hunter2@proxy.shop.example:8443").unwrap();
        let shown = format!("{proxy:?}");
        assert_eq!(shown, "ProxyUrl(https://proxy.shop.example:8443)");
    }

    #[test]
    fn missing_credentials_are_named() {
        let mut api = ApiSettings::default();
        assert_eq!(
            api.missing_credentials(),
            vec!["base_url", "client_id", "client_secret"]
        );
        api.client_id = "abc".into();
        assert_eq!(api.missing_credentials(), vec!["base_url", "client_secret"]);
    }
}
