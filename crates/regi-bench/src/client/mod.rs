//! `regi-bench client`: regi's client for one payment provider reading one object over a warm
//! connection, against the floor of the same server (the same kind of read with no HTTP library
//! of regi's in it), optionally next to another client (an official SDK) in the same run.
//!
//! The kinds are interleaved call by call (`--batch 1`) so that noise from other work on the
//! machine falls on all of them alike, and all are timed inside a task on a two-worker runtime:
//! the way regi's engine calls its clients. Pokepay runs against a `regi sandbox` (or the API a
//! config.ini names); KOMOJU and elepay against their emulators, started in this process.

mod elepay;
mod emulator;
mod floor;
mod komoju;
mod pokepay;
mod raw;
mod read;
mod timing;

use std::path::PathBuf;

use crate::table::Output;

/// The goal: regi's read median within this factor of the floor's.
pub const GOAL_RATIO: f64 = 1.5;

/// Which provider's client is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Provider {
    /// GetCashtray against `GET /ping`, on a `regi sandbox` or the API of `--pokepay-ini`.
    #[default]
    Pokepay,
    /// `GET /sessions/{id}` on the KOMOJU emulator.
    Komoju,
    /// `GET /charges/{id}/status` on the elepay emulator.
    Elepay,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// Whose client to measure.
    #[arg(long, value_enum, default_value_t = Provider::Pokepay)]
    pub provider: Provider,
    /// The API to measure (an SDK config.ini); without it a `regi sandbox` is started. Pokepay
    /// only.
    #[arg(long, value_name = "INI")]
    pub pokepay_ini: Option<PathBuf>,
    /// regi's calls to time (as many floor calls of each kind are timed too).
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub calls: usize,
    /// Calls of one kind in a row before the next kind; 1 alternates call by call, so that noise
    /// from other work on the machine falls on every kind alike.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub batch: usize,
    /// Also time another client on the same object after regi's, e.g.
    /// `python3 bench/sdk/python_get_cashtray.py` (Pokepay's official Python SDK) or
    /// `python3 bench/sdk/python_elepay_status.py` (elepay's); repeatable.
    #[arg(long, value_name = "CMD")]
    pub compare: Vec<String>,
}

pub fn run(args: &ClientArgs) -> anyhow::Result<Output> {
    if args.pokepay_ini.is_some() && args.provider != Provider::Pokepay {
        anyhow::bail!("--pokepay-ini only goes with --provider pokepay");
    }
    match args.provider {
        Provider::Pokepay => pokepay::run(args),
        Provider::Komoju => komoju::run(args),
        Provider::Elepay => elepay::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::{BenchCli, BenchCommand};

    fn parse(args: &[&str]) -> Result<ClientArgs, clap::Error> {
        let cli = BenchCli::try_parse_from(["regi-bench", "client"].iter().chain(args))?;
        match cli.command {
            BenchCommand::Client(args) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn without_a_provider_pokepay_is_measured_as_before() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.provider, Provider::Pokepay);
        assert_eq!((args.calls, args.batch), (5000, 1));
    }

    #[test]
    fn each_provider_is_chosen_by_its_name() {
        for (name, provider) in [
            ("pokepay", Provider::Pokepay),
            ("komoju", Provider::Komoju),
            ("elepay", Provider::Elepay),
        ] {
            assert_eq!(parse(&["--provider", name]).unwrap().provider, provider);
        }
        let args = parse(&[
            "--provider",
            "elepay",
            "--calls",
            "2000",
            "--compare",
            "python3 bench/sdk/python_elepay_status.py",
        ])
        .unwrap();
        assert_eq!(args.calls, 2000);
        assert_eq!(args.compare, ["python3 bench/sdk/python_elepay_status.py"]);
    }

    #[test]
    fn an_unknown_provider_is_refused() {
        assert!(parse(&["--provider", "paypay"]).is_err());
    }

    #[test]
    fn a_pokepay_config_is_refused_for_another_provider() {
        let args = parse(&["--provider", "komoju", "--pokepay-ini", "config.ini"]).unwrap();
        let err = run(&args).unwrap_err();
        assert!(err.to_string().contains("--pokepay-ini"), "{err}");
    }
}
