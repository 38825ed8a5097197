//! The `[elepay]` table of `regi.toml`: read from the raw TOML table the configuration hands over,
//! checked key by key with short messages that name the key and never show the secret key, and
//! turned into a gateway ([`build_gateway`]).
//!
//! ```toml
//! [elepay]
//! api_base_url = "https://api.elepay.io"  # plain http:// only to this machine (an emulator)
//! secret_key = "sk_live_…"                # the account's secret key; without it regi trains
//! auth = "bearer"                         # or "basic", as elepay's SDKs send the key
//! capture = "auto"                        # "manual": authorize, capture at once; "hold": the clerk captures later
//! wallets = ["paypay", "linepay"]         # the wallets the payment screen offers
//! default_wallet = "paypay"               # a wallet QR's wallet when the clerk picks none
//! timeout_secs = 15
//! connect_timeout_secs = 5
//! lookup_window_hours = 24                # how far back a sale is looked for by order number
//! ```
//!
//! The values are read by hand rather than through serde: a serde type error quotes the value,
//! and for `secret_key` that value is the secret.

use std::time::Duration;

use url::Url;

use crate::adapter::{CaptureMode, ElepayGateway, GatewayOptions};
use crate::client::{ClientConfig, DEFAULT_API_BASE_URL, ElepayClient};
use crate::secret::{AuthScheme, SecretKey};
use crate::wallets::parse_wallet;
use crate::wire::{KnownPaymentMethod, PaymentMethod};

/// The wallets offered when the table names none: those most Japanese shops take through elepay.
pub const DEFAULT_WALLETS: [KnownPaymentMethod; 8] = [
    KnownPaymentMethod::Paypay,
    KnownPaymentMethod::Linepay,
    KnownPaymentMethod::Merpay,
    KnownPaymentMethod::Aupay,
    KnownPaymentMethod::Rakutenpay,
    KnownPaymentMethod::Docomopay,
    KnownPaymentMethod::Alipay,
    KnownPaymentMethod::Wechatpay,
];

const KEYS: [&str; 9] = [
    "api_base_url",
    "secret_key",
    "auth",
    "capture",
    "wallets",
    "default_wallet",
    "timeout_secs",
    "connect_timeout_secs",
    "lookup_window_hours",
];

/// The store's elepay settings. `Debug` never shows the secret key.
#[derive(Debug, Clone, PartialEq)]
pub struct ElepaySettings {
    pub api_base_url: String,
    /// None: elepay is not configured (training mode runs it against the emulator).
    pub secret_key: Option<SecretKey>,
    pub auth: AuthScheme,
    pub capture: CaptureMode,
    /// The wallets the payment screen offers, in order.
    pub wallets: Vec<PaymentMethod>,
    pub default_wallet: Option<PaymentMethod>,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub lookup_window: Duration,
}

