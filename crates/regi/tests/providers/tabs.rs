//! Tabs end to end through the real binary: `regi sandbox --provider pokepay` (also dropping
//! answers and answering 503), `regi customer cpm-token --customer card` as the customer's app,
//! then `regi tab open`, `charge` and `close`, each repeated after an unknown outcome the way a
//! script would; the journal's tab and charges are the emulator's session, charges and bill.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{Emulator, REGI, start_emulator};

/// `regi --pokepay-ini INI --data-dir DATA tab ARGS --json`: exit code and last JSON line.
fn tab(emulator: &Emulator, data: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(REGI)
        .arg("--data-dir")
        .arg(data)
        .arg("--pokepay-ini")
        .arg(&emulator.config)
        .arg("tab")
        .args(args)
        .arg("--json")
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::null())
        .output()
        .expect("regi tab runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let line = serde_json::from_str(last).unwrap_or_else(|_| {
        panic!(
            "{args:?}: no JSON line: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), line)
}

/// The journal's tab labelled `label` that is not a refused opening, as `regi tab list` shows it
/// (its run settles what earlier runs left unanswered).
fn listed(emulator: &Emulator, data: &Path, label: &str) -> Option<Value> {
    let out = Command::new(REGI)
        .arg("--data-dir")
        .arg(data)
        .arg("--pokepay-ini")
        .arg(&emulator.config)
        .args(["tab", "list", "--json"])
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|t| t["label"] == label && t["state"] != "failed")
}

fn customer_code(emulator: &Emulator, name: &str) -> String {
    let out = Command::new(REGI)
        .args(["customer", "cpm-token", "--sandbox", &emulator.base_url])
        .args(["--customer", name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn ini_value(path: &Path, key: &str) -> String {
    ini::Ini::load_from_file(path)
        .unwrap()
        .section(Some("global"))
        .and_then(|s| s.get(key))
        .unwrap()
        .to_string()
}

fn tab_round(faults: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), faults);
    let data = dir.path().join("data");
    let card = ini_value(&emulator.config, "CARD_ID");
    let until = (chrono::Utc::now() + chrono::TimeDelta::days(3))
        .format("%Y-%m-%d")
        .to_string();

    // A customer with no verified card is told so, and nothing is opened.
    let cardless = customer_code(&emulator, "cardless");
    let (code, refused) = tab(
        &emulator,
        &data,
        &[
            "open", "--code", &cardless, "--label", "302", "--until", &until,
        ],
    );
    if faults.is_empty() {
        assert_eq!(
            (code, refused["error_type"].as_str()),
            (2, Some("no_verified_card"))
        );
    }
    let _ = (code, refused);

    let mut opened = None;
    for _ in 0..30 {
        let code = customer_code(&emulator, "card");
        let (exit, line) = tab(
            &emulator,
            &data,
            &[
                "open", "--code", &code, "--card", &card, "--label", "301", "--until", &until,
            ],
        );
        if exit == 0 {
            opened = Some(line);
            break;
        }
        // No answer (or a code lost with a dropped answer): the next run settles what was
        // sent, with the same key, before anything new.
        if let Some(tab) = listed(&emulator, &data, "301").filter(|t| t["state"] == "open") {
            opened = Some(tab);
            break;
        }
    }
    let opened = opened.expect("the tab opens");
    assert_eq!(opened["label"], "301");

    // Each sale charged once: after no answer, the next run settles the charge with its key;
    // only a charge that ended refused is rung up again.
    for (booked, amount) in [(1, "1200"), (2, "800")] {
        for _ in 0..30 {
            let (exit, line) = tab(&emulator, &data, &["charge", "301", amount]);
            if exit == 0 {
                assert_eq!(line["event"], "paid", "{line}");
                break;
            }
            let now = listed(&emulator, &data, "301").unwrap();
            if now["charges"].as_i64() == Some(booked) {
                break;
            }
        }
    }
    for _ in 0..30 {
        let (exit, _) = tab(&emulator, &data, &["close", "301"]);
        let now = listed(&emulator, &data, "301").unwrap();
        if exit == 0 || now["state"] == "closed" {
            break;
        }
    }
    let closed = listed(&emulator, &data, "301").unwrap();
    assert_eq!(closed["state"], "closed", "{closed}");
    // Each charge's receipt names the tab and its card.
    let journal = regi_journal::Journal::open(&regi_journal::journal_path(&data, false)).unwrap();
    let paid: Vec<_> = journal
        .list_sales(regi_journal::SaleFilter::All)
        .unwrap()
        .into_iter()
        .filter(|s| s.state == regi_journal::SaleState::Paid)
        .collect();
    assert!(!paid.is_empty());
    for sale in &paid {
        let name = sale.money_name.as_deref().unwrap_or_default();
        assert!(name.starts_with("Tab 301 ") && name.contains('*'), "{name}");
    }
    drop(journal);
    // Closed: no more charges.
    let (code, _) = tab(&emulator, &data, &["charge", "301", "100"]);
    assert_ne!(code, 0);

    let listed = closed;
    assert_eq!(
        (listed["charges"].as_i64(), listed["total"].as_i64()),
        (Some(2), Some(2000))
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sessions = runtime
        .block_on(
            regi_pokepay_emulator::CustomerClient::new(&emulator.base_url)
                .unwrap()
                .credit_sessions(),
        )
        .unwrap();
    let ours: Vec<_> = sessions
        .iter()
        .filter(|s| Some(s.id.to_string()) == listed["provider_ref"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ours.len(), 1, "{sessions:?}");
    assert_eq!(ours[0].status, "captured");
    assert_eq!(ours[0].charges.len(), 2, "each sale booked once");
    assert_eq!((ours[0].total, ours[0].billed), (2000, Some(2000)));
    assert_eq!(
        sessions.iter().filter(|s| s.status == "open").count(),
        0,
        "no stray tab left open: {sessions:?}"
    );
}

#[test]
fn a_tab_is_opened_charged_and_closed_and_the_journal_is_the_emulators_session() {
    tab_round(&[]);
}

#[test]
fn a_tab_under_dropped_answers_and_503s_still_books_each_sale_once_and_bills_it_once() {
    tab_round(&["drop=0.2,unavailable=0.2"]);
}
