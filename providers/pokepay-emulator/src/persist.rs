//! Keeping the sandbox across restarts (`--state PATH`): the whole ledger and the client
//! credentials as one JSON snapshot in one SQLite row, rewritten in a transaction after every
//! change. The file is readable by its owner only (it holds the client secret; see
//! `regi_emulator_kit::persist`).

use std::fmt;
use std::path::{Path, PathBuf};

use regi_emulator_kit::persist::open_private;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::ledger::Ledger;

const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("cannot create the state file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("state database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the state file holds an unreadable snapshot: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("the state file was written by a newer version (snapshot version {0})")]
    NewerVersion(u32),
}

/// Everything the sandbox needs to come back as it was.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub client_id: String,
    pub client_secret: String,
    pub ledger: Ledger,
}

impl Snapshot {
    pub fn new(client_id: String, client_secret: String, ledger: Ledger) -> Self {
        Self {
            version: SNAPSHOT_VERSION,
            client_id,
            client_secret,
            ledger,
        }
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("version", &self.version)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("transactions", &self.ledger.transactions.len())
            .finish()
    }
}

/// The SQLite file holding the snapshot.
pub struct Store {
    conn: Connection,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// Opens (or creates, mode 0600) the state file.
    pub fn open(path: &Path) -> Result<Self, PersistError> {
        open_private(path).map_err(|source| PersistError::Create {
            path: path.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS sandbox_snapshot (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 saved_at TEXT NOT NULL,
                 json TEXT NOT NULL
             );",
        )?;
        Ok(Self { conn })
    }

    pub fn load(&self) -> Result<Option<Snapshot>, PersistError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM sandbox_snapshot WHERE id = 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let Some(json) = json else {
            return Ok(None);
        };
        let snapshot: Snapshot = serde_json::from_str(&json)?;
        if snapshot.version > SNAPSHOT_VERSION {
            return Err(PersistError::NewerVersion(snapshot.version));
        }
        Ok(Some(snapshot))
    }

    pub fn save(&mut self, snapshot: &Snapshot) -> Result<(), PersistError> {
        let json = serde_json::to_string(snapshot)?;
        let saved_at = chrono::Utc::now().to_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sandbox_snapshot (id, saved_at, json) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET saved_at = excluded.saved_at, json = excluded.json",
            params![saved_at, json],
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::tests::fresh;

    #[test]
    fn a_saved_snapshot_loads_back_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let (ledger, _) = fresh();
        let snapshot = Snapshot::new("id".into(), "secret".into(), ledger);
        {
            let mut store = Store::open(&path).unwrap();
            assert!(store.load().unwrap().is_none());
            store.save(&snapshot).unwrap();
            store.save(&snapshot).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.load().unwrap(), Some(snapshot));
    }

    #[cfg(unix)]
    #[test]
    fn the_state_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        Store::open(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn debug_hides_the_secret() {
        let (ledger, _) = fresh();
        let snapshot = Snapshot::new("id".into(), "hunter2".into(), ledger);
        assert!(!format!("{snapshot:?}").contains("hunter2"));
    }

    #[test]
    fn garbage_in_the_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        std::fs::write(&path, b"not a database at all, just some bytes").unwrap();
        assert!(Store::open(&path).is_err());
    }
}
