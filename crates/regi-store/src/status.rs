//! What the store database says of each terminal: the newest event it holds, how far the
//! terminal's journal had got when it last called, and the last error it reported.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio_postgres::Client;

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerminalStatus {
    pub terminal_id: String,
    pub store_id: String,
    /// The newest event shipped (0: none).
    pub shipped_seq: i64,
    /// The newest event of the terminal's journal, as it last said.
    pub journal_seq: i64,
    pub lag_events: i64,
    /// From the newest shipped event to the journal's newest, in seconds (0 when none waits).
    pub lag_secs: i64,
    pub last_shipped_at: Option<DateTime<Utc>>,
    pub last_contact: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// Every terminal of `store_id` (every terminal when `None`), by id.
pub async fn store_status(
    client: &Client,
    store_id: Option<&str>,
) -> Result<Vec<TerminalStatus>, StoreError> {
    let rows = client
        .query(
            "SELECT terminal_id, store_id, shipped_seq, shipped_at, journal_seq, lag_events, \
               lag_secs, last_contact, last_error \
             FROM regi.terminal_status WHERE $1::text IS NULL OR store_id = $1 \
             ORDER BY terminal_id",
            &[&store_id],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| TerminalStatus {
            terminal_id: row.get(0),
            store_id: row.get(1),
            shipped_seq: row.get(2),
            last_shipped_at: row.get(3),
            journal_seq: row.get(4),
            lag_events: row.get(5),
            lag_secs: row.get(6),
            last_contact: row.get(7),
            last_error: row.get(8),
        })
        .collect())
}
