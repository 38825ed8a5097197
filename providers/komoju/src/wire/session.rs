//! The Session object (komoju-node-sdk `models/session.ts`) and its enums.

use serde::{Deserialize, Serialize};

use super::Metadata;
use super::payment::Payment;
use super::time::{self, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// 25 lowercase alphanumeric characters.
    pub id: String,
    /// Always `"session"`.
    pub resource: String,
    pub mode: Mode,
    pub amount: i64,
    pub currency: String,
    /// `null` until the session is completed, then the payment it created.
    pub payment: Option<Payment>,
    /// The hosted page the customer opens (drawn as a QR at the register).
    pub session_url: String,
    pub return_url: Option<String>,
    pub default_locale: Locale,
    pub payment_methods: Vec<PaymentMethod>,
    #[serde(with = "time")]
    pub created_at: Timestamp,
    #[serde(with = "time::nullable")]
    pub cancelled_at: Option<Timestamp>,
    #[serde(with = "time::nullable")]
    pub completed_at: Option<Timestamp>,
    pub status: SessionStatus,
    /// True once `expires_in_seconds` has passed; KOMOJU has no `expired` status.
    #[serde(default)]
    pub expired: bool,
    #[serde(default)]
    pub merchant: Option<Merchant>,
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub payment_data: Option<SessionPaymentData>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Pending,
    Completed,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Payment,
    Customer,
    CustomerPayment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[default]
    Ja,
    En,
    Ko,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Ja => "ja",
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }
}

/// `payment_data[capture]`: `auto` captures when the customer pays, `manual` leaves the payment
/// `authorized` until `POST /payments/{id}/capture`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureMode {
    #[default]
    Auto,
    Manual,
}

impl CaptureMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureMode::Auto => "auto",
            CaptureMode::Manual => "manual",
        }
    }
}

/// One method offered on the hosted page; only `type` is always there (konbini adds `brands`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentMethod {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(flatten)]
    pub extra: Metadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merchant {
    pub name: String,
}

/// `payment_data` as a session echoes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPaymentData {
    pub capture: CaptureMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_order_num: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_kana: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_pending_session_parses() {
        let text = r#"{
            "id": "e9x5mvx3jkpkofzcg7umfael6", "resource": "session", "mode": "payment",
            "amount": 8888, "currency": "JPY", "payment": null,
            "session_url": "https://komoju.com/sessions/e9x5mvx3jkpkofzcg7umfael6",
            "return_url": "https://example.com", "default_locale": "ja",
            "payment_methods": [{"type": "credit_card"},
                {"type": "konbini", "brands": {"lawson": "/images/konbini/lawson.svg"}}],
            "created_at": "2020-08-17T18:03:53.000+09:00", "cancelled_at": null,
            "completed_at": null, "status": "pending"
        }"#;
        let session: Session = serde_json::from_str(text).unwrap();
        assert_eq!(session.status, SessionStatus::Pending);
        assert_eq!(session.amount, 8888);
        assert_eq!(session.payment_methods[1].kind, "konbini");
        assert!(session.payment_methods[1].extra.contains_key("brands"));
        assert!(!session.expired);
        assert!(session.payment.is_none());
    }
}
