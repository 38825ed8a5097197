//! The shipper against a real server: in order and in batches, a batch sent twice, the server
//! stopped and back, a restart after an acknowledgement was lost, a journal restored from an
//! older backup, and the background task catching up after an outage.

use std::time::Duration;

use regi_store::{ShipOutcome, Shipper, StoreError};

use super::support::{DATABASE, STORE, Store, Till, connect};

async fn paid_sales(store: &Store, terminal: &str) -> (i64, i64) {
    let row = store
        .admin()
        .await
        .query_one(
            "SELECT COUNT(*), COALESCE(SUM((snapshot -> 'sale' ->> 'total')::bigint), 0)::bigint \
             FROM regi.sales WHERE terminal_id = $1 AND snapshot -> 'sale' ->> 'state' = 'paid'",
            &[&terminal],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_event_is_shipped_in_order_in_batches_and_the_sales_are_mirrored() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    for yen in [100, 200, 300] {
        till.sell(yen);
    }
    let shipper = Shipper::new(&till.path(), &target, "01", STORE)
        .unwrap()
        .with_batch(4);
    assert_eq!(shipper.ship_once().await.unwrap(), ShipOutcome::Shipped(4));
    assert_eq!(store.shipped("01").await, 4);
    shipper.catch_up().await.unwrap();
    assert_eq!(shipper.ship_once().await.unwrap(), ShipOutcome::UpToDate);
    assert_eq!(store.shipped("01").await, till.head());
    assert_eq!(paid_sales(&store, "01").await, (3, 600));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_sent_again_changes_nothing() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(500);
    let shipper = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    shipper.catch_up().await.unwrap();
    let shipped = store.shipped("01").await;
    // The same event once more, as a shipper whose acknowledgement was lost would send it.
    let terminal = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    let inserted = terminal
        .execute(
            "INSERT INTO regi.events (terminal_id, seq, event_id, at, kind, detail, snapshot) \
             SELECT terminal_id, seq, event_id, at, kind, detail, '{}' FROM regi.events \
             WHERE terminal_id = '01' ON CONFLICT (terminal_id, seq) DO NOTHING",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(inserted, 0);
    assert_eq!(store.shipped("01").await, shipped);
    assert_eq!(paid_sales(&store, "01").await, (1, 500));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shipper_restarted_after_its_acknowledgement_was_lost_goes_on_after_what_was_committed() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    // The first shipper's batch committed; it never heard so (it is dropped here).
    Shipper::new(&till.path(), &target, "01", STORE)
        .unwrap()
        .catch_up()
        .await
        .unwrap();
    till.sell(200);
    let restarted = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    restarted.catch_up().await.unwrap();
    assert_eq!(store.shipped("01").await, till.head());
    assert_eq!(paid_sales(&store, "01").await, (2, 300));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shipper_that_knows_where_the_store_stands_goes_on_after_a_second_shipper_of_its_journal()
{
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    let first = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    first.catch_up().await.unwrap();
    // Another shipper of the same journal (`regi store ship` beside the till) ships the next
    // sale; the first still knows the store as it left it.
    till.sell(200);
    let second = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    second.catch_up().await.unwrap();
    till.sell(300);
    first.catch_up().await.unwrap();
    assert_eq!(first.ship_once().await.unwrap(), ShipOutcome::UpToDate);
    assert_eq!(store.shipped("01").await, till.head());
    let events: i64 = store
        .admin()
        .await
        .query_one(
            "SELECT COUNT(*) FROM regi.events WHERE terminal_id = '01'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(events, till.head());
    assert_eq!(paid_sales(&store, "01").await, (3, 600));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_written_for_this_terminal_behind_the_shippers_back_stops_it_before_shipping_more()
{
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    let shipper = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    shipper.catch_up().await.unwrap();
    let shipped = store.shipped("01").await;
    // Something else writes event `shipped + 1` for this terminal, not the journal's.
    let terminal = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    terminal
        .execute(
            "INSERT INTO regi.events (terminal_id, seq, event_id, at, kind, detail, snapshot) \
             SELECT terminal_id, seq + 1, event_id + 1000, at, kind, detail, '{}' \
             FROM regi.events WHERE terminal_id = '01' AND seq = $1",
            &[&shipped],
        )
        .await
        .unwrap();
    till.sell(200);
    let error = shipper.ship_once().await.unwrap_err();
    assert!(matches!(error, StoreError::Diverged(_)), "{error}");
    assert_eq!(
        store.shipped("01").await,
        shipped + 1,
        "nothing shipped after it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn selling_goes_on_while_the_server_is_down_and_everything_ships_when_it_returns() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    let shipper = Shipper::new(&till.path(), &target, "01", STORE)
        .unwrap()
        .with_batch(3);
    shipper.catch_up().await.unwrap();
    store.cluster.stop();
    for yen in [200, 300, 400] {
        till.sell(yen);
    }
    let error = shipper.ship_once().await.unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
    store.cluster.resume();
    shipper.catch_up().await.unwrap();
    assert_eq!(store.shipped("01").await, till.head());
    assert_eq!(paid_sales(&store, "01").await, (4, 1_000));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_restored_from_an_older_backup_is_reported_and_never_ships_over_the_store() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    let backup = till.dir.path().join("backup.sqlite");
    till.back_up(&backup);
    till.sell(200);
    let shipper = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    shipper.catch_up().await.unwrap();
    let shipped = store.shipped("01").await;

    // A journal is put back only while its till is stopped (`regi restore` refuses a journal a
    // till holds): the till's next start ships with a new shipper.
    drop(shipper);
    till.restore(&backup);
    let shipper = Shipper::new(&till.path(), &target, "01", STORE).unwrap();
    let went_back = shipper.ship_once().await.unwrap_err();
    assert!(matches!(went_back, StoreError::Diverged(_)), "{went_back}");
    assert!(went_back.to_string().contains("backup"), "{went_back}");

    // Selling on past the store's number does not make the old and new history one.
    for yen in [300, 400, 500] {
        till.sell(yen);
    }
    assert!(till.head() > shipped);
    let rewritten = shipper.ship_once().await.unwrap_err();
    assert!(matches!(rewritten, StoreError::Diverged(_)), "{rewritten}");
    assert_eq!(store.shipped("01").await, shipped);
    assert_eq!(paid_sales(&store, "01").await, (2, 300));
    let reported: Option<String> = store
        .admin()
        .await
        .query_one(
            "SELECT last_error FROM regi.terminals WHERE terminal_id = '01'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(reported.unwrap().contains("backup"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_not_registered_for_its_login_is_refused_by_name() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    let error = Shipper::new(&till.path(), &target, "02", STORE)
        .unwrap()
        .ship_once()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("\"02\""), "{error}");
    assert_eq!(store.shipped("01").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_background_shipper_reports_an_outage_and_catches_up_after_it() {
    let store = Store::migrated().await;
    let target = store.terminal("01").await;
    let mut till = Till::new();
    till.sell(100);
    let handle = Shipper::new(&till.path(), &target, "01", STORE)
        .unwrap()
        .spawn(Duration::from_millis(20));
    let mut status = handle.watch();
    let head = till.head();
    let guard = Duration::from_secs(60);
    tokio::time::timeout(
        guard,
        status.wait_for(|s| s.shipped_seq == head && s.lag_events == 0),
    )
    .await
    .expect("shipped")
    .unwrap();

    store.cluster.stop();
    till.sell(200);
    handle.nudge();
    tokio::time::timeout(guard, status.wait_for(|s| s.last_error.is_some()))
        .await
        .expect("outage reported")
        .unwrap();
    store.cluster.resume();
    handle.nudge();
    let head = till.head();
    let caught_up = tokio::time::timeout(
        guard,
        status.wait_for(|s| s.shipped_seq == head && s.last_error.is_none()),
    )
    .await
    .expect("caught up")
    .unwrap()
    .clone();
    assert_eq!(caught_up.lag_events, 0);
    assert_eq!(store.shipped("01").await, head);
}
