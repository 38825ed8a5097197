//! Tabs (CreditSession) through regi's client and its Pokepay gateway against the sandbox over
//! loopback: customer cards, opening, charging and capturing a session with the documented
//! answers, `request_id` replay and conflict, sessions closed by capture or expiry, card limits,
//! Veritrans refusals, faults, and the gateway's four tab operations.

use chrono::{Duration, Utc};
use regi_core::domain::PaymentMethod;
use regi_core::payment::GatewayError;
use regi_core::tab::{TabChargeRequest, TabCloseRequest, TabOpenRequest};
use regi_payment::PaymentGateway;
use regi_pokepay::CallError;
use regi_pokepay::PokepayGateway;
use regi_pokepay::credit_sessions::{
    CaptureCreditSessionRequest, CreateCreditSessionTransactionRequest, GetCustomerCardsRequest,
    PostCreditSessionRequest,
};
use regi_pokepay::wire::Num;
use regi_pokepay_emulator::cards::SEEDED_CARD_LIMIT;
use regi_pokepay_emulator::{
    CUSTOMER_CARD, CUSTOMER_CARDLESS, CUSTOMER_RICH, CpmScope, CustomerClient, FaultPlan,
    SandboxOptions,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{ALL_STYLES, Harness, api_failure, assert_failure, raw_call};

/// The `card` customer and their verified card.
fn card_customer(h: &Harness) -> (Uuid, Uuid) {
    let (customer, card) = h
        .sandbox
        .state
        .customer_and_card(CUSTOMER_CARD)
        .expect("the card customer is seeded");
    (customer, card.expect("with a verified card"))
}

fn open_request(h: &Harness, days: i64) -> PostCreditSessionRequest {
    let (customer_id, card_id) = card_customer(h);
    PostCreditSessionRequest {
        customer_id,
        private_money_id: h.money_id(),
        card_id,
        expires_at: h.clock_now().with_timezone(&Utc) + Duration::days(days),
        request_id: Some(Uuid::new_v4()),
    }
}

fn charge(h: &Harness, amount: i64) -> CreateCreditSessionTransactionRequest {
    CreateCreditSessionTransactionRequest {
        amount: Num::yen(amount),
        shop_id: Some(h.shop_id()),
        description: Some("room 301".into()),
        request_id: Some(Uuid::new_v4()),
    }
}

fn capture() -> CaptureCreditSessionRequest {
    CaptureCreditSessionRequest {
        request_id: Some(Uuid::new_v4()),
    }
}

async fn open(h: &Harness) -> Uuid {
    h.client
        .post_credit_session(&open_request(h, 7))
        .await
        .expect("the session opens")
        .id
}

fn billed(h: &Harness) -> i64 {
    let (_, card) = card_customer(h);
    let cards = h.sandbox.state.cards();
    cards.iter().find(|c| c.id == card).unwrap().billed
}

#[tokio::test]
async fn customer_cards_list_the_verified_card_and_none_for_the_cardless_customer() {
    let h = Harness::start().await;
    let (customer, card) = card_customer(&h);
    let cards = h
        .client
        .get_customer_cards(customer, &GetCustomerCardsRequest::default())
        .await
        .unwrap();
    assert_eq!(cards.count, 1);
    assert_eq!(cards.rows[0].id, card);
    assert_eq!(cards.rows[0].card_number, "411111********11");
    assert!(!cards.pagination.has_next);
    let second_page = GetCustomerCardsRequest {
        page: Some(2),
        per_page: Some(1),
    };
    let empty = h.client.get_customer_cards(customer, &second_page).await;
    assert!(empty.unwrap().rows.is_empty());

    let (cardless, _) = h
        .sandbox
        .state
        .customer_and_card(CUSTOMER_CARDLESS)
        .unwrap();
    let none = h
        .client
        .get_customer_cards(cardless, &GetCustomerCardsRequest::default())
        .await
        .unwrap();
    assert_eq!((none.count, none.rows.len()), (0, 0));

    let unknown = h
        .client
        .get_customer_cards(Uuid::new_v4(), &GetCustomerCardsRequest::default())
        .await;
    assert_failure(unknown, 422, "customer_user_not_found");
}

#[tokio::test]
async fn a_session_opens_charges_and_captures_with_the_documented_answers() {
    let h = Harness::start().await;
    let (customer, card) = card_customer(&h);
    let style = ALL_STYLES[0];
    let opened = raw_call(
        &h.sandbox,
        style,
        "POST",
        "/credit-sessions",
        json!({
            "customer_id": customer,
            "private_money_id": h.money_id(),
            "card_id": card,
            "expires_at": "2099-01-01T00:00:00+09:00",
        }),
    )
    .await;
    // The sandbox's clock is now; the end is decades on: refused as too far.
    assert_eq!(opened.status, 422, "{:?}", opened.body);

    let until = (h.clock_now().with_timezone(&Utc) + Duration::days(2))
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string();
    let opened = raw_call(
        &h.sandbox,
        style,
        "POST",
        "/credit-sessions",
        json!({
            "customer_id": customer,
            "private_money_id": h.money_id(),
            "card_id": card,
            "expires_at": until,
        }),
    )
    .await;
    assert_eq!(opened.status, 200, "{:?}", opened.body);
    let object = opened.body.as_object().unwrap();
    let mut keys: Vec<_> = object.keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["expires_at", "id"]);
    let expires = object["expires_at"].as_str().unwrap();
    assert!(
        expires.ends_with(".000000Z") && expires.len() == 27,
        "{expires}"
    );
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(expires).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&until).unwrap()
    );
    let session = object["id"].as_str().unwrap().to_string();
    assert_eq!(session, session.to_lowercase());

    let charged = raw_call(
        &h.sandbox,
        style,
        "POST",
        &format!("/credit-sessions/{session}/transactions"),
        json!({"amount": 9780.0, "description": "GwTADg0EGo2"}),
    )
    .await;
    assert_eq!(charged.status, 200, "{:?}", charged.body);
    assert_eq!(charged.body["amount"], json!(9780));
    assert!(charged.body.get("transaction_id").is_some());
    assert!(!(charged.body.get("type").is_some() && charged.body.get("message").is_some()));

    // The SDK sends `{}` when it has no key.
    let captured = raw_call(
        &h.sandbox,
        style,
        "POST",
        &format!("/credit-sessions/{session}/capture"),
        json!({}),
    )
    .await;
    assert_eq!(captured.status, 200, "{:?}", captured.body);
    assert_eq!(captured.body, json!({ "session_id": session }));
    assert_eq!(billed(&h), 9_780);

    // The same, as another process reads it.
    let customer_side = CustomerClient::new(&h.sandbox.base_url).unwrap();
    let listed = customer_side.credit_sessions().await.unwrap();
    assert_eq!(listed, h.sandbox.state.credit_sessions());
    let cards = customer_side.cards().await.unwrap();
    let card_view = cards.iter().find(|c| c.id == card).unwrap();
    assert_eq!(
        (card_view.billed, card_view.remaining),
        (9_780, SEEDED_CARD_LIMIT - 9_780)
    );
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, "captured");
    assert_eq!((listed[0].total, listed[0].billed), (9_780, Some(9_780)));
    assert_eq!(listed[0].charges.len(), 1);
}

