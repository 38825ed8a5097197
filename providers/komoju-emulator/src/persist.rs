//! Keeping the emulator across restarts (its state file): a log of JSON lines, owner-only since
//! it holds the secret key. The first line holds the format version and the key; each further
//! line is a session, payment or kept idempotent answer as it became, the last line for an id
//! winning. A change appends only what it touched (one line or two, then `fsync`), so a long run
//! does not rewrite its whole history on every call; opening the file rewrites it compactly
//! (one line per record, through a sibling file renamed over it); the file handling is the
//! emulator kit's (`regi_emulator_kit::persist`). A torn last line, left by a crash in the
//! middle of a write, is ignored; anything else unreadable is an error.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use regi_emulator_kit::persist::AppendLog;
use regi_komoju::SecretKey;
use serde::{Deserialize, Serialize};

use crate::idempotency::StoredAnswer;
use crate::ledger::{Ledger, PaymentRecord, SessionRecord};

const FORMAT_VERSION: u32 = 1;

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
    #[error("the state file {path} is unreadable at line {line}: {reason}")]
    Corrupt {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("the state file {path} was written by a newer version (format {version})")]
    NewerVersion { path: PathBuf, version: u32 },
}

#[derive(Serialize, Deserialize)]
struct Header {
    version: u32,
    secret_key: SecretKey,
}

/// One line after the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    Session(SessionRecord),
    Payment(PaymentRecord),
    Answer { key: String, answer: StoredAnswer },
}

/// What a state file holds.
#[derive(Clone, PartialEq)]
pub struct Saved {
    pub secret_key: SecretKey,
    pub ledger: Ledger,
    pub answers: HashMap<String, StoredAnswer>,
}

impl fmt::Debug for Saved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Saved")
            .field("secret_key", &self.secret_key)
            .field("sessions", &self.ledger.sessions.len())
            .field("payments", &self.ledger.payments.len())
            .field("answers", &self.answers.len())
            .finish()
    }
}

impl Saved {
    fn apply(&mut self, record: Record) {
        match record {
            Record::Session(session) => {
                match self.ledger.sessions.iter_mut().find(|s| s.id == session.id) {
                    Some(kept) => *kept = session,
                    None => self.ledger.sessions.push(session),
                }
            }
            Record::Payment(payment) => {
                match self.ledger.payments.iter_mut().find(|p| p.id == payment.id) {
                    Some(kept) => *kept = payment,
                    None => self.ledger.payments.push(payment),
                }
            }
            Record::Answer { key, answer } => {
                self.answers.insert(key, answer);
            }
        }
    }
}

/// Reads the state file; `None` when it does not exist yet.
pub fn load(path: &Path) -> Result<Option<Saved>, PersistError> {
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
    let corrupt = |line: usize, reason: String| PersistError::Corrupt {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, first)) = lines.next() else {
        return Err(corrupt(1, "the file is empty".into()));
    };
    let header: Header = serde_json::from_str(first).map_err(|e| corrupt(1, e.to_string()))?;
    if header.version > FORMAT_VERSION {
        return Err(PersistError::NewerVersion {
            path: path.to_path_buf(),
            version: header.version,
        });
    }
    let mut saved = Saved {
        secret_key: header.secret_key,
        ledger: Ledger::default(),
        answers: HashMap::new(),
    };
    let rest: Vec<_> = lines.collect();
    let last = rest.len().saturating_sub(1);
    for (position, (index, line)) in rest.into_iter().enumerate() {
        match serde_json::from_str::<Record>(line) {
            Ok(record) => saved.apply(record),
            Err(_) if position == last && !text.ends_with('\n') => {
                tracing::warn!(
                    "ignoring the torn last line of the KOMOJU emulator state file {}",
                    path.display()
                );
            }
            Err(e) => return Err(corrupt(index + 1, e.to_string())),
        }
    }
    Ok(Some(saved))
}

/// The open state file, appended to after every change.
pub struct StateLog {
    log: AppendLog,
}

impl fmt::Debug for StateLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateLog")
            .field("path", &self.log.path())
            .finish()
    }
}

