//! Command-line interface: global options and one subcommand per job.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "regi",
    version,
    about = "Checkout terminal for Pokepay QR payments (レジ)"
)]
pub struct Cli {
    /// Directory holding regi's journal, logs and state [default: the platform data dir].
    #[arg(long, global = true, env = "REGI_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// regi's TOML configuration file [default: DATA_DIR/regi.toml when it exists].
    #[arg(long, global = true, env = "REGI_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// A Pokepay SDK `config.ini` to take the API credentials from.
    #[arg(
        long,
        global = true,
        env = "POKEPAY_PARTNER_CONFIG_FILE",
        value_name = "PATH"
    )]
    pub pokepay_ini: Option<PathBuf>,

    #[command(flatten)]
    pub tui: crate::runtime::tui::TuiArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the clerk's terminal (also what `regi` alone does).
    Run,
    /// Check configuration, credentials, the Partner API and the clock, with a fix-it hint each.
    Doctor,
    /// Take one payment (or top-up) from the command line: a QR to scan or a customer's code.
    Checkout(crate::engine::cli::CheckoutArgs),
    /// Settle every payment and refund left in flight (e.g. after a full disk), then stop.
    Recover(crate::engine::cli::RecoverArgs),
    /// Inspect the sales journal: list, show, export.
    Journal(crate::journal::cli::JournalArgs),
    /// Print the X report, or close the business day with the Z report.
    Report(crate::journal::cli::ReportArgs),
    /// Run the Pokepay Partner API sandbox on loopback.
    Sandbox(crate::sandbox::cli::SandboxArgs),
    /// Act as a sandbox customer (pay a cashtray, show a CPM code).
    Customer(crate::sandbox::cli::CustomerArgs),
    /// Show or print receipts from the journal, and the print queue.
    Receipt(crate::receipts::cli::ReceiptArgs),
    /// Print a sample receipt to check the printer.
    PrintTest(crate::printer::print_test::PrintTestArgs),
    /// Show what the barcode scanner sends: live (USB, serial, FIFO) or from a recorded trace.
    ScanTest(crate::scanner::cli::ScanTestArgs),
    /// Set or remove the manager PIN asked before refunds (kept in regi.toml as a hash).
    Pin(PinArgs),
}

#[derive(Debug, clap::Args)]
pub struct PinArgs {
    #[command(subcommand)]
    pub action: PinAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum PinAction {
    /// Ask for a new PIN (4 to 8 digits) twice without echo and store its argon2id hash in
    /// regi.toml, replacing a plain `manager_pin`. Reads the PIN from standard input when that is
    /// not a terminal.
    Set,
    /// Remove the manager PIN: refunds then only need confirming.
    Clear,
}
