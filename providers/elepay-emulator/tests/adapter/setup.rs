//! The `[elepay]` table the emulator writes builds a working gateway, and the doctor's checks
//! against a running emulator: a good key, a wrong one, and no server.

use regi_core::lang::Lang;
use regi_elepay::doctor::{DoctorTexts, api_checks, key_check};
use regi_elepay::{ElepaySettings, build_gateway};
use regi_payment::PaymentGateway;

use crate::support::{Harness, kind, wallet_qr};

fn settings_from(text: &str) -> ElepaySettings {
    let config: toml::Table = text.parse().unwrap();
    let table = config["elepay"].as_table().unwrap();
    ElepaySettings::from_table(table).unwrap()
}

#[tokio::test]
async fn the_emulators_regi_table_builds_a_gateway_that_takes_a_payment() {
    let h = Harness::start().await;
    let settings = settings_from(&h.emulator.regi_config());
    let gateway = build_gateway(&settings).unwrap();
    let session = gateway.create_qr(&wallet_qr(450, "merpay")).await.unwrap();
    h.pay(&session, "alice").await;
    let status = gateway.qr_status(&session.id).await.unwrap();
    assert_eq!(kind(&status), "paid");
}

#[tokio::test]
async fn the_doctor_proves_a_good_key_and_names_a_wrong_one_without_showing_it() {
    let h = Harness::start().await;
    let good = settings_from(&h.emulator.regi_config());
    assert!(key_check(&good, Lang::En).ok);
    let checks = api_checks(&good, Lang::En).await;
    assert_eq!(checks.len(), 1);
    assert!(checks[0].ok, "{:?}", checks[0]);

    let wrong = settings_from(&format!(
        "[elepay]\napi_base_url = \"{}\"\nsecret_key = \"sk_test_NotTheKey7\"\n",
        h.url()
    ));
    let checks = api_checks(&wrong, Lang::Ja).await;
    assert!(!checks[0].ok);
    assert_eq!(
        checks[0].hint.as_deref(),
        Some(DoctorTexts::of(Lang::Ja).hint_wrong_key)
    );
    assert!(!format!("{:?}", checks[0]).contains("NotTheKey7"));
}

#[tokio::test]
async fn the_doctor_points_at_the_network_when_no_server_answers() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let settings = settings_from(&format!(
        "[elepay]\napi_base_url = \"{url}\"\nsecret_key = \"sk_test_1\"\n"
    ));
    let checks = api_checks(&settings, Lang::En).await;
    assert!(!checks[0].ok);
    assert_eq!(
        checks[0].hint.as_deref(),
        Some(DoctorTexts::of(Lang::En).hint_unreachable)
    );
}

#[tokio::test]
async fn without_a_key_the_doctor_says_so_once_and_calls_nothing() {
    let settings = ElepaySettings::default();
    assert!(!key_check(&settings, Lang::En).ok);
    assert!(api_checks(&settings, Lang::En).await.is_empty());
}

#[tokio::test]
async fn a_gateway_sending_the_key_as_basic_auth_takes_a_payment_too() {
    let h = Harness::start().await;
    let settings = settings_from(&format!("{}auth = \"basic\"\n", h.emulator.regi_config()));
    assert_eq!(settings.auth, regi_elepay::AuthScheme::Basic);
    let gateway = build_gateway(&settings).unwrap();
    let session = gateway.create_qr(&wallet_qr(450, "paypay")).await.unwrap();
    h.pay(&session, "bob").await;
    assert_eq!(kind(&gateway.qr_status(&session.id).await.unwrap()), "paid");
}
