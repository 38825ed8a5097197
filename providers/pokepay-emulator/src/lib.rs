//! The sandbox: a local emulator of the Pokepay Partner API for training mode and tests.
//!
//! It speaks the real wire protocol (every envelope style the official SDKs send), keeps a
//! ledger with a shop and customers (`rich`, `poor`, `nowallet`, `empty`, and `card` and
//! `cardless` for tabs), honours cashtray, CPM token and CreditSession (tab) rules, `request_id`
//! idempotency and refunds, can inject faults deterministically, and can keep its ledger in
//! SQLite across restarts. It only ever listens on loopback.
//!
//! - [`router`] for in-process tests (`tower::ServiceExt::oneshot`),
//! - [`serve`] for a bound listener with a shutdown future,
//! - [`start_loopback`] for "give me a running sandbox on 127.0.0.1:0".

pub mod call_checks;
pub mod cards;
pub mod cashtrays;
pub mod cpm;
pub mod credit_sessions;
pub mod customer;
pub mod customer_client;
pub mod envelope;
pub mod errors;
pub mod faults;
pub mod ledger;
pub mod listing;
pub mod ops;
pub mod params;
pub mod persist;
pub mod routes;
pub mod server;
pub mod state;
pub mod tls;
pub mod views;
pub mod write_config;

// The machinery every emulator shares, under the names this crate always had.
pub use regi_emulator_kit::clock;
pub use regi_emulator_kit::server::{backoff, limits};

pub use call_checks::CallChecks;
pub use cards::{CUSTOMER_CARD, CUSTOMER_CARDLESS};
pub use clock::{Clock, ManualClock, SystemClock};
pub use customer::{CustomerBalance, CustomerError};
pub use customer_client::CustomerClient;
pub use errors::{ApiError, Lang};
pub use faults::{FaultPlan, FaultSpecError};
pub use ledger::{
    CUSTOMER_EMPTY, CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH, CpmScope, Strategy,
};
pub use limits::ServerSettings;
pub use routes::router;
pub use server::{RunningSandbox, serve, serve_with, start_loopback, start_on, start_on_with};
pub use state::{SandboxError, SandboxOptions, SandboxState};
