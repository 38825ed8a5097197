//! How the client sorts what went wrong (refused / unknown / configuration) and how a create whose
//! answer was lost is resolved by order number, under the emulator's faults.

use std::time::Duration;

use regi_elepay::wire::{ChargeReq, ChargeStatus, KnownPaymentMethod};
use regi_elepay::{AuthScheme, ClientConfig, ElepayClient, ElepayError, SecretKey};
use regi_elepay_emulator::{EmulatorConfig, FaultPlan, customer};

use crate::support::{Harness, client_for, id, order_no};

fn mpm(order: &str) -> ChargeReq {
    ChargeReq::mpm(1000, order, KnownPaymentMethod::Paypay.into(), true)
}

/// A moment before anything in the test was created.
fn window_start(h: &Harness) -> i64 {
    h.emulator.state.now() - 1_000
}

#[tokio::test]
async fn a_create_whose_answer_was_dropped_is_unknown_and_found_by_order_number_as_one_charge() {
    let h = Harness::start().await;
    let from = window_start(&h);
    let order = order_no();
    h.emulator.state.set_fault_plan(FaultPlan {
        drop: 1.0,
        ..Default::default()
    });
    let err = h.client.create_charge(&mpm(&order)).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    h.emulator.state.set_fault_plan(FaultPlan::default());

    let found = h
        .client
        .find_charge_by_order_no(&order, from)
        .await
        .unwrap();
    let found = found.expect("the dropped create took effect");
    assert_eq!(found.order_no.as_deref(), Some(order.as_str()));
    let ledger = h.transactions().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].id, id(&found));
}

#[tokio::test]
async fn a_create_whose_answer_never_came_is_unknown_until_resolved_by_order_number() {
    let config = EmulatorConfig {
        faults: FaultPlan {
            timeout: 1.0,
            ..Default::default()
        },
        hold: Duration::from_secs(30),
        ..Default::default()
    };
    let h = Harness::start_with(config).await;
    let mut client_config =
        ClientConfig::new(h.emulator.base_url.clone(), h.emulator.secret_key.clone());
    client_config.timeout = Duration::from_millis(300);
    let impatient = ElepayClient::new(client_config).unwrap();
    let from = window_start(&h);
    let order = order_no();
    let err = impatient.create_charge(&mpm(&order)).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    h.emulator.state.set_fault_plan(FaultPlan::default());
    let found = h
        .client
        .find_charge_by_order_no(&order, from)
        .await
        .unwrap();
    assert_eq!(found.unwrap().status, Some(ChargeStatus::Pending));
}

#[tokio::test]
async fn a_sale_paid_after_its_create_was_lost_is_refused_again_as_already_paid() {
    let h = Harness::start().await;
    let from = window_start(&h);
    let order = order_no();
    h.emulator.state.set_fault_plan(FaultPlan {
        drop: 1.0,
        ..Default::default()
    });
    assert!(h.client.create_charge(&mpm(&order)).await.is_err());
    h.emulator.state.set_fault_plan(FaultPlan::default());
    // The customer scanned the code the till never received an answer for.
    let charge_id = h.transactions().await[0].id.clone();
    customer::pay(h.url(), &charge_id, "alice").await.unwrap();

    let err = h.client.create_charge(&mpm(&order)).await.unwrap_err();
    assert!(err.is_order_already_paid(), "{err}");
    let found = h
        .client
        .find_charge_by_order_no(&order, from)
        .await
        .unwrap();
    assert_eq!(found.unwrap().status, Some(ChargeStatus::Captured));
    assert_eq!(h.transactions().await.len(), 1);
}

#[tokio::test]
async fn no_charge_for_an_order_number_means_a_create_is_safe() {
    let h = Harness::start().await;
    h.charge(100, true).await;
    let found = h
        .client
        .find_charge_by_order_no("never-sent", window_start(&h))
        .await
        .unwrap();
    assert!(found.is_none());
}

#[tokio::test]
async fn an_order_number_is_found_beyond_the_first_page_of_charges() {
    let h = Harness::start().await;
    let from = window_start(&h);
    for _ in 0..101 {
        h.charge(100, true).await;
    }
    let order = order_no();
    let target = h.client.create_charge(&mpm(&order)).await.unwrap();
    let found = h
        .client
        .find_charge_by_order_no(&order, from)
        .await
        .unwrap();
    assert_eq!(found.unwrap().id, target.id);
}

#[tokio::test]
async fn an_unavailable_emulator_gives_an_unknown_outcome_and_charges_nothing() {
    let config = EmulatorConfig {
        faults: FaultPlan {
            unavailable: 1.0,
            ..Default::default()
        },
        ..Default::default()
    };
    let h = Harness::start_with(config).await;
    let create = h.client.create_charge(&mpm(&order_no())).await.unwrap_err();
    assert!(create.is_outcome_unknown(), "{create}");
    assert!(create.to_string().contains("HTTP 503"), "{create}");
    let read = h.client.retrieve_charge("cha_any").await.unwrap_err();
    assert!(read.is_outcome_unknown(), "{read}");
    assert!(h.transactions().await.is_empty());
}

#[tokio::test]
async fn a_wrong_key_is_a_configuration_error_that_never_shows_the_key() {
    let h = Harness::start().await;
    h.client.check_key().await.unwrap();
    for scheme in [AuthScheme::Bearer, AuthScheme::Basic] {
        let wrong = client_for(&h.emulator, scheme, &SecretKey::new("sk_test_wrongkey"));
        let err = wrong.check_key().await.unwrap_err();
        match &err {
            ElepayError::Config { status, .. } => assert_eq!(*status, Some(401)),
            other => panic!("expected a configuration error, got {other:?}"),
        }
        assert!(err.to_string().contains("secret_key"), "{err}");
        assert!(!err.to_string().contains("wrongkey"), "{err}");
        assert!(!format!("{err:?}").contains("wrongkey"));
        let create = wrong.create_charge(&mpm(&order_no())).await.unwrap_err();
        assert!(create.is_config());
    }
    assert!(h.transactions().await.is_empty());
}
