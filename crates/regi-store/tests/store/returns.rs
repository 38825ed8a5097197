//! Returns at any till: a receipt of till 01 looked up from till 02 in the store, copied into
//! till 02's journal and refunded there, then seen as given back from every other till, and
//! counted once in the store's report.

use regi_core::domain::Yen;
use regi_core::records::ReportKind;
use regi_store::returns::{ReceiptInStore, receipt_in_store, returned_elsewhere};
use regi_store::{Shipper, store_report};

use super::support::{DATABASE, STORE, Store, Till, connect};

#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_of_one_till_is_returned_at_another_once_and_counted_once() {
    let store = Store::migrated().await;
    let mut one = Till::new();
    let mut two = Till::new();
    let targets = [
        store.terminal("01").await,
        store.terminal("02").await,
        store.terminal("03").await,
    ];
    let sold = one.sell(1_100);
    two.sell(300);
    let ship = async |till: &Till, id: &str, target| {
        Shipper::new(&till.path(), target, id, STORE)
            .unwrap()
            .catch_up()
            .await
            .unwrap();
    };
    ship(&one, "01", &targets[0]).await;
    ship(&two, "02", &targets[1]).await;

    let at_two = connect(&store.cluster.url("till_02:pw-of-02", DATABASE)).await;
    let receipt_no = one.journal().sale(sold).unwrap().sale.receipt_no;
    let ReceiptInStore::Found(shipped) = receipt_in_store(&at_two, STORE, "01", receipt_no, "02")
        .await
        .unwrap()
    else {
        panic!("till 01's sale is in the store");
    };
    assert_eq!(
        (shipped.terminal_id.as_str(), shipped.sale_id),
        ("01", sold)
    );
    let copy = two
        .journal()
        .copy_other_tills_sale("01", &shipped.snapshot)
        .unwrap();
    two.journal().begin_refund(copy, "returned at 02").unwrap();
    ship(&two, "02", &targets[1]).await;

    let at_three = connect(&store.cluster.url("till_03:pw-of-03", DATABASE)).await;
    assert_eq!(
        receipt_in_store(&at_three, STORE, "01", receipt_no, "03")
            .await
            .unwrap(),
        ReceiptInStore::ReturnedAt("02".into())
    );
    let at_one = connect(&store.cluster.url("till_01:pw-of-01", DATABASE)).await;
    assert_eq!(
        returned_elsewhere(&at_one, "01", sold, "01").await.unwrap(),
        Some("02".into()),
        "till 01 must not give its sale back again"
    );
    assert_eq!(
        returned_elsewhere(&at_two, "01", sold, "02").await.unwrap(),
        None,
        "till 02's own copy is its journal's to judge"
    );
    assert_eq!(
        receipt_in_store(&at_two, STORE, "01", 999, "02")
            .await
            .unwrap(),
        ReceiptInStore::NotShipped
    );
    assert_eq!(
        receipt_in_store(&at_two, STORE, "77", 1, "02")
            .await
            .unwrap(),
        ReceiptInStore::NotOurTill
    );

    let report = store_report(&at_two, STORE, ReportKind::X, None)
        .await
        .unwrap();
    assert_eq!(report.total.payments.amount, Yen(1_100 + 300));
    assert_eq!(report.total.payments.count, 2);
    assert_eq!(report.total.refunds.amount, Yen(1_100));
    assert_eq!(report.total.refunds.count, 1);
    let by_till: Vec<(&str, i64, i64)> = report
        .terminals
        .iter()
        .map(|t| {
            (
                t.terminal_id.as_str(),
                t.report.payments.amount.value(),
                t.report.refunds.amount.value(),
            )
        })
        .collect();
    assert_eq!(by_till, [("01", 1_100, 0), ("02", 300, 1_100)]);
    let own_x = two.journal().x_report().unwrap().unwrap();
    assert_eq!(report.terminals[1].report.refunds, own_x.refunds);
    assert_eq!(report.terminals[1].report.cash, own_x.cash);
}
