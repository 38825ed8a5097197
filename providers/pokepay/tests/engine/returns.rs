//! Returns of lines of a sale paid by Pokepay through the engine: Pokepay refunds a payment only
//! whole, so the returned part goes back in cash from the drawer and the payment is untouched;
//! the rest refunded later goes back in cash too (refunding the payment whole would give the
//! returned part twice).

use regi_core::domain::{AmountGuard, Cart, Department, ReturnedLine, TaxPolicy, TaxRate, Yen};
use regi_engine::RefundDone;
use regi_journal::SaleState;
use regi_pokepay_emulator::CUSTOMER_RICH;
use regi_testkit::engine::*;

/// ¥1,000 of food (8 %) and ¥500 at 10 %.
fn two_lines() -> regi_core::domain::SaleDraft {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
    let food = Department {
        number: 2,
        name: "食品".into(),
        rate: TaxRate::Reduced8,
        price: None,
    };
    cart.add_department(&food, Some(Yen(1_000))).unwrap();
    cart.add_manual(Yen(500), TaxRate::Standard10, None)
        .unwrap();
    cart.checkout().unwrap()
}

#[tokio::test]
async fn a_returned_line_of_a_pokepay_sale_and_the_rest_after_it_go_back_in_cash() {
    let (sandbox, _dir, engine) = sandboxed_engine(61).await;
    let sale_id = engine.create_sale(two_lines()).await.unwrap().sale_id;
    let (run, _cancel, token) = start_qr(&engine, sale_id).await;
    sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).unwrap();
    assert!(run.await.unwrap().unwrap().is_paid());

    let food = vec![ReturnedLine {
        line_no: 1,
        quantity: 1,
    }];
    let returned = engine
        .return_lines(sale_id, food, "wrong item")
        .await
        .unwrap();
    assert!(matches!(returned.outcome, RefundDone::Refunded { .. }));
    assert_eq!(returned.record.tax.reduced.taxable_total, Yen(1_000));
    assert_eq!(returned.parts.len(), 1);
    assert!(returned.parts[0].cash_back);
    assert!(!sandbox.state.transactions()[0].transaction.is_modified);

    let rest = engine.refund_of(sale_id, None, "the rest").await.unwrap();
    assert!(matches!(rest, RefundDone::Refunded { .. }), "{rest:?}");
    assert!(
        !sandbox.state.transactions()[0].transaction.is_modified,
        "the payment is never refunded whole after a part went back in cash"
    );
    let detail = engine
        .journal()
        .call(move |j| j.sale(sale_id))
        .await
        .unwrap();
    assert_eq!(detail.sale.state, SaleState::Refunded);
    let back: Vec<(i64, bool)> = detail
        .refunds
        .iter()
        .map(|r| (r.amount.value(), r.cash_back))
        .collect();
    assert_eq!(back, [(1_000, true), (500, true)]);
}
