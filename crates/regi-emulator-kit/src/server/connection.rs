//! What the server puts in each request's extensions about the connection it came on: a handle
//! to close that connection without answering (the `drop` and `timeout` faults), and the peer's
//! address (the customer side answers peers on this machine only).

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::Notify;

/// Lets a handler close the connection its request came on.
#[derive(Clone, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn kill(&self) {
        self.0.notify_one();
    }

    /// Completes once [`ConnectionKill::kill`] was called (before or after this started).
    pub async fn killed(&self) {
        self.0.notified().await;
    }
}

impl std::fmt::Debug for ConnectionKill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConnectionKill")
    }
}

/// The address a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);
