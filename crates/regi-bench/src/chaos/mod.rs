//! `regi-bench chaos`: mixed checkouts against a `regi sandbox` process that drops answers,
//! answers 503, delays and holds calls, while the `regi checkout` processes are SIGKILLed at
//! random moments and restarted on the same journal. At the end every register's journal
//! (`regi journal export`) is compared with the sandbox ledger: double charges, lost sales,
//! unresolved attempts and mismatches must all be 0.
//!
//! Several registers (lanes) run side by side, each with its own data directory and terminal
//! name, so that a thousand checkouts fit in a few minutes; within a register checkouts run one
//! after another, as at a real till.
//!
//! `--provider` picks the sandbox the registers pay at: Pokepay (QR and customer codes, payments
//! and top-ups), KOMOJU (its hosted page) or elepay (a wallet's QR and its EasyQR page).

mod audit;
mod customer;
mod elepay;
mod komoju;
mod lane;
mod plan;
mod pokepay;
mod provider;
mod sandbox;

pub use audit::{Audit, JournalAttempt, JournalSale, LedgerEntry, audit};
pub use plan::{Kind, Planned, plan, split_some};
pub use provider::Provider;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

use super::cpu::Machine;
use super::process::{SandboxSpec, regi_binary};
use super::table::{Output, Table};
use lane::{LaneLog, Register, prepare_register, run_lane};
use sandbox::{ChaosSandbox, ledger_path};

pub const DEFAULT_FAULTS: &str = "drop=0.05,unavailable=0.05,timeout=0.01,latency=5";

