//! Wire types of the Partner API, shared by regi's client and the sandbox so the two cannot drift.
//! Field names are the API's snake_case names; optional-but-documented fields are `Option`s that
//! serialize as `null`, because some SDKs index every documented key.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use regi_core::secret::MaskedTail;

pub type Timestamp = DateTime<FixedOffset>;

/// A JSON number as the API sends it (`format: decimal`). Integral values are written without a
/// fraction so every SDK reads them as plain numbers; SDK tests send integers as `4823.0`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Num(pub f64);

impl Num {
    pub fn yen(value: i64) -> Self {
        Self(value as f64)
    }

    /// The value as whole yen, or `None` when it is fractional or out of range.
    pub fn as_yen(self) -> Option<i64> {
        let v = self.0;
        (v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_yen() {
            Some(whole) => s.serialize_i64(whole),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(Num)
    }
}

// ---------------------------------------------------------------------------------------------
// Envelope

/// The outer request body, JSON or form-encoded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestEnvelope {
    pub partner_client_id: String,
    pub data: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_method: Option<String>,
}

/// The plaintext inside `data`. `request_data` is `{}` or, from PHP, `[]` when empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InnerRequest {
    pub request_data: serde_json::Value,
    pub timestamp: String,
    pub partner_call_id: String,
}

/// The outer response body of every enveloped answer (success or API error).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseEnvelope {
    pub response_data: String,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub partner_call_id: Option<String>,
}

/// An API error: `type` and `message`, with parameter names for `invalid_parameters`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<ParamErrors>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ParamErrors {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpermitted: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------------------------
// Requests (the contents of `request_data`)

/// `{}`: the parameters of an operation that has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EchoRequest {
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCashtrayRequest {
    pub private_money_id: Uuid,
    pub shop_id: Uuid,
    pub amount: Num,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateCashtrayRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
}

/// One product line sent with a transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub jan_code: String,
    pub name: String,
    pub unit_price: Num,
    pub price: Num,
    pub quantity: i64,
    pub is_discounted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

/// `Debug` masks the customer's code (a bearer credential until it is used or expires).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCpmTransactionRequest {
    pub cpm_token: String,
    pub shop_id: Uuid,
    pub amount: Num,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A JSON *string* holding a flat string→string object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
}

