use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = regi::cli::Cli::parse();
    match cli.command {
        Some(regi::cli::Command::Sandbox(args)) => regi::sandbox::cli::run_sandbox(args),
        Some(regi::cli::Command::Customer(args)) => regi::sandbox::cli::run_customer(args),
        command => {
            println!("{command:?}");
            std::process::ExitCode::SUCCESS
        }
    }
}
