//! Every provider end to end through the real binary: `regi sandbox --provider X` writes a
//! configuration, `regi checkout --provider X --qr` shows the QR, `regi customer pay` pays it as
//! the customer would, and the journal's paid sale is the emulator's payment — also when the
//! emulator drops answers or is briefly unavailable.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use regi_core::domain::AttemptState;
use regi_journal::{Journal, SaleFilter, journal_path};
use serde_json::Value;

mod departments;
mod returns;
mod store;
mod tabs;
mod tenders;

const REGI: &str = env!("CARGO_BIN_EXE_regi");

/// A running `regi sandbox`, killed when dropped.
struct Emulator {
    child: Child,
    base_url: String,
    config: PathBuf,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_emulator(provider: &str, dir: &Path, faults: &[&str]) -> Emulator {
    let config = dir.join("regi.toml");
    let mut command = Command::new(REGI);
    command
        .args([
            "sandbox",
            "--provider",
            provider,
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "7",
        ])
        .arg("--write-config")
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for fault in faults {
        command.args(["--fault", fault]);
    }
    let mut child = command.spawn().expect("regi sandbox starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let base_url = loop {
        let mut line = String::new();
        assert!(
            lines.read_line(&mut line).unwrap() > 0,
            "the emulator stopped"
        );
        if let Some(at) = line.find("listening on ") {
            let rest = &line[at + "listening on ".len()..];
            break rest
                .split([' ', ',', '\n'])
                .next()
                .unwrap()
                .trim_end_matches(',')
                .to_string();
        }
    };
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut lines, &mut sink);
    });
    Emulator {
        child,
        base_url,
        config,
    }
}

/// `regi checkout AMOUNT --provider P --qr [extra] --json` on `data_dir`; the customer pays the QR
/// as soon as it is presented. Returns the exit code and the JSON events.
fn checkout_paid_by_customer(
    emulator: &Emulator,
    provider: &str,
    data_dir: &Path,
    extra: &[&str],
) -> (i32, Vec<Value>) {
    let mut child = Command::new(REGI)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(&emulator.config)
        .args(["checkout", "1200", "--provider", provider, "--qr", "--json"])
        .args(extra)
        .env_remove("REGI_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("regi checkout starts");
    let mut events = Vec::new();
    let mut paid = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).expect("a JSON event per line");
        if event["event"] == "presented" && !paid {
            let token = event["token"].as_str().unwrap().to_string();
            let pay = Command::new(REGI)
                .args(["customer", "pay", &token, "--sandbox", &emulator.base_url])
                .args(["--provider", provider])
                .output()
                .unwrap();
            assert!(
                pay.status.success(),
                "{}",
                String::from_utf8_lossy(&pay.stderr)
            );
            paid = true;
        }
        events.push(event);
    }
    (child.wait().unwrap().code().unwrap_or(-1), events)
}

/// The paid sales of the journal as (provider, transaction id).
fn journal_payments(data_dir: &Path) -> Vec<(String, String)> {
    let journal = Journal::open(&journal_path(data_dir, false)).unwrap();
    journal
        .list_sales(SaleFilter::All)
        .unwrap()
        .iter()
        .flat_map(|s| journal.sale(s.id).unwrap().attempts)
        .filter_map(|a| match &a.state {
            AttemptState::Paid { transaction_id } => {
                Some((a.provider.clone(), transaction_id.clone()))
            }
            _ => None,
        })
        .collect()
}

