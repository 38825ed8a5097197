//! regi — a checkout terminal for Pokepay QR payments with ESC/POS receipts.
//!
//! The library holds everything; `main.rs` only parses the command line and hands over.

pub mod bench;
pub mod cli;
pub mod config;
pub mod domain;
pub mod engine;
pub mod gateway;
pub mod journal;
pub mod pokepay;
pub mod printer;
pub mod sandbox;
pub mod scanner;
pub mod secret;
pub mod setup;