#[derive(Debug, Clone, clap::Args)]
pub struct ChaosArgs {
    /// The payment provider whose sandbox the registers pay at.
    #[arg(long, value_enum, default_value_t = Provider::Pokepay)]
    pub provider: Provider,
    /// Checkouts to run in all (plus one settling checkout per register at the end).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub checkouts: usize,
    /// Times a checkout process is SIGKILLed.
    #[arg(long, default_value_t = 20, value_name = "K")]
    pub kills: usize,
    /// Fixes the plan (kinds, amounts, kill moments), the sandbox and its faults.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Percent of the paying checkouts that are split sales: a third in cash, then the rest by
    /// QR or code (a refused rest gives the cash back).
    #[arg(long, default_value_t = 20, value_name = "PERCENT", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub split: u32,
    /// Registers running side by side.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub lanes: usize,
    /// Sandbox faults, as `regi sandbox --fault` takes them.
    #[arg(long = "fault", value_name = "SPEC", default_value = DEFAULT_FAULTS)]
    pub faults: Vec<String>,
    /// Stop starting checkouts after this many seconds (the run still settles and audits).
    #[arg(long, default_value_t = 900, value_name = "S")]
    pub max_seconds: u64,
    /// Keep the registers' journals and the sandbox ledger here instead of a temporary directory.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

/// Returns the figures and whether every rule held.
pub fn run(args: &ChaosArgs) -> anyhow::Result<(Output, bool)> {
    if args.lanes == 0 {
        bail!("--lanes must be at least 1");
    }
    let regi = regi_binary()?;
    let temp = tempfile::tempdir()?;
    let root = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => temp.path().to_path_buf(),
    };
    let ledger_path = ledger_path(&root, args.provider);
    if ledger_path.exists() {
        bail!(
            "{} already holds a ledger; give an empty --keep directory",
            ledger_path.display()
        );
    }
    let sandbox = ChaosSandbox::spawn(
        &regi,
        &root,
        args.provider,
        &SandboxSpec {
            seed: Some(args.seed),
            faults: args.faults.clone(),
            state: Some(ledger_path),
        },
    )?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let customer = sandbox.customer()?;
    let registers: Vec<Register> = (1..=args.lanes)
        .map(|lane| prepare_register(&root, &regi, &sandbox, args.provider, lane))
        .collect::<anyhow::Result<_>>()?;
    let mut planned = plan(args.seed, args.checkouts, args.kills, args.provider.mix());
    split_some(&mut planned, args.seed, args.split);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.max_seconds);
    let logs: Vec<LaneLog> = std::thread::scope(|scope| {
        let handles: Vec<_> = registers
            .iter()
            .enumerate()
            .map(|(lane, register)| {
                let mine: Vec<Planned> = planned
                    .iter()
                    .filter(|p| p.index % args.lanes == lane)
                    .cloned()
                    .collect();
                let customer = &customer;
                let handle = runtime.handle().clone();
                let seed = args.seed.wrapping_mul(31).wrapping_add(lane as u64);
                scope.spawn(move || run_lane(register, &mine, customer, &handle, seed, deadline))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let elapsed = started.elapsed();

    let mut sales = Vec::new();
    let mut drawers = 0i64;
    for register in &registers {
        sales.extend(export_journal(register)?);
        drawers += drawer_expected(register)?;
    }
    let ledger = customer
        .ledger(runtime.handle())
        .context("reading the sandbox ledger")?;
    drop(sandbox);
    let mut found = audit(&sales, &ledger);
    found.drawer_expected_yen = Some(drawers);
    let clean = found.clean() && logs.iter().all(|l| l.settled);
    Ok((
        report(args, &logs, &found, elapsed, &root, args.keep.is_some()),
        clean,
    ))
}

/// The cash the register's X report expects in its drawer (no float or paid-in/out in a chaos
/// run: the cash its sales kept).
fn drawer_expected(register: &Register) -> anyhow::Result<i64> {
    let out = Command::new(&register.regi)
        .arg("--data-dir")
        .arg(&register.data_dir)
        .arg("--config")
        .arg(&register.config)
        .args(["report", "x", "--json"])
        .output()
        .with_context(|| format!("the X report of {}", register.name))?;
    if !out.status.success() {
        bail!(
            "regi report x failed for {}: {}",
            register.name,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("reading the X report of {}", register.name))?;
    report["cash"]["expected"]
        .as_i64()
        .with_context(|| format!("the X report of {} names no cash expected", register.name))
}

fn export_journal(register: &Register) -> anyhow::Result<Vec<JournalSale>> {
    let out = Command::new(&register.regi)
        .arg("--data-dir")
        .arg(&register.data_dir)
        .args(["journal", "export", "--format", "json"])
        .output()
        .with_context(|| format!("exporting the journal of {}", register.name))?;
    if !out.status.success() {
        bail!(
            "regi journal export failed for {}: {}",
            register.name,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout)
        .with_context(|| format!("reading the journal export of {}", register.name))
}

fn report(
    args: &ChaosArgs,
    logs: &[LaneLog],
    found: &Audit,
    elapsed: Duration,
    root: &std::path::Path,
    kept: bool,
) -> Output {
    let mut outcomes: BTreeMap<(Kind, String), usize> = BTreeMap::new();
    for log in logs {
        for (key, n) in &log.outcomes {
            *outcomes.entry(key.clone()).or_default() += n;
        }
    }
    let run: usize = outcomes.values().sum();
    let sum = |f: fn(&LaneLog) -> usize| logs.iter().map(f).sum::<usize>();
    let kills_landed = sum(|l| l.kills_landed);
    let settling = sum(|l| l.settling_checkouts);
    let unsettled = logs.iter().filter(|l| !l.settled).count();

    // Pokepay's figures read as they always did; another provider is named.
    let named = match args.provider {
        Provider::Pokepay => String::new(),
        other => format!(" ({})", other.name()),
    };
    let mut rules = Table::new(
        format!(
            "chaos{named}: {run} checkouts on {} registers, {kills_landed} SIGKILLs, faults {}",
            args.lanes,
            args.faults.join(",")
        ),
        &["rule", "found", "must be"],
    );
    rules
        .row([
            "double charges".to_string(),
            found.double_charges.to_string(),
            "0".into(),
        ])
        .row([
            "lost sales".to_string(),
            found.lost_sales.to_string(),
            "0".into(),
        ])
        .row([
            "unresolved attempts".to_string(),
            found.unresolved.to_string(),
            "0".into(),
        ])
        .row([
            "journal-vs-ledger mismatches".to_string(),
            found.mismatches.to_string(),
            "0".into(),
        ])
        .row([
            "paid yen: journal vs ledger".to_string(),
            format!("{} vs {}", found.journal_paid_yen, found.ledger_yen),
            "equal".into(),
        ])
        .row([
            "cash yen: journal vs drawers expected".to_string(),
            format!(
                "{} vs {}",
                found.journal_cash_yen,
                found
                    .drawer_expected_yen
                    .map_or_else(|| "-".to_string(), |y| y.to_string())
            ),
            "equal".into(),
        ])
        .row([
            "registers left unsettled".to_string(),
            unsettled.to_string(),
            "0".into(),
        ]);

    let mut runs = Table::new(
        "checkouts by kind and how the process ended",
        &["kind", "ended", "count"],
    );
    for ((kind, ended), n) in &outcomes {
        runs.row([kind.name().to_string(), ended.clone(), n.to_string()]);
    }

    let mut totals = Table::new("", &["figure", "value"]);
    totals
        .row([
            "time taken (s)".to_string(),
            format!("{:.1}", elapsed.as_secs_f64()),
        ])
        .row([
            "checkouts per second".to_string(),
            format!("{:.2}", run as f64 / elapsed.as_secs_f64().max(0.001)),
        ])
        .row([
            "kills planned / landed".to_string(),
            format!("{} / {kills_landed}", args.kills),
        ])
        .row([
            "kills carried to a later checkout".to_string(),
            sum(|l| l.kills_carried).to_string(),
        ])
        .row([
            "extra checkouts to land an owed kill".to_string(),
            sum(|l| l.extra_checkouts).to_string(),
        ])
        .row(["settling checkouts".to_string(), settling.to_string()])
        .row([
            "journal sales / paid".to_string(),
            format!("{} / {}", found.journal_sales, found.journal_paid),
        ])
        .row([
            "ledger transactions".to_string(),
            found.ledger_transactions.to_string(),
        ])
        .row([
            "split sales (paid by more than one tender)".to_string(),
            found.split_sales.to_string(),
        ])
        .row([
            "cash kept in the drawers by the journal (yen)".to_string(),
            found.journal_cash_yen.to_string(),
        ])
        .row(["stuck processes".to_string(), sum(|l| l.stuck).to_string()])
        .row([
            "customer-side errors".to_string(),
            sum(|l| l.customer_errors).to_string(),
        ]);

    let machine = Machine::here();
    let mut notes = vec![machine.line(), format!("seed {}", args.seed)];
    if kept {
        notes.push(format!("journals and ledger kept in {}", root.display()));
    }
    notes.extend(found.problems.iter().map(|p| format!("  problem: {p}")));
    let states: serde_json::Value = found
        .states
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let mut json = json!({
        "bench": "chaos",
        "seed": args.seed,
        "checkouts": run,
        "lanes": args.lanes,
        "faults": args.faults,
        "kills_planned": args.kills,
        "kills_landed": kills_landed,
        "double_charges": found.double_charges,
        "lost_sales": found.lost_sales,
        "unresolved": found.unresolved,
        "mismatches": found.mismatches,
        "journal_paid_yen": found.journal_paid_yen,
        "ledger_yen": found.ledger_yen,
        "journal_sales": found.journal_sales,
        "ledger_transactions": found.ledger_transactions,
        "split_percent": args.split,
        "split_sales": found.split_sales,
        "journal_cash_yen": found.journal_cash_yen,
        "drawer_expected_yen": found.drawer_expected_yen,
        "settling_checkouts": settling,
        "extra_checkouts": sum(|l| l.extra_checkouts),
        "unsettled_registers": unsettled,
        "sale_states": states,
        "seconds": (elapsed.as_secs_f64() * 10.0).round() / 10.0,
        "clean": found.clean() && unsettled == 0,
        "machine": machine,
    });
    if args.provider != Provider::Pokepay {
        json["provider"] = json!(args.provider.name());
    }
    Output {
        tables: vec![rules, runs, totals],
        notes,
        json,
    }
}
