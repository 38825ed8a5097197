//! Sandbox tests, one binary: the built-in Partner API sandbox's routes, envelopes, ledger,
//! persistence, faults and connections, and `regi sandbox` as a process.

#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod sandbox_cli;
mod sandbox_connections;
mod sandbox_endpoints;
mod sandbox_envelope;
mod sandbox_faults;
mod sandbox_ledger;
mod sandbox_persist;
mod sandbox_routes;
mod sandbox_tabs_cli;
mod sandbox_tls;
