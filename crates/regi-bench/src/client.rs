//! `regi-bench client`: regi's Partner API client reading one cashtray over a warm connection,
//! against the floor of the same server — a bodiless `GET /ping` on a kept-alive connection with
//! a plain HTTP client (reqwest, as regi uses) and with a hand-written HTTP/1.1 exchange.
//!
//! The kinds are interleaved call by call (`--batch 1`) so that noise from other work on the
//! machine falls on all of them alike, and all are timed inside a task on a two-worker runtime:
//! the way regi's engine calls its client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;
use uuid::Uuid;

use super::client_wire::BareGetCashtray;
use super::compare::{self, Compared};
use super::cpu::Machine;
use super::stats::{Summary, ratio, summarize};
use super::table::{Output, Table, fixed};
use super::target::ApiTarget;
use regi_pokepay::Client;
use regi_pokepay::endpoints::{Call, Ping};
use regi_pokepay::wire::{CreateCashtrayRequest, Num};

/// The goal: regi's GetCashtray median within this factor of the floor's.
pub const GOAL_RATIO: f64 = 1.5;

#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// The API to measure (an SDK config.ini); without it a `regi sandbox` is started.
    #[arg(long, value_name = "INI")]
    pub pokepay_ini: Option<PathBuf>,
    /// GetCashtray calls to time (as many floor calls of each kind are timed too).
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub calls: usize,
    /// Calls of one kind in a row before the next kind; 1 alternates call by call, so that noise
    /// from other work on the machine falls on every kind alike.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub batch: usize,
    /// Also time another client on the same tray after regi's, e.g.
    /// `python3 bench/sdk/python_get_cashtray.py` (the official Python SDK); repeatable.
    #[arg(long, value_name = "CMD")]
    pub compare: Vec<String>,
}

#[derive(Debug, Default)]
struct Samples {
    regi: Vec<Duration>,
    floor: Vec<Duration>,
    raw_floor: Vec<Duration>,
    bare: Vec<Duration>,
    regi_busy: Duration,
    errors: usize,
}

pub fn run(args: &ClientArgs) -> anyhow::Result<Output> {
    if args.calls == 0 || args.batch == 0 {
        bail!("--calls and --batch must be at least 1");
    }
    let target = ApiTarget::open(args.pokepay_ini.as_deref(), Some(7))?;
    // The runtime regi's engine runs on.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let client = Client::new(&target.api)?;
    let plain = reqwest::Client::builder()
        .build()
        .context("cannot build the plain HTTP client")?;
    let ping_url = format!("{}{}", client.base_url(), Ping::path(&()));
    let tray = runtime
        .block_on(client.create_cashtray(&CreateCashtrayRequest {
            private_money_id: target.private_money_id,
            shop_id: target.shop_id,
            amount: Num::yen(-100),
            description: Some("regi-bench client".into()),
            expires_in: Some(1800),
        }))
        .context("cannot create the cashtray to read")?
        .id;
    let raw = RawPing::connect(client.base_url())?;
    let bare = BareGetCashtray::new(&target.api, client.base_url(), tray)?;
    let mut bench = Bench {
        client,
        plain,
        ping_url,
        raw,
        bare,
        tray,
    };
    let calls = args.calls;
    let batch = args.batch;
    let timed = async move {
        // Warm every connection and code path before timing anything.
        bench.round(50, &mut Samples::default()).await?;
        let mut samples = Samples::default();
        while samples.regi.len() < calls {
            let n = batch.min(calls - samples.regi.len());
            bench.round(n, &mut samples).await?;
        }
        anyhow::Ok((bench, samples))
    };
    // Timed as a task on the runtime's workers, the way regi's engine calls its client.
    let (bench, samples) = runtime
        .block_on(runtime.spawn(timed))
        .context("the timing task failed")??;
    let codec = bench.bare.codec_cost(2000);
    let compared = args
        .compare
        .iter()
        .map(|command| compare::run(command, &target.ini_path, tray, args.calls))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(report(
        args,
        &target,
        &samples,
        bench.raw.is_some(),
        codec,
        bench.bare.last_body.len(),
        &compared,
    ))
}

