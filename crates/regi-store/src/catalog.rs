//! One product catalog for the store: pushed to PostgreSQL as the CSV a till reads from
//! `[sale] catalog`, numbered by version, and taken by each till when newer than its own copy
//! (which it keeps, to sell from while the store cannot be reached).

use regi_core::domain::Catalog;
use tokio_postgres::Client;

use crate::StoreError;
use crate::catalog_changes::CATALOG_CHANNEL;

/// Checks `csv` is a catalog a till can read, then makes it the store's next version and tells
/// the tills listening on [`CATALOG_CHANNEL`] (at commit, so a till hearing it finds the new
/// version); returns that version.
pub async fn push_catalog(client: &Client, store_id: &str, csv: &str) -> Result<i64, StoreError> {
    let catalog = Catalog::from_csv_reader(csv.as_bytes())
        .map_err(|e| StoreError::Refused(format!("not a catalog a till can read: {e}")))?;
    // A till refuses a catalog without a product: it would leave every scan unknown.
    if catalog.is_empty() {
        return Err(StoreError::Refused(
            "not a catalog a till can read: it has no product".into(),
        ));
    }
    // One statement, so the version and its word to the tills commit together.
    let row = client
        .query_one(
            "WITH pushed AS ( \
                 INSERT INTO regi.catalogs AS c (store_id, version, content) VALUES ($1, 1, $2) \
                 ON CONFLICT (store_id) DO UPDATE \
                     SET version = c.version + 1, content = EXCLUDED.content, pushed_at = now() \
                 RETURNING version) \
             SELECT pushed.version FROM pushed CROSS JOIN LATERAL pg_notify($3, $1)",
            &[&store_id, &csv, &CATALOG_CHANNEL],
        )
        .await?;
    Ok(row.get(0))
}

/// The store's catalog when its version is newer than `have` (`None`: this till has none).
pub async fn newer_catalog(
    client: &Client,
    store_id: &str,
    have: Option<i64>,
) -> Result<Option<(i64, String)>, StoreError> {
    let row = client
        .query_opt(
            "SELECT version, content FROM regi.catalogs WHERE store_id = $1 AND version > $2",
            &[&store_id, &have.unwrap_or(0)],
        )
        .await?;
    Ok(row.map(|row| (row.get(0), row.get(1))))
}
