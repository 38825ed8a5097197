//! A customer's tab on Pokepay: the payment port's tab operations over CreditSession. The
//! customer's app code names the customer and money (`GetCpmToken`), their verified cards come
//! from `GetCustomerCards`, and a tab is a session opened, charged per sale and captured once.
//!
//! Every write carries the `request_id` the engine journaled, and the API repeats its first answer
//! for it, so any answer that may hide a success (no answer, 5xx, `veritrans_api_error`) is
//! *unknown*: the engine asks again with the same key, never reports it as refused.

use chrono::Utc;
use uuid::Uuid;

use crate::adapter::{fail_reason, gateway_error};
use crate::credit_sessions::{
    CaptureCreditSessionRequest, CreateCreditSessionTransactionRequest, GetCustomerCardsRequest,
    PostCreditSessionRequest,
};
use crate::wire::Num;
use crate::{CallError, Client};
use regi_config::Lang;
use regi_core::domain::FailReason;
use regi_payment::{
    GatewayError, OpenedTab, PaidTransaction, Refusal, TabCard, TabChargeRequest, TabCloseRequest,
    TabCustomer, TabOpenRequest,
};

/// Cards asked for per page: the API's largest page, so a customer's cards take one call.
const CARDS_PER_PAGE: i64 = 100;

/// A bound on pages read, so a server that always says "there is more" cannot hold a till.
const MAX_CARD_PAGES: i64 = 20;

/// The longest description the API takes, in characters.
const MAX_DESCRIPTION_CHARS: usize = 200;

/// What the clerk reads for each error a tab operation can meet: short, and saying what to do.
const TAB_TEXTS: &[(&str, &str, &str)] = &[
    (
        "credit_session_not_found",
        "このタブは閉じられたか、期限切れか、見つかりません",
        "This tab is closed, expired or unknown",
    ),
    (
        "card_not_found",
        "カードが見つかりません。お客様のアプリでカードをご確認ください",
        "Card not found: the customer may have removed it from their app",
    ),
    (
        "unavailable_card_error",
        "このカードは利用できません（利用限度額を超えた可能性があります）",
        "The card was declined (it may be over its limit)",
    ),
    (
        "unacceptable_card",
        "このカードは受け付けられません。別のカードをお選びください",
        "This card is not accepted; choose another card",
    ),
    (
        "veritrans_wrong_password_or_cancel",
        "カードの本人認証に失敗しました",
        "The cardholder's authentication failed",
    ),
    (
        "credit_session_money_topup_requires_credit_card",
        "このマネーはクレジットカードでのみチャージできます",
        "This money can only be topped up by credit card",
    ),
    (
        "request_id_conflict",
        "この操作の番号は別の操作で使用済みです。最初からやり直してください",
        "This request's id was used for another operation; start again",
    ),
    (
        "customer_user_not_found",
        "お客様が見つかりません",
        "Customer not found",
    ),
    (
        "veritrans_api_error",
        "カード決済サービスが応答しません。同じ操作をもう一度お試しください",
        "The card service is not answering; try the same operation again",
    ),
];

/// The clerk's text for a tab error `kind`, when the tab table has one.
pub fn tab_text(kind: &str, lang: Lang) -> Option<&'static str> {
    TAB_TEXTS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|&(_, ja, en)| match lang {
            Lang::Ja => ja,
            Lang::En => en,
        })
}

/// Sorts the error of a tab write: anything that may hide a success is unknown (repeat with the
/// same `request_id`); a definite refusal gets the tab texts; the rest is fatal.
pub fn tab_error(error: CallError) -> GatewayError {
    match &error {
        _ if error.is_outcome_unknown() => GatewayError::Unknown(error.to_string()),
        CallError::Api(failure) => GatewayError::Refused(Refusal {
            reason: fail_reason(&failure.kind),
            error_type: failure.kind.clone(),
            message_ja: tab_text(&failure.kind, Lang::Ja)
                .map(str::to_string)
                .unwrap_or_else(|| failure.ja()),
            message_en: tab_text(&failure.kind, Lang::En)
                .map(str::to_string)
                .unwrap_or_else(|| failure.en()),
        }),
        _ => GatewayError::Fatal(error.to_string()),
    }
}

