//! The configuration as this binary loads it: regi-config reads `regi.toml`, then the provider
//! tables are checked against the providers regi is built with (an unknown section is refused)
//! and Pokepay reads its own settings (`[pokepay]`, the older `[api]`, an SDK `config.ini`), so a
//! bad `[pokepay]` stops every command at start.

use std::ops::Deref;
use std::path::Path;

use regi_config::{Config, ConfigError};
use regi_pokepay::PokepaySettings;

use crate::provider_names::PROVIDER_NAMES;

/// The neutral configuration with Pokepay's settings read from it. It derefs to the [`Config`],
/// so code that needs no provider settings takes `&Config` as before.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedConfig {
    pub config: Config,
    /// `[pokepay]` (or `[api]`) overlaid with the SDK `config.ini`; `Debug` masks the secret.
    pub pokepay: PokepaySettings,
}

impl Deref for LoadedConfig {
    type Target = Config;

    fn deref(&self) -> &Config {
        &self.config
    }
}

impl LoadedConfig {
    /// Client id, secret and base URL of the Partner API are all present: live Pokepay payments
    /// are possible (without them the till trains).
    pub fn has_credentials(&self) -> bool {
        self.pokepay.has_credentials()
    }
}

/// `regi.toml` (when given) and the SDK `config.ini` (when given), as every command reads them.
pub fn load(
    toml_path: Option<&Path>,
    pokepay_ini: Option<&Path>,
) -> Result<LoadedConfig, ConfigError> {
    checked(Config::load(toml_path)?, pokepay_ini)
}

/// TOML text as if read from `path`, checked as [`load`] checks a file (without an SDK file).
pub fn from_toml_str(text: &str, path: &Path) -> Result<LoadedConfig, ConfigError> {
    checked(Config::from_toml_str(text, path)?, None)
}

fn checked(mut config: Config, pokepay_ini: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    config.check_providers(PROVIDER_NAMES)?;
    let pokepay = PokepaySettings::from_config(&config, pokepay_ini)?;
    Ok(LoadedConfig { config, pokepay })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LoadedConfig, ConfigError> {
        from_toml_str(text, Path::new("/etc/regi/regi.toml"))
    }

    #[test]
    fn a_misspelt_provider_section_is_refused_naming_it_and_the_known_ones() {
        let err = parse("[komojuu]\nsecret_key = \"sk_test_x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "/etc/regi/regi.toml: line 1, [komojuu]: unknown section; expected one of"
            ),
            "{err}"
        );
        for known in ["[komoju]", "[elepay]", "[pokepay]", "[printer]", "[api]"] {
            assert!(err.contains(known), "{known}: {err}");
        }
        assert!(!err.contains("sk_test_x"), "{err}");
    }

    #[test]
    fn the_older_api_table_is_read_by_pokepay_and_is_no_provider() {
        let config = parse("[api]\ntimeout_secs = 7\n").unwrap();
        assert_eq!(config.pokepay.api.timeout.as_secs(), 7);
        assert_eq!(config.tenders.names().collect::<Vec<_>>(), ["pokepay"]);
        let err = parse("[api]\nclient_sercet = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[api] client_sercet"), "{err}");
    }

    #[test]
    fn a_cashtray_lifetime_of_zero_is_refused_at_load() {
        let err = parse("[pokepay]\ncashtray_expires_in_secs = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[pokepay] cashtray_expires_in_secs: must be at least 1 second"),
            "{err}"
        );
    }

    #[test]
    fn a_key_in_pokepay_that_nobody_reads_is_refused_at_load() {
        let err = parse("[pokepay]\nshop_idd = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[pokepay]") && err.contains("shop_idd"),
            "{err}"
        );
    }

    #[test]
    fn every_provider_is_known_and_pokepay_alone_is_enabled_without_tables() {
        let config = parse("").unwrap();
        assert_eq!(config.tenders.names().collect::<Vec<_>>(), ["pokepay"]);
        let config = load(None, None).unwrap();
        assert_eq!(config.tenders.names().collect::<Vec<_>>(), ["pokepay"]);
        assert!(!config.has_credentials());
    }
}
