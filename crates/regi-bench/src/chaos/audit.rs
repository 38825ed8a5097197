//! Comparing what the registers' journals say with what the sandbox ledger did. Pure.
//!
//! A ledger transaction belongs to the sale its reference names. Pokepay's is the description
//! the engine writes, `"{terminal} #{sale_id}"` (every chaos register has its own terminal
//! name); KOMOJU's `external_order_num` and elepay's `orderNo` are the merchant reference of the
//! attempt's request id, which the journal export lists with each sale's attempts.

use std::collections::{BTreeMap, BTreeSet};

use regi_payment::merchant_reference;
use serde::Deserialize;

/// The fields of `regi journal export --format json` the audit needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JournalSale {
    pub id: i64,
    pub state: String,
    pub total: i64,
    pub transaction_id: Option<String>,
    pub terminal: String,
    /// Absent from the exports of older journals: their sales are found by description only.
    #[serde(default)]
    pub attempts: Vec<JournalAttempt>,
}

/// The fields of an exported attempt the audit needs. The tender fields are absent from the
/// exports of journals older than split tenders: such a sale is checked as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JournalAttempt {
    pub request_id: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// The yen this tender pays of its sale.
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub cash_received: Option<i64>,
    #[serde(default)]
    pub cash_change: Option<i64>,
    /// Yen of this tender given back.
    #[serde(default)]
    pub refunded: i64,
}

impl JournalAttempt {
    fn is_paid(&self) -> bool {
        self.state == "paid"
    }

    fn is_cash(&self) -> bool {
        self.method == "cash"
    }
}

impl JournalSale {
    fn key(&self) -> String {
        format!("{} #{}", self.terminal, self.id)
    }

    /// Every reference the ledger may name this sale by: its description, and the merchant
    /// reference of each of its attempts.
    fn references(&self) -> impl Iterator<Item = String> + '_ {
        let attempts = self.attempts.iter().filter_map(|a| {
            uuid::Uuid::parse_str(&a.request_id)
                .ok()
                .map(merchant_reference)
        });
        std::iter::once(self.key()).chain(attempts)
    }

    fn holds_money(&self) -> bool {
        matches!(self.state.as_str(), "paid" | "refunded" | "partly_paid")
    }

    /// Whether the export lists what each tender paid (journals with split tenders do).
    fn has_tenders(&self) -> bool {
        !self.attempts.is_empty() && self.attempts.iter().all(|a| a.amount.is_some())
    }

    /// The paid tenders some provider took: each must be one ledger transaction.
    fn electronic_tenders(&self) -> impl Iterator<Item = &JournalAttempt> {
        self.attempts.iter().filter(|a| a.is_paid() && !a.is_cash())
    }

    /// Cash this sale left in the drawer: what its cash tenders paid less what was given back.
    fn cash_kept(&self) -> i64 {
        self.attempts
            .iter()
            .filter(|a| a.is_paid() && a.is_cash())
            .map(|a| a.amount.unwrap_or(0) - a.refunded)
            .sum()
    }
}

