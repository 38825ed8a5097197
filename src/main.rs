use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = regi::cli::Cli::parse();
    if let Some(regi::cli::Command::PrintTest(args)) = &cli.command {
        return regi::printer::print_test::run(args, cli.config.as_deref());
    }
    println!("{cli:?}");
    std::process::ExitCode::SUCCESS
}
