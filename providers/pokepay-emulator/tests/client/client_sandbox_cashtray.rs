//! Cashtrays through regi's client against the sandbox: create, read in every state (open, paid,
//! failed, expired, cancelled), update and cancel, with the documented errors.

use regi_pokepay::wire::{CreateCashtrayRequest, Num, TransactionDetail, UpdateCashtrayRequest};
use regi_pokepay_emulator::{
    CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH, CustomerError, SandboxOptions,
};
use uuid::Uuid;

use crate::common::{Harness, assert_failure};

fn tray_request(h: &Harness, amount: i64, expires_in: i64) -> CreateCashtrayRequest {
    CreateCashtrayRequest {
        private_money_id: h.money_id(),
        shop_id: h.shop_id(),
        amount: Num::yen(amount),
        description: Some("お会計 #12".into()),
        expires_in: Some(expires_in),
    }
}

async fn new_tray(h: &Harness, amount: i64) -> Uuid {
    h.client
        .create_cashtray(&tray_request(h, amount, 300))
        .await
        .expect("a tray is made")
        .id
}

/// The customer scans tray `id` with their app (the sandbox's customer side).
fn scan(h: &Harness, id: Uuid, customer: &str) -> Result<TransactionDetail, CustomerError> {
    h.sandbox.state.pay_cashtray(&id.to_string(), customer)
}

/// A closed tray refuses a cancel and `change` with `kind`, and a late scan too; the scan is
/// recorded as its failed attempt and nothing is paid.
async fn assert_closed(h: &Harness, id: Uuid, kind: &str, change: UpdateCashtrayRequest) {
    assert_failure(h.client.cancel_cashtray(id).await, 422, kind);
    assert_failure(h.client.update_cashtray(id, &change).await, 422, kind);
    assert!(scan(h, id, CUSTOMER_RICH).is_err());
    let tray = h.client.get_cashtray(id).await.unwrap();
    assert_eq!(tray.attempt.unwrap().error_type, kind);
    assert!(tray.transaction.is_none());
    assert_eq!(h.transaction_count(), 0);
}

#[tokio::test]
async fn create_cashtray_returns_an_open_tray_with_a_scannable_token() {
    let h = Harness::start().await;
    let now = h.clock_now();
    let tray = h
        .client
        .create_cashtray(&tray_request(&h, -1_200, 300))
        .await
        .unwrap();
    assert_eq!(tray.amount, Num::yen(-1_200));
    assert_eq!(tray.description, "お会計 #12");
    assert_eq!(tray.canceled_at, None);
    assert_eq!(tray.expires_at, now + chrono::Duration::seconds(300));
    assert!(tray.token.ends_with(&format!("/cashtrays/{}", tray.id)));
    assert_eq!(tray.account.user.id, h.shop_id());
    assert_eq!(tray.account.account.private_money.id, h.money_id());

    // Without expires_in the API's 30 minutes apply; without a description it is empty.
    let bare = CreateCashtrayRequest {
        description: None,
        expires_in: None,
        ..tray_request(&h, 500, 1)
    };
    let tray = h.client.create_cashtray(&bare).await.unwrap();
    assert_eq!(tray.expires_at, now + chrono::Duration::seconds(1800));
    assert_eq!(tray.description, "");
    assert_eq!(tray.amount, Num::yen(500));
}

#[tokio::test]
async fn create_cashtray_refuses_unknown_shops_and_moneys() {
    let h = Harness::start().await;
    let unknown_shop = CreateCashtrayRequest {
        shop_id: Uuid::new_v4(),
        ..tray_request(&h, -100, 60)
    };
    assert_failure(
        h.client.create_cashtray(&unknown_shop).await,
        422,
        "shop_user_not_found",
    );
    let unknown_money = CreateCashtrayRequest {
        private_money_id: Uuid::new_v4(),
        ..tray_request(&h, -100, 60)
    };
    assert_failure(
        h.client.create_cashtray(&unknown_money).await,
        422,
        "account_not_found",
    );
    let zero = tray_request(&h, 0, 60);
    let failure = assert_failure(
        h.client.create_cashtray(&zero).await,
        400,
        "invalid_parameters",
    );
    assert_eq!(
        failure.errors.and_then(|e| e.invalid),
        Some(vec!["amount".to_string()])
    );
}

