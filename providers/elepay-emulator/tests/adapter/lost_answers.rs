//! elepay has no idempotency header: a create whose answer was lost is found by its order number
//! before any new create, an order paid meanwhile is read as paid, and a sale is looked up by the
//! attempt's key.

use regi_elepay::CaptureMode;
use regi_elepay_emulator::{FaultPlan, customer};
use regi_payment::{GatewayError, PaymentGateway, QrStatus};

use crate::support::{Harness, gateway_for, hosted_page, kind, wallet_qr};

fn dropping() -> FaultPlan {
    FaultPlan {
        drop: 1.0,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_found_by_its_order_number_before_any_new_create() {
    let h = Harness::start().await;
    let request = wallet_qr(1500, "paypay");
    h.emulator.state.set_fault_plan(dropping());
    let lost = h.gateway.create_qr(&request).await.unwrap_err();
    assert!(lost.is_unknown(), "{lost:?}");
    h.emulator.state.set_fault_plan(FaultPlan::default());
    let made = h.ledger().await;
    assert_eq!(made.len(), 1, "the create took effect without an answer");

    let session = h.create(&request).await;
    assert_eq!(session.id, format!("charge:{}", made[0].id));
    assert!(!session.token.is_empty());
    assert_eq!(h.ledger().await.len(), 1, "no second charge for the sale");
    h.pay(&session, "alice").await;
    assert_eq!(kind(&h.status(&session).await), "paid");
}

#[tokio::test]
async fn a_sale_paid_after_its_create_was_lost_is_read_as_paid() {
    let h = Harness::start().await;
    let request = wallet_qr(1500, "paypay");
    h.emulator.state.set_fault_plan(dropping());
    assert!(
        h.gateway
            .create_qr(&request)
            .await
            .unwrap_err()
            .is_unknown()
    );
    h.emulator.state.set_fault_plan(FaultPlan::default());
    let charge_id = h.ledger().await[0].id.clone();
    customer::pay(h.url(), &charge_id, "alice").await.unwrap();

    let session = h.create(&request).await;
    assert_eq!(session.id, format!("charge:{charge_id}"));
    let QrStatus::Paid(paid) = h.status(&session).await else {
        panic!("expected paid");
    };
    assert_eq!(paid.transaction_id, charge_id);
    assert_eq!(h.ledger().await.len(), 1);
}

#[tokio::test]
async fn an_order_already_paid_is_answered_with_its_charge_never_a_failure() {
    let h = Harness::start().await;
    let request = wallet_qr(600, "paypay");
    let first = h.create(&request).await;
    h.pay(&first, "alice").await;
    // A register that restarted knows nothing of the first create; elepay refuses a second
    // charge for the paid order, and that refusal means paid.
    let restarted = gateway_for(&h.emulator, &h.emulator.secret_key, CaptureMode::Auto);
    for retry in [request.clone(), {
        let mut page = hosted_page(600);
        page.reference = request.reference.clone();
        page
    }] {
        let session = restarted.create_qr(&retry).await.unwrap();
        assert_eq!(session.id, first.id);
        let status = restarted.qr_status(&session.id).await.unwrap();
        assert_eq!(kind(&status), "paid");
    }
    assert_eq!(h.ledger().await.len(), 1);
}

#[tokio::test]
async fn a_page_whose_create_got_no_answer_is_an_unknown_outcome_and_shows_nothing() {
    let h = Harness::start().await;
    h.emulator.state.set_fault_plan(dropping());
    let err = h.gateway.create_qr(&hosted_page(400)).await.unwrap_err();
    assert!(matches!(err, GatewayError::Unknown(_)), "{err:?}");
    h.emulator.state.set_fault_plan(FaultPlan::default());
    assert!(
        h.ledger().await.is_empty(),
        "nobody can pay a code never shown"
    );
}

#[tokio::test]
async fn a_paid_sale_is_found_by_the_attempts_key_and_an_unpaid_one_is_not() {
    let h = Harness::start().await;
    let (paid_request, paid) = h.paid(1000).await;
    let found = h.gateway.lookup_request(paid_request.request_id).await;
    assert_eq!(found.unwrap(), Some(paid));

    let open = wallet_qr(1000, "paypay");
    h.create(&open).await;
    assert_eq!(
        h.gateway.lookup_request(open.request_id).await.unwrap(),
        None
    );
    let never_sent = wallet_qr(1000, "paypay");
    assert_eq!(
        h.gateway
            .lookup_request(never_sent.request_id)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_lookup_without_an_answer_is_unknown_not_nothing() {
    let h = Harness::start().await;
    h.emulator.state.set_fault_plan(FaultPlan {
        unavailable: 1.0,
        ..Default::default()
    });
    let err = h
        .gateway
        .lookup_request(wallet_qr(1, "paypay").request_id)
        .await
        .unwrap_err();
    assert!(err.is_unknown(), "{err:?}");
}