#[tokio::test]
async fn repeated_request_ids_answer_the_first_result_and_charge_once() {
    let h = Harness::start().await;
    let open_once = open_request(&h, 7);
    let first = h.client.post_credit_session(&open_once).await.unwrap();
    let again = h.client.post_credit_session(&open_once).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(h.sandbox.state.credit_sessions().len(), 1);

    let sale = charge(&h, 1_200);
    let charged = h
        .client
        .create_credit_session_transaction(first.id, &sale)
        .await
        .unwrap();
    let repeated = h
        .client
        .create_credit_session_transaction(first.id, &sale)
        .await
        .unwrap();
    assert_eq!(charged, repeated);
    assert_eq!(h.transaction_count(), 1);

    let close = capture();
    let captured = h
        .client
        .capture_credit_session(first.id, &close)
        .await
        .unwrap();
    let twice = h
        .client
        .capture_credit_session(first.id, &close)
        .await
        .unwrap();
    assert_eq!(
        (captured.session_id, twice.session_id),
        (first.id, first.id)
    );
    assert_eq!(billed(&h), 1_200);
}

#[tokio::test]
async fn a_request_id_reused_for_another_body_is_request_id_conflict() {
    let h = Harness::start().await;
    let session = open(&h).await;
    let sale = charge(&h, 500);
    h.client
        .create_credit_session_transaction(session, &sale)
        .await
        .unwrap();
    let other = CreateCreditSessionTransactionRequest {
        amount: Num::yen(600),
        ..sale
    };
    let conflict = h
        .client
        .create_credit_session_transaction(session, &other)
        .await;
    assert_failure(conflict, 422, "request_id_conflict");
    assert_eq!(h.transaction_count(), 1);
}