/// A read's error: as any other Pokepay read, with the tab texts where they have one.
fn read_error(error: CallError) -> GatewayError {
    match gateway_error(error) {
        GatewayError::Refused(mut refusal) => {
            if let Some(ja) = tab_text(&refusal.error_type, Lang::Ja) {
                refusal.message_ja = ja.to_string();
            }
            if let Some(en) = tab_text(&refusal.error_type, Lang::En) {
                refusal.message_en = en.to_string();
            }
            GatewayError::Refused(refusal)
        }
        other => other,
    }
}

/// The customer an app code names, with every card they verified (none is no error).
pub async fn tab_customer(client: &Client, code: &str) -> Result<TabCustomer, GatewayError> {
    let token = client.get_cpm_token(code).await.map_err(read_error)?;
    // An old code (a screenshot) must not open a tab: the customer shows a fresh one.
    if token.expires_at.with_timezone(&Utc) <= Utc::now() {
        return Err(GatewayError::Refused(Refusal {
            reason: FailReason::TokenExpired,
            error_type: "cpm_token_already_expired".into(),
            message_ja:
                "このコードは期限切れです。お客様に新しいコードを表示していただいてください".into(),
            message_en: "This code has expired; ask the customer to show a fresh one".into(),
        }));
    }
    let customer_id = token.account.user.id;
    let mut cards = Vec::new();
    for page in 1..=MAX_CARD_PAGES {
        let listing = client
            .get_customer_cards(
                customer_id,
                &GetCustomerCardsRequest {
                    page: Some(page),
                    per_page: Some(CARDS_PER_PAGE),
                },
            )
            .await
            .map_err(read_error)?;
        cards.extend(listing.rows.into_iter().map(|card| TabCard {
            card_id: card.id.to_string(),
            masked_number: card.card_number,
        }));
        if !listing.pagination.has_next {
            break;
        }
    }
    Ok(TabCustomer {
        customer_id: customer_id.to_string(),
        name: Some(token.account.user.name).filter(|n| !n.is_empty()),
        money_id: token.account.account.private_money.id.to_string(),
        cards,
    })
}

/// Opens a session on the card until `request.until`.
pub async fn open_tab(
    client: &Client,
    request: &TabOpenRequest,
) -> Result<OpenedTab, GatewayError> {
    let session = client
        .post_credit_session(&PostCreditSessionRequest {
            customer_id: parse_id(&request.customer_id)?,
            private_money_id: parse_id(&request.money_id)?,
            card_id: parse_id(&request.card_id)?,
            expires_at: request.until,
            request_id: Some(request.request_id),
        })
        .await
        .map_err(tab_error)?;
    Ok(OpenedTab {
        tab_id: session.id.to_string(),
        // The API echoes the instant asked for; an unreadable echo changes nothing about it.
        expires_at: session.expires_at().unwrap_or(request.until),
    })
}

/// Books one sale on the session.
pub async fn charge_tab(
    client: &Client,
    shop_id: Uuid,
    request: &TabChargeRequest,
) -> Result<PaidTransaction, GatewayError> {
    let session_id = parse_id(&request.tab_id)?;
    if request.amount <= 0 {
        return Err(GatewayError::Fatal(format!(
            "a tab is charged a positive amount, not {} yen",
            request.amount
        )));
    }
    let result = client
        .create_credit_session_transaction(
            session_id,
            &CreateCreditSessionTransactionRequest {
                amount: Num::yen(request.amount),
                shop_id: Some(shop_id),
                description: Some(
                    request
                        .description
                        .chars()
                        .take(MAX_DESCRIPTION_CHARS)
                        .collect(),
                ),
                request_id: Some(request.request_id),
            },
        )
        .await
        .map_err(tab_error)?;
    // The result's fields are not documented: its transaction id when it has one, else the key
    // the charge was booked under, which names it as uniquely.
    let transaction_id = result
        .get("transaction_id")
        .and_then(|id| id.as_str())
        .filter(|id| !id.is_empty())
        .map_or_else(|| request.request_id.to_string(), str::to_string);
    Ok(PaidTransaction {
        transaction_id,
        amount: request.amount,
        customer_name: None,
        money_name: None,
        done_at: Utc::now(),
    })
}

