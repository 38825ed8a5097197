//! Returns of lines through the real binary: `regi refund SALE --line N[*QTY]` against the
//! emulators. A Pokepay payment (refunded only whole) partly returned gives the returned part
//! back in cash from the drawer and leaves the payment untouched in the emulator's ledger; a
//! KOMOJU payment partly returned is refunded by exactly the returned part's amount.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use regi_journal::{Journal, SaleState, journal_path};
use serde_json::Value;

use super::{Emulator, REGI, komoju_ledger, start_emulator};

/// `regi` on `data` against `provider`'s emulator (Pokepay's `config.ini`, else its `regi.toml`).
fn regi(emulator: &Emulator, provider: &str, data: &Path) -> Command {
    let mut command = Command::new(REGI);
    command.arg("--data-dir").arg(data);
    if provider == "pokepay" {
        command.arg("--pokepay-ini").arg(&emulator.config);
    } else {
        command.arg("--config").arg(&emulator.config);
    }
    command
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::null());
    command
}

/// ¥1,000 of food (8 %, line 1) and ¥500 of general goods (10 %, line 2), 10 % off the
/// subtotal: ¥1,350 (8 % ¥900, 10 % ¥450) paid by a QR of `provider` the customer pays. Its id.
fn discounted_sale_paid_by_qr(emulator: &Emulator, provider: &str, data: &Path) -> i64 {
    let mut child = regi(emulator, provider, data)
        .args(["checkout", "--open", "2:1000", "--open", "1:500"])
        .args([
            "--discount",
            "10%",
            "--provider",
            provider,
            "--qr",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("regi checkout starts");
    let mut events: Vec<Value> = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).expect("a JSON event per line");
        if event["event"] == "presented" {
            let token = event["token"].as_str().unwrap().to_string();
            let pay = Command::new(REGI)
                .args(["customer", "pay", &token, "--sandbox", &emulator.base_url])
                .args(["--provider", provider])
                .output()
                .unwrap();
            assert!(pay.status.success(), "{pay:?}");
        }
        events.push(event);
    }
    assert_eq!(child.wait().unwrap().code(), Some(0), "{events:?}");
    let paid = events.iter().find(|e| e["event"] == "paid").expect("paid");
    assert_eq!(paid["amount"], 1_350, "{paid}");
    paid["sale_id"].as_i64().unwrap()
}

/// `regi refund SALE --line … --json`: the exit code and its JSON events.
fn return_lines(
    emulator: &Emulator,
    provider: &str,
    data: &Path,
    sale_id: i64,
    lines: &[&str],
) -> (i32, Vec<Value>) {
    let mut command = regi(emulator, provider, data);
    command.args(["refund", &sale_id.to_string(), "--json"]);
    for line in lines {
        command.args(["--line", line]);
    }
    let out = command.output().expect("regi runs");
    let events = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (out.status.code().unwrap_or(-1), events)
}

