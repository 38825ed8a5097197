//! Sales paid by several tenders through the real binary: `regi checkout --tender …` against
//! `regi sandbox` (Pokepay), with the customer paying each QR as it is shown. Cash is journaled with
//! its change, each electronic tender is the emulator's transaction for its part, a refused tender
//! gives back what was taken, and a till killed between tenders loses nothing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use regi_core::domain::{AttemptState, PaymentMethod, Yen};
use regi_journal::{Journal, RefundState, SaleDetail, SaleState, journal_path};
use serde_json::Value;

use super::{Emulator, REGI, start_emulator};

/// `regi --data-dir DATA --pokepay-ini INI ARGS` against the emulator, not yet started.
fn regi_command(emulator: &Emulator, data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(REGI);
    command
        .arg("--data-dir")
        .arg(data)
        .arg("--pokepay-ini")
        .arg(&emulator.config)
        .args(args)
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::null());
    command
}

fn checkout(emulator: &Emulator, data: &Path, args: &[&str]) -> Child {
    regi_command(emulator, data, &["checkout"])
        .args(args)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("regi checkout starts")
}

/// Runs `regi checkout ARGS --json`, paying every QR as the customer `rich` when it is shown.
/// Returns the exit code and the JSON events.
fn checkout_paying_qrs(emulator: &Emulator, data: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let mut child = checkout(emulator, data, args);
    let mut events = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).expect("a JSON event per line");
        if event["event"] == "presented" {
            pay(emulator, event["token"].as_str().unwrap());
        }
        events.push(event);
    }
    (child.wait().unwrap().code().unwrap_or(-1), events)
}

/// `regi --data-dir DATA --pokepay-ini INI ARGS`, run to its end.
fn regi(emulator: &Emulator, data: &Path, args: &[&str]) -> std::process::Output {
    regi_command(emulator, data, args)
        .output()
        .expect("regi runs")
}

/// A checkout of ¥3,000: ¥1,000 in cash, the rest by a QR the customer pays. Its sale id.
fn cash_then_qr(emulator: &Emulator, data: &Path) -> i64 {
    let (code, events) = tokio::task::block_in_place(|| {
        checkout_paying_qrs(
            emulator,
            data,
            &["3000", "--tender", "cash:1000", "--tender", "qr"],
        )
    });
    assert_eq!(code, 0, "{events:?}");
    last(&events)["sale_id"].as_i64().unwrap()
}

fn pay(emulator: &Emulator, token: &str) {
    let pay = Command::new(REGI)
        .args(["customer", "pay", token, "--sandbox", &emulator.base_url])
        .output()
        .unwrap();
    assert!(
        pay.status.success(),
        "{}",
        String::from_utf8_lossy(&pay.stderr)
    );
}

