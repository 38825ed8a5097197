use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = regi::cli::Cli::parse();
    println!("{cli:?}");
    std::process::ExitCode::SUCCESS
}
