//! Which configuration keys hold secrets, so errors and checks can treat them apart: never echo
//! their values, and insist that a file holding one is readable by its owner only.

use std::path::{Path, PathBuf};

/// Whether a key holds a secret: the client secret, the manager PIN (or its hash), a password.
/// Matched loosely so a future `*_secret` or `*_pin` key is covered without touching this file.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    let key = key.to_ascii_lowercase();
    key.contains("secret")
        || key.contains("password")
        || key == "pin"
        || key.starts_with("pin_")
        || key.ends_with("_pin")
        || key.contains("_pin_")
}

/// The secret keys given a value in `text`, a `regi.toml` or an SDK `config.ini` (both write
/// `key = value` lines). A key naming a file that holds the secret (`client_secret_file`) is not
/// itself a secret.
pub fn secrets_set_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with(['#', ';', '[']) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_ascii_lowercase();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if is_secret_key(&key)
            && !key.ends_with("_file")
            && !value.is_empty()
            && !found.contains(&key)
        {
            found.push(key);
        }
    }
    found
}

/// The files `text` (read from `origin`) names as holding a secret, e.g. `client_secret_file`,
/// resolved against `origin`'s directory.
pub fn secret_files_named_in(text: &str, origin: &Path) -> Vec<PathBuf> {
    let dir = origin.parent().unwrap_or(Path::new(""));
    text.lines()
        .filter_map(|line| line.trim().split_once('='))
        .filter_map(|(key, value)| {
            let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            let names_a_secret = is_secret_key(key) && key.to_ascii_lowercase().ends_with("_file");
            (names_a_secret && !key.starts_with(['#', ';']) && !value.is_empty())
                .then(|| crate::relative_paths::resolve(dir, Path::new(value)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_names_are_recognised() {
        for key in [
            "client_secret",
            "manager_pin",
            "manager_pin_hash",
            "\"client_secret\"",
            "db_password",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["client_id", "lang", "spinner", "shipping", "base_url"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn secrets_set_in_toml_and_ini_files_are_found() {
        assert_eq!(
            secrets_set_in("[api]\nclient_secret = \"x\"\n[ui]\nmanager_pin = \"2580\"\n"),
            vec!["client_secret", "manager_pin"]
        );
        assert_eq!(
            secrets_set_in("[global]\nCLIENT_SECRET = abc\n"),
            vec!["client_secret"]
        );
        assert!(
            secrets_set_in(
                "client_secret_file = \"s\"\n# client_secret = \"x\"\nCLIENT_SECRET =\n"
            )
            .is_empty()
        );
    }
}
