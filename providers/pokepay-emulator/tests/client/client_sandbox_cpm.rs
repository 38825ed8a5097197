//! Customer-presented codes and transactions through regi's client against the sandbox: CPM
//! token reads, CPM payments and top-ups with every documented refusal, `request_id`
//! idempotency, transaction lookups, refunds and the transaction list.

use regi_pokepay::wire::{
    CreateCpmTransactionRequest, ListTransactionsV2Request, Num, Product, RefundTransactionRequest,
};
use regi_pokepay_emulator::{CUSTOMER_POOR, CUSTOMER_RICH, CpmScope};
use uuid::Uuid;

use crate::common::{Harness, assert_failure};

fn cpm_request(h: &Harness, token: &str, amount: i64) -> CreateCpmTransactionRequest {
    CreateCpmTransactionRequest {
        cpm_token: token.to_string(),
        shop_id: h.shop_id(),
        amount: Num::yen(amount),
        description: Some("レジ1 売上".into()),
        metadata: Some(r#"{"receipt":"0001-0042"}"#.into()),
        products: Some(vec![Product {
            jan_code: "4901234567894".into(),
            name: "おにぎり".into(),
            unit_price: Num::yen(150),
            price: Num::yen(300),
            quantity: 2,
            is_discounted: false,
            classification_code: None,
            other: Some("{}".into()),
        }]),
        request_id: Some(Uuid::new_v4()),
        strategy: None,
    }
}

/// A payment of `amount` yen by the rich customer, made through the client.
async fn paid(h: &Harness, amount: i64) -> Uuid {
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    h.client
        .create_cpm_transaction(&cpm_request(h, &token, -amount))
        .await
        .expect("the payment goes through")
        .transaction
        .id
}

#[tokio::test]
async fn get_cpm_token_shows_scopes_owner_and_expiry() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment, CpmScope::Topup]);
    let read = h.client.get_cpm_token(&token).await.unwrap();
    assert_eq!(read.cpm_token, token);
    assert_eq!(read.scopes, vec!["payment", "topup"]);
    assert_eq!(
        read.expires_at,
        h.clock_now() + chrono::Duration::seconds(300)
    );
    assert_eq!(read.account.user.name, CUSTOMER_RICH);
    assert_eq!(read.account.account.private_money.id, h.money_id());
    let rich = h.customer(CUSTOMER_RICH);
    assert_eq!(read.account.money_balance, Num::yen(rich.money_balance));
    assert_eq!(read.account.point_balance, Num::yen(rich.point_balance));
    assert!(read.transaction.is_none());
    assert!(serde_json::from_str::<serde_json::Value>(&read.metadata).is_ok());

    let tx = h
        .client
        .create_cpm_transaction(&cpm_request(&h, &token, -500))
        .await
        .unwrap();
    let used = h.client.get_cpm_token(&token).await.unwrap();
    assert_eq!(used.transaction.map(|t| t.id), Some(tx.transaction.id));
}

#[tokio::test]
async fn get_cpm_token_of_an_unknown_code_is_cpm_token_not_found() {
    let h = Harness::start().await;
    let failure = assert_failure(
        h.client.get_cpm_token(&"7".repeat(22)).await,
        422,
        "cpm_token_not_found",
    );
    assert_eq!(failure.en(), "The CPM token is not found.");
    assert_eq!(failure.ja(), "CPMトークンが見つかりませんでした。");
    // Not 22 characters: a parameter error, not a lookup.
    assert_failure(
        h.client.get_cpm_token("12345").await,
        400,
        "invalid_parameters",
    );
}

