//! The `regi` binary: parses the command line (`cli.rs`) and hands each subcommand plain options.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command, PinAction};
use regi::setup::GlobalOptions;

/// A command line regi cannot understand; no payment outcome uses this code (sysexits' EX_USAGE).
const USAGE_ERROR: u8 = 64;

fn main() -> ExitCode {
    // Everything regi creates (journals and their -wal/-shm, logs, print files, sandbox state) is
    // its user's alone, also what libraries create on their own such as the daily log file.
    #[cfg(unix)]
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(USAGE_ERROR)
            } else {
                // --help and --version.
                ExitCode::SUCCESS
            };
        }
    };
    let options = cli.global_options();
    regi_journal::label_this_process(cli.process_label());
    match &cli.command {
        Some(Command::Checkout(args)) => {
            let _log = file_log(&options);
            regi::commands::checkout::run(&options, args)
        }
        Some(Command::Capture(args)) => {
            let _log = file_log(&options);
            regi::commands::capture::run(&options, args)
        }
        Some(Command::Tab(args)) => {
            let _log = file_log(&options);
            regi::commands::tab::run(&options, args)
        }
        Some(Command::Drawer(args)) => {
            let _log = file_log(&options);
            regi::commands::drawer::run(&options, args)
        }
        Some(Command::Store(args)) => {
            let _log = file_log(&options);
            regi::commands::store::run(&options, args)
        }
        Some(Command::Refund(args)) => {
            let _log = file_log(&options);
            regi::commands::refund::run(&options, args)
        }
        Some(Command::Release(args)) => {
            let _log = file_log(&options);
            regi::commands::capture::run_release(&options, args)
        }
        Some(Command::Recover(args)) => {
            let _log = file_log(&options);
            regi::commands::checkout::run_recover(&options, args)
        }
        Some(Command::Sandbox(args)) => regi::commands::sandbox::run_sandbox(args.clone()),
        Some(Command::Customer(args)) => regi::commands::sandbox::run_customer(args.clone()),
        Some(Command::PrintTest(args)) => {
            regi::commands::print_test::run(args, options.config_path().as_deref())
        }
        Some(Command::Receipt(args)) => regi::commands::receipts::run(&options, args),
        Some(Command::ScanTest(args)) => scan_test(&options, args),
        Some(Command::Journal(args)) => report(regi::commands::journal::run_journal(
            &options.data_dir(),
            args,
        )),
        Some(Command::Report(args)) => {
            let reported =
                regi::commands::journal::run_report(&options.data_dir(), args, options.lang());
            // A Z closes the day: in store mode it goes to the store now, for the store's Z.
            if reported.is_ok() && args.which == regi::commands::journal::ReportWhich::Z {
                regi::commands::store::ship_now(&options, args.training);
            }
            report(reported)
        }
        Some(Command::Doctor) => regi::commands::doctor::run(&options),
        Some(Command::Display) => {
            let _log = file_log(&options);
            regi::commands::display::run(&options)
        }
        Some(Command::Staff(args)) => {
            let path = options.config_path_to_write();
            let config = options.load_config().ok();
            report(regi::commands::staff::run(
                &path,
                config.as_deref(),
                options.lang(),
                args,
            ))
        }
        Some(Command::Backup(args)) => report(regi::commands::backup::backup(
            &options.data_dir(),
            args,
            &mut std::io::stdout().lock(),
        )),
        Some(Command::Restore(args)) => report(regi::commands::backup::restore(
            &options.data_dir(),
            args,
            &mut std::io::stdout().lock(),
        )),
        Some(Command::Pin(args)) => {
            let path = options.config_path_to_write();
            let lang = options.lang();
            report(match args.action {
                PinAction::Set => regi_tui::runtime::pin_command::set(&path, lang),
                PinAction::Clear => regi_tui::runtime::pin_command::clear(&path, lang),
            })
        }
        None | Some(Command::Run) => regi::commands::till::run(&options),
    }
}

fn scan_test(options: &GlobalOptions, args: &regi::commands::scanner::ScanTestArgs) -> ExitCode {
    match options.load_config() {
        Ok(config) => regi::commands::scanner::run(args, &config.scanner),
        Err(err) => report(Err(err)),
    }
}

/// The daily log file under the data directory; keep the guard until the end (dropping it
/// flushes). Without one the command still runs.
fn file_log(options: &GlobalOptions) -> Option<regi_tui::runtime::logging::WorkerGuard> {
    match regi_tui::runtime::logging::init_file_logging(&options.data_dir()) {
        Ok(guard) => Some(guard),
        Err(e) => {
            eprintln!("regi: {e}; continuing without a log file");
            None
        }
    }
}

/// Prints a command's error the same way for every subcommand.
fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("regi: {err:#}");
            ExitCode::FAILURE
        }
    }
}
