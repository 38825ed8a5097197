//! `regi-bench sandbox-load`: N simulated terminals against one `regi sandbox` process. Each
//! terminal makes one request a second, like a till showing a QR: it creates a cashtray, polls it,
//! the customer pays after a few seconds (through the customer side), and once the poll sees the
//! payment the terminal creates the next tray. Payments and top-ups alternate so wallets never
//! run dry. Every Partner API call goes through regi's own client, each terminal on its own
//! connection; the first seconds (connections opening) are left out of the figures.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::bail;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;

use super::cpu::{CpuMeter, Machine};
use super::process::{SandboxProcess, SandboxSpec, regi_binary};
use super::stats::{Summary, summarize_us};
use super::table::{Output, Table, fixed};
use super::target::api_from_ini;
use regi_pokepay::Client;
use regi_pokepay::wire::{CreateCashtrayRequest, Num};
use regi_pokepay_emulator::{CUSTOMER_RICH, CustomerClient};

/// Goal: the sandbox serves this many polling terminals with p99 below `GOAL_P99_MS`.
pub const GOAL_TERMINALS: usize = 500;
pub const GOAL_P99_MS: f64 = 20.0;

#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Terminal counts to run, one fresh sandbox each (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "100,500,1000",
        value_name = "N"
    )]
    pub terminals: Vec<usize>,
    /// Length of each run in seconds, including the warm-up.
    #[arg(long, default_value_t = 20, value_name = "S")]
    pub seconds: u64,
    /// Seconds at the start left out of the figures.
    #[arg(long, default_value_t = 3, value_name = "S")]
    pub warmup: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the sandbox's ledger in SQLite (as `regi sandbox --state` does) in this directory.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// What one terminal saw.
#[derive(Debug, Default)]
struct TerminalLog {
    /// Latency in µs of every Partner API call started after the warm-up.
    api_us: Vec<u64>,
    scan_us: Vec<u64>,
    errors: u64,
    payments: u64,
}

#[derive(Debug)]
struct RunFigures {
    terminals: usize,
    api: Summary,
    scans: Summary,
    requests_per_s: f64,
    errors: u64,
    payments: u64,
    sandbox_cpu_percent: f64,
    generator_cpu_percent: f64,
}

pub fn run(args: &LoadArgs) -> anyhow::Result<Output> {
    if args.terminals.is_empty() || args.terminals.contains(&0) {
        bail!("--terminals needs counts of at least 1");
    }
    if args.seconds <= args.warmup {
        bail!("--seconds must be longer than --warmup");
    }
    let regi = regi_binary()?;
    let mut runs = Vec::new();
    for &n in &args.terminals {
        runs.push(one_run(&regi, args, n)?);
    }
    Ok(report(args, &runs))
}

fn one_run(
    regi: &std::path::Path,
    args: &LoadArgs,
    terminals: usize,
) -> anyhow::Result<RunFigures> {
    let dir = tempfile::tempdir()?;
    let state = args
        .state_dir
        .as_ref()
        .map(|d| d.join(format!("load-{terminals}.sqlite")));
    if let Some(path) = &state {
        let _ = std::fs::remove_file(path);
    }
    let sandbox = SandboxProcess::spawn(
        regi,
        dir.path(),
        &SandboxSpec {
            seed: Some(args.seed),
            state,
            ..SandboxSpec::default()
        },
    )?;
    let (api, shop_id, money_id) = api_from_ini(sandbox.ini.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let customer = CustomerClient::new(&sandbox.base_url)?;
    let run_for = Duration::from_secs(args.seconds);
    let warmup = Duration::from_secs(args.warmup);
    let seed = args.seed;
    let (logs, sandbox_cpu, generator_cpu, measured) = runtime.block_on(async {
        let start = Instant::now();
        let mut tasks = JoinSet::new();
        for i in 0..terminals {
            let client = Client::new(&api)?;
            let customer = customer.clone();
            let rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
            let plan = Terminal {
                client,
                customer,
                shop_id,
                money_id,
                start,
                warmup,
                until: start + run_for,
            };
            tasks.spawn(async move { plan.run(rng).await });
        }
        // Measure CPU over the same window as the latencies.
        tokio::time::sleep(warmup).await;
        let (sandbox_meter, generator_meter) =
            (CpuMeter::start(Some(sandbox.pid())), CpuMeter::start(None));
        let mut logs = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            logs.push(joined.unwrap_or_default());
        }
        let (sandbox_cpu, generator_cpu) = (sandbox_meter.read().1, generator_meter.read().1);
        let measured = start.elapsed().saturating_sub(warmup);
        Ok::<_, anyhow::Error>((logs, sandbox_cpu, generator_cpu, measured))
    })?;
    drop(sandbox);
    let mut api: Vec<u64> = logs.iter().flat_map(|l| l.api_us.iter().copied()).collect();
    let mut scans: Vec<u64> = logs
        .iter()
        .flat_map(|l| l.scan_us.iter().copied())
        .collect();
    let requests = api.len();
    Ok(RunFigures {
        terminals,
        api: summarize_us(&mut api),
        scans: summarize_us(&mut scans),
        requests_per_s: requests as f64 / measured.as_secs_f64().max(0.001),
        errors: logs.iter().map(|l| l.errors).sum(),
        payments: logs.iter().map(|l| l.payments).sum(),
        sandbox_cpu_percent: sandbox_cpu,
        generator_cpu_percent: generator_cpu,
    })
}

