//! The register's side of the customer display: a Unix socket beside the journal (mode 0600, no
//! network) that sends every display that connects the current screen, then each change, as one
//! JSON object per line. The till never waits on a display: a slow or gone reader only loses its
//! own connection.

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;

use regi_core::app::customer_view::CustomerScreen;

/// The socket's file name, in the journal's directory.
pub const DISPLAY_SOCKET: &str = "display.sock";

/// Where the register serves its display, next to `journal`.
pub fn display_socket(journal: &Path) -> PathBuf {
    journal
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(DISPLAY_SOCKET)
}

pub struct CustomerFeed {
    tx: watch::Sender<CustomerScreen>,
    path: PathBuf,
}

impl CustomerFeed {
    /// Listens on `path` (a socket left by a run that ended is replaced; one another register
    /// still answers on is not) and serves every display that connects. Needs a tokio runtime.
    pub fn bind(path: &Path, first: CustomerScreen) -> io::Result<Self> {
        if path.exists() {
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AddrInUse,
                    format!("another register serves {}", path.display()),
                ));
            }
            std::fs::remove_file(path)?;
        }
        let listener = UnixListener::bind(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        let (tx, _) = watch::channel(first);
        let feed = tx.clone();
        tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        tracing::info!("customer display connected");
                        tokio::spawn(serve(stream, feed.subscribe()));
                    }
                    Err(e) => {
                        tracing::warn!("customer display socket: {e}");
                        return;
                    }
                }
            }
        });
        Ok(Self {
            tx,
            path: path.to_path_buf(),
        })
    }

    /// Sends `screen` to the displays if it differs from what they show.
    pub fn publish(&self, screen: CustomerScreen) {
        self.tx.send_if_modified(|shown| {
            if *shown == screen {
                return false;
            }
            *shown = screen;
            true
        });
    }
}

impl Drop for CustomerFeed {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes the current screen, then each change, until the display goes away.
async fn serve(mut stream: UnixStream, mut rx: watch::Receiver<CustomerScreen>) {
    loop {
        let line = {
            let screen = rx.borrow_and_update();
            match serde_json::to_string(&*screen) {
                Ok(json) => json + "\n",
                Err(e) => {
                    tracing::error!("customer screen not encodable: {e}");
                    return;
                }
            }
        };
        if stream.write_all(line.as_bytes()).await.is_err() || rx.changed().await.is_err() {
            tracing::info!("customer display disconnected");
            return;
        }
    }
}
