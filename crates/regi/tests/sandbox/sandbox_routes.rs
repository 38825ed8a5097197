//! One block per Partner API route: the success shape and each error the route can give.
//! Unknown ids must never be answered with 400 (the SDK suites send random UUIDs).

use regi_pokepay_emulator::{CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH, CpmScope};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::sandbox_support::Harness;

fn random() -> String {
    Uuid::new_v4().to_string()
}

fn assert_keys(value: &Value, keys: &[&str]) {
    for key in keys {
        assert!(value.get(*key).is_some(), "missing key {key} in {value}");
    }
}

const TRANSACTION_KEYS: &[&str] = &[
    "id",
    "type",
    "is_modified",
    "sender",
    "sender_account",
    "receiver",
    "receiver_account",
    "amount",
    "money_amount",
    "point_amount",
    "raw_point_amount",
    "campaign_point_amount",
    "done_at",
    "description",
];

#[tokio::test]
async fn create_cashtray_answers_a_cashtray() {
    let h = Harness::new();
    let answer = h.create_cashtray(-1_200).await;
    assert_eq!(answer.status, 200);
    let tray = &answer.body;
    assert_keys(
        tray,
        &[
            "id",
            "amount",
            "description",
            "account",
            "expires_at",
            "canceled_at",
            "token",
        ],
    );
    assert_eq!(tray["amount"], -1200);
    assert!(tray["canceled_at"].is_null());
    let id = tray["id"].as_str().unwrap();
    assert_eq!(
        tray["token"],
        format!("https://www-sandbox.pokepay.jp/cashtrays/{id}")
    );
    assert_eq!(tray["account"]["user"]["id"], h.shop_id());
    assert!(tray.get("type").is_none() || tray.get("message").is_none());
}

#[tokio::test]
async fn create_cashtray_validates_its_parameters() {
    let h = Harness::new();
    let cases = [
        (
            json!({"shop_id": h.shop_id(), "amount": 100}),
            vec!["private_money_id"],
            vec![],
        ),
        (
            json!({"private_money_id": "x", "shop_id": h.shop_id(), "amount": "100"}),
            vec![],
            vec!["private_money_id", "amount"],
        ),
        (
            json!({"private_money_id": h.money_id(), "shop_id": h.shop_id(), "amount": 100, "description": "x".repeat(201)}),
            vec![],
            vec!["description"],
        ),
        (
            json!({"private_money_id": h.money_id(), "shop_id": h.shop_id(), "amount": 100, "expires_in": 0}),
            vec![],
            vec!["expires_in"],
        ),
    ];
    for (params, missing, invalid) in cases {
        let answer = h.call("POST", "/cashtrays", params.clone()).await;
        assert_eq!(answer.status, 400, "{params}");
        assert_eq!(answer.error_type(), "invalid_parameters");
        let errors = &answer.body["errors"];
        if !missing.is_empty() {
            assert_eq!(errors["missing"], json!(missing), "{params}");
        }
        if !invalid.is_empty() {
            assert_eq!(errors["invalid"], json!(invalid), "{params}");
        }
    }
}

#[tokio::test]
async fn create_cashtray_accepts_float_amounts_and_refuses_unknown_shop_or_money() {
    let h = Harness::new();
    let answer = h
        .call(
            "POST",
            "/cashtrays",
            json!({"private_money_id": h.money_id(), "shop_id": h.shop_id(), "amount": 4823.0}),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["amount"], 4823);
    let unknown_shop = h
        .call(
            "POST",
            "/cashtrays",
            json!({"private_money_id": h.money_id(), "shop_id": random(), "amount": 100}),
        )
        .await;
    assert_eq!(
        (unknown_shop.status, unknown_shop.error_type()),
        (422, "shop_user_not_found")
    );
    let unknown_money = h
        .call(
            "POST",
            "/cashtrays",
            json!({"private_money_id": random(), "shop_id": h.shop_id(), "amount": 100}),
        )
        .await;
    assert_eq!(
        (unknown_money.status, unknown_money.error_type()),
        (422, "account_not_found")
    );
}

