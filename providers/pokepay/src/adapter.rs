//! The Pokepay Partner API behind the provider-neutral gateway trait.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::wire::{
    CashtrayWithResult, CreateCashtrayRequest, CreateCpmTransactionRequest, Num, Product,
    RefundTransactionRequest, Transaction,
};
use crate::{CallError, Client};
use regi_core::domain::{FailReason, PaymentMethod};
use regi_payment::{
    Capabilities, CodeCharge, GatewayError, GatewayFuture, OpenedTab, PaidTransaction,
    PaymentGateway, QrRequest, QrSession, QrStatus, RefundRequest, RefundResult, Refusal,
    TabChargeRequest, TabCloseRequest, TabCustomer, TabOpenRequest,
};

/// Pokepay as a payment gateway for one shop and one private money.
#[derive(Clone)]
pub struct PokepayGateway {
    client: Client,
    shop_id: Uuid,
    private_money_id: Uuid,
}

impl PokepayGateway {
    pub fn new(client: Client, shop_id: Uuid, private_money_id: Uuid) -> Self {
        Self {
            client,
            shop_id,
            private_money_id,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl PaymentGateway for PokepayGateway {
    fn provider(&self) -> &'static str {
        crate::name::PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            capture: false,
            holds_by_default: false,
            tabs: true,
            partial_refund: false,
            presentations: &[PaymentMethod::MerchantQr, PaymentMethod::CustomerCode],
        }
    }

    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        Box::pin(async move {
            let tray = self
                .client
                .create_cashtray(&CreateCashtrayRequest {
                    private_money_id: self.private_money_id,
                    shop_id: self.shop_id,
                    amount: Num::yen(request.direction.signed(request.amount)),
                    description: Some(request.description.clone()),
                    expires_in: Some(i64::from(request.expires_in_secs)),
                })
                .await
                .map_err(gateway_error)?;
            Ok(QrSession {
                id: tray.id.to_string(),
                token: tray.token,
                expires_at: tray.expires_at.with_timezone(&Utc),
            })
        })
    }

    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus> {
        Box::pin(async move {
            let id = parse_id(qr_id)?;
            let tray = match self.client.get_cashtray(id).await {
                Ok(tray) => tray,
                // The API does not know this tray: asking again will not help.
                Err(CallError::Api(failure)) if failure.status == 404 => {
                    return Err(GatewayError::Fatal(format!(
                        "the Partner API does not know this QR: {failure}"
                    )));
                }
                Err(other) => return Err(gateway_error(other)),
            };
            Ok(cashtray_status(&tray, Utc::now()))
        })
    }

    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            let id = parse_id(qr_id)?;
            match self.client.cancel_cashtray(id).await {
                Ok(_) => Ok(()),
                // Already paid, failed, expired or cancelled: the re-read that follows tells which.
                Err(CallError::Api(failure))
                    if matches!(
                        failure.kind.as_str(),
                        "cashtray_already_proceed"
                            | "cashtray_expired"
                            | "cashtray_already_canceled"
                    ) =>
                {
                    Ok(())
                }
                Err(other) => Err(gateway_error(other)),
            }
        })
    }

    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(async move {
            let products = (!request.products.is_empty()).then(|| {
                request
                    .products
                    .iter()
                    .map(|p| Product {
                        jan_code: p.jan_code.clone(),
                        name: p.name.clone(),
                        unit_price: Num::yen(p.unit_price),
                        price: Num::yen(p.price),
                        quantity: p.quantity,
                        is_discounted: false,
                        classification_code: None,
                        other: None,
                    })
                    .collect()
            });
            let detail = self
                .client
                .create_cpm_transaction(&CreateCpmTransactionRequest {
                    cpm_token: request.code.clone(),
                    shop_id: self.shop_id,
                    amount: Num::yen(request.direction.signed(request.amount)),
                    description: Some(request.description.clone()),
                    metadata: None,
                    products,
                    request_id: Some(request.request_id),
                    strategy: None,
                })
                .await
                .map_err(gateway_error)?;
            Ok(paid(&detail.transaction))
        })
    }

    fn lookup_request(&self, request_id: Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        Box::pin(async move {
            match self.client.get_transaction_by_request_id(request_id).await {
                Ok(detail) => Ok(Some(paid(&detail.transaction))),
                Err(CallError::Api(failure))
                    if failure.status == 404 || failure.kind == "transaction_not_found" =>
                {
                    Ok(None)
                }
                Err(other) => Err(gateway_error(other)),
            }
        })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        Box::pin(async move {
            // The Partner API refunds a transaction whole; the capabilities say so, and the
            // engine never asks for less.
            if request.amount.is_some() {
                return Err(GatewayError::Fatal(
                    "Pokepay refunds a payment whole".into(),
                ));
            }
            let id = parse_id(&request.transaction_id)?;
            let detail = self
                .client
                .refund_transaction(
                    id,
                    &RefundTransactionRequest {
                        description: Some(request.reason.clone()),
                        returning_point_expires_at: None,
                    },
                )
                .await
                .map_err(gateway_error)?;
            Ok(RefundResult {
                refund_transaction_id: detail.transaction.id.to_string(),
                done_at: detail.transaction.done_at.with_timezone(&Utc),
            })
        })
    }

    fn tab_customer<'a>(&'a self, code: &'a str) -> GatewayFuture<'a, TabCustomer> {
        Box::pin(crate::tabs::tab_customer(&self.client, code))
    }

    fn open_tab<'a>(&'a self, request: &'a TabOpenRequest) -> GatewayFuture<'a, OpenedTab> {
        Box::pin(crate::tabs::open_tab(&self.client, request))
    }

    fn charge_tab<'a>(
        &'a self,
        request: &'a TabChargeRequest,
    ) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(crate::tabs::charge_tab(&self.client, self.shop_id, request))
    }

    fn close_tab<'a>(&'a self, request: &'a TabCloseRequest) -> GatewayFuture<'a, ()> {
        Box::pin(crate::tabs::close_tab(&self.client, request))
    }
}

