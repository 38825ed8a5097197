//! Word of a catalog pushed to the store while a till runs. A connection of the till's own
//! LISTENs on [`CATALOG_CHANNEL`], which every push notifies with its store's id, so a running
//! till hears of a new version at once instead of asking the database over and over.

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_postgres::config::SslMode;
use tokio_postgres::{AsyncMessage, Client, Connection, NoTls};

use crate::{StoreError, StoreTarget};

/// The channel `push_catalog` notifies; the payload is the store's id.
pub const CATALOG_CHANNEL: &str = "regi_catalog";

/// A connection listening for pushes of one store's catalog. Dropping it closes the connection.
pub struct CatalogChanges {
    client: Client,
    pushed: mpsc::UnboundedReceiver<()>,
    driver: JoinHandle<()>,
}

impl CatalogChanges {
    /// Connects on a connection of its own (a pooled one could not hand notifications over)
    /// and starts listening; a push after this returns is heard.
    pub async fn listen(
        target: &StoreTarget,
        store_id: &str,
    ) -> Result<CatalogChanges, StoreError> {
        let config = target.config()?;
        let (tx, pushed) = mpsc::unbounded_channel();
        let store_id = store_id.to_string();
        // Without TLS the plain connector, as the pool does: the rustls one refuses a socket path.
        let (client, driver) = if config.get_ssl_mode() == SslMode::Disable {
            let (client, connection) = config.connect(NoTls).await?;
            (client, drive(connection, store_id, tx))
        } else {
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(target.tls_config()?);
            let (client, connection) = config.connect(tls).await?;
            (client, drive(connection, store_id, tx))
        };
        let changes = CatalogChanges {
            client,
            pushed,
            driver,
        };
        changes
            .client
            .batch_execute(&format!("LISTEN {CATALOG_CHANNEL}"))
            .await?;
        Ok(changes)
    }

    /// The listening connection, to read the catalog through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Waits for the next push of this store's catalog; `false` once the connection has ended
    /// (the server stopped, the network dropped it): listen again.
    pub async fn pushed(&mut self) -> bool {
        self.pushed.recv().await.is_some()
    }

    /// Whether a push was heard and not yet waited for; forgets it (several pushes heard while
    /// the till was busy are one reason to read the newest version).
    pub fn take_pending(&mut self) -> bool {
        let mut any = false;
        while self.pushed.try_recv().is_ok() {
            any = true;
        }
        any
    }
}

impl Drop for CatalogChanges {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

/// Drives the connection, passing on each notification of this store; ends with the connection.
fn drive<S, T>(
    mut connection: Connection<S, T>,
    store_id: String,
    pushed: mpsc::UnboundedSender<()>,
) -> JoinHandle<()>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(note))) => {
                    if note.payload() == store_id && pushed.send(()).is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => {
                    tracing::debug!("the catalog's listening connection ended: {error}");
                    return;
                }
                None => return,
            }
        }
    })
}
