//! One register of the chaos run: its own data directory and terminal name, checkouts run one
//! after another as real `regi checkout --json` processes, the customer played through the
//! sandbox's customer side, and SIGKILL at the planned moments. Each new process starts on the
//! journal the killed one left (`regi checkout` settles earlier attempts first). The same for
//! every provider: what differs is in the provider's arguments and customer.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::runtime::Handle;

use super::customer::Customer;
use super::plan::{Kill, Kind, Planned, Stage, draw_kill};
use super::provider::Provider;
use super::sandbox::ChaosSandbox;

/// Longest a checkout process may run before it is counted as stuck and killed.
const STUCK_AFTER: Duration = Duration::from_secs(240);

/// How long the clerk looks at a QR the customer could not pay before cancelling it, where a
/// refusal leaves it open.
const CLERK_CANCELS_AFTER_REFUSAL: Duration = Duration::from_millis(400);

/// Where one register lives.
pub struct Register {
    pub name: String,
    pub data_dir: PathBuf,
    pub config: PathBuf,
    pub regi: PathBuf,
    pub provider: Provider,
}

/// How one checkout process ended.
#[derive(Debug, Clone, Default)]
pub struct Ended {
    pub killed: bool,
    pub exit_code: Option<i32>,
    /// The last event it printed (`paid`, `failed`, `cancelled`, `unknown`, `error`, ...).
    pub last_event: Option<String>,
    pub stuck: bool,
}

/// What a register's run did.
#[derive(Debug, Default)]
pub struct LaneLog {
    pub outcomes: BTreeMap<(Kind, String), usize>,
    pub kills_landed: usize,
    /// Kills whose process ended before their moment, carried to the next checkout.
    pub kills_carried: usize,
    /// QR payments added after the plan to land a kill that was still owed.
    pub extra_checkouts: usize,
    pub settling_checkouts: usize,
    pub settled: bool,
    pub stuck: usize,
    pub customer_errors: usize,
}

impl LaneLog {
    /// Books how a checkout of `kind` ended; `true` when it was killed (only a checkout given a
    /// kill moment can be).
    fn record(&mut self, kind: Kind, ended: Ended) -> bool {
        self.stuck += usize::from(ended.stuck);
        let outcome = if ended.killed {
            self.kills_landed += 1;
            "killed".to_string()
        } else {
            ended.last_event.unwrap_or_else(|| "no event".into())
        };
        *self.outcomes.entry((kind, outcome)).or_default() += 1;
        ended.killed
    }
}

/// What one `regi checkout` process is asked to do.
#[derive(Debug, Clone, Copy)]
struct Checkout {
    kind: Kind,
    /// Positive yen.
    amount: i64,
    /// How long the customer (or clerk, for a cancel) takes after the QR shows.
    think: Duration,
}

impl From<&Planned> for Checkout {
    fn from(planned: &Planned) -> Self {
        Self {
            kind: planned.kind,
            amount: planned.amount,
            think: planned.think,
        }
    }
}

/// Runs the planned checkouts, then settles whatever an earlier kill left open.
pub fn run_lane(
    register: &Register,
    checkouts: &[Planned],
    customer: &Customer,
    runtime: &Handle,
    seed: u64,
    deadline: Instant,
) -> LaneLog {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut log = LaneLog::default();
    // Kills planned but not landed yet: one whose process ended before its moment is owed to
    // the next checkout, with a moment drawn for that checkout's kind.
    let mut owed = 0usize;
    for planned in checkouts {
        if Instant::now() >= deadline {
            break;
        }
        owed += usize::from(planned.kill.is_some());
        let kill = match planned.kill {
            Some(kill) => Some(kill),
            None if owed > 0 => Some(draw_kill(&mut rng, planned.kind)),
            None => None,
        };
        match run_checkout(register, planned.into(), kill, customer, runtime) {
            Ok(ended) => {
                if log.record(planned.kind, ended) {
                    owed -= 1;
                } else if kill.is_some() {
                    log.kills_carried += 1;
                }
            }
            Err(_) => log.customer_errors += 1,
        }
    }
    // Kills still owed after the last planned checkout: extra QR payments (slow enough to be
    // caught once the QR shows) until they land, so the run has all the kills it asked for.
    let extra = Checkout {
        kind: register.provider.extra_kind(),
        amount: 500,
        think: Duration::from_millis(800),
    };
    let mut tries = 0;
    while owed > 0 && tries < 5 * owed {
        tries += 1;
        let drawn = draw_kill(&mut rng, extra.kind);
        let kill = Kill {
            stage: Stage::Presented,
            delay: drawn.delay.min(Duration::from_millis(700)),
            ..drawn
        };
        log.extra_checkouts += 1;
        match run_checkout(register, extra, Some(kill), customer, runtime) {
            Ok(ended) => {
                if log.record(extra.kind, ended) {
                    owed -= 1;
                }
            }
            Err(_) => log.customer_errors += 1,
        }
    }
    // A last checkout that nobody kills: its start-up settles every attempt still open, and it
    // must itself end definitely. Under faults that can take a few tries.
    let settle = Checkout {
        kind: register.provider.settling_kind(),
        amount: 100,
        // Where the clerk cancels the QR, not in the very moment it shows: `regi checkout` can
        // miss a Ctrl-C that arrives while it is still printing an event.
        think: Duration::from_millis(300),
    };
    for _ in 0..20 {
        log.settling_checkouts += 1;
        match run_checkout(register, settle, None, customer, runtime) {
            Ok(ended) if matches!(ended.exit_code, Some(0 | 2 | 3)) => {
                log.settled = true;
                break;
            }
            Ok(ended) => log.stuck += usize::from(ended.stuck),
            Err(_) => log.customer_errors += 1,
        }
    }
    log
}