impl StateLog {
    /// Writes `saved` compactly as the whole file and opens it for appending.
    pub fn create(path: &Path, saved: &Saved) -> Result<Self, PersistError> {
        let failed = |source| PersistError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut text = line(&Header {
            version: FORMAT_VERSION,
            secret_key: saved.secret_key.clone(),
        })
        .map_err(failed)?;
        for session in &saved.ledger.sessions {
            text.push_str(&line(&Record::Session(session.clone())).map_err(failed)?);
        }
        for payment in &saved.ledger.payments {
            text.push_str(&line(&Record::Payment(payment.clone())).map_err(failed)?);
        }
        for (key, answer) in &saved.answers {
            let record = Record::Answer {
                key: key.clone(),
                answer: answer.clone(),
            };
            text.push_str(&line(&record).map_err(failed)?);
        }
        let log = AppendLog::create(path, text.as_bytes()).map_err(failed)?;
        Ok(Self { log })
    }

    /// Appends the records and waits until they are on disk. A failed write is cut off again,
    /// so the file never keeps half a line.
    pub fn append(&mut self, records: &[Record]) -> Result<(), PersistError> {
        let path = self.log.path().to_path_buf();
        let failed = |source| PersistError::Write { path, source };
        let mut text = String::new();
        for record in records {
            match line(record) {
                Ok(line) => text.push_str(&line),
                Err(source) => return Err(failed(source)),
            }
        }
        self.log.append(text.as_bytes()).map_err(failed)
    }
}

/// The records `after` holds that `before` did not hold the same: sessions and payments are
/// only ever appended or changed in place, so comparing by position finds them.
pub fn changes(before: &Ledger, after: &Ledger) -> Vec<Record> {
    let sessions = after
        .sessions
        .iter()
        .enumerate()
        .filter(|(i, s)| before.sessions.get(*i) != Some(s))
        .map(|(_, s)| Record::Session(s.clone()));
    let payments = after
        .payments
        .iter()
        .enumerate()
        .filter(|(i, p)| before.payments.get(*i) != Some(p))
        .map(|(_, p)| Record::Payment(p.clone()));
    sessions.chain(payments).collect()
}

fn line<T: Serialize>(value: &T) -> std::io::Result<String> {
    let mut text = serde_json::to_string(value).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    use crate::clock::{SystemClock, komoju_now};
    use crate::ledger::tests::new_session;
    use regi_komoju::wire::CaptureMode;

    fn saved_with_one_session() -> Saved {
        let mut ledger = Ledger::default();
        ledger.create_session(
            new_session(100, CaptureMode::Auto),
            "s1".into(),
            komoju_now(&SystemClock),
        );
        Saved {
            secret_key: SecretKey::new("sk_test_x"),
            ledger,
            answers: HashMap::new(),
        }
    }

    #[test]
    fn appended_changes_load_back_with_the_last_line_winning_and_the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("komoju.jsonl");
        assert!(load(&path).unwrap().is_none());
        let saved = saved_with_one_session();
        let mut log = StateLog::create(&path, &saved).unwrap();
        let mut after = saved.ledger.clone();
        after
            .cancel_session("s1", komoju_now(&SystemClock))
            .unwrap();
        let records = changes(&saved.ledger, &after);
        assert_eq!(records.len(), 1);
        log.append(&records).unwrap();
        let loaded = load(&path).unwrap().unwrap();
        assert_eq!(loaded.ledger, after);
        assert_eq!(loaded.secret_key, saved.secret_key);
        assert!(!format!("{loaded:?}").contains("sk_test_x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_torn_last_line_is_ignored_but_garbage_before_it_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("komoju.jsonl");
        let saved = saved_with_one_session();
        StateLog::create(&path, &saved).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{\"session\":{\"id\":\"s2\"").unwrap();
        assert_eq!(load(&path).unwrap().unwrap().ledger, saved.ledger);
        file.write_all(b"\n{}\n").unwrap();
        assert!(matches!(load(&path), Err(PersistError::Corrupt { .. })));
        std::fs::write(&path, b"not json").unwrap();
        assert!(matches!(
            load(&path),
            Err(PersistError::Corrupt { line: 1, .. })
        ));
    }
}