/// Captures the session: the card is billed for its total.
pub async fn close_tab(client: &Client, request: &TabCloseRequest) -> Result<(), GatewayError> {
    let session_id = parse_id(&request.tab_id)?;
    client
        .capture_credit_session(
            session_id,
            &CaptureCreditSessionRequest {
                request_id: Some(request.request_id),
            },
        )
        .await
        .map_err(tab_error)?;
    Ok(())
}

fn parse_id(id: &str) -> Result<Uuid, GatewayError> {
    Uuid::parse_str(id).map_err(|_| GatewayError::Fatal(format!("not a Pokepay id: {id}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;
    use crate::error::ApiFailure;

    fn api(status: u16, kind: &str) -> CallError {
        CallError::Api(ApiFailure {
            status,
            kind: kind.into(),
            message: "server text".into(),
            errors: None,
            endpoint: Some(Operation::CreateCreditSessionTransaction.endpoint()),
        })
    }

    #[test]
    fn every_tab_refusal_reads_in_both_languages_with_the_tab_texts() {
        for kind in [
            "credit_session_not_found",
            "card_not_found",
            "unavailable_card_error",
            "unacceptable_card",
            "veritrans_wrong_password_or_cancel",
            "credit_session_money_topup_requires_credit_card",
            "request_id_conflict",
        ] {
            let status = if kind == "card_not_found" { 404 } else { 422 };
            let GatewayError::Refused(refusal) = tab_error(api(status, kind)) else {
                panic!("{kind} is a refusal");
            };
            assert_eq!(refusal.error_type, kind);
            assert_eq!(refusal.reason, FailReason::RejectedOther, "{kind}");
            assert_eq!(Some(refusal.message_ja.as_str()), tab_text(kind, Lang::Ja));
            assert_eq!(Some(refusal.message_en.as_str()), tab_text(kind, Lang::En));
            assert_ne!(refusal.message_ja, refusal.message_en);
            assert!(!refusal.message_en.contains("server text"));
        }
    }

    #[test]
    fn card_service_trouble_and_lost_answers_are_unknown_not_refused() {
        for error in [
            api(503, "veritrans_api_error"),
            api(503, "temporarily_unavailable"),
            api(500, "internal_server_error"),
            CallError::Unknown {
                operation: "capture_credit_session",
                reason: "timed out".into(),
            },
            CallError::BadResponse {
                operation: "post_credit_session",
                status: 200,
                reason: "garbage".into(),
            },
        ] {
            let shown = error.to_string();
            assert!(tab_error(error).is_unknown(), "{shown}");
        }
    }

    #[test]
    fn an_ordinary_payment_refused_in_a_tab_money_reads_in_both_languages() {
        for kind in [
            "credit_session_money_topup_requires_credit_card",
            "credit_session_not_found",
        ] {
            let failure = ApiFailure {
                status: 422,
                kind: kind.into(),
                message: "server text".into(),
                errors: None,
                endpoint: Some(Operation::CreateCpmTransaction.endpoint()),
            };
            let GatewayError::Refused(refusal) = gateway_error(CallError::Api(failure)) else {
                panic!("{kind} is a refusal");
            };
            assert_ne!(refusal.message_ja, refusal.message_en, "{kind}");
            assert!(!refusal.message_ja.contains("server text"), "{kind}");
            assert!(!refusal.message_en.contains("server text"), "{kind}");
        }
    }

    #[test]
    fn a_type_without_a_tab_text_keeps_the_table_text() {
        let GatewayError::Refused(refusal) = tab_error(api(400, "invalid_parameters")) else {
            panic!("a refusal");
        };
        assert_eq!(refusal.message_en, "Invalid parameters");
    }
}
