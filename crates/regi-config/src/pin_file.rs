//! Writing the manager PIN into regi.toml for `regi pin set` / `regi pin clear`: the file is edited
//! in place (every other key and comment stays as the owner wrote it) and rewritten readable by
//! its owner only.

use std::path::Path;

use toml_edit::{DocumentMut, TableLike, value};

use crate::{ConfigError, ManagerPinHash, write_private_file};

const SECTION: &str = "ui";
const PLAIN_KEY: &str = "manager_pin";
const HASH_KEY: &str = "manager_pin_hash";
const HASH_COMMENT: &str = "# The manager PIN as an argon2id hash, written by `regi pin set`.\n";

/// Stores `hash` as `[ui] manager_pin_hash` in the TOML file at `path` (created if missing) and
/// removes a plain `manager_pin`.
pub fn write_pin_hash(path: &Path, hash: &ManagerPinHash) -> Result<(), ConfigError> {
    let mut doc = read_document(path)?;
    let ui = ui_table(&mut doc, path)?;
    ui.remove(PLAIN_KEY);
    let new = !ui.contains_key(HASH_KEY);
    ui.insert(HASH_KEY, value(hash.phc()));
    if new && let Some(mut key) = ui.key_mut(HASH_KEY) {
        key.leaf_decor_mut().set_prefix(HASH_COMMENT);
    }
    write(path, &doc)
}

/// Removes the manager PIN (plain or hashed) from the TOML file at `path`; `false` when there was
/// none, and then the file is left untouched.
pub fn remove_pin(path: &Path) -> Result<bool, ConfigError> {
    if !path.exists() {
        return Ok(false);
    }
    let mut doc = read_document(path)?;
    let Some(ui) = doc
        .get_mut(SECTION)
        .and_then(|item| item.as_table_like_mut())
    else {
        return Ok(false);
    };
    let removed = ui.remove(PLAIN_KEY).is_some() | ui.remove(HASH_KEY).is_some();
    if removed {
        write(path, &doc)?;
    }
    Ok(removed)
}

pub(crate) fn read_document(path: &Path) -> Result<DocumentMut, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    text.parse()
        .map_err(|e: toml_edit::TomlError| ConfigError::Toml {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })
}

/// `[ui]`, added at the end of the file when it has none.
fn ui_table<'a>(
    doc: &'a mut DocumentMut,
    path: &Path,
) -> Result<&'a mut dyn TableLike, ConfigError> {
    doc.entry(SECTION)
        .or_insert_with(toml_edit::table)
        .as_table_like_mut()
        .ok_or_else(|| ConfigError::invalid(Some(path), "[ui]", "must be a table"))
}

pub(crate) fn write(path: &Path, doc: &DocumentMut) -> Result<(), ConfigError> {
    write_private_file(path, doc.to_string().as_bytes()).map_err(|source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::{Config, ManagerPin};

    fn hash(digits: &str) -> ManagerPinHash {
        ManagerPinHash::new(&ManagerPin::try_from(digits.to_string()).unwrap()).unwrap()
    }

    const FILE: &str = "# regi at the front till\n\n[terminal]\n# The till's name.\nname = \"レジ1\"\n\n[ui]\n# Language.\nlang = \"en\" # the clerk reads English\n# The PIN.\nmanager_pin = \"2580\"\n\n[sale]\nmax_amount = 50000\n";

    #[test]
    fn setting_the_hash_keeps_the_rest_of_the_file_and_drops_the_plain_pin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regi.toml");
        std::fs::write(&path, FILE).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_pin_hash(&path, &hash("7391")).unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("2580") && !text.contains("manager_pin ="),
            "{text}"
        );
        for kept in [
            "# regi at the front till",
            "# The till's name.",
            "lang = \"en\" # the clerk reads English",
            "[sale]\nmax_amount = 50000",
            "# The manager PIN as an argon2id hash",
        ] {
            assert!(text.contains(kept), "{kept:?} missing from:\n{text}");
        }
        let config = Config::from_toml_str(&text, &path).unwrap();
        assert!(config.ui.stored_pin().unwrap().matches("7391"));
        assert_eq!(config.sale.max_amount.value(), 50000);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        // Setting it again replaces the hash, once.
        write_pin_hash(&path, &hash("1111")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("manager_pin_hash").count(), 1, "{text}");
        let config = Config::from_toml_str(&text, &path).unwrap();
        assert!(config.ui.stored_pin().unwrap().matches("1111"));
    }

    #[test]
    fn a_missing_file_or_section_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regi.toml");
        write_pin_hash(&path, &hash("2468")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[ui]"), "{text}");
        let config = Config::from_toml_str(&text, &path).unwrap();
        assert!(config.ui.stored_pin().unwrap().matches("2468"));
    }

    #[test]
    fn clearing_removes_either_form_and_says_when_there_was_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regi.toml");
        assert!(!remove_pin(&path).unwrap());
        std::fs::write(&path, FILE).unwrap();
        assert!(remove_pin(&path).unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("manager_pin"), "{text}");
        assert!(text.contains("lang = \"en\""), "{text}");
        assert!(!remove_pin(&path).unwrap());
        write_pin_hash(&path, &hash("2468")).unwrap();
        assert!(remove_pin(&path).unwrap());
        let config = Config::from_toml_str(&std::fs::read_to_string(&path).unwrap(), &path);
        assert_eq!(config.unwrap().ui.stored_pin(), None);
    }

    #[test]
    fn a_broken_file_is_left_alone_with_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regi.toml");
        std::fs::write(&path, "[ui\nlang = ").unwrap();
        let err = write_pin_hash(&path, &hash("2468"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("regi.toml"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[ui\nlang = ");
    }
}
