//! `regi-bench client --provider pokepay` (the default): regi's Partner API client reading one
//! cashtray over a warm connection, against the floor of the same server — a bodiless `GET /ping`
//! on a kept-alive connection with a plain HTTP client (reqwest, as regi uses) and with a
//! hand-written HTTP/1.1 exchange — and the same enveloped call made by hand.

use std::ffi::OsString;
use std::time::Instant;

use anyhow::Context;
use serde_json::json;
use uuid::Uuid;

use super::floor::Floor;
use super::timing::{Round, Samples, engine_runtime, time_rounds};
use super::{ClientArgs, GOAL_RATIO};
use crate::client_wire::BareGetCashtray;
use crate::compare::{self, Compared};
use crate::cpu::Machine;
use crate::stats::{Summary, ratio, summarize};
use crate::table::{Output, Table, fixed};
use crate::target::ApiTarget;
use regi_pokepay::Client;
use regi_pokepay::endpoints::{Call, Ping};
use regi_pokepay::wire::{CreateCashtrayRequest, Num};

pub fn run(args: &ClientArgs) -> anyhow::Result<Output> {
    let target = ApiTarget::open(args.pokepay_ini.as_deref(), Some(7))?;
    let runtime = engine_runtime()?;
    let client = Client::new(&target.api)?;
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
    let floor = Floor::new(client.base_url(), Ping::path(&()).as_ref(), None)?;
    let bare = BareGetCashtray::new(&target.api, client.base_url(), tray)?;
    let bench = Bench {
        client,
        floor,
        bare,
        tray,
    };
    let (bench, samples) = time_rounds(&runtime, bench, args.calls, args.batch)?;
    let codec = bench.bare.codec_cost(2000);
    let env = [
        (
            "POKEPAY_PARTNER_CONFIG_FILE",
            OsString::from(target.ini_path.as_os_str()),
        ),
        ("REGI_BENCH_CASHTRAY", OsString::from(tray.to_string())),
    ];
    let compared = args
        .compare
        .iter()
        .map(|command| compare::run(command, &env, args.calls))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(report(
        args,
        &target,
        &samples,
        bench.floor.has_raw(),
        codec,
        bench.bare.last_body.len(),
        &compared,
    ))
}

/// The clients and targets one round of timing uses.
struct Bench {
    client: Client,
    floor: Floor,
    bare: BareGetCashtray,
    tray: Uuid,
}

impl Round for Bench {
    /// `n` calls of each kind, one kind after the other.
    async fn round(&mut self, n: usize, samples: &mut Samples) -> anyhow::Result<()> {
        self.floor.round(n, samples).await?;
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
        samples.check_errors()
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
