//! `regi-bench detect`: how long after the customer pays does the engine report "paid", and how
//! many requests does a QR checkout cost, under the default poll policy.
//!
//! Each checkout runs the real engine (journal, gateway, client) against a `regi sandbox` child
//! process. The customer scans after a random pause (seeded), through the sandbox's customer
//! side; the time from sending that scan to the engine's `Finished(paid)` event is the detection
//! latency. The customer's own scan call is timed too: no engine can see a payment sooner.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::counting::CountingGateway;
use super::cpu::Machine;
use super::stats::{median, micros, summarize, summarize_us};
use super::table::{Output, Table, fixed};
use super::target::ApiTarget;
use regi_core::domain::{AmountGuard, Cart, SaleDraft, TaxPolicy, TaxRate, Yen};
use regi_engine::{Engine, EngineEvent, EngineSettings};
use regi_journal::{Journal, JournalHandle, journal_path};
use regi_payment::PollPolicy;
use regi_pokepay::Client;
use regi_pokepay::PokepayGateway;
use regi_pokepay_emulator::{CUSTOMER_RICH, CustomerClient};

/// Goals: paid seen within this long (p99) of the customer paying, at no more than one request
/// a second while the tray is fresh.
pub const GOAL_P99: Duration = Duration::from_millis(1200);
pub const GOAL_REQUESTS_PER_S: f64 = 1.0;

#[derive(Debug, Clone, clap::Args)]
pub struct DetectArgs {
    /// QR checkouts to measure.
    #[arg(long, default_value_t = 120, value_name = "N")]
    pub payments: usize,
    /// Checkouts in progress at once (separate registers sharing one sandbox).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub concurrency: usize,
    /// Longest pause before the customer scans, in milliseconds (drawn from 200..this).
    #[arg(long, default_value_t = 4000, value_name = "MS")]
    pub max_wait_ms: u64,
    /// Fixes the customer's pauses and the sandbox.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// One measured checkout.
#[derive(Debug, Clone, Copy)]
struct Detection {
    /// Customer's scan sent → engine reports paid.
    latency: Duration,
    /// The customer's scan call alone.
    scan_call: Duration,
    /// Creates + status reads + cancels for this checkout.
    requests: u64,
    /// Status reads per second between the QR going up and paid being reported.
    polls_per_s: f64,
}

pub fn run(args: &DetectArgs) -> anyhow::Result<Output> {
    if args.payments == 0 || args.concurrency == 0 || args.max_wait_ms < 200 {
        bail!("--payments and --concurrency must be at least 1, --max-wait-ms at least 200");
    }
    let target = ApiTarget::open(None, Some(args.seed))?;
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let waits: Vec<Duration> = (0..args.payments)
        .map(|_| Duration::from_millis(rng.random_range(200..=args.max_wait_ms)))
        .collect();
    let started = Instant::now();
    let (detections, failures) = runtime.block_on(async {
        let gateway = CountingGateway::new(PokepayGateway::new(
            Client::new(&target.api)?,
            target.shop_id,
            target.private_money_id,
        ));
        let journal = Journal::open(&journal_path(dir.path(), false))?;
        let (journal, _writer) = JournalHandle::spawn(journal)?;
        let settings = EngineSettings {
            poll: PollPolicy::default(),
            terminal: "bench".into(),
            ..EngineSettings::default()
        };
        let engine = Engine::new(gateway.clone(), journal, settings);
        // With no config.ini the target is a sandbox of our own, whose customer side pays.
        let customer = CustomerClient::new(&target.api.base_url)?;
        let gate = Arc::new(Semaphore::new(args.concurrency));
        let mut tasks = JoinSet::new();
        for (i, wait) in waits.iter().copied().enumerate() {
            let permit = gate.clone().acquire_owned().await?;
            let (engine, gateway, customer) = (engine.clone(), gateway.clone(), customer.clone());
            tasks.spawn(async move {
                let result = one_checkout(&engine, &gateway, &customer, 500 + i as i64, wait).await;
                drop(permit);
                result
            });
        }
        let mut detections = Vec::new();
        let mut failures = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Ok(d)) => detections.push(d),
                Ok(Err(e)) => failures.push(format!("{e:#}")),
                Err(e) => failures.push(e.to_string()),
            }
        }
        Ok::<_, anyhow::Error>((detections, failures))
    })?;
    if detections.is_empty() {
        bail!(
            "no checkout was detected: {}",
            failures.first().map(String::as_str).unwrap_or("?")
        );
    }
    Ok(report(args, &detections, &failures, started.elapsed()))
}

