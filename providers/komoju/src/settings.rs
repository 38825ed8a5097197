//! The `[komoju]` table of `regi.toml`: read from the raw TOML table the configuration hands over,
//! checked with a short message in the clerk's language for each bad key (never showing the
//! secret key, nor a URL that might hold it), and turned into a gateway.
//!
//! ```toml
//! [komoju]
//! secret_key = "sk_live_…"                       # required
//! api_base_url = "https://komoju.com/api/v1"     # plain http only to this machine (the emulator)
//! payment_types = ["paypay", "linepay"]          # what the page offers; omit for every method
//! capture = "auto"                               # "manual": capture at once; "hold": the clerk captures later
//! default_locale = "ja"                          # ja, en or ko
//! timeout_secs = 20
//! connect_timeout_secs = 5
//! ```

use std::time::Duration;

use regi_core::lang::Lang;

use crate::adapter::{KomojuGateway, SessionOptions};
use crate::client::PRODUCTION_API_BASE_URL;
use crate::error::ConfigurationError;
use crate::payment_types::is_payment_type;
use crate::wire::{CaptureMode, Locale};
use crate::{Client, ClientSettings, SecretKey};

/// The keys the table may hold; any other is a typo and an error.
pub const KEYS: [&str; 7] = [
    "secret_key",
    "api_base_url",
    "payment_types",
    "capture",
    "default_locale",
    "timeout_secs",
    "connect_timeout_secs",
];

