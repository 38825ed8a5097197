//! The HTTP side of the client: URL policy, the pooled `reqwest::Client` with its timeouts and
//! mutual-TLS identity, and wording for failures without an answer.

use std::error::Error as _;
use std::time::Duration;

use reqwest::Url;

use crate::ApiSettings;
use regi_config::ConfigError;

/// Parses the base URL; plain http is only allowed to this machine (training mode, tests).
pub(super) fn checked_base_url(url: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: String| ConfigError::invalid(None, "[api] base_url", reason);
    let parsed = Url::parse(url).map_err(|e| invalid(format!("not a URL ({e})")))?;
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(ConfigError::InsecureBaseUrl {
                url: url.to_string(),
            });
        }
        other => return Err(invalid(format!("scheme must be https, got {other}"))),
    }
    if parsed.host().is_none() || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("needs a host and no query or fragment".into()));
    }
    Ok(parsed)
}

pub use regi_config::is_loopback_url as is_loopback;

pub(super) fn build_http(settings: &ApiSettings) -> Result<reqwest::Client, ConfigError> {
    let mut builder = reqwest::Client::builder()
        // Only new connections arm this timer; the whole exchange is bounded by `Client::exchange`.
        .connect_timeout(settings.connect_timeout)
        // Shorter than common server keep-alive limits, so a pooled connection is rarely found
        // closed just as a payment is written to it.
        .pool_idle_timeout(Duration::from_secs(30))
        // A redirect would replay a payment to another address: never follow one.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("regi/", env!("CARGO_PKG_VERSION")));
    // Only the configured proxy: HTTP_PROXY and friends in the environment would send payments
    // (plain http to the loopback sandbox included) wherever whoever set them chose.
    builder = match &settings.proxy {
        Some(proxy) => {
            builder.proxy(reqwest::Proxy::all(proxy.as_url().clone()).map_err(|e| {
                ConfigError::invalid(None, "[api] proxy", e.without_url().to_string())
            })?)
        }
        None => builder.no_proxy(),
    };
    if let Some(identity) = load_identity(settings)? {
        builder = builder.identity(identity);
    }
    if let Some(roots) = load_ca(settings)? {
        // A configured CA replaces the system's: the server must chain to it.
        builder = builder.tls_certs_only(roots);
    }
    // reqwest says only "builder error"; the reason (no CA certificates on this machine, say)
    // is further down its chain.
    builder.build().map_err(|e| {
        let mut reason = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(inner) = cause {
            reason.push_str(": ");
            reason.push_str(&inner.to_string());
            cause = inner.source();
        }
        ConfigError::Http { reason }
    })
}

/// The client certificate and key issued with the partner contract, as one PEM identity.
fn load_identity(settings: &ApiSettings) -> Result<Option<reqwest::Identity>, ConfigError> {
    let (cert_path, key_path) = match (&settings.tls_cert_file, &settings.tls_key_file) {
        (None, None) => return Ok(None),
        (Some(cert), Some(key)) => (cert, key),
        _ => {
            return Err(ConfigError::Tls {
                reason: "tls_cert_file and tls_key_file must be given together".into(),
            });
        }
    };
    let read = |path: &std::path::PathBuf| {
        std::fs::read(path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })
    };
    let mut pem = read(cert_path)?;
    pem.push(b'\n');
    pem.extend_from_slice(&read(key_path)?);
    reqwest::Identity::from_pem(&pem)
        .map(Some)
        .map_err(|e| ConfigError::Tls {
            reason: format!("{} + {}: {e}", cert_path.display(), key_path.display()),
        })
}

/// The certificates of `tls_ca_file` (PEM, one or more), when one is configured.
fn load_ca(settings: &ApiSettings) -> Result<Option<Vec<reqwest::Certificate>>, ConfigError> {
    let Some(path) = &settings.tls_ca_file else {
        return Ok(None);
    };
    let pem = std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| ConfigError::Tls {
        reason: format!("{}: {e}", path.display()),
    })?;
    if certs.is_empty() {
        return Err(ConfigError::Tls {
            reason: format!("{}: no PEM certificate in it", path.display()),
        });
    }
    Ok(Some(certs))
}

/// Words for a call that got no answer. The URL is left out: it may contain a CPM token.
pub(super) fn describe_failure(err: reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
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
        return kind.to_string();
    }
    let detail = detail.join(": ");
    match tls_hint(&detail) {
        Some(hint) => format!("{kind}: {detail} ({hint})"),
        None => format!("{kind}: {detail}"),
    }
}

/// What a TLS refusal means for the configuration, in words a shop's admin can act on.
fn tls_hint(detail: &str) -> Option<&'static str> {
    let detail = detail.to_ascii_lowercase();
    if detail.contains("certificaterequired") {
        Some("the server requires a client certificate: set SSL_CERT_FILE and SSL_KEY_FILE")
    } else if [
        "unknownca",
        "badcertificate",
        "certificateunknown",
        "decrypterror",
    ]
    .iter()
    .any(|alert| detail.contains(&format!("alert: {alert}")))
    {
        Some("the server refused the client certificate of SSL_CERT_FILE and SSL_KEY_FILE")
    } else if detail.contains("invalid peer certificate") {
        Some("the server's certificate is not one this machine trusts; check SSL_CA_FILE")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::secret::Secret;
    use std::path::PathBuf;

    const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tls")
            .join(name)
    }

    fn settings() -> ApiSettings {
        ApiSettings::new(
            "https://partnerapi-sandbox.pokepay.jp",
            "client-1",
            Secret::new(SECRET.into()),
        )
    }

    #[test]
    fn client_identity_loads_from_pem_files() {
        let mut s = settings();
        s.tls_cert_file = Some(fixture("client.pem"));
        s.tls_key_file = Some(fixture("client.key"));
        assert!(load_identity(&s).unwrap().is_some());
        assert!(build_http(&s).is_ok());
    }

    #[test]
    fn a_ca_file_loads_and_one_without_certificates_is_a_config_error() {
        let mut s = settings();
        s.tls_ca_file = Some(fixture("client.pem"));
        assert!(load_ca(&s).unwrap().is_some_and(|certs| !certs.is_empty()));
        assert!(build_http(&s).is_ok());
        s.tls_ca_file = Some(fixture("client.key"));
        assert!(matches!(load_ca(&s), Err(ConfigError::Tls { .. })));
        s.tls_ca_file = Some(fixture("missing.pem"));
        assert!(matches!(load_ca(&s), Err(ConfigError::Read { .. })));
    }

    #[test]
    fn tls_refusals_say_which_certificate_to_look_at() {
        let hint = |detail: &str| tls_hint(detail).unwrap_or_default();
        assert!(
            hint("connection error: received fatal alert: CertificateRequired")
                .contains("requires a client certificate")
        );
        assert!(hint("received fatal alert: UnknownCA").contains("refused the client certificate"));
        assert!(hint("invalid peer certificate: UnknownIssuer").contains("SSL_CA_FILE"));
        assert_eq!(tls_hint("connection refused"), None);
    }

    #[test]
    fn broken_identity_is_a_config_error() {
        let mut s = settings();
        s.tls_cert_file = Some(fixture("client.pem"));
        s.tls_key_file = Some(fixture("missing.key"));
        assert!(matches!(load_identity(&s), Err(ConfigError::Read { .. })));
        s.tls_key_file = Some(fixture("client.pem"));
        assert!(matches!(load_identity(&s), Err(ConfigError::Tls { .. })));
        s.tls_key_file = None;
        assert!(matches!(load_identity(&s), Err(ConfigError::Tls { .. })));
    }
}