#[tokio::test]
async fn a_cpm_payment_moves_points_first_then_money_to_the_shop() {
    let h = Harness::start().await;
    let before = h.customer(CUSTOMER_RICH);
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let request = CreateCpmTransactionRequest {
        amount: Num::yen(-4_000),
        ..cpm_request(&h, &token, 0)
    };
    let detail = h.client.create_cpm_transaction(&request).await.unwrap();
    let tx = &detail.transaction;
    assert_eq!(tx.kind, "payment");
    assert!(!tx.is_modified);
    assert_eq!(tx.amount, Num::yen(4_000));
    assert_eq!(tx.point_amount, Num::yen(before.point_balance));
    assert_eq!(tx.money_amount, Num::yen(4_000 - before.point_balance));
    assert_eq!(tx.sender.name, CUSTOMER_RICH);
    assert_eq!(tx.receiver.id, h.shop_id());
    assert_eq!(tx.description, "レジ1 売上");
    assert_eq!(tx.done_at, h.clock_now());
    assert_eq!(detail.transfers.len(), 1);
    assert_eq!(detail.transfers[0].kind, "payment");
    assert_eq!(detail.transfers[0].transaction_id, tx.id);

    let after = h.customer(CUSTOMER_RICH);
    assert_eq!(after.point_balance, 0);
    assert_eq!(
        after.money_balance,
        before.money_balance - (4_000 - before.point_balance)
    );

    // money-only leaves the points alone.
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let h_points = h.customer(CUSTOMER_RICH).point_balance;
    let money_only = CreateCpmTransactionRequest {
        strategy: Some("money-only".into()),
        ..cpm_request(&h, &token, -100)
    };
    let tx = h.client.create_cpm_transaction(&money_only).await.unwrap();
    assert_eq!(tx.transaction.point_amount, Num::yen(0));
    assert_eq!(h.customer(CUSTOMER_RICH).point_balance, h_points);
}

#[tokio::test]
async fn a_cpm_topup_credits_the_customer() {
    let h = Harness::start().await;
    let before = h.customer(CUSTOMER_POOR).money_balance;
    let token = h.cpm_token(CUSTOMER_POOR, &[CpmScope::Topup]);
    let detail = h
        .client
        .create_cpm_transaction(&cpm_request(&h, &token, 3_000))
        .await
        .unwrap();
    assert_eq!(detail.transaction.kind, "topup");
    assert_eq!(detail.transaction.amount, Num::yen(3_000));
    assert_eq!(detail.transaction.sender.id, h.shop_id());
    assert_eq!(detail.transaction.receiver.name, CUSTOMER_POOR);
    assert_eq!(h.customer(CUSTOMER_POOR).money_balance, before + 3_000);
}

#[tokio::test]
async fn a_used_token_is_cpm_token_already_proceed() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    h.client
        .create_cpm_transaction(&cpm_request(&h, &token, -100))
        .await
        .unwrap();
    let failure = assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, -100))
            .await,
        422,
        "cpm_token_already_proceed",
    );
    assert_eq!(failure.en(), "The CPM token is already proceed");
    assert_eq!(failure.ja(), "このCPMトークンは既に処理されています。");
    assert_eq!(h.transaction_count(), 1);
}

#[tokio::test]
async fn unknown_and_expired_tokens_are_refused() {
    let h = Harness::start().await;
    assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &"3".repeat(22), -100))
            .await,
        422,
        "cpm_token_not_found",
    );
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    h.advance(300);
    let failure = assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, -100))
            .await,
        422,
        "cpm_token_already_expired",
    );
    assert_eq!(failure.ja(), "このCPMトークンは既に失効しています。");
    assert_eq!(h.transaction_count(), 0);
}

#[tokio::test]
async fn an_amount_outside_the_token_scopes_is_403_cpm_unacceptable_amount() {
    let h = Harness::start().await;
    let payment_only = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let failure = assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &payment_only, 1_000))
            .await,
        403,
        "cpm_unacceptable_amount",
    );
    assert_eq!(failure.en(), "The amount is unacceptable for the CPM token");
    assert_eq!(
        failure.ja(),
        "このCPMトークンに対して許可されていない金額です。"
    );
    let topup_only = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Topup]);
    assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &topup_only, -1_000))
            .await,
        403,
        "cpm_unacceptable_amount",
    );
    assert_eq!(h.transaction_count(), 0);
}

#[tokio::test]
async fn the_poor_customer_gets_account_balance_not_enough_and_keeps_the_token() {
    let h = Harness::start().await;
    let before = h.customer(CUSTOMER_POOR);
    let token = h.cpm_token(CUSTOMER_POOR, &[CpmScope::Payment]);
    let failure = assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, -10_000))
            .await,
        422,
        "account_balance_not_enough",
    );
    assert_eq!(failure.ja(), "口座残高が不足してます");
    assert_eq!(failure.en(), "The account balance is not enough");
    assert_eq!(h.customer(CUSTOMER_POOR), before);
    // A definite refusal: the code can still pay what the wallet holds.
    let small = before.money_balance + before.point_balance;
    h.client
        .create_cpm_transaction(&cpm_request(&h, &token, -small))
        .await
        .unwrap();
}

