//! The store's catalog: pushed as a new version each time, taken only when newer, refused when a
//! till could not read it.

use regi_store::catalog::{newer_catalog, push_catalog};

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
    assert_eq!(
        newer_catalog(&client, STORE, None)
            .await
            .unwrap()
            .unwrap()
            .0,
        1
    );
}
