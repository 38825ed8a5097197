//! The configuration as this binary loads it: regi-config reads the files, then the provider
//! tables are checked against the providers regi is built with (an unknown section is refused)
//! and each provider's own keys are read, so a bad `[pokepay]` stops every command at start.

use std::path::Path;

use regi_config::{Config, ConfigError};

use crate::providers::PROVIDER_NAMES;

/// `regi.toml` (when given) and the SDK `config.ini` (when given), as every command reads them.
pub fn load(toml_path: Option<&Path>, pokepay_ini: Option<&Path>) -> Result<Config, ConfigError> {
    checked(Config::load(toml_path, pokepay_ini)?)
}

/// TOML text as if read from `path`, checked as [`load`] checks a file.
pub fn from_toml_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
    checked(Config::from_toml_str(text, path)?)
}

fn checked(mut config: Config) -> Result<Config, ConfigError> {
    config.check_providers(PROVIDER_NAMES)?;
    regi_pokepay::PokepayTable::from_table(
        config.provider_table(regi_pokepay::PROVIDER),
        config.source.as_deref(),
    )?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
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
    }
}
