//! The checks behind `regi doctor` and the status screen: configuration, the provider's own checks
//! (credentials, a round trip, clock skew), printer, scanner and file modes, each with a fix-it hint. They only look;
//! `doctor` prints them and the till shows them.

use std::path::{Path, PathBuf};

use regi_config::{Config, ConfigError, DrawerConnection, DrawerSettings, Lang};
use regi_core::app::records::Check;
use regi_pokepay::doctor;
use regi_printer::PrinterSettings;
use regi_printer::spool::{Blocked, printer_ready};
use regi_scanner::usb_hid::{UsbReaderConfig, choose_candidate, list_candidates};
use regi_scanner::{ScannerSettings, SourceKind};
use regi_tui::ui::strings::Strings;

use crate::config_file::LoadedConfig;

fn check(name: &str, ok: bool, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check::new(name, ok, detail, hint)
}

pub fn config_check(loaded: &Result<LoadedConfig, ConfigError>, s: &Strings) -> Check {
    match loaded {
        Ok(config) => {
            let detail = config.source.as_ref().map_or_else(
                || s.detail_config_default.to_string(),
                |p| p.display().to_string(),
            );
            check(s.check_config, true, detail, None)
        }
        // A key of a Pokepay config.ini is fixed in that file, not in the example TOML.
        Err(e) => match e
            .file()
            .filter(|f| f.extension().is_some_and(|x| x == "ini"))
        {
            Some(ini) => Check {
                name: s.check_config.to_string(),
                ok: false,
                detail: e.to_string(),
                hint: Some(s.hint_config_ini(&ini.display().to_string())),
            },
            None => check(s.check_config, false, e.to_string(), Some(s.hint_config)),
        },
    }
}

/// How the manager PIN is kept. A plain PIN still works, so it is a warning (passed, with a
/// hint), not a failure.
pub fn manager_pin_check(config: &Config, s: &Strings) -> Check {
    match (&config.ui.manager_pin_hash, &config.ui.manager_pin) {
        (Some(_), _) => check(s.check_manager_pin, true, s.detail_pin_hashed, None),
        (None, Some(_)) => check(
            s.check_manager_pin,
            true,
            s.detail_pin_plain,
            Some(s.hint_pin_set),
        ),
        (None, None) => check(s.check_manager_pin, true, s.detail_missing, None),
    }
}

/// Whether the configured printer answers (and has no problem such as no paper). Blocking (USB,
/// TCP): run off the async threads.
pub fn printer_check(settings: &PrinterSettings, s: &Strings) -> Check {
    let answered = settings
        .target()
        .map_err(|e| e.to_string())
        .and_then(|target| {
            let mut transport = target
                .open(settings.timeouts())
                .map_err(|e| format!("{target}: {e}"))?;
            match printer_ready(&mut transport) {
                Ok(()) => Ok(target.to_string()),
                Err(Blocked::Unreachable(detail)) => Err(format!("{target}: {detail}")),
                Err(Blocked::Printer(problem)) => Err(format!(
                    "{target}: {}",
                    match s.lang {
                        Lang::Ja => problem.message_ja(),
                        Lang::En => problem.message_en(),
                    }
                )),
            }
        });
    match answered {
        Ok(target) => check(s.printer, true, target, None),
        Err(reason) => check(s.printer, false, reason, Some(s.hint_printer)),
    }
}

