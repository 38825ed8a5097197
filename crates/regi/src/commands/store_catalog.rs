//! The store's one catalog on this till: the copy kept beside the journal (sold from, also while
//! the store is out of reach), taking a newer version at start, and watching for pushes while
//! the till runs so a new version reaches the running app without a restart. A version that does
//! not read as a catalog is never written over the copy: it is logged and the copy sells on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use regi_config::{Config, Lang};
use regi_core::app::Msg;
use regi_core::domain::{Catalog, CatalogError, CatalogRead};
use regi_store::StoreError;
use regi_store::catalog_changes::CatalogChanges;
use regi_tui::ui::strings::{LangStrings as _, Strings};
use tokio::sync::mpsc::UnboundedSender;
use tokio_postgres::Client;

use crate::services::store_target;

/// The store's catalog as this till keeps it, and the version of that copy.
const CATALOG_COPY: &str = "store-catalog.csv";
const CATALOG_VERSION: &str = "store-catalog.version";

/// How often a running till asks for a newer catalog although no push was heard: a push sent
/// while its listening connection was silently cut is taken within this.
const RECHECK: Duration = Duration::from_secs(60);
/// How long one look at the store may take before the connection counts as lost.
const CHECK_WITHIN: Duration = Duration::from_secs(10);
/// The waits between tries to reach a store that is down: doubled from the first up to the last.
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(60);

/// The catalog file this till sells from: in store mode the store's copy once it has one, else
/// `[sale] catalog`.
pub fn catalog_path(data_dir: &Path, config: &Config, training: bool) -> Option<PathBuf> {
    let copy = data_dir.join(CATALOG_COPY);
    if !training && config.store.database_url.is_some() && copy.is_file() {
        Some(copy)
    } else {
        config.sale.catalog.clone()
    }
}

/// What a look at the store's catalog found.
#[derive(Debug)]
pub enum Newer {
    /// This till has the newest version (or the newest was refused before).
    Current,
    /// A newer version was read and written beside the journal.
    Taken { version: i64, read: CatalogRead },
    /// A newer version does not read as a catalog: the copy was left as it was.
    Refused { version: i64, error: CatalogError },
}

/// Takes the store's catalog when it is newer than this till's copy, waiting at most `within`;
/// when the store is out of reach the copy kept is sold from (said in the log).
pub async fn refresh_catalog(data_dir: &Path, config: &Config, within: Duration) {
    let s = config.ui.lang.strings();
    match tokio::time::timeout(within, pull_catalog(data_dir, config, s)).await {
        Ok(Ok(newer)) => log(&newer),
        Ok(Err(error)) => tracing::warn!("the store's catalog was not checked: {error:#}"),
        Err(_) => tracing::warn!("the store's catalog was not checked: no answer in time"),
    }
}

/// Writes the store's catalog beside the journal when newer than the copy there.
pub async fn pull_catalog(data_dir: &Path, config: &Config, s: &Strings) -> anyhow::Result<Newer> {
    let (target, store_id) = store_target(config, s)?;
    let client = target.pool(1)?.get().await.map_err(StoreError::from)?;
    take_newer(&client, data_dir, &store_id, None).await
}

/// Reads the store's newest catalog when newer than the copy (and not the version `refused`
/// before), checks it reads as the till reads a catalog file, then writes it: the catalog first,
/// then its version, so a stop in between leaves the old version number and it is taken again.
async fn take_newer(
    client: &Client,
    data_dir: &Path,
    store_id: &str,
    refused: Option<i64>,
) -> anyhow::Result<Newer> {
    let have = std::fs::read_to_string(data_dir.join(CATALOG_VERSION))
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .filter(|_| data_dir.join(CATALOG_COPY).is_file());
    let Some((version, csv)) = regi_store::catalog::newer_catalog(client, store_id, have).await?
    else {
        return Ok(Newer::Current);
    };
    if refused == Some(version) {
        return Ok(Newer::Current);
    }
    let read = match Catalog::from_file_bytes(csv.as_bytes()) {
        Ok(read) => read,
        Err(error) => return Ok(Newer::Refused { version, error }),
    };
    regi_config::create_private_dir(data_dir)?;
    regi_config::write_private_file(&data_dir.join(CATALOG_COPY), csv.as_bytes())?;
    regi_config::write_private_file(
        &data_dir.join(CATALOG_VERSION),
        version.to_string().as_bytes(),
    )?;
    Ok(Newer::Taken { version, read })
}

