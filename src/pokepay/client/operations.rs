//! One typed method per Partner API operation regi uses. Each says its verb, path and whether a
//! repeat is safe; everything else is shared in `Client::call`.

use serde_json::Map;
use uuid::Uuid;

use super::{Client, Repeat, Route};
use crate::pokepay::error::CallError;
use crate::pokepay::error_table::Endpoint;
use crate::pokepay::wire::{
    Cashtray, CashtrayWithResult, CpmToken, CreateCashtrayRequest, CreateCpmTransactionRequest,
    Echo, EchoRequest, GetPrivateMoneysRequest, GetShopAccountsRequest, ListTransactionsV2Request,
    PaginatedAccountWithUsers, PaginatedPrivateMoneys, PaginatedTransactionV2, Pong,
    RefundTransactionRequest, ShopWithAccounts, TransactionDetail, UpdateCashtrayRequest,
};
use crate::secret::mask_tail;

const fn ep(method: &'static str, template: &'static str) -> Endpoint {
    Endpoint { method, template }
}

const PING: Endpoint = ep("GET", "/ping");
const ECHO: Endpoint = ep("POST", "/echo");
const CREATE_CASHTRAY: Endpoint = ep("POST", "/cashtrays");
const GET_CASHTRAY: Endpoint = ep("GET", "/cashtrays/:uuid");
const CANCEL_CASHTRAY: Endpoint = ep("DELETE", "/cashtrays/:uuid");
const UPDATE_CASHTRAY: Endpoint = ep("PATCH", "/cashtrays/:uuid");
const GET_CPM_TOKEN: Endpoint = ep("GET", "/cpm/:cpm-token");
const CREATE_CPM_TRANSACTION: Endpoint = ep("POST", "/transactions/cpm");
const GET_TRANSACTION: Endpoint = ep("GET", "/transactions/:uuid");
const GET_TRANSACTION_BY_REQUEST_ID: Endpoint = ep("GET", "/transactions/requests/:request-id");
const REFUND_TRANSACTION: Endpoint = ep("POST", "/transactions/:uuid/refund");
const GET_PRIVATE_MONEYS: Endpoint = ep("GET", "/private-moneys");
const GET_SHOP: Endpoint = ep("GET", "/shops/:uuid");
const GET_SHOP_ACCOUNTS: Endpoint = ep("GET", "/accounts/shops");
const LIST_TRANSACTIONS_V2: Endpoint = ep("GET", "/transactions-v2");

/// `{}`: the parameters of an operation that has none.
fn no_params() -> Map<String, serde_json::Value> {
    Map::new()
}

impl Client {
    /// `GET /ping` without a body; the API answers plain `{"pong":"ok"}`.
    pub async fn ping(&self) -> Result<Pong, CallError> {
        self.call_plain(Route::new("ping", PING, "/ping", Repeat::Safe))
            .await
    }

    /// `POST /echo`: a sealed round trip that proves id, secret and clock are accepted.
    pub async fn echo(&self, message: &str) -> Result<Echo, CallError> {
        let params = EchoRequest {
            message: message.to_string(),
        };
        // A POST without request_id: not repeated, like every such call.
        self.call(Route::new("echo", ECHO, "/echo", Repeat::Never), &params)
            .await
    }

    /// `POST /cashtrays`. Never repeated automatically: a lost answer may have created a tray.
    pub async fn create_cashtray(
        &self,
        params: &CreateCashtrayRequest,
    ) -> Result<Cashtray, CallError> {
        let route = Route::new(
            "create_cashtray",
            CREATE_CASHTRAY,
            "/cashtrays",
            Repeat::Never,
        );
        self.call(route, params).await
    }

    /// `GET /cashtrays/{id}`: the tray with its scan attempt and transaction, if any.
    pub async fn get_cashtray(&self, cashtray_id: Uuid) -> Result<CashtrayWithResult, CallError> {
        let path = format!("/cashtrays/{cashtray_id}");
        let route = Route::new("get_cashtray", GET_CASHTRAY, path, Repeat::Safe);
        self.call(route, &no_params()).await
    }

    /// `DELETE /cashtrays/{id}`. Not repeated: re-read the tray instead.
    pub async fn cancel_cashtray(&self, cashtray_id: Uuid) -> Result<Cashtray, CallError> {
        let path = format!("/cashtrays/{cashtray_id}");
        let route = Route::new("cancel_cashtray", CANCEL_CASHTRAY, path, Repeat::Never);
        self.call(route, &no_params()).await
    }

    /// `PATCH /cashtrays/{id}`: only the given fields change. Not repeated automatically.
    pub async fn update_cashtray(
        &self,
        cashtray_id: Uuid,
        params: &UpdateCashtrayRequest,
    ) -> Result<Cashtray, CallError> {
        let path = format!("/cashtrays/{cashtray_id}");
        let route = Route::new("update_cashtray", UPDATE_CASHTRAY, path, Repeat::Never);
        self.call(route, params).await
    }

