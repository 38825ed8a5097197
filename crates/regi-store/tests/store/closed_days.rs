//! The store's Z of a closed day is the sum of the Zs the tills shipped when they closed it: no
//! sale of the day is read again, so it costs the same however much was sold.

use chrono::{Duration, Utc};
use regi_core::domain::Yen;
use regi_core::records::{Report, ReportKind};
use regi_store::{Shipper, close_store_day, store_report};

use super::support::{DATABASE, STORE, Store, Till, connect};

fn comparable(mut report: Report) -> Report {
    report.business_day_id = 0;
    report.first_receipt_no = None;
    report.last_receipt_no = None;
    report
}

fn shop_date() -> chrono::NaiveDate {
    (Utc::now() + Duration::hours(9)).date_naive()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_days_store_z_is_the_tills_z_as_shipped_without_reading_its_sales_again() {
    let store = Store::migrated().await;
    let mut one = Till::new();
    let mut two = Till::new();
    one.journal().set_float(Yen(5_000)).unwrap();
    let returned = one.sell(1_100);
    one.sell(330);
    one.journal().begin_refund(returned, "returned").unwrap();
    two.sell(2_200);
    let zs: Vec<Report> = [&mut one, &mut two]
        .into_iter()
        .map(|t| t.journal().close_day_with_z_report().unwrap())
        .collect();
    for (id, till) in [("01", &one), ("02", &two)] {
        let target = store.terminal(id).await;
        Shipper::new(&till.path(), &target, id, STORE)
            .unwrap()
            .catch_up()
            .await
            .unwrap();
    }
    // Were the day rebuilt from its sales, these would no longer make one.
    store
        .admin()
        .await
        .execute(
            "UPDATE regi.sales SET snapshot = '{\"sale\": {\"id\": 0}}'",
            &[],
        )
        .await
        .unwrap();

    let client = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    let z = close_store_day(&client, STORE, shop_date(), false)
        .await
        .unwrap();
    for (terminal, own) in z.terminals.iter().zip(&zs) {
        assert_eq!(comparable(terminal.report.clone()), comparable(own.clone()));
    }
    assert_eq!(z.terminals.len(), 2);
    assert_eq!(z.total.kind, ReportKind::Z);
    assert_eq!(z.total.net_sales, Yen(330 + 2_200));
    assert_eq!(z.total.refunds.amount, Yen(1_100));
    assert_eq!(
        z.total.cash.expected,
        Yen(zs[0].cash.expected.value() + zs[1].cash.expected.value())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forced_store_z_sums_one_tills_shipped_z_and_another_tills_open_day() {
    let store = Store::migrated().await;
    let mut one = Till::new();
    let mut two = Till::new();
    one.sell(1_000);
    let closed = one.journal().close_day_with_z_report().unwrap();
    two.sell(700);
    two.sell(300);
    let open = two.journal().x_report().unwrap().unwrap();
    for (id, till) in [("01", &one), ("02", &two)] {
        let target = store.terminal(id).await;
        Shipper::new(&till.path(), &target, id, STORE)
            .unwrap()
            .catch_up()
            .await
            .unwrap();
    }
    let client = connect(&store.cluster.url("till_02:pw-of-02", DATABASE)).await;
    let seen = store_report(&client, STORE, ReportKind::Z, Some(shop_date()))
        .await
        .unwrap();
    assert_eq!(
        comparable(seen.terminals[0].report.clone()),
        comparable(closed)
    );
    let mut rebuilt = comparable(seen.terminals[1].report.clone());
    let mut own = comparable(open);
    rebuilt.generated_at = String::new();
    own.generated_at = String::new();
    own.kind = ReportKind::Z;
    assert_eq!(rebuilt, own);
    assert_eq!(seen.total.net_sales, Yen(2_000));
}
