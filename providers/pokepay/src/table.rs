//! `[pokepay]` of `regi.toml`, read from the table the configuration keeps by name: how long a
//! merchant QR (Cashtray) lives. The Partner API keys and the shop written in the same table are
//! read together with `[api]` by the configuration; they are listed here too, so that a key
//! nobody reads (a typo) is still refused.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use serde::de::IgnoredAny;

use regi_config::ConfigError;

/// The Cashtray lifetime when `[pokepay]` does not set one: the API's own default, 1800 s, is
/// too long at a till.
const DEFAULT_CASHTRAY_EXPIRES_IN_SECS: u32 = 300;

/// What this crate reads from `[pokepay]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PokepayTable {
    /// Lifetime of a merchant-presented QR.
    pub cashtray_expires_in: Duration,
}

impl Default for PokepayTable {
    fn default() -> Self {
        Self {
            cashtray_expires_in: Duration::from_secs(u64::from(DEFAULT_CASHTRAY_EXPIRES_IN_SECS)),
        }
    }
}

/// `[pokepay]` as written. The keys read elsewhere are taken as anything and never kept, so no
/// value (a secret among them) reaches a message.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct Written {
    cashtray_expires_in_secs: Option<u32>,
    shop_id: Option<IgnoredAny>,
    private_money_id: Option<IgnoredAny>,
    base_url: Option<IgnoredAny>,
    client_id: Option<IgnoredAny>,
    client_secret: Option<IgnoredAny>,
    client_secret_file: Option<IgnoredAny>,
    tls_cert_file: Option<IgnoredAny>,
    tls_key_file: Option<IgnoredAny>,
    tls_ca_file: Option<IgnoredAny>,
    connect_timeout_secs: Option<IgnoredAny>,
    timeout_secs: Option<IgnoredAny>,
    max_retries: Option<IgnoredAny>,
    timezone: Option<IgnoredAny>,
    accept_language: Option<IgnoredAny>,
    proxy: Option<IgnoredAny>,
}

impl PokepayTable {
    /// Reads `[pokepay]` (none: every default) of the file at `origin`. An unknown key, a value of
    /// the wrong type and a lifetime of 0 are errors naming the key.
    pub fn from_table(
        table: Option<&toml::Table>,
        origin: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let Some(table) = table else {
            return Ok(Self::default());
        };
        let written: Written =
            toml::Value::Table(table.clone())
                .try_into()
                .map_err(|e: toml::de::Error| {
                    ConfigError::invalid(origin, "[pokepay]", e.message().trim_end().to_string())
                })?;
        let secs = written
            .cashtray_expires_in_secs
            .unwrap_or(DEFAULT_CASHTRAY_EXPIRES_IN_SECS);
        if secs == 0 {
            return Err(ConfigError::invalid(
                origin,
                "[pokepay] cashtray_expires_in_secs",
                "must be at least 1 second",
            ));
        }
        Ok(Self {
            cashtray_expires_in: Duration::from_secs(u64::from(secs)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<PokepayTable, ConfigError> {
        let table: toml::Table = toml::from_str(text).unwrap();
        PokepayTable::from_table(Some(&table), Some(Path::new("/etc/regi/regi.toml")))
    }

    #[test]
    fn without_the_key_or_the_table_a_cashtray_lives_five_minutes() {
        let five_minutes = Duration::from_secs(300);
        assert_eq!(read("").unwrap().cashtray_expires_in, five_minutes);
        let none = PokepayTable::from_table(None, None).unwrap();
        assert_eq!(none.cashtray_expires_in, five_minutes);
    }

    #[test]
    fn the_lifetime_is_read_beside_the_keys_the_configuration_reads() {
        let table = read(
            "cashtray_expires_in_secs = 120\nshop_id = \"8b1f0f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\"\n\
             client_secret = \"s3cr3t\"\ntimeout_secs = 7\n",
        )
        .unwrap();
        assert_eq!(table.cashtray_expires_in, Duration::from_secs(120));
    }

    #[test]
    fn a_lifetime_of_zero_is_refused_naming_the_key_and_the_file() {
        let err = read("cashtray_expires_in_secs = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("regi.toml: [pokepay] cashtray_expires_in_secs: must be at least 1"),
            "{err}"
        );
    }

    #[test]
    fn a_key_nobody_reads_is_refused_by_name_without_its_value() {
        let err = read("client_sercet = \"s3cr3t\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[pokepay]") && err.contains("client_sercet"),
            "{err}"
        );
        assert!(!err.contains("s3cr3t"), "{err}");
    }
}
