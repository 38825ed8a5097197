//! Pokepay's settings as regi runs with them: `[pokepay]` of `regi.toml` (and the older `[api]`,
//! both kept by name by the configuration), overlaid with a Pokepay SDK `config.ini` when one is
//! given, every value the SDK file sets winning. Relative paths are taken from the folder of the
//! file that names them.

use std::path::Path;
use std::time::Duration;

use uuid::Uuid;

use regi_config::{Config, ConfigError};

use crate::api_settings::{ApiSection, ApiSettings};
use crate::ini::PokepayIni;
use crate::table::{DEFAULT_CASHTRAY_EXPIRES_IN_SECS, PokepaySection};

/// The top-level table that held the Partner API keys before `[pokepay]` did; still read.
pub const OLDER_TABLE: &str = "api";

/// Everything regi needs to take payments through Pokepay. `Debug` never shows the secret.
#[derive(Debug, Clone, PartialEq)]
pub struct PokepaySettings {
    /// Where the Partner API is, the keys, and how to talk to it.
    pub api: ApiSettings,
    /// Which shop and money regi takes payments for.
    pub shop_id: Option<Uuid>,
    pub private_money_id: Option<Uuid>,
    /// Lifetime of a merchant-presented QR.
    pub cashtray_expires_in: Duration,
}

impl Default for PokepaySettings {
    fn default() -> Self {
        Self {
            api: ApiSettings::default(),
            shop_id: None,
            private_money_id: None,
            cashtray_expires_in: Duration::from_secs(u64::from(DEFAULT_CASHTRAY_EXPIRES_IN_SECS)),
        }
    }
}

impl PokepaySettings {
    /// Reads `[pokepay]` and `[api]` of `config`, then lets the SDK `config.ini` (when given)
    /// override them. With neither table nor file, the defaults (no credentials: training mode).
    /// An unknown key, a bad value and credentials given in part are errors naming the file and
    /// the key, never a secret's value.
    pub fn from_config(config: &Config, ini: Option<&Path>) -> Result<Self, ConfigError> {
        let origin = config.source.as_deref();
        let table: PokepaySection = config
            .read_provider_table(crate::name::PROVIDER)?
            .unwrap_or_default();
        let older: ApiSection = config.read_provider_table(OLDER_TABLE)?.unwrap_or_default();
        let (api, shop) = table.split(older, origin)?;
        let mut settings = Self {
            api: api.into_settings(origin)?,
            shop_id: shop.shop_id,
            private_money_id: shop.private_money_id,
            cashtray_expires_in: shop.cashtray_expires_in,
        };
        settings.check_tls_pair(origin)?;
        if let Some(path) = ini {
            settings.apply_ini(PokepayIni::load(path)?);
            settings.check_tls_pair(origin)?;
        }
        settings.check_credentials_complete(ini.or(origin), ini.is_some())?;
        Ok(settings)
    }

