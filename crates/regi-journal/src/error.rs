//! Journal errors, classified by what the clerk can do about them.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;
use thiserror::Error;

use super::lock::LockHolder;
use regi_core::domain::InvalidTransition;
use regi_core::records::DrawerRefusal;

/// Below this much free space, a failed write is taken for a full disk whatever SQLite called it
/// (a write of the WAL index that hits ENOSPC comes back as a plain I/O error).
const NEARLY_FULL_BYTES: u64 = 512 * 1024;

#[derive(Debug, Error)]
pub enum JournalError {
    /// `SQLITE_FULL` or `ENOSPC`: nothing more can be recorded.
    #[error(
        "the disk holding the journal is full: nothing more can be recorded. Everything recorded \
         so far is kept. Free some disk space; selling resumes once the journal can be written"
    )]
    DiskFull(String),
    /// Read-only file or file system, permissions, an unusable path, a write I/O error.
    #[error("journal is not writable: {0}")]
    Unwritable(String),
    #[error("journal file is damaged: {0}")]
    Corrupt(String),
    #[error("journal schema {found} is newer than this regi understands ({supported})")]
    TooNew { found: i64, supported: i64 },
    /// Another process has the journal open for writing: one register process per journal.
    #[error(
        "another regi ({holder}) is using this journal; only one register can use a journal at a \
         time, so close that one first (reading commands such as `regi journal list` still work)"
    )]
    InUse {
        journal: PathBuf,
        holder: LockHolder,
    },
    #[error("{what} {id} not found in the journal")]
    NotFound { what: &'static str, id: String },
    /// The request contradicts what the journal already holds (e.g. a second Z report).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Transition(#[from] InvalidTransition),
    /// A drawer movement the clerk must correct (a second float, a paid-out beyond the cash).
    #[error(transparent)]
    Drawer(#[from] DrawerRefusal),
    /// The journal writer thread has stopped.
    #[error("the journal writer has stopped")]
    WriterGone,
    #[error("journal error: {0}")]
    Other(String),
}

impl JournalError {
    /// The disk holding the journal is full (rather than the file being unwritable).
    pub fn is_disk_full(&self) -> bool {
        matches!(self, JournalError::DiskFull(_))
    }

    /// True when selling must stop: the next sale could not be recorded.
    pub fn stops_selling(&self) -> bool {
        matches!(
            self,
            JournalError::DiskFull(_)
                | JournalError::Unwritable(_)
                | JournalError::Corrupt(_)
                | JournalError::TooNew { .. }
                | JournalError::InUse { .. }
                | JournalError::WriterGone
        )
    }

    /// True when the same write may succeed later without anyone changing regi: the disk was
    /// full or the file could not be written, and space or access may come back.
    pub fn may_pass(&self) -> bool {
        matches!(
            self,
            JournalError::DiskFull(_) | JournalError::Unwritable(_)
        )
    }

    /// A write error of the journal at `path`, told apart as a full disk when the file system
    /// holding it is (nearly) out of space.
    pub(crate) fn refine(self, path: &Path) -> Self {
        match self {
            JournalError::Unwritable(text) if disk_nearly_full(path) => {
                JournalError::DiskFull(text)
            }
            other => other,
        }
    }

    /// A short message for the clerk, in Japanese.
    pub fn clerk_message_ja(&self) -> &'static str {
        match self {
            JournalError::DiskFull(_) => {
                "ディスクがいっぱいで、ジャーナルに記録できません。記録済みの売上はすべて保存されています。空き容量を作ってください。書き込めるようになるまで販売は止まります。"
            }
            JournalError::InUse { .. } => {
                "別の regi がこのジャーナルを使用中です。そちらを終了してください。"
            }
            JournalError::Unwritable(_) => {
                "ジャーナルに書き込めません（書き込み禁止です）。販売を続けられません。"
            }
            JournalError::Corrupt(_) => "ジャーナルが破損しています。販売を続けられません。",
            JournalError::TooNew { .. } => {
                "ジャーナルが新しい版の regi で作られています。販売を続けられません。"
            }
            JournalError::WriterGone => "ジャーナルが停止しました。販売を続けられません。",
            JournalError::NotFound { .. } => "記録が見つかりません。",
            JournalError::Refused(_) | JournalError::Transition(_) | JournalError::Drawer(_) => {
                "この操作はできません。"
            }
            JournalError::Other(_) => "ジャーナルでエラーが起きました。",
        }
    }

    /// A short message for the clerk, in English.
    pub fn clerk_message_en(&self) -> &'static str {
        match self {
            JournalError::DiskFull(_) => {
                "Disk full: the journal cannot record anything. Everything recorded so far is kept. Free some disk space; selling is stopped until the journal can be written."
            }
            JournalError::InUse { .. } => "Another regi is using this journal. Close it first.",
            JournalError::Unwritable(_) => {
                "Cannot write the journal (read-only). Selling is stopped."
            }
            JournalError::Corrupt(_) => "The journal is damaged. Selling is stopped.",
            JournalError::TooNew { .. } => {
                "The journal was written by a newer regi. Selling is stopped."
            }
            JournalError::WriterGone => "The journal has stopped. Selling is stopped.",
            JournalError::NotFound { .. } => "No such record.",
            JournalError::Refused(_) | JournalError::Transition(_) | JournalError::Drawer(_) => {
                "This cannot be done now."
            }
            JournalError::Other(_) => "A journal error occurred.",
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        JournalError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

/// Whether the file system holding `path` has almost no space left for an unprivileged writer.
fn disk_nearly_full(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    nix::sys::statvfs::statvfs(dir).is_ok_and(|fs| {
        fs.blocks_available().saturating_mul(fs.fragment_size()) < NEARLY_FULL_BYTES
    })
}

impl From<rusqlite::Error> for JournalError {
    fn from(err: rusqlite::Error) -> Self {
        let text = err.to_string();
        match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => JournalError::DiskFull(text),
            Some(
                ErrorCode::ReadOnly
                | ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::SystemIoFailure
                | ErrorCode::FileLockingProtocolFailed,
            ) => JournalError::Unwritable(text),
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                JournalError::Corrupt(text)
            }
            _ => JournalError::Other(text),
        }
    }
}

