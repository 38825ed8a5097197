//! The throwaway cluster itself: it starts, takes the schema once, stops and starts again.

use regi_store::migrate::{STORE_SCHEMA_VERSION, schema_version};

use super::support::{DATABASE, Store};

#[tokio::test(flavor = "multi_thread")]
async fn a_throwaway_cluster_takes_the_schema_once_and_migrating_again_changes_nothing() {
    let store = Store::migrated().await;
    let mut admin = store.admin().await;
    assert_eq!(schema_version(&admin).await.unwrap(), STORE_SCHEMA_VERSION);
    assert!(regi_store::migrate(&mut admin).await.unwrap().is_empty());
    regi_store::require_current(&admin).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unmigrated_database_is_refused_naming_the_command_to_run() {
    let store = Store::migrated().await;
    store.cluster.create_database("empty");
    let client = super::support::connect(&store.cluster.superuser_url("empty")).await;
    let error = regi_store::require_current(&client).await.unwrap_err();
    assert!(error.to_string().contains("regi store migrate"), "{error}");
    assert_eq!(store.cluster.psql(DATABASE, "SELECT 1"), "1");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cluster_stops_and_starts_again_on_the_same_socket() {
    let store = Store::migrated().await;
    store.cluster.stop();
    assert!(
        tokio_postgres::connect(
            &store.cluster.superuser_url(DATABASE),
            tokio_postgres::NoTls
        )
        .await
        .is_err()
    );
    store.cluster.resume();
    assert_eq!(store.cluster.psql(DATABASE, "SELECT 2"), "2");
}
