//! A local emulator of KOMOJU's hosted-page payments, for training mode and tests: the Sessions
//! and Payments API under `/api/v1` with KOMOJU's JSON shapes (the client crate's wire types and
//! endpoint table, so both sides agree by construction), Basic auth with a secret key,
//! `X-KOMOJU-IDEMPOTENCY`, KOMOJU's error envelope; a real HTML hosted page at each
//! `session_url`, and `POST /sessions/{id}/pay` paying a session through the API as the page
//! does; a customer side for scripts (`/_sandbox`, loopback peers only, and
//! [`customer::pay`]); session expiry on an injectable clock; capture, cancel and refunds with
//! balances; faults deterministic under a seed; and a state file kept across restarts.
//!
//! - [`router`] for in-process use, [`serve`] for a bound listener and a shutdown future,
//!   [`start`] for "a running emulator on 127.0.0.1:0";
//! - [`EmulatorConfig`] says how it is set up; [`render_regi_config`] writes the `[komoju]` table
//!   a regi configuration needs to use it.

mod api;
pub mod clock;
pub mod config;
pub mod customer;
pub mod errors;
pub mod faults;
mod hosted_page;
pub mod idempotency;
pub mod ids;
pub mod ledger;
mod ops;
mod params;
pub mod persist;
pub mod regi_config;
mod requests;
mod server;
pub mod session_pay;
pub mod state;
pub mod transactions;
mod views;

use axum::Router;
use axum::routing::get;

pub use api::API_PREFIX;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::EmulatorConfig;
pub use errors::ApiError;
pub use faults::{FaultPlan, FaultSpecError};
pub use ledger::{CUSTOMER_POOR, CUSTOMER_RICH};
pub use regi_config::{render_regi_config, write_private};
pub use server::{RunningEmulator, serve, start, start_on};
pub use state::{EmulatorError, EmulatorState};
pub use transactions::TransactionRow;

/// The whole emulator as an axum router: `/api/v1/…`, the hosted pages at `/sessions/{id}`, and
/// the customer side under `/_sandbox`.
pub fn router(state: EmulatorState) -> Router {
    Router::new()
        .route(
            "/sessions/{id}",
            get(hosted_page::show).post(hosted_page::submit),
        )
        .nest("/_sandbox", customer::routes())
        .fallback(api::handle)
        .with_state(state)
}