#[tokio::test]
async fn get_cashtray_answers_with_result_or_404() {
    let h = Harness::new();
    let tray = h.create_cashtray(-500).await;
    let id = tray.body["id"].as_str().unwrap();
    let answer = h.call("GET", &format!("/cashtrays/{id}"), json!({})).await;
    assert_eq!(answer.status, 200);
    assert_keys(
        &answer.body,
        &["id", "attempt", "transaction", "token", "expires_at"],
    );
    assert!(answer.body["attempt"].is_null());
    assert!(answer.body["transaction"].is_null());

    let missing = h
        .call("GET", &format!("/cashtrays/{}", random()), json!({}))
        .await;
    assert_eq!((missing.status, missing.error_type()), (404, "notfound"));
    assert_eq!(missing.body["message"], "Not found");
    let bad = h.call("GET", "/cashtrays/not-a-uuid", json!({})).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["errors"]["invalid"], json!(["cashtray_id"]));
}

#[tokio::test]
async fn cancel_and_update_unknown_cashtrays_are_404() {
    let h = Harness::new();
    let path = format!("/cashtrays/{}", random());
    assert_eq!(h.call("DELETE", &path, json!({})).await.status, 404);
    assert_eq!(
        h.call("PATCH", &path, json!({"amount": 10})).await.status,
        404
    );
    let tray = h.create_cashtray(-500).await;
    let id = tray.body["id"].as_str().unwrap();
    let bad = h
        .call(
            "PATCH",
            &format!("/cashtrays/{id}"),
            json!({"expires_in": -5, "amount": 1.5}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.body["errors"]["invalid"],
        json!(["amount", "expires_in"])
    );
}

#[tokio::test]
async fn get_cpm_token_answers_the_token_or_422() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let answer = h.call("GET", &format!("/cpm/{token}"), json!({})).await;
    assert_eq!(answer.status, 200);
    assert_keys(
        &answer.body,
        &[
            "cpm_token",
            "account",
            "transaction",
            "event",
            "scopes",
            "expires_at",
            "metadata",
        ],
    );
    assert_eq!(answer.body["scopes"], json!(["payment"]));
    assert!(answer.body["metadata"].is_string());
    assert_eq!(answer.body["account"]["user"]["name"], CUSTOMER_RICH);
    assert_eq!(answer.body["account"]["balance"], 503_000);

    let unknown = h
        .call("GET", "/cpm/uGDOLqsy43AtWyT6hyzJkP", json!({}))
        .await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (422, "cpm_token_not_found")
    );
    let short = h.call("GET", "/cpm/123", json!({})).await;
    assert_eq!(short.status, 400);
    assert_eq!(short.body["errors"]["invalid"], json!(["cpm_token"]));
}

#[tokio::test]
async fn create_cpm_transaction_pays_and_reports_every_error() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let paid = h.cpm_payment(&token, -1_000, None).await;
    assert_eq!(paid.status, 200);
    assert_keys(&paid.body, TRANSACTION_KEYS);
    assert_eq!(paid.body["type"], "payment");
    assert_eq!(paid.body["amount"], 1000);
    assert_eq!(paid.body["transfers"][0]["type"], "payment");
    assert!(paid.body.get("message").is_none());

    let again = h.cpm_payment(&token, -1_000, None).await;
    assert_eq!(
        (again.status, again.error_type()),
        (422, "cpm_token_already_proceed")
    );

    let topup_token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let wrong_sign = h.cpm_payment(&topup_token, 1_000, None).await;
    assert_eq!(
        (wrong_sign.status, wrong_sign.error_type()),
        (403, "cpm_unacceptable_amount")
    );

    let poor = h.cpm_token(CUSTOMER_POOR, CpmScope::Payment);
    let broke = h.cpm_payment(&poor, -10_000, None).await;
    assert_eq!(
        (broke.status, broke.error_type()),
        (422, "account_balance_not_enough")
    );

    let unknown = h
        .cpm_payment("NHRO5ZxO4O3NjLEysHxuDJ", -100, Some(&random()))
        .await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (422, "cpm_token_not_found")
    );

    let bad = h
        .call(
            "POST",
            "/transactions/cpm",
            json!({"cpm_token": "short", "shop_id": h.shop_id(), "amount": -10, "metadata": {"a": "b"}, "request_id": "nope"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.body["errors"]["invalid"],
        json!(["cpm_token", "metadata", "request_id"])
    );

    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let bad_metadata = h
        .call(
            "POST",
            "/transactions/cpm",
            json!({"cpm_token": token, "shop_id": h.shop_id(), "amount": -10, "metadata": "{\"a\":1}"}),
        )
        .await;
    assert_eq!(
        (bad_metadata.status, bad_metadata.error_type()),
        (422, "invalid_metadata")
    );
    let unknown_shop = h
        .call(
            "POST",
            "/transactions/cpm",
            json!({"cpm_token": token, "shop_id": random(), "amount": -10}),
        )
        .await;
    assert_eq!(
        (unknown_shop.status, unknown_shop.error_type()),
        (422, "shop_user_not_found")
    );
}

#[tokio::test]
async fn create_cpm_transaction_accepts_sdk_style_products_and_float_amounts() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let product = json!({"jan_code":"abc","name":"name1","unit_price":100,"price":100,"is_discounted":false,"other":"{}"});
    let answer = h
        .call(
            "POST",
            "/transactions/cpm",
            json!({"cpm_token": token, "shop_id": h.shop_id(), "amount": -4823.0, "description": "sdk", "metadata": "{\"key\":\"value\"}", "products": [product.clone(), product], "strategy": "money-only", "request_id": random()}),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["money_amount"], 4823);
    assert_eq!(answer.body["point_amount"], 0);
}

