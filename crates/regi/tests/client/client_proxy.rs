//! Which proxy the Partner API client uses, run as the real binary: proxy variables are
//! process-wide, so each case is a `regi doctor` child (one SendEcho) with its own environment.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use crate::sandbox_support::process::{REGI, start_sandbox};

/// A listener that records the first line of every request it gets and answers 502, standing in
/// for a proxy someone put in the environment.
struct RecordingProxy {
    url: String,
    request_lines: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let request_lines = Arc::new(Mutex::new(Vec::new()));
        let seen = request_lines.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let first = answer_502(stream);
                seen.lock().unwrap().push(first);
            }
        });
        Self { url, request_lines }
    }

    fn request_lines(&self) -> Vec<String> {
        self.request_lines.lock().unwrap().clone()
    }
}

/// Reads one request head and refuses it; returns its first line.
fn answer_502(stream: TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    let _ = reader.read_line(&mut first);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim() != "" {
        line.clear();
    }
    let _ = reader
        .get_mut()
        .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    first.trim().to_string()
}

/// `regi doctor` against the sandbox's `config.ini`, with `api` appended to a regi.toml that keeps
/// the printer and scanner checks off the hardware, and every proxy variable set to `proxy`.
fn doctor(dir: &Path, ini: &Path, api: &str, proxy: &RecordingProxy) -> Output {
    let toml = dir.join("regi.toml");
    std::fs::write(
        &toml,
        format!(
            "[printer]\ntarget = \"file:{}\"\n[scanner]\nsource = \"none\"\n{api}",
            dir.join("paper.bin").display()
        ),
    )
    .unwrap();
    let mut command = Command::new(REGI);
    command
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--config")
        .arg(&toml)
        .arg("--pokepay-ini")
        .arg(ini)
        .args(["--lang", "en", "doctor"])
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env(name, &proxy.url);
    }
    command.output().unwrap()
}

#[test]
fn proxy_variables_of_the_environment_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), None);
    let proxy = RecordingProxy::start();
    let output = doctor(dir.path(), &sandbox.ini_path, "", &proxy);
    let report = String::from_utf8_lossy(&output.stdout);
    // The child has exited: had it gone through the proxy, the proxy would have answered it.
    assert_eq!(proxy.request_lines(), Vec::<String>::new(), "{report}");
    assert!(
        report.contains("[OK] Payment server (SendEcho)"),
        "the call reached the sandbox directly:\n{report}"
    );
}

#[test]
fn the_configured_proxy_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), None);
    let configured = RecordingProxy::start();
    let environment = RecordingProxy::start();
    let api = format!("[api]\nproxy = \"{}\"\n", configured.url);
    let output = doctor(dir.path(), &sandbox.ini_path, &api, &environment);
    let report = String::from_utf8_lossy(&output.stdout);
    let lines = configured.request_lines();
    assert!(!lines.is_empty(), "{report}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with(&format!("POST {}/", sandbox.base_url))),
        "{lines:?}"
    );
    assert!(environment.request_lines().is_empty());
    assert!(!output.status.success(), "the proxy refused: {report}");
}