/// Says in the log what a look at the store's catalog found: the version taken and each row
/// left out, or why a version was refused.
fn log(newer: &Newer) {
    match newer {
        Newer::Current => {}
        Newer::Taken { version, read } => {
            tracing::info!(
                version,
                products = read.catalog.len(),
                "took the store's catalog"
            );
            for row in &read.skipped {
                tracing::warn!(version, "store catalog row left out: {row}");
            }
        }
        Newer::Refused { version, error } => tracing::warn!(
            version,
            "the store's catalog was refused, the copy kept sells on: {error}"
        ),
    }
}

/// Watches the store for a newer catalog while the till runs and hands each one to the app as
/// [`Msg::StoreCatalog`]. Stops when dropped.
pub struct CatalogWatch {
    task: tokio::task::JoinHandle<()>,
}

impl CatalogWatch {
    /// Starts watching (inside a tokio runtime); `None` without `[store] database_url` or when
    /// the store cannot be set up (logged: the till sells from its copy).
    pub fn start(
        data_dir: &Path,
        config: &Config,
        lang: Lang,
        to_app: UnboundedSender<Msg>,
    ) -> Option<CatalogWatch> {
        config.store.database_url.as_ref()?;
        let (target, store_id) = match store_target(config, lang.strings()) {
            Ok(found) => found,
            Err(error) => {
                tracing::error!("the store's catalog is not watched: {error:#}");
                return None;
            }
        };
        let watcher = Watcher {
            target,
            store_id,
            data_dir: data_dir.to_path_buf(),
            s: lang.strings(),
            to_app,
            refused: None,
        };
        Some(CatalogWatch {
            task: tokio::spawn(watcher.run()),
        })
    }
}

impl Drop for CatalogWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Watcher {
    target: regi_store::StoreTarget,
    store_id: String,
    data_dir: PathBuf,
    s: &'static Strings,
    to_app: UnboundedSender<Msg>,
    /// The version last refused: not read again, nor told again, until a newer one is pushed.
    refused: Option<i64>,
}

/// Why watching stopped for a while.
enum Pause {
    /// The store is down or the connection was lost: try again after a wait.
    Lost(String),
    /// The app is gone: the till is stopping.
    AppGone,
}

impl Watcher {
    /// Listens, looks, and looks again at each push (and every [`RECHECK`]); a store that is
    /// down is logged once per outage and tried again with growing waits, holding nothing up.
    async fn run(mut self) {
        let mut wait = RETRY_FIRST;
        let mut down = false;
        loop {
            let pause = match CatalogChanges::listen(&self.target, &self.store_id).await {
                Ok(mut changes) => {
                    if down {
                        tracing::info!("the store answers again: its catalog is watched");
                        down = false;
                    }
                    wait = RETRY_FIRST;
                    self.follow(&mut changes).await
                }
                Err(error) => Pause::Lost(error.to_string()),
            };
            match pause {
                Pause::AppGone => return,
                Pause::Lost(why) if !down => {
                    tracing::warn!(
                        "the store's catalog is not watched for now (the copy kept sells on): {why}"
                    );
                    down = true;
                }
                Pause::Lost(_) => {}
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(RETRY_MAX);
        }
    }

    /// Looks for a newer catalog now and after each push heard, until the connection is lost.
    async fn follow(&mut self, changes: &mut CatalogChanges) -> Pause {
        loop {
            // Pushes heard while looking are answered by this look.
            changes.take_pending();
            let look = take_newer(
                changes.client(),
                &self.data_dir,
                &self.store_id,
                self.refused,
            );
            match tokio::time::timeout(CHECK_WITHIN, look).await {
                Ok(Ok(newer)) => {
                    log(&newer);
                    if !self.hand_over(newer) {
                        return Pause::AppGone;
                    }
                }
                Ok(Err(error)) => return Pause::Lost(format!("{error:#}")),
                Err(_) => return Pause::Lost("no answer in time".into()),
            }
            if let Ok(false) = tokio::time::timeout(RECHECK, changes.pushed()).await {
                return Pause::Lost("the connection was closed".into());
            }
        }
    }

    /// Sends the app what it should know; `false` once the app is gone.
    fn hand_over(&mut self, newer: Newer) -> bool {
        let msg = match newer {
            Newer::Current => return true,
            Newer::Taken { version, read } => Msg::StoreCatalog {
                version,
                products: Ok(read.catalog.products().to_vec()),
            },
            Newer::Refused { version, error } => {
                self.refused = Some(version);
                Msg::StoreCatalog {
                    version,
                    products: Err(self.s.catalog_error(&error)),
                }
            }
        };
        self.to_app.send(msg).is_ok()
    }
}