async fn one_checkout(
    engine: &Engine,
    gateway: &CountingGateway<PokepayGateway>,
    customer: &CustomerClient,
    amount: i64,
    wait: Duration,
) -> anyhow::Result<Detection> {
    let sale = engine.create_sale(payment(amount)?).await?;
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let (_cancel, cancel_rx) = watch::channel(false);
    let flow = {
        let engine = engine.clone();
        tokio::spawn(async move { engine.pay_by_qr(sale.sale_id, cancel_rx, &events_tx).await })
    };
    let (token, presented) = loop {
        match events.recv().await {
            Some(EngineEvent::Presented { token, .. }) => break (token, Instant::now()),
            Some(_) => {}
            None => bail!("the engine finished without showing a QR"),
        }
    };
    // The customer takes out their phone and scans.
    tokio::time::sleep(wait).await;
    let scanned = Instant::now();
    customer
        .pay_cashtray(&token, CUSTOMER_RICH)
        .await
        .context("the customer's scan failed")?;
    let scan_call = scanned.elapsed();
    let reported = loop {
        match events.recv().await {
            Some(EngineEvent::Finished(outcome)) if outcome.is_paid() => break Instant::now(),
            Some(EngineEvent::Finished(outcome)) => bail!("ended {}, not paid", outcome.kind()),
            Some(_) => {}
            None => bail!("the engine stopped without an outcome"),
        }
    };
    flow.await??;
    let polls = gateway.calls_for_token(&token);
    let waited = reported.duration_since(presented).as_secs_f64();
    Ok(Detection {
        latency: reported.duration_since(scanned),
        scan_call,
        requests: polls + 1,
        polls_per_s: if waited > 0.0 {
            polls as f64 / waited
        } else {
            0.0
        },
    })
}

fn payment(yen: i64) -> anyhow::Result<SaleDraft> {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
    cart.add_manual(Yen(yen), TaxRate::Standard10, None)?;
    Ok(cart.checkout()?)
}

fn report(
    args: &DetectArgs,
    detections: &[Detection],
    failures: &[String],
    elapsed: Duration,
) -> Output {
    let latency = summarize(&detections.iter().map(|d| d.latency).collect::<Vec<_>>());
    let scan = summarize(&detections.iter().map(|d| d.scan_call).collect::<Vec<_>>());
    let mut requests: Vec<u64> = detections.iter().map(|d| d.requests).collect();
    let requests = summarize_us(&mut requests);
    let rates: Vec<f64> = detections.iter().map(|d| d.polls_per_s).collect();
    let rate_median = median(&rates).unwrap_or(0.0);
    let rate_max = rates.iter().copied().fold(0.0, f64::max);
    let policy = PollPolicy::default();
    let interval_ms = micros(policy.fresh_interval) as f64 / 1000.0;
    let met_latency = Duration::from_micros(latency.p99_us) <= GOAL_P99;
    let met_rate = rate_max <= GOAL_REQUESTS_PER_S;
    let ms = |us: u64| fixed(us as f64 / 1000.0, 1);

    let mut table = Table::new(
        format!(
            "detect: customer pays → engine reports paid ({} QR checkouts, {} at a time, default poll policy)",
            detections.len(),
            args.concurrency
        ),
        &["figure", "p50", "p99", "max"],
    );
    table
        .row([
            "paid detected after (ms)".to_string(),
            ms(latency.p50_us),
            ms(latency.p99_us),
            ms(latency.max_us),
        ])
        .row([
            "floor: the customer's scan call (ms)".to_string(),
            ms(scan.p50_us),
            ms(scan.p99_us),
            ms(scan.max_us),
        ])
        .row([
            "API requests per checkout".to_string(),
            requests.p50_us.to_string(),
            requests.p99_us.to_string(),
            requests.max_us.to_string(),
        ]);
    let mut figures = Table::new("", &["figure", "value"]);
    figures
        .row([
            "poll interval while fresh (policy, +≤10 % jitter)".to_string(),
            format!("{interval_ms:.0} ms"),
        ])
        .row([
            "status reads per second while waiting: median / max".to_string(),
            format!("{rate_median:.2} / {rate_max:.2}"),
        ])
        .row([
            format!("goal p99 ≤ {} ms", GOAL_P99.as_millis()),
            if met_latency { "met" } else { "MISSED" }.to_string(),
        ])
        .row([
            format!("goal ≤ {GOAL_REQUESTS_PER_S} request/s"),
            if met_rate { "met" } else { "MISSED" }.to_string(),
        ]);
    let machine = Machine::here();
    let mut notes = vec![
        machine.line(),
        format!(
            "failed checkouts: {}; wall time {:.1} s",
            failures.len(),
            elapsed.as_secs_f64()
        ),
    ];
    notes.extend(failures.iter().take(5).map(|f| format!("  failure: {f}")));
    Output {
        tables: vec![table, figures],
        notes,
        json: json!({
            "bench": "detect",
            "checkouts": detections.len(),
            "failures": failures.len(),
            "p50_ms": latency.p50_us as f64 / 1000.0,
            "p99_ms": latency.p99_us as f64 / 1000.0,
            "max_ms": latency.max_us as f64 / 1000.0,
            "scan_call_p50_ms": scan.p50_us as f64 / 1000.0,
            "requests_per_checkout_p50": requests.p50_us,
            "requests_per_checkout_max": requests.max_us,
            "polls_per_s_median": (rate_median * 1000.0).round() / 1000.0,
            "polls_per_s_max": (rate_max * 1000.0).round() / 1000.0,
            "poll_interval_ms": interval_ms,
            "goal_p99_ms": GOAL_P99.as_millis() as u64,
            "goal_met": met_latency && met_rate,
            "seed": args.seed,
            "machine": machine,
        }),
    }
}
