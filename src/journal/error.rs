//! Journal errors, classified by what the clerk can do about them.

use rusqlite::ErrorCode;
use thiserror::Error;

use crate::domain::InvalidTransition;

#[derive(Debug, Error)]
pub enum JournalError {
    /// `SQLITE_FULL` or `ENOSPC`: nothing more can be recorded.
    #[error("journal disk is full: {0}")]
    DiskFull(String),
    /// Read-only file or file system, permissions, an unusable path, a write I/O error.
    #[error("journal is not writable: {0}")]
    Unwritable(String),
    #[error("journal file is damaged: {0}")]
    Corrupt(String),
    #[error("journal schema {found} is newer than this regi understands ({supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("{what} {id} not found in the journal")]
    NotFound { what: &'static str, id: String },
    /// The request contradicts what the journal already holds (e.g. a second Z report).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Transition(#[from] InvalidTransition),
    /// The journal writer thread has stopped.
    #[error("the journal writer has stopped")]
    WriterGone,
    #[error("journal error: {0}")]
    Other(String),
}

impl JournalError {
    /// True when selling must stop: the next sale could not be recorded.
    pub fn stops_selling(&self) -> bool {
        matches!(
            self,
            JournalError::DiskFull(_)
                | JournalError::Unwritable(_)
                | JournalError::Corrupt(_)
                | JournalError::TooNew { .. }
                | JournalError::WriterGone
        )
    }

    /// A short message for the clerk, in Japanese.
    pub fn clerk_message_ja(&self) -> &'static str {
        match self {
            JournalError::DiskFull(_) => {
                "ジャーナルに書き込めません（ディスクがいっぱいです）。販売を続けられません。"
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
            JournalError::Refused(_) | JournalError::Transition(_) => "この操作はできません。",
            JournalError::Other(_) => "ジャーナルでエラーが起きました。",
        }
    }

    /// A short message for the clerk, in English.
    pub fn clerk_message_en(&self) -> &'static str {
        match self {
            JournalError::DiskFull(_) => {
                "Cannot write the journal (disk full). Selling is stopped."
            }
            JournalError::Unwritable(_) => {
                "Cannot write the journal (read-only). Selling is stopped."
            }
            JournalError::Corrupt(_) => "The journal is damaged. Selling is stopped.",
            JournalError::TooNew { .. } => {
                "The journal was written by a newer regi. Selling is stopped."
            }
            JournalError::WriterGone => "The journal has stopped. Selling is stopped.",
            JournalError::NotFound { .. } => "No such record.",
            JournalError::Refused(_) | JournalError::Transition(_) => "This cannot be done now.",
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
        assert!(full.clerk_message_en().contains("disk full"));
        assert!(!JournalError::Refused(String::new()).stops_selling());
    }
}
