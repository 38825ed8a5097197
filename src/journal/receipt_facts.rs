//! What receipts need beyond the sale itself: finding a sale by its receipt number, and the money
//! name of the payment (reported by the provider when the payment is seen, printed on receipts).

use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::sales::append_event;

impl Journal {
    /// The sale printed with receipt number `receipt_no`, if any.
    pub fn sale_id_by_receipt_no(&self, receipt_no: i64) -> Result<Option<i64>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM sales WHERE receipt_no = ?1",
                [receipt_no],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps the money name of the sale's paid attempt. The first name recorded stays: a receipt
    /// reprinted later shows what the original showed.
    pub fn record_money_name(
        &mut self,
        sale_id: i64,
        money_name: &str,
    ) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let (attempt_id, current): (i64, Option<String>) = tx
            .query_row(
                "SELECT id, money_name FROM payment_attempts \
                 WHERE sale_id = ?1 AND state = 'paid' ORDER BY id LIMIT 1",
                [sale_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                JournalError::Refused(format!("sale {sale_id} has no paid payment attempt"))
            })?;
        if current.is_some() {
            return Ok(());
        }
        tx.execute(
            "UPDATE payment_attempts SET money_name = ?2 WHERE id = ?1",
            params![attempt_id, money_name],
        )?;
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "money_name",
            &json!({ "money_name": money_name }),
        )?;
        tx.commit()?;
        Ok(())
    }
}
