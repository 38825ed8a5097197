//! Serving the router on a loopback socket. Connections are driven one by one (hyper, HTTP/1.1)
//! so that a `drop` fault can close a connection without answering: the handler signals its
//! connection's `ConnectionKill` and the connection task drops the socket.
//!
//! A connection holds one of [`ServerSettings::max_connections`] slots; with all taken, the
//! server stops accepting until one closes, so the clients it has keep being answered when file
//! descriptors run short. Slow or idle connections are closed by their `IdleWatch`, and a failed
//! accept is retried after a growing pause ([`AcceptBackoff`]) instead of at once.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Extension;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, oneshot};
use tokio::task::{JoinHandle, JoinSet};
use uuid::Uuid;

use super::backoff::AcceptBackoff;
use super::limits::ServerSettings;
use super::routes::router;
use super::state::{SandboxError, SandboxOptions, SandboxState};
use super::watchdog::{Activity, IdleWatch, WatchedIo, WatchedService};
use regi_core::secret::Secret;

/// Lets a handler close the connection its request came on.
#[derive(Clone, Default)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub(crate) fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serves the sandbox on `listener` with the default [`ServerSettings`] until `shutdown`
/// completes; requests still in flight are cut then. Refuses listeners that are not on a loopback
/// address.
pub async fn serve(
    listener: TcpListener,
    state: SandboxState,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), SandboxError> {
    serve_with(listener, state, ServerSettings::default(), shutdown).await
}

/// [`serve`] with explicit timeouts and connection cap.
pub async fn serve_with(
    listener: TcpListener,
    state: SandboxState,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), SandboxError> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        return Err(SandboxError::NotLoopback(addr));
    }
    let app = router(state);
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
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(e) => {
                drop(slot);
                let pause = backoff.failed();
                if pause.first {
                    tracing::warn!("sandbox cannot accept connections ({e}); retrying with pauses");
                }
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = tokio::time::sleep(pause.wait) => continue,
                }
            }
        };
        if let Some(failures) = backoff.succeeded() {
            tracing::warn!("sandbox accepting connections again after {failures} failed tries");
        }
        while connections.try_join_next().is_some() {}
        let kill = ConnectionKill::default();
        let activity = Activity::new();
        let service = WatchedService::new(
            TowerToHyperService::new(app.clone().layer(Extension(kill.clone()))),
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
                        tracing::debug!("sandbox connection ended: {e}");
                    }
                }
                _ = kill.0.notified() => {}
                _ = watch => tracing::debug!("sandbox closed a slow or idle connection"),
            }
        });
    }
    connections.shutdown().await;
    Ok(())
}

/// A sandbox serving on 127.0.0.1 with everything a client needs to talk to it.
pub struct RunningSandbox {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub client_id: String,
    pub client_secret: Secret<String>,
    pub shop_id: Uuid,
    pub private_money_id: Uuid,
    pub customers: Vec<String>,
    pub state: SandboxState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), SandboxError>>>,
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("shop_id", &self.shop_id)
            .field("private_money_id", &self.private_money_id)
            .field("customers", &self.customers)
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) -> Result<(), SandboxError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Builds a sandbox and serves it on 127.0.0.1 at a free port (training mode, tests).
pub async fn start_loopback(options: SandboxOptions) -> Result<RunningSandbox, SandboxError> {
    let state = SandboxState::new(options)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    start_on(listener, state)
}

/// Serves an existing state on a bound loopback listener.
pub fn start_on(
    listener: TcpListener,
    state: SandboxState,
) -> Result<RunningSandbox, SandboxError> {
    start_on_with(listener, state, ServerSettings::default())
}

/// [`start_on`] with explicit timeouts and connection cap.
pub fn start_on_with(
    listener: TcpListener,
    state: SandboxState,
    settings: ServerSettings,
) -> Result<RunningSandbox, SandboxError> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        return Err(SandboxError::NotLoopback(addr));
    }
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_with(listener, state.clone(), settings, async move {
        let _ = stopped.await;
    }));
    Ok(RunningSandbox {
        base_url: format!("http://{addr}"),
        addr,
        client_id: state.client_id().to_string(),
        client_secret: state.client_secret().clone(),
        shop_id: state.shop_id(),
        private_money_id: state.private_money_id(),
        customers: state.customer_names(),
        state,
        stop: Some(stop),
        task: Some(task),
    })
}
