use std::process::ExitCode;

use clap::Parser;
use regi::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Checkout(args)) => regi::engine::cli::run(&cli, args),
        Some(Command::Sandbox(args)) => regi::sandbox::cli::run_sandbox(args.clone()),
        Some(Command::Customer(args)) => regi::sandbox::cli::run_customer(args.clone()),
        Some(Command::PrintTest(args)) => {
            regi::printer::print_test::run(args, cli.config.as_deref())
        }
        Some(Command::ScanTest(args)) => scan_test(&cli, args),
        Some(Command::Journal(args)) => report(regi::journal::cli::run_journal(&cli, args)),
        Some(Command::Report(args)) => report(regi::journal::cli::run_report(&cli, args)),
        None => {
            println!("{cli:?}");
            ExitCode::SUCCESS
        }
    }
}

fn scan_test(cli: &Cli, args: &regi::scanner::cli::ScanTestArgs) -> ExitCode {
    match regi::setup::load_config(cli) {
        Ok(config) => regi::scanner::cli::run(args, &config.scanner),
        Err(err) => report(Err(err)),
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
