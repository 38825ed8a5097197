//! Copies of the journal: a backup taken with SQLite's online backup API (a consistent snapshot
//! even while the till sells, since it reads one transaction's view), and a restore that never
//! overwrites a journal holding events the copy lacks, and never while a till holds the journal.

use std::fs::OpenOptions;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::error::JournalError;
use super::lock::{JournalLock, LockError};
use super::{read_only_connection, schema};

/// What a journal holds, enough to tell which of two copies is newer: its events are
/// append-only and numbered, so the last one says how far it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalMark {
    pub sales: i64,
    /// The last event's number, time and kind; `None` for a journal with no event yet.
    pub last_event: Option<(i64, String, String)>,
}

impl JournalMark {
    fn of(conn: &Connection) -> Result<JournalMark, JournalError> {
        let sales = conn.query_row("SELECT COUNT(*) FROM sales", [], |r| r.get(0))?;
        let last_event = conn
            .query_row(
                "SELECT id, at, kind FROM events ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(JournalMark { sales, last_event })
    }

    fn last_id(&self) -> i64 {
        self.last_event.as_ref().map_or(0, |(id, _, _)| *id)
    }
}

/// Writes a consistent copy of the journal at `journal` to `to` (a file, or a directory to put
/// `journal-YYYYMMDD-HHMMSS.sqlite` in), readable by its owner only. Works beside a running till.
/// Returns the file written and what it holds.
pub fn backup_journal(journal: &Path, to: &Path) -> Result<(PathBuf, JournalMark), JournalError> {
    let source = read_only_connection(journal, false)?;
    let target = if to.is_dir() {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        to.join(format!("journal-{stamp}.sqlite"))
    } else {
        to.to_path_buf()
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Written beside the target and renamed over it, so a copy cut short never looks whole.
    let partial = tempfile::Builder::new()
        .prefix(".regi-backup-")
        .tempfile_in(dir)?;
    {
        let mut copy = Connection::open(partial.path())?;
        copy_whole(&source, &mut copy)?;
        // A backup is one self-contained file, with no write-ahead log beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(JournalError::Corrupt(check));
        }
    }
    partial.as_file().sync_all()?;
    let mark = JournalMark::of(&Connection::open_with_flags(
        partial.path(),
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?)?;
    // tempfile creates it 0600 already; said again since the backup holds every sale.
    set_owner_only(partial.path())?;
    partial
        .persist(&target)
        .map_err(|e| JournalError::Unwritable(format!("{}: {}", target.display(), e.error)))?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok((target, mark))
}

/// Replaces the journal at `journal` with the backup at `from`. Refused while another process
/// holds the journal (a till selling), and when the journal holds anything the backup lacks:
/// a newer journal, or one that went another way.
pub fn restore_journal(journal: &Path, from: &Path) -> Result<JournalMark, JournalError> {
    if let Some(dir) = journal.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let _lock = JournalLock::acquire(journal).map_err(|error| match error {
        LockError::Held(holder) => JournalError::InUse {
            journal: journal.to_path_buf(),
            holder,
        },
        LockError::Io(error) => error.into(),
    })?;
    if !from.is_file() {
        return Err(JournalError::not_found("backup file", from.display()));
    }
    let backup = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    schema::require_current(&backup)?;
    let theirs = JournalMark::of(&backup)?;
    if journal.exists() {
        let current = Connection::open(journal)?;
        if schema::schema_version(&current)? > 0 {
            let ours = JournalMark::of(&current)?;
            refuse_unless_backup_covers(&ours, &theirs, &backup)?;
        }
    }
    create_owner_only(journal)?;
    let mut target = Connection::open(journal)?;
    copy_whole(&backup, &mut target)?;
    target.pragma_update(None, "journal_mode", "WAL")?;
    Ok(theirs)
}

/// The journal may be replaced only by a copy holding all it holds: the copy's events go at
/// least as far, and the journal's last event is the same one in the copy.
fn refuse_unless_backup_covers(
    ours: &JournalMark,
    theirs: &JournalMark,
    backup: &Connection,
) -> Result<(), JournalError> {
    if ours.last_id() > theirs.last_id() {
        return Err(JournalError::Refused(format!(
            "the journal is newer than the backup (it holds {} sales and events up to #{}, the \
             backup {} sales up to #{}): nothing was restored",
            ours.sales,
            ours.last_id(),
            theirs.sales,
            theirs.last_id()
        )));
    }
    if let Some((id, at, kind)) = &ours.last_event {
        let same: Option<(String, String)> = backup
            .query_row("SELECT at, kind FROM events WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if same.as_ref() != Some(&(at.clone(), kind.clone())) {
            return Err(JournalError::Refused(format!(
                "the backup is not a copy of this journal (its event #{id} differs): nothing was \
                 restored"
            )));
        }
    }
    Ok(())
}

/// Copies every page of `from` into `to` in one backup step: one read transaction on `from`, so
/// one consistent view of it however the till writes meanwhile. A till holding a write lock a
/// moment makes the step busy; it is tried again, a bounded number of times.
fn copy_whole(from: &Connection, to: &mut Connection) -> Result<(), JournalError> {
    use rusqlite::backup::StepResult;
    let backup = Backup::new(from, to)?;
    for _ in 0..BUSY_TRIES {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(BUSY_PAUSE)
            }
            _ => std::thread::sleep(BUSY_PAUSE),
        }
    }
    Err(JournalError::Unwritable(
        "the journal stayed busy; try the backup again".into(),
    ))
}