impl std::fmt::Debug for CreateCpmTransactionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateCpmTransactionRequest")
            .field("cpm_token", &MaskedTail(&self.cpm_token))
            .field("shop_id", &self.shop_id)
            .field("amount", &self.amount)
            .field("description", &self.description)
            .field("metadata", &self.metadata)
            .field("products", &self.products)
            .field("request_id", &self.request_id)
            .field("strategy", &self.strategy)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RefundTransactionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returning_point_expires_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GetPrivateMoneysRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetShopAccountsRequest {
    pub private_money_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_suspended: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ListTransactionsV2Request {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_money_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_modified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_cursor_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_page_cursor_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Responses

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pong {
    pub pong: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Echo {
    pub status: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub name: String,
    pub is_merchant: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateMoney {
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    pub is_exclusive: bool,
    pub description: String,
    pub oneline_message: String,
    pub organization: Organization,
    pub max_balance: Num,
    pub transfer_limit: Num,
    pub money_topup_transfer_limit: Num,
    #[serde(rename = "type")]
    pub kind: String,
    pub expiration_type: String,
    #[serde(default)]
    pub enable_topup_by_member: Option<bool>,
    pub display_money_and_point: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    pub is_suspended: bool,
    pub status: String,
    pub private_money: PrivateMoney,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountWithUser {
    #[serde(flatten)]
    pub account: Account,
    pub user: User,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountDetail {
    #[serde(flatten)]
    pub account: Account,
    pub user: User,
    pub balance: Num,
    pub money_balance: Num,
    pub point_balance: Num,
    pub point_debt: Num,
    #[serde(default)]
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopAccount {
    pub id: Uuid,
    pub name: String,
    pub is_suspended: bool,
    pub can_transfer_topup: bool,
    pub private_money: PrivateMoney,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountWithoutPrivateMoneyDetail {
    pub id: Uuid,
    pub name: String,
    pub is_suspended: bool,
    pub status: String,
    pub private_money_id: Uuid,
    pub user: User,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: String,
    pub is_modified: bool,
    pub sender: User,
    pub sender_account: Account,
    pub receiver: User,
    pub receiver_account: Account,
    pub amount: Num,
    pub money_amount: Num,
    pub point_amount: Num,
    #[serde(default)]
    pub raw_point_amount: Option<Num>,
    #[serde(default)]
    pub campaign_point_amount: Option<Num>,
    pub done_at: Timestamp,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub id: Uuid,
    pub sender_account: AccountWithoutPrivateMoneyDetail,
    pub receiver_account: AccountWithoutPrivateMoneyDetail,
    pub amount: Num,
    pub money_amount: Num,
    pub point_amount: Num,
    pub done_at: Timestamp,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    pub transaction_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionDetail {
    #[serde(flatten)]
    pub transaction: Transaction,
    pub transfers: Vec<Transfer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExternalTransaction {
    pub id: Uuid,
    pub is_modified: bool,
    pub sender: User,
    pub sender_account: Account,
    pub receiver: User,
    pub receiver_account: Account,
    pub amount: Num,
    pub done_at: Timestamp,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cashtray {
    pub id: Uuid,
    /// Negative = payment, positive = top-up.
    pub amount: Num,
    pub description: String,
    pub account: AccountWithUser,
    pub expires_at: Timestamp,
    #[serde(default)]
    pub canceled_at: Option<Timestamp>,
    /// The URL the QR code encodes.
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CashtrayAttempt {
    #[serde(default)]
    pub account: Option<AccountWithUser>,
    pub status_code: Num,
    pub error_type: String,
    pub error_message: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CashtrayWithResult {
    #[serde(flatten)]
    pub cashtray: Cashtray,
    #[serde(default)]
    pub attempt: Option<CashtrayAttempt>,
    #[serde(default)]
    pub transaction: Option<Transaction>,
}

/// `Debug` masks the token: whoever holds it can spend from the customer's wallet.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CpmToken {
    pub cpm_token: String,
    pub account: AccountDetail,
    #[serde(default)]
    pub transaction: Option<Transaction>,
    #[serde(default)]
    pub event: Option<ExternalTransaction>,
    pub scopes: Vec<String>,
    pub expires_at: Timestamp,
    pub metadata: String,
    #[serde(default)]
    pub strategy: Option<String>,
}

impl std::fmt::Debug for CpmToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpmToken")
            .field("cpm_token", &MaskedTail(&self.cpm_token))
            .field("account", &self.account)
            .field("transaction", &self.transaction)
            .field("event", &self.event)
            .field("scopes", &self.scopes)
            .field("expires_at", &self.expires_at)
            .field("metadata", &self.metadata)
            .field("strategy", &self.strategy)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopWithAccounts {
    pub id: Uuid,
    pub name: String,
    pub organization_code: String,
    pub status: String,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub tel: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    pub accounts: Vec<ShopAccount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pagination {
    pub current: i64,
    pub per_page: i64,
    pub max_page: i64,
    pub has_prev: bool,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaginatedPrivateMoneys {
    pub rows: Vec<PrivateMoney>,
    pub count: i64,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaginatedAccountWithUsers {
    pub rows: Vec<AccountWithUser>,
    pub count: i64,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaginatedTransactionV2 {
    pub rows: Vec<Transaction>,
    pub per_page: i64,
    pub count: i64,
    #[serde(default)]
    pub next_page_cursor_id: Option<Uuid>,
    #[serde(default)]
    pub prev_page_cursor_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_cpm_transaction_request_masks_the_token() {
        let token = "1234567890123456789012";
        let request: CreateCpmTransactionRequest = serde_json::from_value(serde_json::json!({
            "cpm_token": token,
            "shop_id": Uuid::nil(),
            "amount": 500,
        }))
        .unwrap();
        let shown = format!("{request:?} {request:#?}");
        assert!(!shown.contains(token), "{shown}");
        assert!(shown.contains("9012"), "{shown}");
    }

    #[test]
    fn num_writes_whole_values_as_integers_and_reads_floats() {
        assert_eq!(serde_json::to_string(&Num::yen(-1200)).unwrap(), "-1200");
        assert_eq!(serde_json::to_string(&Num(0.5)).unwrap(), "0.5");
        let n: Num = serde_json::from_str("4823.0").unwrap();
        assert_eq!(n.as_yen(), Some(4823));
        let n: Num = serde_json::from_str("12.5").unwrap();
        assert_eq!(n.as_yen(), None);
    }

    #[test]
    fn error_body_reads_the_documented_shape() {
        let body: ApiErrorBody = serde_json::from_str(
            r#"{"type":"invalid_parameters","message":"Invalid parameters","errors":{"invalid":["message"]}}"#,
        )
        .unwrap();
        assert_eq!(body.kind, "invalid_parameters");
        assert_eq!(
            body.errors.unwrap().invalid.unwrap(),
            vec!["message".to_string()]
        );
    }
}
