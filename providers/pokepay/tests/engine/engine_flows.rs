//! The checkout engine against the sandbox: both payment flows, failures, cancel (and the cancel
//! race), top-up, refunds and report sums, through the real client over loopback HTTP.

use regi_core::domain::{AttemptState, FailReason, PaymentMethod};
use regi_engine::RefundDone;
use regi_journal::SaleState;
use regi_pokepay_emulator::{CUSTOMER_POOR, CUSTOMER_RICH, FaultPlan};
use regi_testkit::engine::*;
use tokio::sync::{mpsc, watch};

#[tokio::test]
async fn qr_paid_by_the_customer_is_journaled_as_paid() {
    let (sandbox, _dir, engine) = sandboxed_engine(1).await;
    let sale = engine.create_sale(payment(1_200)).await.unwrap();
    let (run, _cancel, token) = start_qr(&engine, sale.sale_id).await;
    assert!(token.starts_with("https://"), "{token}");
    let paid = sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).unwrap();
    let outcome = run.await.unwrap().unwrap();
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(
        outcome.state.transaction_id(),
        Some(paid.transaction.id.to_string().as_str())
    );
    assert_eq!(outcome.paid.as_ref().unwrap().amount, 1_200);
    assert_eq!(sale_state(&engine, sale.sale_id).await, SaleState::Paid);
    assert_eq!(sandbox.state.transactions().len(), 1);
}