/// The clients and targets one round of timing uses.
struct Bench {
    client: Client,
    plain: reqwest::Client,
    ping_url: String,
    raw: Option<RawPing>,
    bare: BareGetCashtray,
    tray: Uuid,
}

impl Bench {
    /// `n` calls of each kind, one kind after the other.
    async fn round(&mut self, n: usize, samples: &mut Samples) -> anyhow::Result<()> {
        for _ in 0..n {
            let started = Instant::now();
            let answer = self.plain.get(&self.ping_url).send().await;
            let ok = match answer {
                Ok(response) if response.status().is_success() => response.bytes().await.is_ok(),
                _ => false,
            };
            if ok {
                samples.floor.push(started.elapsed());
            } else {
                samples.errors += 1;
            }
        }
        // The raw floor blocks this worker on its socket; nothing else runs here meanwhile.
        if let Some(raw) = self.raw.as_mut() {
            for _ in 0..n {
                let started = Instant::now();
                raw.ping()?;
                samples.raw_floor.push(started.elapsed());
            }
        }
        for _ in 0..n {
            let started = Instant::now();
            match self.bare.call().await {
                Ok(()) => samples.bare.push(started.elapsed()),
                Err(_) => samples.errors += 1,
            }
        }
        let busy = Instant::now();
        for _ in 0..n {
            let started = Instant::now();
            match self.client.get_cashtray(self.tray).await {
                Ok(_) => samples.regi.push(started.elapsed()),
                Err(_) => samples.errors += 1,
            }
        }
        samples.regi_busy += busy.elapsed();
        // A few failures are reported; many mean the API is not there at all.
        if samples.errors > 10 + samples.regi.len() / 100 {
            bail!(
                "too many failed calls ({}); is the API reachable?",
                samples.errors
            );
        }
        Ok(())
    }
}

