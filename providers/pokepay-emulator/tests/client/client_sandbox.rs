//! regi's Partner API client against the built-in sandbox on 127.0.0.1:0: ping, echo, the
//! caller's credentials, parameter errors, shop and money reads, and raw requests in every
//! envelope style. Cashtrays, CPM and faults have their own `client_sandbox_*` files.

use regi_pokepay::CallError;
use regi_pokepay::wire::{
    CreateCashtrayRequest, GetPrivateMoneysRequest, GetShopAccountsRequest, Num,
};
use regi_pokepay_emulator::SandboxOptions;
use serde_json::json;
use uuid::Uuid;

use crate::common::{ALL_STYLES, Harness, assert_failure, client_with, foreign_secret, raw_call};

#[tokio::test]
async fn ping_answers_pong() {
    let h = Harness::start().await;
    assert_eq!(h.client.ping().await.unwrap().pong, "ok");
}

#[tokio::test]
async fn echo_returns_the_message_sealed_both_ways() {
    let h = Harness::start().await;
    for message in ["hello", "レジ 1 番: ¥1,200 ✓", ""] {
        let echo = h.client.echo(message).await.unwrap();
        assert_eq!(
            (echo.status.as_str(), echo.message.as_str()),
            ("ok", message)
        );
    }
}

#[tokio::test]
async fn a_wrong_secret_is_a_plain_decryption_failure() {
    let h = Harness::start().await;
    let client = client_with(&h.sandbox, |s| {
        s.client_secret = regi_core::secret::Secret::new(foreign_secret());
    });
    let result = client.echo("hello").await;
    assert!(matches!(result, Err(CallError::Api(_))), "{result:?}");
    let failure = assert_failure(result, 400, "partner_decryption_failed");
    assert_eq!(failure.en(), "Could not decrypt the data.");
    assert_eq!(
        failure.ja(),
        "リクエスト中の暗号データを復号化することができませんでした。"
    );
    assert!(!result_is_unknown(&failure));
}

fn result_is_unknown(failure: &regi_pokepay::ApiFailure) -> bool {
    CallError::Api(failure.clone()).is_outcome_unknown()
}

#[tokio::test]
async fn an_unknown_client_id_is_partner_client_not_found() {
    let h = Harness::start().await;
    let client = client_with(&h.sandbox, |s| {
        s.client_id = Uuid::new_v4().to_string();
    });
    let failure = assert_failure(
        client.get_shop(h.shop_id()).await,
        400,
        "partner_client_not_found",
    );
    assert_eq!(failure.en(), "The partner client is not found.");
    assert_eq!(failure.ja(), "partner_clientが見つかりません。");
    // A wrong caller never reaches the ledger: a cashtray request creates nothing.
    let tray = CreateCashtrayRequest {
        private_money_id: h.money_id(),
        shop_id: h.shop_id(),
        amount: Num::yen(-100),
        description: None,
        expires_in: None,
    };
    assert_failure(
        client.create_cashtray(&tray).await,
        400,
        "partner_client_not_found",
    );
    assert!(h.sandbox.state.read(|l| l.cashtrays.is_empty()));
}

#[tokio::test]
async fn a_description_over_200_characters_is_invalid_parameters() {
    let h = Harness::start().await;
    let mut tray = CreateCashtrayRequest {
        private_money_id: h.money_id(),
        shop_id: h.shop_id(),
        amount: Num::yen(-100),
        description: Some("あ".repeat(201)),
        expires_in: Some(0),
    };
    let failure = assert_failure(
        h.client.create_cashtray(&tray).await,
        400,
        "invalid_parameters",
    );
    let errors = failure.errors.clone().expect("parameter names");
    assert_eq!(
        errors.invalid.as_deref(),
        Some(&["description".to_string(), "expires_in".to_string()][..])
    );
    assert_eq!(errors.missing, None);
    assert_eq!(failure.en(), "Invalid parameters");
    assert_eq!(failure.ja(), "項目が無効です");

    tray.description = Some("あ".repeat(200));
    tray.expires_in = Some(60);
    let made = h.client.create_cashtray(&tray).await.unwrap();
    assert_eq!(made.description.chars().count(), 200);
}

#[tokio::test]
async fn missing_parameters_are_named_in_errors_missing() {
    // The typed client cannot leave a required field out, so this goes raw over the socket.
    let h = Harness::start().await;
    for style in ALL_STYLES {
        let answer = raw_call(
            &h.sandbox,
            style,
            "POST",
            "/cashtrays",
            json!({"shop_id": h.shop_id().to_string(), "amount": "lots"}),
        )
        .await;
        assert_eq!((answer.status, answer.sealed), (400, true), "{style:?}");
        assert_eq!(answer.body["type"], "invalid_parameters");
        assert_eq!(
            answer.body["errors"]["missing"],
            json!(["private_money_id"])
        );
        assert_eq!(answer.body["errors"]["invalid"], json!(["amount"]));
    }
}

#[tokio::test]
async fn an_echo_of_a_non_string_is_invalid_in_every_style() {
    let h = Harness::start().await;
    for style in ALL_STYLES {
        let answer = raw_call(&h.sandbox, style, "POST", "/echo", json!({"message": -1})).await;
        assert_eq!((answer.status, answer.sealed), (400, true), "{style:?}");
        assert_eq!(
            answer.body,
            json!({"type": "invalid_parameters", "message": "Invalid parameters", "errors": {"invalid": ["message"]}})
        );
    }
}

