//! Everything an emulator is started with, as plain values (the command line that fills them lives
//! in the binary): the account's key, faults and their seed, the state file, the clock and the
//! lifetimes of charges and held answers.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use regi_elepay::SecretKey;

use crate::clock::{Clock, SystemClock};
use crate::faults::FaultPlan;

#[derive(Clone)]
pub struct EmulatorConfig {
    /// The account's secret key; a fresh `sk_test_…` when none is given (or the one saved in the
    /// state file).
    pub secret_key: Option<SecretKey>,
    /// The `appId` every object carries.
    pub app_id: String,
    pub faults: FaultPlan,
    /// Seeds the fault draws: the same seed and calls give the same faults.
    pub seed: u64,
    /// Where the ledger is kept across restarts (created 0600); none keeps it in memory.
    pub state_file: Option<PathBuf>,
    pub clock: Arc<dyn Clock>,
    /// How long a charge waits for its customer (its `expiryTime`).
    pub charge_expiry: Duration,
    /// How long the `timeout` fault holds an answer before closing the connection.
    pub hold: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            secret_key: None,
            app_id: "app_emulator".into(),
            faults: FaultPlan::default(),
            seed: 0,
            state_file: None,
            clock: Arc::new(SystemClock),
            charge_expiry: Duration::from_secs(10 * 60),
            hold: Duration::from_secs(120),
        }
    }
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("secret_key", &self.secret_key)
            .field("app_id", &self.app_id)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("state_file", &self.state_file)
            .field("charge_expiry", &self.charge_expiry)
            .field("hold", &self.hold)
            .finish_non_exhaustive()
    }
}
