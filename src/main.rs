use clap::Parser;

fn main() -> std::process::ExitCode {
    use regi::cli::Command;
    let cli = regi::cli::Cli::parse();
    if let Some(Command::Checkout(args)) = &cli.command {
        return regi::engine::cli::run(&cli, args);
    }
    let result = match &cli.command {
        Some(Command::Checkout(_)) => unreachable!("handled above"),
        Some(Command::Journal(args)) => regi::journal::cli::run_journal(&cli, args),
        Some(Command::Report(args)) => regi::journal::cli::run_report(&cli, args),
        None => {
            println!("{cli:?}");
            Ok(())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("regi: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
