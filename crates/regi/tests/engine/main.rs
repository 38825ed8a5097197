//! The real binary's journal under a second writer and a full disk (the engine's own flows are
//! tested in `crates/regi-engine/tests`).

#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod disk_full;
mod one_writer;
