//! The emulator's own promises: loopback only, a state file that survives a restart (0600), the
//! regi `[elepay]` table, the sandbox ledger, and elepay's wire details the SDKs check.

use std::os::unix::fs::PermissionsExt;

use regi_elepay::wire::{ChargeStatus, JSON_CONTENT_TYPE};
use regi_elepay::{ClientConfig, ElepayClient, SecretKey};
use regi_elepay_emulator::{EmulatorConfig, EmulatorError, EmulatorState, customer, serve};
use tokio::net::TcpListener;

use crate::support::{Harness, id};

#[tokio::test]
async fn the_emulator_refuses_to_listen_beyond_this_machine() {
    let listener = TcpListener::bind("0.0.0.0:0").await.unwrap();
    let state = EmulatorState::new(EmulatorConfig::default()).unwrap();
    let err = serve(listener, state, async {}).await.unwrap_err();
    assert!(matches!(err, EmulatorError::NotLoopback(_)), "{err}");
}

#[tokio::test]
async fn the_customer_side_refuses_an_address_beyond_this_machine() {
    let err = customer::pay("http://192.0.2.1:4020", "cha_x", "alice")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("loopback"), "{err}");
}

#[tokio::test]
async fn the_state_file_brings_back_charges_and_the_key_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("elepay-state.json");
    let config = || EmulatorConfig {
        state_file: Some(path.clone()),
        ..Default::default()
    };
    let first = Harness::start_with(config()).await;
    let charge = first.paid_charge(1300, true).await;
    let key = first.emulator.secret_key.clone();
    first.emulator.shutdown().await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    let second = Harness::start_with(config()).await;
    assert_eq!(second.emulator.secret_key, key);
    let again = second.client.retrieve_charge(id(&charge)).await.unwrap();
    assert_eq!(again.status, Some(ChargeStatus::Captured));
}

#[tokio::test]
async fn the_regi_config_table_points_a_client_at_the_emulator() {
    let h = Harness::start().await;
    let text = h.emulator.regi_config();
    let table: toml::Value = toml::from_str(&text).unwrap();
    let elepay = &table["elepay"];
    let config = ClientConfig::new(
        elepay["api_base_url"].as_str().unwrap(),
        SecretKey::new(elepay["secret_key"].as_str().unwrap()),
    );
    ElepayClient::new(config)
        .unwrap()
        .check_key()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_sandbox_ledger_lists_every_charge_with_its_amounts() {
    let h = Harness::start().await;
    let held = h.paid_charge(2000, false).await;
    h.client
        .capture_charge(id(&held), Some(1500))
        .await
        .unwrap();
    let pending = h.charge(400, true).await;
    let ledger = h.transactions().await;
    assert_eq!(ledger.len(), 2);
    let first = &ledger[0];
    assert_eq!(first.id, id(&held));
    assert_eq!(first.order_no, held.order_no.clone().unwrap());
    assert_eq!((first.amount, first.authorize_amount), (1500, 2000));
    assert_eq!((first.captured_amount, first.refunded_amount), (1500, 0));
    assert_eq!(first.customer.as_deref(), Some("alice"));
    assert_eq!(ledger[1].id, id(&pending));
    assert_eq!(ledger[1].status, ChargeStatus::Pending);
    assert_eq!(ledger[1].captured_amount, 0);
}

#[tokio::test]
async fn answers_carry_elepays_exact_content_type_and_201_on_create() {
    let h = Harness::start().await;
    let http = reqwest::Client::new();
    let key = h.emulator.secret_key.expose();
    let created = http
        .post(format!("{}/charges", h.url()))
        .bearer_auth(key)
        .header("content-type", "application/json;charset=utf-8")
        .body(r#"{"amount":100,"orderNo":"raw-1","paymentMethod":"paypay","resource":"mpm"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.headers()["content-type"], JSON_CONTENT_TYPE);
    let body: serde_json::Value = created.json().await.unwrap();
    assert!(body["createTime"].is_i64());
    assert!(
        body.get("credential").is_none(),
        "absent fields are left out"
    );

    let missing = http
        .post(format!("{}/charges", h.url()))
        .bearer_auth(key)
        .body(r#"{"amount":100,"paymentMethod":"paypay"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 400);
    assert_eq!(missing.headers()["content-type"], JSON_CONTENT_TYPE);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["code"], "M002001");

    let anonymous = http
        .get(format!("{}/charges", h.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let body: serde_json::Value = anonymous.json().await.unwrap();
    assert_eq!(body["code"], "M004002");
}
