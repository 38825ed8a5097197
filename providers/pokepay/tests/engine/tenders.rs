//! Sales paid by several tenders with Pokepay as the electronic one: cash is journaled before the
//! QR or code for the rest, each tender pays its own part, and refunds go tender by tender (a
//! Pokepay payment is refunded whole only, so a part comes back from the cash).

use regi_core::domain::{AttemptState, PaymentMethod, Yen};
use regi_engine::{EngineError, RefundDone, Route};
use regi_journal::{RefundState, SaleState};
use regi_pokepay_emulator::{CUSTOMER_POOR, CUSTOMER_RICH};
use regi_testkit::engine::*;
use tokio::sync::mpsc;

#[tokio::test]
async fn cash_then_a_code_for_the_rest_charges_the_wallet_only_the_rest() {
    let (sandbox, _dir, engine) = sandboxed_engine(41).await;
    let sale = engine.create_sale(payment(3_000)).await.unwrap();
    let cash = engine.take_cash(sale.sale_id, Yen(1_000)).await.unwrap();
    assert_eq!(
        (cash.remaining, cash.sale_state),
        (Yen(2_000), SaleState::PartlyPaid)
    );
    let (tx, _rx) = mpsc::unbounded_channel();
    let token = cpm_token(&sandbox, CUSTOMER_RICH);
    let outcome = engine
        .pay_by_code_routed(&Route::default(), sale.sale_id, &token, &tx)
        .await
        .unwrap();
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(outcome.paid.as_ref().unwrap().amount, 2_000);
    let charged: Vec<Option<i64>> = sandbox
        .state
        .transactions()
        .iter()
        .map(|t| t.transaction.amount.as_yen())
        .collect();
    assert_eq!(charged, [Some(2_000)]);
    assert_eq!(sale_state(&engine, sale.sale_id).await, SaleState::Paid);
}

#[tokio::test]
async fn a_code_refused_after_cash_leaves_the_cash_and_the_rest_owed() {
    let (sandbox, _dir, engine) = sandboxed_engine(42).await;
    let sale = engine.create_sale(payment(3_000)).await.unwrap();
    engine.take_cash(sale.sale_id, Yen(500)).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let token = cpm_token(&sandbox, CUSTOMER_POOR);
    let outcome = engine.pay_by_code(sale.sale_id, &token, &tx).await.unwrap();
    assert!(
        matches!(outcome.state, AttemptState::Failed(_)),
        "{outcome:?}"
    );
    let detail = engine
        .journal()
        .call(move |j| j.sale(sale.sale_id))
        .await
        .unwrap();
    assert_eq!(detail.sale.state, SaleState::PartlyPaid);
    assert_eq!(detail.sale.remaining(), Yen(2_500));
    // The rest another way: cash for what the wallet could not pay.
    let rest = engine.take_cash(sale.sale_id, Yen(3_000)).await.unwrap();
    assert_eq!(
        (rest.applied, rest.change, rest.sale_state),
        (Yen(2_500), Yen(500), SaleState::Paid)
    );
}

#[tokio::test]
async fn a_part_comes_back_from_the_cash_because_pokepay_refunds_a_payment_only_whole() {
    let (sandbox, _dir, engine) = sandboxed_engine(43).await;
    let sale = engine.create_sale(payment(3_000)).await.unwrap();
    let sale_id = sale.sale_id;
    engine.take_cash(sale_id, Yen(1_000)).await.unwrap();
    let (run, _cancel, token) = start_qr(&engine, sale_id).await;
    sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).unwrap();
    assert!(run.await.unwrap().unwrap().is_paid());

    let part = engine
        .refund_of(sale_id, Some(Yen(500)), "one item")
        .await
        .unwrap();
    assert!(matches!(part, RefundDone::Refunded { .. }), "{part:?}");
    assert!(!sandbox.state.transactions()[0].transaction.is_modified);
    // ¥600 would need part of the QR payment: refused before anything is journaled or sent.
    let too_much = engine.refund_of(sale_id, Some(Yen(600)), "two items").await;
    assert!(
        matches!(&too_much, Err(EngineError::Gateway(e)) if e.to_string().contains("only whole")),
        "{too_much:?}"
    );
    let rest = engine.refund_of(sale_id, None, "returned").await.unwrap();
    assert!(matches!(rest, RefundDone::Refunded { .. }), "{rest:?}");
    assert!(sandbox.state.transactions()[0].transaction.is_modified);
    let detail = engine
        .journal()
        .call(move |j| j.sale(sale_id))
        .await
        .unwrap();
    assert_eq!(detail.sale.state, SaleState::Refunded);
    let methods: Vec<(PaymentMethod, i64)> = detail
        .refunds
        .iter()
        .filter(|r| r.state == RefundState::Done)
        .map(|r| {
            let tender = detail
                .attempts
                .iter()
                .find(|a| a.id == r.attempt_id)
                .unwrap();
            (tender.method, r.amount.value())
        })
        .collect();
    assert_eq!(
        methods,
        [
            (PaymentMethod::Cash, 500),
            (PaymentMethod::MerchantQr, 2_000),
            (PaymentMethod::Cash, 500)
        ]
    );
}
