//! The Payment and Refund objects (komoju-node-sdk `models/payment.ts`, `docs/Models/Refund.md`)
//! and the payment list `GET /payments` answers.

use serde::{Deserialize, Serialize};

use super::Metadata;
use super::time::{self, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    /// Always `"payment"`.
    pub resource: String,
    pub status: PaymentStatus,
    /// Before tax, in yen for JPY.
    pub amount: i64,
    pub tax: i64,
    pub customer: Option<String>,
    #[serde(with = "time::nullable")]
    pub payment_deadline: Option<Timestamp>,
    pub payment_details: PaymentDetails,
    pub payment_method_fee: i64,
    /// `amount + tax + payment_method_fee`.
    pub total: i64,
    pub currency: String,
    pub description: Option<String>,
    #[serde(with = "time::nullable")]
    pub captured_at: Option<Timestamp>,
    pub external_order_num: Option<String>,
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(with = "time")]
    pub created_at: Timestamp,
    pub amount_refunded: i64,
    pub locale: String,
    /// The session this payment completed.
    pub session: Option<String>,
    pub customer_family_name: Option<String>,
    pub customer_given_name: Option<String>,
    pub mcc: Option<String>,
    #[serde(default)]
    pub statement_descriptor: Option<serde_json::Value>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
    #[serde(default)]
    pub refund_requests: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Pending,
    Authorized,
    Captured,
    Refunded,
    Cancelled,
    Expired,
    /// In KOMOJU's enum; the API is said to show such payments as `pending`.
    Failed,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Authorized => "authorized",
            PaymentStatus::Captured => "captured",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Failed => "failed",
        }
    }
}

/// How the customer paid: `type` (`paypay`, `credit_card`, …) and whatever that type adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentDetails {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(flatten)]
    pub extra: Metadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    /// Always `"refund"`.
    pub resource: String,
    /// Tax included.
    pub amount: i64,
    pub currency: String,
    /// The refunded payment's id.
    pub payment: String,
    pub description: Option<String>,
    #[serde(with = "time")]
    pub created_at: Timestamp,
    pub chargeback: bool,
}

/// `GET /payments`: one page of payments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentList {
    /// Always `"list"`.
    pub resource: String,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub last_page: i64,
    pub data: Vec<Payment>,
}
