//! regi's configuration: a TOML file (`config/regi.example.toml` documents every key), optionally
//! overlaid with a Pokepay SDK `config.ini` holding the API credentials. The payment providers'
//! tables are kept by name for the providers to read; which providers exist is the caller's to
//! say ([`Config::check_providers`]).

mod api;
mod catalog_file;
mod departments;
mod drawer;
mod error;
mod net;
mod pin_file;
mod pin_hash;
mod pokepay_ini;
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

pub use api::{ApiSettings, ProxyUrl};
pub use catalog_file::{append_to_catalog, load_catalog};
pub use drawer::{DrawerConnection, DrawerPin, DrawerSettings};
pub use error::ConfigError;
pub use net::is_loopback_url;
pub use pin_file::{remove_pin, write_pin_hash};
pub use pin_hash::{ManagerPinHash, StoredPin};
pub use pokepay_ini::PokepayIni;
pub use printer_table::printer_settings_from_file;
pub use private_file::{create_private_dir, make_owner_only, write_private_file};
pub use provider_tables::{ProviderTable, ProviderTables};
pub use secret_keys::{is_secret_key, secret_files_named_in, secrets_set_in};
pub use sections::{
    DatabaseUrl, Lang, ManagerPin, PokepaySettings, RegistrationNumber, StoreSettings,
    TerminalSettings, UiSettings,
};
pub use staff::{MAX_STAFF_CODE, Staff, StaffMember, opens_manager_pin};
pub use staff_file::{remove_staff, write_staff};
pub use tenders::{ProviderNames, Tenders};
pub use toml_error::describe_toml_error;

