//! Logs go to `DATA_DIR/logs/regi.log.YYYY-MM-DD` (one file per day, the last 31 kept, each at
//! most [`DAILY_LOG_LIMIT`]), never to the terminal: the TUI owns the screen, and a stray log line
//! would corrupt it. The directory is 0700 and the files
//! 0600: a log names sales and customers. (The appender creates each day's file with the process
//! umask, which the binary sets to 0077 at start.)

use std::io;
use std::path::{Path, PathBuf};

pub use tracing_appender::non_blocking::WorkerGuard;

use super::log_cap::{CappedWriter, DAILY_LOG_LIMIT};
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
    regi_config::create_private_dir(&dir).map_err(|source| LoggingError::CreateDir {
        path: dir.clone(),
        source,
    })?;
    // A log left readable by others is no reason to log nothing: the failure is logged instead.
    let tightened = tighten(&dir);
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("regi.log")
        .max_log_files(31)
        .build(&dir)
        .map_err(|source| LoggingError::Open {
            path: dir.clone(),
            source,
        })?;
    // The appender rolls by UTC date; the cap counts the same days.
    let today = || chrono::Utc::now().date_naive();
    let already = std::fs::metadata(dir.join(format!("regi.log.{}", today().format("%Y-%m-%d"))))
        .map_or(0, |m| m.len());
    let capped = CappedWriter::new(appender, today, DAILY_LOG_LIMIT, already);
    let (writer, guard) = tracing_appender::non_blocking(capped);
    let filter = EnvFilter::try_from_env(LOG_FILTER_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|_| LoggingError::AlreadySet)?;
    if let Err(e) = tightened {
        tracing::warn!("cannot make the logs in {} owner-only: {e}", dir.display());
    }
    Ok(guard)
}

/// Makes the log directory and the files already in it (perhaps written by an earlier version
/// with a wider mode) readable by their owner only.
fn tighten(dir: &Path) -> io::Result<()> {
    regi_config::make_owner_only(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            regi_config::make_owner_only(&entry.path())?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_log_directory_and_earlier_logs_become_owner_only() {
        let data = tempfile::tempdir().unwrap();
        let dir = log_dir(data.path());
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let old = dir.join("regi.log.2026-12-01");
        std::fs::write(&old, b"x").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        tighten(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&old), 0o600);
    }
}