#[tokio::test]
async fn a_captured_or_expired_session_takes_no_charge_and_no_second_capture() {
    let h = Harness::start().await;
    let session = open(&h).await;
    h.client
        .capture_credit_session(session, &capture())
        .await
        .unwrap();
    let late = h
        .client
        .create_credit_session_transaction(session, &charge(&h, 100))
        .await;
    assert_failure(late, 422, "credit_session_not_found");
    let recapture = h.client.capture_credit_session(session, &capture()).await;
    assert_failure(recapture, 422, "credit_session_not_found");
    let keyless = h
        .client
        .capture_credit_session(session, &CaptureCreditSessionRequest::default())
        .await;
    assert_failure(keyless, 422, "credit_session_not_found");

    let expiring = h
        .client
        .post_credit_session(&open_request(&h, 1))
        .await
        .unwrap()
        .id;
    h.advance(24 * 3600);
    let expired = h
        .client
        .create_credit_session_transaction(expiring, &charge(&h, 100))
        .await;
    assert_failure(expired, 422, "credit_session_not_found");
    let capture_expired = h.client.capture_credit_session(expiring, &capture()).await;
    assert_failure(capture_expired, 422, "credit_session_not_found");
    let statuses: Vec<_> = h
        .sandbox
        .state
        .credit_sessions()
        .into_iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(statuses, ["captured", "expired"]);
    assert_eq!(h.transaction_count(), 0);
}

