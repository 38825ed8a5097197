//! One provider's status read through regi's client against the floor of the same emulator,
//! interleaved call by call, and the tables that report it. The providers fill in the read and
//! the names ([`ReadTarget`]); the timing, the floor and the report are the same for each.

use std::time::Instant;

use serde_json::json;

use super::GOAL_RATIO;
use super::floor::Floor;
use super::timing::{Round, Samples};
use crate::compare::Compared;
use crate::cpu::Machine;
use crate::stats::{Summary, ratio, summarize};
use crate::table::{Output, Table, fixed};

/// The read regi's client makes; the answer is parsed and thrown away.
pub trait RegiRead: Send + Sync + 'static {
    fn read(&self) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// What one provider's figures are called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTarget {
    /// `komoju`, as given to `--provider`.
    pub provider: &'static str,
    /// The operation, e.g. `GET /sessions/{id}`.
    pub call: &'static str,
    /// regi's method, e.g. `Client::show_session`.
    pub regi_method: &'static str,
    /// The floor's request as sent, e.g. `GET /api/v1/sessions/{id}`.
    pub floor_call: &'static str,
    /// Where the emulator runs, for the title.
    pub against: &'static str,
}

/// regi's read and the floor, timed one kind after the other in each round.
pub struct ReadBench<R> {
    pub regi: R,
    pub floor: Floor,
}

impl<R: RegiRead> Round for ReadBench<R> {
    async fn round(&mut self, n: usize, samples: &mut Samples) -> anyhow::Result<()> {
        self.floor.round(n, samples).await?;
        let busy = Instant::now();
        for _ in 0..n {
            let started = Instant::now();
            match self.regi.read().await {
                Ok(()) => samples.regi.push(started.elapsed()),
                Err(_) => samples.errors += 1,
            }
        }
        samples.regi_busy += busy.elapsed();
        samples.check_errors()
    }
}

/// The goals a run is judged by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goals {
    /// regi's p50 at most this many times the reqwest floor's.
    pub floor_ratio: f64,
    /// Each compared client's p50 at least this many times regi's, when one was compared.
    pub compared_ratio: Option<f64>,
}

impl Default for Goals {
    fn default() -> Self {
        Self {
            floor_ratio: GOAL_RATIO,
            compared_ratio: None,
        }
    }
}

