//! Serving the sandbox on a loopback socket, through the emulator kit's server
//! (`regi_emulator_kit::serve_with`: connections driven one by one so a `drop` fault can close
//! one without answering, a connection cap from [`ServerSettings`], a header and idle watchdog,
//! and accept backoff). What is the sandbox's own: it refuses a listener that is not on
//! loopback (its customer side needs no key), and [`RunningSandbox`] carries what a client needs.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use regi_core::secret::Secret;
use regi_emulator_kit::loopback::require_loopback;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::limits::ServerSettings;
use super::routes::router;
use super::state::{SandboxError, SandboxOptions, SandboxState};

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
    require_loopback(listener.local_addr()?).map_err(SandboxError::NotLoopback)?;
    regi_emulator_kit::serve_with(listener, router(state), settings, shutdown).await?;
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
    let addr = require_loopback(listener.local_addr()?).map_err(SandboxError::NotLoopback)?;
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
