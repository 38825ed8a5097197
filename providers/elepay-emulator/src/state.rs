//! The emulator's shared state: the ledger behind one lock, the fault injector, the clock and the
//! state file. Every change is saved before its answer leaves, so an answer never reports what a
//! restart would forget.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::Rng;
use regi_elepay::SecretKey;

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::errors::ApiError;
use crate::faults::{FaultDecision, FaultInjector, FaultPlan};
use crate::ledger::Ledger;
use crate::persist::{PersistError, Snapshot, StateFile};

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(transparent)]
    Persist(#[from] PersistError),
    #[error("the emulator only listens on this machine (127.0.0.1, ::1), not on {0}")]
    NotLoopback(std::net::SocketAddr),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

/// A handle on one emulator's state; clones share it.
#[derive(Clone)]
pub struct EmulatorState {
    shared: Arc<Shared>,
}

struct Shared {
    secret_key: SecretKey,
    app_id: String,
    clock: Arc<dyn Clock>,
    charge_expiry_ms: i64,
    hold: Duration,
    state_file: Option<StateFile>,
    inner: Mutex<Inner>,
}

struct Inner {
    ledger: Ledger,
    faults: FaultInjector,
}

impl std::fmt::Debug for EmulatorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorState")
            .field("app_id", &self.shared.app_id)
            .field("secret_key", &self.shared.secret_key)
            .finish_non_exhaustive()
    }
}

impl EmulatorState {
    /// Builds the state, loading the state file when there is one. A saved key wins over a
    /// generated one, so configurations written earlier keep working.
    pub fn new(config: EmulatorConfig) -> Result<Self, EmulatorError> {
        let state_file = config.state_file.map(StateFile::new);
        let saved = match &state_file {
            Some(file) => file.load()?,
            None => None,
        };
        let (secret_key, ledger) = match saved {
            Some(snapshot) => (
                config.secret_key.unwrap_or(snapshot.secret_key),
                snapshot.ledger,
            ),
            None => (
                config.secret_key.unwrap_or_else(generate_key),
                Ledger::default(),
            ),
        };
        let state = Self {
            shared: Arc::new(Shared {
                secret_key,
                app_id: config.app_id,
                clock: config.clock,
                charge_expiry_ms: i64::try_from(config.charge_expiry.as_millis())
                    .unwrap_or(i64::MAX),
                hold: config.hold,
                state_file,
                inner: Mutex::new(Inner {
                    ledger,
                    faults: FaultInjector::new(config.faults, config.seed),
                }),
            }),
        };
        state.save(&state.lock().ledger)?;
        Ok(state)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn save(&self, ledger: &Ledger) -> Result<(), PersistError> {
        match &self.shared.state_file {
            Some(file) => file.save(&Snapshot::new(
                self.shared.secret_key.clone(),
                ledger.clone(),
            )),
            None => Ok(()),
        }
    }

    pub fn secret_key(&self) -> &SecretKey {
        &self.shared.secret_key
    }

    pub fn app_id(&self) -> &str {
        &self.shared.app_id
    }

    pub fn now(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    pub fn charge_expiry_ms(&self) -> i64 {
        self.shared.charge_expiry_ms
    }

    pub fn hold(&self) -> Duration {
        self.shared.hold
    }

    /// Reads the ledger.
    pub fn read<R>(&self, f: impl FnOnce(&Ledger, i64) -> R) -> R {
        let now = self.now();
        f(&self.lock().ledger, now)
    }

    /// Changes the ledger and saves it. A change that cannot be saved is answered 500: it stands
    /// in memory, so the caller must treat the outcome as unknown.
    pub fn write<R, E: From<ApiError>>(
        &self,
        f: impl FnOnce(&mut Ledger, i64) -> Result<R, E>,
    ) -> Result<R, E> {
        let now = self.now();
        let mut inner = self.lock();
        let result = f(&mut inner.ledger, now)?;
        if let Err(e) = self.save(&inner.ledger) {
            tracing::error!("elepay emulator: {e}");
            return Err(ApiError::not_saved().into());
        }
        Ok(result)
    }

    pub fn decide_fault(&self) -> FaultDecision {
        self.lock().faults.decide()
    }

    pub fn fault_plan(&self) -> FaultPlan {
        self.lock().faults.plan()
    }

    /// Changes the faults of a running emulator (the seeded draws go on).
    pub fn set_fault_plan(&self, plan: FaultPlan) {
        self.lock().faults.set_plan(plan);
    }

    /// A copy of the whole ledger.
    pub fn ledger(&self) -> Ledger {
        self.lock().ledger.clone()
    }
}

/// A fresh test key: `sk_test_` and 32 random hex digits.
fn generate_key() -> SecretKey {
    let mut rng = rand::rng();
    let hex: String = (0..32)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect();
    SecretKey::new(format!("sk_test_{hex}"))
}