/// The checked `[komoju]` table. `Debug` masks the key.
#[derive(Debug, Clone, PartialEq)]
pub struct KomojuSettings {
    pub api_base_url: String,
    pub secret_key: SecretKey,
    pub payment_types: Vec<String>,
    pub capture: CaptureMode,
    /// `capture = "hold"`: every payment is held until the clerk captures it.
    pub hold: bool,
    pub default_locale: Locale,
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

/// What is wrong with the table. No variant carries a value from the file: only key names and
/// the values allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    UnknownKey(String),
    MissingSecretKey,
    NotText(&'static str),
    NotList(&'static str),
    /// An entry of `payment_types` that is not a lowercase code such as `paypay`.
    BadPaymentType,
    BadChoice {
        key: &'static str,
        allowed: &'static str,
    },
    OutOfRange {
        key: &'static str,
        min: i64,
        max: i64,
    },
    NotUrl,
    /// Plain http to another machine would send the key and payments in the clear.
    InsecureUrl,
    /// A URL with a user or password in it: the key belongs in `secret_key`.
    CredentialsInUrl,
}

impl SettingsError {
    /// The message for the clerk or the installer, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            SettingsError::UnknownKey(key) if ja => format!("[komoju] {key} は不明な項目です"),
            SettingsError::UnknownKey(key) => format!("[komoju] {key} is not a known key"),
            SettingsError::MissingSecretKey if ja => {
                "[komoju] secret_key (KOMOJUのシークレットキー) を設定してください".into()
            }
            SettingsError::MissingSecretKey => {
                "[komoju] secret_key (the KOMOJU secret key) is not set".into()
            }
            SettingsError::NotText(key) if ja => format!("[komoju] {key} は文字列で書いてください"),
            SettingsError::NotText(key) => format!("[komoju] {key} must be a string"),
            SettingsError::NotList(key) if ja => {
                format!("[komoju] {key} は文字列の配列で書いてください (例: [\"paypay\"])")
            }
            SettingsError::NotList(key) => {
                format!("[komoju] {key} must be a list of strings (e.g. [\"paypay\"])")
            }
            SettingsError::BadPaymentType if ja => {
                "[komoju] payment_types には paypay のような小文字の支払い方法名を書いてください"
                    .into()
            }
            SettingsError::BadPaymentType => {
                "[komoju] payment_types takes lowercase payment type codes such as paypay".into()
            }
            SettingsError::BadChoice { key, allowed } if ja => {
                format!("[komoju] {key} は {allowed} のどれかです")
            }
            SettingsError::BadChoice { key, allowed } => {
                format!("[komoju] {key} must be one of {allowed}")
            }
            SettingsError::OutOfRange { key, min, max } if ja => {
                format!("[komoju] {key} は {min} から {max} の整数です")
            }
            SettingsError::OutOfRange { key, min, max } => {
                format!("[komoju] {key} must be a whole number from {min} to {max}")
            }
            SettingsError::NotUrl if ja => {
                "[komoju] api_base_url が URL ではありません (例: https://komoju.com/api/v1)".into()
            }
            SettingsError::NotUrl => {
                "[komoju] api_base_url is not a URL (e.g. https://komoju.com/api/v1)".into()
            }
            SettingsError::InsecureUrl if ja => {
                "[komoju] api_base_url は https にしてください (http はこのパソコンの中だけ)".into()
            }
            SettingsError::InsecureUrl => {
                "[komoju] api_base_url must use https (plain http only to this machine)".into()
            }
            SettingsError::CredentialsInUrl if ja => {
                "[komoju] api_base_url に認証情報を入れないでください (キーは secret_key へ)".into()
            }
            SettingsError::CredentialsInUrl => {
                "[komoju] api_base_url must not hold credentials (the key goes in secret_key)"
                    .into()
            }
        }
    }
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for SettingsError {}

impl KomojuSettings {
    /// Reads and checks the `[komoju]` table.
    pub fn from_table(table: &toml::Table) -> Result<KomojuSettings, SettingsError> {
        if let Some(key) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(SettingsError::UnknownKey(key.clone()));
        }
        let secret_key = match table.get("secret_key") {
            None => return Err(SettingsError::MissingSecretKey),
            Some(toml::Value::String(key)) => SecretKey::new(key.as_str()),
            Some(_) => return Err(SettingsError::NotText("secret_key")),
        };
        if secret_key.is_empty() {
            return Err(SettingsError::MissingSecretKey);
        }
        let api_base_url = match text(table, "api_base_url")? {
            Some(url) => checked_url(url.trim())?,
            None => PRODUCTION_API_BASE_URL.to_string(),
        };
        let payment_types = match table.get("payment_types") {
            None => Vec::new(),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    toml::Value::String(t) if is_payment_type(t.trim()) => Ok(t.trim().to_string()),
                    toml::Value::String(_) => Err(SettingsError::BadPaymentType),
                    _ => Err(SettingsError::NotList("payment_types")),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(SettingsError::NotList("payment_types")),
        };
        let (capture, hold) = match text(table, "capture")?.map(str::trim) {
            None | Some("auto") => (CaptureMode::Auto, false),
            Some("manual") => (CaptureMode::Manual, false),
            Some("hold") => (CaptureMode::Manual, true),
            Some(_) => {
                return Err(SettingsError::BadChoice {
                    key: "capture",
                    allowed: "auto, manual, hold",
                });
            }
        };
        let default_locale = match text(table, "default_locale")?.map(str::trim) {
            None | Some("ja") => Locale::Ja,
            Some("en") => Locale::En,
            Some("ko") => Locale::Ko,
            Some(_) => {
                return Err(SettingsError::BadChoice {
                    key: "default_locale",
                    allowed: "ja, en, ko",
                });
            }
        };
        Ok(KomojuSettings {
            api_base_url,
            secret_key,
            payment_types,
            capture,
            hold,
            default_locale,
            timeout: seconds(table, "timeout_secs", 20, 300)?,
            connect_timeout: seconds(table, "connect_timeout_secs", 5, 60)?,
        })
    }

    /// What the HTTP client needs.
    pub fn client_settings(&self) -> ClientSettings {
        let mut settings = ClientSettings::new(&self.api_base_url, self.secret_key.clone());
        settings.timeout = self.timeout;
        settings.connect_timeout = self.connect_timeout;
        settings
    }

