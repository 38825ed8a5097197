//! What can go wrong in store mode, in words a manager can act on. Never carries a password:
//! the driver's errors name the server and the failure, not the credentials.

use regi_journal::JournalError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `[store]` is missing something or holds something unusable.
    #[error("[store] {0}")]
    Settings(String),
    /// PostgreSQL could not be reached or refused a statement.
    #[error("PostgreSQL: {0}")]
    Database(String),
    #[error("journal: {0}")]
    Journal(#[from] JournalError),
    /// The journal and the store disagree about what was shipped (a journal restored from an
    /// older backup): shipping stops rather than overwrite anything.
    #[error("{0}")]
    Diverged(String),
    /// Refused by a rule of the store (a Z with events not yet shipped).
    #[error("{0}")]
    Refused(String),
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        // The database's own message, when it sent one, says more than the wrapper.
        let text = match error.as_db_error() {
            Some(db) => db.message().to_string(),
            None => error.to_string(),
        };
        StoreError::Database(text)
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        match error {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => StoreError::Database(other.to_string()),
        }
    }
}
