//! Tabs against `regi sandbox` as a process, the way an SDK's CreditSession conversation runs
//! it: the ids from the `config.ini` it writes, codes shown by `regi customer cpm-token` for the
//! seeded `card` and `cardless` customers, then open, charge, repeat, capture and a refused
//! charge after capture, over plain enveloped HTTP.

use regi_pokepay::codec::EnvelopeKey;
use serde_json::{Value, json};

use crate::sandbox_support::process::{customer, start_sandbox};

fn value(ini: &ini::Ini, key: &str) -> String {
    ini.section(Some("global"))
        .and_then(|s| s.get(key))
        .unwrap_or_else(|| panic!("{key} missing"))
        .to_string()
}

/// One enveloped call (JSON body, the real verb): the status and the opened answer.
fn call(ini: &ini::Ini, method: &str, path: &str, params: Value) -> (u16, Value) {
    let key = EnvelopeKey::from_client_secret(&value(ini, "CLIENT_SECRET")).unwrap();
    let inner = json!({
        "request_data": params,
        "timestamp": chrono::Utc::now().to_rfc3339(),
        "partner_call_id": uuid::Uuid::new_v4().to_string(),
    });
    let body =
        json!({"partner_client_id": value(ini, "CLIENT_ID"), "data": key.seal(&inner.to_string())});
    let url = format!("{}{path}", value(ini, "API_BASE_URL"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .request(method.parse().unwrap(), url)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let outer: Value = response.json().await.unwrap();
        let plain = key.open(outer["response_data"].as_str().unwrap()).unwrap();
        (status, serde_json::from_str(&plain).unwrap())
    })
}

fn cpm_token(base_url: &str, name: &str) -> String {
    let shown = customer(&["cpm-token", "--sandbox", base_url, "--customer", name]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    String::from_utf8(shown.stdout).unwrap().trim().to_string()
}

#[test]
fn the_written_config_names_the_tab_customers_and_a_whole_tab_runs_against_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), Some(11));
    let ini = ini::Ini::load_from_file(&sandbox.ini_path).unwrap();
    let (customer_id, card_id, cardless) = (
        value(&ini, "CUSTOMER_ID"),
        value(&ini, "CARD_ID"),
        value(&ini, "CARDLESS_CUSTOMER_ID"),
    );

    // Each seeded customer shows a code that names them.
    let code = cpm_token(&sandbox.base_url, "card");
    let (status, read) = call(&ini, "GET", &format!("/cpm/{code}"), json!({}));
    assert_eq!(
        (status, read["account"]["user"]["id"].as_str()),
        (200, Some(customer_id.as_str()))
    );
    let code = cpm_token(&sandbox.base_url, "cardless");
    let (_, read) = call(&ini, "GET", &format!("/cpm/{code}"), json!({}));
    assert_eq!(
        read["account"]["user"]["id"].as_str(),
        Some(cardless.as_str())
    );

    let (status, cards) = call(
        &ini,
        "GET",
        &format!("/customers/{customer_id}/cards"),
        json!({}),
    );
    assert_eq!(
        (status, cards["rows"][0]["id"].as_str()),
        (200, Some(card_id.as_str()))
    );
    let (_, none) = call(
        &ini,
        "GET",
        &format!("/customers/{cardless}/cards"),
        json!({"page": 1, "per_page": 30}),
    );
    assert_eq!(none["rows"], json!([]));

    let until = (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339();
    let (status, session) = call(
        &ini,
        "POST",
        "/credit-sessions",
        json!({"customer_id": customer_id, "private_money_id": value(&ini, "PRIVATE_MONEY_ID"),
               "card_id": card_id, "expires_at": until, "request_id": uuid::Uuid::new_v4()}),
    );
    assert_eq!(status, 200, "{session}");
    let session = session["id"].as_str().unwrap().to_string();

    let charge = json!({"amount": 4247.0, "shop_id": value(&ini, "SHOP_ID"),
                        "description": "room 301", "request_id": uuid::Uuid::new_v4()});
    let path = format!("/credit-sessions/{session}/transactions");
    let (status, first) = call(&ini, "POST", &path, charge.clone());
    assert_eq!(status, 200, "{first}");
    let (_, repeated) = call(&ini, "POST", &path, charge);
    assert_eq!(first, repeated);

    let capture = json!({"request_id": uuid::Uuid::new_v4()});
    let capture_path = format!("/credit-sessions/{session}/capture");
    let (status, captured) = call(&ini, "POST", &capture_path, capture.clone());
    assert_eq!((status, &captured), (200, &json!({"session_id": session})));
    let (_, again) = call(&ini, "POST", &capture_path, capture);
    assert_eq!(again, captured);

    let late = json!({"amount": 100, "request_id": uuid::Uuid::new_v4()});
    let (status, refused) = call(&ini, "POST", &path, late);
    assert_eq!(
        (status, refused["type"].as_str()),
        (422, Some("credit_session_not_found"))
    );
}