/// The text of `regi receipt show SALE_ID EXTRA…`.
fn receipt(emulator: &Emulator, data: &Path, sale_id: i64, extra: &[&str]) -> String {
    let out = regi(emulator, "pokepay", data)
        .args(["receipt", "show", &sale_id.to_string()])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn event<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .unwrap_or_else(|| panic!("no {name} event in {events:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pokepay_sale_partly_returned_gives_the_part_back_in_cash_and_refunds_nothing_there() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let sale_id =
        tokio::task::block_in_place(|| discounted_sale_paid_by_qr(&emulator, "pokepay", &data));
    let (code, events) =
        tokio::task::block_in_place(|| return_lines(&emulator, "pokepay", &data, sale_id, &["1"]));
    assert_eq!(code, 0, "{events:?}");
    let returned = event(&events, "returned");
    // The food bears its share of the discount: ¥1,000 less 10 %, all at 8 %.
    assert_eq!(returned["amount"], 900, "{returned}");
    assert_eq!(
        returned["by_rate"],
        serde_json::json!([{"rate": 8, "amount": 900, "tax": 66}])
    );
    assert_eq!(returned["tenders"][0]["cash_back"], true, "{returned}");
    assert_eq!(event(&events, "refunded")["amount"], 900);
    // The emulator's payment is untouched: the customer's wallet was not refunded.
    let listing: Value = reqwest::get(format!("{}/_sandbox/transactions", emulator.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let transactions = listing.as_array().unwrap();
    assert_eq!(transactions.len(), 1, "{listing}");
    assert_eq!(transactions[0]["is_modified"], false, "{listing}");
    let journal = Journal::open(&journal_path(&data, false)).unwrap();
    let detail = journal.sale(sale_id).unwrap();
    assert_eq!(
        (detail.sale.state, detail.sale.refunded.value()),
        (SaleState::Paid, 900)
    );
    assert!(detail.refunds.iter().all(|r| r.cash_back));
    // Counted once, as cash, in the X report and in the drawer.
    let report = journal.x_report().unwrap().unwrap();
    assert_eq!(
        (report.refunds.count, report.refunds.amount.value()),
        (1, 900)
    );
    assert_eq!(report.cash.refunds.value(), 900);
    drop(journal);
    // The slip lists the goods returned and their rate; the sale's copy marks the refund.
    let slip = receipt(&emulator, &data, sale_id, &["--refund"]);
    for part in ["返品 1. 食品", "値引按分", "8%対象", "¥900", "現金"] {
        assert!(slip.contains(part), "{part} missing from:\n{slip}");
    }
    let copy = receipt(&emulator, &data, sale_id, &["--reprint"]);
    for part in ["返品 1. 食品", "返金済", "-¥900"] {
        assert!(copy.contains(part), "{part} missing from:\n{copy}");
    }
    let shown = regi(&emulator, "pokepay", &data)
        .args(["journal", "show", &sale_id.to_string()])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("line 1×1") && shown.contains("given back in cash"),
        "{shown}"
    );
    // The same line cannot go back again.
    let (code, again) =
        tokio::task::block_in_place(|| return_lines(&emulator, "pokepay", &data, sale_id, &["1"]));
    assert_eq!(code, 1, "{again:?}");
    // The rest refunded without naming lines also comes from the drawer: refunding the
    // Pokepay payment whole would give the returned part back twice.
    let (code, rest) =
        tokio::task::block_in_place(|| return_lines(&emulator, "pokepay", &data, sale_id, &[]));
    assert_eq!(code, 0, "{rest:?}");
    assert_eq!(event(&rest, "cash_back")["amount"], 450);
    let listing: Value = reqwest::get(format!("{}/_sandbox/transactions", emulator.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listing[0]["is_modified"], false, "{listing}");
    let journal = Journal::open(&journal_path(&data, false)).unwrap();
    let detail = journal.sale(sale_id).unwrap();
    assert_eq!(detail.sale.state, SaleState::Refunded);
    assert_eq!(
        journal.x_report().unwrap().unwrap().cash.refunds.value(),
        1_350
    );
    drop(journal);
    // The rest's slip is of what was left: the goods at 10 %, none at 8 %.
    let slip = receipt(&emulator, &data, sale_id, &["--refund"]);
    assert!(
        slip.contains("10%対象") && !slip.contains("8%対象"),
        "{slip}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_komoju_sale_partly_returned_is_refunded_by_exactly_the_returned_part() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("komoju", dir.path(), &[]);
    let data = dir.path().join("data");
    let sale_id =
        tokio::task::block_in_place(|| discounted_sale_paid_by_qr(&emulator, "komoju", &data));
    let (code, events) =
        tokio::task::block_in_place(|| return_lines(&emulator, "komoju", &data, sale_id, &["2*1"]));
    assert_eq!(code, 0, "{events:?}");
    let returned = event(&events, "returned");
    assert_eq!(
        returned["by_rate"],
        serde_json::json!([{"rate": 10, "amount": 450, "tax": 40}])
    );
    assert_eq!(returned["tenders"][0]["cash_back"], false, "{returned}");
    let refunded: i64 = komoju_ledger(&emulator.base_url)
        .await
        .iter()
        .map(|p| p["refunded_amount"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(refunded, 450);
    let journal = Journal::open(&journal_path(&data, false)).unwrap();
    let report = journal.x_report().unwrap().unwrap();
    assert_eq!(
        report.cash.refunds.value(),
        0,
        "nothing came from the drawer"
    );
    let by_rate: Vec<(i64, i64)> = report
        .refunds_by_rate
        .iter()
        .map(|r| (r.taxable.value(), r.tax.value()))
        .collect();
    assert_eq!(by_rate, [(450, 40), (0, 0)]);
}