    /// Overrides the API keys and the shop with every value the SDK file sets.
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
            self.shop_id = Some(v);
        }
        if let Some(v) = ini.private_money_id {
            self.private_money_id = Some(v);
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

    fn check_tls_pair(&self, origin: Option<&Path>) -> Result<(), ConfigError> {
        match (&self.api.tls_cert_file, &self.api.tls_key_file) {
            (Some(_), None) => Err(ConfigError::invalid(
                origin,
                "[api] tls_key_file",
                "tls_cert_file is set, so the matching key file is needed too",
            )),
            (None, Some(_)) => Err(ConfigError::invalid(
                origin,
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

    fn read_at(text: &str, path: &Path) -> Result<PokepaySettings, ConfigError> {
        let config = Config::from_toml_str(text, path)?;
        PokepaySettings::from_config(&config, None)
    }

    fn read(text: &str) -> Result<PokepaySettings, ConfigError> {
        read_at(text, Path::new("/etc/regi/regi.toml"))
    }

    #[test]
    fn an_empty_file_gives_the_defaults_without_credentials() {
        let settings = read("").unwrap();
        assert!(!settings.has_credentials());
        assert_eq!(settings.api.max_retries, 2);
        assert_eq!(settings.cashtray_expires_in, Duration::from_secs(300));
        assert_eq!(settings, PokepaySettings::default());
    }

    #[test]
    fn an_unknown_key_names_the_key_the_line_and_the_file() {
        for text in [
            "[api]\nclient_sercet = \"x\"\n",
            "[pokepay]\nclient_sercet = \"x\"\n",
        ] {
            let err = read(text).unwrap_err().to_string();
            assert!(
                err.contains("/etc/regi/regi.toml: line 2, column 1")
                    && err.contains("client_sercet"),
                "{err}"
            );
        }
    }

    #[test]
    fn invalid_values_are_rejected_with_the_key() {
        let err = read("[api]\ntimeout_secs = 0\n").unwrap_err().to_string();
        assert!(err.contains("timeout_secs"), "{err}");
        let err = read("[api]\nproxy = \"http://192.168.1.5:3128\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[api] proxy"), "{err}");
        let err = read("[api]\ntls_cert_file = \"c.pem\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("tls_key_file"), "{err}");
        let err = read("[pokepay]\nshop_id = \"12\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[pokepay] shop_id"), "{err}");
    }

    #[test]
    fn a_secret_of_the_wrong_type_is_named_but_not_shown() {
        for table in ["api", "pokepay"] {
            let err = read(&format!(
                "[{table}]\nclient_id = \"id\"\nclient_secret = 12345\n"
            ))
            .unwrap_err()
            .to_string();
            assert!(
                err.contains(&format!("line 3, [{table}] client_secret")),
                "{err}"
            );
            assert!(!err.contains("12345"), "{err}");
        }
    }

    #[test]
    fn a_bad_secret_is_refused_without_echoing_it() {
        let err = read("[pokepay]\nclient_secret = \"tooshort-but-secret\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("client_secret"), "{err}");
        assert!(!err.contains("tooshort-but-secret"), "{err}");
    }

    #[test]
    fn relative_paths_resolve_against_the_toml_directory() {
        let settings =
            read("[api]\ntls_cert_file = \"c.pem\"\ntls_key_file = \"/k.pem\"\n").unwrap();
        assert_eq!(
            settings.api.tls_cert_file.as_deref(),
            Some(Path::new("/etc/regi/c.pem"))
        );
        assert_eq!(
            settings.api.tls_key_file.as_deref(),
            Some(Path::new("/k.pem"))
        );
    }

    #[test]
    fn a_secret_file_is_read_beside_the_toml_and_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret"), format!("{SECRET}\n")).unwrap();
        let toml_path = dir.path().join("regi.toml");
        let settings = read_at(
            "[api]\nbase_url = \"https://partnerapi-sandbox.pokepay.jp\"\nclient_id = \"id\"\nclient_secret_file = \"secret\"\n",
            &toml_path,
        )
        .unwrap();
        assert_eq!(settings.api.client_secret.expose(), SECRET);
        assert!(settings.has_credentials());
        let both =
            format!("[api]\nclient_secret = \"{SECRET}\"\nclient_secret_file = \"secret\"\n");
        assert!(read_at(&both, &toml_path).is_err());
    }

    #[test]
    fn debug_output_redacts_the_secret() {
        let settings = read(&format!(
            "[pokepay]\nbase_url = \"https://partnerapi-sandbox.pokepay.jp\"\nclient_id = \"id\"\nclient_secret = \"{SECRET}\"\n"
        ))
        .unwrap();
        let shown = format!("{settings:?} {settings:#?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }

    #[test]
    fn the_keys_are_read_from_either_table_but_a_key_in_both_is_refused() {
        let settings = read(&format!(
            "[api]\nbase_url = \"https://partnerapi.pokepay.jp\"\nclient_id = \"c1\"\n\
             client_secret = \"{SECRET}\"\n[pokepay]\ntimeout_secs = 7\n"
        ))
        .unwrap();
        assert!(settings.has_credentials());
        assert_eq!(settings.api.timeout, Duration::from_secs(7));
        let err = read("[api]\nclient_id = \"a\"\n[pokepay]\nclient_id = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[pokepay] client_id: also set in [api]"),
            "{err}"
        );
    }

    #[test]
    fn the_cashtray_lifetime_is_read_beside_the_keys() {
        let settings = read(
            "[pokepay]\ncashtray_expires_in_secs = 120\nshop_id = \"8b1f0f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\"\n\
             timeout_secs = 7\n",
        )
        .unwrap();
        assert_eq!(settings.cashtray_expires_in, Duration::from_secs(120));
        assert!(settings.shop_id.is_some());
    }

    #[test]
    fn a_cashtray_lifetime_of_zero_is_refused_naming_the_key_and_the_file() {
        let err = read("[pokepay]\ncashtray_expires_in_secs = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("regi.toml: [pokepay] cashtray_expires_in_secs: must be at least 1"),
            "{err}"
        );
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
        let config = Config::load(Some(&toml_path)).unwrap();
        let settings = PokepaySettings::from_config(&config, Some(&ini_path)).unwrap();
        assert_eq!(settings.api.client_id, "new");
        assert_eq!(
            settings.api.base_url,
            "https://partnerapi-sandbox.pokepay.jp"
        );
        assert_eq!(settings.api.timeout, Duration::from_secs(30));
        assert!(settings.shop_id.is_some());
        assert_eq!(
            settings.private_money_id.map(|u| u.to_string()).as_deref(),
            Some("4b138a4c-8944-4f98-a5c4-96d3c1c415eb")
        );
        assert!(settings.has_credentials());
    }

    #[test]
    fn an_ini_with_id_and_secret_but_no_base_url_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let ini = dir.path().join("config.ini");
        std::fs::write(&ini, format!("CLIENT_ID = abc\nCLIENT_SECRET = {SECRET}\n")).unwrap();
        let err = PokepaySettings::from_config(&Config::default(), Some(&ini))
            .unwrap_err()
            .to_string();
        assert!(err.contains("API_BASE_URL: not set"), "{err}");
        assert!(err.contains("config.ini"), "{err}");
        assert!(!err.contains(SECRET), "{err}");
    }

    #[test]
    fn a_missing_ini_is_a_read_error_naming_it() {
        let err = PokepaySettings::from_config(
            &Config::default(),
            Some(Path::new("/nonexistent/config.ini")),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/config.ini"), "{err}");
    }

    #[test]
    fn no_credentials_at_all_still_loads_for_training() {
        let settings = PokepaySettings::from_config(&Config::default(), None).unwrap();
        assert!(!settings.has_credentials());
    }
}