#[tokio::test]
async fn invalid_cpm_parameters_are_named() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let bad = CreateCpmTransactionRequest {
        description: Some("x".repeat(201)),
        strategy: Some("cash-only".into()),
        ..cpm_request(&h, &token, -100)
    };
    let failure = assert_failure(
        h.client.create_cpm_transaction(&bad).await,
        400,
        "invalid_parameters",
    );
    assert_eq!(
        failure.errors.and_then(|e| e.invalid),
        Some(vec!["description".to_string(), "strategy".to_string()])
    );
    let nested = CreateCpmTransactionRequest {
        metadata: Some(r#"{"a":{"b":1}}"#.into()),
        ..cpm_request(&h, &token, -100)
    };
    assert_failure(
        h.client.create_cpm_transaction(&nested).await,
        422,
        "invalid_metadata",
    );
    assert_eq!(h.transaction_count(), 0);
}

#[tokio::test]
async fn the_same_request_id_returns_the_same_transaction_once() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let request = cpm_request(&h, &token, -1_500);
    let first = h.client.create_cpm_transaction(&request).await.unwrap();
    let balance = h.customer(CUSTOMER_RICH);
    let second = h.client.create_cpm_transaction(&request).await.unwrap();
    assert_eq!(second, first);
    assert_eq!(h.transaction_count(), 1);
    assert_eq!(h.customer(CUSTOMER_RICH), balance);

    let found = h
        .client
        .get_transaction_by_request_id(request.request_id.unwrap())
        .await
        .unwrap();
    assert_eq!(found, first);
}

#[tokio::test]
async fn a_request_id_reused_for_another_payment_is_request_id_conflict() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let request = cpm_request(&h, &token, -1_500);
    h.client.create_cpm_transaction(&request).await.unwrap();
    let other_token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let reused = CreateCpmTransactionRequest {
        request_id: request.request_id,
        ..cpm_request(&h, &other_token, -900)
    };
    let failure = assert_failure(
        h.client.create_cpm_transaction(&reused).await,
        422,
        "request_id_conflict",
    );
    assert_eq!(
        failure.en(),
        "The request_id is already used by another transaction. Try again with new request id"
    );
    assert_eq!(h.transaction_count(), 1);
    // The conflicting token was not used.
    assert!(
        h.client
            .get_cpm_token(&other_token)
            .await
            .unwrap()
            .transaction
            .is_none()
    );
}

#[tokio::test]
async fn transactions_are_found_by_id_and_by_request_id() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let request = cpm_request(&h, &token, -2_000);
    let made = h.client.create_cpm_transaction(&request).await.unwrap();
    let by_id = h.client.get_transaction(made.transaction.id).await.unwrap();
    assert_eq!(by_id, made);
    let by_request = h
        .client
        .get_transaction_by_request_id(request.request_id.unwrap())
        .await
        .unwrap();
    assert_eq!(by_request, made);

    let failure = assert_failure(
        h.client.get_transaction(Uuid::new_v4()).await,
        404,
        "notfound",
    );
    assert!(!failure.is_retryable());
    let failure = assert_failure(
        h.client.get_transaction_by_request_id(Uuid::new_v4()).await,
        422,
        "transaction_not_found",
    );
    assert_eq!(failure.ja(), "取引が見つかりません");
}

