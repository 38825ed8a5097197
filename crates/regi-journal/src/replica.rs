//! A journal rebuilt in memory from the rows another terminal shipped (its outbox snapshots),
//! so a store report is made by the very code that makes the till's own X and Z: the store's
//! figures cannot drift from the sum of the tills'.

use rusqlite::Connection;
use serde_json::Value;

use super::error::JournalError;
use super::report::build;
use super::{Journal, SystemClock, schema};
use regi_core::records::{Report, ReportKind};

/// The rows of one terminal that a day's report reads, each an object from column name to value
/// as the outbox carries them.
#[derive(Debug, Default, Clone)]
pub struct ReplicaRows {
    pub business_days: Vec<Value>,
    /// Sale snapshots: `{"sale": {...}, "lines": [...], "attempts": [...], "refunds": [...],
    /// "returns": [...], "return_lines": [...]}`.
    pub sales: Vec<Value>,
    pub drawer_movements: Vec<Value>,
}

impl Journal {
    /// An in-memory journal holding `rows`, for reports only. Columns this build does not know
    /// (from a newer till) are left out; ones it knows and the rows lack take their defaults.
    pub fn replica(rows: &ReplicaRows) -> Result<Journal, JournalError> {
        let mut conn = Connection::open_in_memory()?;
        schema::migrate(&mut conn)?;
        // The rows come whole from a journal that held them together; the references among them
        // need not all be here (a refunded sale of an earlier day without that day).
        conn.pragma_update(None, "foreign_keys", false)?;
        let tx = conn.transaction()?;
        for day in &rows.business_days {
            insert(&tx, "business_days", day)?;
        }
        for snapshot in &rows.sales {
            insert(&tx, "sales", &snapshot["sale"])?;
            for (table, key) in [
                ("sale_lines", "lines"),
                ("payment_attempts", "attempts"),
                ("refunds", "refunds"),
                ("returns", "returns"),
                ("return_lines", "return_lines"),
            ] {
                for row in snapshot[key].as_array().into_iter().flatten() {
                    insert(&tx, table, row)?;
                }
            }
        }
        for movement in &rows.drawer_movements {
            insert(&tx, "drawer_movements", movement)?;
        }
        tx.commit()?;
        Ok(Journal {
            conn,
            clock: Box::new(SystemClock),
            path: std::path::PathBuf::from(":memory:"),
            _lock: None,
        })
    }

    /// The report of business day `business_day_id` as the till would make it: for a closed
    /// day asked as Z, the Z stored when it closed.
    pub fn report_of_day(
        &self,
        business_day_id: i64,
        kind: ReportKind,
    ) -> Result<Report, JournalError> {
        if kind == ReportKind::Z
            && let Some(stored) = self.z_report(business_day_id)?
        {
            return Ok(stored);
        }
        let day = self
            .business_days()?
            .into_iter()
            .find(|d| d.id == business_day_id)
            .ok_or_else(|| JournalError::not_found("business day", business_day_id))?;
        build(&self.conn, kind, &day, &self.now_text())
    }
}

fn insert(conn: &Connection, table: &str, row: &Value) -> Result<(), JournalError> {
    insert_row(conn, "INSERT OR REPLACE", table, row)
}

/// Writes `row` (an object from column name to value) into `table` with `verb` (`INSERT`,
/// `INSERT OR REPLACE`), leaving out the keys that are not columns of this build.
pub(super) fn insert_row(
    conn: &Connection,
    verb: &str,
    table: &str,
    row: &Value,
) -> Result<(), JournalError> {
    let Some(object) = row.as_object() else {
        return Ok(());
    };
    let known: Vec<String> = conn
        .prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let columns: Vec<&String> = object.keys().filter(|k| known.contains(k)).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "{verb} INTO {table} ({}) VALUES ({})",
        columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", "),
        placeholders.join(", ")
    );
    let values: Vec<rusqlite::types::Value> = columns
        .iter()
        .map(|c| match &object[c.as_str()] {
            Value::Null => rusqlite::types::Value::Null,
            Value::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
            Value::Number(n) => match n.as_i64() {
                Some(i) => rusqlite::types::Value::Integer(i),
                None => rusqlite::types::Value::Real(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => rusqlite::types::Value::Text(s.clone()),
            other => rusqlite::types::Value::Text(other.to_string()),
        })
        .collect();
    conn.execute(&sql, rusqlite::params_from_iter(values))?;
    Ok(())
}

#[cfg(test)]
/// Every row a report reads, taken from the journal's outbox as the store receives it.
pub(crate) fn shipped_rows(journal: &Journal) -> ReplicaRows {
    let mut rows = ReplicaRows::default();
    let mut sales = std::collections::BTreeMap::new();
    let mut days = std::collections::BTreeMap::new();
    for event in journal.outbox_after(0, 10_000).unwrap() {
        let s = event.snapshot;
        if let Some(id) = s["sale"]["id"].as_i64() {
            sales.insert(id, s.clone());
        }
        if let Some(id) = s["business_day"]["id"].as_i64() {
            days.insert(id, s["business_day"].clone());
        }
        if s["drawer_movement"].is_object() {
            rows.drawer_movements.push(s["drawer_movement"].clone());
        }
    }
    rows.sales = sales.into_values().collect();
    rows.business_days = days.into_values().collect();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{journal, sale};
    use regi_core::domain::Yen;

    #[test]
    fn a_replica_of_the_shipped_rows_makes_the_same_x_report_as_the_till() {
        let (_dir, mut journal) = journal();
        journal.set_float(Yen(5_000)).unwrap();
        let paid = sale(&mut journal, 1_100);
        journal.record_cash_tender(paid, Yen(2_000)).unwrap();
        let refunded = sale(&mut journal, 550);
        journal.record_cash_tender(refunded, Yen(550)).unwrap();
        journal.begin_refund(refunded, "returned").unwrap();
        let voided = sale(&mut journal, 300);
        journal.void_sale(voided, "left").unwrap();
        journal.paid_out(Yen(200), "stamps").unwrap();
        let mine = journal.x_report().unwrap().unwrap();

        let replica = Journal::replica(&shipped_rows(&journal)).unwrap();
        let rebuilt = replica
            .report_of_day(mine.business_day_id, ReportKind::X)
            .unwrap();
        let without_time = |mut r: Report| {
            r.generated_at = String::new();
            r
        };
        assert_eq!(without_time(rebuilt), without_time(mine));
    }

    #[test]
    fn a_replica_gives_a_closed_days_stored_z_report() {
        let (_dir, mut journal) = journal();
        let paid = sale(&mut journal, 700);
        journal.record_cash_tender(paid, Yen(700)).unwrap();
        let z = journal.close_day_with_z_report().unwrap();
        let replica = Journal::replica(&shipped_rows(&journal)).unwrap();
        assert_eq!(
            replica
                .report_of_day(z.business_day_id, ReportKind::Z)
                .unwrap(),
            z
        );
    }
}