#[tokio::test]
async fn only_schema_violations_are_400_and_unknown_or_late_things_are_422() {
    let h = Harness::start().await;
    let style = ALL_STYLES[0];
    let (customer, card) = card_customer(&h);
    let session = open(&h).await;
    let cases: Vec<(&str, String, Value, u16, &str)> = vec![
        // The official Node test: random ids and a past end.
        (
            "POST",
            "/credit-sessions".into(),
            json!({"customer_id": Uuid::new_v4(), "private_money_id": Uuid::new_v4(),
                   "card_id": Uuid::new_v4(), "expires_at": "2024-03-08T03:04:44.000000Z"}),
            422,
            "private_money_not_found",
        ),
        (
            "POST",
            "/credit-sessions".into(),
            json!({"customer_id": customer, "private_money_id": h.money_id(),
                   "card_id": card, "expires_at": "2024-03-08T03:04:44.000000Z"}),
            422,
            "invalid_credit_session_expires_at",
        ),
        (
            "POST",
            "/credit-sessions".into(),
            json!({"customer_id": customer, "private_money_id": h.money_id(),
                   "card_id": Uuid::new_v4(), "expires_at": "2024-03-08T03:04:44.000000Z"}),
            404,
            "card_not_found",
        ),
        (
            "POST",
            format!("/credit-sessions/{}/transactions", Uuid::new_v4()),
            json!({"amount": 4247.0, "shop_id": Uuid::new_v4(), "description": "GwTADg0EGo2"}),
            422,
            "credit_session_not_found",
        ),
        (
            "POST",
            format!("/credit-sessions/{}/capture", Uuid::new_v4()),
            json!({}),
            422,
            "credit_session_not_found",
        ),
        (
            "POST",
            "/credit-sessions".into(),
            json!({"customer_id": "not-a-uuid", "private_money_id": h.money_id(),
                   "card_id": card, "expires_at": "2024-03-08T03:04:44Z"}),
            400,
            "invalid_parameters",
        ),
        (
            "POST",
            "/credit-sessions".into(),
            json!({"customer_id": customer, "private_money_id": h.money_id(), "card_id": card}),
            400,
            "invalid_parameters",
        ),
        (
            "POST",
            format!("/credit-sessions/{session}/transactions"),
            json!({"amount": -1}),
            400,
            "invalid_parameters",
        ),
        (
            "POST",
            format!("/credit-sessions/{session}/transactions"),
            json!({"amount": 100, "description": "x".repeat(201)}),
            400,
            "invalid_parameters",
        ),
        (
            "POST",
            format!("/credit-sessions/{session}/transactions"),
            json!({"amount": 100, "shop_id": Uuid::new_v4()}),
            422,
            "shop_user_not_found",
        ),
    ];
    for (method, path, params, status, kind) in cases {
        let answer = raw_call(&h.sandbox, style, method, &path, params.clone()).await;
        assert_eq!(
            (answer.status, answer.body["type"].as_str()),
            (status, Some(kind)),
            "{path} {params}"
        );
    }
    // A zero charge is within the schema's minimum.
    let zero = raw_call(
        &h.sandbox,
        style,
        "POST",
        &format!("/credit-sessions/{session}/transactions"),
        json!({"amount": 0}),
    )
    .await;
    assert_eq!(zero.status, 200, "{:?}", zero.body);
}

#[tokio::test]
async fn a_card_that_is_not_verified_cannot_carry_a_session() {
    let h = Harness::start().await;
    let (cardless, _) = h
        .sandbox
        .state
        .customer_and_card(CUSTOMER_CARDLESS)
        .unwrap();
    let unverified = h
        .sandbox
        .state
        .cards()
        .into_iter()
        .find(|c| c.customer == CUSTOMER_CARDLESS)
        .unwrap();
    assert!(!unverified.verified);
    let request = PostCreditSessionRequest {
        customer_id: cardless,
        card_id: unverified.id,
        ..open_request(&h, 3)
    };
    let refused = h.client.post_credit_session(&request).await;
    assert_failure(refused, 404, "card_not_found");
}

#[tokio::test]
async fn a_charge_over_what_the_card_has_left_is_unavailable_card_error() {
    let h = Harness::start().await;
    let first = open(&h).await;
    let second = open(&h).await;
    h.client
        .create_credit_session_transaction(first, &charge(&h, SEEDED_CARD_LIMIT - 1_000))
        .await
        .unwrap();
    // The first session's hold counts against the card for the second.
    let over = h
        .client
        .create_credit_session_transaction(second, &charge(&h, 1_001))
        .await;
    assert_failure(over, 422, "unavailable_card_error");
    h.client
        .create_credit_session_transaction(second, &charge(&h, 1_000))
        .await
        .unwrap();
    assert_eq!(h.transaction_count(), 2);
}

#[tokio::test]
async fn forced_veritrans_refusals_answer_their_types_and_a_card_outage_is_unknown() {
    let h = Harness::start().await;
    let (_, card) = card_customer(&h);
    let session = open(&h).await;
    for kind in ["unacceptable_card", "veritrans_wrong_password_or_cancel"] {
        h.sandbox.state.force_card_error(card, Some(kind)).unwrap();
        let refused = h
            .client
            .create_credit_session_transaction(session, &charge(&h, 100))
            .await;
        assert_failure(refused, 422, kind);
    }

    h.sandbox
        .state
        .force_card_error(card, Some("veritrans_api_error"))
        .unwrap();
    let sale = charge(&h, 700);
    let outage = h
        .client
        .create_credit_session_transaction(session, &sale)
        .await;
    let failure = api_failure(outage);
    assert_eq!(
        (failure.status, failure.kind.as_str()),
        (503, "veritrans_api_error")
    );
    assert!(CallError::Api(failure).is_outcome_unknown());
    assert_eq!(h.transaction_count(), 0);

    h.sandbox.state.force_card_error(card, None).unwrap();
    h.client
        .create_credit_session_transaction(session, &sale)
        .await
        .unwrap();
    h.client
        .create_credit_session_transaction(session, &sale)
        .await
        .unwrap();
    assert_eq!(h.transaction_count(), 1);
}

