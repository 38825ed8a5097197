use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = regi::cli::Cli::parse();
    if let Some(regi::cli::Command::ScanTest(args)) = &cli.command {
        return regi::scanner::cli::run(args, &Default::default());
    }
    println!("{cli:?}");
    std::process::ExitCode::SUCCESS
}
