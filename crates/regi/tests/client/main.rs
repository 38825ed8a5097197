//! Client tests, one binary: regi's Partner API client against the built-in sandbox (directly,
//! through a proxy, from the command line) and fuzzed envelopes and wire types. The scripted-server
//! tests of `pokepay_client` stay a binary of their own: one of them installs a tracing subscriber
//! and needs every other test of its process to stay off the logging call sites meanwhile.

mod common;
#[path = "../envelope_style/mod.rs"]
mod envelope_style;
#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod client_proxy;
mod client_sandbox;
mod client_sandbox_cashtray;
mod client_sandbox_cli;
mod client_sandbox_cpm;
mod client_sandbox_faults;
mod fuzz_envelope;
mod fuzz_wire;
