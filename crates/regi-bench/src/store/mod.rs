//! `regi-bench store`: store mode measured in one run against one PostgreSQL. Simulated
//! registers (each a real journal and a real shipper, as `regi` runs them) sell at a steady pace
//! while the server is up and stopped in alternating windows (the sale's journal writes timed in
//! both, side by side), then through a long outage, then with the server started again; the
//! bench times each sale's journal writes, how long each sale takes to reach PostgreSQL, and how
//! long the registers take to catch up, and checks at the end that every journal event is in the
//! store once. Then it fills the store with a million sales of one date and times the store's Z.

mod audit;
mod database;
mod register;
mod store_z;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::json;

use super::cpu::{CpuMeter, Machine, process_cpu};
use super::stats::{self, Summary, summarize_us};
use super::table::{Output, Table, fixed};
use audit::Audit;
use database::BenchDatabase;
use register::{Clock, Pace, Phase, Register, SellerLog};
use store_z::ZFigures;

/// The figures: targets the table sets each measurement beside.
const TARGET_LAG_P99_MS: f64 = 500.0;
const TARGET_LATENCY_RATIO: f64 = 1.1;
const TARGET_Z_MS: f64 = 300.0;
const TARGET_CATCH_UP_SECS: f64 = 60.0;

/// Sales at the start (connections opening) left out of the figures.
const WARM_UP: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Simulated registers, each a journal and a shipper of its own.
    #[arg(long, default_value_t = 200)]
    pub registers: usize,
    /// Seconds of selling measured with PostgreSQL up (after a 10 s warm-up), and as many with
    /// it stopped, in alternating windows.
    #[arg(long, default_value_t = 120, value_name = "S")]
    pub secs: u64,
    /// Windows the up (and stopped) seconds are cut into, alternating, so that the machine's
    /// drift over the run (its disk above all) weighs on both figures alike.
    #[arg(long, default_value_t = 12, value_name = "N")]
    pub windows: u32,
    /// Seconds PostgreSQL is stopped while the registers go on selling (0: not stopped).
    #[arg(long, default_value_t = 600, value_name = "S")]
    pub down_secs: u64,
    /// Milliseconds from one sale of a register to its next.
    #[arg(long, default_value_t = 2_000, value_name = "MS")]
    pub period_ms: u64,
    /// The shipper's poll when nothing wakes it (`regi` polls every 250 ms).
    #[arg(long, default_value_t = 250, value_name = "MS")]
    pub poll_ms: u64,
    /// Wake each shipper right after its register's sale instead of waiting for its poll.
    #[arg(long)]
    pub nudge: bool,
    /// Sales of one date put in PostgreSQL for the store's Z (0: the Z is not measured).
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub sales: u64,
    /// Terminals those sales are spread over.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub z_terminals: usize,
    /// An existing PostgreSQL on this machine (as a superuser: the bench makes roles and copies
    /// rows) instead of a throwaway cluster. The outage is then not measured: the bench stops
    /// only a server it started.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Where the throwaway cluster keeps its files. Default: the RAM disk `/dev/shm` when it
    /// has 8 GiB free (a store's server does not write to the disk of the tills' journals),
    /// else the temporary directory, the journals' disk.
    #[arg(long, value_name = "DIR")]
    pub server_dir: Option<std::path::PathBuf>,
}

/// What the registers' run measured.
#[derive(Debug, Clone, Serialize)]
struct RegisterFigures {
    registers: usize,
    sales: u64,
    sale_errors: Vec<String>,
    lag: Summary,
    /// Lags not seen by the end (a sale never reported in PostgreSQL).
    lag_unseen: usize,
    up: Summary,
    /// With PostgreSQL stopped, in the windows between the up windows.
    down: Option<Summary>,
    /// With PostgreSQL stopped for the long outage.
    outage: Option<Summary>,
    /// Events in the journals when PostgreSQL was back, not yet in it.
    waiting_at_return: i64,
    /// From PostgreSQL taking connections again to every register having shipped what it held
    /// then; `None` when not measured or not reached.
    catch_up_secs: Option<f64>,
    catch_up_limit_secs: u64,
    server_start_secs: f64,
    audit: Audit,
    bench_cpu_percent: f64,
    server_cpu_percent: f64,
}

