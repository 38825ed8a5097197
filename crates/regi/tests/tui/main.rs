//! Clerk's screen tests, one binary: scripted checkouts through the real runtime, the event
//! loop, and snapshots of every screen.

#[path = "../engine_harness/mod.rs"]
mod engine_harness;
mod tui_support;

mod tui_checkout;
mod tui_runtime;
mod ui_snapshots;
