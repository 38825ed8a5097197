//! Import of a Pokepay SDK `config.ini`, the file Pokepay hands partners (and `regi sandbox` writes).
//!
//! SDKs disagree on the layout: Python wants a `[global]` section, Node and C# want the keys at the
//! top. Both are read here (top-level keys first, then `[global]` overriding them); other sections
//! are profiles of other tools and are ignored, as are keys regi does not use (APP_NAME, ...).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use ini::{Ini, ParseOption};
use uuid::Uuid;

use regi_config::ConfigError;
use regi_core::secret::Secret;

use crate::api_settings::{
    check_base_url, check_retries, check_secret, non_empty, parse_timezone, resolve,
};

/// The values found in an SDK `config.ini`; absent keys stay `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PokepayIni {
    pub client_id: Option<String>,
    pub client_secret: Option<Secret<String>>,
    pub api_base_url: Option<String>,
    pub ssl_key_file: Option<PathBuf>,
    pub ssl_cert_file: Option<PathBuf>,
    /// regi's own key (no SDK reads it): the CA the server certificate must chain to.
    pub ssl_ca_file: Option<PathBuf>,
    pub timezone: Option<Tz>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub accept_language: Option<String>,
    pub shop_id: Option<Uuid>,
    pub private_money_id: Option<Uuid>,
}

impl PokepayIni {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses the text of the file at `origin`; relative file paths resolve against its directory.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, ConfigError> {
        let options = ParseOption {
            enabled_quote: true,
            // Windows paths (C:\pokepay\key.pem) must survive.
            enabled_escape: false,
            ..ParseOption::default()
        };
        let ini = Ini::load_from_str_opt(text, options).map_err(|e| ConfigError::Ini {
            path: origin.to_path_buf(),
            message: e.to_string(),
        })?;
        let dir = origin.parent().unwrap_or(Path::new(""));
        let mut out = Self::default();
        let top = ini.general_section().iter();
        let global = ini
            .iter()
            .filter(|(name, _)| name.is_some_and(|n| n.eq_ignore_ascii_case("global")))
            .flat_map(|(_, props)| props.iter());
        for (key, value) in top.chain(global) {
            out.set(key, value, dir, origin)?;
        }
        Ok(out)
    }

    fn set(
        &mut self,
        key: &str,
        value: &str,
        dir: &Path,
        origin: &Path,
    ) -> Result<(), ConfigError> {
        let Some(value) = non_empty(Some(unquote(value).to_string())) else {
            return Ok(());
        };
        let key_upper = key.trim().to_ascii_uppercase();
        let bad = |reason: String| ConfigError::invalid(Some(origin), key.trim(), reason);
        match key_upper.as_str() {
            "CLIENT_ID" => self.client_id = Some(value),
            "CLIENT_SECRET" => self.client_secret = Some(check_secret(value).map_err(bad)?),
            "API_BASE_URL" => {
                check_base_url(&value).map_err(bad)?;
                self.api_base_url = Some(value);
            }
            "SSL_KEY_FILE" => self.ssl_key_file = Some(resolve(dir, Path::new(&value))),
            "SSL_CERT_FILE" => self.ssl_cert_file = Some(resolve(dir, Path::new(&value))),
            "SSL_CA_FILE" => self.ssl_ca_file = Some(resolve(dir, Path::new(&value))),
            "TIMEZONE" => self.timezone = Some(parse_timezone(&value).map_err(bad)?),
            "TIMEOUT" => self.timeout = Some(parse_seconds(&value).map_err(bad)?),
            "CONNECTTIMEOUT" => self.connect_timeout = Some(parse_seconds(&value).map_err(bad)?),
            "MAX_RETRIES" => {
                let n = value
                    .parse::<u32>()
                    .map_err(|_| format!("not a whole number: {value:?}"))
                    .and_then(check_retries)
                    .map_err(bad)?;
                self.max_retries = Some(n);
            }
            "ACCEPT_LANGUAGE" => self.accept_language = Some(value),
            "SHOP_ID" => self.shop_id = Some(parse_uuid(&value).map_err(bad)?),
            "PRIVATE_MONEY_ID" => self.private_money_id = Some(parse_uuid(&value).map_err(bad)?),
            _ => {}
        }
        Ok(())
    }
}

/// Strips one pair of matching quotes that survived the parser (e.g. `KEY = "a b" ` with spaces).
fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// SDK timeouts are seconds, integer in the samples, float in Python.
fn parse_seconds(value: &str) -> Result<Duration, String> {
    let secs: f64 = value
        .parse()
        .map_err(|_| format!("not a number of seconds: {value:?}"))?;
    if secs.is_finite() && secs > 0.0 && secs <= 600.0 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(format!("must be between 0 and 600 seconds, got {value}"))
    }
}

