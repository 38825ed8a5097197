//! Writing `[[staff]]` into regi.toml for `regi staff add` / `regi staff remove`: the file is
//! edited in place (every other key and comment stays) and rewritten readable by its owner only.

use std::path::Path;

use toml_edit::{ArrayOfTables, Item, Table, value};

use crate::pin_file::{read_document, write};
use crate::{ConfigError, ManagerPinHash};
use regi_core::records::StaffRole;

const SECTION: &str = "staff";

/// Adds member `code` (or replaces the one with that code) with its name, role, PIN hash and
/// card.
pub fn write_staff(
    path: &Path,
    code: &str,
    name: &str,
    role: StaffRole,
    pin: &ManagerPinHash,
    card: Option<&str>,
) -> Result<(), ConfigError> {
    let mut doc = read_document(path)?;
    let staff = staff_array(&mut doc, path)?;
    let mut table = Table::new();
    table.insert("code", value(code));
    table.insert("name", value(name));
    table.insert("role", value(role.as_str()));
    table.insert("pin_hash", value(pin.phc()));
    if let Some(card) = card {
        table.insert("card", value(card));
    }
    match position(staff, code) {
        Some(index) => {
            if let Some(slot) = staff.get_mut(index) {
                *slot = table;
            }
        }
        None => staff.push(table),
    }
    write(path, &doc)
}

/// Removes member `code`; `false` when there was none (the file then untouched).
pub fn remove_staff(path: &Path, code: &str) -> Result<bool, ConfigError> {
    if !path.exists() {
        return Ok(false);
    }
    let mut doc = read_document(path)?;
    let staff = staff_array(&mut doc, path)?;
    let Some(index) = position(staff, code) else {
        return Ok(false);
    };
    staff.remove(index);
    if staff.is_empty() {
        doc.remove(SECTION);
    }
    write(path, &doc)?;
    Ok(true)
}

fn position(staff: &ArrayOfTables, code: &str) -> Option<usize> {
    staff
        .iter()
        .position(|t| t.get("code").and_then(Item::as_str) == Some(code))
}

fn staff_array<'a>(
    doc: &'a mut toml_edit::DocumentMut,
    path: &Path,
) -> Result<&'a mut ArrayOfTables, ConfigError> {
    doc.entry(SECTION)
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| ConfigError::invalid(Some(path), "[[staff]]", "must be an array of tables"))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::{Config, ManagerPin};

    #[test]
    fn staff_added_replaced_and_removed_keep_the_rest_of_the_file_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regi.toml");
        std::fs::write(&path, "# front till\n[terminal]\nname = \"レジ1\"\n").unwrap();
        let pin = ManagerPinHash::new(&ManagerPin::try_from("4321".to_string()).unwrap()).unwrap();
        write_staff(&path, "101", "山田", StaffRole::Clerk, &pin, None).unwrap();
        write_staff(&path, "7", "佐藤", StaffRole::Manager, &pin, Some("S7")).unwrap();
        write_staff(&path, "101", "山田 花子", StaffRole::Clerk, &pin, None).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# front till"), "{text}");
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.staff.members().len(), 2);
        assert_eq!(config.staff.find("101").unwrap().name, "山田 花子");
        assert!(config.staff.find("7").unwrap().pin_hash.verify("4321"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(remove_staff(&path, "101").unwrap());
        assert!(!remove_staff(&path, "101").unwrap());
        let config = Config::load(Some(&path)).unwrap();
        assert!(config.staff.find("101").is_none() && config.staff.find("7").is_some());
    }
}