async fn komoju_ledger(base_url: &str) -> Vec<Value> {
    let listing: Value = reqwest::get(format!("{base_url}/_sandbox/transactions"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listing["transactions"]
        .as_array()
        .or(listing.as_array())
        .cloned()
        .unwrap_or_default()
}

async fn komoju_round(faults: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("komoju", dir.path(), faults);
    let data = dir.path().join("data");
    let (code, events) = checkout_paid_by_customer(&emulator, "komoju", &data, &[]);
    assert_eq!(code, 0, "{events:?}");
    let started = events.iter().find(|e| e["event"] == "started").unwrap();
    assert_eq!(started["method"], "hosted_page");
    let journal = journal_payments(&data);
    let ledger = komoju_ledger(&emulator.base_url).await;
    let captured: Vec<&Value> = ledger
        .iter()
        .filter(|p| p["status"] == "captured")
        .collect();
    assert_eq!(captured.len(), 1, "{ledger:?}");
    assert_eq!(captured[0]["amount"], 1200);
    assert_eq!(
        journal,
        [(
            "komoju".to_string(),
            captured[0]["id"].as_str().unwrap().to_string()
        )]
    );
}

#[tokio::test]
async fn a_komoju_checkout_paid_on_the_hosted_page_is_journaled_as_the_emulators_payment() {
    komoju_round(&[]).await;
}

#[tokio::test]
async fn a_komoju_checkout_under_dropped_answers_and_503s_still_journals_exactly_the_ledger() {
    komoju_round(&["drop=0.2,unavailable=0.2"]).await;
}

async fn elepay_round(faults: &[&str], extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("elepay", dir.path(), faults);
    let data = dir.path().join("data");
    let (code, events) = checkout_paid_by_customer(&emulator, "elepay", &data, extra);
    assert_eq!(code, 0, "{events:?}");
    let journal = journal_payments(&data);
    let ledger = regi_elepay_emulator::customer::transactions(&emulator.base_url)
        .await
        .unwrap();
    let captured: Vec<_> = ledger.iter().filter(|c| c.captured_amount > 0).collect();
    assert_eq!(captured.len(), 1, "{ledger:?}");
    assert_eq!(captured[0].amount, 1200);
    assert_eq!(journal, [("elepay".to_string(), captured[0].id.clone())]);
}

#[tokio::test]
async fn an_elepay_wallet_qr_paid_by_the_customer_is_journaled_as_the_emulators_charge() {
    elepay_round(&[], &["--wallet", "paypay"]).await;
}

#[tokio::test]
async fn an_elepay_payment_page_paid_by_the_customer_is_journaled_as_the_emulators_charge() {
    elepay_round(&[], &[]).await;
}

#[tokio::test]
async fn an_elepay_checkout_under_dropped_answers_and_503s_still_journals_exactly_the_ledger() {
    elepay_round(&["drop=0.2,unavailable=0.2"], &["--wallet", "paypay"]).await;
}

/// `regi COMMAND SALE [extra] --json` on `data_dir` with the emulator's configuration: the exit
/// code and the last JSON line it printed.
fn on_sale(
    emulator: &Emulator,
    data_dir: &Path,
    command: &str,
    sale_id: i64,
    extra: &[&str],
) -> (i32, Value) {
    let out = Command::new(REGI)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(&emulator.config)
        .args([command, &sale_id.to_string(), "--json"])
        .args(extra)
        .env_remove("REGI_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("regi runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let line = serde_json::from_str(last).unwrap_or_else(|_| {
        panic!(
            "regi {command}: no JSON line: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), line)
}

fn capture(emulator: &Emulator, data_dir: &Path, sale_id: i64, extra: &[&str]) -> (i32, Value) {
    on_sale(emulator, data_dir, "capture", sale_id, extra)
}

fn release(emulator: &Emulator, data_dir: &Path, sale_id: i64) -> (i32, Value) {
    on_sale(emulator, data_dir, "release", sale_id, &[])
}

fn refund(emulator: &Emulator, data_dir: &Path, sale_id: i64, extra: &[&str]) -> (i32, Value) {
    on_sale(emulator, data_dir, "refund", sale_id, extra)
}

/// Every payment the emulator's ledger shows taken, as (id, yen captured).
async fn captured_in_ledger(provider: &str, base_url: &str) -> Vec<(String, i64)> {
    if provider == "komoju" {
        komoju_ledger(base_url)
            .await
            .iter()
            .filter(|p| p["status"] == "captured")
            .map(|p| {
                (
                    p["id"].as_str().unwrap().to_string(),
                    p["amount"].as_i64().unwrap(),
                )
            })
            .collect()
    } else {
        regi_elepay_emulator::customer::transactions(base_url)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.captured_amount > 0)
            .map(|c| (c.id, c.captured_amount))
            .collect()
    }
}

async fn held_then_captured_for_less(provider: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator(provider, dir.path(), &[]);
    let data = dir.path().join("data");
    let mut args = vec!["--hold"];
    args.extend_from_slice(extra);
    let (code, events) = checkout_paid_by_customer(&emulator, provider, &data, &args);
    assert_eq!(code, 0, "{events:?}");
    let held = events.iter().find(|e| e["event"] == "held").expect("held");
    let sale_id = held["sale_id"].as_i64().unwrap();
    assert!(journal_payments(&data).is_empty(), "nothing taken yet");

    let (code, too_much) = capture(&emulator, &data, sale_id, &["--amount", "1300"]);
    assert_eq!((code, &too_much["event"]), (1, &Value::from("error")));

    let (code, captured) = capture(&emulator, &data, sale_id, &["--amount", "1000"]);
    assert_eq!(code, 0, "{captured}");
    assert_eq!(captured["event"], "captured");
    assert_eq!(
        (captured["amount"].as_i64(), captured["released"].as_i64()),
        (Some(1000), Some(200))
    );
    let taken = journal_payments(&data);
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].0, provider);
    // The provider took what the journal says, once.
    let captured = captured_in_ledger(provider, &emulator.base_url).await;
    assert_eq!(captured, [(taken[0].1.clone(), 1000)]);
    let (code, again) = capture(&emulator, &data, sale_id, &[]);
    assert_eq!(
        code, 1,
        "a sale captured once is not captured again: {again}"
    );
}

async fn held_then_released(provider: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator(provider, dir.path(), &[]);
    let data = dir.path().join("data");
    let mut args = vec!["--hold"];
    args.extend_from_slice(extra);
    let (code, events) = checkout_paid_by_customer(&emulator, provider, &data, &args);
    assert_eq!(code, 0, "{events:?}");
    let held = events.iter().find(|e| e["event"] == "held").expect("held");
    let sale_id = held["sale_id"].as_i64().unwrap();
    let (code, released) = release(&emulator, &data, sale_id);
    assert_eq!(
        (code, &released["event"]),
        (0, &Value::from("released")),
        "{released}"
    );
    assert!(journal_payments(&data).is_empty());
    assert!(
        captured_in_ledger(provider, &emulator.base_url)
            .await
            .is_empty()
    );
    // Nothing left to capture.
    let (code, _) = capture(&emulator, &data, sale_id, &[]);
    assert_eq!(code, 1);
}

/// Pays ¥1,200 through `provider`, refunds ¥500 of it, then the rest: the sale ends refunded,
/// the journal and the emulator agree at each step, and nothing more can be refunded.
async fn refunded_in_parts(provider: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator(provider, dir.path(), &[]);
    let data = dir.path().join("data");
    let (code, events) = checkout_paid_by_customer(&emulator, provider, &data, extra);
    assert_eq!(code, 0, "{events:?}");
    let paid = events.iter().find(|e| e["event"] == "paid").expect("paid");
    let sale_id = paid["sale_id"].as_i64().unwrap();
    let (code, first) = refund(&emulator, &data, sale_id, &["--amount", "500"]);
    assert_eq!(
        (code, &first["event"]),
        (0, &Value::from("refunded")),
        "{first}"
    );
    let sale = |data: &Path| {
        let journal = Journal::open(&journal_path(data, false)).unwrap();
        journal.sale(sale_id).unwrap().sale
    };
    let after_one = sale(&data);
    assert_eq!(after_one.state.as_str(), "paid");
    assert_eq!(after_one.refunded.value(), 500);
    // The way the customer paid is journaled by the checkout itself, for history and X/Z.
    assert_eq!(after_one.money_name.as_deref(), Some("PayPay"));
    let (code, too_much) = refund(&emulator, &data, sale_id, &["--amount", "701"]);
    assert_eq!(code, 1, "{too_much}");
    let (code, rest) = refund(&emulator, &data, sale_id, &[]);
    assert_eq!(
        (code, &rest["event"]),
        (0, &Value::from("refunded")),
        "{rest}"
    );
    let done = sale(&data);
    assert_eq!(
        (done.state.as_str(), done.refunded.value()),
        ("refunded", 1200)
    );
    let refunded_on_provider: i64 = if provider == "komoju" {
        komoju_ledger(&emulator.base_url)
            .await
            .iter()
            .map(|p| p["refunded_amount"].as_i64().unwrap_or(0))
            .sum()
    } else {
        regi_elepay_emulator::customer::transactions(&emulator.base_url)
            .await
            .unwrap()
            .iter()
            .map(|c| c.refunded_amount)
            .sum()
    };
    assert_eq!(refunded_on_provider, 1200);
}

#[tokio::test]
async fn a_komoju_sale_refunded_in_two_parts_gives_back_exactly_what_was_paid() {
    refunded_in_parts("komoju", &[]).await;
}

#[tokio::test]
async fn an_elepay_sale_refunded_in_two_parts_gives_back_exactly_what_was_paid() {
    refunded_in_parts("elepay", &["--wallet", "paypay"]).await;
}

#[tokio::test]
async fn a_held_komoju_payment_released_by_the_clerk_takes_nothing_and_cancels_the_sale() {
    held_then_released("komoju", &[]).await;
}

#[tokio::test]
async fn a_held_elepay_payment_released_by_the_clerk_takes_nothing_and_cancels_the_sale() {
    held_then_released("elepay", &["--wallet", "paypay"]).await;
}

#[tokio::test]
async fn an_elepay_checkout_held_by_the_store_is_captured_for_less_by_regi_capture() {
    held_then_captured_for_less("elepay", &["--wallet", "paypay"]).await;
}

#[tokio::test]
async fn a_komoju_checkout_held_by_the_store_is_captured_for_less_by_regi_capture() {
    held_then_captured_for_less("komoju", &[]).await;
}

/// `regi doctor` on `config`, in English: its report.
fn doctor(config: &Path, data_dir: &Path) -> String {
    let out = Command::new(REGI)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(config)
        .args(["--lang", "en", "doctor"])
        .env_remove("REGI_CONFIG")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn doctor_checks_each_enabled_providers_key_against_its_server() {
    for (provider, key_line, call_line) in [
        (
            "komoju",
            "[OK] KOMOJU secret key",
            "[OK] KOMOJU (list payments)",
        ),
        (
            "elepay",
            "[OK] elepay secret key",
            "[OK] elepay payment server",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let emulator = start_emulator(provider, dir.path(), &[]);
        let data = dir.path().join("data");
        let report = doctor(&emulator.config, &data);
        assert!(
            report.contains(key_line) && report.contains(call_line),
            "{report}"
        );
        assert!(
            !report.contains("API credentials"),
            "Pokepay is not enabled: {report}"
        );

        let text = std::fs::read_to_string(&emulator.config).unwrap();
        let key = text
            .lines()
            .find_map(|l| l.strip_prefix("secret_key = "))
            .unwrap()
            .trim_matches('"')
            .to_string();
        let wrong = dir.path().join("wrong.toml");
        regi_config::write_private_file(
            &wrong,
            text.replace(&key, "sk_test_wrongwrongwrong").as_bytes(),
        )
        .unwrap();
        let report = doctor(&wrong, &data);
        assert!(
            report.contains("[NG]") && !report.contains(&key),
            "{report}"
        );
        assert!(!report.contains("sk_test_wrongwrongwrong"), "{report}");
    }
}

/// Ctrl-C the moment the QR is shown: the checkout cancels it (exit 3), never waits for its
/// expiry. Several rounds, since a press that lands while an event is printed is the case.
#[test]
fn ctrl_c_as_the_qr_is_shown_cancels_it_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("komoju", dir.path(), &[]);
    let data = dir.path().join("data");
    for round in 0..8 {
        let mut child = Command::new(REGI)
            .arg("--data-dir")
            .arg(&data)
            .arg("--config")
            .arg(&emulator.config)
            .args(["checkout", "700", "--provider", "komoju", "--qr", "--json"])
            .env_remove("REGI_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut last = Value::Null;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
            if event["event"] == "presented" {
                let pid = i32::try_from(child.id()).unwrap();
                // SAFETY: signalling our own child process by its id.
                assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
            }
            last = event;
        }
        let code = child.wait().unwrap().code();
        assert_eq!(
            (code, last["event"].as_str()),
            (Some(3), Some("cancelled")),
            "round {round}"
        );
    }
}
