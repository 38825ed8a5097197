//! Serving an emulator's router on a bound listener until a shutdown future completes.
//! Connections are driven one by one (hyper, HTTP/1.1) so that a fault can close a connection
//! without answering (each request carries its connection's [`ConnectionKill`]) and so that
//! each request knows its peer ([`PeerAddr`]).
//!
//! A connection holds one of [`ServerSettings::max_connections`] slots; with all taken, the
//! server stops accepting until one closes, so the clients it has keep being answered when file
//! descriptors run short. Slow or idle connections are closed by their `IdleWatch`, and a failed
//! accept is retried after a growing pause ([`backoff::AcceptBackoff`]) instead of at once.

mod accept;
pub mod backoff;
mod connection;
pub mod limits;
mod watchdog;

use std::future::Future;

use axum::{Extension, Router};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

pub use accept::accept_loop;
pub use connection::{ConnectionKill, PeerAddr};
pub use limits::{ServerSettings, raise_open_file_limit};

use watchdog::{Activity, IdleWatch, WatchedIo, WatchedService};

/// Serves `router` on `listener` with the default [`ServerSettings`] until `shutdown`
/// completes; requests still in flight are cut then. The open-file limit is raised first, so the
/// default connection cap is read from the raised limit.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    raise_open_file_limit();
    serve_with(listener, router, ServerSettings::default(), shutdown).await
}

/// [`serve`] with explicit timeouts and connection cap (the open-file limit is raised too, in
/// case the caller has not).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    raise_open_file_limit();
    accept_loop(&listener, settings, "emulator", shutdown, |stream, peer| {
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
        async move {
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
        }
    })
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr};

    use axum::Extension;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::sync::oneshot;

    use super::*;

    async fn peer(Extension(PeerAddr(peer)): Extension<PeerAddr>) -> String {
        peer.ip().to_string()
    }

    async fn cut(Extension(kill): Extension<ConnectionKill>) -> &'static str {
        kill.kill();
        std::future::pending().await
    }

    /// Serves the test routes on 127.0.0.1:0 until the sender is used or dropped.
    async fn start() -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new()
            .route("/peer", get(peer))
            .route("/cut", get(cut));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(listener, router, async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        (addr, stop, task)
    }

    /// Sends one request that closes its connection, and reads until the server closes it.
    async fn get_once(addr: SocketAddr, path: &str) -> String {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer).await;
        answer
    }

    #[tokio::test]
    async fn each_request_knows_its_peer_and_the_server_stops_when_told() {
        let (addr, stop, task) = start().await;
        let answer = get_once(addr, "/peer").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("127.0.0.1"), "{answer}");
        stop.send(()).unwrap();
        task.await.unwrap();
    }

    #[tokio::test]
    async fn a_killed_connection_closes_without_an_answer() {
        let (addr, _stop, _task) = start().await;
        assert_eq!(get_once(addr, "/cut").await, "");
    }
}
