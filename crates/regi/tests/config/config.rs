//! Loading regi's configuration from files as the binary does.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regi_config::{Config, ConfigError, Lang, write_private_file};

const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

fn example_toml() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config/regi.example.toml")
}

/// A copy of the example beside the secret file it refers to.
fn example_in(dir: &Path) -> PathBuf {
    let path = dir.join("regi.toml");
    fs::copy(example_toml(), &path).unwrap();
    write_private_file(&dir.join("pokepay-client-secret"), SECRET.as_bytes()).unwrap();
    path
}

#[test]
fn the_example_parses_with_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let config = regi::config_file::load(Some(&example_in(dir.path())), None).unwrap();

    assert_eq!(
        config.pokepay.api.base_url,
        "https://partnerapi-sandbox.pokepay.jp"
    );
    assert_eq!(config.pokepay.api.client_secret.expose(), SECRET);
    assert_eq!(
        config.pokepay.api.tls_cert_file.as_deref(),
        Some(dir.path().join("certs/pokepay-client.crt").as_path())
    );
    assert_eq!(config.pokepay.api.connect_timeout, Duration::from_secs(5));
    assert_eq!(config.pokepay.api.timeout, Duration::from_secs(10));
    assert_eq!(config.pokepay.api.max_retries, 2);
    assert_eq!(config.pokepay.api.timezone, chrono_tz::Asia::Tokyo);
    assert_eq!(config.pokepay.api.accept_language.as_deref(), Some("ja"));
    assert!(config.pokepay.shop_id.is_some() && config.pokepay.private_money_id.is_some());
    assert_eq!(config.pokepay.cashtray_expires_in, Duration::from_secs(300));
    assert_eq!(config.terminal.name, "レジ1");
    assert!(config.store.name.contains("サンプル"));
    assert_eq!(
        config
            .store
            .registration_number
            .as_ref()
            .map(|r| r.as_str()),
        Some("T9234567890123")
    );
    assert_eq!(config.ui.lang, Lang::Ja);
    assert!(config.ui.stored_pin().unwrap().matches("2580"));
    assert!(config.has_credentials());
    assert_eq!(config.drawer, regi_config::DrawerSettings::default());
}

#[test]
fn the_example_documents_every_key_it_sets() {
    let text = fs::read_to_string(example_toml()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let is_setting = !line.starts_with('#') && !line.starts_with('[') && line.contains(" = ");
        if is_setting {
            assert!(
                i > 0 && lines[i - 1].starts_with('#'),
                "line {} has no comment above it: {line}",
                i + 1
            );
        }
    }
}

#[test]
fn debug_of_a_loaded_config_never_shows_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let config = regi::config_file::load(Some(&example_in(dir.path())), None).unwrap();
    let shown = format!("{config:?}\n{config:#?}\n{:?}", config.pokepay.api);
    assert!(!shown.contains(SECRET));
    assert!(!shown.contains("2580"));
    assert!(!shown.contains("argon2id"));
}

#[test]
fn an_unknown_key_in_a_file_names_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regi.toml");
    fs::write(
        &path,
        "[store]\nname = \"店\"\nregistraton_number = \"T1234567890123\"\n",
    )
    .unwrap();
    let err = Config::load(Some(&path)).unwrap_err();
    assert!(matches!(err, ConfigError::Toml { .. }));
    let message = err.to_string();
    assert!(message.contains("registraton_number"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
}

#[test]
fn an_sdk_ini_alone_is_enough_for_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let ini = dir.path().join("config.ini");
    fs::write(
        &ini,
        format!(
            "[global]\nCLIENT_ID = 'sandbox-client'\nCLIENT_SECRET = \"{SECRET}\"\n\
             API_BASE_URL = http://127.0.0.1:41234\nTIMEZONE = Asia/Tokyo\nTIMEOUT = 7\nCONNECTTIMEOUT = 3\n\
             SHOP_ID = 8b1f0f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\nPRIVATE_MONEY_ID = 4b138a4c-8944-4f98-a5c4-96d3c1c415eb\n\
             SSL_CERT_FILE = tls/client.pem\nSSL_KEY_FILE = tls/client.key\n"
        ),
    )
    .unwrap();
    let config = regi::config_file::load(None, Some(&ini)).unwrap();
    assert!(config.has_credentials());
    assert_eq!(config.pokepay.api.client_id, "sandbox-client");
    assert_eq!(config.pokepay.api.base_url, "http://127.0.0.1:41234");
    assert_eq!(config.pokepay.api.timeout, Duration::from_secs(7));
    assert_eq!(config.pokepay.api.connect_timeout, Duration::from_secs(3));
    assert_eq!(
        config.pokepay.api.tls_key_file.as_deref(),
        Some(dir.path().join("tls/client.key").as_path())
    );
    assert!(config.pokepay.shop_id.is_some());
}

#[test]
fn the_ini_overrides_the_toml() {
    let dir = tempfile::tempdir().unwrap();
    let toml = example_in(dir.path());
    let ini = dir.path().join("config.ini");
    fs::write(
        &ini,
        "CLIENT_ID = from-ini\nAPI_BASE_URL = https://partnerapi-dev.pokepay.jp\n",
    )
    .unwrap();
    let config = regi::config_file::load(Some(&toml), Some(&ini)).unwrap();
    assert_eq!(config.pokepay.api.client_id, "from-ini");
    assert_eq!(
        config.pokepay.api.base_url,
        "https://partnerapi-dev.pokepay.jp"
    );
    // Keys the ini does not set keep the TOML's values.
    assert_eq!(config.pokepay.api.client_secret.expose(), SECRET);
    assert_eq!(
        config.store.registration_number.as_ref().unwrap().as_str(),
        "T9234567890123"
    );
}

#[test]
fn without_files_regi_has_no_credentials() {
    let config = regi::config_file::load(None, None).unwrap();
    assert!(!config.has_credentials());
    assert_eq!(config.pokepay, regi_pokepay::PokepaySettings::default());
}

#[cfg(unix)]
#[test]
fn private_files_are_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ini");
    write_private_file(&path, b"CLIENT_SECRET = x\n").unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
