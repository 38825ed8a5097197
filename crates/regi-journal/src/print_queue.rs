//! Receipts waiting for the printer: kept in the journal so a printer outage loses none.

use rusqlite::{Transaction, params};
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::sales::append_event;

/// The `print_jobs.state` column. A job that could not print stays `Pending` with its attempts
/// and last error; nothing writes `Failed` (the schema still allows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintJobState {
    Pending,
    Printed,
    Failed,
}

impl PrintJobState {
    pub const fn as_str(self) -> &'static str {
        match self {
            PrintJobState::Pending => "pending",
            PrintJobState::Printed => "printed",
            PrintJobState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<PrintJobState, JournalError> {
        match text {
            "pending" => Ok(PrintJobState::Pending),
            "printed" => Ok(PrintJobState::Printed),
            "failed" => Ok(PrintJobState::Failed),
            other => Err(JournalError::Corrupt(format!(
                "unexpected print state {other:?}"
            ))),
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub id: i64,
    pub sale_id: Option<i64>,
    /// What is printed, e.g. `receipt`, `refund`, `x_report`, `z_report`.
    pub kind: String,
    /// Ready-to-send printer bytes.
    pub bytes: Vec<u8>,
    pub state: PrintJobState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub printed_at: Option<String>,
}

impl std::fmt::Debug for PrintJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrintJob")
            .field("id", &self.id)
            .field("sale_id", &self.sale_id)
            .field("kind", &self.kind)
            .field("bytes", &self.bytes.len())
            .field("state", &self.state)
            .field("attempts", &self.attempts)
            .field("last_error", &self.last_error)
            .finish()
    }
}

impl Journal {
    pub fn enqueue_print(
        &mut self,
        sale_id: Option<i64>,
        kind: &str,
        bytes: &[u8],
    ) -> Result<i64, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO print_jobs (sale_id, kind, bytes, state, created_at) \
             VALUES (?1, ?2, ?3, 'pending', ?4)",
            params![sale_id, kind, bytes, now],
        )?;
        let id = tx.last_insert_rowid();
        append_event(
            &tx,
            &now,
            sale_id,
            None,
            "print_enqueued",
            &json!({ "job": id, "kind": kind }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Jobs waiting to print, oldest first.
    pub fn pending_print_jobs(&self) -> Result<Vec<PrintJob>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, sale_id, kind, bytes, state, attempts, last_error, created_at, printed_at \
             FROM print_jobs WHERE state = ?1 ORDER BY id",
        )?;
        let mut rs = stmt.query([PrintJobState::Pending.as_str()])?;
        let mut jobs = Vec::new();
        while let Some(r) = rs.next()? {
            jobs.push(PrintJob {
                id: r.get(0)?,
                sale_id: r.get(1)?,
                kind: r.get(2)?,
                bytes: r.get(3)?,
                state: PrintJobState::parse(&r.get::<_, String>(4)?)?,
                attempts: r.get(5)?,
                last_error: r.get(6)?,
                created_at: r.get(7)?,
                printed_at: r.get(8)?,
            });
        }
        Ok(jobs)
    }

    /// How many jobs of `kind` were ever queued for the sale, printed or not (a second one is
    /// a reprint).
    pub fn print_job_count(&self, sale_id: i64, kind: &str) -> Result<i64, JournalError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM print_jobs WHERE sale_id = ?1 AND kind = ?2",
            params![sale_id, kind],
            |r| r.get(0),
        )?)
    }

    pub fn mark_printed(&mut self, job_id: i64) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE print_jobs SET state = 'printed', attempts = attempts + 1, printed_at = ?2 \
             WHERE id = ?1 AND state = 'pending'",
            params![job_id, now],
        )?;
        log_print_change(&tx, &now, job_id, changed, "print_done", None)?;
        tx.commit()?;
        Ok(())
    }

    /// Records an attempt that could not print (paper out, printer unreachable, ...) and keeps
    /// the job pending, so the next flush tries it again.
    pub fn record_print_failure(&mut self, job_id: i64, error: &str) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?2 \
             WHERE id = ?1 AND state = 'pending'",
            params![job_id, error],
        )?;
        log_print_change(&tx, &now, job_id, changed, "print_waiting", Some(error))?;
        tx.commit()?;
        Ok(())
    }
}

fn log_print_change(
    tx: &Transaction<'_>,
    now: &str,
    job_id: i64,
    changed: usize,
    event: &str,
    error: Option<&str>,
) -> Result<(), JournalError> {
    if changed == 0 {
        return Err(JournalError::Refused(format!(
            "print job {job_id} does not exist or is not in a state for this"
        )));
    }
    let sale_id: Option<i64> = tx.query_row(
        "SELECT sale_id FROM print_jobs WHERE id = ?1",
        [job_id],
        |r| r.get(0),
    )?;
    append_event(
        tx,
        now,
        sale_id,
        None,
        event,
        &json!({ "job": job_id, "error": error }),
    )
}