/// Whether the configured scanner source has a device to read. Blocking (USB): run off the async
/// threads.
pub fn scanner_check(settings: &ScannerSettings, s: &Strings) -> Check {
    let found: Result<String, String> = match settings.source {
        SourceKind::Wedge => Ok(s.scanner_wedge_works.to_string()),
        SourceKind::None => Ok(String::new()),
        SourceKind::Usb => UsbReaderConfig::from_settings(settings)
            .map_err(|e| e.to_string())
            .and_then(|config| {
                let candidates = list_candidates(config.selector.exact_id(), false)
                    .map_err(|e| e.to_string())?;
                choose_candidate(&candidates, config.selector)
                    .map(|c| c.label())
                    .ok_or_else(|| format!("{}: {}", config.selector, s.device_missing))
            }),
        SourceKind::Serial | SourceKind::Fifo => {
            let path = match settings.source {
                SourceKind::Serial => settings.serial_path.as_deref(),
                _ => settings.fifo_path.as_deref(),
            };
            match path {
                Some(path) if path.as_os_str() == "-" || path.exists() => {
                    Ok(path.display().to_string())
                }
                Some(path) => Err(format!("{}: {}", path.display(), s.device_missing)),
                None => Err(s.detail_missing.to_string()),
            }
        }
    };
    let source = s.scanner_source(settings.source);
    match (found, settings.source) {
        (Ok(detail), _) if detail.is_empty() => check(s.scanner, true, source, None),
        (Ok(detail), _) => check(s.scanner, true, format!("{source}: {detail}"), None),
        // Scans typed as keystrokes still arrive: a warning, and no English libusb words on a
        // Japanese report.
        (Err(reason), SourceKind::Usb) => {
            let reason = match s.lang {
                Lang::Ja => s.scanner_state(&regi_scanner::SourceState::Failed { reason }),
                Lang::En => reason,
            };
            check(
                s.scanner,
                true,
                format!("{source}: {reason}; {}", s.scanner_wedge_works),
                Some(s.hint_scanner_usb),
            )
        }
        (Err(reason), _) => check(
            s.scanner,
            false,
            format!("{source}: {reason}"),
            Some(s.hint_scanner),
        ),
    }
}

/// Where the cash drawer hangs. Through the printer it opens when the printer does (the printer
/// check says whether it answers); on its own port the device must exist and be writable. No
/// file is opened: opening a serial port can raise its control lines, which some drawers take
/// for a pulse.
pub fn drawer_check(settings: &DrawerSettings, s: &Strings) -> Check {
    match &settings.connection {
        DrawerConnection::Printer => check(s.check_drawer, true, s.detail_drawer_printer, None),
        DrawerConnection::None => check(s.check_drawer, true, s.detail_drawer_none, None),
        DrawerConnection::Port(path) => {
            let shown = path.display();
            if !path.exists() {
                check(
                    s.check_drawer,
                    false,
                    format!("{shown}: {}", s.device_missing),
                    Some(s.hint_drawer),
                )
            } else if !writable(path) {
                check(
                    s.check_drawer,
                    false,
                    format!("{shown}: {}", s.drawer_not_writable),
                    Some(s.hint_drawer),
                )
            } else {
                check(s.check_drawer, true, shown.to_string(), None)
            }
        }
    }
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    nix::unistd::access(path, nix::unistd::AccessFlags::W_OK).is_ok()
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// A configuration file holding a client secret or a PIN, and a file `client_secret_file` names,
/// must be readable by their owner only: another account on the till could otherwise take
/// payments or refunds in the shop's name. Nothing when the file holds no secret (or cannot be
/// read: the configuration check reports that).
pub fn secret_file_checks(path: &Path, s: &Strings) -> Vec<Check> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let secrets = regi_config::secrets_set_in(&text);
    let mut checks = Vec::new();
    if !secrets.is_empty() {
        checks.extend(owner_only_check(path, &secrets.join(", "), s));
    }
    for file in regi_config::secret_files_named_in(&text, path) {
        checks.extend(owner_only_check(&file, "client_secret", s));
    }
    checks
}

fn owner_only_check(path: &Path, holds: &str, s: &Strings) -> Option<Check> {
    let mode = file_mode(path)?;
    let shown = path.display().to_string();
    Some(if mode & 0o077 == 0 {
        check(
            s.check_secret_file,
            true,
            format!("{shown}: {}", s.detail_owner_only),
            None,
        )
    } else {
        Check {
            name: s.check_secret_file.to_string(),
            ok: false,
            detail: format!("{shown}: {}", s.secret_file_readable(holds, mode)),
            hint: Some(s.hint_chmod(&shown)),
        }
    })
}

