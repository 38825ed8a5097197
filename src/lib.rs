//! regi — a checkout terminal for Pokepay QR payments with ESC/POS receipts.
//!
//! The library holds everything but the command line: `main.rs` and `cli.rs` (the binary) parse
//! the arguments and hand plain options to the library.

pub mod app;
pub mod bench;
pub mod config;
pub mod domain;
pub mod engine;
pub mod gateway;
pub mod journal;
pub mod pokepay;
pub mod printer;
pub mod receipts;
pub mod runtime;
pub mod sandbox;
pub mod scanner;
pub mod secret;
pub mod setup;
pub mod ui;
