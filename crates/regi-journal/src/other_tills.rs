//! Sales of other tills of the store, copied here to be returned at this till (store mode).
//!
//! The store's database hands over a sale as its till shipped it (the outbox snapshot). The
//! copy keeps that till's terminal id and sale id (`origin_terminal`, `origin_sale_id`), its
//! receipt number, lines and paid tenders, and belongs to no business day here: reports never
//! count it as a sale of this till, only the refunds made of it here, on their day. Every refund
//! path of the journal then works on it as on a sale of this till, and each refund carries the
//! original sale's id through its sale.

use rusqlite::{OptionalExtension, params};
use serde_json::{Map, Value, json};

use super::Journal;
use super::error::JournalError;
use super::replica::insert_row;
use super::sales::append_event;

impl Journal {
    /// The copy of sale `origin_sale_id` of till `terminal_id`, when this till made one.
    pub fn copy_of_other_tills_sale(
        &self,
        terminal_id: &str,
        origin_sale_id: i64,
    ) -> Result<Option<i64>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM sales WHERE origin_terminal = ?1 AND origin_sale_id = ?2",
                params![terminal_id, origin_sale_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Copies the sale of till `terminal_id` shipped as `snapshot` (`{"sale": {...},
    /// "lines": [...], "attempts": [...], ...}`) so it can be returned here; its id here. A
    /// sale copied before is not copied again. Only a paid payment with nothing given back
    /// yet is taken: what its till already refunded is in that till's journal, not here.
    pub fn copy_other_tills_sale(
        &mut self,
        terminal_id: &str,
        snapshot: &Value,
    ) -> Result<i64, JournalError> {
        let sale = snapshot["sale"]
            .as_object()
            .ok_or_else(|| JournalError::Corrupt("a shipped sale without its sale row".into()))?;
        let origin_sale_id = sale
            .get("id")
            .and_then(Value::as_i64)
            .ok_or_else(|| JournalError::Corrupt("a shipped sale without its id".into()))?;
        if let Some(id) = self.copy_of_other_tills_sale(terminal_id, origin_sale_id)? {
            return Ok(id);
        }
        refuse_unless_returnable(terminal_id, sale, snapshot)?;
        let now = self.now_text();
        let tx = self.write()?;
        let mut row = without(sale, &["id", "business_day_id"]);
        row.insert("origin_terminal".into(), json!(terminal_id));
        row.insert("origin_sale_id".into(), json!(origin_sale_id));
        insert_row(&tx, "INSERT", "sales", &Value::Object(row))?;
        let copy_id = tx.last_insert_rowid();
        for line in snapshot["lines"].as_array().into_iter().flatten() {
            let mut row = without(object(line)?, &["id"]);
            row.insert("sale_id".into(), json!(copy_id));
            insert_row(&tx, "INSERT", "sale_lines", &Value::Object(row))?;
        }
        // Only the tenders that paid: one that failed or expired there is nothing to give back,
        // and one still unresolved is that till's to settle.
        for attempt in snapshot["attempts"].as_array().into_iter().flatten() {
            if attempt["state"].as_str() != Some("paid") {
                continue;
            }
            let mut row = without(object(attempt)?, &["id"]);
            row.insert("sale_id".into(), json!(copy_id));
            insert_row(&tx, "INSERT", "payment_attempts", &Value::Object(row))?;
        }
        append_event(
            &tx,
            &now,
            Some(copy_id),
            None,
            "sale_copied",
            &json!({ "origin_terminal": terminal_id, "origin_sale_id": origin_sale_id,
                     "receipt_no": sale.get("receipt_no") }),
        )?;
        tx.commit()?;
        Ok(copy_id)
    }
}

/// A paid payment of the live journal, with no refund or return there.
fn refuse_unless_returnable(
    terminal_id: &str,
    sale: &Map<String, Value>,
    snapshot: &Value,
) -> Result<(), JournalError> {
    let receipt = sale.get("receipt_no").cloned().unwrap_or(Value::Null);
    let refuse = |why: &str| {
        Err(JournalError::Refused(format!(
            "receipt No.{receipt} of till {terminal_id} {why}"
        )))
    };
    if sale.get("kind").and_then(Value::as_str) != Some("payment") {
        return refuse("is not a payment");
    }
    if sale.get("training").and_then(Value::as_i64).unwrap_or(0) != 0 {
        return refuse("was a training sale");
    }
    if sale.get("state").and_then(Value::as_str) != Some("paid") {
        return refuse("is not paid");
    }
    let given_back = |key: &str| {
        snapshot[key]
            .as_array()
            .is_some_and(|rows| !rows.is_empty())
    };
    if given_back("refunds") || given_back("returns") {
        return refuse("was partly given back at its till; return the rest there");
    }
    Ok(())
}

fn object(row: &Value) -> Result<&Map<String, Value>, JournalError> {
    row.as_object()
        .ok_or_else(|| JournalError::Corrupt(format!("a shipped row that is not one: {row}")))
}

/// `row` without the columns `keys`, which the copy numbers or leaves out itself.
fn without(row: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    row.iter()
        .filter(|(key, _)| !keys.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replica::shipped_rows;
    use crate::test_support::{journal, sale};
    use regi_core::domain::Yen;
    use regi_core::records::{ReportKind, SaleFilter};

    /// The latest snapshot of `sale_id` in `journal`'s outbox, as the store holds it.
    fn shipped(journal: &Journal, sale_id: i64) -> Value {
        journal
            .outbox_after(0, 10_000)
            .unwrap()
            .into_iter()
            .rev()
            .find(|e| e.snapshot["sale"]["id"].as_i64() == Some(sale_id))
            .unwrap()
            .snapshot
    }

    #[test]
    fn a_sale_of_another_till_returned_here_counts_only_its_refund_here() {
        let (_a, mut till_one) = journal();
        let paid = sale(&mut till_one, 1_100);
        till_one.record_cash_tender(paid, Yen(2_000)).unwrap();
        let (_b, mut till_two) = journal();
        let own = sale(&mut till_two, 500);
        till_two.record_cash_tender(own, Yen(500)).unwrap();

        let copy = till_two
            .copy_other_tills_sale("01", &shipped(&till_one, paid))
            .unwrap();
        let detail = till_two.sale(copy).unwrap();
        assert_eq!(detail.sale.receipt_no, 1);
        assert_eq!(detail.sale.total, Yen(1_100));
        assert_eq!(
            detail.sale.origin,
            Some(regi_core::records::SaleOrigin {
                terminal_id: "01".into(),
                sale_id: paid
            })
        );
        assert_eq!(detail.lines.len(), 1);
        let started = till_two.begin_refund(copy, "returned at till 02").unwrap();
        assert!(started.settled, "cash goes back from this drawer");

        let x = till_two.x_report().unwrap().unwrap();
        assert_eq!(x.payments.count, 1, "only this till's own sale");
        assert_eq!(x.payments.amount, Yen(500));
        assert_eq!(x.refunds.amount, Yen(1_100));
        assert_eq!(x.net_sales, Yen(-600));
        assert_eq!(x.cash.refunds, Yen(1_100));
        assert_eq!((x.first_receipt_no, x.last_receipt_no), (Some(1), Some(1)));
        let listed: Vec<i64> = till_two
            .list_sales(SaleFilter::OpenDay)
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(listed, vec![own], "the copy is no sale of this day");
        assert_eq!(till_two.sale_id_by_receipt_no(1).unwrap(), Some(own));
        let next = sale(&mut till_two, 300);
        assert_eq!(till_two.sale(next).unwrap().sale.receipt_no, 2);

        // The store rebuilds this till's day from what it shipped, copy included: the same X.
        let replica = Journal::replica(&shipped_rows(&till_two)).unwrap();
        let mut rebuilt = replica
            .report_of_day(x.business_day_id, ReportKind::X)
            .unwrap();
        let mut x = till_two.x_report().unwrap().unwrap();
        rebuilt.generated_at.clear();
        x.generated_at.clear();
        assert_eq!(rebuilt, x);
    }

    #[test]
    fn a_sale_copied_again_is_the_same_copy_and_is_given_back_once() {
        let (_a, mut till_one) = journal();
        let paid = sale(&mut till_one, 800);
        till_one.record_cash_tender(paid, Yen(800)).unwrap();
        let (_b, mut till_two) = journal();
        let snapshot = shipped(&till_one, paid);
        let copy = till_two.copy_other_tills_sale("01", &snapshot).unwrap();
        till_two.begin_refund(copy, "returned").unwrap();
        assert_eq!(
            till_two.copy_other_tills_sale("01", &snapshot).unwrap(),
            copy
        );
        assert_eq!(
            till_two.copy_of_other_tills_sale("01", paid).unwrap(),
            Some(copy)
        );
        assert!(matches!(
            till_two.begin_refund(copy, "again"),
            Err(JournalError::Refused(_))
        ));
    }

    #[test]
    fn a_sale_given_back_in_part_at_its_till_is_not_copied() {
        let (_a, mut till_one) = journal();
        let paid = sale(&mut till_one, 1_000);
        till_one.record_cash_tender(paid, Yen(1_000)).unwrap();
        till_one
            .begin_refund_of(paid, Some(Yen(400)), "part")
            .unwrap();
        let (_b, mut till_two) = journal();
        let refused = till_two
            .copy_other_tills_sale("01", &shipped(&till_one, paid))
            .unwrap_err();
        assert!(
            refused.to_string().contains("return the rest there"),
            "{refused}"
        );
        let unpaid = sale(&mut till_one, 200);
        assert!(matches!(
            till_two.copy_other_tills_sale("01", &shipped(&till_one, unpaid)),
            Err(JournalError::Refused(_))
        ));
    }
}
