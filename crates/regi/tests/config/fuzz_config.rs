//! Fuzzing the configuration parsers: regi's TOML and the Pokepay SDK `config.ini`. Any text is
//! read or refused with an error, never a panic. `PROPTEST_CASES` sets the case count
//! (default 256).

use std::path::Path;

use proptest::prelude::*;
use regi_config::Config;
use regi_pokepay::{PokepayIni, PokepaySettings};

const TOML_KEYS: &[(&str, &str)] = &[
    ("api", "base_url"),
    ("api", "client_id"),
    ("api", "client_secret"),
    ("api", "client_secret_file"),
    ("api", "tls_cert_file"),
    ("api", "tls_key_file"),
    ("api", "connect_timeout_secs"),
    ("api", "timeout_secs"),
    ("api", "max_retries"),
    ("api", "timezone"),
    ("api", "accept_language"),
    ("pokepay", "shop_id"),
    ("pokepay", "private_money_id"),
    ("pokepay", "cashtray_expires_in_secs"),
    ("terminal", "name"),
    ("terminal", "id"),
    ("store", "name"),
    ("store", "registration_number"),
    ("ui", "lang"),
    ("ui", "manager_pin"),
    ("ui", "manager_pin_hash"),
    ("sale", "max_amount"),
    ("sale", "rounding"),
    ("printer", "target"),
    ("printer", "profile"),
    ("printer", "columns"),
    ("scanner", "source"),
    ("scanner", "layout"),
    ("scanner", "prefix"),
];

const INI_KEYS: &[&str] = &[
    "CLIENT_ID",
    "CLIENT_SECRET",
    "API_BASE_URL",
    "SSL_KEY_FILE",
    "SSL_CERT_FILE",
    "TIMEZONE",
    "TIMEOUT",
    "CONNECTTIMEOUT",
    "MAX_RETRIES",
    "ACCEPT_LANGUAGE",
    "SHOP_ID",
    "PRIVATE_MONEY_ID",
    "APP_NAME",
];

fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<bool>().prop_map(|v| v.to_string()),
        ".{0,30}".prop_map(|s| format!("{s:?}")),
        Just("\"http://127.0.0.1:4010\"".to_string()),
        Just("\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"".to_string()),
        Just("\"6c0d1e2f-3a4b-4c5d-8e9f-0a1b2c3d4e5f\"".to_string()),
        Just("[1, \"x\"]".to_string()),
        Just("{ a = 1 }".to_string()),
        ".{0,10}",
    ]
}

/// TOML shaped like regi's configuration, with values of any type and the odd broken line.
fn toml_text() -> impl Strategy<Value = String> {
    proptest::collection::vec((proptest::sample::select(TOML_KEYS), toml_value()), 0..16).prop_map(
        |entries| {
            let mut text = String::new();
            let mut section = "";
            for ((sec, key), value) in entries {
                if sec != section {
                    text.push_str(&format!("[{sec}]\n"));
                    section = sec;
                }
                text.push_str(&format!("{key} = {value}\n"));
            }
            text
        },
    )
}

fn ini_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        (proptest::sample::select(INI_KEYS), ".{0,50}").prop_map(|(k, v)| format!("{k} = {v}")),
        (proptest::sample::select(INI_KEYS), "[-0-9a-zA-Z_:/.]{0,45}")
            .prop_map(|(k, v)| format!("{k}={v}")),
        Just("[global]".to_string()),
        ".{0,20}".prop_map(|s| format!("[{s}]")),
        ".{0,40}",
    ];
    proptest::collection::vec(line, 0..16).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn any_text_is_a_config_or_an_error(text in any::<String>()) {
        let _ = Config::from_toml_str(&text, Path::new("/nonexistent/regi.toml"));
        let _ = PokepayIni::parse(&text, Path::new("/nonexistent/config.ini"));
    }

    #[test]
    fn config_shaped_toml_is_read_or_refused(text in toml_text()) {
        if let Ok(config) = regi::config_file::from_toml_str(&text, Path::new("/nonexistent/regi.toml")) {
            // A parsed secret never shows in Debug output.
            let secret = config.pokepay.api.client_secret.expose().clone();
            let shown = format!("{:?}", config.pokepay.api.client_secret);
            prop_assert!(secret.len() < 8 || !shown.contains(&secret), "{shown}");
        }
    }

    #[test]
    fn ini_shaped_text_is_read_or_refused(text in ini_text()) {
        if let Ok(ini) = PokepayIni::parse(&text, Path::new("/nonexistent/config.ini")) {
            let mut settings = PokepaySettings::default();
            settings.apply_ini(ini);
            let _ = settings.has_credentials();
        }
    }
}
