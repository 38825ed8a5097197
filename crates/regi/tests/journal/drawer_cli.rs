//! `regi drawer float|in|out|count|status --json` run as the real binary against a journal in a
//! temporary data directory, a file standing in for the printer the drawer hangs on, and the
//! manager PIN piped in on standard input.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};
use regi_journal::{Journal, SaleMeta, journal_path};
use regi_receipts::drawer_pulse;
use serde_json::Value;

/// Runs `regi --data-dir DIR ARGS...` with `stdin` piped in.
fn regi(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regi"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("REGI_CONFIG")
        .env_remove("REGI_DATA_DIR")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("regi runs");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    // A run refused before it reads its stdin (a bad argument) may be gone before the write.
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().expect("regi finishes")
}

/// The one JSON object a `--json` run printed.
fn event(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

/// A data directory whose printer is a file and whose manager PIN is 2580.
fn till() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let printer = dir.path().join("printer.bin");
    std::fs::write(
        dir.path().join("regi.toml"),
        format!(
            "[printer]\ntarget = \"file:{}\"\ncheck_status = false\n\n[ui]\nlang = \"en\"\nmanager_pin = \"2580\"\n",
            printer.display()
        ),
    )
    .unwrap();
    dir
}

fn drawer_opened(dir: &Path) -> bool {
    let printed = std::fs::read(dir.join("printer.bin")).unwrap_or_default();
    printed
        .windows(drawer_pulse().len())
        .any(|w| w == drawer_pulse())
}

/// A ¥1,234 sale paid with ¥2,000 in cash (¥766 change).
fn cash_sale(dir: &Path) {
    let mut journal = Journal::open(&journal_path(dir, false)).unwrap();
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
    cart.add_manual(Yen(1_234), TaxRate::Standard10, None)
        .unwrap();
    let sale = journal
        .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
        .unwrap();
    journal
        .record_cash_tender(sale.sale_id, Yen(2_000))
        .unwrap();
}

#[test]
fn float_paid_in_paid_out_and_count_are_journaled_and_the_drawer_opens_after_each_movement() {
    let dir = till();
    cash_sale(dir.path());

    let out = regi(dir.path(), &["drawer", "float", "10000", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let float = event(&out);
    assert_eq!(float["event"], "float");
    assert_eq!(float["amount"], 10_000);
    // 10,000 + 2,000 received − 766 change
    assert_eq!(float["expected"], 11_234);
    assert_eq!(float["drawer"], "opened");
    assert!(drawer_opened(dir.path()));

    let out = regi(
        dir.path(),
        &[
            "drawer",
            "in",
            "500",
            "--reason",
            "coins from the bank",
            "--json",
        ],
        "2580\n",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let paid_in = event(&out);
    assert_eq!(paid_in["event"], "paid_in");
    assert_eq!(paid_in["reason"], "coins from the bank");
    assert_eq!(paid_in["expected"], 11_734);

    std::fs::remove_file(dir.path().join("printer.bin")).unwrap();
    let out = regi(
        dir.path(),
        &["drawer", "out", "300", "--reason", "stamps", "--json"],
        "2580\n",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(event(&out)["expected"], 11_434);
    assert!(drawer_opened(dir.path()));

    let out = regi(
        dir.path(),
        &[
            "drawer", "count", "10000=1", "1000=1", "100=4", "10=2", "1=3", "--json",
        ],
        "2580\n",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let count = event(&out);
    assert_eq!(count["event"], "count");
    assert_eq!(count["counted"], 11_423);
    assert_eq!(count["expected"], 11_434);
    assert_eq!(count["over_short"], -11);
    assert_eq!(count["denominations"]["100"], 4);

    let out = regi(dir.path(), &["drawer", "status", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let status = event(&out);
    let cash = &status["cash"];
    assert_eq!(cash["float"], 10_000);
    assert_eq!(cash["sales"], 1_234);
    assert_eq!(cash["paid_in"], 500);
    assert_eq!(cash["paid_out"], 300);
    assert_eq!(cash["expected"], 11_434);
    assert_eq!(cash["counted"], 11_423);
    assert_eq!(cash["over_short"], -11);
    assert_eq!(status["movements"].as_array().unwrap().len(), 4);
}

#[test]
fn a_wrong_pin_a_second_float_and_a_paid_out_beyond_the_cash_exit_2_and_journal_nothing() {
    let dir = till();
    let out = regi(dir.path(), &["drawer", "float", "5000", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let out = regi(
        dir.path(),
        &["drawer", "out", "100", "--reason", "stamps", "--json"],
        "1111\n",
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(event(&out)["reason"], "wrong_pin");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("1111"));

    let out = regi(dir.path(), &["drawer", "float", "8000", "--json"], "");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let refused = event(&out);
    assert_eq!(refused["reason"], "float_already_set");
    assert!(
        refused["message"].as_str().unwrap().contains("paid-in"),
        "{refused}"
    );

    let out = regi(
        dir.path(),
        &["drawer", "out", "5001", "--reason", "supplier", "--json"],
        "2580\n",
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(event(&out)["reason"], "paid_out_exceeds_cash");

    let status = event(&regi(dir.path(), &["drawer", "status", "--json"], ""));
    assert_eq!(status["movements"].as_array().unwrap().len(), 1);
    assert_eq!(status["cash"]["expected"], 5_000);
}

#[test]
fn a_count_is_printed_on_its_slip_with_the_over_or_short() {
    let dir = till();
    let out = regi(dir.path(), &["drawer", "float", "1000"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = regi(
        dir.path(),
        &["drawer", "count", "1000=1", "50=1", "--print", "--json"],
        "2580\n",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let count = event(&out);
    assert_eq!(count["over_short"], 50);
    assert_eq!(count["print"], "printed");
    let printed = std::fs::read(dir.path().join("printer.bin")).unwrap();
    let text = String::from_utf8_lossy(&printed);
    assert!(text.contains("+¥50") || text.contains("+\\50"), "{text}");
}

#[test]
fn a_count_not_of_face_and_pieces_is_a_usage_error_naming_the_syntax() {
    let dir = till();
    let out = regi(dir.path(), &["drawer", "count", "1000x5"], "2580\n");
    assert_eq!(out.status.code(), Some(64), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("FACE=PIECES"),
        "{out:?}"
    );
}

#[test]
fn a_drawer_that_does_not_open_is_reported_and_the_float_stays_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("lp0");
    std::fs::write(
        dir.path().join("regi.toml"),
        format!(
            "[printer]\ntarget = \"device:{}\"\ncheck_status = false\n",
            missing.display()
        ),
    )
    .unwrap();
    let out = regi(dir.path(), &["drawer", "float", "10000", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let float = event(&out);
    assert_eq!(float["drawer"], "failed");
    assert!(float["drawer_detail"].as_str().is_some(), "{float}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ドロワーが開きませんでした"),
        "{out:?}"
    );
    let status = event(&regi(dir.path(), &["drawer", "status", "--json"], ""));
    assert_eq!(status["cash"]["float"], 10_000);
}
