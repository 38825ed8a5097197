//! regi — a checkout terminal for Pokepay QR payments with ESC/POS receipts.
//!
//! The library holds everything; `main.rs` only parses the command line and hands over.

pub mod cli;
pub mod pokepay;
pub mod scanner;
pub mod secret;
