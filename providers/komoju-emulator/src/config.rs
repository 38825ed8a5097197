//! How an emulator is set up: key, faults and their seed, state file, clock. Filled by the
//! caller (the future `regi sandbox --provider komoju`, training mode, tests); nothing here parses
//! arguments.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use regi_komoju::SecretKey;

use crate::clock::{Clock, SystemClock};
use crate::faults::FaultPlan;

#[derive(Clone)]
pub struct EmulatorConfig {
    /// `None`: the key kept in the state file, else a fresh `sk_test_…`.
    pub secret_key: Option<SecretKey>,
    pub faults: FaultPlan,
    /// Makes the faults repeat run after run.
    pub seed: u64,
    /// Where to keep everything across restarts (created owner-only).
    pub state_file: Option<PathBuf>,
    pub clock: Arc<dyn Clock>,
    /// How long a `timeout` fault holds its answer.
    pub hold: Duration,
    /// `merchant.name` on every session and the hosted page.
    pub merchant_name: String,
    /// The root session URLs are built on (e.g. `http://192.168.1.10:4010` for phones on the
    /// shop's network); `None` for the address the emulator listens on.
    pub public_base_url: Option<String>,
    /// Connections served at once; further clients wait in the listen queue until one closes,
    /// so running short of file descriptors does not stop the emulator answering those it has.
    pub max_connections: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            secret_key: None,
            faults: FaultPlan::default(),
            seed: 0,
            state_file: None,
            clock: Arc::new(SystemClock),
            hold: Duration::from_secs(120),
            merchant_name: "regi emulator shop".to_string(),
            public_base_url: None,
            max_connections: 512,
        }
    }
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("secret_key", &self.secret_key)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("state_file", &self.state_file)
            .field("hold", &self.hold)
            .field("merchant_name", &self.merchant_name)
            .field("public_base_url", &self.public_base_url)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}
