//! `regi-bench client --provider komoju`: `GET /sessions/{id}` through regi's KOMOJU client
//! against the same GET with the same Basic auth on a plain client, on the KOMOJU emulator
//! started in this process with one session in it.

use std::ffi::OsString;

use anyhow::Context;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use super::ClientArgs;
use super::emulator::server_runtime;
use super::floor::Floor;
use super::read::{Goals, ReadBench, ReadTarget, RegiRead, report};
use super::timing::{engine_runtime, time_rounds};
use crate::compare;
use crate::table::Output;
use regi_komoju::endpoints::Operation;
use regi_komoju::wire::CreateSessionRequest;
use regi_komoju::{Client, ClientSettings, IdempotencyKey};
use regi_komoju_emulator::EmulatorConfig;

const TARGET: ReadTarget = ReadTarget {
    provider: "komoju",
    call: "GET /sessions/{id}",
    regi_method: "Client::show_session",
    floor_call: "GET /api/v1/sessions/{id}",
    against: "KOMOJU emulator in process, own thread",
};

/// regi's poll of a hosted-page session.
struct ShowSession {
    client: Client,
    id: String,
}

impl RegiRead for ShowSession {
    async fn read(&self) -> anyhow::Result<()> {
        self.client.show_session(&self.id).await?;
        Ok(())
    }
}

pub fn run(args: &ClientArgs) -> anyhow::Result<Output> {
    let server = server_runtime()?;
    let emulator = server
        .block_on(regi_komoju_emulator::start(EmulatorConfig::default()))
        .context("cannot start the KOMOJU emulator")?;
    let client = Client::new(&ClientSettings::new(
        &emulator.api_base_url,
        emulator.secret_key.clone(),
    ))?;
    let runtime = engine_runtime()?;
    let mut request = CreateSessionRequest::yen(100, "regi-bench-client");
    request.payment_types = vec!["paypay".into()];
    let session = runtime
        .block_on(client.create_session(&request, &IdempotencyKey::random()))
        .context("cannot create the session to read")?;
    let path = Operation::ShowSession.endpoint().path(&session.id);
    let floor = Floor::new(
        client.base_url(),
        &path,
        Some(basic_authorization(emulator.secret_key.expose())?),
    )?;
    let bench = ReadBench {
        regi: ShowSession {
            client,
            id: session.id.clone(),
        },
        floor,
    };
    let (bench, samples) = time_rounds(&runtime, bench, args.calls, args.batch)?;
    let env = [
        (
            "KOMOJU_API_BASE_URL",
            OsString::from(&emulator.api_base_url),
        ),
        (
            "KOMOJU_SECRET_KEY",
            OsString::from(emulator.secret_key.expose()),
        ),
        ("REGI_BENCH_SESSION", OsString::from(&session.id)),
    ];
    let compared = args
        .compare
        .iter()
        .map(|command| compare::run(command, &env, args.calls))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(report(
        &TARGET,
        Goals::default(),
        &samples,
        bench.floor.has_raw(),
        &compared,
    ))
}

/// `Basic base64(key:)`, KOMOJU's way of sending the secret key, as reqwest writes it.
fn basic_authorization(key: &str) -> anyhow::Result<HeaderValue> {
    let request = reqwest::Client::new()
        .get("http://127.0.0.1/")
        .basic_auth(key, Some(""))
        .build()?;
    request
        .headers()
        .get(AUTHORIZATION)
        .cloned()
        .context("reqwest wrote no Authorization header")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Provider;

    #[test]
    fn a_short_run_reads_the_session_with_every_kind_of_call_and_no_errors() {
        let args = ClientArgs {
            provider: Provider::Komoju,
            pokepay_ini: None,
            calls: 3,
            batch: 1,
            compare: vec![
                r#"test -n "$KOMOJU_SECRET_KEY" && test -n "$REGI_BENCH_SESSION" && printf '{"name":"sh","calls":%s,"p50_us":9,"p99_us":9}\n' "$REGI_BENCH_CALLS""#.into(),
            ],
        };
        let out = run(&args).unwrap();
        assert_eq!(out.json["errors"], 0);
        assert_eq!(out.json["calls"], 3);
        assert!(out.json["raw_floor_p50_us"].is_u64(), "{}", out.json);
        assert_eq!(out.json["compared"][0]["calls"], 3);
    }

    #[test]
    fn the_floor_sends_the_key_as_the_user_name_with_an_empty_password() {
        // "sk_test_1:" in base64.
        assert_eq!(
            basic_authorization("sk_test_1").unwrap(),
            "Basic c2tfdGVzdF8xOg=="
        );
    }

    #[test]
    fn the_floor_reads_the_same_path_as_regis_client() {
        assert_eq!(
            format!(
                "GET /api/v1{}",
                Operation::ShowSession.endpoint().path("abc123")
            ),
            TARGET.floor_call.replace("{id}", "abc123")
        );
    }
}