#[tokio::test]
async fn every_envelope_style_reaches_the_same_ledger_the_client_reads() {
    let h = Harness::start().await;
    for style in ALL_STYLES {
        let made = raw_call(
            &h.sandbox,
            style,
            "POST",
            "/cashtrays",
            json!({
                "private_money_id": h.money_id().to_string(),
                "shop_id": h.shop_id().to_string(),
                "amount": -450.0,
                "description": format!("{style:?}"),
            }),
        )
        .await;
        assert_eq!((made.status, made.sealed), (200, true), "{style:?}");
        let id: Uuid = made.body["id"].as_str().unwrap().parse().unwrap();

        // Read back by the real client, and the other way round: a GET body in this style.
        let tray = h.client.get_cashtray(id).await.unwrap();
        assert_eq!(tray.cashtray.amount, Num::yen(-450));
        assert_eq!(tray.cashtray.description, format!("{style:?}"));
        let read = raw_call(
            &h.sandbox,
            style,
            "GET",
            &format!("/cashtrays/{id}"),
            json!([]),
        )
        .await;
        assert_eq!(read.status, 200, "{style:?}");
        assert_eq!(read.body["id"], id.to_string());
        assert!(read.body["attempt"].is_null());
    }
}

#[tokio::test]
async fn get_private_moneys_lists_the_sandbox_money() {
    let h = Harness::start().await;
    let moneys = h
        .client
        .get_private_moneys(&GetPrivateMoneysRequest::default())
        .await
        .unwrap();
    assert_eq!(moneys.count, 1);
    assert_eq!(moneys.rows.len(), 1);
    let money = &moneys.rows[0];
    assert_eq!(money.id, h.money_id());
    assert_eq!(money.unit, "円");
    assert_eq!(money.organization.code, "regi-sandbox");
    assert_eq!(
        (moneys.pagination.current, moneys.pagination.max_page),
        (1, 1)
    );
    assert!(!moneys.pagination.has_next && !moneys.pagination.has_prev);

    let same_org = GetPrivateMoneysRequest {
        organization_code: Some("regi-sandbox".into()),
        page: Some(1),
        per_page: Some(50),
    };
    assert_eq!(
        h.client.get_private_moneys(&same_org).await.unwrap().count,
        1
    );

    let other_org = GetPrivateMoneysRequest {
        organization_code: Some("other-org".into()),
        ..Default::default()
    };
    assert_failure(
        h.client.get_private_moneys(&other_org).await,
        422,
        "organization_not_found",
    );
    let bad_code = GetPrivateMoneysRequest {
        organization_code: Some("no spaces!".into()),
        ..Default::default()
    };
    let failure = assert_failure(
        h.client.get_private_moneys(&bad_code).await,
        400,
        "invalid_parameters",
    );
    assert_eq!(
        failure.errors.and_then(|e| e.invalid),
        Some(vec!["organization_code".to_string()])
    );
}

#[tokio::test]
async fn get_shop_shows_its_wallet_for_the_money() {
    let h = Harness::start().await;
    let shop = h.client.get_shop(h.shop_id()).await.unwrap();
    assert_eq!(shop.id, h.shop_id());
    assert_eq!(shop.status, "active");
    assert_eq!(shop.organization_code, "regi-sandbox");
    assert_eq!(shop.accounts.len(), 1);
    assert_eq!(shop.accounts[0].private_money.id, h.money_id());

    assert_failure(
        h.client.get_shop(Uuid::new_v4()).await,
        422,
        "shop_user_not_found",
    );
}

#[tokio::test]
async fn get_shop_accounts_lists_the_shop_wallet() {
    let h = Harness::start().await;
    let request = GetShopAccountsRequest {
        private_money_id: h.money_id(),
        page: None,
        per_page: None,
        created_at_from: None,
        created_at_to: None,
        is_suspended: None,
    };
    let accounts = h.client.get_shop_accounts(&request).await.unwrap();
    assert_eq!(accounts.count, 1);
    let account = &accounts.rows[0];
    assert_eq!(account.user.id, h.shop_id());
    assert!(account.user.is_merchant);
    assert_eq!(account.account.private_money.id, h.money_id());
    assert_eq!(accounts.pagination.per_page, 30);

    let suspended_only = GetShopAccountsRequest {
        is_suspended: Some(true),
        ..request.clone()
    };
    assert_eq!(
        h.client
            .get_shop_accounts(&suspended_only)
            .await
            .unwrap()
            .count,
        0
    );
    let other_money = GetShopAccountsRequest {
        private_money_id: Uuid::new_v4(),
        ..request
    };
    assert_failure(
        h.client.get_shop_accounts(&other_money).await,
        422,
        "private_money_not_found",
    );
}

#[tokio::test]
async fn error_messages_follow_accept_language_but_clerk_texts_come_from_the_table() {
    let h = Harness::start_with(SandboxOptions::default(), |s| {
        s.accept_language = Some("ja".into());
    })
    .await;
    let failure = assert_failure(
        h.client.get_shop(Uuid::new_v4()).await,
        422,
        "shop_user_not_found",
    );
    assert_eq!(failure.message, "店舗が見つかりません");
    assert_eq!(failure.en(), "The shop user is not found");
}