/// Decides a tray's state exactly as the API documents it: an attempt with a transaction is paid,
/// an attempt without one failed; with no attempt, cancelled, expired or still open.
pub fn cashtray_status(tray: &CashtrayWithResult, now: DateTime<Utc>) -> QrStatus {
    match (&tray.attempt, &tray.transaction) {
        (Some(_), Some(transaction)) => QrStatus::Paid(paid(transaction)),
        (Some(attempt), None) => {
            QrStatus::Failed(refusal(&attempt.error_type, &attempt.error_message))
        }
        (None, _) if tray.cashtray.canceled_at.is_some() => QrStatus::Cancelled,
        (None, _) if tray.cashtray.expires_at.with_timezone(&Utc) <= now => QrStatus::Expired,
        (None, _) => QrStatus::Open {
            expires_at: tray.cashtray.expires_at.with_timezone(&Utc),
        },
    }
}

fn paid(transaction: &Transaction) -> PaidTransaction {
    let customer = if transaction.kind == "topup" {
        &transaction.receiver
    } else {
        &transaction.sender
    };
    PaidTransaction {
        transaction_id: transaction.id.to_string(),
        amount: transaction
            .amount
            .as_yen()
            .map(i64::abs)
            .unwrap_or_default(),
        customer_name: Some(customer.name.clone()).filter(|n| !n.is_empty()),
        money_name: Some(transaction.sender_account.private_money.name.clone()),
        done_at: transaction.done_at.with_timezone(&Utc),
    }
}

/// The neutral category of a Partner API `error_type`.
pub fn fail_reason(error_type: &str) -> FailReason {
    match error_type {
        "account_balance_not_enough" => FailReason::InsufficientBalance,
        "account_balance_exceeded"
        | "account_transfer_limit_exceeded"
        | "account_money_topup_transfer_limit_exceeded"
        | "cpm_unacceptable_amount" => FailReason::LimitExceeded,
        "cpm_token_already_expired" => FailReason::TokenExpired,
        "cpm_token_already_proceed" => FailReason::TokenUsed,
        "cpm_token_not_found" => FailReason::TokenNotFound,
        "cashtray_expired" => FailReason::TrayExpired,
        "cashtray_already_canceled" => FailReason::TrayCancelled,
        "cashtray_already_proceed" => FailReason::TrayUsed,
        "transaction_already_refunded" => FailReason::AlreadyRefunded,
        _ => FailReason::RejectedOther,
    }
}

fn refusal(error_type: &str, server_message: &str) -> Refusal {
    let text = |lang| {
        crate::error_table::text_for(error_type, None, lang)
            .map(str::to_string)
            .unwrap_or_else(|| server_message.to_string())
    };
    Refusal {
        reason: fail_reason(error_type),
        error_type: error_type.to_string(),
        message_ja: text(regi_config::Lang::Ja),
        message_en: text(regi_config::Lang::En),
    }
}

/// Sorts a client error by what the engine must do: resolve (unknown), wait (busy), give up with
/// a reason (refused), or stop (fatal).
pub fn gateway_error(error: CallError) -> GatewayError {
    match &error {
        CallError::Api(failure)
            if failure.status == 503 || failure.kind == "temporarily_unavailable" =>
        {
            GatewayError::Busy(failure.to_string())
        }
        _ if error.is_outcome_unknown() => GatewayError::Unknown(error.to_string()),
        CallError::Api(failure) => GatewayError::Refused(Refusal {
            reason: fail_reason(&failure.kind),
            error_type: failure.kind.clone(),
            message_ja: failure.ja(),
            message_en: failure.en(),
        }),
        _ => GatewayError::Fatal(error.to_string()),
    }
}

fn parse_id(id: &str) -> Result<Uuid, GatewayError> {
    Uuid::parse_str(id).map_err(|_| GatewayError::Fatal(format!("not a Pokepay id: {id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_types_are_categorised() {
        let cases = [
            (
                "account_balance_not_enough",
                FailReason::InsufficientBalance,
            ),
            ("account_balance_exceeded", FailReason::LimitExceeded),
            ("account_transfer_limit_exceeded", FailReason::LimitExceeded),
            ("cpm_token_already_expired", FailReason::TokenExpired),
            ("cpm_token_already_proceed", FailReason::TokenUsed),
            ("cpm_token_not_found", FailReason::TokenNotFound),
            ("cashtray_expired", FailReason::TrayExpired),
            ("cashtray_already_canceled", FailReason::TrayCancelled),
            ("cashtray_already_proceed", FailReason::TrayUsed),
            ("shop_user_not_found", FailReason::RejectedOther),
            ("", FailReason::RejectedOther),
        ];
        for (error_type, reason) in cases {
            assert_eq!(fail_reason(error_type), reason, "{error_type}");
        }
    }

    #[test]
    fn refused_attempts_read_in_both_languages() {
        // The published `notfound` rows are English only; the Japanese screen gets Japanese.
        let r = refusal("notfound", "Not found");
        assert_eq!(r.message_ja, "見つかりません");
        assert_eq!(r.message_en, "Not found");
        let unknown = refusal("no_such_type", "server text");
        assert_eq!(unknown.message_ja, "server text");
    }
}
