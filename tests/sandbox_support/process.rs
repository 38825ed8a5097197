//! The real binary: a `regi sandbox` child process and `regi customer` runs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Output, Stdio};

pub const REGI: &str = env!("CARGO_BIN_EXE_regi");

/// A `regi sandbox` child, killed when dropped.
pub struct SandboxProcess {
    child: Child,
    pub base_url: String,
    _stderr: BufReader<ChildStderr>,
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SandboxProcess {
    /// Starts `regi sandbox` on a free loopback port with `args`, writing its config to `config`,
    /// and waits for the line announcing its URL (the config is written before it).
    pub fn start(args: &[&str], config: &Path) -> Self {
        let mut child = Command::new(REGI)
            .args(["sandbox", "--listen", "127.0.0.1:0"])
            .args(args)
            .arg("--write-config")
            .arg(config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("regi runs");
        let mut stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
        let mut line = String::new();
        stderr.read_line(&mut line).expect("a start-up line");
        let base_url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        SandboxProcess {
            child,
            base_url,
            _stderr: stderr,
        }
    }
}

/// Runs `regi customer` with `args`.
pub fn customer(args: &[&str]) -> Output {
    Command::new(REGI)
        .arg("customer")
        .args(args)
        .output()
        .expect("regi runs")
}