    /// `GET /cpm/{token}`: scopes, expiry and owner of a scanned customer code.
    pub async fn get_cpm_token(&self, cpm_token: &str) -> Result<CpmToken, CallError> {
        let operation = "get_cpm_token";
        if !is_path_safe_token(cpm_token) {
            return Err(CallError::Refused {
                operation,
                reason: "a CPM token has only letters and digits".into(),
            });
        }
        let route = Route::new(
            operation,
            GET_CPM_TOKEN,
            format!("/cpm/{cpm_token}"),
            Repeat::Safe,
        )
        .logged_as(format!("/cpm/{}", mask_tail(cpm_token, 4)));
        self.call(route, &no_params()).await
    }

    /// `POST /transactions/cpm`. With a `request_id` the server deduplicates, so a lost answer or
    /// a 5xx is retried with the same `request_id`; without one it is never repeated.
    pub async fn create_cpm_transaction(
        &self,
        params: &CreateCpmTransactionRequest,
    ) -> Result<TransactionDetail, CallError> {
        let repeat = if params.request_id.is_some() {
            Repeat::Safe
        } else {
            Repeat::Never
        };
        let route = Route::new(
            "create_cpm_transaction",
            CREATE_CPM_TRANSACTION,
            "/transactions/cpm",
            repeat,
        );
        self.call(route, params).await
    }

    /// `GET /transactions/{id}`.
    pub async fn get_transaction(
        &self,
        transaction_id: Uuid,
    ) -> Result<TransactionDetail, CallError> {
        let path = format!("/transactions/{transaction_id}");
        let route = Route::new("get_transaction", GET_TRANSACTION, path, Repeat::Safe);
        self.call(route, &no_params()).await
    }

    /// `GET /transactions/requests/{request_id}`: resolves an attempt whose answer was lost.
    pub async fn get_transaction_by_request_id(
        &self,
        request_id: Uuid,
    ) -> Result<TransactionDetail, CallError> {
        let path = format!("/transactions/requests/{request_id}");
        let route = Route::new(
            "get_transaction_by_request_id",
            GET_TRANSACTION_BY_REQUEST_ID,
            path,
            Repeat::Safe,
        );
        self.call(route, &no_params()).await
    }

    /// `POST /transactions/{id}/refund`. Never repeated: the request has no `request_id`.
    pub async fn refund_transaction(
        &self,
        transaction_id: Uuid,
        params: &RefundTransactionRequest,
    ) -> Result<TransactionDetail, CallError> {
        let path = format!("/transactions/{transaction_id}/refund");
        let route = Route::new(
            "refund_transaction",
            REFUND_TRANSACTION,
            path,
            Repeat::Never,
        );
        self.call(route, params).await
    }

    /// `GET /private-moneys`.
    pub async fn get_private_moneys(
        &self,
        params: &GetPrivateMoneysRequest,
    ) -> Result<PaginatedPrivateMoneys, CallError> {
        let route = Route::new(
            "get_private_moneys",
            GET_PRIVATE_MONEYS,
            "/private-moneys",
            Repeat::Safe,
        );
        self.call(route, params).await
    }

    /// `GET /shops/{id}`.
    pub async fn get_shop(&self, shop_id: Uuid) -> Result<ShopWithAccounts, CallError> {
        let path = format!("/shops/{shop_id}");
        self.call(
            Route::new("get_shop", GET_SHOP, path, Repeat::Safe),
            &no_params(),
        )
        .await
    }

    /// `GET /accounts/shops`.
    pub async fn get_shop_accounts(
        &self,
        params: &GetShopAccountsRequest,
    ) -> Result<PaginatedAccountWithUsers, CallError> {
        let route = Route::new(
            "get_shop_accounts",
            GET_SHOP_ACCOUNTS,
            "/accounts/shops",
            Repeat::Safe,
        );
        self.call(route, params).await
    }

    /// `GET /transactions-v2`.
    pub async fn list_transactions_v2(
        &self,
        params: &ListTransactionsV2Request,
    ) -> Result<PaginatedTransactionV2, CallError> {
        let route = Route::new(
            "list_transactions_v2",
            LIST_TRANSACTIONS_V2,
            "/transactions-v2",
            Repeat::Safe,
        );
        self.call(route, params).await
    }
}

/// A token that can go into a URL path unchanged (real tokens are digits; SDK samples letters).
fn is_path_safe_token(token: &str) -> bool {
    (1..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pokepay::error_table;

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

    #[test]
    fn every_endpoint_but_ping_and_echo_appears_in_the_error_table() {
        for endpoint in [
            CREATE_CASHTRAY,
            GET_CASHTRAY,
            CANCEL_CASHTRAY,
            UPDATE_CASHTRAY,
            GET_CPM_TOKEN,
            CREATE_CPM_TRANSACTION,
            GET_TRANSACTION,
            GET_TRANSACTION_BY_REQUEST_ID,
            REFUND_TRANSACTION,
            GET_PRIVATE_MONEYS,
            GET_SHOP,
            GET_SHOP_ACCOUNTS,
            LIST_TRANSACTIONS_V2,
        ] {
            assert!(
                error_table::all()
                    .iter()
                    .any(|row| row.method == endpoint.method && row.path == endpoint.template),
                "{endpoint:?}"
            );
        }
    }
}
