//! How long an emulator waits for a client and how many clients it serves at once, so slow or
//! idle clients cannot hold its sockets, and running out of file descriptors does not stop it
//! answering the clients it has.

use std::time::Duration;

/// Descriptors kept free for what is not a client socket: stdio, the listener, the runtime's
/// epoll and wake-up descriptors, the SQLite ledger and its journal.
const RESERVED_DESCRIPTORS: u64 = 32;
/// The cap when the descriptor limit cannot be read or is unlimited.
const FALLBACK_MAX_CONNECTIONS: usize = 1024;
const CEILING_MAX_CONNECTIONS: usize = 65_536;

/// Connection limits of one emulator server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerSettings {
    /// From the first byte of a request until its whole head has arrived.
    pub header_timeout: Duration,
    /// A keep-alive connection with no request for this long is closed. Longer than regi's
    /// client keeps an unused connection (30 s), so the client drops it first and never sends a
    /// payment on a connection the emulator is closing.
    pub idle_timeout: Duration,
    /// Connections served at once; further clients wait in the listen queue until one closes.
    pub max_connections: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(40),
            max_connections: connections_for(open_file_limit()),
        }
    }
}

/// As many connections as the descriptor limit leaves room for.
fn connections_for(limit: Option<u64>) -> usize {
    match limit {
        Some(limit) => usize::try_from(limit.saturating_sub(RESERVED_DESCRIPTORS))
            .unwrap_or(CEILING_MAX_CONNECTIONS)
            .clamp(1, CEILING_MAX_CONNECTIONS),
        None => FALLBACK_MAX_CONNECTIONS,
    }
}

/// The soft limit on open files; `None` when unlimited or unknown.
#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let (soft, _hard) = rlimit_nofile()?;
    // `rlim_t` is not u64 on every Unix.
    #[allow(clippy::unnecessary_cast)]
    (soft != libc::RLIM_INFINITY).then_some(soft as u64)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

#[cfg(unix)]
fn rlimit_nofile() -> Option<(libc::rlim_t, libc::rlim_t)> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    ok.then_some((limit.rlim_cur, limit.rlim_max))
}

/// Raises this process's soft limit on open files to its hard limit (the soft default, often
/// 1024, is lower than the number of terminals an emulator is meant to serve). Best effort.
#[cfg(unix)]
pub fn raise_open_file_limit() {
    let Some((soft, hard)) = rlimit_nofile() else {
        return;
    };
    if soft >= hard {
        return;
    }
    let raised = libc::rlimit {
        rlim_cur: hard,
        rlim_max: hard,
    };
    // SAFETY: setrlimit only reads the struct it is given.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        tracing::debug!("cannot raise the open file limit from {soft} to {hard}");
    }
}

#[cfg(not(unix))]
pub fn raise_open_file_limit() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_leaves_descriptors_for_the_rest_of_the_process() {
        assert_eq!(connections_for(Some(64)), 32);
        assert_eq!(connections_for(Some(20_000)), 19_968);
        // Never zero: one connection is still served under an absurdly low limit.
        assert_eq!(connections_for(Some(10)), 1);
        assert_eq!(connections_for(Some(u64::MAX)), CEILING_MAX_CONNECTIONS);
        assert_eq!(connections_for(None), FALLBACK_MAX_CONNECTIONS);
    }

    #[test]
    fn default_timeouts_let_a_client_keep_its_connection_longer_than_regi_does() {
        let settings = ServerSettings::default();
        assert_eq!(settings.header_timeout, Duration::from_secs(10));
        assert!(settings.idle_timeout > Duration::from_secs(30));
        assert!(settings.max_connections >= 1);
    }
}
