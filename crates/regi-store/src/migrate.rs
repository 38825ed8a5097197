//! The store's schema in PostgreSQL, versioned: migrations embedded from the crate's
//! `migrations/`, applied in order, each in its own transaction with its version, under an
//! advisory lock so two `regi store migrate` at once cannot both apply one.

use tokio_postgres::Client;

use crate::StoreError;

/// Migration `n` (1-based) brings the schema to version `n`. Append only.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_store", include_str!("../migrations/0001_store.sql")),
    (
        "0002_returns_at_any_till",
        include_str!("../migrations/0002_returns_at_any_till.sql"),
    ),
    (
        "0003_report_views",
        include_str!("../migrations/0003_report_views.sql"),
    ),
    (
        "0004_batched_apply",
        include_str!("../migrations/0004_batched_apply.sql"),
    ),
];

/// The schema version this build writes and reads.
pub const STORE_SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Any number, the same in every regi: the key of the advisory lock migrations take.
const MIGRATION_LOCK: i64 = 0x7265_6769_5f6d_6967;

/// Brings the database to [`STORE_SCHEMA_VERSION`]; returns the names of the migrations applied
/// (none when it was current). Refuses a database newer than this build.
pub async fn migrate(client: &mut Client) -> Result<Vec<&'static str>, StoreError> {
    client
        .batch_execute(
            "CREATE SCHEMA IF NOT EXISTS regi; \
             CREATE TABLE IF NOT EXISTS regi.schema_migrations ( \
                 version    integer PRIMARY KEY, \
                 name       text NOT NULL, \
                 applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    let mut applied = Vec::new();
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i32 + 1;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let found: i32 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM regi.schema_migrations",
                &[],
            )
            .await?
            .get(0);
        if found > STORE_SCHEMA_VERSION {
            return Err(StoreError::Refused(format!(
                "the store database is at schema {found}, newer than this regi knows \
                 ({STORE_SCHEMA_VERSION}); upgrade regi"
            )));
        }
        if found >= version {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO regi.schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, name],
        )
        .await?;
        tx.commit().await?;
        applied.push(*name);
    }
    Ok(applied)
}

/// The schema version of the database (0: never migrated).
pub async fn schema_version(client: &Client) -> Result<i32, StoreError> {
    // Asked apart: a query naming a missing table fails even in a branch never taken.
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('regi.schema_migrations') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM regi.schema_migrations",
            &[],
        )
        .await?;
    Ok(row.get(0))
}

/// Refuses a database that is not at this build's schema, saying what to run.
pub async fn require_current(client: &Client) -> Result<(), StoreError> {
    let found = schema_version(client).await?;
    if found != STORE_SCHEMA_VERSION {
        return Err(StoreError::Refused(format!(
            "the store database is at schema {found}, this regi needs {STORE_SCHEMA_VERSION}: \
             run `regi store migrate`"
        )));
    }
    Ok(())
}
