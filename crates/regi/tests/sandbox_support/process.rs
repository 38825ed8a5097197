//! The real binary: a `regi sandbox` child process and `regi customer` runs.

use std::path::Path;
use std::process::{Command, Output};

use regi_bench::process::{SandboxProcess, SandboxSpec};

pub const REGI: &str = env!("CARGO_BIN_EXE_regi");

/// Starts `regi sandbox` on a free loopback port (as the benchmarks do: killed when dropped, its
/// stderr drained), with its `config.ini` written into `dir`.
pub fn start_sandbox(dir: &Path, seed: Option<u64>) -> SandboxProcess {
    let spec = SandboxSpec {
        seed,
        ..SandboxSpec::default()
    };
    SandboxProcess::spawn(Path::new(REGI), dir, &spec).expect("regi sandbox starts")
}

/// Runs `regi customer` with `args`.
pub fn customer(args: &[&str]) -> Output {
    Command::new(REGI)
        .arg("customer")
        .args(args)
        .output()
        .expect("regi runs")
}

/// `regi` on `data_dir` with the credentials of a sandbox's `config.ini`, no configuration from
/// the environment and nothing on standard input; add the subcommand.
pub fn regi_on(data_dir: &Path, ini: &Path) -> Command {
    let mut command = Command::new(REGI);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--pokepay-ini")
        .arg(ini)
        .env_remove("REGI_CONFIG")
        .stdin(std::process::Stdio::null());
    command
}
