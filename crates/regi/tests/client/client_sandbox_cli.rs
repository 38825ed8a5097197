//! The real binaries end to end: `regi sandbox --write-config` writes a `config.ini`, regi's own
//! configuration loader reads it, the real client takes payments with it, and `regi customer`
//! plays the customer's part.

use regi_pokepay::Client;
use regi_pokepay::wire::{CreateCashtrayRequest, CreateCpmTransactionRequest, Num};
use uuid::Uuid;

use crate::sandbox_support::process::{customer, start_sandbox};

#[tokio::test]
async fn the_written_config_drives_the_real_client_and_regi_customer_pays() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), None);
    let ini = &sandbox.ini_path;

    let config = regi::config_file::load(None, Some(ini)).expect("the written config.ini loads");
    assert_eq!(config.pokepay.api.base_url, sandbox.base_url);
    assert!(config.has_credentials());
    let shop_id = config.pokepay.shop_id.expect("SHOP_ID");
    let money_id = config.pokepay.private_money_id.expect("PRIVATE_MONEY_ID");
    let client = Client::new(&config.pokepay.api).expect("a client for the sandbox");
    assert_eq!(
        client.echo("こんにちは").await.unwrap().message,
        "こんにちは"
    );

    // A merchant-presented QR paid by `regi customer pay`.
    let tray = client
        .create_cashtray(&CreateCashtrayRequest {
            private_money_id: money_id,
            shop_id,
            amount: Num::yen(-1_080),
            description: Some("cli".into()),
            expires_in: Some(300),
        })
        .await
        .unwrap();
    let paid = customer(&["pay", &tray.token, "--sandbox", &sandbox.base_url]);
    assert!(
        paid.status.success(),
        "{}",
        String::from_utf8_lossy(&paid.stderr)
    );
    let read = client.get_cashtray(tray.id).await.unwrap();
    let tx = read.transaction.expect("the customer paid");
    assert_eq!(tx.amount, Num::yen(1_080));
    assert_eq!(read.attempt.map(|a| a.status_code), Some(Num::yen(200)));
    // The clerk's cancel now fails, and says why.
    let refused = client.cancel_cashtray(tray.id).await.unwrap_err();
    assert_eq!(refused.api_kind(), Some("cashtray_already_proceed"));

    // A customer-presented code from `regi customer cpm-token`, charged by the client.
    let token = customer(&["cpm-token", "--sandbox", &sandbox.base_url]);
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    let read = client.get_cpm_token(&token).await.unwrap();
    assert_eq!(read.scopes, vec!["payment"]);
    let request_id = Uuid::new_v4();
    let detail = client
        .create_cpm_transaction(&CreateCpmTransactionRequest {
            cpm_token: token.clone(),
            shop_id,
            amount: Num::yen(-500),
            description: None,
            metadata: None,
            products: None,
            request_id: Some(request_id),
            strategy: None,
        })
        .await
        .unwrap();
    assert_eq!(detail.transaction.kind, "payment");
    let found = client
        .get_transaction_by_request_id(request_id)
        .await
        .unwrap();
    assert_eq!(found, detail);
}
