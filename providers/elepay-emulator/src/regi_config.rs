//! The regi configuration that points a register at an emulator: a TOML `[elepay]` table with
//! `api_base_url` and `secret_key`, for `regi sandbox --write-config` to write (0600: it holds
//! the key) and `regi --config` to read.

use regi_elepay::SecretKey;
use serde::Serialize;

#[derive(Serialize)]
struct RegiConfig<'a> {
    elepay: ElepayTable<'a>,
}

#[derive(Serialize)]
struct ElepayTable<'a> {
    api_base_url: &'a str,
    secret_key: &'a str,
}

/// The `[elepay]` table for an emulator at `api_base_url`.
pub fn render_regi_config(api_base_url: &str, secret_key: &SecretKey) -> String {
    let config = RegiConfig {
        elepay: ElepayTable {
            api_base_url,
            secret_key: secret_key.expose(),
        },
    };
    toml::to_string(&config).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_back_with_the_url_and_key() {
        let text = render_regi_config("http://127.0.0.1:4020", &SecretKey::new("sk_test_\"q"));
        let value: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(
            value["elepay"]["api_base_url"].as_str(),
            Some("http://127.0.0.1:4020")
        );
        assert_eq!(value["elepay"]["secret_key"].as_str(), Some("sk_test_\"q"));
    }
}
