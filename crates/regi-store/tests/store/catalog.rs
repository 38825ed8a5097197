//! The store's catalog: pushed as a new version each time, taken only when newer, refused when a
//! till could not read it, and heard of by a listening till at each push.

use regi_store::catalog::{newer_catalog, push_catalog};
use regi_store::catalog_changes::{CATALOG_CHANNEL, CatalogChanges};

use super::support::{DATABASE, STORE, Store, connect};

const CSV: &str = "jan,name,unit_price,tax_rate\n4902100001016,おにぎり 鮭,160,8\n";

#[tokio::test(flavor = "multi_thread")]
async fn each_push_is_the_next_version_and_a_till_takes_only_a_newer_one() {
    let store = Store::migrated().await;
    store.terminal("01").await;
    let client = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    assert_eq!(newer_catalog(&client, STORE, None).await.unwrap(), None);
    assert_eq!(push_catalog(&client, STORE, CSV).await.unwrap(), 1);
    assert_eq!(
        newer_catalog(&client, STORE, None).await.unwrap(),
        Some((1, CSV.to_string()))
    );
    assert_eq!(newer_catalog(&client, STORE, Some(1)).await.unwrap(), None);
    let second = CSV.replace("160", "170");
    assert_eq!(push_catalog(&client, STORE, &second).await.unwrap(), 2);
    assert_eq!(
        newer_catalog(&client, STORE, Some(1)).await.unwrap(),
        Some((2, second))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_catalog_a_till_could_not_read_is_refused_and_the_last_one_kept() {
    let store = Store::migrated().await;
    store.terminal("01").await;
    let client = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    push_catalog(&client, STORE, CSV).await.unwrap();
    let error = push_catalog(&client, STORE, "jan,name\n1,x\n")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("catalog"), "{error}");
    let empty = push_catalog(&client, STORE, "jan,name,unit_price,tax_rate\n")
        .await
        .unwrap_err();
    assert!(empty.to_string().contains("no product"), "{empty}");
    assert_eq!(
        newer_catalog(&client, STORE, None)
            .await
            .unwrap()
            .unwrap()
            .0,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listening_till_hears_each_push_of_its_store_and_reads_the_new_version() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut changes = CatalogChanges::listen(&target, STORE).await.unwrap();
    let client = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    assert_eq!(push_catalog(&client, STORE, CSV).await.unwrap(), 1);
    assert!(changes.pushed().await);
    assert_eq!(
        newer_catalog(changes.client(), STORE, None).await.unwrap(),
        Some((1, CSV.to_string()))
    );
    // Another store's push is not this till's business; its own next one is.
    let admin = store.admin().await;
    admin
        .execute("SELECT pg_notify($1, 'shop-2')", &[&CATALOG_CHANNEL])
        .await
        .unwrap();
    assert_eq!(
        push_catalog(&client, STORE, &CSV.replace("160", "170"))
            .await
            .unwrap(),
        2
    );
    assert!(changes.pushed().await);
    assert_eq!(
        newer_catalog(changes.client(), STORE, Some(1))
            .await
            .unwrap()
            .map(|(version, _)| version),
        Some(2)
    );
    assert!(
        !changes.take_pending(),
        "another store's push was passed on"
    );
}
