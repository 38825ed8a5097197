//! Client tests, one binary: regi's Partner API client against the Pokepay emulator, in every
//! envelope style the official SDKs use, for every operation, error and fault. (The command-line
//! and proxy tests, which run the `regi` binary, are in `crates/regi/tests/client`.)

mod common;

mod client_sandbox;
mod client_sandbox_cashtray;
mod client_sandbox_cpm;
mod client_sandbox_faults;
mod client_sandbox_freshness;
mod client_sandbox_routes;
mod client_sandbox_tabs;
mod client_sandbox_tls;
