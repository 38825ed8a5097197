//! Engine tests, one binary: checkouts through the engine against the sandbox, their faults,
//! and the real binary's journal under a second writer and a full disk.

#[path = "../engine_harness/mod.rs"]
mod engine_harness;
#[path = "../envelope_style/mod.rs"]
mod envelope_style;
#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod disk_full;
mod engine_faults;
mod engine_flows;
mod one_writer;
mod providers;
