//! The doctor's checks of the till's own setting up, apart from devices and providers: the store
//! a qualified invoice names, the data directory's modes and the room left on its disk. Each says
//! what to change; none writes anything.

use std::path::Path;

use regi_config::StoreSettings;
use regi_core::app::records::Check;
use regi_tui::ui::strings::Strings;

/// Below this the journal may soon refuse a sale: selling cannot start.
const LEAST_FREE_MIB: u64 = 100;

/// The store name and registration number a qualified simplified invoice must carry (unless the
/// store is configured as no invoice issuer), the number's check digit verified.
pub fn store_check(store: &StoreSettings, s: &Strings) -> Check {
    let missing = store.missing_for_live_selling();
    if !missing.is_empty() {
        return Check::new(
            s.check_store,
            false,
            s.store_missing(&missing.join(", ")),
            Some(s.hint_store),
        );
    }
    match &store.registration_number {
        Some(number) if !number.has_valid_check_digit() => Check::new(
            s.check_store,
            false,
            s.registration_check_digit(number.as_str(), number.expected_check_digit()),
            Some(s.hint_store),
        ),
        Some(number) => Check::new(
            s.check_store,
            true,
            format!("{} {number}", store.name),
            None,
        ),
        None => Check::new(
            s.check_store,
            true,
            format!("{}: {}", store.name, s.detail_not_invoice_issuer),
            None,
        ),
    }
}

/// The data directory and the journals in it are the owner's only (0700, 0600): they hold every
/// sale. A directory not made yet is fine: regi makes it owner-only.
pub fn data_dir_checks(data_dir: &Path, s: &Strings) -> Vec<Check> {
    let shown = data_dir.display().to_string();
    let Some(mode) = mode_of(data_dir) else {
        return vec![Check::new(
            s.check_data_dir,
            true,
            format!("{shown}: {}", s.detail_data_dir_new),
            None,
        )];
    };
    let mut checks = vec![owner_only(&shown, mode, "700", s)];
    for training in [false, true] {
        let journal = regi_journal::journal_path(data_dir, training);
        if let Some(mode) = mode_of(&journal) {
            checks.push(owner_only(&journal.display().to_string(), mode, "600", s));
        }
    }
    checks
}

fn owner_only(shown: &str, mode: u32, fix: &str, s: &Strings) -> Check {
    if mode & 0o077 == 0 {
        Check::new(
            s.check_data_dir,
            true,
            format!("{shown} ({mode:04o})"),
            None,
        )
    } else {
        Check {
            name: s.check_data_dir.to_string(),
            ok: false,
            detail: format!("{shown} ({mode:04o})"),
            hint: Some(s.hint_chmod_mode(fix, shown)),
        }
    }
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(_path: &Path) -> Option<u32> {
    None
}

/// Room on the disk the journal is written to (the data directory, or the nearest folder above
/// it that exists yet).
pub fn disk_check(data_dir: &Path, s: &Strings) -> Check {
    let existing = data_dir
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(data_dir);
    match free_mib(existing) {
        Some(mib) => judge_disk(mib, s),
        None => Check::new(s.check_disk, true, existing.display().to_string(), None),
    }
}

fn judge_disk(mib: u64, s: &Strings) -> Check {
    let ok = mib >= LEAST_FREE_MIB;
    Check::new(
        s.check_disk,
        ok,
        s.disk_free(mib),
        (!ok).then_some(s.hint_disk),
    )
}

#[cfg(unix)]
fn free_mib(path: &Path) -> Option<u64> {
    let stat = nix::sys::statvfs::statvfs(path).ok()?;
    #[allow(clippy::useless_conversion)] // the field types differ between platforms
    let bytes = u64::from(stat.blocks_available()) * u64::from(stat.fragment_size());
    Some(bytes / (1024 * 1024))
}

#[cfg(not(unix))]
fn free_mib(_path: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_config::{Lang, RegistrationNumber};
    use regi_tui::ui::strings::LangStrings as _;

    fn number(text: &str) -> Option<RegistrationNumber> {
        Some(RegistrationNumber::try_from(text.to_string()).expect("a number"))
    }

    #[test]
    fn a_missing_store_name_or_number_fails_naming_the_keys() {
        let s = Lang::En.strings();
        let c = store_check(&StoreSettings::default(), s);
        assert!(!c.ok, "{c:?}");
        assert!(c.detail.contains("name, registration_number"), "{c:?}");
        assert_eq!(c.hint.as_deref(), Some(s.hint_store));
    }

    #[test]
    fn a_registration_number_with_a_wrong_check_digit_fails() {
        let s = Lang::En.strings();
        let store = StoreSettings {
            name: "店".into(),
            registration_number: number("T1234567890123"),
            ..StoreSettings::default()
        };
        let c = store_check(&store, s);
        assert!(!c.ok && c.detail.contains("should be 9"), "{c:?}");
        let good = StoreSettings {
            registration_number: number("T7000012050002"),
            ..store
        };
        assert!(store_check(&good, s).ok);
    }

    #[test]
    fn a_store_that_issues_no_invoices_needs_no_number() {
        let s = Lang::En.strings();
        let store = StoreSettings {
            name: "店".into(),
            invoice_issuer: false,
            ..StoreSettings::default()
        };
        let c = store_check(&store, s);
        assert!(c.ok && c.detail.contains("invoice_issuer = false"), "{c:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_data_directory_others_can_read_fails_with_a_chmod_hint() {
        use std::os::unix::fs::PermissionsExt;
        let s = Lang::En.strings();
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("regi");
        assert!(data_dir_checks(&data, s)[0].ok, "not made yet is fine");
        std::fs::create_dir(&data).expect("mkdir");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let c = &data_dir_checks(&data, s)[0];
        assert!(!c.ok, "{c:?}");
        assert!(
            c.hint.as_deref().unwrap_or_default().contains("chmod 700"),
            "{c:?}"
        );
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        assert!(data_dir_checks(&data, s)[0].ok);
    }

    #[test]
    fn too_little_free_disk_stops_selling_with_a_hint() {
        let s = Lang::En.strings();
        let low = judge_disk(LEAST_FREE_MIB - 1, s);
        assert!(
            !low.ok && low.hint.as_deref() == Some(s.hint_disk),
            "{low:?}"
        );
        assert!(judge_disk(LEAST_FREE_MIB, s).ok);
        let dir = tempfile::tempdir().expect("temp dir");
        let c = disk_check(&dir.path().join("not-yet"), s);
        assert!(c.detail.contains("MiB"), "{c:?}");
    }
}