impl Default for ElepaySettings {
    fn default() -> Self {
        Self {
            api_base_url: DEFAULT_API_BASE_URL.into(),
            secret_key: None,
            auth: AuthScheme::default(),
            capture: CaptureMode::Auto,
            wallets: DEFAULT_WALLETS.iter().map(|w| (*w).into()).collect(),
            default_wallet: None,
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            lookup_window: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// A key of `[elepay]` that cannot be used, and why. The message never holds the secret key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[elepay] {key}: {reason}")]
pub struct SettingsError {
    pub key: String,
    pub reason: String,
}

fn bad(key: &str, reason: impl Into<String>) -> SettingsError {
    SettingsError {
        key: key.to_string(),
        reason: reason.into(),
    }
}

impl ElepaySettings {
    /// Reads the `[elepay]` table; keys left out take their defaults.
    pub fn from_table(table: &toml::Table) -> Result<Self, SettingsError> {
        if let Some(unknown) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(bad(
                unknown,
                format!("unknown key (known: {})", KEYS.join(", ")),
            ));
        }
        let mut s = ElepaySettings::default();
        if let Some(value) = table.get("api_base_url") {
            s.api_base_url = api_base_url(string("api_base_url", value)?)?;
        }
        if let Some(value) = table.get("secret_key") {
            s.secret_key = Some(secret_key(value)?);
        }
        if let Some(value) = table.get("auth") {
            s.auth = match string("auth", value)?.trim() {
                "bearer" => AuthScheme::Bearer,
                "basic" => AuthScheme::Basic,
                _ => return Err(bad("auth", "must be \"bearer\" or \"basic\"")),
            };
        }
        if let Some(value) = table.get("capture") {
            s.capture = match string("capture", value)?.trim() {
                "auto" => CaptureMode::Auto,
                "manual" => CaptureMode::Manual,
                "hold" => CaptureMode::Hold,
                _ => {
                    return Err(bad("capture", "must be \"auto\", \"manual\" or \"hold\""));
                }
            };
        }
        if let Some(value) = table.get("wallets") {
            s.wallets = wallets(value)?;
        }
        if let Some(value) = table.get("default_wallet") {
            let wallet = wallet("default_wallet", string("default_wallet", value)?)?;
            if !s.wallets.contains(&wallet) {
                return Err(bad(
                    "default_wallet",
                    format!("{wallet} is not one of `wallets`"),
                ));
            }
            s.default_wallet = Some(wallet);
        }
        if let Some(value) = table.get("timeout_secs") {
            s.timeout = Duration::from_secs(whole("timeout_secs", value, 1, 120)?);
        }
        if let Some(value) = table.get("connect_timeout_secs") {
            s.connect_timeout = Duration::from_secs(whole("connect_timeout_secs", value, 1, 60)?);
        }
        if let Some(value) = table.get("lookup_window_hours") {
            let hours = whole("lookup_window_hours", value, 1, 24 * 31)?;
            s.lookup_window = Duration::from_secs(hours * 60 * 60);
        }
        Ok(s)
    }

    /// Whether a secret key is set, so elepay can take real payments.
    pub fn is_configured(&self) -> bool {
        self.secret_key.is_some()
    }

    /// The client settings these stand for, when a key is set.
    pub fn client_config(&self) -> Result<ClientConfig, SettingsError> {
        let key = self
            .secret_key
            .clone()
            .ok_or_else(|| bad("secret_key", "is not set"))?;
        let mut config = ClientConfig::new(self.api_base_url.clone(), key);
        config.auth = self.auth;
        config.timeout = self.timeout;
        config.connect_timeout = self.connect_timeout;
        Ok(config)
    }

    pub fn gateway_options(&self) -> GatewayOptions {
        GatewayOptions {
            capture: self.capture,
            default_wallet: self.default_wallet.clone(),
            lookup_window: self.lookup_window,
        }
    }
}

/// The gateway the settings describe.
pub fn build_gateway(settings: &ElepaySettings) -> Result<ElepayGateway, SettingsError> {
    // The client's own refusals name the URL or the missing key, never the key itself.
    let client = ElepayClient::new(settings.client_config()?)
        .map_err(|e| bad("api_base_url", e.to_string()))?;
    Ok(ElepayGateway::new(client, settings.gateway_options()))
}

fn type_name(value: &toml::Value) -> &'static str {
    value.type_str()
}

fn string<'v>(key: &str, value: &'v toml::Value) -> Result<&'v str, SettingsError> {
    value
        .as_str()
        .ok_or_else(|| bad(key, format!("must be a string, not {}", type_name(value))))
}

fn api_base_url(text: &str) -> Result<String, SettingsError> {
    let key = "api_base_url";
    let trimmed = text.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|_| {
        bad(
            key,
            format!("`{trimmed}` is not a URL (e.g. {DEFAULT_API_BASE_URL})"),
        )
    })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad(key, format!("`{trimmed}` has no host")));
    }
    match url.scheme() {
        "https" => Ok(trimmed.to_string()),
        "http" if regi_config::is_loopback_url(&url) => Ok(trimmed.to_string()),
        "http" => Err(bad(
            key,
            "plain http:// is only allowed to this machine (127.0.0.1, localhost); use https://",
        )),
        other => Err(bad(key, format!("must be https://, not {other}://"))),
    }
}

fn secret_key(value: &toml::Value) -> Result<SecretKey, SettingsError> {
    let key = "secret_key";
    let text = value
        .as_str()
        .ok_or_else(|| bad(key, format!("must be a string, not {}", type_name(value))))?
        .trim();
    if text.is_empty() {
        return Err(bad(
            key,
            "is empty; set the account's secret key (sk_…) or remove the line",
        ));
    }
    if text.starts_with("pk_") {
        return Err(bad(
            key,
            "is a public key (pk_…); regi needs the secret key (sk_…)",
        ));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            key,
            "holds spaces or control characters; paste the key alone",
        ));
    }
    Ok(SecretKey::new(text))
}

fn wallet(key: &str, name: &str) -> Result<PaymentMethod, SettingsError> {
    parse_wallet(name).ok_or_else(|| {
        bad(
            key,
            format!(
                "`{}` is not an elepay wallet (e.g. paypay, linepay, merpay)",
                name.trim()
            ),
        )
    })
}

fn wallets(value: &toml::Value) -> Result<Vec<PaymentMethod>, SettingsError> {
    let key = "wallets";
    let list = value.as_array().ok_or_else(|| {
        bad(
            key,
            format!("must be a list of wallets, not {}", type_name(value)),
        )
    })?;
    let mut wallets = Vec::new();
    for item in list {
        let found = wallet(key, string(key, item)?)?;
        if wallets.contains(&found) {
            return Err(bad(key, format!("{found} is listed twice")));
        }
        wallets.push(found);
    }
    if wallets.is_empty() {
        return Err(bad(key, "names no wallet"));
    }
    Ok(wallets)
}

