//! Refunds: journaled before the refund request, finished with its outcome.

use rusqlite::{OptionalExtension, params};
use serde_json::json;
use uuid::Uuid;

use super::Journal;
use super::error::JournalError;
use super::rows::{self, REFUND_COLUMNS};
use super::sales::{append_event, ensure_day, refresh_sale_state};
use regi_core::domain::Yen;
use regi_core::records::{
    RefundOutcome, RefundRecord, RefundState, SaleState, StartedRefund, UnresolvedRefund,
};

impl Journal {
    /// Records the intent to refund a paid sale. Committed before returning: only then may
    /// the caller send `POST /transactions/{transaction_id}/refund`.
    pub fn begin_refund(
        &mut self,
        sale_id: i64,
        reason: &str,
    ) -> Result<StartedRefund, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let (state, total): (String, i64) = tx
            .query_row(
                "SELECT state, total FROM sales WHERE id = ?1",
                [sale_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("sale", sale_id))?;
        match rows::sale_state(&state)? {
            SaleState::Paid => {}
            SaleState::Refunded => {
                return Err(JournalError::Refused(format!(
                    "sale {sale_id} is already refunded"
                )));
            }
            other => {
                return Err(JournalError::Refused(format!(
                    "sale {sale_id} is {} and cannot be refunded",
                    other.as_str()
                )));
            }
        }
        let pending: Option<i64> = tx
            .query_row(
                "SELECT id FROM refunds WHERE sale_id = ?1 AND state = 'pending'",
                [sale_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = pending {
            return Err(JournalError::Refused(format!(
                "refund {id} of sale {sale_id} is still pending"
            )));
        }
        let (attempt_id, transaction_id, provider): (i64, String, String) = tx.query_row(
            "SELECT id, transaction_id, provider FROM payment_attempts \
             WHERE sale_id = ?1 AND state = 'paid' ORDER BY id LIMIT 1",
            [sale_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let day = ensure_day(&tx, &now)?;
        let request_id = Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO refunds (sale_id, attempt_id, business_day_id, transaction_id, \
               request_id, amount, reason, state, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?8)",
            params![
                sale_id,
                attempt_id,
                day.id,
                transaction_id,
                request_id,
                total,
                reason,
                now
            ],
        )?;
        let refund_id = tx.last_insert_rowid();
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "refund_begun",
            &json!({ "refund_id": refund_id, "transaction_id": transaction_id, "reason": reason }),
        )?;
        tx.commit()?;
        Ok(StartedRefund {
            refund_id,
            provider,
            transaction_id,
            request_id,
            amount: Yen(total),
        })
    }

    /// Records how a begun refund ended; a `Done` refund marks the sale refunded.
    pub fn finish_refund(
        &mut self,
        refund_id: i64,
        outcome: RefundOutcome,
    ) -> Result<RefundState, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let (sale_id, state): (i64, String) = tx
            .query_row(
                "SELECT sale_id, state FROM refunds WHERE id = ?1",
                [refund_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("refund", refund_id))?;
        if rows::refund_state(&state)? != RefundState::Pending {
            return Err(JournalError::Refused(format!(
                "refund {refund_id} already ended ({state})"
            )));
        }
        let (new_state, detail) = match &outcome {
            RefundOutcome::Done {
                refund_transaction_id,
            } => {
                tx.execute(
                    "UPDATE refunds SET state = 'done', refund_transaction_id = ?2, \
                       updated_at = ?3 WHERE id = ?1",
                    params![refund_id, refund_transaction_id, now],
                )?;
                (
                    RefundState::Done,
                    json!({ "refund_id": refund_id, "refund_transaction_id": refund_transaction_id }),
                )
            }
            RefundOutcome::Failed {
                error_type,
                message,
            } => {
                tx.execute(
                    "UPDATE refunds SET state = 'failed', error_type = ?2, error_message = ?3, \
                       updated_at = ?4 WHERE id = ?1",
                    params![refund_id, error_type, message, now],
                )?;
                (
                    RefundState::Failed,
                    json!({ "refund_id": refund_id, "error_type": error_type, "message": message }),
                )
            }
        };
        let kind = match new_state {
            RefundState::Done => "refund_done",
            _ => "refund_failed",
        };
        append_event(&tx, &now, Some(sale_id), None, kind, &detail)?;
        refresh_sale_state(&tx, sale_id, &now)?;
        tx.commit()?;
        Ok(new_state)
    }

    /// Refunds begun but never finished; look each transaction up before refunding again.
    pub fn unresolved_refunds(&self) -> Result<Vec<UnresolvedRefund>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.sale_id, a.provider, r.transaction_id, r.request_id, r.reason \
             FROM refunds r JOIN payment_attempts a ON a.id = r.attempt_id \
             WHERE r.state = 'pending' ORDER BY r.id",
        )?;
        let out = stmt
            .query_map([], |r| {
                Ok(UnresolvedRefund {
                    refund_id: r.get(0)?,
                    sale_id: r.get(1)?,
                    provider: r.get(2)?,
                    transaction_id: r.get(3)?,
                    request_id: r.get(4)?,
                    reason: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(out)
    }

    pub(super) fn refunds_of(&self, sale_id: i64) -> Result<Vec<RefundRecord>, JournalError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REFUND_COLUMNS} FROM refunds WHERE sale_id = ?1 ORDER BY id"
        ))?;
        let mut rs = stmt.query([sale_id])?;
        let mut out = Vec::new();
        while let Some(r) = rs.next()? {
            out.push(rows::refund(r)?);
        }
        Ok(out)
    }
}