/// One simulated till.
struct Terminal {
    client: Client,
    customer: CustomerClient,
    shop_id: uuid::Uuid,
    money_id: uuid::Uuid,
    start: Instant,
    warmup: Duration,
    until: Instant,
}

impl Terminal {
    async fn run(self, mut rng: StdRng) -> TerminalLog {
        let mut log = TerminalLog::default();
        // Tills are not synchronised: spread the first requests over a second.
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..1000))).await;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut topup = rng.random_bool(0.5);
        let mut tray = None;
        let mut polls_left = 0u32;
        loop {
            tick.tick().await;
            if Instant::now() >= self.until {
                break;
            }
            let counted = self.start.elapsed() >= self.warmup;
            let started = Instant::now();
            match tray {
                None => {
                    let amount = if topup { 10 } else { -10 };
                    let made = self
                        .client
                        .create_cashtray(&CreateCashtrayRequest {
                            private_money_id: self.money_id,
                            shop_id: self.shop_id,
                            amount: Num::yen(amount),
                            description: Some("sandbox-load".into()),
                            expires_in: Some(300),
                        })
                        .await;
                    self.note(&mut log, counted, started, made.is_ok());
                    if let Ok(made) = made {
                        tray = Some((made.id, made.token));
                        polls_left = rng.random_range(3..=8);
                        topup = !topup;
                    }
                }
                Some((id, ref token)) => {
                    let read = self.client.get_cashtray(id).await;
                    self.note(&mut log, counted, started, read.is_ok());
                    match read {
                        Ok(read) if read.transaction.is_some() || read.attempt.is_some() => {
                            tray = None;
                        }
                        Ok(_) => {
                            polls_left = polls_left.saturating_sub(1);
                            if polls_left == 0 {
                                let scan = Instant::now();
                                let paid = self.customer.pay_cashtray(token, CUSTOMER_RICH).await;
                                if counted {
                                    log.scan_us.push(super::stats::micros(scan.elapsed()));
                                }
                                match paid {
                                    Ok(_) => log.payments += 1,
                                    Err(_) => {
                                        log.errors += 1;
                                        tray = None;
                                    }
                                }
                            }
                        }
                        Err(_) => {}
                    }
                }
            }
        }
        log
    }

    fn note(&self, log: &mut TerminalLog, counted: bool, started: Instant, ok: bool) {
        if !counted {
            return;
        }
        if ok {
            log.api_us.push(super::stats::micros(started.elapsed()));
        } else {
            log.errors += 1;
        }
    }
}

fn report(args: &LoadArgs, runs: &[RunFigures]) -> Output {
    let mut table = Table::new(
        format!(
            "sandbox-load: terminals polling once a second for {} s (first {} s left out)",
            args.seconds, args.warmup
        ),
        &[
            "terminals",
            "req/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "errors",
            "payments",
            "scan p99 ms",
            "sandbox CPU %",
            "load CPU %",
        ],
    );
    let ms = |us: u64| fixed(us as f64 / 1000.0, 2);
    for r in runs {
        table.row([
            r.terminals.to_string(),
            fixed(r.requests_per_s, 0),
            ms(r.api.p50_us),
            ms(r.api.p99_us),
            ms(r.api.max_us),
            r.errors.to_string(),
            r.payments.to_string(),
            ms(r.scans.p99_us),
            fixed(r.sandbox_cpu_percent, 0),
            fixed(r.generator_cpu_percent, 0),
        ]);
    }
    let goal_run = runs.iter().find(|r| r.terminals == GOAL_TERMINALS);
    let goal = goal_run.map(|r| r.api.p99_us as f64 / 1000.0 < GOAL_P99_MS);
    let machine = Machine::here();
    let mut notes = vec![
        machine.line(),
        "CPU % is of one core; the load generator runs on the same cores as the sandbox.".into(),
    ];
    notes.push(match (goal_run, goal) {
        (Some(r), Some(met)) => format!(
            "goal: {GOAL_TERMINALS} terminals with p99 < {GOAL_P99_MS} ms — {} (p99 {:.2} ms)",
            if met { "met" } else { "MISSED" },
            r.api.p99_us as f64 / 1000.0
        ),
        _ => format!("goal: {GOAL_TERMINALS} terminals with p99 < {GOAL_P99_MS} ms — not run"),
    });
    let rows: Vec<serde_json::Value> = runs
        .iter()
        .map(|r| {
            json!({
                "terminals": r.terminals,
                "requests_per_s": r.requests_per_s.round(),
                "p50_us": r.api.p50_us,
                "p99_us": r.api.p99_us,
                "max_us": r.api.max_us,
                "errors": r.errors,
                "payments": r.payments,
                "scan_p99_us": r.scans.p99_us,
                "sandbox_cpu_percent": r.sandbox_cpu_percent.round(),
                "generator_cpu_percent": r.generator_cpu_percent.round(),
            })
        })
        .collect();
    Output {
        tables: vec![table],
        notes,
        json: json!({
            "bench": "sandbox-load",
            "seconds": args.seconds,
            "warmup": args.warmup,
            "runs": rows,
            "goal_terminals": GOAL_TERMINALS,
            "goal_p99_ms": GOAL_P99_MS,
            "goal_met": goal,
            "machine": machine,
        }),
    }
}