#[tokio::test]
async fn get_transaction_and_by_request_id() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let rid = random();
    let paid = h.cpm_payment(&token, -300, Some(&rid)).await;
    let id = paid.body["id"].as_str().unwrap();

    let got = h
        .call("GET", &format!("/transactions/{id}"), json!({}))
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body, paid.body);
    let by_rid = h
        .call("GET", &format!("/transactions/requests/{rid}"), json!({}))
        .await;
    assert_eq!(by_rid.status, 200);
    assert_eq!(by_rid.body["id"], id);

    let missing = h
        .call("GET", &format!("/transactions/{}", random()), json!({}))
        .await;
    assert_eq!((missing.status, missing.error_type()), (404, "notfound"));
    let missing_rid = h
        .call(
            "GET",
            &format!("/transactions/requests/{}", random()),
            json!({}),
        )
        .await;
    assert_eq!(
        (missing_rid.status, missing_rid.error_type()),
        (422, "transaction_not_found")
    );
}

#[tokio::test]
async fn refund_transaction_once() {
    let h = Harness::new();
    let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
    let paid = h.cpm_payment(&token, -300, None).await;
    let id = paid.body["id"].as_str().unwrap();
    let path = format!("/transactions/{id}/refund");
    let refunded = h.call("POST", &path, json!({"description": "返品"})).await;
    assert_eq!(refunded.status, 200);
    assert_eq!(refunded.body["id"], id);
    assert_eq!(refunded.body["is_modified"], true);
    assert_eq!(refunded.body["amount"], 300);
    assert_eq!(refunded.body["transfers"][1]["type"], "refund-payment");
    assert_eq!(refunded.body["transfers"][1]["description"], "返品");

    let twice = h.call("POST", &path, json!({})).await;
    assert_eq!(
        (twice.status, twice.error_type()),
        (422, "transaction_already_refunded")
    );
    let unknown = h
        .call(
            "POST",
            &format!("/transactions/{}/refund", random()),
            json!({}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (422, "transaction_not_found")
    );
}

#[tokio::test]
async fn get_private_moneys_pages_and_filters_by_organization() {
    let h = Harness::new();
    let answer = h
        .call("GET", "/private-moneys", json!({"page": 1, "per_page": 50}))
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["count"], 1);
    let money = &answer.body["rows"][0];
    assert_keys(
        money,
        &[
            "id",
            "name",
            "unit",
            "is_exclusive",
            "description",
            "oneline_message",
            "organization",
            "max_balance",
            "transfer_limit",
            "money_topup_transfer_limit",
            "type",
            "expiration_type",
            "enable_topup_by_member",
            "display_money_and_point",
        ],
    );
    assert_eq!(money["unit"], "円");
    assert_eq!(
        answer.body["pagination"],
        json!({"current": 1, "per_page": 50, "max_page": 1, "has_prev": false, "has_next": false})
    );
    let big_page = h
        .call(
            "GET",
            "/private-moneys",
            json!({"page": 3, "per_page": 9445}),
        )
        .await;
    assert_eq!(big_page.status, 200);
    assert_eq!(big_page.body["rows"], json!([]));
    let other_org = h
        .call(
            "GET",
            "/private-moneys",
            json!({"organization_code": "other-org"}),
        )
        .await;
    assert_eq!(
        (other_org.status, other_org.error_type()),
        (422, "organization_not_found")
    );
    let bad = h.call("GET", "/private-moneys", json!({"page": 0})).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn get_shop_answers_the_shop_with_accounts() {
    let h = Harness::new();
    let answer = h
        .call("GET", &format!("/shops/{}", h.shop_id()), json!({}))
        .await;
    assert_eq!(answer.status, 200);
    assert_keys(
        &answer.body,
        &[
            "id",
            "name",
            "organization_code",
            "status",
            "postal_code",
            "address",
            "tel",
            "email",
            "external_id",
            "accounts",
        ],
    );
    assert_eq!(
        answer.body["accounts"][0]["private_money"]["id"],
        h.money_id()
    );
    let unknown = h
        .call("GET", &format!("/shops/{}", random()), json!({}))
        .await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (422, "shop_user_not_found")
    );
}