#[tokio::test]
async fn a_refund_reverses_the_payment_once() {
    let h = Harness::start().await;
    let before = h.customer(CUSTOMER_RICH);
    let id = paid(&h, 5_000).await;
    h.advance(60);
    let reason = RefundTransactionRequest {
        description: Some("返品".into()),
        returning_point_expires_at: None,
    };
    let refunded = h.client.refund_transaction(id, &reason).await.unwrap();
    assert_eq!(refunded.transaction.id, id);
    assert!(refunded.transaction.is_modified);
    assert_eq!(refunded.transaction.amount, Num::yen(5_000));
    assert_eq!(refunded.transfers.len(), 2);
    let reversal = &refunded.transfers[1];
    assert_eq!(reversal.kind, "refund-payment");
    assert_eq!(reversal.description, "返品");
    assert_eq!(reversal.done_at, h.clock_now());
    assert_eq!(h.customer(CUSTOMER_RICH), before);
    assert!(
        h.client
            .get_transaction(id)
            .await
            .unwrap()
            .transaction
            .is_modified
    );

    let failure = assert_failure(
        h.client.refund_transaction(id, &reason).await,
        422,
        "transaction_already_refunded",
    );
    assert_eq!(failure.en(), "Transaction already refunded.");
    assert_eq!(failure.ja(), "取引は既に払い戻されています");
    assert_eq!(h.customer(CUSTOMER_RICH), before);
}

#[tokio::test]
async fn refunds_of_unknown_or_unaffordable_transactions_are_refused() {
    let h = Harness::start().await;
    assert_failure(
        h.client
            .refund_transaction(Uuid::new_v4(), &RefundTransactionRequest::default())
            .await,
        422,
        "transaction_not_found",
    );
    // A top-up the customer has already spent cannot be taken back.
    let token = h.cpm_token(CUSTOMER_POOR, &[CpmScope::Topup, CpmScope::Payment]);
    let topup = h
        .client
        .create_cpm_transaction(&cpm_request(&h, &token, 1_000))
        .await
        .unwrap();
    let spend = h.cpm_token(CUSTOMER_POOR, &[CpmScope::Payment]);
    let balance = h.customer(CUSTOMER_POOR);
    let request = CreateCpmTransactionRequest {
        strategy: Some("money-only".into()),
        ..cpm_request(&h, &spend, -balance.money_balance)
    };
    h.client.create_cpm_transaction(&request).await.unwrap();
    assert_failure(
        h.client
            .refund_transaction(topup.transaction.id, &RefundTransactionRequest::default())
            .await,
        422,
        "account_balance_not_enough",
    );
    let bad = RefundTransactionRequest {
        description: None,
        returning_point_expires_at: Some("next tuesday".into()),
    };
    let failure = assert_failure(
        h.client
            .refund_transaction(topup.transaction.id, &bad)
            .await,
        400,
        "invalid_parameters",
    );
    assert_eq!(
        failure.errors.and_then(|e| e.invalid),
        Some(vec!["returning_point_expires_at".to_string()])
    );
}