impl From<std::io::Error> for JournalError {
    fn from(err: std::io::Error) -> Self {
        use std::io::ErrorKind;
        let text = err.to_string();
        match err.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => JournalError::DiskFull(text),
            // Permissions, a read-only file system, a path through a regular file, ...:
            // whatever the cause, the journal cannot be written.
            _ => JournalError::Unwritable(text),
        }
    }
}

impl From<serde_json::Error> for JournalError {
    fn from(err: serde_json::Error) -> Self {
        JournalError::Other(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn sqlite_codes_are_classified() {
        assert!(matches!(
            JournalError::from(sqlite(rusqlite::ffi::SQLITE_FULL)),
            JournalError::DiskFull(_)
        ));
        assert!(matches!(
            JournalError::from(sqlite(rusqlite::ffi::SQLITE_READONLY)),
            JournalError::Unwritable(_)
        ));
        assert!(matches!(
            JournalError::from(sqlite(rusqlite::ffi::SQLITE_CORRUPT)),
            JournalError::Corrupt(_)
        ));
        assert!(matches!(
            JournalError::from(sqlite(rusqlite::ffi::SQLITE_NOTADB)),
            JournalError::Corrupt(_)
        ));
        assert!(matches!(
            JournalError::from(sqlite(rusqlite::ffi::SQLITE_CONSTRAINT)),
            JournalError::Other(_)
        ));
    }

    #[test]
    fn io_errors_are_classified() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(matches!(
            JournalError::from(full),
            JournalError::DiskFull(_)
        ));
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(matches!(
            JournalError::from(denied),
            JournalError::Unwritable(_)
        ));
    }

    #[test]
    fn storage_errors_stop_selling_with_a_message() {
        let full = JournalError::DiskFull(String::new());
        assert!(full.stops_selling());
        assert!(full.clerk_message_ja().contains("ディスクがいっぱい"));
        assert!(full.clerk_message_en().to_lowercase().contains("disk full"));
        assert!(!JournalError::Refused(String::new()).stops_selling());
    }
}