/// The validated configuration. `Debug` never shows a secret.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub api: ApiSettings,
    pub pokepay: PokepaySettings,
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
    /// The older place of the Partner API keys, read together with `[pokepay]`.
    api: api::ApiSection,
    /// The Partner API keys and the shop, read here until they move to their provider; the
    /// table is also kept with the providers' for the rest of its keys.
    pokepay: api::PokepaySection,
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
    /// Reads the TOML file (when given), then lets the SDK `config.ini` (when given) override
    /// `[api]` and `[pokepay]`. With neither, the defaults (no credentials: training mode).
    pub fn load(
        toml_path: Option<&Path>,
        pokepay_ini: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let mut config = match toml_path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                Self::from_toml_str(&text, path)?
            }
            None => Config::default(),
        };
        if let Some(path) = pokepay_ini {
            config.apply_ini(PokepayIni::load(path)?);
        }
        config.check_tls_pair()?;
        config.check_credentials_complete(pokepay_ini.or(toml_path), pokepay_ini.is_some())?;
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
        let (api, pokepay) = file.pokepay.split(file.api, path)?;
        let tenders = file.tenders.read(path)?;
        let providers = provider_tables::provider_tables(text, path)?;
        let mut config = Config {
            api: api.into_settings(path)?,
            pokepay,
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
        config.check_tls_pair()?;
        Ok(config)
    }

    /// Checks the file's provider tables and `[tenders]` against the providers the caller is
    /// built with: a table none of them owns is refused (naming it and every section there is),
    /// and without `[tenders] enabled` the providers it enables by default are filled in.
    pub fn check_providers(&mut self, providers: ProviderNames<'_>) -> Result<(), ConfigError> {
        let origin = self.source.as_deref();
        provider_tables::refuse_unknown_tables(&self.providers, providers.known, origin)?;
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

    /// Overrides `[api]` and `[pokepay]` with every value the SDK file sets.
    pub fn apply_ini(&mut self, ini: PokepayIni) {
        let api = &mut self.api;
        if let Some(v) = ini.api_base_url {
            api.base_url = v;
        }
        if let Some(v) = ini.client_id {
            api.client_id = v;
        }
        if let Some(v) = ini.client_secret {
            api.client_secret = v;
        }
        if let Some(v) = ini.ssl_cert_file {
            api.tls_cert_file = Some(v);
        }
        if let Some(v) = ini.ssl_key_file {
            api.tls_key_file = Some(v);
        }
        if let Some(v) = ini.ssl_ca_file {
            api.tls_ca_file = Some(v);
        }
        if let Some(v) = ini.timezone {
            api.timezone = v;
        }
        if let Some(v) = ini.timeout {
            api.timeout = v;
        }
        if let Some(v) = ini.connect_timeout {
            api.connect_timeout = v;
        }
        if let Some(v) = ini.max_retries {
            api.max_retries = v;
        }
        if let Some(v) = ini.accept_language {
            api.accept_language = Some(v);
        }
        if let Some(v) = ini.shop_id {
            self.pokepay.shop_id = Some(v);
        }
        if let Some(v) = ini.private_money_id {
            self.pokepay.private_money_id = Some(v);
        }
    }

    /// Client id, secret and base URL are all present: live payments are possible.
    pub fn has_credentials(&self) -> bool {
        self.api.missing_credentials().is_empty()
    }

    /// Some credentials but not all is a mistake, not a wish to train: a till that silently
    /// started in training would take no real payment. Names what is missing, as the file
    /// spells it.
    fn check_credentials_complete(
        &self,
        origin: Option<&Path>,
        ini_spelling: bool,
    ) -> Result<(), ConfigError> {
        let missing = self.api.missing_credentials();
        if missing.is_empty() || missing.len() == 3 {
            return Ok(());
        }
        let spelt = |key: &str| match (ini_spelling, key) {
            (true, "base_url") => "API_BASE_URL".to_string(),
            (true, other) => other.to_ascii_uppercase(),
            (false, other) => other.to_string(),
        };
        let missing: Vec<String> = missing.into_iter().map(spelt).collect();
        Err(ConfigError::invalid(
            origin,
            missing.join(", "),
            "not set, though the other Partner API credentials are: set all three \
             (CLIENT_ID, CLIENT_SECRET, API_BASE_URL) for live payments, or none to train",
        ))
    }

    fn check_tls_pair(&self) -> Result<(), ConfigError> {
        match (&self.api.tls_cert_file, &self.api.tls_key_file) {
            (Some(_), None) => Err(ConfigError::invalid(
                self.source.as_deref(),
                "[api] tls_key_file",
                "tls_cert_file is set, so the matching key file is needed too",
            )),
            (None, Some(_)) => Err(ConfigError::invalid(
                self.source.as_deref(),
                "[api] tls_cert_file",
                "tls_key_file is set, so the matching certificate file is needed too",
            )),
            _ => Ok(()),
        }
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
    };

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_str(text, Path::new("/etc/regi/regi.toml"))
    }

    #[test]
    fn empty_file_gives_defaults_without_credentials() {
        let config = parse("").unwrap();
        assert!(!config.has_credentials());
        assert_eq!(config.api.max_retries, 2);
        assert_eq!(config.ui.lang, Lang::Ja);
    }

    #[test]
    fn unknown_key_error_names_key_and_file() {
        let err = parse("[api]\nclient_sercet = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("client_sercet"), "{err}");
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
        let err = parse("[api]\ntimeout_secs = 0\n").unwrap_err().to_string();
        assert!(err.contains("timeout_secs"), "{err}");
        let err = parse("[ui]\nlang = \"fr\"\n").unwrap_err().to_string();
        assert!(err.contains("fr"), "{err}");
        let err = parse("[api]\nproxy = \"http://192.168.1.5:3128\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[api] proxy"), "{err}");
        let err = parse("[api]\ntls_cert_file = \"c.pem\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("tls_key_file"), "{err}");
    }

    #[test]
    fn toml_errors_on_secret_keys_name_file_line_and_key_but_not_the_value() {
        for (text, value, line, key) in [
            (
                format!("[api]\nclient_id = \"id\"\nclient_secret = {SECRET}\n"),
                SECRET,
                "line 3",
                "[api] client_secret",
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

    #[test]
    fn relative_paths_resolve_against_the_toml_directory() {
        let config =
            parse("[api]\ntls_cert_file = \"c.pem\"\ntls_key_file = \"/k.pem\"\n").unwrap();
        assert_eq!(
            config.api.tls_cert_file.as_deref(),
            Some(Path::new("/etc/regi/c.pem"))
        );
        assert_eq!(
            config.api.tls_key_file.as_deref(),
            Some(Path::new("/k.pem"))
        );
    }

    #[test]
    fn secret_file_is_read_and_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret"), format!("{SECRET}\n")).unwrap();
        let toml_path = dir.path().join("regi.toml");
        let config = Config::from_toml_str(
            "[api]\nbase_url = \"https://partnerapi-sandbox.pokepay.jp\"\nclient_id = \"id\"\nclient_secret_file = \"secret\"\n",
            &toml_path,
        )
        .unwrap();
        assert_eq!(config.api.client_secret.expose(), SECRET);
        assert!(config.has_credentials());
        let both =
            format!("[api]\nclient_secret = \"{SECRET}\"\nclient_secret_file = \"secret\"\n");
        assert!(Config::from_toml_str(&both, &toml_path).is_err());
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
            "[api]\nbase_url = \"https://partnerapi-sandbox.pokepay.jp\"\nclient_id = \"id\"\nclient_secret = \"{SECRET}\"\n[ui]\nmanager_pin = \"7391\"\n"
        ))
        .unwrap();
        let shown = format!("{config:?} {config:#?}");
        assert!(!shown.contains(SECRET));
        assert!(!shown.contains("7391"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn ini_values_override_the_toml() {
        let dir = tempfile::tempdir().unwrap();
        let toml_path = dir.path().join("regi.toml");
        std::fs::write(
            &toml_path,
            "[api]\nbase_url = \"https://old.example.jp\"\nclient_id = \"old\"\ntimeout_secs = 30\n[pokepay]\nshop_id = \"8b1f0f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\"\n",
        )
        .unwrap();
        let ini_path = dir.path().join("config.ini");
        std::fs::write(
            &ini_path,
            format!(
                "[global]\nCLIENT_ID = new\nCLIENT_SECRET = {SECRET}\nAPI_BASE_URL = https://partnerapi-sandbox.pokepay.jp\nPRIVATE_MONEY_ID = 4b138a4c-8944-4f98-a5c4-96d3c1c415eb\n"
            ),
        )
        .unwrap();
        let config = Config::load(Some(&toml_path), Some(&ini_path)).unwrap();
        assert_eq!(config.api.client_id, "new");
        assert_eq!(config.api.base_url, "https://partnerapi-sandbox.pokepay.jp");
        assert_eq!(config.api.timeout, std::time::Duration::from_secs(30));
        assert!(config.pokepay.shop_id.is_some());
        assert_eq!(
            config
                .pokepay
                .private_money_id
                .map(|u| u.to_string())
                .as_deref(),
            Some("4b138a4c-8944-4f98-a5c4-96d3c1c415eb")
        );
        assert!(config.has_credentials());
    }

    #[test]
    fn missing_files_are_read_errors_naming_the_path() {
        let err = Config::load(Some(Path::new("/nonexistent/regi.toml")), None).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/regi.toml"));
        assert!(Config::load(None, None).is_ok());
    }

    #[test]
    fn an_ini_with_id_and_secret_but_no_base_url_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let ini = dir.path().join("config.ini");
        std::fs::write(&ini, format!("CLIENT_ID = abc\nCLIENT_SECRET = {SECRET}\n")).unwrap();
        let err = Config::load(None, Some(&ini)).unwrap_err().to_string();
        assert!(err.contains("API_BASE_URL: not set"), "{err}");
        assert!(err.contains("config.ini"), "{err}");
        assert!(!err.contains(SECRET), "{err}");
    }

    #[test]
    fn no_credentials_at_all_still_loads_for_training() {
        let config = Config::load(None, None).unwrap();
        assert!(!config.has_credentials());
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
