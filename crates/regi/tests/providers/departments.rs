//! Sales rung from department lines on the command line: `regi checkout --open DEPT:PRICE` against
//! `regi sandbox`, each line taxed at its department's rate and printed under its name.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{Emulator, REGI, start_emulator};

/// Runs `regi checkout ARGS --json` and returns the exit code and its JSON events.
fn checkout(emulator: &Emulator, data: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = regi(emulator, data)
        .arg("checkout")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let events = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON event per line"))
        .collect();
    (out.status.code().unwrap_or(-1), events)
}

fn regi(emulator: &Emulator, data: &Path) -> Command {
    let mut command = Command::new(REGI);
    command
        .arg("--data-dir")
        .arg(data)
        .arg("--pokepay-ini")
        .arg(&emulator.config)
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE");
    command
}

/// The text of `regi receipt show SALE_ID`.
fn receipt(emulator: &Emulator, data: &Path, sale_id: &Value) -> String {
    let out = regi(emulator, data)
        .args(["receipt", "show", &sale_id.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn open_prices_under_the_default_departments_are_taxed_at_their_rates_and_printed_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let (code, events) = checkout(
        &emulator,
        &data,
        &[
            "--open",
            "2:1000",
            "--open",
            "1:500*2",
            "--tender",
            "cash:2000",
        ],
    );
    assert_eq!(code, 0, "{events:?}");
    let paid = events.last().expect("events");
    assert_eq!(
        (&paid["event"], &paid["total"], &paid["change"]),
        (&Value::from("paid"), &Value::from(2000), &Value::from(0))
    );
    let text = receipt(&emulator, &data, &paid["sale_id"]);
    for line in ["食品", "一般", "8%対象", "¥1,000", "10%対象"] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[test]
fn a_department_that_is_not_configured_is_refused_and_nothing_is_sold() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let (code, events) = checkout(
        &emulator,
        &data,
        &["--open", "7:100", "--tender", "cash:100"],
    );
    assert_eq!(code, 1, "{events:?}");
    let message = events.last().unwrap()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("no department 7"), "{message}");
}

#[test]
fn a_ten_percent_discount_is_shared_across_the_rates_before_their_tax() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let (code, events) = checkout(
        &emulator,
        &data,
        &[
            "--open",
            "2:1000",
            "--open",
            "1:500",
            "--discount",
            "10%",
            "--tender",
            "cash:2000",
        ],
    );
    assert_eq!(code, 0, "{events:?}");
    let paid = events.last().expect("events");
    assert_eq!(
        (&paid["event"], &paid["total"], &paid["change"]),
        (&Value::from("paid"), &Value::from(1350), &Value::from(650))
    );
    let text = receipt(&emulator, &data, &paid["sale_id"]);
    let row = |label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no {label} in:\n{text}"))
            .to_owned()
    };
    assert!(row("値引 10% ※").contains("-¥100"), "{text}");
    assert!(
        row("小計").contains("2点"),
        "the discount lines are not items:\n{text}"
    );
    // Each rate's total after its share of the discount, then the tax inside it.
    let lines: Vec<&str> = text.lines().collect();
    for (label, total, tax) in [("8%対象", "¥900", "¥66"), ("10%対象", "¥450", "¥40")] {
        let at = lines.iter().position(|l| l.contains(label)).expect(label);
        assert!(lines[at].contains(total), "{text}");
        assert!(lines[at + 1].contains(tax), "{text}");
    }
}