/// One `regi checkout` process from start to end.
fn run_checkout(
    register: &Register,
    checkout: Checkout,
    kill: Option<Kill>,
    customer: &Customer,
    runtime: &Handle,
) -> anyhow::Result<Ended> {
    let kind = checkout.kind;
    let poor = kind.poor_customer();
    let code = if kind.presents() {
        String::new()
    } else {
        customer.code(runtime, poor, kind.is_topup())?
    };
    let mut command = Command::new(&register.regi);
    command
        .arg("--data-dir")
        .arg(&register.data_dir)
        .arg("--config")
        .arg(&register.config)
        .args(["checkout", &checkout.amount.to_string(), "--json"])
        .args(
            register
                .provider
                .checkout_args(kind, &code, checkout.amount),
        );
    let stderr = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(register.data_dir.join("checkout-stderr.log"))?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("cannot start {}", register.regi.display()))?;
    let spawned = Instant::now();
    let lines = read_lines(&mut child)?;

    let mut ended = Ended::default();
    let mut kill_at = kill
        .filter(|k| k.stage == Stage::Spawned)
        .map(|k| spawned + k.delay);
    let mut act_at: Option<Instant> = None;
    // The clerk's Ctrl-C after a refusal that left the QR open.
    let mut cancel_at: Option<Instant> = None;
    let mut token: Option<String> = None;
    let mut acted = false;
    loop {
        let now = Instant::now();
        let next = [kill_at, act_at, cancel_at].into_iter().flatten().min();
        let wait = next
            .map(|t| t.saturating_duration_since(now))
            .unwrap_or(STUCK_AFTER)
            .min(STUCK_AFTER.saturating_sub(spawned.elapsed()));
        match lines.recv_timeout(wait) {
            Ok(line) => {
                let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else {
                    continue;
                };
                let name = event["event"].as_str().unwrap_or("").to_string();
                if name == "presented" {
                    token = event["token"].as_str().map(str::to_string);
                    act_at = Some(Instant::now() + checkout.think);
                    if let Some(k) = kill.filter(|k| k.stage == Stage::Presented) {
                        kill_at = Some(Instant::now() + k.delay);
                    }
                }
                ended.last_event = Some(name);
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                if spawned.elapsed() >= STUCK_AFTER {
                    // The wait below reaps it; looping on would spin on a zero timeout.
                    signal(&mut child, libc::SIGKILL);
                    ended.stuck = true;
                    break;
                }
                if kill_at.is_some_and(|t| now >= t) {
                    ended.killed = signal(&mut child, libc::SIGKILL);
                    kill_at = None;
                    // Someone scans the QR the dead register was still showing.
                    if let (Some(k), Some(t), false) = (kill, &token, acted)
                        && k.scan_after_kill
                        && ended.killed
                        && !kind.is_cancel()
                    {
                        let _ = customer.pay(runtime, t, poor);
                    }
                    act_at = None;
                    cancel_at = None;
                    continue;
                }
                if cancel_at.is_some_and(|t| now >= t) {
                    cancel_at = None;
                    signal(&mut child, libc::SIGINT);
                    continue;
                }
                if act_at.is_some_and(|t| now >= t) {
                    act_at = None;
                    acted = true;
                    if kind.is_cancel() {
                        signal(&mut child, libc::SIGINT);
                    } else if let Some(t) = &token {
                        // A refused scan is an answer too; only the register's view matters.
                        let _ = customer.pay(runtime, t, poor);
                        if poor && register.provider.refusal_leaves_qr_open() {
                            cancel_at = Some(Instant::now() + CLERK_CANCELS_AFTER_REFUSAL);
                        }
                    }
                    if let Some(k) = kill.filter(|k| k.stage == Stage::CustomerActed) {
                        kill_at = Some(Instant::now() + k.delay);
                    }
                }
            }
        }
    }
    let status = child.wait()?;
    ended.exit_code = status.code();
    Ok(ended)
}

/// The child's stdout, line by line, on a channel that closes when the process is gone.
fn read_lines(child: &mut Child) -> anyhow::Result<mpsc::Receiver<String>> {
    let stdout = child.stdout.take().context("checkout stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            match line {
                Ok(line) => {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
    Ok(rx)
}

/// Sends `signal` unless the child already ended; `true` when it was still running.
fn signal(child: &mut Child, signal: i32) -> bool {
    if !matches!(child.try_wait(), Ok(None)) {
        return false;
    }
    match i32::try_from(child.id()) {
        // SAFETY: kill(2) on our own child, which has not been reaped (try_wait just saw it
        // running), so its pid cannot belong to another process.
        Ok(pid) => unsafe { libc::kill(pid, signal) == 0 },
        Err(_) => false,
    }
}

/// Writes a register's directory and configuration.
pub fn prepare_register(
    root: &Path,
    regi: &Path,
    sandbox: &ChaosSandbox,
    provider: Provider,
    lane: usize,
) -> anyhow::Result<Register> {
    let name = format!("chaos-{lane}");
    let data_dir = root.join(&name);
    // The owner's only: it holds the journal and the configuration with the provider's secret.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&data_dir)?;
    let config = data_dir.join("regi.toml");
    regi_config::write_private_file(&config, sandbox.register_config(&name, lane)?.as_bytes())?;
    Ok(Register {
        name,
        data_dir,
        config,
        regi: regi.to_path_buf(),
        provider,
    })
}
