//! Clerk's screen tests, one binary: scripted checkouts through the real runtime, the event
//! loop, and snapshots of every screen.

mod tui_support;

mod customer_display;
mod tui_carts;
mod tui_cash;
mod tui_checkout;
mod tui_runtime;
mod tui_store;
mod tui_store_catalog;
mod ui_snapshots;