#[tokio::test]
async fn get_shop_accounts_lists_shop_wallets() {
    let h = Harness::new();
    let answer = h
        .call(
            "GET",
            "/accounts/shops",
            json!({"private_money_id": h.money_id(), "page": 1, "per_page": 50, "created_at_from": "2020-01-01T00:00:00+09:00", "is_suspended": false}),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["count"], 1);
    assert_eq!(answer.body["rows"][0]["user"]["id"], h.shop_id());
    let missing = h.call("GET", "/accounts/shops", json!({})).await;
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.body["errors"]["missing"],
        json!(["private_money_id"])
    );
    let unknown = h
        .call(
            "GET",
            "/accounts/shops",
            json!({"private_money_id": random()}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (422, "private_money_not_found")
    );
}

#[tokio::test]
async fn list_transactions_v2_filters_and_pages() {
    let h = Harness::new();
    let mut ids = Vec::new();
    for amount in [-100, -200, -300] {
        let token = h.cpm_token(CUSTOMER_RICH, CpmScope::Payment);
        ids.push(h.cpm_payment(&token, amount, None).await.body["id"].clone());
        h.clock.advance(chrono::Duration::seconds(1));
    }
    let first = h
        .call("GET", "/transactions-v2", json!({"per_page": 2, "private_money_id": h.money_id(), "shop_id": h.shop_id(), "customer_id": h.customer_id(CUSTOMER_RICH)}))
        .await;
    assert_eq!(first.status, 200);
    assert_keys(
        &first.body,
        &[
            "rows",
            "per_page",
            "count",
            "next_page_cursor_id",
            "prev_page_cursor_id",
        ],
    );
    assert_eq!(first.body["count"], 3);
    assert_eq!(first.body["rows"][0]["id"], ids[2]);
    assert_eq!(first.body["rows"][1]["id"], ids[1]);
    assert_eq!(first.body["next_page_cursor_id"], ids[1]);
    assert!(first.body["prev_page_cursor_id"].is_null());

    let next = h
        .call(
            "GET",
            "/transactions-v2",
            json!({"per_page": 2, "next_page_cursor_id": ids[1]}),
        )
        .await;
    assert_eq!(next.body["rows"].as_array().unwrap().len(), 1);
    assert_eq!(next.body["rows"][0]["id"], ids[0]);
    assert!(next.body["next_page_cursor_id"].is_null());

    let odd = h
        .call(
            "GET",
            "/transactions-v2",
            json!({"from": "2030-01-01T00:00:00+09:00", "to": "2020-01-01T00:00:00+09:00", "types": [], "start": "stray", "is_modified": false}),
        )
        .await;
    assert_eq!(odd.status, 200);
    assert_eq!(odd.body["rows"], json!([]));

    let topups = h
        .call(
            "GET",
            "/transactions-v2",
            json!({"types": ["topup", "exchange_outflow"]}),
        )
        .await;
    assert_eq!(topups.body["count"], 0);
    let too_many = h
        .call("GET", "/transactions-v2", json!({"per_page": 1001}))
        .await;
    assert_eq!(too_many.status, 400);
    let bad_type = h
        .call("GET", "/transactions-v2", json!({"types": ["gift"]}))
        .await;
    assert_eq!(bad_type.status, 400);
}

