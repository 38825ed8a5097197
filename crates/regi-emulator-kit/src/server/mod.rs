//! Serving an emulator's router on a bound listener until a shutdown future completes.
//! Connections are driven one by one (hyper, HTTP/1.1) so that a fault can close a connection
//! without answering (each request carries its connection's [`ConnectionKill`]) and so that
//! each request knows its peer ([`PeerAddr`]).
//!
//! A connection holds one of [`ServerSettings::max_connections`] slots; with all taken, the
//! server stops accepting until one closes, so the clients it has keep being answered when file
//! descriptors run short. Slow or idle connections are closed by their `IdleWatch`, and a failed
//! accept is retried after a growing pause ([`backoff::AcceptBackoff`]) instead of at once.

pub mod backoff;
mod connection;
pub mod limits;
mod watchdog;

use std::future::Future;
use std::sync::Arc;

use axum::{Extension, Router};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub use connection::{ConnectionKill, PeerAddr};
pub use limits::{ServerSettings, raise_open_file_limit};

use backoff::AcceptBackoff;
use watchdog::{Activity, IdleWatch, WatchedIo, WatchedService};

/// Serves `router` on `listener` with the default [`ServerSettings`] until `shutdown`
/// completes; requests still in flight are cut then.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    serve_with(listener, router, ServerSettings::default(), shutdown).await
}

/// [`serve`] with explicit timeouts and connection cap.
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let mut backoff = AcceptBackoff::new();
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
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
                let pause = backoff.failed();
                if pause.first {
                    tracing::warn!(
                        "emulator on {addr} cannot accept connections ({e}); retrying with pauses"
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
                "emulator on {addr} accepting connections again after {failures} failed tries"
            );
        }
        while connections.try_join_next().is_some() {}
        let kill = ConnectionKill::default();
        let activity = Activity::new();
        let service = WatchedService::new(
            TowerToHyperService::new(
                router
                    .clone()
                    .layer(Extension(kill.clone()))
                    .layer(Extension(PeerAddr(peer))),
            ),
            activity.clone(),
        );
        let io = TokioIo::new(WatchedIo::new(stream, activity.clone()));
        let watch = IdleWatch::new(activity, settings);
        connections.spawn(async move {
            let _slot = slot;
            let connection = http1::Builder::new().serve_connection(io, service);
            // The watch goes after the connection: see `IdleWatch`.
            tokio::select! {
                biased;
                result = connection => {
                    if let Err(e) = result {
                        tracing::debug!("emulator connection ended: {e}");
                    }
                }
                () = kill.killed() => {}
                _ = watch => tracing::debug!("emulator closed a slow or idle connection"),
            }
        });
    }
    connections.shutdown().await;
    Ok(())
}
