//! The machinery every payment emulator shares, and the one place it lives: each provider's
//! emulator (`providers/*-emulator`) keeps only its wire protocol, its ledger and how a fault
//! looks on its wire, and takes the rest from here:
//!
//! - [`clock`]: the clock every expiry reads, the machine's and a manual one for tests;
//! - [`faults`]: the `--fault` plan (`drop`, `unavailable`, `timeout`, `latency`), its seeded
//!   draw per request, and carrying a draw out around one call;
//! - [`server`]: [`serve`] on a bound listener until a shutdown future completes, with a
//!   connection cap, a header and idle watchdog, accept backoff and the open-file limit;
//! - [`persist`]: owner-only state files, replaced atomically or appended to;
//! - [`loopback`]: customer-side routes only for peers on this machine, listeners only on
//!   loopback.

pub mod clock;
pub mod faults;
pub mod loopback;
pub mod persist;
pub mod server;

pub use clock::{Clock, ManualClock, SystemClock};
pub use faults::{FaultDecision, FaultInjector, FaultOutcome, FaultPlan, FaultSpecError};
pub use server::{ConnectionKill, PeerAddr, ServerSettings, serve, serve_with};
