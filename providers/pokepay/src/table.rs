//! `[pokepay]` of `regi.toml` as written, read from the table the configuration keeps by name:
//! the shop and money, how long a merchant QR (Cashtray) lives, and the Partner API keys, which
//! may also be written in `[api]` (their older place, a table of its own kept the same way).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use uuid::Uuid;

use regi_config::ConfigError;

use crate::api_settings::ApiSection;

/// The Cashtray lifetime when `[pokepay]` does not set one: the API's own default, 1800 s, is
/// too long at a till.
pub(crate) const DEFAULT_CASHTRAY_EXPIRES_IN_SECS: u32 = 300;

/// `[pokepay]` as written. Not `Debug`: it may hold the secret in clear.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct PokepaySection {
    cashtray_expires_in_secs: Option<u32>,
    shop_id: Option<Uuid>,
    private_money_id: Option<Uuid>,
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_secret_file: Option<PathBuf>,
    tls_cert_file: Option<PathBuf>,
    tls_key_file: Option<PathBuf>,
    tls_ca_file: Option<PathBuf>,
    connect_timeout_secs: Option<u64>,
    timeout_secs: Option<u64>,
    max_retries: Option<u32>,
    timezone: Option<String>,
    accept_language: Option<String>,
    proxy: Option<String>,
}

/// What `[pokepay]` says besides the API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShopTable {
    pub(crate) shop_id: Option<Uuid>,
    pub(crate) private_money_id: Option<Uuid>,
    pub(crate) cashtray_expires_in: Duration,
}

impl PokepaySection {
    /// The shop settings, and the API keys of `[pokepay]` and `[api]` together; a key set in both
    /// is an error (which one should win is not for regi to guess), and so is a Cashtray
    /// lifetime of 0.
    pub(crate) fn split(
        self,
        api: ApiSection,
        origin: Option<&Path>,
    ) -> Result<(ApiSection, ShopTable), ConfigError> {
        let secs = self
            .cashtray_expires_in_secs
            .unwrap_or(DEFAULT_CASHTRAY_EXPIRES_IN_SECS);
        if secs == 0 {
            return Err(ConfigError::invalid(
                origin,
                "[pokepay] cashtray_expires_in_secs",
                "must be at least 1 second",
            ));
        }
        let shop = ShopTable {
            shop_id: self.shop_id,
            private_money_id: self.private_money_id,
            cashtray_expires_in: Duration::from_secs(u64::from(secs)),
        };
        let mut twice = None;
        let mut one = |key: &'static str, new: Option<_>, old: Option<_>| {
            if new.is_some() && old.is_some() {
                twice.get_or_insert(key);
            }
            new.or(old)
        };
        let merged = ApiSection {
            base_url: one("base_url", self.base_url, api.base_url),
            client_id: one("client_id", self.client_id, api.client_id),
            client_secret: one("client_secret", self.client_secret, api.client_secret),
            accept_language: one("accept_language", self.accept_language, api.accept_language),
            timezone: one("timezone", self.timezone, api.timezone),
            proxy: one("proxy", self.proxy, api.proxy),
            ..ApiSection::default()
        };
        let mut one_path = |key: &'static str, new: Option<PathBuf>, old: Option<PathBuf>| {
            if new.is_some() && old.is_some() {
                twice.get_or_insert(key);
            }
            new.or(old)
        };
        let merged = ApiSection {
            client_secret_file: one_path(
                "client_secret_file",
                self.client_secret_file,
                api.client_secret_file,
            ),
            tls_cert_file: one_path("tls_cert_file", self.tls_cert_file, api.tls_cert_file),
            tls_key_file: one_path("tls_key_file", self.tls_key_file, api.tls_key_file),
            tls_ca_file: one_path("tls_ca_file", self.tls_ca_file, api.tls_ca_file),
            ..merged
        };
        let mut one_number = |key: &'static str, new: Option<u64>, old: Option<u64>| {
            if new.is_some() && old.is_some() {
                twice.get_or_insert(key);
            }
            new.or(old)
        };
        let merged = ApiSection {
            connect_timeout_secs: one_number(
                "connect_timeout_secs",
                self.connect_timeout_secs,
                api.connect_timeout_secs,
            ),
            timeout_secs: one_number("timeout_secs", self.timeout_secs, api.timeout_secs),
            max_retries: one_number(
                "max_retries",
                self.max_retries.map(u64::from),
                api.max_retries.map(u64::from),
            )
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            ..merged
        };
        match twice {
            Some(key) => Err(ConfigError::invalid(
                origin,
                format!("[pokepay] {key}"),
                "also set in [api]; keep it in [pokepay] only",
            )),
            None => Ok((merged, shop)),
        }
    }
}
