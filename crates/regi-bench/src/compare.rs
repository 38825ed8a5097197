//! `regi-bench client --compare CMD`: another client of the same API (an official SDK, say) timed
//! against the same server and the same object in the same run as regi's client.
//!
//! The command runs under `sh -c` with `REGI_BENCH_CALLS` and the provider's variables set, and
//! prints one JSON object on its last line: `{"name": .., "p50_us": .., "p99_us": .., "calls": ..}`.
//! - Pokepay: `POKEPAY_PARTNER_CONFIG_FILE` (the SDK config.ini of the API being measured) and
//!   `REGI_BENCH_CASHTRAY`; `bench/sdk/python_get_cashtray.py` reads the tray with the official
//!   Python SDK.
//! - KOMOJU: `KOMOJU_API_BASE_URL` (with `/api/v1`), `KOMOJU_SECRET_KEY` and `REGI_BENCH_SESSION`.
//! - elepay: `ELEPAY_API_BASE_URL`, `ELEPAY_SECRET_KEY` and `REGI_BENCH_CHARGE`;
//!   `bench/sdk/python_elepay_status.py` reads the charge's status with elepay's Python SDK.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use serde::Deserialize;

/// What a compared client reported.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Compared {
    pub name: String,
    pub calls: u64,
    pub p50_us: u64,
    pub p99_us: u64,
}

/// Runs `command` with `env` (where the API is and what to read) to make `calls` calls, and reads
/// its figures.
pub fn run(command: &str, env: &[(&str, OsString)], calls: usize) -> anyhow::Result<Compared> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .env("REGI_BENCH_CALLS", calls.to_string())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run `{command}`"))?;
    if !output.status.success() {
        bail!("`{command}` failed ({})", output.status);
    }
    parse_report(&String::from_utf8_lossy(&output.stdout))
        .with_context(|| format!("`{command}` did not print its figures as a JSON last line"))
}

/// The JSON object on the last non-empty line.
fn parse_report(stdout: &str) -> anyhow::Result<Compared> {
    let last = stdout
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .context("no output")?;
    let report: Compared = serde_json::from_str(last.trim())?;
    if report.calls == 0 || report.p50_us == 0 {
        bail!("it timed no calls");
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_last_json_line() {
        let out =
            "warming up\n{\"name\":\"python sdk\",\"calls\":10,\"p50_us\":900,\"p99_us\":1500}\n\n";
        let report = parse_report(out).unwrap();
        assert_eq!(report.name, "python sdk");
        assert_eq!(
            (report.p50_us, report.p99_us, report.calls),
            (900, 1500, 10)
        );
    }

    #[test]
    fn rejects_missing_or_empty_figures() {
        assert!(parse_report("").is_err());
        assert!(parse_report("done\n").is_err());
        assert!(parse_report(r#"{"name":"x","calls":0,"p50_us":0,"p99_us":0}"#).is_err());
    }

    #[test]
    fn runs_a_command_with_the_target_in_its_environment() {
        let env = [
            ("REGI_BENCH_CASHTRAY", OsString::from("tray-1")),
            (
                "POKEPAY_PARTNER_CONFIG_FILE",
                OsString::from("/tmp/config.ini"),
            ),
        ];
        let command = r#"test "$REGI_BENCH_CASHTRAY" = tray-1 && test -n "$POKEPAY_PARTNER_CONFIG_FILE" && printf '{"name":"echo","calls":%s,"p50_us":5,"p99_us":7}\n' "$REGI_BENCH_CALLS""#;
        let report = run(command, &env, 3).unwrap();
        assert_eq!(report.calls, 3);
        assert!(run("exit 3", &env, 3).is_err());
    }
}