#[tokio::test]
async fn create_payment_transaction_direct() {
    let h = Harness::new();
    let params = json!({"shop_id": h.shop_id(), "customer_id": h.customer_id(CUSTOMER_RICH), "private_money_id": h.money_id(), "amount": 5000.0});
    let paid = h.call("POST", "/transactions/payment", params).await;
    assert_eq!(paid.status, 200);
    assert_eq!(paid.body["type"], "payment");
    assert_eq!(paid.body["point_amount"], 3000);
    assert_eq!(paid.body["money_amount"], 2000);

    for (params, kind) in [
        (
            json!({"shop_id": h.shop_id(), "customer_id": random(), "private_money_id": h.money_id(), "amount": 1}),
            "customer_account_not_found",
        ),
        (
            json!({"shop_id": h.shop_id(), "customer_id": h.customer_id(CUSTOMER_NO_WALLET), "private_money_id": h.money_id(), "amount": 1}),
            "customer_account_not_found",
        ),
        (
            json!({"shop_id": random(), "customer_id": random(), "private_money_id": h.money_id(), "amount": 1}),
            "shop_account_not_found",
        ),
        (
            json!({"shop_id": random(), "customer_id": random(), "private_money_id": random(), "amount": 1}),
            "private_money_not_found",
        ),
        (
            json!({"shop_id": h.shop_id(), "customer_id": h.customer_id(CUSTOMER_POOR), "private_money_id": h.money_id(), "amount": 1_000}),
            "account_balance_not_enough",
        ),
    ] {
        let answer = h.call("POST", "/transactions/payment", params).await;
        assert_eq!((answer.status, answer.error_type()), (422, kind));
    }
    let negative = h
        .call("POST", "/transactions/payment", json!({"shop_id": h.shop_id(), "customer_id": random(), "private_money_id": h.money_id(), "amount": -1}))
        .await;
    assert_eq!(negative.status, 400);
}

#[tokio::test]
async fn create_topup_transaction_direct() {
    let h = Harness::new();
    let customer = h.customer_id(CUSTOMER_POOR);
    let topped = h
        .call(
            "POST",
            "/transactions/topup",
            json!({"shop_id": h.shop_id(), "customer_id": customer, "private_money_id": h.money_id(), "money_amount": 1000, "point_amount": 1000}),
        )
        .await;
    assert_eq!(topped.status, 200);
    assert_eq!(topped.body["type"], "topup");
    assert_eq!(topped.body["amount"], 2000);
    assert_eq!(topped.body["sender"]["id"], h.shop_id());
    assert_eq!(topped.body["receiver"]["id"], customer);
    assert_eq!(h.balance(CUSTOMER_POOR), (1_050, 1_010));

    let zero = h
        .call(
            "POST",
            "/transactions/topup",
            json!({"shop_id": h.shop_id(), "customer_id": customer, "private_money_id": h.money_id()}),
        )
        .await;
    assert_eq!(
        (zero.status, zero.error_type()),
        (400, "invalid_parameter_both_point_and_money_are_zero")
    );
    assert_eq!(
        zero.body["errors"]["invalid"],
        json!(["money_amount", "point_amount"])
    );
    // With ids that do not exist the SDK suites expect "not 400": existence is checked first.
    let unknown = h
        .call(
            "POST",
            "/transactions/topup",
            json!({"shop_id": random(), "customer_id": random(), "private_money_id": random()}),
        )
        .await;
    assert_eq!(unknown.status, 422);
    let over = h
        .call(
            "POST",
            "/transactions/topup",
            json!({"shop_id": h.shop_id(), "customer_id": customer, "private_money_id": h.money_id(), "money_amount": 100_001}),
        )
        .await;
    assert_eq!(
        over.error_type(),
        "account_money_topup_transfer_limit_exceeded"
    );
}

#[tokio::test]
async fn create_transaction_with_cashtray_pays_the_tray() {
    let h = Harness::new();
    let tray = h.create_cashtray(-800).await;
    let id = tray.body["id"].as_str().unwrap();
    let paid = h
        .call(
            "POST",
            "/transactions/cashtray",
            json!({"cashtray_id": id, "customer_id": h.customer_id(CUSTOMER_RICH), "strategy": "money-only"}),
        )
        .await;
    assert_eq!(paid.status, 200);
    assert_eq!(paid.body["amount"], 800);
    assert_eq!(paid.body["money_amount"], 800);
    let again = h
        .call(
            "POST",
            "/transactions/cashtray",
            json!({"cashtray_id": id, "customer_id": h.customer_id(CUSTOMER_RICH)}),
        )
        .await;
    assert_eq!(
        (again.status, again.error_type()),
        (422, "cashtray_already_proceed")
    );
    let unknown = h
        .call(
            "POST",
            "/transactions/cashtray",
            json!({"cashtray_id": random(), "customer_id": random(), "request_id": random()}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (422, "cashtray_not_found")
    );
}