pub fn run(args: &StoreArgs) -> anyhow::Result<Output> {
    if args.registers == 0
        || args.secs == 0
        || args.period_ms == 0
        || args.poll_ms == 0
        || args.windows == 0
    {
        bail!("--registers, --secs, --windows, --period-ms and --poll-ms must be at least 1");
    }
    if args.sales > 0 && args.z_terminals == 0 {
        bail!("--z-terminals must be at least 1");
    }
    raise_open_files_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // On a worker of the runtime, where stopping and starting the server may block.
    let mut args = args.clone();
    if args.server_dir.is_none() && args.database_url.is_none() {
        args.server_dir = ram_disk();
    }
    runtime
        .block_on(runtime.spawn(async move {
            let db = BenchDatabase::open(args.database_url.as_deref(), args.server_dir.as_deref())
                .await?;
            let registers = registers(&db, &args).await?;
            let z = if args.sales > 0 {
                eprintln!("store Z: putting {} sales in PostgreSQL…", args.sales);
                Some(store_z::measure(&db, args.sales, args.z_terminals).await?)
            } else {
                None
            };
            Ok(report(&args, &registers, z.as_ref(), db.can_stop()))
        }))
        .context("the bench stopped")?
}

async fn registers(db: &BenchDatabase, args: &StoreArgs) -> anyhow::Result<RegisterFigures> {
    let store = "bench-tills";
    let admin = db.admin().await?;
    let mut targets = Vec::new();
    for i in 0..args.registers {
        let id = format!("r-{:03}", i + 1);
        let target = db.terminal(&admin, &id, store).await?;
        targets.push((id, target));
    }
    let clock = Clock::default();
    let period = Duration::from_millis(args.period_ms);
    let start = Instant::now();
    let mut regs = Vec::new();
    for (i, (id, target)) in targets.iter().enumerate() {
        let pace = Pace {
            period,
            first: start + period.mul_f64(i as f64 / args.registers as f64),
            poll: Duration::from_millis(args.poll_ms),
            nudge: args.nudge,
        };
        regs.push(Register::start(id, store, target, pace, clock.clone())?);
    }
    eprintln!("store: {} registers selling; warming up…", regs.len());
    tokio::time::sleep(WARM_UP).await;

    // Up and stopped in alternating windows (up only when the bench cannot stop the server).
    let paired = db.can_stop();
    let windows = args
        .windows
        .min(u32::try_from(args.secs).unwrap_or(u32::MAX));
    let window = Duration::from_secs(args.secs) / windows;
    let (mut bench_cpu_percent, mut server_cpu_percent) = (0.0, 0.0);
    for n in 1..=windows {
        clock.set(Phase::Up);
        let (bench_cpu, server_cpu) = (CpuMeter::start(None), ServerCpu::start());
        eprintln!(
            "store: window {n}/{windows}: PostgreSQL up for {} s…",
            window.as_secs_f64()
        );
        tokio::time::sleep(window).await;
        bench_cpu_percent += bench_cpu.read().1 / f64::from(windows);
        server_cpu_percent += server_cpu.percent() / f64::from(windows);
        // The sales counted while up reach the store before it stops (their lag is not an
        // outage).
        clock.set(Phase::Settling);
        all_shipped(&regs, Duration::from_secs(60)).await;
        if paired {
            tokio::task::block_in_place(|| db.stop());
            clock.set(Phase::Down);
            eprintln!(
                "store: window {n}/{windows}: PostgreSQL stopped for {} s…",
                window.as_secs_f64()
            );
            tokio::time::sleep(window).await;
            clock.set(Phase::Settling);
            tokio::task::block_in_place(|| db.resume());
            all_shipped(&regs, Duration::from_secs(120)).await;
        }
    }

    let mut waiting_at_return = 0;
    let mut catch_up_secs = None;
    let mut server_start_secs = 0.0;
    let catch_up_limit_secs = args.down_secs.max(60) + 60;
    let outage = db.can_stop() && args.down_secs > 0;
    if outage {
        tokio::task::block_in_place(|| db.stop());
        clock.set(Phase::Outage);
        eprintln!("store: PostgreSQL stopped for {} s…", args.down_secs);
        tokio::time::sleep(Duration::from_secs(args.down_secs)).await;
        clock.set(Phase::Settling);
        let starting = Instant::now();
        tokio::task::block_in_place(|| db.resume());
        let back = Instant::now();
        server_start_secs = (back - starting).as_secs_f64();
        clock.set(Phase::CatchUp);
        let heads: Vec<i64> = regs.iter().map(Register::head).collect();
        waiting_at_return = regs
            .iter()
            .zip(&heads)
            .map(|(r, head)| (head - r.shipped()).max(0))
            .sum();
        eprintln!("store: PostgreSQL back; {waiting_at_return} events to catch up…");
        let limit = Duration::from_secs(catch_up_limit_secs);
        while back.elapsed() < limit {
            if regs
                .iter()
                .zip(&heads)
                .all(|(r, head)| r.shipped() >= *head)
            {
                catch_up_secs = Some(back.elapsed().as_secs_f64());
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    clock.set(Phase::Done);
    let logs: Vec<SellerLog> =
        tokio::task::block_in_place(|| regs.iter_mut().map(Register::join_seller).collect());
    // Everything sold must reach the store before the audit.
    all_shipped(&regs, Duration::from_secs(120)).await;
    let terminals: Vec<(String, &std::path::Path)> = regs
        .iter()
        .map(|r| (r.terminal_id.clone(), r.journal_path.as_path()))
        .collect();
    let audit = audit::audit(&db.admin().await?, &terminals)
        .await
        .context("the audit could not be made")?;

    let mut lags: Vec<u64> = regs.iter().flat_map(Register::lags_us).collect();
    let mut up: Vec<u64> = logs.iter().flat_map(|l| l.up_us.iter().copied()).collect();
    let mut down: Vec<u64> = logs
        .iter()
        .flat_map(|l| l.down_us.iter().copied())
        .collect();
    let mut during_outage: Vec<u64> = logs
        .iter()
        .flat_map(|l| l.outage_us.iter().copied())
        .collect();
    let counted_sales = up.len();
    Ok(RegisterFigures {
        registers: regs.len(),
        sales: logs.iter().map(|l| l.sales).sum(),
        sale_errors: logs.iter().flat_map(|l| l.errors.clone()).take(5).collect(),
        lag_unseen: counted_sales.saturating_sub(lags.len()),
        lag: summarize_us(&mut lags),
        up: summarize_us(&mut up),
        down: paired.then(|| summarize_us(&mut down)),
        outage: outage.then(|| summarize_us(&mut during_outage)),
        waiting_at_return,
        catch_up_secs,
        catch_up_limit_secs,
        server_start_secs,
        audit,
        bench_cpu_percent,
        server_cpu_percent,
    })
}

/// The RAM disk for the bench's own server, when there is one with room for the store Z's
/// million sales.
fn ram_disk() -> Option<std::path::PathBuf> {
    const NEEDED: u64 = 8 << 30;
    let path = std::ffi::CString::new("/dev/shm").ok()?;
    // SAFETY: statvfs only writes the struct passed, for a NUL-terminated path.
    let free = unsafe {
        let mut stat: libc::statvfs = std::mem::zeroed();
        (libc::statvfs(path.as_ptr(), &mut stat) == 0).then(|| stat.f_bavail * stat.f_frsize)
    }?;
    (free >= NEEDED).then(|| std::path::PathBuf::from("/dev/shm"))
}

/// Waits until every register's shipper has reported its register's newest event in PostgreSQL
/// (at most `limit`), sales made while the phase changed included.
async fn all_shipped(regs: &[Register], limit: Duration) {
    let since = Instant::now();
    while since.elapsed() < limit && regs.iter().any(Register::selling) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let heads: Vec<i64> = regs.iter().map(Register::head).collect();
    while since.elapsed() < limit
        && !regs
            .iter()
            .zip(&heads)
            .all(|(r, head)| r.shipped() >= *head)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// CPU of every PostgreSQL process (the postmaster and each connection's backend).
struct ServerCpu {
    at_start: Duration,
    wall: Instant,
}

impl ServerCpu {
    fn start() -> ServerCpu {
        ServerCpu {
            at_start: server_cpu_now(),
            wall: Instant::now(),
        }
    }

    /// As a percentage of one core since the start.
    fn percent(&self) -> f64 {
        let used = server_cpu_now().saturating_sub(self.at_start).as_secs_f64();
        100.0 * used / self.wall.elapsed().as_secs_f64().max(0.001)
    }
}

fn server_cpu_now() -> Duration {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim() == "postgres")
        })
        .filter_map(|pid| process_cpu(Some(pid)))
        .sum()
}

/// Each register holds its journal (and its write-ahead log) and a connection open, and each
/// shipper round opens the journal again: more files than a default soft limit of 1024.
fn raise_open_files_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn ms(us: u64) -> String {
    fixed(us as f64 / 1000.0, 1)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

fn report(
    args: &StoreArgs,
    r: &RegisterFigures,
    z: Option<&ZFigures>,
    outage_possible: bool,
) -> Output {
    let mut tills = Table::new(
        format!(
            "store: {} registers, 1 sale / {:.1} s each, into one PostgreSQL ({} s measured up{} \
             in {} windows, then {} s down)",
            r.registers,
            args.period_ms as f64 / 1000.0,
            args.secs,
            if r.down.is_some() {
                " and as many stopped"
            } else {
                ""
            },
            args.windows,
            if r.outage.is_some() {
                args.down_secs
            } else {
                0
            }
        ),
        &["figure", "p50", "p99", "max", "target", "verdict"],
    );
    let lag_met = (r.lag.p99_us as f64 / 1000.0) < TARGET_LAG_P99_MS && r.lag_unseen == 0;
    tills.row([
        "replication lag, ms (journal commit → in PostgreSQL)".to_string(),
        ms(r.lag.p50_us),
        ms(r.lag.p99_us),
        ms(r.lag.max_us),
        format!("p99 < {TARGET_LAG_P99_MS:.0}"),
        verdict(lag_met).to_string(),
    ]);
    tills.row([
        "sale's journal writes, ms, PostgreSQL up".to_string(),
        ms(r.up.p50_us),
        ms(r.up.p99_us),
        ms(r.up.max_us),
        String::new(),
        String::new(),
    ]);
    let ratios = r.down.map(|down| {
        (
            stats::ratio(r.up.p50_us as f64, down.p50_us as f64),
            stats::ratio(r.up.p99_us as f64, down.p99_us as f64),
        )
    });
    if let (Some(down), Some((p50, p99))) = (r.down, ratios) {
        tills.row([
            "sale's journal writes, ms, PostgreSQL stopped".to_string(),
            ms(down.p50_us),
            ms(down.p99_us),
            ms(down.max_us),
            String::new(),
            String::new(),
        ]);
        tills.row([
            "  ratio up / stopped".to_string(),
            fixed(p50, 2),
            fixed(p99, 2),
            String::new(),
            format!("≤ {TARGET_LATENCY_RATIO}"),
            // Judged on the typical sale; the tail is given beside it (on a shared disk it is
            // the disk's own stalls more than anything else).
            verdict(p50 <= TARGET_LATENCY_RATIO).to_string(),
        ]);
    }
    if let Some(outage) = r.outage {
        tills.row([
            format!(
                "sale's journal writes, ms, during the {} s outage",
                args.down_secs
            ),
            ms(outage.p50_us),
            ms(outage.p99_us),
            ms(outage.max_us),
            String::new(),
            String::new(),
        ]);
    }
    let mut totals = Table::new("", &["figure", "value", "target", "verdict"]);
    totals.row([
        "sales made (all phases)".to_string(),
        r.sales.to_string(),
        String::new(),
        String::new(),
    ]);
    totals.row([
        "events in the journals / in PostgreSQL".to_string(),
        format!("{} / {}", r.audit.journal_events, r.audit.store_events),
        String::new(),
        String::new(),
    ]);
    totals.row([
        "events lost / duplicated".to_string(),
        format!("{} / {}", r.audit.lost, r.audit.duplicated),
        "0 / 0".into(),
        verdict(r.audit.lost == 0 && r.audit.duplicated == 0).to_string(),
    ]);
    if r.outage.is_some() {
        totals.row([
            format!("catch-up after {} s down, s", args.down_secs),
            r.catch_up_secs.map_or_else(
                || format!("not within {} s", r.catch_up_limit_secs),
                |s| fixed(s, 1),
            ),
            format!("< {TARGET_CATCH_UP_SECS:.0}"),
            verdict(r.catch_up_secs.is_some_and(|s| s < TARGET_CATCH_UP_SECS)).to_string(),
        ]);
        totals.row([
            "  events waiting when PostgreSQL was back".to_string(),
            r.waiting_at_return.to_string(),
            String::new(),
            String::new(),
        ]);
        totals.row([
            "  PostgreSQL start (pg_ctl start -w), s".to_string(),
            fixed(r.server_start_secs, 1),
            String::new(),
            String::new(),
        ]);
    }
    totals.row([
        "CPU while up: registers and shippers / PostgreSQL, % of a core".to_string(),
        format!(
            "{} / {}",
            fixed(r.bench_cpu_percent, 0),
            fixed(r.server_cpu_percent, 0)
        ),
        String::new(),
        String::new(),
    ]);
    let mut tables = vec![tills, totals];
    if let Some(z) = z {
        let mut table = Table::new(
            format!(
                "store Z of one date: {} sales over {} terminals in PostgreSQL (database {})",
                z.sales, z.terminals, z.database_size
            ),
            &["figure", "p50 ms", "max ms", "target", "verdict"],
        );
        table.row([
            format!("store_report Z ({} runs)", z.store_report.count),
            ms(z.store_report.p50_us),
            ms(z.store_report.max_us),
            format!("< {TARGET_Z_MS:.0}"),
            verdict((z.store_report.max_us as f64 / 1000.0) < TARGET_Z_MS).to_string(),
        ]);
        table.row([
            "close_store_day (once)".to_string(),
            ms(z.close_store_day_us),
            ms(z.close_store_day_us),
            format!("< {TARGET_Z_MS:.0}"),
            verdict((z.close_store_day_us as f64 / 1000.0) < TARGET_Z_MS).to_string(),
        ]);
        table.row([
            format!(
                "baseline: the old way (replica), one terminal's day of {} sales",
                z.old_way_sales
            ),
            ms(z.old_way.p50_us),
            ms(z.old_way.max_us),
            String::new(),
            String::new(),
        ]);
        table.row([
            format!("  the old way × {} terminals (projected)", z.terminals),
            ms(z.old_way.p50_us * z.terminals as u64),
            String::new(),
            String::new(),
            String::new(),
        ]);
        tables.push(table);
    }
    let machine = Machine::here();
    let mut notes = vec![
        machine.line(),
        format!(
            "shippers poll every {} ms{}; lag is from a sale's last journal commit to its shipper \
             reporting the event in PostgreSQL; sale latency is create_sale + record_cash_tender.",
            args.poll_ms,
            if args.nudge {
                " and are woken after each sale"
            } else {
                " (as regi runs them, not woken by a sale)"
            }
        ),
    ];
    if args.database_url.is_none() {
        notes.push(match &args.server_dir {
            Some(dir) => format!(
                "PostgreSQL's files in {} (a store's server does not write to the tills' disk)",
                dir.display()
            ),
            None => "PostgreSQL's files in the temporary directory, on the journals' disk".into(),
        });
    }
    if !outage_possible {
        notes.push(
            "PostgreSQL was not stopped: --database-url names a server the bench did not start."
                .into(),
        );
    }
    if r.lag_unseen > 0 {
        notes.push(format!(
            "{} sales counted while up were never seen in PostgreSQL by the end",
            r.lag_unseen
        ));
    }
    for error in &r.sale_errors {
        notes.push(format!("a sale failed: {error}"));
    }
    if let Some(z) = z {
        notes.push(format!(
            "store Z: one terminal's day made by a real journal and shipped ({} events, {:.0} s \
             with the copies); its sales, days and drawer rows copied to the other {} \
             terminals, whose event log is not copied.",
            z.events,
            z.load_secs,
            z.terminals - 1
        ));
        if !z.sums_match {
            notes.push("the store's Z is NOT the sum of the terminals' Zs".into());
        }
    }
    let json = json!({
        "bench": "store",
        "registers": r.registers,
        "secs": args.secs,
        "down_secs": args.down_secs,
        "windows": args.windows,
        "server_dir": args.server_dir,
        "period_ms": args.period_ms,
        "poll_ms": args.poll_ms,
        "nudge": args.nudge,
        "sales": r.sales,
        "lag_us": r.lag,
        "lag_unseen": r.lag_unseen,
        "sale_up_us": r.up,
        "sale_down_us": r.down,
        "sale_outage_us": r.outage,
        "latency_ratio_p50": ratios.map(|x| x.0),
        "latency_ratio_p99": ratios.map(|x| x.1),
        "audit": r.audit,
        "waiting_at_return": r.waiting_at_return,
        "catch_up_secs": r.catch_up_secs,
        "server_start_secs": r.server_start_secs,
        "bench_cpu_percent": r.bench_cpu_percent.round(),
        "server_cpu_percent": r.server_cpu_percent.round(),
        "store_z": z,
        "targets": {
            "lag_p99_ms": TARGET_LAG_P99_MS,
            "latency_ratio": TARGET_LATENCY_RATIO,
            "store_z_ms": TARGET_Z_MS,
            "catch_up_secs": TARGET_CATCH_UP_SECS,
        },
        "machine": machine,
    });
    Output {
        tables,
        notes,
        json,
    }
}