fn whole(key: &str, value: &toml::Value, min: u64, max: u64) -> Result<u64, SettingsError> {
    value
        .as_integer()
        .and_then(|n| u64::try_from(n).ok())
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| bad(key, format!("must be a whole number from {min} to {max}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sk_test_Very5ecretValue";

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    fn parse(text: &str) -> Result<ElepaySettings, SettingsError> {
        ElepaySettings::from_table(&table(text))
    }

    #[test]
    fn a_full_table_is_read_into_settings() {
        let s = parse(&format!(
            r#"
            api_base_url = "http://127.0.0.1:4020/"
            secret_key = "{SECRET}"
            auth = "basic"
            capture = "hold"
            wallets = ["PayPay", "linepay"]
            default_wallet = "paypay"
            timeout_secs = 20
            connect_timeout_secs = 3
            lookup_window_hours = 48
            "#
        ))
        .unwrap();
        assert_eq!(s.api_base_url, "http://127.0.0.1:4020");
        assert_eq!(s.secret_key.as_ref().map(SecretKey::expose), Some(SECRET));
        assert_eq!(s.auth, AuthScheme::Basic);
        assert_eq!(s.capture, CaptureMode::Hold);
        assert_eq!(
            s.wallets,
            vec![
                KnownPaymentMethod::Paypay.into(),
                KnownPaymentMethod::Linepay.into()
            ]
        );
        assert_eq!(s.default_wallet, Some(KnownPaymentMethod::Paypay.into()));
        assert_eq!(s.timeout, Duration::from_secs(20));
        assert_eq!(s.connect_timeout, Duration::from_secs(3));
        assert_eq!(s.lookup_window, Duration::from_secs(48 * 3600));
        assert!(s.is_configured());
        assert!(build_gateway(&s).is_ok());
    }

    #[test]
    fn an_empty_table_takes_the_defaults_and_is_not_configured() {
        let s = parse("").unwrap();
        assert_eq!(s, ElepaySettings::default());
        assert_eq!(s.api_base_url, "https://api.elepay.io");
        assert!(!s.is_configured());
        let err = build_gateway(&s).unwrap_err();
        assert_eq!(err.to_string(), "[elepay] secret_key: is not set");
    }

    #[test]
    fn each_bad_key_is_named_with_a_short_reason() {
        let cases = [
            ("api_key = \"x\"", "api_key"),
            ("api_base_url = \"http://api.elepay.io\"", "api_base_url"),
            ("api_base_url = \"ftp://127.0.0.1\"", "api_base_url"),
            ("api_base_url = \"not a url\"", "api_base_url"),
            ("api_base_url = 4", "api_base_url"),
            ("secret_key = \"\"", "secret_key"),
            ("auth = \"token\"", "auth"),
            ("capture = \"later\"", "capture"),
            ("capture = true", "capture"),
            ("wallets = \"paypay\"", "wallets"),
            ("wallets = []", "wallets"),
            ("wallets = [\"paypai\"]", "wallets"),
            ("wallets = [\"paypay\", \"PAYPAY\"]", "wallets"),
            ("default_wallet = \"paypai\"", "default_wallet"),
            (
                "wallets = [\"linepay\"]\ndefault_wallet = \"paypay\"",
                "default_wallet",
            ),
            ("timeout_secs = 0", "timeout_secs"),
            ("timeout_secs = \"15\"", "timeout_secs"),
            ("connect_timeout_secs = 61", "connect_timeout_secs"),
            ("lookup_window_hours = -1", "lookup_window_hours"),
        ];
        for (text, key) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.key, key, "{text}");
            assert!(
                err.to_string().starts_with(&format!("[elepay] {key}: ")),
                "{err}"
            );
            assert!(err.to_string().chars().count() < 200, "{err}");
        }
    }

    #[test]
    fn plain_http_is_accepted_only_to_this_machine() {
        for url in [
            "http://localhost:4020",
            "http://[::1]:4020",
            "https://api.elepay.io",
        ] {
            assert!(parse(&format!("api_base_url = \"{url}\"")).is_ok(), "{url}");
        }
        let err = parse("api_base_url = \"http://10.0.0.5\"").unwrap_err();
        assert!(err.reason.contains("https://"), "{err}");
    }

    #[test]
    fn the_secret_key_never_appears_in_a_message_or_debug_output() {
        let bad_keys = [
            "secret_key = 12345".to_string(),
            "secret_key = \"pk_test_Very5ecretValue\"".to_string(),
            "secret_key = \"sk_test_Very5ecret Value\"".to_string(),
            format!("secret_key = [\"{SECRET}\"]"),
        ];
        for text in &bad_keys {
            let err = parse(text).unwrap_err();
            assert_eq!(err.key, "secret_key");
            let shown = format!("{err} {err:?}");
            assert!(
                !shown.contains("Very5ecret") && !shown.contains("12345"),
                "{shown}"
            );
        }
        let good = parse(&format!("secret_key = \"{SECRET}\"")).unwrap();
        let gateway = build_gateway(&good).unwrap();
        for shown in [format!("{good:?}"), format!("{gateway:?}")] {
            assert!(!shown.contains("Very5ecret"), "{shown}");
        }
        // A URL refusal after a good key names the URL, not the key.
        let mut insecure = good.clone();
        insecure.api_base_url = "http://api.elepay.io".into();
        let err = build_gateway(&insecure).unwrap_err();
        assert!(!err.to_string().contains("Very5ecret"), "{err}");
    }
}
