//! The shared state behind every sandbox route: credentials, the ledger (behind one mutex, with
//! its optional on-disk store), the clock and the fault injector. Cheap to clone.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::call_checks::{CallChecks, SeenCallIds};
use super::clock::{Clock, SystemClock};
use super::cpm::random_cpm_token;
use super::errors::ApiError;
use super::faults::{FaultDecision, FaultInjector, FaultPlan};
use super::ledger::Ledger;
use super::persist::{PersistError, Snapshot, Store};
use regi_core::secret::Secret;
use regi_pokepay::codec::{EnvelopeKey, encode_base64url};
use regi_pokepay::wire::Timestamp;

/// How long a `timeout` fault holds its answer unless told otherwise.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(120);

/// How to build a sandbox.
#[derive(Clone)]
pub struct SandboxOptions {
    /// Fixes the credentials, the fixture ids and the fault sequence.
    pub seed: Option<u64>,
    pub faults: FaultPlan,
    /// Keep the ledger in this SQLite file across restarts.
    pub state_path: Option<PathBuf>,
    pub clock: Arc<dyn Clock>,
    /// How long a `timeout` fault holds the answer.
    pub hold: Duration,
    /// Whether stale timestamps and repeated call ids are refused, as the API does (`regi
    /// sandbox` does; off by default, for tests that send the published fixed vectors).
    pub call_checks: CallChecks,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            seed: None,
            faults: FaultPlan::default(),
            state_path: None,
            clock: Arc::new(SystemClock),
            hold: DEFAULT_HOLD,
            call_checks: CallChecks::OFF,
        }
    }
}

impl std::fmt::Debug for SandboxOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxOptions")
            .field("seed", &self.seed)
            .field("faults", &self.faults)
            .field("state_path", &self.state_path)
            .field("hold", &self.hold)
            .field("call_checks", &self.call_checks)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(transparent)]
    Persist(#[from] PersistError),
    #[error("the stored client secret is unusable")]
    BadStoredSecret,
    #[error("the sandbox listens on loopback only; {0} is not a loopback address")]
    NotLoopback(std::net::SocketAddr),
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
}

struct Books {
    ledger: Ledger,
    store: Option<Store>,
}

struct Inner {
    client_id: String,
    client_secret: Secret<String>,
    key: EnvelopeKey,
    books: Mutex<Books>,
    clock: Arc<dyn Clock>,
    faults: Mutex<FaultInjector>,
    token_rng: Mutex<StdRng>,
    hold: Duration,
    call_checks: CallChecks,
    seen_calls: Mutex<SeenCallIds>,
}

