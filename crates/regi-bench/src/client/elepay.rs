//! `regi-bench client --provider elepay`: the light status poll `GET /charges/{id}/status`
//! through regi's elepay client against the same GET with the same key on a plain client, on the
//! elepay emulator started in this process with one pending charge in it. `--compare` gets the
//! emulator's address, its key and the charge (see `crate::compare`); elepay's official Python
//! SDK is expected to take at least [`SDK_GOAL_RATIO`] times as long as regi.

use std::ffi::OsString;

use anyhow::Context;
use reqwest::header::HeaderValue;

use super::ClientArgs;
use super::emulator::server_runtime;
use super::floor::Floor;
use super::read::{Goals, ReadBench, ReadTarget, RegiRead, report};
use super::timing::{engine_runtime, time_rounds};
use crate::compare;
use crate::table::Output;
use regi_elepay::endpoints::Operation;
use regi_elepay::wire::{ChargeReq, KnownPaymentMethod};
use regi_elepay::{ClientConfig, ElepayClient};
use regi_elepay_emulator::EmulatorConfig;

/// The goal against a compared client: it takes at least this many times as long as regi.
pub const SDK_GOAL_RATIO: f64 = 5.0;

const TARGET: ReadTarget = ReadTarget {
    provider: "elepay",
    call: "GET /charges/{id}/status",
    regi_method: "ElepayClient::charge_status",
    floor_call: "GET /charges/{id}/status",
    against: "elepay emulator in process, own thread",
};

/// regi's poll of a pending charge.
struct ChargeStatus {
    client: ElepayClient,
    id: String,
}

impl RegiRead for ChargeStatus {
    async fn read(&self) -> anyhow::Result<()> {
        self.client.charge_status(&self.id).await?;
        Ok(())
    }
}

pub fn run(args: &ClientArgs) -> anyhow::Result<Output> {
    let server = server_runtime()?;
    let emulator = server
        .block_on(regi_elepay_emulator::start_loopback(
            EmulatorConfig::default(),
        ))
        .context("cannot start the elepay emulator")?;
    let config = ClientConfig::new(&emulator.base_url, emulator.secret_key.clone());
    let authorization = HeaderValue::from_str(&emulator.secret_key.authorization(config.auth))
        .context("the emulator's key does not fit in a header")?;
    let client = ElepayClient::new(config)?;
    let runtime = engine_runtime()?;
    let request = ChargeReq::mpm(
        100,
        "regi-bench-client",
        KnownPaymentMethod::Paypay.into(),
        true,
    );
    let charge = runtime
        .block_on(client.create_charge(&request))
        .context("cannot create the charge to read")?;
    let id = charge.id.context("the new charge has no id")?;
    let path = Operation::RetrieveChargeStatus.endpoint().path(&[&id]);
    let floor = Floor::new(&emulator.base_url, &path, Some(authorization))?;
    let bench = ReadBench {
        regi: ChargeStatus {
            client,
            id: id.clone(),
        },
        floor,
    };
    let (bench, samples) = time_rounds(&runtime, bench, args.calls, args.batch)?;
    let env = [
        ("ELEPAY_API_BASE_URL", OsString::from(&emulator.base_url)),
        (
            "ELEPAY_SECRET_KEY",
            OsString::from(emulator.secret_key.expose()),
        ),
        ("REGI_BENCH_CHARGE", OsString::from(&id)),
    ];
    let compared = args
        .compare
        .iter()
        .map(|command| compare::run(command, &env, args.calls))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let goals = Goals {
        compared_ratio: Some(SDK_GOAL_RATIO),
        ..Goals::default()
    };
    Ok(report(
        &TARGET,
        goals,
        &samples,
        bench.floor.has_raw(),
        &compared,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Provider;

    #[test]
    fn a_short_run_reads_the_charge_with_every_kind_of_call_and_no_errors() {
        let args = ClientArgs {
            provider: Provider::Elepay,
            pokepay_ini: None,
            calls: 3,
            batch: 1,
            compare: vec![
                r#"test -n "$ELEPAY_SECRET_KEY" && test -n "$ELEPAY_API_BASE_URL" && test -n "$REGI_BENCH_CHARGE" && printf '{"name":"sh","calls":%s,"p50_us":9000,"p99_us":9000}\n' "$REGI_BENCH_CALLS""#.into(),
            ],
        };
        let out = run(&args).unwrap();
        assert_eq!(out.json["errors"], 0);
        assert_eq!(out.json["calls"], 3);
        assert!(out.json["raw_floor_p50_us"].is_u64(), "{}", out.json);
        assert_eq!(out.json["compared"][0]["calls"], 3);
    }

    #[test]
    fn the_floor_reads_the_same_path_as_regis_client() {
        assert_eq!(
            format!(
                "GET {}",
                Operation::RetrieveChargeStatus.endpoint().path(&["ch_1"])
            ),
            TARGET.floor_call.replace("{id}", "ch_1")
        );
    }
}
