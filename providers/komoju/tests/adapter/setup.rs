//! The `[komoju]` table the emulator writes builds a gateway that pays, and `regi doctor`'s
//! checks pass a good key and name the fix for a wrong one without showing it.

use regi_core::lang::Lang;
use regi_komoju::doctor::{self, DoctorTexts};
use regi_komoju::{KomojuSettings, build_gateway};
use regi_payment::{PaymentGateway, QrStatus};

use crate::support::{harness, qr_request};

fn komoju_table(text: &str) -> toml::Table {
    let file: toml::Table = text.parse().unwrap();
    file["komoju"].as_table().unwrap().clone()
}

#[tokio::test]
async fn the_table_the_emulator_writes_builds_a_gateway_that_pays() {
    let h = harness().await;
    let settings = KomojuSettings::from_table(&komoju_table(&h.emulator.regi_config())).unwrap();
    let gateway = build_gateway(&settings).unwrap();
    let session = gateway.create_qr(&qr_request(600)).await.unwrap();
    h.customer_pays(&session, "paypay");
    assert!(matches!(
        gateway.qr_status(&session.id).await.unwrap(),
        QrStatus::Paid(_)
    ));
}

#[tokio::test]
async fn doctor_passes_a_good_key_against_a_running_komoju() {
    let h = harness().await;
    let table = komoju_table(&h.emulator.regi_config());
    let checks = doctor::checks(Some(&table), Lang::En).await;
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|c| c.ok), "{checks:?}");
}

#[tokio::test]
async fn doctor_names_the_fix_for_a_wrong_key_without_showing_it() {
    let h = harness().await;
    let text = format!(
        "[komoju]\napi_base_url = \"{}\"\nsecret_key = \"sk_test_wrong_hunter2\"\n",
        h.emulator.api_base_url
    );
    let checks = doctor::checks(Some(&komoju_table(&text)), Lang::Ja).await;
    assert!(checks[0].ok, "the key is set");
    assert!(!checks[1].ok);
    assert_eq!(
        checks[1].hint.as_deref(),
        Some(DoctorTexts::of(Lang::Ja).hint_key_refused)
    );
    assert!(!format!("{checks:?}").contains("hunter2"));
}

#[tokio::test]
async fn doctor_without_a_komoju_table_makes_no_call() {
    let checks = doctor::checks(None, Lang::En).await;
    assert!(!checks[0].ok && !checks[1].ok);
    assert_eq!(checks[1].detail, DoctorTexts::of(Lang::En).detail_unchecked);
}
