//! An elepay API emulator for regi's training mode and tests. It speaks elepay's wire protocol
//! faithfully enough for elepay's official Python SDK: the routes of the shared endpoint table,
//! camelCase JSON with epoch-millisecond times and `application/json;charset=utf-8`, 201 on
//! creates, Basic and Bearer keys, and refusals in elepay's `{code, message}` shape.
//!
//! Beyond the API it has what tests and a training till need: a customer side on loopback only
//! ([`customer::pay`]: captured or held as the charge asked; a poor customer fails and the
//! charge stays pending), charge and code expiry read from an injectable [`Clock`] (a
//! [`ManualClock`] in tests), deterministic faults ([`FaultPlan`] with a seed), a state file
//! (0600), `GET /_sandbox/transactions`, and the regi `[elepay]` table that points at it
//! ([`render_regi_config`]). Nothing here parses arguments: the binary fills [`EmulatorConfig`].

mod auth;
pub mod config;
pub mod customer;
mod errors;
pub mod faults;
mod json;
pub mod ledger;
mod listing;
pub mod persist;
pub mod regi_config;
mod routes;
mod sandbox_routes;
mod server;
mod state;
pub mod transactions;
mod views;

// The clock every emulator shares, under the name this crate always had.
pub use regi_emulator_kit::clock;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::EmulatorConfig;
pub use errors::ApiError;
pub use faults::{FaultOutcome, FaultPlan, FaultSpecError};
pub use regi_config::{render_regi_config, write_regi_config};
pub use regi_emulator_kit::ConnectionKill;
pub use routes::router;
pub use sandbox_routes::PayRequest;
pub use server::{RunningEmulator, serve, start_loopback, start_on};
pub use state::{EmulatorError, EmulatorState};
