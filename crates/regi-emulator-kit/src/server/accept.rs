//! The accept loop every emulator front shares: a connection takes one of the settings' slots
//! (with all taken, nothing more is accepted until one closes), a failed accept pauses with a
//! growing backoff instead of spinning, and each accepted connection is handed to `serve` on its
//! own task until `shutdown` completes, when the tasks still running are cut.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use super::ServerSettings;
use super::backoff::AcceptBackoff;

/// Accepts connections on `listener` and runs `serve(stream, peer)` for each, holding its slot
/// until it returns. `what` names the server in the log lines of failed accepts.
pub async fn accept_loop<F, Fut>(
    listener: &TcpListener,
    settings: ServerSettings,
    what: &str,
    shutdown: impl Future<Output = ()> + Send,
    serve: F,
) where
    F: Fn(TcpStream, SocketAddr) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let addr = listener
        .local_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let mut backoff = AcceptBackoff::new();
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot: OwnedSemaphorePermit = tokio::select! {
            _ = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                drop(slot);
                // Out of file descriptors, most likely: pause instead of spinning on it.
                let pause = backoff.failed();
                if pause.first {
                    tracing::warn!(
                        "{what} on {addr} cannot accept connections ({e}); retrying with pauses"
                    );
                }
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = tokio::time::sleep(pause.wait) => continue,
                }
            }
        };
        if let Some(failures) = backoff.succeeded() {
            tracing::warn!(
                "{what} on {addr} accepting connections again after {failures} failed tries"
            );
        }
        while connections.try_join_next().is_some() {}
        let connection = serve(stream, peer);
        connections.spawn(async move {
            let _slot = slot;
            connection.await;
        });
    }
    connections.shutdown().await;
}
