//! One register process per journal, with the real binaries: while a `regi checkout` shows its QR,
//! a second checkout and a second till on the same data directory are refused at once and touch
//! nothing, reading commands keep working, and the first sale is still paid by the customer.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Output, Stdio};

use crate::sandbox_support::process::{customer, regi_on, start_sandbox};

/// Reads JSON event lines until one of `kind`, returning it.
fn wait_for_event(lines: &mut impl Iterator<Item = String>, kind: &str) -> serde_json::Value {
    for line in lines {
        let event: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        if event["event"] == kind {
            return event;
        }
    }
    panic!("no {kind} event before the end of output");
}

/// The lines a checkout prints, as they come.
type OutputLines = std::iter::MapWhile<
    std::io::Lines<BufReader<ChildStdout>>,
    fn(std::io::Result<String>) -> Option<String>,
>;

struct RunningCheckout {
    child: Child,
    lines: OutputLines,
}

fn start_checkout(data_dir: &Path, ini: &Path, amount: &str) -> RunningCheckout {
    let mut child = regi_on(data_dir, ini)
        .args(["checkout", amount, "--cashtray", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("regi checkout starts");
    let stdout = child.stdout.take().expect("stdout");
    let lines = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok as fn(std::io::Result<String>) -> Option<String>);
    RunningCheckout { child, lines }
}

fn refused_as_in_use(output: &Output, pid: u32) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("another regi"), "{stderr}");
    assert!(
        stderr.contains(&format!("pid {pid}")),
        "names the other process: {stderr}"
    );
    assert!(stderr.contains("checkout"), "names its command: {stderr}");
}

#[test]
fn a_second_register_on_the_same_journal_is_refused_and_the_first_sale_is_still_paid() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), Some(21));
    let data_dir = dir.path().join("data");
    let ini = sandbox.ini_path.clone();

    let mut first = start_checkout(&data_dir, &ini, "1200");
    let presented = wait_for_event(&mut first.lines, "presented");
    let token = presented["token"].as_str().expect("token").to_string();
    let pid = first.child.id();

    let second = regi_on(&data_dir, &ini)
        .args(["checkout", "500", "--cashtray", "--json"])
        .output()
        .expect("runs");
    refused_as_in_use(&second, pid);
    // A till started on the same data directory stops before drawing anything.
    let till = regi_on(&data_dir, &ini).output().expect("runs");
    refused_as_in_use(&till, pid);
    // Reading works beside the running register.
    let listed = regi_on(&data_dir, &ini)
        .args(["journal", "list"])
        .output()
        .expect("runs");
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let report = regi_on(&data_dir, &ini)
        .args(["report", "x", "--json"])
        .output()
        .expect("runs");
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );

    // The QR on the first register's screen was left alone: the customer can still pay it.
    let paid = customer(&["pay", &token, "--sandbox", &sandbox.base_url]);
    assert!(
        paid.status.success(),
        "{}",
        String::from_utf8_lossy(&paid.stderr)
    );
    let outcome = wait_for_event(&mut first.lines, "paid");
    assert_eq!(outcome["amount"], 1200);
    assert_eq!(first.child.wait().expect("exits").code(), Some(0));

    // Only the first sale exists: the refused ones journaled nothing.
    let exported = regi_on(&data_dir, &ini)
        .args(["journal", "export", "--format", "json"])
        .output()
        .expect("runs");
    let sales: serde_json::Value = serde_json::from_slice(&exported.stdout).expect("JSON");
    assert_eq!(sales.as_array().map(Vec::len), Some(1), "{sales}");
}

#[test]
fn two_checkouts_started_together_on_a_new_data_dir_do_not_race_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), Some(22));
    let data_dir = dir.path().join("fresh");
    let ini = sandbox.ini_path.clone();
    let children: Vec<_> = (0..2)
        .map(|_| start_checkout(&data_dir, &ini, "300"))
        .collect();
    let mut presented = Vec::new();
    let mut refused = 0;
    for mut run in children {
        let first: serde_json::Value =
            serde_json::from_str(&run.lines.next().expect("a first line")).expect("JSON");
        if first["event"] == "error" {
            let message = first["message"].as_str().unwrap_or_default();
            assert!(message.contains("another regi"), "{message}");
            assert_eq!(run.child.wait().expect("exits").code(), Some(1));
            refused += 1;
        } else {
            let mut lines = std::iter::once(first.to_string()).chain(&mut run.lines);
            let event = wait_for_event(&mut lines, "presented");
            presented.push((run, event["token"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(
        (presented.len(), refused),
        (1, 1),
        "one runs, one is refused"
    );
    let (mut run, token) = presented.pop().unwrap();
    let paid = customer(&["pay", &token, "--sandbox", &sandbox.base_url]);
    assert!(paid.status.success());
    wait_for_event(&mut run.lines, "paid");
    assert_eq!(run.child.wait().expect("exits").code(), Some(0));
}
