//! elepay in the chaos run: the customer pays (or fails on) a wallet QR or the EasyQR page
//! through the emulator's customer side, and its ledger lists charges with the `orderNo` regi
//! gave the charge or code (the merchant reference of the attempt's request id).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use regi_elepay_emulator::transactions::Transaction;

use super::audit::LedgerEntry;

/// The emulator's customers with money (a million yen each, more than a run takes from the two
/// together) and the one without.
const PAYERS: [&str; 2] = ["alice", "bob"];
const POOR: &str = "poor";

/// Who pays next: the customers with money take turns, so none runs out during a long run.
#[derive(Debug, Clone, Default)]
pub struct Payers {
    turn: Arc<AtomicUsize>,
}

impl Payers {
    pub fn next(&self, poor: bool) -> &'static str {
        if poor {
            return POOR;
        }
        PAYERS[self.turn.fetch_add(1, Ordering::Relaxed) % PAYERS.len()]
    }
}

/// The customer scans the wallet QR's content or opens the code's page and pays; a poor
/// customer is refused and the charge or code stays pending.
pub async fn pay(sandbox: &str, scanned: &str, customer: &str) -> anyhow::Result<()> {
    regi_elepay_emulator::customer::pay(sandbox, scanned, customer)
        .await
        .context("paying the elepay QR")?;
    Ok(())
}

/// Every charge of the emulator that took or holds money.
pub async fn ledger(sandbox: &str) -> anyhow::Result<Vec<LedgerEntry>> {
    let charges = regi_elepay_emulator::customer::transactions(sandbox)
        .await
        .context("reading the elepay ledger")?;
    Ok(ledger_entries(&charges))
}

/// A captured charge counts as its sale's charge, also once refunded in part or in full; an
/// uncaptured one holds the customer's money, so it counts too. A pending charge (not paid yet,
/// or refused) and a revoked one took nothing.
pub fn ledger_entries(charges: &[Transaction]) -> Vec<LedgerEntry> {
    charges
        .iter()
        .filter(|c| c.status.moved_money())
        .map(|c| LedgerEntry {
            id: c.id.clone(),
            amount: c.amount,
            reference: c.order_no.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge(id: &str, status: &str, order_no: &str) -> serde_json::Value {
        serde_json::json!({
            "id": id, "orderNo": order_no, "amount": 900, "authorizeAmount": 900,
            "capturedAmount": if status == "pending" || status == "revoked" { 0 } else { 900 },
            "refundedAmount": if status == "refunded" { 900 } else { 0 },
            "status": status, "paymentMethod": "paypay", "createTime": 1
        })
    }

    #[test]
    fn charges_that_took_or_hold_money_are_entries_named_by_their_order_number() {
        let listing: Vec<Transaction> = serde_json::from_value(serde_json::json!([
            charge("cha_1", "captured", "o1"),
            charge("cha_2", "refunded", "o2"),
            charge("cha_3", "partially_refunded", "o3"),
            charge("cha_4", "uncaptured", "o4"),
            charge("cha_5", "pending", "o5"),
            charge("cha_6", "revoked", "o6"),
        ]))
        .unwrap();
        let seen: Vec<(String, i64, String)> = ledger_entries(&listing)
            .into_iter()
            .map(|e| (e.id, e.amount, e.reference))
            .collect();
        let expected: Vec<(String, i64, String)> = (1..=4)
            .map(|n| (format!("cha_{n}"), 900, format!("o{n}")))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn the_customers_with_money_take_turns_and_the_poor_one_is_asked_for_by_name() {
        let payers = Payers::default();
        let turns: Vec<&str> = (0..4).map(|_| payers.next(false)).collect();
        assert_eq!(turns, ["alice", "bob", "alice", "bob"]);
        assert_eq!(payers.next(true), "poor");
    }
}