    /// How sessions are made.
    pub fn session_options(&self) -> SessionOptions {
        SessionOptions {
            payment_types: self.payment_types.clone(),
            capture: self.capture,
            hold: self.hold,
            default_locale: self.default_locale,
            ..SessionOptions::default()
        }
    }
}

/// The gateway the settings describe.
pub fn build_gateway(settings: &KomojuSettings) -> Result<KomojuGateway, ConfigurationError> {
    let client = Client::new(&settings.client_settings())?;
    Ok(KomojuGateway::new(client, settings.session_options()))
}

fn text<'t>(table: &'t toml::Table, key: &'static str) -> Result<Option<&'t str>, SettingsError> {
    match table.get(key) {
        None => Ok(None),
        Some(toml::Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(SettingsError::NotText(key)),
    }
}

fn seconds(
    table: &toml::Table,
    key: &'static str,
    default: u64,
    max: i64,
) -> Result<Duration, SettingsError> {
    match table.get(key) {
        None => Ok(Duration::from_secs(default)),
        Some(toml::Value::Integer(n)) if (1..=max).contains(n) => {
            Ok(Duration::from_secs(n.unsigned_abs()))
        }
        Some(_) => Err(SettingsError::OutOfRange { key, min: 1, max }),
    }
}

/// https anywhere, plain http only to this machine; no credentials, query or fragment.
fn checked_url(url: &str) -> Result<String, SettingsError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| SettingsError::NotUrl)?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(SettingsError::CredentialsInUrl);
    }
    if parsed.host().is_none() || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(SettingsError::NotUrl);
    }
    match parsed.scheme() {
        "https" => Ok(url.to_string()),
        "http" if regi_config::is_loopback_url(&parsed) => Ok(url.to_string()),
        "http" => Err(SettingsError::InsecureUrl),
        _ => Err(SettingsError::NotUrl),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sk_live_hunter2hunter2";

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    fn error(text: &str) -> SettingsError {
        KomojuSettings::from_table(&table(text)).unwrap_err()
    }

    #[test]
    fn a_full_table_is_read_and_the_key_is_masked() {
        let settings = KomojuSettings::from_table(&table(&format!(
            r#"
            secret_key = "{SECRET}"
            api_base_url = "http://127.0.0.1:4010/api/v1"
            payment_types = ["paypay", "credit_card"]
            capture = "manual"
            default_locale = "en"
            timeout_secs = 30
            connect_timeout_secs = 3
            "#
        )))
        .unwrap();
        assert_eq!(settings.api_base_url, "http://127.0.0.1:4010/api/v1");
        assert_eq!(settings.secret_key.expose(), SECRET);
        assert_eq!(settings.payment_types, ["paypay", "credit_card"]);
        assert_eq!(settings.capture, CaptureMode::Manual);
        assert_eq!(settings.default_locale, Locale::En);
        assert_eq!(settings.timeout, Duration::from_secs(30));
        assert_eq!(settings.connect_timeout, Duration::from_secs(3));
        let shown = format!("{settings:?} {settings:#?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(build_gateway(&settings).is_ok());
    }

    #[test]
    fn capture_hold_makes_every_session_held_for_the_clerks_capture() {
        use regi_payment::PaymentGateway as _;
        let settings = KomojuSettings::from_table(&table(&format!(
            "secret_key = \"{SECRET}\"\ncapture = \"hold\""
        )))
        .unwrap();
        assert_eq!(
            (settings.capture, settings.hold),
            (CaptureMode::Manual, true)
        );
        let gateway = build_gateway(&settings).unwrap();
        assert!(gateway.capabilities().holds_by_default);
        let manual = KomojuSettings::from_table(&table(&format!(
            "secret_key = \"{SECRET}\"\ncapture = \"manual\""
        )))
        .unwrap();
        assert!(
            !build_gateway(&manual)
                .unwrap()
                .capabilities()
                .holds_by_default
        );
    }

    #[test]
    fn only_the_key_is_required_and_the_rest_defaults_to_production() {
        let settings =
            KomojuSettings::from_table(&table(&format!("secret_key = '{SECRET}'"))).unwrap();
        assert_eq!(settings.api_base_url, PRODUCTION_API_BASE_URL);
        assert!(settings.payment_types.is_empty());
        assert_eq!(settings.capture, CaptureMode::Auto);
        assert_eq!(settings.default_locale, Locale::Ja);
        assert_eq!(settings.session_options().create_tries, 3);
    }

    #[test]
    fn each_bad_key_gets_its_own_message_in_both_languages() {
        let key = format!("secret_key = '{SECRET}'\n");
        let cases = [
            ("".to_string(), SettingsError::MissingSecretKey),
            (
                "secret_key = '  '".to_string(),
                SettingsError::MissingSecretKey,
            ),
            (
                "secret_key = 42".to_string(),
                SettingsError::NotText("secret_key"),
            ),
            (
                format!("{key}secret = 'x'"),
                SettingsError::UnknownKey("secret".into()),
            ),
            (
                format!("{key}api_base_url = 7"),
                SettingsError::NotText("api_base_url"),
            ),
            (
                format!("{key}api_base_url = 'komoju.com'"),
                SettingsError::NotUrl,
            ),
            (
                format!("{key}api_base_url = 'ftp://komoju.com'"),
                SettingsError::NotUrl,
            ),
            (
                format!("{key}api_base_url = 'http://komoju.com/api/v1'"),
                SettingsError::InsecureUrl,
            ),
            (
                format!("{key}api_base_url = 'https://{SECRET}:@komoju.com/api/v1'"),
                SettingsError::CredentialsInUrl,
            ),
            (
                format!("{key}payment_types = 'paypay'"),
                SettingsError::NotList("payment_types"),
            ),
            (
                format!("{key}payment_types = [1]"),
                SettingsError::NotList("payment_types"),
            ),
            (
                format!("{key}payment_types = ['Pay Pay']"),
                SettingsError::BadPaymentType,
            ),
            (
                format!("{key}capture = 'later'"),
                SettingsError::BadChoice {
                    key: "capture",
                    allowed: "auto, manual, hold",
                },
            ),
            (
                format!("{key}default_locale = 'fr'"),
                SettingsError::BadChoice {
                    key: "default_locale",
                    allowed: "ja, en, ko",
                },
            ),
            (
                format!("{key}timeout_secs = 0"),
                SettingsError::OutOfRange {
                    key: "timeout_secs",
                    min: 1,
                    max: 300,
                },
            ),
            (
                format!("{key}connect_timeout_secs = '5'"),
                SettingsError::OutOfRange {
                    key: "connect_timeout_secs",
                    min: 1,
                    max: 60,
                },
            ),
        ];
        for (text, expected) in cases {
            let got = error(&text);
            assert_eq!(got, expected, "{text}");
            let (ja, en) = (got.text(Lang::Ja), got.text(Lang::En));
            assert!(
                ja.starts_with("[komoju]") && en.starts_with("[komoju]"),
                "{en}"
            );
            assert_ne!(ja, en);
            for message in [ja, en, got.to_string(), format!("{got:?}")] {
                assert!(!message.contains("hunter2"), "{message}");
            }
        }
    }

    #[test]
    fn plain_http_is_accepted_to_this_machine_only() {
        for url in [
            "http://127.0.0.1:4010/api/v1",
            "http://localhost:4010/api/v1",
            "http://[::1]:4010/api/v1",
            "https://komoju.com/api/v1",
        ] {
            let text = format!("secret_key = '{SECRET}'\napi_base_url = '{url}'");
            assert!(KomojuSettings::from_table(&table(&text)).is_ok(), "{url}");
        }
    }
}
