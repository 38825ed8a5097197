//! regi's configuration: a TOML file (`config/regi.example.toml` documents every key). The payment
//! providers' tables are kept by name for the providers to read (each reads its own, and any
//! settings file of its own, in its crate); which providers exist is the caller's to say
//! ([`Config::check_providers`]).

mod catalog_file;
mod departments;
mod drawer;
mod error;
mod net;
mod pin_file;
mod pin_hash;
mod printer_table;
mod private_file;
mod provider_tables;
mod relative_paths;
mod secret_keys;
mod sections;
mod staff;
mod staff_file;
mod tenders;
mod toml_error;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use catalog_file::{append_to_catalog, load_catalog};
pub use drawer::{DrawerConnection, DrawerPin, DrawerSettings};
pub use error::ConfigError;
pub use net::is_loopback_url;
pub use pin_file::{remove_pin, write_pin_hash};
pub use pin_hash::{ManagerPinHash, StoredPin};
pub use printer_table::printer_settings_from_file;
pub use private_file::{create_private_dir, make_owner_only, write_private_file};
pub use provider_tables::{ProviderTable, ProviderTables};
pub use secret_keys::{is_secret_key, secret_files_named_in, secrets_set_in};
pub use sections::{
    DatabaseUrl, Lang, ManagerPin, RegistrationNumber, StoreSettings, TerminalSettings, UiSettings,
};
pub use staff::{MAX_STAFF_CODE, Staff, StaffMember, opens_manager_pin};
pub use staff_file::{remove_staff, write_staff};
pub use tenders::{ProviderNames, Tenders};
pub use toml_error::describe_toml_error;

/// The validated configuration. `Debug` never shows a secret.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub terminal: TerminalSettings,
    pub store: StoreSettings,
    pub ui: UiSettings,
    pub sale: regi_core::domain::SaleSettings,
    pub printer: regi_printer::PrinterSettings,
    /// Where the cash drawer hangs and its pulse.
    pub drawer: DrawerSettings,
    pub scanner: regi_scanner::ScannerSettings,
    /// The providers the register takes payments through, in the payment screen's order (as
    /// listed until [`Config::check_providers`] completes it).
    pub tenders: Tenders,
    /// Every top-level table the configuration does not read itself, as written and by name:
    /// the payment providers' own tables, each read by its provider.
    pub providers: ProviderTables,
    /// Who may work the register (`[[staff]]`); none: nobody signs in.
    pub staff: Staff,
    /// The TOML file the configuration came from, if any.
    pub source: Option<PathBuf>,
}

/// The TOML file as written. Unknown keys in these sections are errors, so a typo never silently
/// falls back to a default; other top-level tables are the providers' (`provider_tables`), and a
/// table no provider owns is refused by [`Config::check_providers`].
#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfigFile {
    tenders: tenders::TendersSection,
    terminal: TerminalSettings,
    store: StoreSettings,
    ui: UiSettings,
    sale: regi_core::domain::SaleSettings,
    printer: regi_printer::PrinterSettings,
    drawer: drawer::DrawerSection,
    departments: departments::DepartmentsSection,
    scanner: regi_scanner::ScannerSettings,
    staff: Vec<StaffMember>,
}

