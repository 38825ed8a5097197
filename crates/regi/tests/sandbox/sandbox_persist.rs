//! `--state`: a restarted sandbox has the same credentials, ids and ledger.

use regi_pokepay_emulator::{CUSTOMER_RICH, CpmScope, SandboxOptions, start_loopback};

#[tokio::test]
async fn a_restart_keeps_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let options = SandboxOptions {
        state_path: Some(dir.path().join("sandbox.sqlite")),
        ..Default::default()
    };
    let first = start_loopback(options.clone()).await.unwrap();
    let token = first
        .state
        .issue_cpm_token(CUSTOMER_RICH, &[CpmScope::Payment])
        .unwrap();
    // A cashtray made in the ledger and paid through the customer side.
    let customers_before = first.state.customers();
    let paid = {
        let state = &first.state;
        let tray = state
            .mutate(|ledger, now| {
                let shop = ledger.shops().next().unwrap().id;
                ledger.create_cashtray(
                    regi_pokepay_emulator::cashtrays::NewCashtray {
                        private_money_id: ledger.money.id,
                        shop_user_id: shop,
                        amount: -1_234,
                        description: "persisted".into(),
                        expires_in: 600,
                    },
                    now,
                )
            })
            .unwrap()
            .unwrap();
        state
            .pay_cashtray(&tray.to_string(), CUSTOMER_RICH)
            .unwrap()
    };
    let (client_id, secret, shop, money) = (
        first.client_id.clone(),
        first.client_secret.clone(),
        first.shop_id,
        first.private_money_id,
    );
    let customers_after = first.state.customers();
    assert_ne!(customers_before, customers_after);
    first.shutdown().await.unwrap();

    let second = start_loopback(options).await.unwrap();
    assert_eq!(second.client_id, client_id);
    assert_eq!(second.client_secret, secret);
    assert_eq!(second.shop_id, shop);
    assert_eq!(second.private_money_id, money);
    assert_eq!(second.state.customers(), customers_after);
    let transactions = second.state.transactions();
    assert_eq!(transactions.len(), 1);
    assert_eq!(transactions[0], paid);
    let kept_token = second
        .state
        .read(|l| l.cpm_token(&token.cpm_token).cloned());
    assert!(kept_token.is_some(), "issued tokens survive too");
    second.shutdown().await.unwrap();
}