#[tokio::test]
async fn dropped_answers_are_unknown_and_the_retry_with_the_same_key_books_once() {
    let h = Harness::start_with(SandboxOptions::default(), |s| s.max_retries = 1).await;
    let session = open(&h).await;
    h.sandbox
        .state
        .set_faults(FaultPlan::from_specs(&["drop=1.0"]).unwrap());
    let sale = charge(&h, 2_500);
    let lost = h
        .client
        .create_credit_session_transaction(session, &sale)
        .await;
    assert!(matches!(lost, Err(CallError::Unknown { .. })), "{lost:?}");
    let close = capture();
    let lost_capture = h.client.capture_credit_session(session, &close).await;
    assert!(lost_capture.unwrap_err().is_outcome_unknown());

    h.sandbox.state.set_faults(FaultPlan::default());
    let listed = h.sandbox.state.credit_sessions();
    assert_eq!(
        (listed[0].total, listed[0].status.as_str()),
        (2_500, "captured")
    );
    // The caller's retries with the same keys get the first answers.
    let charged = h
        .client
        .create_credit_session_transaction(session, &sale)
        .await
        .unwrap();
    assert_eq!(charged["amount"], json!(2_500));
    let captured = h
        .client
        .capture_credit_session(session, &close)
        .await
        .unwrap();
    assert_eq!(captured.session_id, session);
    assert_eq!((h.transaction_count(), billed(&h)), (1, 2_500));

    h.sandbox
        .state
        .set_faults(FaultPlan::from_specs(&["unavailable=1.0"]).unwrap());
    let busy = h.client.post_credit_session(&open_request(&h, 2)).await;
    let failure = api_failure(busy);
    assert_eq!(
        (failure.status, failure.kind.as_str()),
        (503, "temporarily_unavailable")
    );
}

// ---- the gateway's tab operations -------------------------------------------------------------

fn gateway(h: &Harness) -> PokepayGateway {
    PokepayGateway::new(h.client.clone(), h.shop_id(), h.money_id())
}

