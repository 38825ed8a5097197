//! The SQLite journal: every sale, payment attempt, refund, print job and business day,
//! written before the network is touched so no sale is lost or charged twice.
//!
//! `Journal` is synchronous and owns one connection; each mutation is one transaction,
//! committed before the call returns. Async code goes through [`JournalHandle`], which runs
//! the journal on its own thread.

mod backup;
mod drawer;
mod error;
mod export;
mod find;
mod handle;
mod held;
mod line_export;
mod lock;
mod other_tills;
mod outbox;
mod parked;
mod pin_tries;
#[cfg(test)]
mod price_override_tests;
mod print_queue;
mod receipt_facts;
mod refunds;
mod replica;
mod report;
mod returns;
mod rows;
mod sales;
mod schema;
mod staff;
mod tabs;
mod tenders;
#[cfg(test)]
mod test_support;
mod voids;

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};

pub use backup::{JournalMark, backup_journal, restore_journal};
pub use error::JournalError;
pub use export::{ExportedAttempt, ExportedSale};
pub use handle::JournalHandle;
pub use line_export::{CsvEncoding, LineExportFilter};
pub use lock::{JournalLock, LockError, LockHolder, label_this_process, lock_path};
pub use outbox::OutboxEvent;
pub use print_queue::{PrintJob, PrintJobState};
pub use refunds::RefundLink;
pub use regi_core::records::{
    AttemptRecord, BusinessDay, CashTender, CashTendered, CreatedAttempt, CreatedSale, EventRecord,
    LineRecord, RefundOutcome, RefundRecord, RefundState, SaleDetail, SaleFilter, SaleMeta,
    SaleState, SaleSummary, StartedRefund, UnresolvedAttempt, UnresolvedRefund,
};
pub use regi_core::records::{
    CashCount, CashSummary, DENOMINATIONS, DrawerMovement, DrawerRefusal, DrawerStatus,
    MovementKind,
};
pub use regi_core::records::{MethodTotals, PinFailures, RateTotals, Report, ReportKind, Totals};
pub use regi_core::records::{NewTab, TabCharge, TabRecord, TabState};
pub use regi_core::records::{ParkedCart, StaffOnDuty, StaffRole};
pub use regi_core::records::{ReturnRecord, TenderPart};
pub use replica::ReplicaRows;
pub use schema::SCHEMA_VERSION;
pub use tenders::CASH_PROVIDER;

/// The journal's file name inside the data directory.
pub const JOURNAL_FILE: &str = "journal.sqlite";

/// `DATA_DIR/journal.sqlite`, or `DATA_DIR/training/journal.sqlite` in training mode.
pub fn journal_path(data_dir: &Path, training: bool) -> PathBuf {
    if training {
        data_dir.join("training").join(JOURNAL_FILE)
    } else {
        data_dir.join(JOURNAL_FILE)
    }
}

/// Where the journal and the engine get the time of day; tests pass a fixed clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl<F: Fn() -> DateTime<Utc> + Send + Sync> Clock for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}

pub struct Journal {
    conn: Connection,
    clock: Box<dyn Clock>,
    path: PathBuf,
    /// Held by a journal open for writing: no other process may write it meanwhile.
    _lock: Option<JournalLock>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Journal {
    /// Opens (creating if needed) the journal at `path` for writing.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        Journal::open_with_clock(path, Box::new(SystemClock))
    }

    pub fn open_with_clock(path: &Path, clock: Box<dyn Clock>) -> Result<Journal, JournalError> {
        Journal::open_locked(path, clock).map_err(|e| e.refine(path))
    }

    /// Takes the journal's lock first: a second writer must not even migrate the file.
    fn open_locked(path: &Path, clock: Box<dyn Clock>) -> Result<Journal, JournalError> {
        ensure_private_dir(path)?;
        let lock = JournalLock::acquire(path).map_err(|error| match error {
            LockError::Held(holder) => JournalError::InUse {
                journal: path.to_path_buf(),
                holder,
            },
            LockError::Io(error) => error.into(),
        })?;
        ensure_private_file(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JournalError::Unwritable(format!(
                "{} cannot use write-ahead logging (got {mode})",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::migrate(&mut conn)?;
        staff::stamp_rows_with_staff_on_duty(&conn)?;
        Ok(Journal {
            conn,
            clock,
            path: path.to_path_buf(),
            _lock: Some(lock),
        })
    }

    /// Opens an existing journal for reading only (reports, exports), beside a register that may
    /// be writing it; writes fail as [`JournalError::Unwritable`]. Takes no lock.
    pub fn open_read_only(path: &Path) -> Result<Journal, JournalError> {
        if !path.exists() {
            return Err(JournalError::not_found("journal file", path.display()));
        }
        let conn = match read_only_connection(path, false) {
            Ok(conn) => conn,
            // With no write-ahead log to read, the file alone is the whole journal: it can be
            // read as it is even where SQLite cannot create its shared-memory file (a full disk).
            Err(_) if wal_is_empty(path) => read_only_connection(path, true)?,
            Err(error) => return Err(error),
        };
        Ok(Journal {
            conn,
            clock: Box::new(SystemClock),
            path: path.to_path_buf(),
            _lock: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Caps the file at `pages` database pages (or its current size, if larger), after which
    /// writes fail as [`JournalError::DiskFull`]. Used to rehearse a full disk.
    pub fn limit_size_pages(&self, pages: i64) -> Result<i64, JournalError> {
        Ok(self
            .conn
            .pragma_update_and_check(None, "max_page_count", pages, |row| row.get(0))?)
    }

    /// Makes every later write fail as an unwritable journal would (`PRAGMA query_only`), or
    /// lifts that. Used to rehearse a journal that stops taking writes while a payment is in
    /// flight.
    pub fn refuse_writes(&self, refuse: bool) -> Result<(), JournalError> {
        Ok(self.conn.pragma_update(None, "query_only", refuse)?)
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn now_text(&self) -> String {
        timestamp(self.now())
    }
}

/// How times are stored: UTC RFC 3339 with milliseconds, which sorts as text.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, JournalError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| JournalError::Corrupt(format!("bad timestamp {text:?}: {e}")))
}

pub use regi_core::records::local_time;

/// A read-only connection that has read the schema version; `immutable` reads the file as it is,
/// without the shared-memory index (only right when the write-ahead log is empty).
fn read_only_connection(path: &Path, immutable: bool) -> Result<Connection, JournalError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if immutable {
        let mut url = url::Url::from_file_path(path)
            .map_err(|()| JournalError::Other(format!("not a file path: {}", path.display())))?;
        url.set_query(Some("immutable=1"));
        Connection::open_with_flags(url.as_str(), flags | OpenFlags::SQLITE_OPEN_URI)?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    schema::require_current(&conn)?;
    Ok(conn)
}

/// True when the journal has no write-ahead log with content: every commit is in the file.
fn wal_is_empty(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).map_or(true, |m| m.len() == 0)
}

/// The journal's directory, private to its owner.
fn ensure_private_dir(path: &Path) -> Result<(), JournalError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    Ok(())
}

/// Creates the journal file readable by its owner only before SQLite touches it (SQLite
/// gives the -wal and -shm files the same mode), and tightens an existing file.
fn ensure_private_file(path: &Path) -> Result<(), JournalError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)?;
    let mode = file.metadata()?.permissions().mode() & 0o777;
    if mode != 0o600 {
        file.set_permissions(Permissions::from_mode(0o600))?;
    }
    Ok(())
}
