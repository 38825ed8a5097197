//! Command-line interface: global options and one subcommand per job. Part of the binary: only
//! the binary parses arguments, the library takes plain options.

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
    pub tui: TuiArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the terminal, valid with or without the `run` subcommand.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TuiArgs {
    /// Training mode: the built-in sandbox instead of the Partner API, a separate journal and a
    /// TRAINING banner. Also chosen when no credentials are configured.
    #[arg(long, global = true)]
    pub training: bool,
    /// Language of the screens and reports [default: [ui] lang in regi.toml, else ja].
    #[arg(long, global = true, value_name = "ja|en")]
    pub lang: Option<regi_core::lang::Lang>,
}

impl Cli {
    /// What this process is, as another regi kept out of the journal is told: `regi checkout`,
    /// `regi (till)`; never the arguments.
    pub fn process_label(&self) -> String {
        let command = match &self.command {
            None | Some(Command::Run) => "(till)",
            Some(Command::Doctor) => "doctor",
            Some(Command::Checkout(_)) => "checkout",
            Some(Command::Recover(_)) => "recover",
            Some(Command::Capture(_)) => "capture",
            Some(Command::Release(_)) => "release",
            Some(Command::Refund(_)) => "refund",
            Some(Command::Tab(_)) => "tab",
            Some(Command::Journal(_)) => "journal",
            Some(Command::Report(_)) => "report",
            Some(Command::Sandbox(_)) => "sandbox",
            Some(Command::Customer(_)) => "customer",
            Some(Command::Receipt(_)) => "receipt",
            Some(Command::PrintTest(_)) => "print-test",
            Some(Command::ScanTest(_)) => "scan-test",
            Some(Command::Pin(_)) => "pin",
            Some(Command::Drawer(_)) => "drawer",
            Some(Command::Display) => "display",
            Some(Command::Staff(_)) => "staff",
            Some(Command::Backup(_)) => "backup",
            Some(Command::Restore(_)) => "restore",
            Some(Command::Store(_)) => "store",
        };
        format!("regi {command}")
    }

    /// The options every command shares, as the library takes them.
    pub fn global_options(&self) -> regi::setup::GlobalOptions {
        regi::setup::GlobalOptions {
            data_dir: self.data_dir.clone(),
            config: self.config.clone(),
            pokepay_ini: self.pokepay_ini.clone(),
            lang: self.tui.lang,
            training: self.tui.training,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the clerk's terminal (also what `regi` alone does).
    Run,
    /// Check configuration, credentials, the Partner API and the clock, with a fix-it hint each.
    Doctor,
    /// Take one payment (or top-up) from the command line: a QR to scan or a customer's code.
    Checkout(regi::commands::checkout::CheckoutArgs),
    /// Take a payment held for a later capture (`checkout --hold`), all of it or less.
    Capture(regi::commands::capture::CaptureArgs),
    /// Give a held payment back to the customer untaken (the order was never picked up).
    Release(regi::commands::capture::ReleaseArgs),
    /// Refund a paid sale: all that is left of it, or part of it where the provider allows.
    Refund(regi::commands::refund::RefundArgs),
    /// Customers' tabs: open one on a verified card, charge sales to it, close it to bill.
    Tab(regi::commands::tab::TabArgs),
    /// Settle every payment and refund left in flight (e.g. after a full disk), then stop.
    Recover(regi::commands::checkout::RecoverArgs),
    /// Inspect the sales journal: list, show, export.
    Journal(regi::commands::journal::JournalArgs),
    /// Print the X report, or close the business day with the Z report.
    Report(regi::commands::journal::ReportArgs),
    /// Run the Pokepay Partner API sandbox on loopback.
    Sandbox(regi::commands::sandbox::SandboxArgs),
    /// Act as a sandbox customer (pay a cashtray, show a CPM code).
    Customer(regi::commands::sandbox::CustomerArgs),
    /// Show or print receipts from the journal, and the print queue.
    Receipt(regi::commands::receipts::ReceiptArgs),
    /// Print a sample receipt to check the printer.
    PrintTest(regi::commands::print_test::PrintTestArgs),
    /// Show what the barcode scanner sends: live (USB, serial, FIFO) or from a recorded trace.
    ScanTest(regi::commands::scanner::ScanTestArgs),
    /// Set or remove the manager PIN asked before refunds (kept in regi.toml as a hash).
    Pin(PinArgs),
    /// The drawer's cash: opening float, paid-in/out, a count by denomination, its status.
    Drawer(regi::commands::drawer::DrawerArgs),
    /// The customer-facing display: run on a second terminal or a screen facing the customer; it
    /// mirrors the register on the same data directory (lines, total, the QR, the change).
    Display,
    /// Who may sign in at the register (担当者): add (asks the PIN), list, remove.
    Staff(regi::commands::staff::StaffArgs),
    /// Copy the journal (consistent while the till sells) to a file readable by its owner only.
    Backup(regi::commands::backup::BackupArgs),
    /// Put the journal back from a backup (refused over a newer journal or beside a till).
    Restore(regi::commands::backup::RestoreArgs),
    /// Store mode: the store's PostgreSQL schema, shipping status, store-wide X and Z.
    Store(regi::commands::store::StoreArgs),
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

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command};

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn training_and_language_work_with_and_without_run() {
        let cli = Cli::parse_from(["regi", "--training", "--lang", "en"]);
        assert!(cli.tui.training);
        assert_eq!(cli.tui.lang, Some(regi_core::lang::Lang::En));
        assert!(cli.command.is_none());
        let cli = Cli::parse_from(["regi", "run", "--lang", "ja"]);
        assert!(matches!(cli.command, Some(Command::Run)));
        assert_eq!(cli.tui.lang, Some(regi_core::lang::Lang::Ja));
        assert!(Cli::try_parse_from(["regi", "--lang", "fr"]).is_err());
        let options = Cli::parse_from(["regi", "--data-dir", "/d", "doctor"]).global_options();
        assert_eq!(options.data_dir(), std::path::PathBuf::from("/d"));
    }

    #[test]
    fn a_process_is_labelled_by_its_command_never_by_its_arguments() {
        let till = Cli::parse_from(["regi", "--lang", "en", "--training"]);
        assert_eq!(till.process_label(), "regi (till)");
        let token = "1234567890123456789012";
        let checkout = Cli::parse_from(["regi", "--lang", "ja", "checkout", "500", "--cpm", token]);
        assert_eq!(checkout.process_label(), "regi checkout");
    }
}
