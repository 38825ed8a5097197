//! Row-level security: a terminal's role ships and updates only its own rows.

use super::support::{DATABASE, Store, connect};

async fn as_terminal(store: &Store, id: &str) -> tokio_postgres::Client {
    store.terminal(id).await;
    let url = store
        .cluster
        .url(&format!("till_{id}:pw-of-{id}"), DATABASE);
    connect(&url).await
}

const INSERT: &str = "INSERT INTO regi.events (terminal_id, seq, event_id, at, kind, detail, \
    snapshot) VALUES ($1, 1, 1, now(), 'note', '{}', '{}')";

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_ships_its_own_events_and_not_another_terminals() {
    let store = Store::migrated().await;
    let one = as_terminal(&store, "01").await;
    store.terminal("02").await;
    one.execute(INSERT, &[&"01"]).await.unwrap();
    let refused = one.execute(INSERT, &[&"02"]).await.unwrap_err();
    let message = refused.as_db_error().unwrap().message().to_string();
    assert!(message.contains("row-level security"), "{message}");
    assert_eq!(store.shipped("02").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_updates_its_own_status_only_and_cannot_delete_events() {
    let store = Store::migrated().await;
    let one = as_terminal(&store, "01").await;
    store.terminal("02").await;
    let updated = one
        .execute(
            "UPDATE regi.terminals SET last_error = 'x' WHERE terminal_id IN ('01', '02')",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(updated, 1);
    one.execute(INSERT, &[&"01"]).await.unwrap();
    assert!(one.execute("DELETE FROM regi.events", &[]).await.is_err());
    assert!(
        one.execute("UPDATE regi.events SET kind = 'x'", &[])
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_id_is_unique_in_the_store() {
    let store = Store::migrated().await;
    store.terminal("01").await;
    let admin = store.admin().await;
    admin
        .batch_execute("CREATE ROLE till_other LOGIN PASSWORD 'p'")
        .await
        .unwrap();
    assert!(
        admin
            .batch_execute("SELECT regi.add_terminal('01', 'shop-1', 'till_other')")
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_cannot_register_another_terminal() {
    let store = Store::migrated().await;
    let one = as_terminal(&store, "01").await;
    let refused = one
        .batch_execute("SELECT regi.add_terminal('09', 'shop-1', 'till_01')")
        .await
        .unwrap_err();
    let message = refused.as_db_error().unwrap().message().to_string();
    assert!(
        message.contains("permission denied for function add_terminal"),
        "{message}"
    );
}
