use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = regi::cli::Cli::parse();
    match &cli.command {
        Some(regi::cli::Command::Sandbox(args)) => {
            return regi::sandbox::cli::run_sandbox(args.clone());
        }
        Some(regi::cli::Command::Customer(args)) => {
            return regi::sandbox::cli::run_customer(args.clone());
        }
        _ => {}
    }
    println!("{cli:?}");
    std::process::ExitCode::SUCCESS
}
