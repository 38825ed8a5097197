//! One typed method per Partner API operation regi uses. Verb, path and retry rule come from the
//! endpoint table (`pokepay::endpoints`); everything else is shared in `Client::call`.

use uuid::Uuid;

use super::{Client, Target};
use crate::endpoints::{
    self, Call, CancelCashtray, CreateCashtray, CreateCpmTransaction, GetCashtray, GetCpmToken,
    GetPrivateMoneys, GetShop, GetShopAccounts, GetTransaction, GetTransactionByRequestId,
    ListTransactionsV2, Ping, RefundTransaction, UpdateCashtray,
};
use crate::error::CallError;
use crate::wire::{
    Cashtray, CashtrayWithResult, CpmToken, CreateCashtrayRequest, CreateCpmTransactionRequest,
    Echo, EchoRequest, GetPrivateMoneysRequest, GetShopAccountsRequest, ListTransactionsV2Request,
    NoParams, PaginatedAccountWithUsers, PaginatedPrivateMoneys, PaginatedTransactionV2, Pong,
    RefundTransactionRequest, ShopWithAccounts, TransactionDetail, UpdateCashtrayRequest,
};
use regi_core::secret::mask_tail;

impl Client {
    /// [`Ping`] without a body; the API answers plain `{"pong":"ok"}`.
    pub async fn ping(&self) -> Result<Pong, CallError> {
        self.call_plain::<Ping>(&()).await
    }

    /// [`endpoints::Echo`]: a sealed round trip that proves id, secret and clock are accepted.
    pub async fn echo(&self, message: &str) -> Result<Echo, CallError> {
        let params = EchoRequest {
            message: message.to_string(),
        };
        self.call::<endpoints::Echo>(&(), &params).await
    }

    /// [`CreateCashtray`]. Never repeated automatically: a lost answer may have created a tray.
    pub async fn create_cashtray(
        &self,
        params: &CreateCashtrayRequest,
    ) -> Result<Cashtray, CallError> {
        self.call::<CreateCashtray>(&(), params).await
    }

    /// [`GetCashtray`]: the tray with its scan attempt and transaction, if any.
    pub async fn get_cashtray(&self, cashtray_id: Uuid) -> Result<CashtrayWithResult, CallError> {
        self.call::<GetCashtray>(&cashtray_id, &NoParams {}).await
    }

    /// [`CancelCashtray`]. Not repeated: re-read the tray instead.
    pub async fn cancel_cashtray(&self, cashtray_id: Uuid) -> Result<Cashtray, CallError> {
        self.call::<CancelCashtray>(&cashtray_id, &NoParams {})
            .await
    }

    /// [`UpdateCashtray`]: only the given fields change. Not repeated automatically.
    pub async fn update_cashtray(
        &self,
        cashtray_id: Uuid,
        params: &UpdateCashtrayRequest,
    ) -> Result<Cashtray, CallError> {
        self.call::<UpdateCashtray>(&cashtray_id, params).await
    }

    /// [`GetCpmToken`]: scopes, expiry and owner of a scanned customer code. The token goes into
    /// the path, so it is checked first and masked in the log.
    pub async fn get_cpm_token(&self, cpm_token: &str) -> Result<CpmToken, CallError> {
        if !is_path_safe_token(cpm_token) {
            return Err(CallError::Refused {
                operation: GetCpmToken::OPERATION.name(),
                reason: "a CPM token has only letters and digits".into(),
            });
        }
        let target = Target::of::<GetCpmToken>(cpm_token)
            .logged_as(GetCpmToken::path(mask_tail(cpm_token, 4).as_str()));
        self.call_to::<GetCpmToken>(target, &NoParams {}).await
    }

    /// [`CreateCpmTransaction`]. With a `request_id` the server deduplicates, so a lost answer or
    /// a 5xx is retried with the same `request_id`; without one it is never repeated.
    pub async fn create_cpm_transaction(
        &self,
        params: &CreateCpmTransactionRequest,
    ) -> Result<TransactionDetail, CallError> {
        self.call::<CreateCpmTransaction>(&(), params).await
    }

    /// [`GetTransaction`].
    pub async fn get_transaction(
        &self,
        transaction_id: Uuid,
    ) -> Result<TransactionDetail, CallError> {
        self.call::<GetTransaction>(&transaction_id, &NoParams {})
            .await
    }

    /// [`GetTransactionByRequestId`]: resolves an attempt whose answer was lost.
    pub async fn get_transaction_by_request_id(
        &self,
        request_id: Uuid,
    ) -> Result<TransactionDetail, CallError> {
        self.call::<GetTransactionByRequestId>(&request_id, &NoParams {})
            .await
    }

    /// [`RefundTransaction`]. Never repeated: the request has no `request_id`.
    pub async fn refund_transaction(
        &self,
        transaction_id: Uuid,
        params: &RefundTransactionRequest,
    ) -> Result<TransactionDetail, CallError> {
        self.call::<RefundTransaction>(&transaction_id, params)
            .await
    }

    /// [`GetPrivateMoneys`].
    pub async fn get_private_moneys(
        &self,
        params: &GetPrivateMoneysRequest,
    ) -> Result<PaginatedPrivateMoneys, CallError> {
        self.call::<GetPrivateMoneys>(&(), params).await
    }

    /// [`GetShop`].
    pub async fn get_shop(&self, shop_id: Uuid) -> Result<ShopWithAccounts, CallError> {
        self.call::<GetShop>(&shop_id, &NoParams {}).await
    }

    /// [`GetShopAccounts`].
    pub async fn get_shop_accounts(
        &self,
        params: &GetShopAccountsRequest,
    ) -> Result<PaginatedAccountWithUsers, CallError> {
        self.call::<GetShopAccounts>(&(), params).await
    }

    /// [`ListTransactionsV2`].
    pub async fn list_transactions_v2(
        &self,
        params: &ListTransactionsV2Request,
    ) -> Result<PaginatedTransactionV2, CallError> {
        self.call::<ListTransactionsV2>(&(), params).await
    }
}

/// A token that can go into a URL path unchanged (real tokens are digits; SDK samples letters).
fn is_path_safe_token(token: &str) -> bool {
    (1..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_tokens_go_into_paths() {
        assert!(is_path_safe_token("1234567890123456789012"));
        assert!(is_path_safe_token("uGDOLqsy43AtWyT6hyzJkP"));
        for bad in [
            "",
            "../../shops",
            "12345?x=1",
            "ab/cd",
            "トークン",
            &"9".repeat(65),
        ] {
            assert!(!is_path_safe_token(bad), "{bad}");
        }
    }
}
