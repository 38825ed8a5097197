//! Store mode: the journal's outbox shipped to a shared PostgreSQL, and reports over every till.
//!
//! The journal never depends on this crate: a register without `[store]` is whole without it.
//! Here live the store's schema (`migrate`), how a terminal reaches the database (`target`),
//! the background shipper (`shipper`, on a runtime below selling's priority: `background`), and what the store reads back (`status`, `report`,
//! `export`), the store's one catalog (`catalog`, and `catalog_changes` for a till that hears
//! of a new one while it runs), and returns at any till (`returns`).

pub mod background;
pub mod catalog;
pub mod catalog_changes;
mod error;
pub mod export;
pub mod migrate;
pub mod report;
pub mod returns;
pub mod shipper;
pub mod status;
mod target;

pub use error::StoreError;
pub use migrate::{STORE_SCHEMA_VERSION, migrate, require_current};
pub use report::{StoreReport, TerminalReport, close_store_day, store_report, sum_reports};
pub use shipper::{ShipOutcome, Shipper, ShipperStatus};
pub use status::{TerminalStatus, store_status};
pub use target::{StoreTarget, read_password_file};
