//! Keeping the emulator across restarts: the ledger, the kept idempotent answers and the secret
//! key as one JSON snapshot, rewritten after every change by writing a sibling file and renaming
//! it over the old one (a crash leaves the old or the new snapshot, never half of one). The file
//! is created readable by its owner only: it holds the secret key.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use regi_komoju::SecretKey;
use serde::{Deserialize, Serialize};

use crate::idempotency::StoredAnswer;
use crate::ledger::Ledger;

const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("cannot read the state file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the state file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the state file {path} holds an unreadable snapshot: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("the state file {path} was written by a newer version (snapshot version {version})")]
    NewerVersion { path: PathBuf, version: u32 },
}

/// Everything the emulator needs to come back as it was.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub secret_key: SecretKey,
    pub ledger: Ledger,
    pub idempotency: HashMap<String, StoredAnswer>,
}

impl Snapshot {
    pub fn new(
        secret_key: SecretKey,
        ledger: Ledger,
        idempotency: HashMap<String, StoredAnswer>,
    ) -> Self {
        Self {
            version: SNAPSHOT_VERSION,
            secret_key,
            ledger,
            idempotency,
        }
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("version", &self.version)
            .field("secret_key", &self.secret_key)
            .field("sessions", &self.ledger.sessions.len())
            .field("payments", &self.ledger.payments.len())
            .finish()
    }
}

/// Reads the snapshot; `None` when the file does not exist yet.
pub fn load(path: &Path) -> Result<Option<Snapshot>, PersistError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(PersistError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let snapshot: Snapshot =
        serde_json::from_str(&text).map_err(|source| PersistError::Corrupt {
            path: path.to_path_buf(),
            source,
        })?;
    if snapshot.version > SNAPSHOT_VERSION {
        return Err(PersistError::NewerVersion {
            path: path.to_path_buf(),
            version: snapshot.version,
        });
    }
    Ok(Some(snapshot))
}

/// Replaces the snapshot.
pub fn save(path: &Path, snapshot: &Snapshot) -> Result<(), PersistError> {
    let failed = |source| PersistError::Write {
        path: path.to_path_buf(),
        source,
    };
    let json = serde_json::to_vec(snapshot).map_err(|e| failed(std::io::Error::other(e)))?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut file = create_private(&temporary).map_err(failed)?;
    file.write_all(&json).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(failed)
}

/// Creates (or empties) a file only its owner can read.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // A file that existed keeps its mode through `open`: tighten it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_snapshot_loads_back_and_the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("komoju.json");
        assert!(load(&path).unwrap().is_none());
        let snapshot = Snapshot::new(
            SecretKey::new("sk_test_x"),
            Ledger::default(),
            HashMap::new(),
        );
        save(&path, &snapshot).unwrap();
        save(&path, &snapshot).unwrap();
        assert_eq!(load(&path).unwrap(), Some(snapshot.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{snapshot:?}").contains("sk_test_x"));
    }

    #[test]
    fn garbage_in_the_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("komoju.json");
        std::fs::write(&path, b"not json").unwrap();
        assert!(matches!(load(&path), Err(PersistError::Corrupt { .. })));
    }
}