#[tokio::test]
async fn qr_refused_for_insufficient_balance_is_a_failure_with_its_reason() {
    let (sandbox, _dir, engine) = sandboxed_engine(2).await;
    let sale = engine.create_sale(payment(5_000)).await.unwrap();
    let (run, _cancel, token) = start_qr(&engine, sale.sale_id).await;
    assert!(sandbox.state.pay_cashtray(&token, CUSTOMER_POOR).is_err());
    let outcome = run.await.unwrap().unwrap();
    match &outcome.state {
        AttemptState::Failed(failure) => {
            assert_eq!(failure.reason, FailReason::InsufficientBalance)
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    let refusal = outcome.refusal.unwrap();
    assert_eq!(refusal.error_type, "account_balance_not_enough");
    assert!(!refusal.message_ja.is_empty() && !refusal.message_en.is_empty());
    assert!(sandbox.state.transactions().is_empty());
}

#[tokio::test]
async fn clerk_cancel_of_an_unpaid_qr_is_cancelled() {
    let (sandbox, _dir, engine) = sandboxed_engine(3).await;
    let sale = engine.create_sale(payment(800)).await.unwrap();
    let (run, cancel, token) = start_qr(&engine, sale.sale_id).await;
    cancel.send(true).unwrap();
    let outcome = run.await.unwrap().unwrap();
    assert_eq!(outcome.state, AttemptState::Cancelled);
    // The tray is really cancelled: a late scan is refused and nothing is charged.
    assert!(sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).is_err());
    assert!(sandbox.state.transactions().is_empty());
}

#[tokio::test]
async fn cancel_after_the_customer_paid_reports_paid() {
    let sandbox = sandbox(FaultPlan::default(), 4).await;
    let dir = tempfile::tempdir().unwrap();
    // Polls far apart, so the cancel arrives before the engine has seen the payment.
    let mut settings = fast_settings();
    settings.poll.fresh_interval = std::time::Duration::from_secs(3600);
    let engine = engine(gateway(&sandbox), dir.path(), settings);
    let sale = engine.create_sale(payment(2_000)).await.unwrap();
    let (run, cancel, token) = start_qr(&engine, sale.sale_id).await;
    sandbox.state.pay_cashtray(&token, CUSTOMER_RICH).unwrap();
    cancel.send(true).unwrap();
    let outcome = run.await.unwrap().unwrap();
    assert!(
        outcome.is_paid(),
        "a payment made before the cancel must win: {outcome:?}"
    );
    assert_eq!(sale_state(&engine, sale.sale_id).await, SaleState::Paid);
}

#[tokio::test]
async fn qr_left_unpaid_expires() {
    let sandbox = sandbox(FaultPlan::default(), 5).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fast_settings();
    settings.qr_expires_in = std::time::Duration::from_secs(1);
    settings.poll.fresh_interval = std::time::Duration::from_millis(100);
    let engine = engine(gateway(&sandbox), dir.path(), settings);
    let sale = engine.create_sale(payment(300)).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let (_cancel, cancel_rx) = watch::channel(false);
    let outcome = engine
        .pay_by_qr(sale.sale_id, cancel_rx, &tx)
        .await
        .unwrap();
    assert_eq!(outcome.state, AttemptState::Expired);
}

#[tokio::test]
async fn customer_code_payment_sends_one_request_id_and_products() {
    let (sandbox, _dir, engine) = sandboxed_engine(6).await;
    let sale = engine.create_sale(payment(1_500)).await.unwrap();
    let token = cpm_token(&sandbox, CUSTOMER_RICH);
    let (tx, _rx) = mpsc::unbounded_channel();
    let outcome = engine.pay_by_code(sale.sale_id, &token, &tx).await.unwrap();
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(outcome.method, PaymentMethod::CustomerCode);
    let transactions = sandbox.state.transactions();
    assert_eq!(transactions.len(), 1);
    assert_eq!(transactions[0].transaction.amount.as_yen(), Some(1_500));
    // Scanning the same code again is refused: the token is one-time.
    let again = engine.create_sale(payment(100)).await.unwrap();
    let outcome = engine
        .pay_by_code(again.sale_id, &token, &tx)
        .await
        .unwrap();
    match outcome.state {
        AttemptState::Failed(failure) => assert_eq!(failure.reason, FailReason::TokenUsed),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(sandbox.state.transactions().len(), 1);
}

#[tokio::test]
async fn topup_by_qr_moves_money_to_the_customer() {
    let (sandbox, _dir, engine) = sandboxed_engine(7).await;
    let before = balance(&sandbox, CUSTOMER_POOR);
    let sale = engine.create_sale(topup(3_000)).await.unwrap();
    let (run, _cancel, token) = start_qr(&engine, sale.sale_id).await;
    sandbox.state.pay_cashtray(&token, CUSTOMER_POOR).unwrap();
    assert!(run.await.unwrap().unwrap().is_paid());
    assert_eq!(balance(&sandbox, CUSTOMER_POOR), before + 3_000);
    assert_eq!(sandbox.state.transactions()[0].transaction.kind, "topup");
}

#[tokio::test]
async fn refund_happens_once_and_restores_the_balance() {
    let (sandbox, _dir, engine) = sandboxed_engine(8).await;
    let before = balance(&sandbox, CUSTOMER_RICH);
    let sale = engine.create_sale(payment(2_500)).await.unwrap();
    let token = cpm_token(&sandbox, CUSTOMER_RICH);
    let (tx, _rx) = mpsc::unbounded_channel();
    assert!(
        engine
            .pay_by_code(sale.sale_id, &token, &tx)
            .await
            .unwrap()
            .is_paid()
    );
    assert_eq!(balance(&sandbox, CUSTOMER_RICH), before - 2_500);

    let done = engine.refund(sale.sale_id, "返品").await.unwrap();
    assert!(matches!(done, RefundDone::Refunded { .. }), "{done:?}");
    assert_eq!(balance(&sandbox, CUSTOMER_RICH), before);
    assert_eq!(sale_state(&engine, sale.sale_id).await, SaleState::Refunded);
    // A second refund is refused by the journal before anything is sent.
    assert!(engine.refund(sale.sale_id, "again").await.is_err());
    assert!(sandbox.state.transactions()[0].transaction.is_modified);
}

#[tokio::test]
async fn x_report_sums_equal_the_sandbox_ledger() {
    let (sandbox, _dir, engine) = sandboxed_engine(9).await;
    let (tx, _rx) = mpsc::unbounded_channel();
    for yen in [100, 2_000, 35_000, 999] {
        let sale = engine.create_sale(payment(yen)).await.unwrap();
        let token = cpm_token(&sandbox, CUSTOMER_RICH);
        assert!(
            engine
                .pay_by_code(sale.sale_id, &token, &tx)
                .await
                .unwrap()
                .is_paid()
        );
    }
    let report = engine
        .journal()
        .call(|j| j.x_report())
        .await
        .unwrap()
        .expect("a day is open");
    let ledger: i64 = sandbox
        .state
        .transactions()
        .iter()
        .filter_map(|t| t.transaction.amount.as_yen())
        .sum();
    let text = report.to_text();
    assert_eq!(ledger, 38_099);
    assert!(text.contains("38,099"), "{text}");
}

/// Money plus points: payments spend points first, refunds give both back.
fn balance(sandbox: &regi_pokepay_emulator::RunningSandbox, name: &str) -> i64 {
    let customer = sandbox
        .state
        .customers()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap();
    customer.money_balance + customer.point_balance
}

#[tokio::test]
async fn the_empty_wallet_refuses_even_the_smallest_qr_for_lack_of_balance() {
    let (sandbox, _dir, engine) = sandboxed_engine(10).await;
    let sale = engine.create_sale(payment(1)).await.unwrap();
    let (run, _cancel, token) = start_qr(&engine, sale.sale_id).await;
    assert!(
        sandbox
            .state
            .pay_cashtray(&token, regi_pokepay_emulator::CUSTOMER_EMPTY)
            .is_err()
    );
    let outcome = run.await.unwrap().unwrap();
    assert_eq!(
        outcome.refusal.unwrap().error_type,
        "account_balance_not_enough"
    );
}
