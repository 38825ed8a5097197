//! Serving the emulator on a bound listener, through the emulator kit's server
//! (`regi_emulator_kit::serve_with`: connections driven one by one so a `drop` fault can close
//! one without answering, each request knowing its peer for the customer side's loopback guard,
//! a header and idle watchdog, and accept backoff). A connection holds one of
//! [`EmulatorConfig::max_connections`] slots; with all taken, the server stops accepting until
//! one closes.
//!
//! [`serve`] takes a listener and a shutdown future (tests bind 127.0.0.1:0); [`start`] gives a
//! running emulator on a free loopback port with what a client needs to reach it.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use regi_emulator_kit::ServerSettings;
use regi_komoju::SecretKey;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::API_PREFIX;
use crate::config::EmulatorConfig;
use crate::router;
use crate::state::{EmulatorError, EmulatorState};

/// Serves `state` on `listener` until `shutdown` completes; session URLs are built on the
/// listener's address.
pub async fn serve(
    listener: TcpListener,
    state: EmulatorState,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), EmulatorError> {
    let addr = listener.local_addr()?;
    state.listening_at(&format!("http://{addr}"));
    let settings = ServerSettings {
        max_connections: state.max_connections(),
        ..ServerSettings::default()
    };
    regi_emulator_kit::serve_with(listener, router(state), settings, shutdown).await?;
    Ok(())
}

/// An emulator serving on 127.0.0.1 with what a client needs to talk to it.
pub struct RunningEmulator {
    /// `http://127.0.0.1:PORT`: the root, where the hosted pages and `/_sandbox` are.
    pub base_url: String,
    /// `http://127.0.0.1:PORT/api/v1`: what `[komoju] api_base_url` is set to.
    pub api_base_url: String,
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
    /// The `[komoju]` table for a regi configuration file pointing here.
    pub fn regi_config(&self) -> String {
        crate::regi_config::render_regi_config(&self.api_base_url, &self.secret_key)
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

/// Builds an emulator from `config` and serves it on 127.0.0.1 at a free port.
pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
    let state = EmulatorState::new(config)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    start_on(listener, state)
}

/// Serves an existing state on a bound listener, in a task.
pub fn start_on(
    listener: TcpListener,
    state: EmulatorState,
) -> Result<RunningEmulator, EmulatorError> {
    let addr = listener.local_addr()?;
    state.listening_at(&format!("http://{addr}"));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    Ok(RunningEmulator {
        base_url: format!("http://{addr}"),
        api_base_url: format!("http://{addr}{API_PREFIX}"),
        addr,
        secret_key: state.secret_key().clone(),
        state,
        stop: Some(stop),
        task: Some(task),
    })
}
