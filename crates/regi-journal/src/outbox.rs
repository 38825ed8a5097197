//! The outbox: every event of the log numbered in this terminal's sequence, in the transaction
//! that wrote it, with a snapshot of what it changed, for store mode to ship to PostgreSQL.
//!
//! Snapshots are whole rows read back by column name, so a column added by a later migration
//! travels without a change here.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Journal;
use super::error::JournalError;

/// One event as shipped: its place in the terminal's sequence, the event itself, and the state
/// it left behind (see `migrations/0011_outbox.sql`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEvent {
    pub seq: i64,
    pub event_id: i64,
    /// When it was written (UTC RFC 3339, as every journal time).
    pub at: String,
    pub kind: String,
    pub sale_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub detail: Value,
    pub snapshot: Value,
}

/// Numbers the event just appended as `event_id` and keeps its snapshot, in the same
/// transaction.
pub(super) fn capture(
    tx: &Transaction<'_>,
    event_id: i64,
    sale_id: Option<i64>,
    kind: &str,
    detail: &Value,
) -> Result<(), JournalError> {
    let snapshot = snapshot(tx, sale_id, kind, detail)?;
    tx.execute(
        "INSERT INTO outbox (event_id, snapshot_json) VALUES (?1, ?2)",
        params![event_id, snapshot.to_string()],
    )?;
    Ok(())
}

fn snapshot(
    conn: &Connection,
    sale_id: Option<i64>,
    kind: &str,
    detail: &Value,
) -> Result<Value, JournalError> {
    if let Some(sale_id) = sale_id {
        // Returns by line travel with their lines: a refund after them is reported at the rates
        // the sale had left.
        let returns = rows_where(conn, "returns", "sale_id", sale_id)?;
        let mut return_lines = Vec::new();
        for id in returns.iter().filter_map(|r| r["id"].as_i64()) {
            return_lines.extend(rows_where(conn, "return_lines", "return_id", id)?);
        }
        return Ok(json!({
            "sale": rows_where(conn, "sales", "id", sale_id)?.pop(),
            "lines": rows_where(conn, "sale_lines", "sale_id", sale_id)?,
            "attempts": rows_where(conn, "payment_attempts", "sale_id", sale_id)?,
            "refunds": rows_where(conn, "refunds", "sale_id", sale_id)?,
            "returns": returns,
            "return_lines": return_lines,
        }));
    }
    let id_in_detail = |key: &str| detail.get(key).and_then(Value::as_i64);
    if kind.starts_with("drawer_")
        && let Some(id) = id_in_detail("movement_id")
    {
        return Ok(json!({
            "drawer_movement": rows_where(conn, "drawer_movements", "id", id)?.pop(),
        }));
    }
    if let Some(id) = id_in_detail("business_day_id") {
        return Ok(json!({
            "business_day": rows_where(conn, "business_days", "id", id)?.pop(),
        }));
    }
    Ok(json!({}))
}

/// Every row of `table` whose `column` is `id`, each as an object from column name to value.
fn rows_where(
    conn: &Connection,
    table: &str,
    column: &str,
    id: i64,
) -> Result<Vec<Value>, JournalError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT * FROM {table} WHERE {column} = ?1 ORDER BY id"
    ))?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut rows = stmt.query([id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::new();
        for (index, name) in names.iter().enumerate() {
            let value = match row.get_ref(index)? {
                ValueRef::Null | ValueRef::Blob(_) => Value::Null,
                ValueRef::Integer(i) => json!(i),
                ValueRef::Real(r) => json!(r),
                ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
            };
            object.insert(name.clone(), value);
        }
        out.push(Value::Object(object));
    }
    Ok(out)
}

impl Journal {
    /// Up to `limit` outbox events after `after_seq`, in sequence order.
    pub fn outbox_after(
        &self,
        after_seq: i64,
        limit: usize,
    ) -> Result<Vec<OutboxEvent>, JournalError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.seq, e.id, e.at, e.kind, e.sale_id, e.attempt_id, e.detail_json, \
               o.snapshot_json \
             FROM outbox o JOIN events e ON e.id = o.event_id \
             WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
        )?;
        let mut rows = stmt.query(params![after_seq, limit as i64])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let detail: String = r.get(6)?;
            let snapshot: String = r.get(7)?;
            out.push(OutboxEvent {
                seq: r.get(0)?,
                event_id: r.get(1)?,
                at: r.get(2)?,
                kind: r.get(3)?,
                sale_id: r.get(4)?,
                attempt_id: r.get(5)?,
                detail: serde_json::from_str(&detail)?,
                snapshot: serde_json::from_str(&snapshot)?,
            });
        }
        Ok(out)
    }

    /// The outbox event numbered `seq`, if the journal has it.
    pub fn outbox_event(&self, seq: i64) -> Result<Option<OutboxEvent>, JournalError> {
        Ok(self
            .outbox_after(seq - 1, 1)?
            .into_iter()
            .find(|e| e.seq == seq))
    }

    /// The newest sequence number and when it was written; `None` before the first event.
    pub fn outbox_head(&self) -> Result<Option<(i64, String)>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT o.seq, e.at FROM outbox o JOIN events e ON e.id = o.event_id \
                 ORDER BY o.seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