pub fn report(
    target: &ReadTarget,
    goals: Goals,
    s: &Samples,
    has_raw: bool,
    compared: &[Compared],
) -> Output {
    let regi = summarize(&s.regi);
    let floor = summarize(&s.floor);
    let raw = summarize(&s.raw_floor);
    let calls_per_s = ratio(s.regi.len() as f64, s.regi_busy.as_secs_f64());
    let vs_floor = ratio(regi.p50_us as f64, floor.p50_us as f64);
    let vs_raw = ratio(regi.p50_us as f64, raw.p50_us as f64);
    let call = target.call;
    let mut table = Table::new(
        format!(
            "client --provider {}: {call} over a warm connection vs the same GET on a plain client ({})",
            target.provider, target.against
        ),
        &["call", "n", "p50 µs", "p99 µs", "mean µs", "max µs"],
    );
    let mut line = |name: String, x: &Summary| {
        table.row([
            name,
            x.count.to_string(),
            x.p50_us.to_string(),
            x.p99_us.to_string(),
            x.mean_us.to_string(),
            x.max_us.to_string(),
        ]);
    };
    line(format!("regi {}", target.regi_method), &regi);
    line(format!("floor: reqwest {}", target.floor_call), &floor);
    if has_raw {
        line(format!("floor: raw HTTP/1.1 {}", target.floor_call), &raw);
    }
    for other in compared {
        table.row([
            format!("{} {call}", other.name),
            other.calls.to_string(),
            other.p50_us.to_string(),
            other.p99_us.to_string(),
            "-".to_string(),
            "-".to_string(),
        ]);
    }
    let floor_met = vs_floor > 0.0 && vs_floor <= goals.floor_ratio;
    let mut figures = Table::new("", &["figure", "value"]);
    figures
        .row(["calls_per_s".to_string(), fixed(calls_per_s, 0)])
        .row(["p50 / floor p50".to_string(), fixed(vs_floor, 2)]);
    if has_raw {
        figures.row(["p50 / raw floor p50".to_string(), fixed(vs_raw, 2)]);
    }
    let mut compared_json = Vec::new();
    for other in compared {
        let times = ratio(other.p50_us as f64, regi.p50_us as f64);
        figures.row([format!("{} p50 / regi p50", other.name), fixed(times, 2)]);
        let met = goals.compared_ratio.map(|goal| times >= goal);
        if let (Some(goal), Some(met)) = (goals.compared_ratio, met) {
            figures.row([
                format!("goal: {} ≥ {goal}× regi", other.name),
                verdict(met).to_string(),
            ]);
        }
        compared_json.push(json!({
            "name": other.name,
            "calls": other.calls,
            "p50_us": other.p50_us,
            "p99_us": other.p99_us,
            "ratio_to_regi": (times * 100.0).round() / 100.0,
            "goal_met": met,
        }));
    }
    figures.row([
        format!("goal ≤ {}× floor", goals.floor_ratio),
        verdict(floor_met).to_string(),
    ]);
    let machine = Machine::here();
    Output {
        tables: vec![table, figures],
        notes: vec![machine.line(), format!("errors: {}", s.errors)],
        json: json!({
            "bench": "client",
            "provider": target.provider,
            "call": call,
            "calls": s.regi.len(),
            "p50_us": regi.p50_us,
            "p99_us": regi.p99_us,
            "mean_us": regi.mean_us,
            "calls_per_s": calls_per_s.round(),
            "floor_p50_us": floor.p50_us,
            "floor_p99_us": floor.p99_us,
            "raw_floor_p50_us": has_raw.then_some(raw.p50_us),
            "ratio_to_floor": (vs_floor * 100.0).round() / 100.0,
            "goal_ratio": goals.floor_ratio,
            "goal_met": floor_met,
            "errors": s.errors,
            "compared": compared_json,
            "machine": machine,
        }),
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn target() -> ReadTarget {
        ReadTarget {
            provider: "elepay",
            call: "GET /charges/{id}/status",
            regi_method: "ElepayClient::charge_status",
            floor_call: "GET /charges/{id}/status",
            against: "in-process emulator",
        }
    }

    fn samples(regi_us: u64, floor_us: u64) -> Samples {
        Samples {
            regi: vec![Duration::from_micros(regi_us); 3],
            floor: vec![Duration::from_micros(floor_us); 3],
            raw_floor: vec![Duration::from_micros(floor_us / 2); 3],
            regi_busy: Duration::from_micros(regi_us * 3),
            ..Samples::default()
        }
    }

    fn sdk(p50_us: u64) -> Compared {
        Compared {
            name: "Python SDK".into(),
            calls: 3,
            p50_us,
            p99_us: p50_us * 2,
        }
    }

    #[test]
    fn the_table_names_regi_the_floors_and_each_compared_client() {
        let out = report(
            &target(),
            Goals::default(),
            &samples(120, 100),
            true,
            &[sdk(900)],
        );
        let text = out.tables[0].render();
        let rows: Vec<&str> = text.lines().skip(3).collect();
        assert!(
            rows[0].starts_with("regi ElepayClient::charge_status "),
            "{text}"
        );
        assert!(
            rows[1].starts_with("floor: reqwest GET /charges/{id}/status "),
            "{text}"
        );
        assert!(
            rows[2].starts_with("floor: raw HTTP/1.1 GET /charges/{id}/status "),
            "{text}"
        );
        assert!(
            rows[3].starts_with("Python SDK GET /charges/{id}/status "),
            "{text}"
        );
        assert_eq!(rows.len(), 4);
        assert!(
            out.tables[0]
                .render()
                .starts_with("client --provider elepay:")
        );
    }

    #[test]
    fn without_a_raw_floor_its_row_and_ratio_are_left_out() {
        let out = report(&target(), Goals::default(), &samples(120, 100), false, &[]);
        let text = out.render(false);
        assert!(!text.contains("raw"), "{text}");
        assert_eq!(out.json["raw_floor_p50_us"], serde_json::Value::Null);
    }

    #[test]
    fn the_floor_goal_is_met_up_to_the_ratio_and_missed_beyond_it() {
        let met = report(&target(), Goals::default(), &samples(150, 100), true, &[]);
        assert_eq!(met.json["goal_met"], true);
        let text = met.render(false);
        let goal_line = text.lines().find(|l| l.starts_with("goal ≤ 1.5× floor"));
        assert!(goal_line.is_some_and(|l| l.ends_with(" met")), "{text}");
        let missed = report(&target(), Goals::default(), &samples(151, 100), true, &[]);
        assert_eq!(missed.json["goal_met"], false);
        assert!(missed.render(false).contains("MISSED"));
    }

    #[test]
    fn a_compared_client_is_judged_by_how_many_times_slower_it_is() {
        let goals = Goals {
            compared_ratio: Some(5.0),
            ..Goals::default()
        };
        let fast_enough = report(&target(), goals, &samples(100, 90), true, &[sdk(500)]);
        assert_eq!(fast_enough.json["compared"][0]["goal_met"], true);
        assert_eq!(fast_enough.json["compared"][0]["ratio_to_regi"], 5.0);
        let too_close = report(&target(), goals, &samples(100, 90), true, &[sdk(499)]);
        assert_eq!(too_close.json["compared"][0]["goal_met"], false);
        assert!(
            too_close
                .render(false)
                .contains("goal: Python SDK ≥ 5× regi")
        );
        let no_goal = report(
            &target(),
            Goals::default(),
            &samples(100, 90),
            true,
            &[sdk(499)],
        );
        assert!(!no_goal.render(false).contains("goal: Python SDK"));
    }
}
