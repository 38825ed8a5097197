//! A state file kept as a log: written whole once, then appended to after every change, each
//! append on disk before it returns and cut off again if it fails, so the file never keeps half
//! a write.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An owner-only file open for appending.
pub struct AppendLog {
    path: PathBuf,
    file: File,
    /// Length after the last complete write, to cut a failed one off.
    len: u64,
}

impl fmt::Debug for AppendLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppendLog")
            .field("path", &self.path)
            .finish()
    }
}

impl AppendLog {
    /// Replaces the file with `start` (atomically, see [`super::replace_private`]) and opens it
    /// for appending.
    pub fn create(path: &Path, start: &[u8]) -> io::Result<Self> {
        super::replace_private(path, start)?;
        let file = OpenOptions::new().append(true).open(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            len: start.len() as u64,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `bytes` and waits until they are on disk. A failed write is cut off again.
    pub fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        let written = self
            .file
            .write_all(bytes)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_follow_the_start_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        std::fs::write(&path, "stale\n").unwrap();
        let mut log = AppendLog::create(&path, b"head\n").unwrap();
        log.append(b"one\n").unwrap();
        log.append(b"").unwrap();
        log.append(b"two\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "head\none\ntwo\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
