//! The emulator's shared state: the ledger and the idempotency store behind one lock, the clock,
//! the fault injector, the secret key and the origin session URLs are built on. Every change goes
//! through [`EmulatorState::mutate`], which writes the state file before the change is seen, and
//! leaves everything as it was when the file cannot be written.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::Rng;
use regi_komoju::SecretKey;
use regi_komoju::wire::Timestamp;

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::errors::ApiError;
use crate::faults::{FaultDecision, FaultInjector, FaultPlan};
use crate::idempotency::{Begin, IdempotencyStore};
use crate::ledger::Ledger;
use crate::persist::{self, PersistError, Snapshot};

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(transparent)]
    Persist(#[from] PersistError),
    #[error("emulator socket error: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything that changes, under one lock.
#[derive(Debug, Clone, Default)]
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
    /// Builds the state, loading the state file when there is one.
    pub fn new(config: EmulatorConfig) -> Result<Self, EmulatorError> {
        let snapshot = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let (book, kept_key) = match snapshot {
            Some(s) => (
                Book {
                    ledger: s.ledger,
                    idempotency: IdempotencyStore::from_answers(s.idempotency),
                },
                Some(s.secret_key),
            ),
            None => (Book::default(), None),
        };
        let secret_key = config
            .secret_key
            .or(kept_key)
            .unwrap_or_else(fresh_secret_key);
        let state = Self {
            shared: Arc::new(Shared {
                book: Mutex::new(book),
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
                merchant_name: config.merchant_name,
            }),
        };
        // Write the key down at once, so a restart answers to the same one.
        if let Some(path) = &state.shared.state_file {
            persist::save(path, &state.snapshot(&lock(&state.shared.book)))?;
        }
        Ok(state)
    }

    pub fn secret_key(&self) -> &SecretKey {
        &self.shared.secret_key
    }

    pub fn now(&self) -> Timestamp {
        self.shared.clock.now()
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

    /// Applies a change to the ledger; kept only when it succeeds and the state file (if any) was
    /// written.
    pub fn mutate<R>(
        &self,
        f: impl FnOnce(&mut Ledger, Timestamp) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let now = self.now();
        self.change_book(|book| f(&mut book.ledger, now))
    }

    fn change_book<R>(
        &self,
        f: impl FnOnce(&mut Book) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut book = lock(&self.shared.book);
        let Some(path) = &self.shared.state_file else {
            return f(&mut book);
        };
        let mut changed = book.clone();
        let result = f(&mut changed)?;
        if let Err(e) = persist::save(path, &self.snapshot(&changed)) {
            tracing::error!("KOMOJU emulator state could not be saved: {e}");
            return Err(ApiError::unavailable());
        }
        *book = changed;
        Ok(result)
    }

    fn snapshot(&self, book: &Book) -> Snapshot {
        Snapshot::new(
            self.shared.secret_key.clone(),
            book.ledger.clone(),
            book.idempotency.answers(),
        )
    }

    pub(crate) fn begin_idempotent(&self, key: &str, fingerprint: &str) -> Begin {
        let now = self.now();
        lock(&self.shared.book)
            .idempotency
            .begin(key, fingerprint, now)
    }

    pub(crate) fn finish_idempotent(
        &self,
        key: &str,
        fingerprint: String,
        status: u16,
        body: String,
    ) {
        let now = self.now();
        let kept = self.change_book(|book| {
            book.idempotency.finish(key, fingerprint, status, body, now);
            Ok(())
        });
        if kept.is_err() {
            lock(&self.shared.book).idempotency.abandon(key);
        }
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
