//! The `regi sandbox` and `regi customer` commands, run as the real binary.

use std::process::Command;

use regi_pokepay::codec::EnvelopeKey;
use serde_json::{Value, json};

use crate::sandbox_support::process::{REGI, customer, start_sandbox};

fn ini_value(ini: &ini::Ini, key: &str) -> String {
    ini.section(Some("global"))
        .and_then(|s| s.get(key))
        .unwrap_or_else(|| panic!("{key} missing"))
        .to_string()
}

fn create_cashtray(ini: &ini::Ini, amount: i64) -> Value {
    let key = EnvelopeKey::from_client_secret(&ini_value(ini, "CLIENT_SECRET")).unwrap();
    let inner = json!({
        "request_data": {"private_money_id": ini_value(ini, "PRIVATE_MONEY_ID"), "shop_id": ini_value(ini, "SHOP_ID"), "amount": amount},
        // `regi sandbox` refuses a call stamped more than five minutes off its clock.
        "timestamp": chrono::Utc::now().to_rfc3339(),
        "partner_call_id": uuid::Uuid::new_v4().to_string(),
    });
    // PY style: POST, form body, request_method.
    let form = [
        ("partner_client_id", ini_value(ini, "CLIENT_ID")),
        ("data", key.seal(&inner.to_string())),
        ("request_method", "POST".to_string()),
    ];
    let url = format!("{}/cashtrays", ini_value(ini, "API_BASE_URL"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let outer: Value = reqwest::Client::new()
            .post(url)
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let plain = key.open(outer["response_data"].as_str().unwrap()).unwrap();
        serde_json::from_str(&plain).unwrap()
    })
}

#[test]
fn sandbox_writes_a_private_config_and_customers_can_pay_and_show_codes() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), Some(5));
    let config = &sandbox.ini_path;

    let ini = ini::Ini::load_from_file(config).unwrap();
    assert_eq!(ini_value(&ini, "API_BASE_URL"), sandbox.base_url);
    assert_eq!(ini_value(&ini, "TIMEZONE"), "Asia/Tokyo");
    for key in [
        "CLIENT_ID",
        "CLIENT_SECRET",
        "TIMEOUT",
        "CONNECTTIMEOUT",
        "SHOP_ID",
        "PRIVATE_MONEY_ID",
    ] {
        assert!(!ini_value(&ini, key).is_empty(), "{key}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(config).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let token = customer(&[
        "cpm-token",
        "--sandbox",
        &sandbox.base_url,
        "--scope",
        "topup",
    ]);
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8(token.stdout).unwrap();
    let token = token.trim();
    assert_eq!(token.len(), 22);
    assert!(token.bytes().all(|b| b.is_ascii_digit()));

    let tray = create_cashtray(&ini, -1_000);
    let url = tray["token"].as_str().unwrap();
    let paid = customer(&[
        "pay",
        url,
        "--sandbox",
        &sandbox.base_url,
        "--customer",
        "poor",
    ]);
    assert!(!paid.status.success());
    assert!(String::from_utf8_lossy(&paid.stderr).contains("account_balance_not_enough"));

    let tray = create_cashtray(&ini, -1_000);
    let url = tray["token"].as_str().unwrap();
    let paid = customer(&["pay", url, "--sandbox", &sandbox.base_url]);
    assert!(
        paid.status.success(),
        "{}",
        String::from_utf8_lossy(&paid.stderr)
    );
    let again = customer(&["pay", url, "--sandbox", &sandbox.base_url]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("cashtray_already_proceed"));

    let unknown = customer(&[
        "pay",
        url,
        "--sandbox",
        &sandbox.base_url,
        "--customer",
        "nobody",
    ]);
    assert!(!unknown.status.success());
}

#[test]
fn sandbox_refuses_non_loopback_addresses() {
    let output = Command::new(REGI)
        .args(["sandbox", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("loopback"));
}

#[test]
fn customer_reports_an_unreachable_sandbox() {
    // Port 9 (discard) on loopback: nothing listens there in the test environment.
    let output = customer(&["cpm-token", "--sandbox", "http://127.0.0.1:9"]);
    assert!(!output.status.success());
    assert!(!output.stderr.is_empty());
}

#[test]
fn customer_refuses_a_sandbox_that_is_not_on_loopback() {
    for action in [
        vec!["cpm-token"],
        vec!["pay", "https://www-sandbox.pokepay.jp/cashtrays/x"],
    ] {
        let mut args = action.clone();
        args.extend(["--sandbox", "http://192.0.2.10:4010"]);
        let output = customer(&args);
        assert!(!output.status.success(), "{action:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("loopback"), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn sandbox_refuses_to_write_its_config_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("bashrc");
    std::fs::write(&target, "keep me").unwrap();
    let link = dir.path().join("sandbox.ini");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = Command::new(REGI)
        .args(["sandbox", "--listen", "127.0.0.1:0", "--write-config"])
        .arg(&link)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("symbolic link"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}