fn parse_uuid(value: &str) -> Result<Uuid, String> {
    Uuid::parse_str(value).map_err(|_| format!("not a UUID: {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    const SHOP: &str = "8b1f0f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    fn parse(text: &str) -> Result<PokepayIni, ConfigError> {
        PokepayIni::parse(text, Path::new("/etc/pokepay/config.ini"))
    }

    #[test]
    fn reads_the_python_layout_with_global_section() {
        let ini = parse(&format!(
            "[global]\nCLIENT_ID = abc\nCLIENT_SECRET = {SECRET}\nAPI_BASE_URL = https://partnerapi-sandbox.pokepay.jp\n\
             SSL_KEY_FILE = key.pem\nSSL_CERT_FILE = /abs/cert.pem\nTIMEZONE = Asia/Tokyo\nTIMEOUT = 10\nCONNECTTIMEOUT = 2.5\n\
             SHOP_ID = {SHOP}\n"
        ))
        .unwrap();
        assert_eq!(ini.client_id.as_deref(), Some("abc"));
        assert_eq!(ini.client_secret.as_ref().unwrap().expose(), SECRET);
        assert_eq!(
            ini.api_base_url.as_deref(),
            Some("https://partnerapi-sandbox.pokepay.jp")
        );
        assert_eq!(
            ini.ssl_key_file.as_deref(),
            Some(Path::new("/etc/pokepay/key.pem"))
        );
        assert_eq!(
            ini.ssl_cert_file.as_deref(),
            Some(Path::new("/abs/cert.pem"))
        );
        assert_eq!(ini.timezone, Some(chrono_tz::Asia::Tokyo));
        assert_eq!(ini.timeout, Some(Duration::from_secs(10)));
        assert_eq!(ini.connect_timeout, Some(Duration::from_millis(2500)));
        assert_eq!(ini.shop_id, Some(Uuid::parse_str(SHOP).unwrap()));
    }

    #[test]
    fn reads_the_node_layout_without_section_and_quoted_values() {
        let ini = parse(&format!(
            "; partner credentials\nCLIENT_ID = \"abc def\"\nCLIENT_SECRET = '{SECRET}'\nACCEPT_LANGUAGE = 'ja'\n\
             API_BASE_URL=\"https://partnerapi-sandbox.pokepay.jp\"\nshop_id = \"{SHOP}\"\n\
             [other-profile]\nCLIENT_ID = ignored\n"
        ))
        .unwrap();
        assert_eq!(ini.client_id.as_deref(), Some("abc def"));
        assert_eq!(ini.client_secret.unwrap().expose(), SECRET);
        assert_eq!(ini.accept_language.as_deref(), Some("ja"));
        assert_eq!(ini.shop_id, Some(Uuid::parse_str(SHOP).unwrap()));
        assert_eq!(ini.private_money_id, None);
    }

    #[test]
    fn a_ca_file_is_read_beside_the_client_certificate() {
        let ini = parse("SSL_CA_FILE = sandbox-ca.pem\n").unwrap();
        assert_eq!(
            ini.ssl_ca_file.as_deref(),
            Some(Path::new("/etc/pokepay/sandbox-ca.pem"))
        );
    }

    #[test]
    fn global_section_overrides_top_level_keys() {
        let ini = parse("CLIENT_ID = top\n[global]\nCLIENT_ID = global\n").unwrap();
        assert_eq!(ini.client_id.as_deref(), Some("global"));
    }

    #[test]
    fn relative_paths_resolve_against_the_ini_directory_and_backslashes_survive() {
        let ini = PokepayIni::parse(
            "SSL_CERT_FILE = certs/client.pem\nSSL_KEY_FILE = C:\\pokepay\\key.pem\n",
            Path::new("/home/clerk/.pokepay/test-config.ini"),
        )
        .unwrap();
        assert_eq!(
            ini.ssl_cert_file.as_deref(),
            Some(Path::new("/home/clerk/.pokepay/certs/client.pem"))
        );
        assert!(
            ini.ssl_key_file
                .unwrap()
                .to_string_lossy()
                .ends_with("C:\\pokepay\\key.pem")
        );
    }

    #[test]
    fn bad_values_name_the_key_and_file_but_not_the_secret() {
        let err = parse("CLIENT_SECRET = short-secret-value\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("CLIENT_SECRET") && err.contains("/etc/pokepay/config.ini"),
            "{err}"
        );
        assert!(!err.contains("short-secret-value"), "{err}");
        let err = parse("[global]\nSHOP_ID = 12\n").unwrap_err().to_string();
        assert!(err.contains("SHOP_ID"), "{err}");
        assert!(parse("TIMEOUT = soon\n").is_err());
        assert!(parse("TIMEOUT = -1\n").is_err());
        assert!(parse("TIMEZONE = Mars/Olympus\n").is_err());
        assert!(parse("API_BASE_URL = partnerapi-sandbox.pokepay.jp\n").is_err());
    }

    #[test]
    fn syntax_errors_do_not_echo_a_secret() {
        for text in [
            format!("[global]\nCLIENT_SECRET = \"{SECRET}\n"),
            format!("[global\nCLIENT_SECRET = {SECRET}\n"),
            format!("CLIENT_SECRET = {SECRET} ; note\n"),
        ] {
            if let Err(err) = parse(&text) {
                let err = err.to_string();
                assert!(!err.contains(SECRET), "{err}");
                assert!(err.contains("/etc/pokepay/config.ini"), "{err}");
            }
        }
    }

    #[test]
    fn empty_values_and_unused_keys_are_ignored() {
        let ini = parse("CLIENT_ID =\nAPP_NAME = pos\nSSL_KEY_PASSWORD = x\n").unwrap();
        assert_eq!(ini, PokepayIni::default());
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "[",
            "=\n=",
            "[global\nCLIENT_ID",
            "\u{0}\u{1}",
            "KEY=\"unterminated",
        ] {
            let _ = parse(text);
        }
    }
}
