//! Logs go to `DATA_DIR/logs/regi.log.YYYY-MM-DD` (one file per day), never to the terminal: the TUI
//! owns the screen, and a stray log line would corrupt it.

use std::io;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Environment variable holding a `tracing` filter, e.g. `REGI_LOG=regi=debug`.
pub const LOG_FILTER_ENV: &str = "REGI_LOG";

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("cannot create the log directory {path}: {source}")]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot open the log file in {path}: {source}")]
    Open {
        path: PathBuf,
        source: tracing_appender::rolling::InitError,
    },
    #[error("logging was already set up")]
    AlreadySet,
}

/// The directory logs are written to.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Sends `tracing` output to a daily file under the data dir. Keep the returned guard alive for the
/// life of the process: dropping it flushes the last lines.
pub fn init_file_logging(data_dir: &Path) -> Result<WorkerGuard, LoggingError> {
    let dir = log_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|source| LoggingError::CreateDir {
        path: dir.clone(),
        source,
    })?;
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("regi.log")
        .max_log_files(31)
        .build(&dir)
        .map_err(|source| LoggingError::Open {
            path: dir.clone(),
            source,
        })?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env(LOG_FILTER_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|_| LoggingError::AlreadySet)?;
    Ok(guard)
}
