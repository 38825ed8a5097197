//! Keeping the emulator across restarts: the ledger and the account's key as one JSON snapshot,
//! rewritten after every change through a temporary file and a rename, so a crash leaves the old
//! snapshot or the new one. The file is the owner's only (0600, its directory 0700 when created
//! here, by `regi_emulator_kit::persist`): it holds the secret key.

use std::fs;
use std::path::{Path, PathBuf};

use regi_elepay::SecretKey;
use regi_emulator_kit::persist::{replace_private, tighten};
use serde::{Deserialize, Serialize};

use crate::ledger::Ledger;

const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("cannot read or write the state file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the state file {path} holds no readable emulator state: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("the state file {path} was written by a newer version (snapshot {version})")]
    NewerVersion { path: PathBuf, version: u32 },
}

/// Everything the emulator needs to come back as it was.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub secret_key: SecretKey,
    pub ledger: Ledger,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("version", &self.version)
            .field("secret_key", &self.secret_key)
            .field("charges", &self.ledger.charges.len())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    pub fn new(secret_key: SecretKey, ledger: Ledger) -> Self {
        Self {
            version: SNAPSHOT_VERSION,
            secret_key,
            ledger,
        }
    }
}

/// The state file.
#[derive(Debug, Clone)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> PersistError {
        PersistError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// The saved snapshot, or `None` when there is no file yet.
    pub fn load(&self) -> Result<Option<Snapshot>, PersistError> {
        let text = match fs::read(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        // A file copied in with looser permissions is tightened: it holds the key.
        tighten(&self.path).map_err(|e| self.io(e))?;
        let snapshot: Snapshot =
            serde_json::from_slice(&text).map_err(|source| PersistError::Corrupt {
                path: self.path.clone(),
                source,
            })?;
        if snapshot.version > SNAPSHOT_VERSION {
            return Err(PersistError::NewerVersion {
                path: self.path.clone(),
                version: snapshot.version,
            });
        }
        Ok(Some(snapshot))
    }

    pub fn save(&self, snapshot: &Snapshot) -> Result<(), PersistError> {
        let json = serde_json::to_vec(snapshot).map_err(|source| PersistError::Corrupt {
            path: self.path.clone(),
            source,
        })?;
        replace_private(&self.path, &json).map_err(|e| self.io(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_saved_snapshot_comes_back_and_only_its_owner_can_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("sub").join("elepay.json"));
        assert!(file.load().unwrap().is_none());
        let snapshot = Snapshot::new(SecretKey::new("sk_test_x"), Ledger::default());
        file.save(&snapshot).unwrap();
        assert_eq!(file.load().unwrap(), Some(snapshot.clone()));
        let mode = fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(file.path().parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        assert!(!format!("{snapshot:?}").contains("sk_test_x"));
    }

    #[test]
    fn an_unreadable_state_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("elepay.json");
        fs::write(&path, b"not json").unwrap();
        let err = StateFile::new(&path).load().unwrap_err();
        assert!(matches!(err, PersistError::Corrupt { .. }));
        assert_eq!(fs::read(&path).unwrap(), b"not json");
    }
}
