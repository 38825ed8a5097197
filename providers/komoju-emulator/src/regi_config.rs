//! The `[komoju]` table of a regi configuration file pointing at an emulator, for
//! `regi sandbox --provider komoju --write-config PATH`: `regi --config PATH` then runs against
//! the emulator as is. The file holds the secret key, so it is written owner-only.

use std::path::Path;

use regi_komoju::SecretKey;
use serde::Serialize;

#[derive(Serialize)]
struct File<'a> {
    komoju: Table<'a>,
}

#[derive(Serialize)]
struct Table<'a> {
    api_base_url: &'a str,
    secret_key: &'a str,
}

/// `[komoju]` with `api_base_url` (ending in `/api/v1`) and `secret_key`, as TOML text.
pub fn render_regi_config(api_base_url: &str, secret_key: &SecretKey) -> String {
    let file = File {
        komoju: Table {
            api_base_url,
            secret_key: secret_key.expose(),
        },
    };
    toml::to_string(&file).unwrap_or_default()
}

/// Writes `text` to `path`, readable by its owner only.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    regi_emulator_kit::persist::write_private(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_back_with_both_keys() {
        let text = render_regi_config(
            "http://127.0.0.1:4010/api/v1",
            &SecretKey::new("sk_test_a\"b"),
        );
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(
            parsed["komoju"]["api_base_url"].as_str(),
            Some("http://127.0.0.1:4010/api/v1")
        );
        assert_eq!(
            parsed["komoju"]["secret_key"].as_str(),
            Some("sk_test_a\"b")
        );
    }
}
