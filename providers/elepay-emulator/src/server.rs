//! Serving the emulator on a loopback socket. Connections are driven one by one (hyper,
//! HTTP/1.1) so that a `drop` or `timeout` fault can close a connection without answering: the
//! handler signals its connection's [`ConnectionKill`] and the connection task drops the socket.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Extension;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use regi_elepay::SecretKey;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tokio::task::{JoinHandle, JoinSet};

use crate::config::EmulatorConfig;
use crate::regi_config::render_regi_config;
use crate::routes::router;
use crate::state::{EmulatorError, EmulatorState};

/// Lets a handler close the connection its request came on.
#[derive(Clone, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serves the emulator on `listener` until `shutdown` completes; requests still in flight are
/// cut then. Refuses a listener that is not on a loopback address: the customer side needs no
/// key and the state holds one.
pub async fn serve(
    listener: TcpListener,
    state: EmulatorState,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), EmulatorError> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        return Err(EmulatorError::NotLoopback(addr));
    }
    let app = router(state);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(e) => {
                // Out of descriptors or a reset before accept: pause instead of spinning.
                tracing::warn!("elepay emulator cannot accept a connection: {e}");
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = tokio::time::sleep(std::time::Duration::from_millis(50)) => continue,
                }
            }
        };
        while connections.try_join_next().is_some() {}
        let kill = ConnectionKill::default();
        let service = TowerToHyperService::new(app.clone().layer(Extension(kill.clone())));
        connections.spawn(async move {
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                result = connection => {
                    if let Err(e) = result {
                        tracing::debug!("elepay emulator connection ended: {e}");
                    }
                }
                _ = kill.0.notified() => {}
            }
        });
    }
    connections.shutdown().await;
    Ok(())
}

/// An emulator serving on 127.0.0.1 with what a client needs to talk to it.
pub struct RunningEmulator {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub secret_key: SecretKey,
    pub state: EmulatorState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), EmulatorError>>>,
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("base_url", &self.base_url)
            .field("secret_key", &self.secret_key)
            .finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// The regi `[elepay]` table pointing at this emulator.
    pub fn regi_config(&self) -> String {
        render_regi_config(&self.base_url, &self.secret_key)
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) -> Result<(), EmulatorError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Builds an emulator and serves it on 127.0.0.1 at a free port (training mode, tests).
pub async fn start_loopback(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
    let state = EmulatorState::new(config)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    start_on(listener, state)
}

/// Serves an existing state on a bound loopback listener, in a task of the current runtime.
pub fn start_on(
    listener: TcpListener,
    state: EmulatorState,
) -> Result<RunningEmulator, EmulatorError> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        return Err(EmulatorError::NotLoopback(addr));
    }
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    Ok(RunningEmulator {
        base_url: format!("http://{addr}"),
        addr,
        secret_key: state.secret_key().clone(),
        state,
        stop: Some(stop),
        task: Some(task),
    })
}
