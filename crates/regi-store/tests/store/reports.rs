//! Store reports over two tills: the X is each till's own X and their sum; the Z waits for every
//! till to ship and close its day, and is taken once.

use chrono::{Duration, Utc};
use regi_core::domain::Yen;
use regi_core::records::{Report, ReportKind};
use regi_store::{Shipper, close_store_day, store_report};

use super::support::{DATABASE, STORE, Store, Till, connect};

fn comparable(mut report: Report) -> Report {
    report.generated_at = String::new();
    report.business_day_id = 0;
    report.first_receipt_no = None;
    report.last_receipt_no = None;
    report
}

fn shop_date() -> chrono::NaiveDate {
    (Utc::now() + Duration::hours(9)).date_naive()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_x_is_every_tills_own_x_and_their_sum() {
    let store = Store::migrated().await;
    let mut one = Till::new();
    let mut two = Till::new();
    let sold = one.sell(1_100);
    one.sell(2_200);
    one.journal().begin_refund(sold, "returned").unwrap();
    two.journal().set_float(Yen(10_000)).unwrap();
    two.sell(550);
    for (id, till) in [("01", &one), ("02", &two)] {
        let target = store.terminal(id).await;
        Shipper::new(&till.path(), &target, id, STORE)
            .unwrap()
            .catch_up()
            .await
            .unwrap();
    }
    let own_x: Vec<Report> = [&mut one, &mut two]
        .into_iter()
        .map(|t| t.journal().x_report().unwrap().unwrap())
        .collect();

    let client = connect(&store.cluster.url("till_02:pw-of-02", DATABASE)).await;
    let report = store_report(&client, STORE, ReportKind::X, None)
        .await
        .unwrap();
    let ids: Vec<&str> = report
        .terminals
        .iter()
        .map(|t| t.terminal_id.as_str())
        .collect();
    assert_eq!(ids, ["01", "02"]);
    for (terminal, own) in report.terminals.iter().zip(&own_x) {
        assert_eq!(comparable(terminal.report.clone()), comparable(own.clone()));
    }
    assert_eq!(report.total.payments.amount, Yen(1_100 + 2_200 + 550));
    assert_eq!(report.total.refunds.amount, Yen(1_100));
    assert_eq!(report.total.net_sales, Yen(2_200 + 550));
    assert_eq!(report.total.cash.expected, Yen(10_000 + 2_200 + 550));
    assert_eq!(
        report.total.payments_by_rate[0].tax,
        Yen(own_x[0].payments_by_rate[0].tax.value() + own_x[1].payments_by_rate[0].tax.value())
    );
    // The JSON is the till's own with the terminals beside it.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["net_sales"], 2_750);
    assert_eq!(json["terminals"][1]["terminal_id"], "02");
    assert_eq!(json["terminals"][1]["net_sales"], 550);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_z_waits_for_every_till_to_ship_and_close_and_is_taken_once() {
    let store = Store::migrated().await;
    let mut one = Till::new();
    let mut two = Till::new();
    one.sell(1_000);
    two.sell(2_000);
    let target_one = store.terminal("01").await;
    let target_two = store.terminal("02").await;
    let ship_one = Shipper::new(&one.path(), &target_one, "01", STORE).unwrap();
    let ship_two = Shipper::new(&two.path(), &target_two, "02", STORE)
        .unwrap()
        .with_batch(1);
    ship_one.catch_up().await.unwrap();
    one.journal().close_day_with_z_report().unwrap();
    two.journal().close_day_with_z_report().unwrap();
    ship_one.catch_up().await.unwrap();
    ship_two.ship_once().await.unwrap();

    let client = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    let date = shop_date();
    let behind = close_store_day(&client, STORE, date, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        behind.contains("02") && behind.contains("not shipped"),
        "{behind}"
    );

    ship_two.catch_up().await.unwrap();
    let z = close_store_day(&client, STORE, date, false).await.unwrap();
    assert_eq!(z.total.kind, ReportKind::Z);
    assert_eq!(z.total.net_sales, Yen(3_000));
    assert_eq!(z.terminals.len(), 2);
    let again = close_store_day(&client, STORE, date, true)
        .await
        .unwrap_err()
        .to_string();
    assert!(again.contains("already taken"), "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_z_is_refused_while_a_till_has_its_day_open_unless_forced() {
    let store = Store::migrated().await;
    let mut one = Till::new();
    one.sell(1_000);
    let target = store.terminal("01").await;
    Shipper::new(&one.path(), &target, "01", STORE)
        .unwrap()
        .catch_up()
        .await
        .unwrap();
    let client = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    let open = close_store_day(&client, STORE, shop_date(), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(open.contains("01") && open.contains("not closed"), "{open}");
    let forced = close_store_day(&client, STORE, shop_date(), true)
        .await
        .unwrap();
    assert_eq!(forced.total.net_sales, Yen(1_000));
}
