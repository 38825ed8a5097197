//! The runtime the till's store shipping runs on: threads of its own, below selling's CPU
//! priority, so a busy till (or a store server on the same machine) never slows a sale down for
//! the sake of copying it somewhere.
//!
//! Shipping is never urgent to the clerk: a sale is whole once its journal commit returns. On a
//! till whose cores are busy, the scheduler gives the thread that sells first call; the shipper
//! takes what is left, which on any till is plenty (it needs a few percent of one core).

use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle, Runtime};

/// How much lower than selling the shipping threads run (a Unix nice value, 0–19).
pub const NICENESS: i32 = 10;

/// The shared background runtime, started at first use and kept for the life of the process.
pub fn handle() -> Handle {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("regi-store-shipping")
                .on_thread_start(lower_priority)
                .enable_all()
                .build()
                .expect("the store shipping runtime starts")
        })
        .handle()
        .clone()
}

/// Sets the calling thread's CPU priority [`NICENESS`] below the process's main thread (on
/// Linux a nice value belongs to a thread, so the rest of the process keeps its own). Lowering
/// needs no privilege; where it fails the thread runs as it was, which only costs selling a
/// little time.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let target = (niceness_of(std::process::id() as libc::id_t) + NICENESS).min(19);
        // SAFETY: a plain system call on the calling thread's own id; no memory is shared.
        unsafe {
            let _ = libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, target);
        }
    }
}

/// The nice value of a thread of this process (the main thread's id is the process id).
#[cfg(target_os = "linux")]
fn niceness_of(thread: libc::id_t) -> i32 {
    // SAFETY: a plain system call; `getpriority` has no error value a nice value cannot be, so
    // a failure reads as 0, the usual priority.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, thread) }
}

/// The calling thread's nice value (Linux), for checking where work runs.
#[cfg(target_os = "linux")]
pub fn current_niceness() -> i32 {
    // SAFETY: `gettid` only returns the calling thread's id.
    niceness_of(unsafe { libc::gettid() } as libc::id_t)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn shipping_runs_below_the_priority_of_the_thread_that_sells() {
        let seller = niceness_of(std::process::id() as libc::id_t);
        let worker = handle()
            .block_on(async { handle().spawn(async { current_niceness() }).await })
            .expect("the task runs");
        let blocking = handle()
            .block_on(async { tokio::task::spawn_blocking(current_niceness).await })
            .expect("the blocking task runs");
        assert_eq!(worker, (seller + NICENESS).min(19));
        assert_eq!(blocking, (seller + NICENESS).min(19));
        assert_eq!(
            current_niceness(),
            seller,
            "the calling thread keeps its priority"
        );
    }
}