#[tokio::test]
async fn an_open_tray_has_no_attempt_and_no_transaction() {
    let h = Harness::start().await;
    let id = new_tray(&h, -800).await;
    let tray = h.client.get_cashtray(id).await.unwrap();
    assert_eq!(tray.cashtray.id, id);
    assert!(tray.attempt.is_none() && tray.transaction.is_none());
    assert!(tray.cashtray.canceled_at.is_none());
    assert!(tray.cashtray.expires_at > h.clock_now());
}

#[tokio::test]
async fn a_paid_tray_shows_a_successful_attempt_and_its_transaction() {
    let h = Harness::start().await;
    let id = new_tray(&h, -1_200).await;
    let paid = h
        .sandbox
        .state
        .pay_cashtray(
            &h.client.get_cashtray(id).await.unwrap().cashtray.token,
            CUSTOMER_RICH,
        )
        .unwrap();

    let tray = h.client.get_cashtray(id).await.unwrap();
    let attempt = tray.attempt.expect("the scan is recorded");
    assert_eq!(attempt.status_code, Num::yen(200));
    assert_eq!(
        (attempt.error_type.as_str(), attempt.error_message.as_str()),
        ("", "")
    );
    let payer = attempt.account.expect("the payer's wallet");
    assert_eq!(payer.user.name, CUSTOMER_RICH);
    let tx = tray.transaction.expect("paid trays carry the transaction");
    assert_eq!(tx.id, paid.transaction.id);
    assert_eq!(tx.kind, "payment");
    assert_eq!(tx.amount, Num::yen(1_200));
    assert_eq!(tx.sender.name, CUSTOMER_RICH);
    assert_eq!(tx.receiver.id, h.shop_id());
    assert_eq!(tx.description, "お会計 #12");
}

#[tokio::test]
async fn a_tray_the_poor_customer_cannot_pay_is_failed_and_used_up() {
    let h = Harness::start_with(SandboxOptions::default(), |s| {
        s.accept_language = Some("ja".into());
    })
    .await;
    let id = new_tray(&h, -5_000).await;
    let refused = scan(&h, id, CUSTOMER_POOR);
    assert!(refused.is_err());

    let tray = h.client.get_cashtray(id).await.unwrap();
    let attempt = tray.attempt.expect("the failed scan is recorded");
    assert!(tray.transaction.is_none());
    assert_eq!(attempt.status_code, Num::yen(422));
    assert_eq!(attempt.error_type, "account_balance_not_enough");
    // The message follows the client's Accept-Language.
    assert_eq!(attempt.error_message, "口座残高が不足してます");
    assert_eq!(attempt.account.unwrap().user.name, CUSTOMER_POOR);

    // The first scan used the tray up: it cannot be cancelled or changed any more.
    assert_failure(
        h.client.cancel_cashtray(id).await,
        422,
        "cashtray_already_proceed",
    );
    assert_eq!(h.transaction_count(), 0);
}

#[tokio::test]
async fn a_customer_without_a_wallet_fails_with_account_not_found() {
    let h = Harness::start().await;
    let id = new_tray(&h, -100).await;
    assert!(scan(&h, id, CUSTOMER_NO_WALLET).is_err());
    let tray = h.client.get_cashtray(id).await.unwrap();
    let attempt = tray.attempt.unwrap();
    assert_eq!(attempt.error_type, "account_not_found");
    assert!(attempt.account.is_none());
    assert!(tray.transaction.is_none());
}

#[tokio::test]
async fn an_expired_tray_reads_as_expired_and_refuses_changes() {
    let h = Harness::start().await;
    let id = h
        .client
        .create_cashtray(&tray_request(&h, -300, 60))
        .await
        .unwrap()
        .id;
    h.advance(61);
    let tray = h.client.get_cashtray(id).await.unwrap();
    assert!(tray.attempt.is_none() && tray.transaction.is_none());
    assert!(tray.cashtray.canceled_at.is_none());
    assert!(tray.cashtray.expires_at < h.clock_now());

    let change = UpdateCashtrayRequest {
        amount: Some(Num::yen(-200)),
        ..Default::default()
    };
    // A late scan is refused and recorded as a failed attempt.
    assert_closed(&h, id, "cashtray_expired", change).await;
}

