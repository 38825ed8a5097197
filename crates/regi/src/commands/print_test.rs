//! `regi print-test`: prints the sample receipt to check a printer and its settings, under the
//! configured store header and with a receipt code of the real format, so the paper shows what the
//! shop's receipts will carry.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use clap::Args;

use regi_printer::receipt::ReceiptDoc;
use regi_printer::receipt_bytes;
use regi_printer::sample::sample_receipt;
use regi_printer::settings::PrinterSettings;
use regi_printer::spool::{Blocked, JobKind, MemoryQueue, NewPrintJob, Spooler};
use regi_printer::transport::Target;

/// The sample's store, terminal and receipt code as this till prints them. Receipt number 0 is
/// no sale's, so scanning the test print opens nothing.
fn as_configured(doc: &mut ReceiptDoc, config: &regi_config::Config) {
    if !config.store.name.trim().is_empty() {
        doc.store = regi_receipts::store_header(config);
    }
    doc.terminal = regi_receipts::terminal_info(config, "");
    doc.receipt_number = "000000".to_owned();
    doc.receipt_code = Some(regi_receipts::receipt_code(config, 0));
}

#[derive(Debug, Clone, Args)]
pub struct PrintTestArgs {
    /// Where to print: usb[:VID:PID], tcp:HOST[:PORT], device:PATH or file:PATH [default: from config].
    #[arg(long, value_name = "TARGET")]
    pub to: Option<String>,
    /// Printer profile: tm-t20iii, tm-t88, 58mm or generic [default: from config].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

pub fn run(args: &PrintTestArgs, config: Option<&Path>) -> ExitCode {
    match print_sample(args, config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("regi print-test: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_sample(args: &PrintTestArgs, config: Option<&Path>) -> Result<(), String> {
    let mut settings = match config {
        Some(path) => regi_config::printer_settings_from_file(path).map_err(|e| e.to_string())?,
        None => PrinterSettings::default(),
    };
    if let Some(to) = &args.to {
        settings.target.clone_from(to);
    }
    if let Some(profile) = &args.profile {
        settings.profile.clone_from(profile);
    }
    let profile = settings.resolved_profile().map_err(|e| e.to_string())?;
    let target = settings.target().map_err(|e| e.to_string())?;

    let mut doc = sample_receipt(Utc::now());
    if let Some(config) = config.and_then(|path| regi_config::Config::load(Some(path)).ok()) {
        as_configured(&mut doc, &config);
    }
    let bytes = receipt_bytes(&doc, &profile, &settings).map_err(|e| e.to_string())?;
    let transport = target
        .open(settings.timeouts())
        .map_err(|e| format!("{target}: {e}"))?;
    let mut spooler = Spooler::new(MemoryQueue::new(), transport, settings.check_status);
    let job = NewPrintJob {
        kind: JobKind::Test,
        bytes: bytes.clone(),
        created_at: doc.issued_at,
    };
    let (_, report) = spooler.submit(job).map_err(|e| e.to_string())?;
    match report.blocked {
        Some(Blocked::Printer(problem)) => {
            return Err(format!(
                "not printed: {} / {}",
                problem.message_ja(),
                problem.message_en()
            ));
        }
        Some(Blocked::Unreachable(detail)) => return Err(format!("not printed: {detail}")),
        None => {}
    }
    eprintln!(
        "Printed the sample receipt ({} bytes, profile {}) to {target}.",
        bytes.len(),
        profile.name
    );
    if let Target::File(_) = target {
        let preview = regi_printer::preview_text(&bytes).map_err(|e| e.to_string())?;
        print!("{preview}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_print_carries_the_configured_store_and_a_real_receipt_code() {
        let config = regi_config::Config::from_toml_str(
            "[store]\nname = \"八百屋 本店\"\nregistration_number = \"T7000012050002\"\n\
             [terminal]\nid = \"02\"\n",
            Path::new("/etc/regi/regi.toml"),
        )
        .expect("config");
        let mut doc = sample_receipt(Utc::now());
        as_configured(&mut doc, &config);
        assert_eq!(doc.store.name, "八百屋 本店");
        assert_eq!(doc.store.registration_number, "T7000012050002");
        let code = doc.receipt_code.expect("a code");
        assert!(code.starts_with("RGI-02-"), "{code}");
        assert!(
            regi_core::scan::ReceiptCode::parse(&code).is_some(),
            "{code}"
        );
    }
}
