//! One writer per journal: an exclusive OS lock (`flock`) on `journal.lock` beside the journal,
//! taken before migrations or recovery and released by the kernel when the process ends, however
//! it ends. A second process that would write the same journal (a second till, a `regi checkout`
//! beside a running till) is refused at once and told who holds it; readers do not take it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Held for as long as the journal is open for writing.
#[derive(Debug)]
pub struct JournalLock {
    /// Keeping the file open keeps the lock.
    _file: File,
    path: PathBuf,
}

/// The process that holds a journal's lock, as it described itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    pub pid: Option<u32>,
    /// The program and subcommand, e.g. `regi checkout`; never its arguments (a customer code
    /// may be one).
    pub command: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "pid {pid}, {}", self.command),
            None => f.write_str(&self.command),
        }
    }
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it.
    Held(LockHolder),
    /// The lock file cannot be opened (permissions, a full disk, a symlink in its place).
    Io(std::io::Error),
}

/// `DATA_DIR/journal.lock` for `DATA_DIR/journal.sqlite`.
pub fn lock_path(journal: &Path) -> PathBuf {
    journal.with_extension("lock")
}

impl JournalLock {
    /// Takes the journal's lock without waiting, or says which process holds it.
    pub fn acquire(journal: &Path) -> Result<JournalLock, LockError> {
        let path = lock_path(journal);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(LockError::Held(read_holder(&mut file))),
            Err(TryLockError::Error(error)) => return Err(LockError::Io(error)),
        }
        // Who holds it, for the next process's message. Not writing it (a full disk) does not
        // weaken the lock itself.
        let _ = describe_self(&mut file);
        Ok(JournalLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn describe_self(file: &mut File) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(file, "{}\n{}", std::process::id(), own_command())?;
    file.sync_data()
}

/// How this process describes itself to one it keeps out, e.g. `regi checkout`.
static PROCESS_LABEL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Names this process in the journal locks it takes (the binary says which command it runs; its
/// arguments are never recorded, a customer code may be one). The first label given stays.
pub fn label_this_process(label: impl Into<String>) {
    let _ = PROCESS_LABEL.set(label.into());
}

/// The label given, else the program's file name.
fn own_command() -> String {
    if let Some(label) = PROCESS_LABEL.get() {
        return label.clone();
    }
    std::env::args()
        .next()
        .map(|p| {
            Path::new(&p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(p)
        })
        .unwrap_or_else(|| "regi".into())
}

fn read_holder(file: &mut File) -> LockHolder {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    let mut lines = text.lines();
    let pid = lines.next().and_then(|l| l.trim().parse().ok());
    let command = lines
        .next()
        .map(|l| l.trim().chars().take(80).collect::<String>())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "regi".into());
    LockHolder { pid, command }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_journal_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.sqlite");
        let first = JournalLock::acquire(&journal).unwrap();
        let err = JournalLock::acquire(&journal).unwrap_err();
        let LockError::Held(holder) = &err else {
            panic!("{err:?}");
        };
        assert_eq!(holder.pid, Some(std::process::id()));
        assert!(
            holder.to_string().contains(&std::process::id().to_string()),
            "{holder}"
        );
        drop(first);
        JournalLock::acquire(&journal).expect("free again once the holder is gone");
    }

    #[test]
    fn the_lock_file_is_private_and_beside_the_journal() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let lock = JournalLock::acquire(&dir.path().join("journal.sqlite")).unwrap();
        assert_eq!(lock.path(), dir.path().join("journal.lock"));
        let mode = std::fs::metadata(lock.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_symlinked_lock_file_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("journal.lock")).unwrap();
        assert!(JournalLock::acquire(&dir.path().join("journal.sqlite")).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}