#[derive(Clone)]
pub struct SandboxState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SandboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxState")
            .field("client_id", &self.inner.client_id)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SandboxState {
    /// Builds the sandbox: from the state file when it holds a snapshot, else fresh fixtures
    /// (from the seed when there is one).
    pub fn new(options: SandboxOptions) -> Result<Self, SandboxError> {
        let mut rng = match options.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_rng(&mut rand::rng()),
        };
        let mut store = match &options.state_path {
            Some(path) => Some(Store::open(path)?),
            None => None,
        };
        let stored = match &store {
            Some(s) => s.load()?,
            None => None,
        };
        let snapshot = match stored {
            Some(mut snapshot) => {
                // A state file from before tabs gets the tab customers on its next change.
                snapshot.ledger.add_card_fixtures(options.clock.now());
                snapshot
            }
            None => {
                let client_id = seeded_uuid(&mut rng).to_string();
                let secret_bytes: [u8; 32] = rng.random();
                let ledger = Ledger::with_fixtures(|| seeded_uuid(&mut rng), options.clock.now());
                let snapshot = Snapshot::new(client_id, encode_base64url(&secret_bytes), ledger);
                if let Some(store) = store.as_mut() {
                    store.save(&snapshot)?;
                }
                snapshot
            }
        };
        let key = EnvelopeKey::from_client_secret(&snapshot.client_secret)
            .map_err(|_| SandboxError::BadStoredSecret)?;
        let fault_seed = rng.random();
        let token_seed = rng.random();
        Ok(Self {
            inner: Arc::new(Inner {
                client_id: snapshot.client_id,
                client_secret: Secret::new(snapshot.client_secret),
                key,
                books: Mutex::new(Books {
                    ledger: snapshot.ledger,
                    store,
                }),
                clock: options.clock,
                faults: Mutex::new(FaultInjector::new(options.faults, fault_seed)),
                token_rng: Mutex::new(StdRng::seed_from_u64(token_seed)),
                hold: options.hold,
                call_checks: options.call_checks,
                seen_calls: Mutex::new(SeenCallIds::default()),
            }),
        })
    }

    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    pub fn client_secret(&self) -> &Secret<String> {
        &self.inner.client_secret
    }

    pub fn key(&self) -> &EnvelopeKey {
        &self.inner.key
    }

    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    pub fn hold(&self) -> Duration {
        self.inner.hold
    }

    /// Refuses a call that is stale or was made before, when the sandbox checks that
    /// ([`SandboxOptions::call_checks`]).
    pub fn check_call(&self, timestamp: &str, partner_call_id: &str) -> Result<(), ApiError> {
        let checks = self.inner.call_checks;
        if checks == CallChecks::OFF {
            return Ok(());
        }
        lock(&self.inner.seen_calls).check(checks, timestamp, partner_call_id, self.now())
    }

    /// Reads the ledger.
    pub fn read<R>(&self, f: impl FnOnce(&Ledger) -> R) -> R {
        f(&lock(&self.inner.books).ledger)
    }

    /// Changes the ledger: `f` works on a draft at the current time; a changed draft is saved (when
    /// there is a state file) and only then becomes the ledger, so memory and disk never differ.
    pub fn mutate<R>(
        &self,
        f: impl FnOnce(&mut Ledger, Timestamp) -> R,
    ) -> Result<R, PersistError> {
        let now = self.now();
        let mut books = lock(&self.inner.books);
        let mut draft = books.ledger.clone();
        let result = f(&mut draft, now);
        if draft != books.ledger {
            if let Some(store) = books.store.as_mut() {
                let snapshot = Snapshot::new(
                    self.inner.client_id.clone(),
                    self.inner.client_secret.expose().clone(),
                    draft.clone(),
                );
                store.save(&snapshot)?;
            }
            books.ledger = draft;
        }
        Ok(result)
    }

    /// The fault (if any) to inject into the next Partner API call.
    pub fn decide_fault(&self) -> FaultDecision {
        lock(&self.inner.faults).decide()
    }

    pub fn faults(&self) -> FaultPlan {
        lock(&self.inner.faults).plan()
    }

    /// Changes the fault plan of a running sandbox (tests turn faults on and off).
    pub fn set_faults(&self, plan: FaultPlan) {
        lock(&self.inner.faults).set_plan(plan);
    }

    pub(crate) fn fresh_cpm_token(&self) -> String {
        random_cpm_token(&mut *lock(&self.inner.token_rng))
    }

    pub fn shop_id(&self) -> Uuid {
        self.read(|l| l.shops().next().map(|s| s.id).unwrap_or_default())
    }

    pub fn private_money_id(&self) -> Uuid {
        self.read(|l| l.money.id)
    }

    pub fn customer_names(&self) -> Vec<String> {
        self.read(|l| l.customers().map(|c| c.name.clone()).collect())
    }
}

fn seeded_uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{CUSTOMER_EMPTY, CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH};

    fn seeded(seed: u64) -> SandboxState {
        SandboxState::new(SandboxOptions {
            seed: Some(seed),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn a_seed_fixes_credentials_and_ids() {
        let (a, b, c) = (seeded(5), seeded(5), seeded(6));
        assert_eq!(a.client_id(), b.client_id());
        assert_eq!(a.client_secret().expose(), b.client_secret().expose());
        assert_eq!(a.shop_id(), b.shop_id());
        assert_eq!(a.private_money_id(), b.private_money_id());
        assert_ne!(a.client_id(), c.client_id());
        assert!(EnvelopeKey::from_client_secret(a.client_secret().expose()).is_ok());
        assert_eq!(
            a.customer_names(),
            vec![
                CUSTOMER_RICH,
                CUSTOMER_POOR,
                CUSTOMER_NO_WALLET,
                CUSTOMER_EMPTY,
                crate::CUSTOMER_CARD,
                crate::CUSTOMER_CARDLESS
            ]
        );
    }

    #[test]
    fn unseeded_sandboxes_differ() {
        let a = SandboxState::new(SandboxOptions::default()).unwrap();
        let b = SandboxState::new(SandboxOptions::default()).unwrap();
        assert_ne!(a.client_id(), b.client_id());
        assert!(!format!("{a:?}").contains(a.client_secret().expose()));
    }

    #[test]
    fn state_file_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let options = SandboxOptions {
            state_path: Some(dir.path().join("s.sqlite")),
            ..Default::default()
        };
        let first = SandboxState::new(options.clone()).unwrap();
        first
            .mutate(|l, _| l.money.name = "changed".into())
            .unwrap();
        let (id, secret) = (first.client_id().to_string(), first.client_secret().clone());
        drop(first);
        let second = SandboxState::new(options).unwrap();
        assert_eq!(second.client_id(), id);
        assert_eq!(second.client_secret(), &secret);
        assert_eq!(second.read(|l| l.money.name.clone()), "changed");
    }
}
