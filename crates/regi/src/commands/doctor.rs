//! `regi doctor`: runs every check and prints it with its fix-it hint; the exit status says
//! whether selling can start.

use regi_tui::ui::strings::LangStrings as _;
use std::process::ExitCode;

use super::checks::{DoctorSetup, all_checks, secret_file_checks};
use crate::setup::GlobalOptions;
use regi_core::app::records::Check;
use regi_tui::ui::strings::Strings;

pub fn format_report(checks: &[Check], s: &Strings) -> String {
    let mut out = String::new();
    for c in checks {
        let label = match (c.ok, &c.hint) {
            (true, None) => s.label_ok,
            (true, Some(_)) => s.label_warn,
            (false, _) => s.label_ng,
        };
        out.push_str(&format!("{label} {}: {}\n", c.name, c.detail));
        if let Some(hint) = &c.hint {
            out.push_str(&format!("     → {hint}\n"));
        }
    }
    out
}

/// `regi doctor`: prints every check; the exit status says whether all passed.
pub fn run(options: &GlobalOptions) -> ExitCode {
    let config_file = options.config_path();
    let loaded = crate::config_file::load(config_file.as_deref(), options.pokepay_ini.as_deref());
    let lang = options
        .lang
        .or_else(|| loaded.as_ref().ok().map(|c| c.ui.lang))
        .unwrap_or_default();
    let s = lang.strings();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{}", s.error(&e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    let setup = DoctorSetup {
        training: options.training,
        data_dir: Some(options.data_dir()),
    };
    let mut checks = runtime.block_on(all_checks(&loaded, s, &setup));
    if let Ok(config) = &loaded
        && let Some(check) = runtime.block_on(super::store::doctor_check(config, s))
    {
        checks.push(check);
    }
    let secret_files = config_file.iter().chain(options.pokepay_ini.iter());
    let file_checks = secret_files.flat_map(|path| secret_file_checks(path, s));
    // Right after the configuration check, which names the same files.
    let at = checks.len().min(1);
    checks.splice(at..at, file_checks);
    print!("{}", format_report(&checks, s));
    if checks.iter().all(|c| c.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
