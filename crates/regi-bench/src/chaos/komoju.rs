//! KOMOJU in the chaos run: the customer pays (or fails on) the hosted page through the
//! emulator's customer side, and its ledger lists payments with the `external_order_num` regi
//! gave the session (the merchant reference of the attempt's request id).

use std::time::Duration;

use anyhow::Context;
use regi_komoju::wire::PaymentStatus;
use regi_komoju_emulator::{CUSTOMER_POOR, CUSTOMER_RICH, TransactionRow};

use super::audit::LedgerEntry;

/// The customer opens the session's page and pays with the first method it offers; a poor
/// customer is declined and the session stays pending.
pub async fn pay(sandbox: &str, session_url: &str, poor: bool) -> anyhow::Result<()> {
    let customer = if poor { CUSTOMER_POOR } else { CUSTOMER_RICH };
    regi_komoju_emulator::customer::pay(sandbox, session_url, None, customer)
        .await
        .context("paying the KOMOJU page")?;
    Ok(())
}

/// Every payment of the emulator that took or holds money.
pub async fn ledger(sandbox: &str) -> anyhow::Result<Vec<LedgerEntry>> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        // The emulator is on this machine: a proxy from the environment must not see the call.
        .no_proxy()
        .build()?;
    let url = format!("{}/_sandbox/transactions", sandbox.trim_end_matches('/'));
    let response = http.get(&url).send().await?.error_for_status()?;
    let rows: Vec<TransactionRow> = response.json().await.context("reading the KOMOJU ledger")?;
    Ok(ledger_entries(&rows))
}

/// A captured payment counts as its sale's charge, also once refunded; an authorized one holds
/// the customer's money, so it counts too. A payment cancelled before capture took nothing.
pub fn ledger_entries(rows: &[TransactionRow]) -> Vec<LedgerEntry> {
    rows.iter()
        .filter(|row| {
            matches!(
                row.status,
                PaymentStatus::Captured | PaymentStatus::Refunded | PaymentStatus::Authorized
            )
        })
        .map(|row| LedgerEntry {
            id: row.id.clone(),
            amount: row.amount,
            reference: row.external_order_num.clone().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(json: serde_json::Value) -> Vec<TransactionRow> {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn payments_that_took_or_hold_money_are_entries_named_by_their_order_number() {
        let listing = rows(serde_json::json!([
            {"id": "p1", "session_id": "s1", "amount": 1200, "status": "captured",
             "refunded_amount": 0, "external_order_num": "0123456789abcdef0123456789abcdef",
             "payment_type": "paypay"},
            {"id": "p2", "session_id": "s2", "amount": 800, "status": "refunded",
             "refunded_amount": 800, "external_order_num": "ffffffffffffffffffffffffffffffff",
             "payment_type": "paypay"},
            {"id": "p3", "session_id": "s3", "amount": 500, "status": "authorized",
             "refunded_amount": 0, "external_order_num": null, "payment_type": "paypay"},
            {"id": "p4", "session_id": "s4", "amount": 500, "status": "cancelled",
             "refunded_amount": 0, "external_order_num": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
             "payment_type": "paypay"}
        ]));
        let entries = ledger_entries(&listing);
        let seen: Vec<(&str, i64, &str)> = entries
            .iter()
            .map(|e| (e.id.as_str(), e.amount, e.reference.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("p1", 1200, "0123456789abcdef0123456789abcdef"),
                ("p2", 800, "ffffffffffffffffffffffffffffffff"),
                ("p3", 500, ""),
            ]
        );
    }
}
