//! Comparing what the registers' journals say with what the sandbox ledger did. Pure.
//!
//! A ledger transaction belongs to the sale its description names: the engine writes
//! `"{terminal} #{sale_id}"`, and every chaos register has its own terminal name.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The fields of `regi journal export --format json` the audit needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JournalSale {
    pub id: i64,
    pub state: String,
    pub total: i64,
    pub transaction_id: Option<String>,
    pub terminal: String,
}

impl JournalSale {
    fn key(&self) -> String {
        format!("{} #{}", self.terminal, self.id)
    }

    fn holds_money(&self) -> bool {
        matches!(self.state.as_str(), "paid" | "refunded")
    }
}

/// One ledger transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: String,
    /// Yen as the ledger holds it (the sign is not compared).
    pub amount: i64,
    pub description: String,
}

/// What the audit found. Every count but the totals must be 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// Ledger transactions beyond the first for one sale.
    pub double_charges: usize,
    /// Ledger transactions no paid journal sale accounts for.
    pub lost_sales: usize,
    /// Sales whose attempt is still pending or unknown.
    pub unresolved: usize,
    /// Paid sales the ledger does not confirm (missing transaction, other amount, other sale).
    pub mismatches: usize,
    pub journal_sales: usize,
    pub journal_paid: usize,
    pub ledger_transactions: usize,
    pub journal_paid_yen: i64,
    pub ledger_yen: i64,
    /// Sales by final state.
    pub states: BTreeMap<String, usize>,
    /// The first few problems, described.
    pub problems: Vec<String>,
}

impl Audit {
    pub fn clean(&self) -> bool {
        self.double_charges == 0
            && self.lost_sales == 0
            && self.unresolved == 0
            && self.mismatches == 0
            && self.journal_paid_yen == self.ledger_yen
    }

    fn problem(&mut self, text: String) {
        if self.problems.len() < 20 {
            self.problems.push(text);
        }
    }
}

pub fn audit(sales: &[JournalSale], ledger: &[LedgerEntry]) -> Audit {
    let mut a = Audit {
        journal_sales: sales.len(),
        ledger_transactions: ledger.len(),
        ..Audit::default()
    };
    let by_id: BTreeMap<&str, &LedgerEntry> = ledger.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut per_sale: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in ledger {
        *per_sale.entry(entry.description.as_str()).or_default() += 1;
        a.ledger_yen += entry.amount.abs();
    }
    for (sale, count) in &per_sale {
        if *count > 1 {
            a.double_charges += count - 1;
            a.problem(format!("{count} ledger transactions for sale {sale}"));
        }
    }
    let mut accounted: BTreeSet<&str> = BTreeSet::new();
    for sale in sales {
        *a.states.entry(sale.state.clone()).or_default() += 1;
        if matches!(sale.state.as_str(), "pending" | "unknown") {
            a.unresolved += 1;
            a.problem(format!("sale {} is still {}", sale.key(), sale.state));
        }
        if !sale.holds_money() {
            continue;
        }
        a.journal_paid += 1;
        a.journal_paid_yen += sale.total.abs();
        let entry = sale
            .transaction_id
            .as_deref()
            .and_then(|id| by_id.get(id).copied());
        match entry {
            Some(entry)
                if entry.amount.abs() == sale.total.abs() && entry.description == sale.key() =>
            {
                accounted.insert(entry.id.as_str());
            }
            Some(entry) => {
                a.mismatches += 1;
                a.problem(format!(
                    "sale {} ({} yen) vs ledger {} ({} yen, {:?})",
                    sale.key(),
                    sale.total,
                    entry.id,
                    entry.amount,
                    entry.description
                ));
            }
            None => {
                a.mismatches += 1;
                a.problem(format!(
                    "sale {} is {} with transaction {:?}, which the ledger does not have",
                    sale.key(),
                    sale.state,
                    sale.transaction_id
                ));
            }
        }
    }
    for entry in ledger {
        if !accounted.contains(entry.id.as_str()) {
            a.lost_sales += 1;
            a.problem(format!(
                "ledger transaction {} ({} yen, {:?}) has no paid sale",
                entry.id, entry.amount, entry.description
            ));
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(id: i64, state: &str, total: i64, tx: Option<&str>) -> JournalSale {
        JournalSale {
            id,
            state: state.into(),
            total,
            transaction_id: tx.map(str::to_string),
            terminal: "chaos-1".into(),
        }
    }

    fn entry(id: &str, amount: i64, sale: i64) -> LedgerEntry {
        LedgerEntry {
            id: id.into(),
            amount,
            description: format!("chaos-1 #{sale}"),
        }
    }

    #[test]
    fn agreeing_books_are_clean() {
        let sales = [
            sale(1, "paid", 500, Some("t1")),
            sale(2, "failed", 300, None),
            sale(3, "cancelled", 300, None),
            sale(4, "paid", 1000, Some("t4")),
        ];
        let ledger = [entry("t1", -500, 1), entry("t4", 1000, 4)];
        let a = audit(&sales, &ledger);
        assert!(a.clean(), "{a:?}");
        assert_eq!((a.journal_paid, a.ledger_yen), (2, 1500));
        assert_eq!(a.states.get("failed"), Some(&1));
    }

    #[test]
    fn a_second_charge_for_one_sale_is_a_double_charge_and_a_lost_sale() {
        let sales = [sale(1, "paid", 500, Some("t1"))];
        let ledger = [entry("t1", 500, 1), entry("t2", 500, 1)];
        let a = audit(&sales, &ledger);
        assert_eq!(a.double_charges, 1);
        assert_eq!(a.lost_sales, 1);
        assert!(!a.clean());
    }

    #[test]
    fn money_taken_for_a_sale_the_journal_thinks_unpaid_is_lost() {
        let sales = [
            sale(1, "cancelled", 500, None),
            sale(2, "unknown", 700, None),
        ];
        let ledger = [entry("t1", 500, 1)];
        let a = audit(&sales, &ledger);
        assert_eq!((a.lost_sales, a.unresolved, a.mismatches), (1, 1, 0));
    }

    #[test]
    fn a_paid_sale_the_ledger_does_not_confirm_is_a_mismatch() {
        let sales = [
            sale(1, "paid", 500, Some("missing")),
            sale(2, "paid", 500, Some("t2")),
            sale(3, "paid", 500, None),
        ];
        let ledger = [entry("t2", 400, 2)];
        let a = audit(&sales, &ledger);
        assert_eq!(a.mismatches, 3);
        assert_eq!(a.lost_sales, 1, "t2 is not accounted for at its amount");
    }
}