#[cfg(unix)]
fn file_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> Option<u32> {
    None
}

/// How the till would start, as far as the checks depend on it.
#[derive(Debug, Clone, Default)]
pub struct DoctorSetup {
    /// `--training`, or no credentials at all: the built-in sandbox takes the payments, so
    /// the providers' credentials and servers are not asked about.
    pub training: bool,
    /// Where the journal is kept; `None` skips the data directory and disk checks.
    pub data_dir: Option<PathBuf>,
}

/// Every check, in the order a technician would fix them.
pub async fn all_checks(
    loaded: &Result<LoadedConfig, ConfigError>,
    s: &'static Strings,
    setup: &DoctorSetup,
) -> Vec<Check> {
    let mut checks = vec![config_check(loaded, s)];
    let Ok(config) = loaded else {
        return checks;
    };
    checks.extend(super::catalog::catalog_check(
        config.sale.catalog.as_deref(),
        s,
    ));
    // As the till decides: Pokepay without any credential trains on the built-in sandbox.
    let training = setup.training
        || (config.tenders.contains(regi_pokepay::PROVIDER) && !config.has_credentials());
    if training {
        // Why it trains, so a missing credential is never mistaken for a wish to practise.
        let why = if setup.training {
            s.training_why_asked
        } else {
            s.training_why_no_credentials
        };
        checks.push(check(
            s.check_mode,
            true,
            format!("{} ({why})", s.detail_training_sandbox),
            None,
        ));
    } else {
        // Live receipts are qualified invoices: the store must be named on them.
        // Also against a sandbox: that is where a store tries the setup it opens with.
        checks.push(super::site_checks::store_check(&config.store, s));
        for provider in config.tenders.names() {
            checks.extend(provider_checks(config, provider, s.lang).await);
        }
    }
    if let Some(data_dir) = &setup.data_dir {
        checks.extend(super::site_checks::data_dir_checks(data_dir, s));
        checks.push(super::site_checks::disk_check(data_dir, s));
    }
    checks.push(manager_pin_check(config, s));
    let (printer, scanner) = (config.printer.clone(), config.scanner.clone());
    let devices = tokio::task::spawn_blocking(move || {
        [printer_check(&printer, s), scanner_check(&scanner, s)]
    })
    .await;
    match devices {
        Ok(devices) => checks.extend(devices),
        Err(e) => checks.push(check(s.printer, false, e.to_string(), None)),
    }
    // After the printer, which a drawer hanging on it opens through.
    checks.push(drawer_check(&config.drawer, s));
    checks
}

/// The checks of one enabled provider, from its own crate.
async fn provider_checks(config: &LoadedConfig, provider: &str, lang: Lang) -> Vec<Check> {
    match provider {
        regi_pokepay::PROVIDER => {
            let pokepay = &config.pokepay;
            let credentials = doctor::credentials_check(&pokepay.api, lang);
            let has_credentials = credentials.ok;
            let mut checks = vec![credentials];
            if has_credentials {
                checks.push(doctor::ids_check(pokepay, lang));
                let api = doctor::api_checks(&pokepay.api, lang).await;
                let answered = api.first().is_some_and(|c| c.ok);
                checks.extend(api);
                // Only a server that answered can say whether it has the shop.
                if answered {
                    checks.push(doctor::shop_check(&pokepay.api, pokepay, lang).await);
                }
            }
            checks
        }
        regi_komoju::PROVIDER => {
            regi_komoju::doctor::checks(config.provider_table(provider), lang).await
        }
        regi_elepay::PROVIDER => {
            let table = config.provider_table(provider).cloned().unwrap_or_default();
            match regi_elepay::ElepaySettings::from_table(&table) {
                Ok(settings) => {
                    let mut checks = vec![regi_elepay::doctor::key_check(&settings, lang)];
                    checks.extend(regi_elepay::doctor::api_checks(&settings, lang).await);
                    checks
                }
                Err(e) => vec![check("elepay", false, e.to_string(), None)],
            }
        }
        other => vec![check(other, false, "unknown provider", None)],
    }
}

