//! `regi-bench`: programs that measure regi and print figures, each next to what it is compared
//! against in the same run. Never timed tests: the numbers go into BENCHMARKS.md.
//!
//! - `client`: a provider's status read through regi's client (Pokepay's GetCashtray, KOMOJU's
//!   session, elepay's charge status) against the floor of the same server;
//! - `sandbox-load`: many simulated terminals polling the sandbox;
//! - `detect`: from the customer paying to the engine reporting paid, and requests per checkout;
//! - `chaos`: checkouts against a faulty sandbox while `regi checkout` is killed and restarted;
//! - `store`: registers shipping to one PostgreSQL (lag, sale latency, catch-up) and the store's Z;
//! - `tui`: frame render time, startup to first frame, memory and idle CPU of the clerk's screen.

pub mod chaos;
pub mod client;
pub mod client_wire;
pub mod compare;
pub mod counting;
pub mod cpu;
pub mod detect;
pub mod load;
pub mod process;
pub mod stats;
pub mod store;
pub mod table;
pub mod target;
pub mod tui;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "regi-bench",
    version,
    about = "Measure regi: client latency, sandbox load, payment detection, chaos runs, store mode"
)]
pub struct BenchCli {
    /// Also print the figures as one JSON object on the last line.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: BenchCommand,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// regi's client reading one object (Pokepay, KOMOJU or elepay), against the same server's floor.
    Client(client::ClientArgs),
    /// Simulated terminals polling trays (with creates and payments) against one sandbox.
    SandboxLoad(load::LoadArgs),
    /// Time from the customer paying to the engine reporting paid, under the default poll policy.
    Detect(detect::DetectArgs),
    /// Mixed checkouts against a faulty sandbox while `regi checkout` is killed and restarted.
    Chaos(chaos::ChaosArgs),
    /// Frame render time, startup to first frame, resident memory and idle CPU of the TUI.
    Tui(tui::TuiArgs),
    /// Registers shipping to one PostgreSQL: lag, sale latency up vs stopped, catch-up, store Z.
    Store(store::StoreArgs),
}

/// Runs one subcommand and prints its figures. Exit 1 on error; `chaos` exits 2 when a rule was
/// broken (a double charge, a lost sale, an unresolved attempt, a mismatch).
pub fn run(cli: BenchCli) -> ExitCode {
    let result = match &cli.command {
        BenchCommand::Client(args) => client::run(args).map(|o| (o, true)),
        BenchCommand::SandboxLoad(args) => load::run(args).map(|o| (o, true)),
        BenchCommand::Detect(args) => detect::run(args).map(|o| (o, true)),
        BenchCommand::Chaos(args) => chaos::run(args),
        BenchCommand::Tui(args) => tui::run(args).map(|o| (o, true)),
        BenchCommand::Store(args) => store::run(args).map(|o| (o, true)),
    };
    match result {
        Ok((output, clean)) => {
            print!("{}", output.render(cli.json));
            if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(err) => {
            eprintln!("regi-bench: {err:#}");
            ExitCode::FAILURE
        }
    }
}