/// One ledger transaction that took (or holds) the customer's money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: String,
    /// Yen as the ledger holds it (the sign is not compared).
    pub amount: i64,
    /// What names its sale: Pokepay's description, or KOMOJU's and elepay's merchant reference.
    pub reference: String,
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
    /// Yen the journal says providers took (every electronic tender of a split sale).
    pub journal_paid_yen: i64,
    pub ledger_yen: i64,
    /// Sales paid by more than one tender.
    pub split_sales: usize,
    /// Cash the journal says is in the drawers: cash tenders less cash given back.
    pub journal_cash_yen: i64,
    /// Cash the registers' X reports expect in their drawers, once read.
    pub drawer_expected_yen: Option<i64>,
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
            && self
                .drawer_expected_yen
                .is_none_or(|drawers| drawers == self.journal_cash_yen)
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
    let owners: BTreeMap<String, &JournalSale> = sales
        .iter()
        .flat_map(|sale| sale.references().map(move |r| (r, sale)))
        .collect();
    // The sale an entry belongs to, or its own reference when no sale has it.
    let owner = |entry: &LedgerEntry| {
        owners
            .get(&entry.reference)
            .map_or_else(|| entry.reference.clone(), |sale| sale.key())
    };
    let mut per_sale: BTreeMap<String, usize> = BTreeMap::new();
    for entry in ledger {
        *per_sale.entry(owner(entry)).or_default() += 1;
        a.ledger_yen += entry.amount.abs();
    }
    // A sale paid by several electronic tenders has a transaction for each; any more is a
    // double charge.
    let allowed: BTreeMap<String, usize> = sales
        .iter()
        .map(|sale| (sale.key(), sale.electronic_tenders().count().max(1)))
        .collect();
    for (sale, count) in &per_sale {
        let allowed = allowed.get(sale).copied().unwrap_or(1);
        if *count > allowed {
            a.double_charges += count - allowed;
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
        if sale.has_tenders() {
            a.journal_cash_yen += sale.cash_kept();
            let tenders: Vec<&JournalAttempt> =
                sale.attempts.iter().filter(|t| t.is_paid()).collect();
            a.split_sales += usize::from(tenders.len() > 1);
            for tender in sale.electronic_tenders() {
                let paid = tender.amount.unwrap_or(0);
                a.journal_paid_yen += paid;
                let entry = tender
                    .transaction_id
                    .as_deref()
                    .and_then(|id| by_id.get(id).copied());
                match entry {
                    Some(entry) if entry.amount.abs() == paid && owner(entry) == sale.key() => {
                        accounted.insert(entry.id.as_str());
                    }
                    _ => {
                        a.mismatches += 1;
                        a.problem(format!(
                            "sale {} tender {:?} ({paid} yen) vs ledger {:?}",
                            sale.key(),
                            tender.transaction_id,
                            entry.map(|e| (&e.id, e.amount, &e.reference))
                        ));
                    }
                }
            }
            continue;
        }
        a.journal_paid_yen += sale.total.abs();
        let entry = sale
            .transaction_id
            .as_deref()
            .and_then(|id| by_id.get(id).copied());
        match entry {
            Some(entry) if entry.amount.abs() == sale.total.abs() && owner(entry) == sale.key() => {
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
                    entry.reference
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
                entry.id, entry.amount, entry.reference
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
            attempts: Vec::new(),
        }
    }

    fn entry(id: &str, amount: i64, sale: i64) -> LedgerEntry {
        LedgerEntry {
            id: id.into(),
            amount,
            reference: format!("chaos-1 #{sale}"),
        }
    }

    /// A request id as the journal keeps it, and the merchant reference a provider is given.
    fn request(n: u128) -> (String, String) {
        let id = uuid::Uuid::from_u128(n);
        (id.to_string(), id.simple().to_string())
    }

    fn sale_with_attempts(
        id: i64,
        state: &str,
        total: i64,
        tx: Option<&str>,
        requests: &[u128],
    ) -> JournalSale {
        JournalSale {
            attempts: requests
                .iter()
                .map(|n| JournalAttempt {
                    request_id: request(*n).0,
                    method: String::new(),
                    state: String::new(),
                    transaction_id: None,
                    amount: None,
                    cash_received: None,
                    cash_change: None,
                    refunded: 0,
                })
                .collect(),
            ..sale(id, state, total, tx)
        }
    }

    fn referenced(id: &str, amount: i64, request_no: u128) -> LedgerEntry {
        LedgerEntry {
            id: id.into(),
            amount,
            reference: request(request_no).1,
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

    #[test]
    fn a_payment_named_by_its_attempts_merchant_reference_belongs_to_that_sale() {
        let sales = [
            sale_with_attempts(1, "paid", 500, Some("pay1"), &[11]),
            sale_with_attempts(2, "cancelled", 300, None, &[12]),
            sale_with_attempts(3, "refunded", 700, Some("pay3"), &[13]),
        ];
        let ledger = [referenced("pay1", 500, 11), referenced("pay3", 700, 13)];
        let a = audit(&sales, &ledger);
        assert!(a.clean(), "{a:?}");
        assert_eq!((a.journal_paid, a.ledger_yen), (2, 1200));
    }

    #[test]
    fn two_payments_for_two_attempts_of_one_sale_are_a_double_charge() {
        let sales = [sale_with_attempts(1, "paid", 500, Some("pay1"), &[11, 12])];
        let ledger = [referenced("pay1", 500, 11), referenced("pay2", 500, 12)];
        let a = audit(&sales, &ledger);
        assert_eq!((a.double_charges, a.lost_sales, a.mismatches), (1, 1, 0));
    }

    #[test]
    fn a_payment_for_a_cancelled_attempt_or_no_attempt_at_all_is_a_lost_sale() {
        let sales = [sale_with_attempts(1, "cancelled", 500, None, &[11])];
        let ledger = [referenced("pay1", 500, 11), referenced("pay9", 800, 99)];
        let a = audit(&sales, &ledger);
        assert_eq!((a.lost_sales, a.double_charges, a.mismatches), (2, 0, 0));
    }

    #[test]
    fn a_paid_sale_whose_payment_names_another_sale_is_a_mismatch() {
        let sales = [
            sale_with_attempts(1, "paid", 500, Some("pay1"), &[11]),
            sale_with_attempts(2, "failed", 500, None, &[12]),
        ];
        let ledger = [referenced("pay1", 500, 12)];
        let a = audit(&sales, &ledger);
        assert_eq!((a.mismatches, a.lost_sales), (1, 1));
    }

    /// A paid tender as a split-tender journal exports it.
    fn tender(method: &str, amount: i64, tx: &str) -> JournalAttempt {
        JournalAttempt {
            request_id: uuid::Uuid::new_v4().to_string(),
            method: method.into(),
            state: "paid".into(),
            transaction_id: Some(tx.into()),
            amount: Some(amount),
            cash_received: (method == "cash").then_some(amount),
            cash_change: (method == "cash").then_some(0),
            refunded: 0,
        }
    }

    #[test]
    fn a_split_sale_is_clean_when_each_electronic_tender_is_its_own_transaction() {
        let sales = [JournalSale {
            attempts: vec![
                tender("cash", 1_000, "cash-1"),
                tender("merchant_qr", 1_500, "T1"),
                tender("customer_code", 500, "T2"),
            ],
            ..sale(1, "paid", 3_000, Some("cash-1"))
        }];
        let found = audit(&sales, &[entry("T1", 1_500, 1), entry("T2", 500, 1)]);
        assert!(found.clean(), "{found:?}");
        assert_eq!(
            (
                found.split_sales,
                found.journal_cash_yen,
                found.journal_paid_yen
            ),
            (1, 1_000, 2_000)
        );
    }

    #[test]
    fn a_split_sale_charged_for_more_than_its_tender_is_a_mismatch_and_a_third_charge_doubles() {
        let sales = [JournalSale {
            attempts: vec![
                tender("cash", 1_000, "cash-1"),
                tender("merchant_qr", 2_000, "T1"),
            ],
            ..sale(1, "paid", 3_000, Some("cash-1"))
        }];
        let found = audit(&sales, &[entry("T1", 3_000, 1), entry("T9", 2_000, 1)]);
        assert_eq!((found.mismatches, found.double_charges), (1, 1));
        assert!(!found.clean());
    }
}