const BUSY_TRIES: u32 = 200;
const BUSY_PAUSE: Duration = Duration::from_millis(50);

fn create_owner_only(path: &Path) -> Result<(), JournalError> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)?;
    set_owner_only(path)
}

fn set_owner_only(path: &Path) -> Result<(), JournalError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Journal, test_support};

    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_backup_taken_while_the_till_has_the_journal_open_holds_every_sale_and_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let mut till = Journal::open(&path).unwrap();
        test_support::sale(&mut till, 1_200);
        test_support::sale(&mut till, 800);
        let to = dir.path().join("copy.sqlite");
        let (written, mark) = backup_journal(&path, &to).unwrap();
        assert_eq!(written, to);
        assert_eq!(mark.sales, 2);
        assert_eq!(mode(&to), 0o600);
        let copy = Journal::open_read_only(&to).unwrap();
        assert_eq!(
            copy.list_sales(regi_core::records::SaleFilter::All)
                .unwrap()
                .len(),
            2
        );
        drop(till);
    }

    #[test]
    fn a_backup_into_a_directory_is_named_by_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        test_support::sale(&mut Journal::open(&path).unwrap(), 500);
        let backups = dir.path().join("backups");
        std::fs::create_dir(&backups).unwrap();
        let (written, _) = backup_journal(&path, &backups).unwrap();
        assert!(written.starts_with(&backups), "{written:?}");
        let name = written.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("journal-") && name.ends_with(".sqlite"),
            "{name}"
        );
    }

    #[test]
    fn restore_is_refused_while_a_till_holds_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let mut till = Journal::open(&path).unwrap();
        test_support::sale(&mut till, 500);
        let (copy, _) = backup_journal(&path, &dir.path().join("copy.sqlite")).unwrap();
        let err = restore_journal(&path, &copy).unwrap_err();
        assert!(matches!(err, JournalError::InUse { .. }), "{err:?}");
        drop(till);
        restore_journal(&path, &copy).unwrap();
    }

    #[test]
    fn restore_refuses_to_overwrite_a_journal_newer_than_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        test_support::sale(&mut Journal::open(&path).unwrap(), 500);
        let (copy, _) = backup_journal(&path, &dir.path().join("copy.sqlite")).unwrap();
        // Selling went on after the backup: its file may even be touched later, so only what
        // the files hold decides.
        test_support::sale(&mut Journal::open(&path).unwrap(), 700);
        let err = restore_journal(&path, &copy).unwrap_err();
        assert!(err.to_string().contains("newer than the backup"), "{err}");
        let journal = Journal::open_read_only(&path).unwrap();
        assert_eq!(
            journal
                .list_sales(regi_core::records::SaleFilter::All)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_lost_journal_comes_back_from_its_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        test_support::sale(&mut Journal::open(&path).unwrap(), 500);
        let (copy, _) = backup_journal(&path, &dir.path().join("copy.sqlite")).unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let mark = restore_journal(&path, &copy).unwrap();
        assert_eq!(mark.sales, 1);
        assert_eq!(mode(&path), 0o600);
        let journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal
                .list_sales(regi_core::records::SaleFilter::All)
                .unwrap()
                .len(),
            1
        );
    }

    struct FixedClock(&'static str);

    impl crate::Clock for FixedClock {
        fn now(&self) -> chrono::DateTime<chrono::Utc> {
            self.0.parse().unwrap()
        }
    }

    #[test]
    fn a_backup_of_another_journal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let clock = Box::new(FixedClock("2026-11-20T01:00:00Z"));
        test_support::sale(&mut Journal::open_with_clock(&path, clock).unwrap(), 500);
        let other = dir.path().join("other.sqlite");
        let clock = Box::new(FixedClock("2026-11-21T01:00:00Z"));
        let mut elsewhere = Journal::open_with_clock(&other, clock).unwrap();
        test_support::sale(&mut elsewhere, 900);
        test_support::sale(&mut elsewhere, 900);
        drop(elsewhere);
        let (copy, _) = backup_journal(&other, &dir.path().join("copy.sqlite")).unwrap();
        let err = restore_journal(&path, &copy).unwrap_err();
        assert!(err.to_string().contains("not a copy"), "{err}");
    }
}
