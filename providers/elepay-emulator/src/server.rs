//! Serving the emulator on a loopback socket, through the emulator kit's server
//! (`regi_emulator_kit::serve`: connections driven one by one so that a `drop` or `timeout`
//! fault can close a connection without answering, a connection cap, a header and idle watchdog,
//! and accept backoff). The emulator's own: it refuses a listener that is not on loopback.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use regi_elepay::SecretKey;
use regi_emulator_kit::loopback::require_loopback;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::regi_config::render_regi_config;
use crate::routes::router;
use crate::state::{EmulatorError, EmulatorState};

/// Serves the emulator on `listener` until `shutdown` completes; requests still in flight are
/// cut then. Refuses a listener that is not on a loopback address: the customer side needs no
/// key and the state holds one.
pub async fn serve(
    listener: TcpListener,
    state: EmulatorState,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), EmulatorError> {
    require_loopback(listener.local_addr()?).map_err(EmulatorError::NotLoopback)?;
    regi_emulator_kit::serve(listener, router(state), shutdown).await?;
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
    let addr = require_loopback(listener.local_addr()?).map_err(EmulatorError::NotLoopback)?;
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
