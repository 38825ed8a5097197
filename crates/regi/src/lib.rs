//! regi — a checkout terminal for Japanese shops: the command line's subcommands and the wiring of
//! the libraries into a register (configuration, journal, providers, engine, till).
//!
//! `main.rs` and `cli.rs` parse the arguments; everything else in the workspace takes plain values.

pub mod commands;
pub mod config_file;
pub mod provider_names;
pub mod providers;
pub mod services;
pub mod setup;
