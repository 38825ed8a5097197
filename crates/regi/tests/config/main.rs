//! Configuration tests, one binary: the config file and its fuzzing, the PIN commands and the
//! data directory's permissions.

#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod config;
mod data_dir_privacy;
mod fuzz_config;
mod pin_cli;
mod provider_tables;