fn report(
    args: &ClientArgs,
    target: &ApiTarget,
    s: &Samples,
    has_raw: bool,
    (seal_us, open_us): (f64, f64),
    answer_bytes: usize,
    compared: &[Compared],
) -> Output {
    let regi = summarize(&s.regi);
    let bare = summarize(&s.bare);
    let floor = summarize(&s.floor);
    let raw = summarize(&s.raw_floor);
    let calls_per_s = ratio(s.regi.len() as f64, s.regi_busy.as_secs_f64());
    let vs_floor = ratio(regi.p50_us as f64, floor.p50_us as f64);
    let vs_raw = ratio(regi.p50_us as f64, raw.p50_us as f64);
    let against = if target.sandbox.is_some() {
        "own regi sandbox (child process)".to_string()
    } else {
        target.api.base_url.clone()
    };
    let mut table = Table::new(
        format!("client: GetCashtray over a warm connection vs GET /ping ({against})"),
        &["call", "n", "p50 µs", "p99 µs", "mean µs", "max µs"],
    );
    let mut line = |name: &str, x: &Summary| {
        table.row([
            name.to_string(),
            x.count.to_string(),
            x.p50_us.to_string(),
            x.p99_us.to_string(),
            x.mean_us.to_string(),
            x.max_us.to_string(),
        ]);
    };
    line("regi GetCashtray", &regi);
    line("GetCashtray by hand (plain reqwest)", &bare);
    line("floor: reqwest GET /ping", &floor);
    if has_raw {
        line("floor: raw HTTP/1.1 GET /ping", &raw);
    }
    for other in compared {
        table.row([
            format!("{} GetCashtray", other.name),
            other.calls.to_string(),
            other.p50_us.to_string(),
            other.p99_us.to_string(),
            "-".to_string(),
            "-".to_string(),
        ]);
    }
    let met = vs_floor > 0.0 && vs_floor <= GOAL_RATIO;
    let mut figures = Table::new("", &["figure", "value"]);
    figures
        .row(["calls_per_s".to_string(), fixed(calls_per_s, 0)])
        .row(["p50 / floor p50".to_string(), fixed(vs_floor, 2)])
        .row(["p50 / raw floor p50".to_string(), fixed(vs_raw, 2)])
        .row([
            "by-hand GetCashtray p50 / floor p50".to_string(),
            fixed(ratio(bare.p50_us as f64, floor.p50_us as f64), 2),
        ])
        .row([
            "client CPU: seal request (µs)".to_string(),
            fixed(seal_us, 1),
        ])
        .row([
            format!("client CPU: open + parse {answer_bytes}-byte answer (µs)"),
            fixed(open_us, 1),
        ]);
    for other in compared {
        figures.row([
            format!("{} p50 / regi p50", other.name),
            fixed(ratio(other.p50_us as f64, regi.p50_us as f64), 2),
        ]);
    }
    figures.row([
        format!("goal ≤ {GOAL_RATIO}× floor"),
        if met { "met" } else { "MISSED" }.to_string(),
    ]);
    let machine = Machine::here();
    Output {
        tables: vec![table, figures],
        notes: vec![machine.line(), format!("errors: {}", s.errors)],
        json: json!({
            "bench": "client",
            "calls": args.calls,
            "p50_us": regi.p50_us,
            "p99_us": regi.p99_us,
            "mean_us": regi.mean_us,
            "calls_per_s": calls_per_s.round(),
            "floor_p50_us": floor.p50_us,
            "floor_p99_us": floor.p99_us,
            "raw_floor_p50_us": has_raw.then_some(raw.p50_us),
            "by_hand_p50_us": bare.p50_us,
            "seal_us": (seal_us * 10.0).round() / 10.0,
            "open_parse_us": (open_us * 10.0).round() / 10.0,
            "ratio_to_floor": (vs_floor * 100.0).round() / 100.0,
            "goal_ratio": GOAL_RATIO,
            "goal_met": met,
            "errors": s.errors,
            "compared": compared.iter().map(|c| json!({
                "name": c.name,
                "calls": c.calls,
                "p50_us": c.p50_us,
                "p99_us": c.p99_us,
                "ratio_to_regi": (ratio(c.p50_us as f64, regi.p50_us as f64) * 100.0).round() / 100.0,
            })).collect::<Vec<_>>(),
            "machine": machine,
        }),
    }
}

/// `GET /ping` written by hand on one kept-alive socket: the least any client can do.
struct RawPing {
    reader: BufReader<TcpStream>,
    request: Vec<u8>,
}

impl RawPing {
    /// Only for plain `http://host:port` (the sandbox); `None` for https.
    fn connect(base_url: &str) -> anyhow::Result<Option<Self>> {
        let Some(authority) = base_url.strip_prefix("http://") else {
            return Ok(None);
        };
        let authority = authority.trim_end_matches('/');
        let stream = TcpStream::connect(authority)
            .with_context(|| format!("cannot connect to {authority}"))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let request = format!(
            "{} {} HTTP/1.1\r\nHost: {authority}\r\n\r\n",
            Ping::OPERATION.endpoint().method,
            Ping::path(&())
        )
        .into_bytes();
        Ok(Some(Self {
            reader: BufReader::new(stream),
            request,
        }))
    }

    fn ping(&mut self) -> anyhow::Result<()> {
        self.reader.get_mut().write_all(&self.request)?;
        let mut length = None;
        let mut status_ok = false;
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("the server closed the connection");
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if trimmed.starts_with("HTTP/1.1 200") {
                status_ok = true;
            }
            if let Some((name, value)) = trimmed.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length.context("the answer has no Content-Length")?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        if !status_ok {
            bail!("GET /ping did not answer 200");
        }
        Ok(())
    }
}