/// The report as printed: one line per check, the fix-it hint indented below a failure or a
/// warning (a check that passed with a hint).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::doctor::format_report;
    use regi_pokepay::ApiSettings;
    use regi_tui::ui::strings::LangStrings as _;

    #[cfg(unix)]
    #[test]
    fn a_config_holding_a_secret_that_others_can_read_fails_with_a_chmod_hint() {
        use std::os::unix::fs::PermissionsExt;
        let s = Lang::En.strings();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("regi.toml");
        std::fs::write(&path, "[ui]\nmanager_pin = \"2580\"\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let c = one(secret_file_checks(&path, s));
        assert!(!c.ok, "{c:?}");
        assert!(
            c.detail.contains("manager_pin") && c.detail.contains("0644"),
            "{c:?}"
        );
        assert_eq!(
            c.hint.as_deref(),
            Some(
                format!(
                    "Make it readable by its owner only: chmod 600 {}",
                    path.display()
                )
                .as_str()
            )
        );
        assert!(!c.detail.contains("2580"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert!(one(secret_file_checks(&path, s)).ok);
        std::fs::write(&path, "[ui]\nlang = \"en\"\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(
            secret_file_checks(&path, s).is_empty(),
            "no secret, nothing to say"
        );
    }

    #[cfg(unix)]
    fn one(mut checks: Vec<Check>) -> Check {
        assert_eq!(checks.len(), 1, "{checks:?}");
        checks.remove(0)
    }

    #[cfg(unix)]
    #[test]
    fn the_client_secret_file_must_be_owner_only_too() {
        use std::os::unix::fs::PermissionsExt;
        let s = Lang::En.strings();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("regi.toml");
        std::fs::write(&path, "[api]\nclient_secret_file = \"secret\"\n").expect("write");
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n").expect("write");
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let c = one(secret_file_checks(&path, s));
        assert!(
            !c.ok && c.detail.starts_with(&secret.display().to_string()),
            "{c:?}"
        );
        assert!(
            c.hint
                .unwrap_or_default()
                .ends_with(&format!("chmod 600 {}", secret.display()))
        );
    }

    #[test]
    fn devices_that_are_not_there_get_a_hint() {
        let s = Lang::En.strings();
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("no-such-dir").join("lp0");
        let printer = PrinterSettings {
            target: format!("device:{}", missing.display()),
            ..PrinterSettings::default()
        };
        let p = printer_check(&printer, s);
        assert!(!p.ok, "{p:?}");
        assert_eq!(p.hint.as_deref(), Some(s.hint_printer));
        let file_printer = PrinterSettings {
            target: format!("file:{}", dir.path().join("paper.bin").display()),
            ..PrinterSettings::default()
        };
        assert!(printer_check(&file_printer, s).ok);
        let scanner = ScannerSettings {
            source: SourceKind::Serial,
            serial_path: Some(missing),
            ..ScannerSettings::default()
        };
        let c = scanner_check(&scanner, s);
        assert!(!c.ok);
        assert_eq!(c.hint.as_deref(), Some(s.hint_scanner));
        let wedge = ScannerSettings {
            source: SourceKind::Wedge,
            ..ScannerSettings::default()
        };
        assert!(scanner_check(&wedge, s).ok);
    }

    #[test]
    fn the_drawer_line_says_where_it_hangs_and_whether_its_port_can_be_written() {
        let s = Lang::En.strings();
        let dir = tempfile::tempdir().expect("temp dir");
        let on = |connection| DrawerSettings {
            connection,
            ..DrawerSettings::default()
        };
        let printer = drawer_check(&on(DrawerConnection::Printer), s);
        assert!(
            printer.ok && printer.detail.contains("printer"),
            "{printer:?}"
        );
        let none = drawer_check(&on(DrawerConnection::None), s);
        assert!(none.ok && none.detail == "none", "{none:?}");
        let port = dir.path().join("ttyUSB0");
        let missing = drawer_check(&on(DrawerConnection::Port(port.clone())), s);
        assert!(
            !missing.ok && missing.detail.ends_with("not found"),
            "{missing:?}"
        );
        assert_eq!(missing.hint.as_deref(), Some(s.hint_drawer));
        std::fs::write(&port, b"").expect("port");
        let there = drawer_check(&on(DrawerConnection::Port(port.clone())), s);
        assert!(there.ok && there.detail.ends_with("ttyUSB0"), "{there:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&port, std::fs::Permissions::from_mode(0o400)).expect("chmod");
            // Root writes whatever the mode says; the check agrees with what a write would do.
            let can_write = std::fs::OpenOptions::new().write(true).open(&port).is_ok();
            let c = drawer_check(&on(DrawerConnection::Port(port.clone())), s);
            assert_eq!(c.ok, can_write, "{c:?}");
            if !can_write {
                assert!(c.detail.ends_with("not writable"), "{c:?}");
            }
        }
    }

    #[tokio::test]
    async fn send_echo_against_the_sandbox_passes_api_and_clock() {
        let sandbox = regi_pokepay_emulator::start_loopback(Default::default())
            .await
            .expect("sandbox");
        let api = ApiSettings::new(
            &sandbox.base_url,
            &sandbox.client_id,
            sandbox.client_secret.clone(),
        );
        let checks = doctor::api_checks(&api, Lang::En).await;
        assert!(checks.iter().all(|c| c.ok), "{checks:?}");
        let wrong = ApiSettings::new(
            &sandbox.base_url,
            &sandbox.client_id,
            regi_core::secret::Secret::new("A".repeat(43)),
        );
        let checks = doctor::api_checks(&wrong, Lang::En).await;
        assert_eq!(
            checks[0].hint.as_deref(),
            Some(doctor::DoctorTexts::of(Lang::En).hint_decrypt),
            "{checks:?}"
        );
    }

    #[test]
    fn a_plain_manager_pin_is_a_warning_pointing_to_pin_set() {
        let s = Lang::En.strings();
        let path = std::path::Path::new("/etc/regi/regi.toml");
        let plain = Config::from_toml_str("[ui]\nmanager_pin = \"2580\"\n", path).unwrap();
        let c = manager_pin_check(&plain, s);
        assert!(c.ok, "a plain PIN still works: {c:?}");
        assert_eq!(c.hint.as_deref(), Some(s.hint_pin_set));
        assert!(
            c.hint
                .as_deref()
                .unwrap_or_default()
                .contains("regi pin set")
        );
        let report = format_report(&[c], s);
        assert!(report.starts_with("[WARN] Manager PIN"), "{report}");
        assert!(!report.contains("2580"), "{report}");

        let none = manager_pin_check(&Config::default(), s);
        assert!(none.ok && none.hint.is_none(), "{none:?}");
        assert!(format_report(&[none], s).starts_with("[OK]"));
    }

    #[tokio::test]
    async fn a_broken_config_stops_after_the_first_check() {
        let s = Lang::En.strings();
        let loaded = Err(ConfigError::MissingCredentials(vec!["client_id"]));
        let checks = all_checks(&loaded, s, &DoctorSetup::default()).await;
        assert_eq!(checks.len(), 1);
        assert!(!checks[0].ok);
        assert_eq!(checks[0].hint.as_deref(), Some(s.hint_config));
    }

    #[tokio::test]
    async fn a_shop_id_the_server_does_not_have_fails_before_the_first_sale() {
        let sandbox = regi_pokepay_emulator::start_loopback(Default::default())
            .await
            .expect("sandbox");
        let api = ApiSettings::new(
            &sandbox.base_url,
            &sandbox.client_id,
            sandbox.client_secret.clone(),
        );
        let mut pokepay = regi_pokepay::PokepaySettings {
            shop_id: Some(sandbox.shop_id),
            private_money_id: Some(sandbox.private_money_id),
            ..regi_pokepay::PokepaySettings::default()
        };
        let good = doctor::shop_check(&api, &pokepay, Lang::En).await;
        assert!(good.ok, "{good:?}");
        pokepay.shop_id = Some(uuid::Uuid::new_v4());
        let wrong = doctor::shop_check(&api, &pokepay, Lang::En).await;
        assert!(!wrong.ok, "{wrong:?}");
        assert_eq!(
            wrong.hint.as_deref(),
            Some(doctor::DoctorTexts::of(Lang::En).hint_shop)
        );
    }

    #[tokio::test]
    async fn training_says_nothing_about_missing_credentials() {
        let s = Lang::En.strings();
        let loaded = Ok(LoadedConfig::default());
        let setup = DoctorSetup {
            training: true,
            data_dir: None,
        };
        let checks = all_checks(&loaded, s, &setup).await;
        let report = format_report(&checks, s);
        assert!(!report.contains("credentials"), "{report}");
        assert!(
            report.contains("sandbox") && report.contains("--training"),
            "{report}"
        );
    }

    #[tokio::test]
    async fn a_malformed_secret_in_an_ini_points_to_the_ini() {
        let s = Lang::En.strings();
        let dir = tempfile::tempdir().expect("temp dir");
        let ini = dir.path().join("config.ini");
        std::fs::write(&ini, "CLIENT_SECRET = not-a-secret\n").expect("write");
        let loaded = crate::config_file::load(None, Some(&ini));
        let c = config_check(&loaded, s);
        assert!(!c.ok, "{c:?}");
        let hint = c.hint.unwrap_or_default();
        assert!(hint.contains("config.ini"), "{hint}");
        assert!(!hint.contains("regi.example.toml"), "{hint}");
    }

    #[tokio::test]
    async fn an_unnamed_store_fails_the_doctor_also_against_a_sandbox() {
        let s = Lang::En.strings();
        let sandbox = regi_pokepay_emulator::start_loopback(Default::default())
            .await
            .expect("sandbox");
        let config = LoadedConfig {
            pokepay: regi_pokepay::PokepaySettings {
                api: ApiSettings::new(
                    &sandbox.base_url,
                    &sandbox.client_id,
                    sandbox.client_secret.clone(),
                ),
                ..regi_pokepay::PokepaySettings::default()
            },
            ..LoadedConfig::default()
        };
        let checks = all_checks(&Ok(config), s, &DoctorSetup::default()).await;
        let store = checks
            .iter()
            .find(|c| c.name == s.check_store)
            .expect("a store line");
        assert!(
            !store.ok && store.hint.as_deref() == Some(s.hint_store),
            "{store:?}"
        );
    }

    #[test]
    fn live_selling_without_a_store_name_and_number_refuses_to_start() {
        let mut config = LoadedConfig {
            config: Config {
                tenders: regi_config::Tenders::listed([regi_pokepay::PROVIDER]),
                ..Config::default()
            },
            pokepay: regi_pokepay::PokepaySettings {
                api: ApiSettings::new(
                    "https://partnerapi.example.jp",
                    "id",
                    regi_core::secret::Secret::new("A".repeat(43)),
                ),
                ..regi_pokepay::PokepaySettings::default()
            },
        };
        let err = crate::setup::require_store_for_live_selling(&config)
            .unwrap_err()
            .to_string();
        assert!(err.contains("name, registration_number"), "{err}");
        config.config.store.name = "店".into();
        config.config.store.invoice_issuer = false;
        assert!(crate::setup::require_store_for_live_selling(&config).is_ok());
    }
}