impl Config {
    /// Reads the TOML file (when given); without one, the defaults.
    pub fn load(toml_path: Option<&Path>) -> Result<Config, ConfigError> {
        let config = match toml_path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                Self::from_toml_str(&text, path)?
            }
            None => Config::default(),
        };
        Ok(config)
    }

    /// Parses TOML text as if read from `path` (used in messages and to resolve relative paths).
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError::Toml {
            path: path.to_path_buf(),
            message: describe_toml_error(&e, text),
        })?;
        file.scanner
            .validate()
            .map_err(|why| ConfigError::invalid(Some(path), "[scanner]", why.to_string()))?;
        file.sale
            .validate()
            .map_err(|why| ConfigError::invalid(Some(path), "[sale]", why))?;
        if file.ui.manager_pin.is_some() && file.ui.manager_pin_hash.is_some() {
            return Err(ConfigError::invalid(
                Some(path),
                "[ui] manager_pin, manager_pin_hash",
                "set only one; `regi pin set` writes the hash and removes the plain PIN",
            ));
        }
        file.store
            .check_store_mode()
            .map_err(|why| ConfigError::invalid(Some(path), "[store]", why))?;
        let drawer = file.drawer.validate(path)?;
        let mut sale = file.sale;
        sale.departments = file.departments.validate(path)?;
        let tenders = file.tenders.read(path)?;
        let providers = provider_tables::provider_tables(text, path)?;
        let mut config = Config {
            tenders,
            providers,
            terminal: file.terminal,
            store: file.store,
            ui: file.ui,
            sale,
            printer: file.printer,
            drawer,
            scanner: file.scanner,
            staff: Staff::validate(file.staff, path)?,
            source: Some(path.to_path_buf()),
        };
        relative_paths::resolve_relative_paths(&mut config, path.parent().unwrap_or(Path::new("")));
        Ok(config)
    }

    /// Checks the file's provider tables and `[tenders]` against the providers the caller is
    /// built with: a table none of them owns is refused (naming it and every section there is),
    /// and without `[tenders] enabled` the providers it enables by default are filled in.
    pub fn check_providers(&mut self, providers: ProviderNames<'_>) -> Result<(), ConfigError> {
        let origin = self.source.as_deref();
        let sections: Vec<&str> = providers
            .known
            .iter()
            .chain(providers.older_tables)
            .copied()
            .collect();
        provider_tables::refuse_unknown_tables(&self.providers, &sections, origin)?;
        let tables = &self.providers;
        self.tenders = std::mem::take(&mut self.tenders).resolve(
            providers,
            |name| tables.contains_key(name),
            origin,
        )?;
        Ok(())
    }

    /// A provider's own table, as written, if the file has one.
    pub fn provider_table(&self, name: &str) -> Option<&toml::Table> {
        self.providers.get(name).map(|provider| &provider.table)
    }

    /// The top-level table `name`, if the file has one, read into `T` by its provider; an error
    /// names this file, the line and the key ([`ProviderTable::read`]).
    pub fn read_provider_table<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, ConfigError> {
        self.providers
            .get(name)
            .map(|table| table.read(name, self.source.as_deref()))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    /// Providers as a caller names them; the configuration itself knows none.
    const PROVIDERS: ProviderNames<'static> = ProviderNames {
        known: &["alpha", "beta"],
        table_optional: &["alpha"],
        older_tables: &[],
    };

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_str(text, Path::new("/etc/regi/regi.toml"))
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.ui.lang, Lang::Ja);
        assert!(config.providers.is_empty());
    }

    #[test]
    fn unknown_key_error_names_key_and_file() {
        let err = parse("[terminal]\nnmae = \"x\"\n").unwrap_err().to_string();
        assert!(err.contains("nmae"), "{err}");
        assert!(err.contains("/etc/regi/regi.toml"), "{err}");
        let mut config = parse("[printr]\nwidth = 3\n").unwrap();
        let err = config.check_providers(PROVIDERS).unwrap_err().to_string();
        assert!(
            err.contains("[printr]") && err.contains("regi.toml"),
            "{err}"
        );
        assert!(
            err.contains("[printer]") && err.contains("[alpha]"),
            "{err}"
        );
    }

    #[test]
    fn invalid_values_are_rejected_with_the_key() {
        let err = parse("[store]\nregistration_number = \"T12\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("registration_number") || err.contains("T followed by 13"),
            "{err}"
        );
        let err = parse("[ui]\nlang = \"fr\"\n").unwrap_err().to_string();
        assert!(err.contains("fr"), "{err}");
    }

    #[test]
    fn toml_errors_on_secret_keys_name_file_line_and_key_but_not_the_value() {
        for (text, value, line, key) in [
            (
                format!("[alpha]\nclient_id = \"id\"\nclient_secret = {SECRET}\n"),
                SECRET,
                "line 3",
                "[alpha] client_secret",
            ),
            (
                "[ui]\nlang = \"ja\"\nmanager_pin = 2580\n".to_string(),
                "2580",
                "line 3",
                "[ui] manager_pin",
            ),
            (
                "[ui]\nmanager_pin = \"25a0\"\n".to_string(),
                "25a0",
                "line 2",
                "[ui] manager_pin",
            ),
            (
                "[ui]\nmanager_pin_hash = 12345\n".to_string(),
                "12345",
                "line 2",
                "[ui] manager_pin_hash",
            ),
        ] {
            let err = parse(&text).unwrap_err().to_string();
            assert!(!err.contains(value), "{err}");
            assert!(err.contains("/etc/regi/regi.toml"), "{err}");
            assert!(err.contains(line) && err.contains(key), "{err}");
        }
    }

    fn hash_of(digits: &str) -> String {
        let pin = ManagerPin::try_from(digits.to_string()).unwrap();
        ManagerPinHash::new(&pin).unwrap().phc().to_string()
    }

    #[test]
    fn a_hashed_manager_pin_is_read_and_verifies() {
        let hash = hash_of("7391");
        let config = parse(&format!("[ui]\nmanager_pin_hash = \"{hash}\"\n")).unwrap();
        let stored = config.ui.stored_pin().expect("a PIN is configured");
        assert!(matches!(stored, StoredPin::Hashed(_)));
        assert!(stored.matches("7391"));
        assert!(!stored.matches("7390"));
        let shown = format!("{config:?}");
        assert!(
            !shown.contains(&hash) && !shown.contains("argon2"),
            "{shown}"
        );
    }

    #[test]
    fn a_plain_manager_pin_is_still_accepted() {
        let config = parse("[ui]\nmanager_pin = \"2580\"\n").unwrap();
        let stored = config.ui.stored_pin().expect("a PIN is configured");
        assert!(matches!(stored, StoredPin::Plain(_)));
        assert!(stored.matches("2580"));
        assert_eq!(parse("").unwrap().ui.stored_pin(), None);
    }

    #[test]
    fn both_a_plain_and_a_hashed_pin_is_an_error_naming_both_keys() {
        let text = format!(
            "[ui]\nmanager_pin = \"2580\"\nmanager_pin_hash = \"{}\"\n",
            hash_of("2580")
        );
        let err = parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("manager_pin,") && err.contains("manager_pin_hash"),
            "{err}"
        );
        assert!(err.contains("regi.toml") && !err.contains("2580"), "{err}");
    }

    #[test]
    fn a_malformed_pin_hash_is_refused_with_the_key() {
        let err = parse("[ui]\nmanager_pin_hash = \"2580\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("manager_pin_hash"), "{err}");
    }

    #[test]
    fn debug_output_redacts_every_secret() {
        let config = parse(&format!(
            "[alpha]\nclient_id = \"id\"\nclient_secret = \"{SECRET}\"\n[ui]\nmanager_pin = \"7391\"\n"
        ))
        .unwrap();
        let shown = format!("{config:?} {config:#?}");
        assert!(!shown.contains(SECRET));
        assert!(!shown.contains("7391"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn missing_files_are_read_errors_naming_the_path() {
        let err = Config::load(Some(Path::new("/nonexistent/regi.toml"))).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/regi.toml"));
        assert_eq!(Config::load(None).unwrap(), Config::default());
    }

    #[test]
    fn store_mode_reads_the_database_the_store_and_the_password_file() {
        let config = parse(
            "[store]\nname = \"店\"\ndatabase_url = \"postgres://till_1@db.example.com/shop\"\n\
             store_id = \"shop-1\"\npassword_file = \"/etc/regi/db.pw\"\n\
             tls_ca_file = \"/etc/regi/db-ca.pem\"\n[terminal]\nid = \"02\"\n",
        )
        .unwrap();
        let store = &config.store;
        assert_eq!(
            store.database_url.as_ref().map(DatabaseUrl::as_str),
            Some("postgres://till_1@db.example.com/shop")
        );
        assert_eq!(store.store_id.as_deref(), Some("shop-1"));
        assert_eq!(
            store.password_file.as_deref(),
            Some(Path::new("/etc/regi/db.pw"))
        );
        assert_eq!(config.terminal.id, "02");
    }

    #[test]
    fn a_password_in_the_database_url_is_refused_without_echoing_it() {
        let err = parse(
            "[store]\ndatabase_url = \"postgres://till:hunter2@db/shop\"\nstore_id = \"s\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("password_file"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_database_url_without_a_store_id_is_refused() {
        let err = parse("[store]\ndatabase_url = \"postgres://till@db/shop\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("store_id"), "{err}");
        let err = parse("[store]\ndatabase_url = \"http://db/shop\"\nstore_id = \"s\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("postgres://"), "{err}");
    }
}
