//! A sale rung with a price the clerk overrode keeps, in its events, the price replaced beside
//! the one sold, written in the same transaction as the sale.

use super::SaleMeta;
use super::test_support::journal;
use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};

#[test]
fn a_price_override_is_journaled_with_the_sale_and_the_price_it_replaced() {
    let (_dir, mut journal) = journal();
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
    cart.add_manual(Yen(500), TaxRate::Standard10, Some("傘"))
        .unwrap();
    cart.override_price(0, Yen(300)).unwrap();
    let created = journal
        .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
        .unwrap();
    let detail = journal.sale(created.sale_id).unwrap();
    assert_eq!(detail.sale.total, Yen(300));
    let changed: Vec<_> = detail
        .events
        .iter()
        .filter(|e| e.kind == "price_overridden")
        .map(|e| {
            (
                e.detail["line_no"].clone(),
                e.detail["from"].clone(),
                e.detail["to"].clone(),
            )
        })
        .collect();
    assert_eq!(changed, vec![(1.into(), 500.into(), 300.into())]);
}
