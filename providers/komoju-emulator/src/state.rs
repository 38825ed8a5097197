//! The emulator's shared state: the ledger and the idempotency store behind one lock, the clock,
//! the fault injector, the secret key and the origin session URLs are built on. Every change goes
//! through one place (`change`, used by [`EmulatorState::mutate`] and by the API operations):
//! with a state file, the change is made on a copy, the records it touched (and an operation's
//! kept idempotent answer) are appended to the file, and only then does the copy replace the
//! ledger; when the file cannot be written, everything stays as it was and the call is a 503.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::Rng;
use regi_komoju::SecretKey;
use regi_komoju::wire::Timestamp;

use crate::clock::{Clock, komoju_now};
use crate::config::EmulatorConfig;
use crate::errors::ApiError;
use crate::faults::{FaultDecision, FaultInjector, FaultPlan};
use crate::idempotency::StoredAnswer;
use crate::idempotency::{Begin, IdempotencyStore};
use crate::ledger::Ledger;
use crate::ops::Ctx;
use crate::persist::{self, PersistError, Record, Saved, StateLog};

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(transparent)]
    Persist(#[from] PersistError),
    #[error("emulator socket error: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything that changes, under one lock.
#[derive(Debug, Default)]
pub(crate) struct Book {
    pub ledger: Ledger,
    pub idempotency: IdempotencyStore,
}

struct Shared {
    book: Mutex<Book>,
    secret_key: SecretKey,
    clock: Arc<dyn Clock>,
    faults: Mutex<FaultInjector>,
    hold: Duration,
    origin: Mutex<String>,
    /// Set from the configuration: the listener's address then never replaces it.
    fixed_origin: bool,
    max_connections: usize,
    state_file: Option<PathBuf>,
    log: Option<Mutex<StateLog>>,
    merchant_name: String,
}

/// A handle on one emulator; clones share it.
#[derive(Clone)]
pub struct EmulatorState {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for EmulatorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorState")
            .field("secret_key", &self.shared.secret_key)
            .field("state_file", &self.shared.state_file)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl EmulatorState {
    /// Builds the state, loading the state file when there is one and rewriting it compactly
    /// (with the key, so a restart answers to the same one).
    pub fn new(config: EmulatorConfig) -> Result<Self, EmulatorError> {
        let saved = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let (ledger, answers, kept_key) = match saved {
            Some(s) => (s.ledger, s.answers, Some(s.secret_key)),
            None => (Ledger::default(), HashMap::new(), None),
        };
        let secret_key = config
            .secret_key
            .or(kept_key)
            .unwrap_or_else(fresh_secret_key);
        let log = match &config.state_file {
            Some(path) => {
                let saved = Saved {
                    secret_key: secret_key.clone(),
                    ledger: ledger.clone(),
                    answers: answers.clone(),
                };
                Some(Mutex::new(StateLog::create(path, &saved)?))
            }
            None => None,
        };
        Ok(Self {
            shared: Arc::new(Shared {
                book: Mutex::new(Book {
                    ledger,
                    idempotency: IdempotencyStore::from_answers(answers),
                }),
                secret_key,
                clock: config.clock,
                faults: Mutex::new(FaultInjector::new(config.faults, config.seed)),
                hold: config.hold,
                origin: Mutex::new(
                    config
                        .public_base_url
                        .as_deref()
                        .map_or("http://127.0.0.1", |u| u.trim_end_matches('/'))
                        .to_string(),
                ),
                fixed_origin: config.public_base_url.is_some(),
                max_connections: config.max_connections.max(1),
                state_file: config.state_file,
                log,
                merchant_name: config.merchant_name,
            }),
        })
    }

    pub fn secret_key(&self) -> &SecretKey {
        &self.shared.secret_key
    }

    pub fn now(&self) -> Timestamp {
        komoju_now(self.shared.clock.as_ref())
    }

    pub fn merchant_name(&self) -> &str {
        &self.shared.merchant_name
    }

    /// `http://HOST:PORT`, the root session URLs are built on.
    pub fn origin(&self) -> String {
        lock(&self.shared.origin).clone()
    }

    /// Where the emulator listens, for session URLs (unless the configuration fixed them).
    pub(crate) fn listening_at(&self, origin: &str) {
        if !self.shared.fixed_origin {
            *lock(&self.shared.origin) = origin.trim_end_matches('/').to_string();
        }
    }

    pub(crate) fn max_connections(&self) -> usize {
        self.shared.max_connections
    }

    pub fn hold(&self) -> Duration {
        self.shared.hold
    }

    pub fn decide_fault(&self) -> FaultDecision {
        lock(&self.shared.faults).decide()
    }

    /// Changes the faults of a running emulator (tests, training mode).
    pub fn set_faults(&self, plan: FaultPlan) {
        lock(&self.shared.faults).set_plan(plan);
    }

    pub fn read<R>(&self, f: impl FnOnce(&Ledger) -> R) -> R {
        f(&lock(&self.shared.book).ledger)
    }

    /// Applies a change to the ledger; kept only when it succeeds and the state file (if any) took
    /// it.
    pub fn mutate<R>(
        &self,
        f: impl FnOnce(&mut Ledger, Timestamp) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        self.change(f, |_, _| None)
    }

    /// Runs one API operation under the lock and answers it; with an idempotency key, the answer
    /// is kept in the same write as the change it made, so a restart never finds one without
    /// the other.
    pub(crate) fn execute(
        &self,
        key: Option<(&str, String)>,
        f: impl FnOnce(&mut Ctx<'_>) -> Result<String, ApiError>,
    ) -> (u16, String) {
        let origin = self.origin();
        let merchant = self.merchant_name().to_string();
        let answered = self.change(
            |ledger, now| {
                let mut ctx = Ctx {
                    ledger,
                    now,
                    origin: &origin,
                    merchant: &merchant,
                };
                Ok(match f(&mut ctx) {
                    Ok(body) => (200, body),
                    Err(error) => (error.status, error.envelope_json()),
                })
            },
            |answer: &(u16, String), now| {
                let (key, fingerprint) = key.as_ref()?;
                let kept = StoredAnswer::kept(fingerprint.clone(), answer.0, answer.1.clone(), now);
                Some((key.to_string(), kept))
            },
        );
        answered.unwrap_or_else(|error| (error.status, error.envelope_json()))
    }

    /// The one place the ledger changes: on a copy when there is a state file, which must take
    /// the changed records (and the kept answer) before the copy replaces the ledger.
    fn change<R>(
        &self,
        f: impl FnOnce(&mut Ledger, Timestamp) -> Result<R, ApiError>,
        answer: impl FnOnce(&R, Timestamp) -> Option<(String, Option<StoredAnswer>)>,
    ) -> Result<R, ApiError> {
        let now = self.now();
        let mut book = lock(&self.shared.book);
        let Some(log) = &self.shared.log else {
            let result = f(&mut book.ledger, now)?;
            if let Some((key, kept)) = answer(&result, now) {
                book.idempotency.finish(&key, kept);
            }
            return Ok(result);
        };
        let mut changed = book.ledger.clone();
        let result = f(&mut changed, now)?;
        let mut records = persist::changes(&book.ledger, &changed);
        let answer = answer(&result, now);
        if let Some((key, Some(kept))) = &answer {
            records.push(Record::Answer {
                key: key.clone(),
                answer: kept.clone(),
            });
        }
        if let Err(e) = lock(log).append(&records) {
            tracing::error!("KOMOJU emulator state could not be saved: {e}");
            if let Some((key, _)) = &answer {
                book.idempotency.abandon(key);
            }
            return Err(ApiError::unavailable());
        }
        book.ledger = changed;
        if let Some((key, kept)) = answer {
            book.idempotency.finish(&key, kept);
        }
        Ok(result)
    }

    pub(crate) fn begin_idempotent(&self, key: &str, fingerprint: &str) -> Begin {
        let now = self.now();
        lock(&self.shared.book)
            .idempotency
            .begin(key, fingerprint, now)
    }

    pub(crate) fn abandon_idempotent(&self, key: &str) {
        lock(&self.shared.book).idempotency.abandon(key);
    }

    /// Test hook: `key` answers 409 "in progress" the next `conflicts` times it is used.
    pub fn occupy_idempotency_key(&self, key: &str, conflicts: u32) {
        lock(&self.shared.book).idempotency.occupy(key, conflicts);
    }
}

/// A test-mode key as KOMOJU issues them: `sk_test_` and random characters.
fn fresh_secret_key() -> SecretKey {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..24)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    SecretKey::new(format!("sk_test_{tail}"))
}
