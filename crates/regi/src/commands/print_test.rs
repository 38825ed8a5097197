//! `regi print-test`: prints the sample receipt to check a printer and its settings.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use clap::Args;

use regi_printer::receipt_bytes;
use regi_printer::sample::sample_receipt;
use regi_printer::settings::PrinterSettings;
use regi_printer::spool::{Blocked, JobKind, MemoryQueue, NewPrintJob, Spooler};
use regi_printer::transport::Target;

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

    let doc = sample_receipt(Utc::now());
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