#[tokio::test]
async fn cancel_marks_the_tray_and_later_scans_fail() {
    let h = Harness::start().await;
    let id = new_tray(&h, -700).await;
    let cancelled = h.client.cancel_cashtray(id).await.unwrap();
    assert_eq!(cancelled.id, id);
    assert_eq!(cancelled.canceled_at, Some(h.clock_now()));

    let tray = h.client.get_cashtray(id).await.unwrap();
    assert_eq!(tray.cashtray.canceled_at, Some(h.clock_now()));
    assert!(tray.attempt.is_none());

    let change = UpdateCashtrayRequest {
        description: Some("too late".into()),
        ..Default::default()
    };
    assert_closed(&h, id, "cashtray_already_canceled", change).await;
}

#[tokio::test]
async fn cancelling_a_paid_tray_is_cashtray_already_proceed() {
    let h = Harness::start().await;
    let id = new_tray(&h, -1_000).await;
    scan(&h, id, CUSTOMER_RICH).unwrap();
    let failure = assert_failure(
        h.client.cancel_cashtray(id).await,
        422,
        "cashtray_already_proceed",
    );
    assert_eq!(failure.en(), "Cashtray is already proceed");
    assert_eq!(failure.ja(), "この決済QRコードは既に処理されています");
    // The re-read the checkout does after a refused cancel shows the payment.
    let tray = h.client.get_cashtray(id).await.unwrap();
    assert!(tray.transaction.is_some());
    assert!(tray.cashtray.canceled_at.is_none());
}

#[tokio::test]
async fn update_changes_only_the_given_fields() {
    let h = Harness::start().await;
    let id = new_tray(&h, -1_000).await;
    h.advance(10);
    let only_amount = UpdateCashtrayRequest {
        amount: Some(Num::yen(-1_250)),
        ..Default::default()
    };
    let tray = h.client.update_cashtray(id, &only_amount).await.unwrap();
    assert_eq!(tray.amount, Num::yen(-1_250));
    assert_eq!(tray.description, "お会計 #12");
    let expires_at = tray.expires_at;

    let rest = UpdateCashtrayRequest {
        amount: None,
        description: Some("お会計 #12 (訂正)".into()),
        expires_in: Some(120),
    };
    let tray = h.client.update_cashtray(id, &rest).await.unwrap();
    assert_eq!(tray.amount, Num::yen(-1_250));
    assert_eq!(tray.description, "お会計 #12 (訂正)");
    assert_eq!(
        tray.expires_at,
        h.clock_now() + chrono::Duration::seconds(120)
    );
    assert_ne!(tray.expires_at, expires_at);

    // The customer pays the updated amount.
    let paid = scan(&h, id, CUSTOMER_RICH).unwrap();
    assert_eq!(paid.transaction.amount, Num::yen(1_250));
    assert_failure(
        h.client.update_cashtray(id, &only_amount).await,
        422,
        "cashtray_already_proceed",
    );

    let bad = UpdateCashtrayRequest {
        description: Some("x".repeat(201)),
        ..Default::default()
    };
    let open = new_tray(&h, -10).await;
    let failure = assert_failure(
        h.client.update_cashtray(open, &bad).await,
        400,
        "invalid_parameters",
    );
    assert_eq!(
        failure.errors.and_then(|e| e.invalid),
        Some(vec!["description".to_string()])
    );
}

#[tokio::test]
async fn a_topup_tray_credits_the_customer() {
    let h = Harness::start().await;
    let before = h.customer(CUSTOMER_POOR).money_balance;
    let id = new_tray(&h, 2_000).await;
    scan(&h, id, CUSTOMER_POOR).unwrap();
    let tx = h
        .client
        .get_cashtray(id)
        .await
        .unwrap()
        .transaction
        .unwrap();
    assert_eq!(tx.kind, "topup");
    assert_eq!(tx.amount, Num::yen(2_000));
    assert_eq!(tx.sender.id, h.shop_id());
    assert_eq!(tx.receiver.name, CUSTOMER_POOR);
    assert_eq!(h.customer(CUSTOMER_POOR).money_balance, before + 2_000);
}

#[tokio::test]
async fn unknown_trays_are_404_notfound() {
    let h = Harness::start().await;
    let unknown = Uuid::new_v4();
    let failure = assert_failure(h.client.get_cashtray(unknown).await, 404, "notfound");
    assert!(!failure.is_retryable());
    assert_failure(h.client.cancel_cashtray(unknown).await, 404, "notfound");
    assert_failure(
        h.client
            .update_cashtray(unknown, &UpdateCashtrayRequest::default())
            .await,
        404,
        "notfound",
    );
}