#[tokio::test]
async fn list_transactions_v2_filters_and_pages() {
    let h = Harness::start().await;
    let mut made = Vec::new();
    for amount in [100, 200, 300] {
        made.push(paid(&h, amount).await);
        h.advance(1);
    }
    let token = h.cpm_token(CUSTOMER_POOR, &[CpmScope::Topup]);
    let topup = h
        .client
        .create_cpm_transaction(&cpm_request(&h, &token, 700))
        .await
        .unwrap()
        .transaction
        .id;
    h.client
        .refund_transaction(made[0], &RefundTransactionRequest::default())
        .await
        .unwrap();

    let all = h
        .client
        .list_transactions_v2(&ListTransactionsV2Request::default())
        .await
        .unwrap();
    assert_eq!(all.count, 4);
    assert_eq!(all.per_page, 50);
    // Newest first.
    let ids: Vec<Uuid> = all.rows.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![topup, made[2], made[1], made[0]]);
    let mut expected = ids.clone();
    expected.sort();
    assert!(all.next_page_cursor_id.is_none() && all.prev_page_cursor_id.is_none());

    let payments = ListTransactionsV2Request {
        types: Some(vec!["payment".into()]),
        shop_id: Some(h.shop_id()),
        private_money_id: Some(h.money_id()),
        ..Default::default()
    };
    let listed = h.client.list_transactions_v2(&payments).await.unwrap();
    assert_eq!(listed.count, 3);
    assert!(listed.rows.iter().all(|t| t.kind == "payment"));

    let refunded = ListTransactionsV2Request {
        is_modified: Some(true),
        ..Default::default()
    };
    let listed = h.client.list_transactions_v2(&refunded).await.unwrap();
    assert_eq!(
        listed.rows.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![made[0]]
    );

    // An inclusive time window: the second and third payments.
    let window = ListTransactionsV2Request {
        from: Some(all.rows[2].done_at.to_rfc3339()),
        to: Some(all.rows[1].done_at.to_rfc3339()),
        ..Default::default()
    };
    let listed = h.client.list_transactions_v2(&window).await.unwrap();
    assert_eq!(
        listed.rows.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![made[2], made[1]]
    );

    let poor = h.customer(CUSTOMER_POOR).user_id;
    let by_customer = ListTransactionsV2Request {
        customer_id: Some(poor),
        ..Default::default()
    };
    let listed = h.client.list_transactions_v2(&by_customer).await.unwrap();
    assert_eq!(
        listed.rows.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![topup]
    );

    // Two per page: the first page points on, the second back, and together they hold all.
    let first = ListTransactionsV2Request {
        per_page: Some(2),
        ..Default::default()
    };
    let page1 = h.client.list_transactions_v2(&first).await.unwrap();
    assert_eq!((page1.rows.len(), page1.count), (2, 4));
    let next = page1.next_page_cursor_id.expect("a second page");
    assert_eq!(Some(next), page1.rows.last().map(|t| t.id));
    let second = ListTransactionsV2Request {
        per_page: Some(2),
        next_page_cursor_id: Some(next),
        ..Default::default()
    };
    let page2 = h.client.list_transactions_v2(&second).await.unwrap();
    assert_eq!(page2.rows.len(), 2);
    assert!(page2.next_page_cursor_id.is_none());
    assert_eq!(page2.prev_page_cursor_id, page2.rows.first().map(|t| t.id));
    let mut paged: Vec<Uuid> = page1.rows.iter().chain(&page2.rows).map(|t| t.id).collect();
    paged.sort();
    assert_eq!(paged, expected);

    let bad = ListTransactionsV2Request {
        types: Some(vec!["refund".into()]),
        per_page: Some(0),
        ..Default::default()
    };
    let failure = assert_failure(
        h.client.list_transactions_v2(&bad).await,
        400,
        "invalid_parameters",
    );
    let mut invalid = failure.errors.and_then(|e| e.invalid).unwrap_or_default();
    invalid.sort();
    assert_eq!(invalid, vec!["per_page".to_string(), "types".to_string()]);
}

#[tokio::test]
async fn cpm_refusals_for_unknown_shops_and_wallet_limits() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment, CpmScope::Topup]);
    let unknown_shop = CreateCpmTransactionRequest {
        shop_id: Uuid::new_v4(),
        ..cpm_request(&h, &token, -100)
    };
    assert_failure(
        h.client.create_cpm_transaction(&unknown_shop).await,
        422,
        "shop_user_not_found",
    );
    assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, -500_001))
            .await,
        422,
        "account_transfer_limit_exceeded",
    );
    assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, 100_001))
            .await,
        422,
        "account_money_topup_transfer_limit_exceeded",
    );
    // Top-ups until the wallet would hold more than the money allows.
    let rich = h.customer(CUSTOMER_RICH);
    let room = 1_000_000 - (rich.money_balance + rich.point_balance);
    let mut left = room;
    while left >= 100_000 {
        let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Topup]);
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, 100_000))
            .await
            .unwrap();
        left -= 100_000;
    }
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Topup]);
    assert_failure(
        h.client
            .create_cpm_transaction(&cpm_request(&h, &token, left + 1))
            .await,
        422,
        "account_balance_exceeded",
    );
    assert_eq!(
        h.transaction_count(),
        usize::try_from(room / 100_000).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tries_with_one_request_id_make_one_transaction() {
    let h = Harness::start().await;
    let token = h.cpm_token(CUSTOMER_RICH, &[CpmScope::Payment]);
    let request = cpm_request(&h, &token, -990);
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (client, request) = (h.client.clone(), request.clone());
        tries.spawn(async move { client.create_cpm_transaction(&request).await });
    }
    let answers = tries.join_all().await;
    let first = answers[0].as_ref().unwrap().clone();
    for answer in &answers {
        assert_eq!(answer.as_ref().unwrap(), &first);
    }
    assert_eq!(h.transaction_count(), 1);
}