#[tokio::test]
async fn the_gateway_reads_the_customer_and_their_cards_from_the_app_code() {
    let h = Harness::start().await;
    let gateway = gateway(&h);
    let code = h.cpm_token(CUSTOMER_CARD, &[CpmScope::Payment]);
    let customer = gateway.tab_customer(&code).await.unwrap();
    let (customer_id, card) = card_customer(&h);
    assert_eq!(customer.customer_id, customer_id.to_string());
    assert_eq!(customer.money_id, h.money_id().to_string());
    assert_eq!(customer.name.as_deref(), Some(CUSTOMER_CARD));
    assert_eq!(customer.cards.len(), 1);
    assert_eq!(customer.cards[0].card_id, card.to_string());
    assert_eq!(customer.cards[0].masked_number, "411111********11");

    let code = h.cpm_token(CUSTOMER_CARDLESS, &[CpmScope::Payment]);
    let cardless = gateway.tab_customer(&code).await.unwrap();
    assert!(cardless.cards.is_empty());

    let unknown = gateway.tab_customer(&"7".repeat(22)).await;
    match unknown {
        Err(GatewayError::Refused(refusal)) => {
            assert_eq!(refusal.error_type, "cpm_token_not_found")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A code shown an hour ago (the gateway reads expiry against the till's clock).
    let (rich, _) = h.sandbox.state.customer_and_card(CUSTOMER_RICH).unwrap();
    let old = "4".repeat(22);
    h.sandbox
        .state
        .mutate(|l, now| {
            let shown = now - Duration::hours(1);
            l.issue_cpm_token(rich, vec![CpmScope::Payment], 300, || old.clone(), shown)
        })
        .unwrap()
        .unwrap();
    let expired = gateway.tab_customer(&old).await;
    assert!(
        matches!(&expired, Err(GatewayError::Refused(r)) if r.error_type == "cpm_token_already_expired"),
        "{expired:?}"
    );
}

#[tokio::test]
async fn the_gateway_opens_charges_and_closes_a_tab() {
    let h = Harness::start().await;
    let gateway = gateway(&h);
    assert!(gateway.capabilities().tabs);
    assert!(gateway.capabilities().presents(PaymentMethod::CustomerCode));
    let (customer, card) = card_customer(&h);
    let until = h.clock_now().with_timezone(&Utc) + Duration::days(5);
    let open = TabOpenRequest {
        customer_id: customer.to_string(),
        money_id: h.money_id().to_string(),
        card_id: card.to_string(),
        until,
        request_id: Uuid::new_v4(),
    };
    let tab = gateway.open_tab(&open).await.unwrap();
    assert_eq!(tab.expires_at.timestamp_micros(), until.timestamp_micros());
    let again = gateway.open_tab(&open).await.unwrap();
    assert_eq!(again.tab_id, tab.tab_id);

    let sale = TabChargeRequest {
        tab_id: tab.tab_id.clone(),
        amount: 3_300,
        description: "RGI-1-0042".into(),
        request_id: Uuid::new_v4(),
    };
    let paid = gateway.charge_tab(&sale).await.unwrap();
    assert_eq!(paid.amount, 3_300);
    let booked = h.sandbox.state.transactions();
    assert_eq!(booked.len(), 1);
    assert_eq!(paid.transaction_id, booked[0].transaction.id.to_string());
    assert_eq!(booked[0].transaction.description, "RGI-1-0042");

    let close = TabCloseRequest {
        tab_id: tab.tab_id.clone(),
        request_id: Uuid::new_v4(),
    };
    gateway.close_tab(&close).await.unwrap();
    gateway.close_tab(&close).await.unwrap();
    assert_eq!(billed(&h), 3_300);

    let late = TabChargeRequest {
        request_id: Uuid::new_v4(),
        ..sale
    };
    match gateway.charge_tab(&late).await {
        Err(GatewayError::Refused(refusal)) => {
            assert_eq!(refusal.error_type, "credit_session_not_found");
            assert_eq!(refusal.message_en, "This tab is closed, expired or unknown");
            assert!(!refusal.message_ja.is_empty() && refusal.message_ja != refusal.message_en);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_gateway_reports_a_card_outage_as_unknown_and_its_retry_books_once() {
    let h = Harness::start().await;
    let gateway = gateway(&h);
    let (_, card) = card_customer(&h);
    let session = open(&h).await;
    let sale = TabChargeRequest {
        tab_id: session.to_string(),
        amount: 1_000,
        description: String::new(),
        request_id: Uuid::new_v4(),
    };
    h.sandbox
        .state
        .force_card_error(card, Some("veritrans_api_error"))
        .unwrap();
    let outage = gateway.charge_tab(&sale).await;
    assert!(
        matches!(outage, Err(GatewayError::Unknown(_))),
        "{outage:?}"
    );

    h.sandbox
        .state
        .force_card_error(card, Some("unavailable_card_error"))
        .unwrap();
    match gateway.charge_tab(&sale).await {
        Err(GatewayError::Refused(refusal)) => {
            assert_eq!(refusal.error_type, "unavailable_card_error");
            assert!(
                refusal.message_en.contains("declined"),
                "{}",
                refusal.message_en
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    h.sandbox.state.force_card_error(card, None).unwrap();
    let first = gateway.charge_tab(&sale).await.unwrap();
    let second = gateway.charge_tab(&sale).await.unwrap();
    assert_eq!(first.transaction_id, second.transaction_id);
    assert_eq!(h.transaction_count(), 1);
}