fn customer_code(emulator: &Emulator, name: &str) -> String {
    let out = Command::new(REGI)
        .args(["customer", "cpm-token", "--sandbox", &emulator.base_url])
        .args(["--customer", name])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn sale(data: &Path, sale_id: i64) -> SaleDetail {
    Journal::open(&journal_path(data, false))
        .unwrap()
        .sale(sale_id)
        .unwrap()
}

/// Each paid tender of the sale as (method, yen it pays, transaction id).
fn paid_tenders(detail: &SaleDetail) -> Vec<(PaymentMethod, i64, String)> {
    detail
        .attempts
        .iter()
        .filter_map(|a| match &a.state {
            AttemptState::Paid { transaction_id } => {
                Some((a.method, a.amount.value().abs(), transaction_id.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The emulator's payments as (transaction id, yen).
async fn ledger(emulator: &Emulator) -> Vec<(String, i64)> {
    let listing: Value = reqwest::get(format!("{}/_sandbox/transactions", emulator.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listing
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "payment")
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["amount"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn last(events: &[Value]) -> &Value {
    events.last().expect("at least one event")
}

#[test]
fn cash_over_the_total_ends_paid_with_the_change_in_the_final_event() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let (code, events) = checkout_paying_qrs(&emulator, &data, &["1234", "--tender", "cash:2000"]);
    assert_eq!(code, 0, "{events:?}");
    let paid = last(&events);
    assert_eq!(
        (&paid["event"], &paid["change"], &paid["total"]),
        (&Value::from("paid"), &Value::from(766), &Value::from(1234))
    );
    let detail = sale(&data, paid["sale_id"].as_i64().unwrap());
    assert_eq!(detail.sale.state, SaleState::Paid);
    let cash = detail.attempts[0]
        .cash
        .expect("cash is journaled with what was handed over");
    assert_eq!((cash.received, cash.change), (Yen(2_000), Yen(766)));
    // Its receipt shows what was handed over and the change.
    let receipt = regi(
        &emulator,
        &data,
        &["receipt", "show", &paid["sale_id"].to_string()],
    );
    let text = String::from_utf8_lossy(&receipt.stdout);
    assert!(receipt.status.success(), "{receipt:?}");
    for line in ["お預かり", "¥2,000", "お釣り", "¥766"] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cash_then_a_qr_for_the_rest_shows_the_rest_and_journals_both_tenders() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let sale_id = cash_then_qr(&emulator, &data);
    let detail = sale(&data, sale_id);
    let tenders = paid_tenders(&detail);
    assert_eq!(tenders.len(), 2, "{tenders:?}");
    assert_eq!((tenders[0].0, tenders[0].1), (PaymentMethod::Cash, 1_000));
    assert_eq!(
        (tenders[1].0, tenders[1].1),
        (PaymentMethod::MerchantQr, 2_000)
    );
    // The QR asked for what remained, and the emulator took exactly that.
    assert_eq!(ledger(&emulator).await, [(tenders[1].2.clone(), 2_000)]);
    assert_eq!(detail.sale.state, SaleState::Paid);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_qr_first_then_a_code_then_cash_each_pay_their_part_in_that_order() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let token = customer_code(&emulator, "rich");
    let code_tender = format!("code:{token}:700");
    let (code, events) = tokio::task::block_in_place(|| {
        checkout_paying_qrs(
            &emulator,
            &data,
            &[
                "3000",
                "--tender",
                "qr:1000",
                "--tender",
                &code_tender,
                "--tender",
                "cash:5000",
            ],
        )
    });
    assert_eq!(code, 0, "{events:?}");
    let paid = last(&events);
    assert_eq!(paid["change"], 5_000 - 1_300);
    let detail = sale(&data, paid["sale_id"].as_i64().unwrap());
    let tenders: Vec<(PaymentMethod, i64)> =
        paid_tenders(&detail).iter().map(|t| (t.0, t.1)).collect();
    assert_eq!(
        tenders,
        [
            (PaymentMethod::MerchantQr, 1_000),
            (PaymentMethod::CustomerCode, 700),
            (PaymentMethod::Cash, 1_300)
        ]
    );
    let mut taken: Vec<i64> = ledger(&emulator).await.iter().map(|t| t.1).collect();
    taken.sort_unstable();
    assert_eq!(taken, [700, 1_000]);
}

#[test]
fn a_code_refused_after_cash_gives_the_cash_back_and_the_checkout_fails() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    // `poor` holds less than the ¥2,500 left after the cash.
    let token = customer_code(&emulator, "poor");
    let code_tender = format!("code:{token}");
    let (code, events) = checkout_paying_qrs(
        &emulator,
        &data,
        &["3000", "--tender", "cash:500", "--tender", &code_tender],
    );
    assert_eq!(code, 2, "exits as failed: {events:?}");
    let failed = last(&events);
    assert_eq!(
        (&failed["event"], &failed["given_back"], &failed["refunded"]),
        (
            &Value::from("failed"),
            &Value::from("given_back"),
            &Value::from(500)
        )
    );
    let detail = sale(&data, failed["sale_id"].as_i64().unwrap());
    assert_eq!(detail.sale.state, SaleState::Refunded);
    let refunds: Vec<(i64, RefundState)> = detail
        .refunds
        .iter()
        .map(|r| (r.amount.value(), r.state))
        .collect();
    assert_eq!(refunds, [(500, RefundState::Done)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_till_killed_between_tenders_keeps_the_cash_and_the_rest_owed() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let mut child = checkout(
        &emulator,
        &data,
        &["3000", "--tender", "cash:1000", "--tender", "qr"],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // The QR for the rest is on screen when the till dies (kill -9: nothing runs after it).
    loop {
        let event: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        if event["event"] == "presented" {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The next start settles the QR left on screen (no one paid it) before anything else.
    let recover = regi(&emulator, &data, &["recover", "--json"]);
    assert!(recover.status.success(), "{recover:?}");
    // It names the sale left owing, with what was taken and what remains.
    let told: Vec<Value> = String::from_utf8_lossy(&recover.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["event"] == "partly_paid")
        .collect();
    assert_eq!(told.len(), 1, "{recover:?}");
    assert_eq!(
        (&told[0]["tendered"], &told[0]["remaining"]),
        (&Value::from(1_000), &Value::from(2_000))
    );
    let sale_id = told[0]["sale_id"].as_i64().unwrap();
    {
        let journal = Journal::open(&journal_path(&data, false)).unwrap();
        assert_eq!(journal.partly_paid_sales().unwrap().len(), 1);
        let detail = journal.sale(sale_id).unwrap();
        assert_eq!(detail.attempts[0].cash.unwrap().received, Yen(1_000));
    }
    assert!(ledger(&emulator).await.is_empty());
    // The rest is paid later, on the same sale.
    let sale_arg = sale_id.to_string();
    let (code, events) = tokio::task::block_in_place(|| {
        checkout_paying_qrs(
            &emulator,
            &data,
            &["--sale", &sale_arg, "--tender", "cash:5000"],
        )
    });
    assert_eq!(code, 0, "{events:?}");
    assert_eq!(last(&events)["change"], 3_000);
    assert_eq!(sale(&data, sale_id).sale.state, SaleState::Paid);
}

#[tokio::test(flavor = "multi_thread")]
async fn regi_refund_gives_a_split_sale_back_tender_by_tender_cash_from_the_drawer() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let sale_id = cash_then_qr(&emulator, &data);
    let out = regi(
        &emulator,
        &data,
        &["refund", &sale_id.to_string(), "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        said.iter()
            .any(|e| e["event"] == "cash_back" && e["amount"] == 1_000),
        "{said:?}"
    );
    assert_eq!(last(&said)["event"], "refunded");
    let detail = sale(&data, sale_id);
    assert_eq!(detail.sale.state, SaleState::Refunded);
    let back: Vec<(PaymentMethod, i64)> = detail
        .refunds
        .iter()
        .map(|r| {
            let tender = detail
                .attempts
                .iter()
                .find(|a| a.id == r.attempt_id)
                .unwrap();
            (tender.method, r.amount.value())
        })
        .collect();
    assert_eq!(
        back,
        [
            (PaymentMethod::MerchantQr, 2_000),
            (PaymentMethod::Cash, 1_000)
        ]
    );
    // The provider refunded its payment: the customer's wallet got the ¥2,000 back.
    let listing: Value = reqwest::get(format!("{}/_sandbox/transactions", emulator.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listing[0]["is_modified"], true, "{listing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn cash_qr_and_code_pay_one_sale_in_every_order() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", dir.path(), &[]);
    let data = dir.path().join("data");
    let orders = [
        ["cash", "qr", "code"],
        ["cash", "code", "qr"],
        ["qr", "cash", "code"],
        ["qr", "code", "cash"],
        ["code", "cash", "qr"],
        ["code", "qr", "cash"],
    ];
    let mut taken = 0;
    for order in orders {
        // The first two pay ¥1,000 each, the last what remains.
        let mut args = vec!["3000".to_string()];
        for (i, kind) in order.iter().enumerate() {
            let part = if i < 2 { ":1000" } else { "" };
            let spec = match *kind {
                "code" => format!("code:{}{part}", customer_code(&emulator, "rich")),
                other => format!("{other}{part}"),
            };
            args.extend(["--tender".to_string(), spec]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, events) =
            tokio::task::block_in_place(|| checkout_paying_qrs(&emulator, &data, &args));
        assert_eq!(code, 0, "{order:?}: {events:?}");
        let detail = sale(&data, last(&events)["sale_id"].as_i64().unwrap());
        assert_eq!(detail.sale.state, SaleState::Paid, "{order:?}");
        let methods: Vec<(PaymentMethod, i64)> =
            paid_tenders(&detail).iter().map(|t| (t.0, t.1)).collect();
        let expected: Vec<(PaymentMethod, i64)> = order
            .iter()
            .map(|kind| match *kind {
                "cash" => (PaymentMethod::Cash, 1_000),
                "qr" => (PaymentMethod::MerchantQr, 1_000),
                _ => (PaymentMethod::CustomerCode, 1_000),
            })
            .collect();
        assert_eq!(methods, expected, "{order:?}");
        taken += 2_000;
    }
    // The wallet paid exactly the electronic tenders, ¥1,000 each.
    let ledger = ledger(&emulator).await;
    assert_eq!(ledger.len(), 12);
    assert!(ledger.iter().all(|t| t.1 == 1_000));
    assert_eq!(ledger.iter().map(|t| t.1).sum::<i64>(), taken);
}
