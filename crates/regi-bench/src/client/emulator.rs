//! The runtime an in-process emulator serves on: one worker thread of its own, so the server
//! neither shares the timed runtime's workers nor waits for them (as a `regi sandbox` child
//! process serves Pokepay on one thread).

use anyhow::Context;

pub fn server_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("emulator")
        .enable_all()
        .build()
        .context("cannot start the emulator's runtime")
}
