//! One table per provider: the Partner API keys in `[pokepay]` (or, as before, `[api]`), every
//! provider's table kept by name for its crate, and `[tenders]` choosing and ordering them, as
//! the binary loads the file.

use std::path::Path;

use regi::config_file::LoadedConfig;
use regi_config::{Config, ConfigError};

const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

fn parse(text: &str) -> Result<LoadedConfig, ConfigError> {
    regi::config_file::from_toml_str(text, Path::new("/etc/regi/regi.toml"))
}

fn enabled(config: &Config) -> Vec<&str> {
    config.tenders.names().collect()
}

#[test]
fn the_partner_api_keys_can_live_in_the_pokepay_table() {
    let config = parse(&format!(
        "[pokepay]\nbase_url = \"https://partnerapi.pokepay.jp\"\nclient_id = \"c1\"\n\
         client_secret = \"{SECRET}\"\nshop_id = \"8b1f0f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\"\n"
    ))
    .unwrap();
    assert_eq!(config.pokepay.api.base_url, "https://partnerapi.pokepay.jp");
    assert_eq!(config.pokepay.api.client_id, "c1");
    assert!(config.has_credentials());
    assert!(config.pokepay.shop_id.is_some());
}

#[test]
fn the_older_api_table_still_works_and_a_key_in_both_is_refused_by_name() {
    let config = parse(&format!(
        "[api]\nbase_url = \"https://partnerapi.pokepay.jp\"\nclient_id = \"c1\"\n\
         client_secret = \"{SECRET}\"\n[pokepay]\ntimeout_secs = 7\n"
    ))
    .unwrap();
    assert!(config.has_credentials());
    assert_eq!(config.pokepay.api.timeout.as_secs(), 7);
    let err = parse("[api]\nclient_id = \"a\"\n[pokepay]\nclient_id = \"b\"\n").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("[pokepay] client_id") && text.contains("[api]"),
        "{text}"
    );
}

#[test]
fn other_providers_tables_are_kept_for_their_crates_and_enable_them_in_order() {
    let config = parse(
        "[komoju]\napi_base_url = \"https://komoju.com/api/v1\"\nsecret_key = \"sk_test_abc\"\n\
         [tenders]\nenabled = [\"komoju\", \"pokepay\"]\n",
    )
    .unwrap();
    assert_eq!(enabled(&config), ["komoju", "pokepay"]);
    let komoju = config.provider_table("komoju").expect("the [komoju] table");
    assert_eq!(komoju["secret_key"].as_str(), Some("sk_test_abc"));
    let shown = format!("{config:?}");
    assert!(!shown.contains("sk_test_abc"), "{shown}");
}

#[test]
fn without_tenders_pokepay_comes_first_then_every_configured_provider() {
    assert_eq!(enabled(&parse("").unwrap()), ["pokepay"]);
    let config = parse("[elepay]\nsecret_key = \"x\"\n").unwrap();
    assert_eq!(enabled(&config), ["pokepay", "elepay"]);
    let config = parse("[elepay]\nsecret_key = \"x\"\n[komoju]\nsecret_key = \"y\"\n").unwrap();
    assert_eq!(enabled(&config), ["pokepay", "komoju", "elepay"]);
}

#[test]
fn an_enabled_provider_without_its_table_is_a_configuration_error() {
    let err = parse("[tenders]\nenabled = [\"elepay\"]\n").unwrap_err();
    assert!(err.to_string().contains("has no [elepay] table"), "{err}");
}

#[test]
fn the_examples_komoju_and_elepay_tables_read_when_uncommented() {
    let example = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config/regi.example.toml"),
    )
    .unwrap();
    let start = example
        .find("# [komoju]")
        .expect("the commented [komoju] table");
    let tables: String = example[start..]
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| !l.starts_with("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    let config = parse(&format!(
        "[tenders]\nenabled = [\"komoju\", \"elepay\"]\n{tables}"
    ))
    .unwrap();
    let komoju = regi_komoju::KomojuSettings::from_table(config.provider_table("komoju").unwrap());
    assert!(komoju.is_ok(), "{:?}", komoju.err());
    let elepay = regi_elepay::ElepaySettings::from_table(config.provider_table("elepay").unwrap());
    assert!(elepay.is_ok(), "{:?}", elepay.err());
}

#[test]
fn a_misspelt_provider_table_is_refused_naming_it_and_every_section_there_is() {
    let err = parse("[komojuu]\nsecret_key = \"sk_test_abc\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("regi.toml: line 1, [komojuu]: unknown section"),
        "{err}"
    );
    assert!(
        err.contains("[komoju]") && err.contains("[elepay]"),
        "{err}"
    );
    assert!(!err.contains("sk_test_abc"), "{err}");
}

#[test]
fn a_provider_unknown_to_the_binary_cannot_be_enabled() {
    let err = parse("[tenders]\nenabled = [\"paypal\"]\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown provider \"paypal\"; expected one of pokepay, komoju, elepay"),
        "{err}"
    );
}

#[test]
fn the_cashtray_lifetime_is_read_from_the_pokepay_table_beside_the_older_api_table() {
    let config = parse(&format!(
        "[api]\nbase_url = \"https://partnerapi.pokepay.jp\"\nclient_id = \"c1\"\n\
         client_secret = \"{SECRET}\"\n[pokepay]\ncashtray_expires_in_secs = 120\n"
    ))
    .unwrap();
    assert!(config.has_credentials());
    assert_eq!(
        config.pokepay.cashtray_expires_in,
        std::time::Duration::from_secs(120)
    );
    assert_eq!(
        parse("").unwrap().pokepay.cashtray_expires_in,
        std::time::Duration::from_secs(300)
    );
    let err = parse("[pokepay]\ncashtray_expires_in_secs = 0\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("[pokepay] cashtray_expires_in_secs: must be at least 1 second"),
        "{err}"
    );
}
