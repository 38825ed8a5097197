//! Provider-neutral request and result types of the gateway.

use crate::domain::FailReason;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Which way money moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The customer pays the shop.
    Payment,
    /// The shop charges the customer's wallet (チャージ).
    Topup,
}

impl Direction {
    /// The direction a signed amount stands for: positive loads money (a top-up), otherwise a payment.
    pub fn of_signed(amount: i64) -> Direction {
        if amount > 0 {
            Direction::Topup
        } else {
            Direction::Payment
        }
    }
}

impl Direction {
    /// The amount signed as the engine passes it: payments are negative, top-ups positive.
    pub fn signed(self, yen: i64) -> i64 {
        match self {
            Direction::Payment => -yen,
            Direction::Topup => yen,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrRequest {
    /// Positive yen; the direction gives the sign on the wire.
    pub amount: i64,
    pub direction: Direction,
    pub description: String,
    pub expires_in_secs: u32,
    /// The attempt's key, journaled before the request: sent as the idempotency key where the
    /// provider takes one, so a create repeated after a lost answer makes nothing new.
    pub request_id: Uuid,
    /// The merchant's reference for the attempt (the provider's order number), unique per attempt
    /// and journaled with it: a create whose answer was lost is found again by it.
    pub reference: String,
    /// The wallet or payment type the clerk chose within the provider (e.g. `paypay`); `None`
    /// lets the customer choose on the provider's page.
    pub wallet: Option<String>,
    /// How the customer meets the request: a wallet's QR (`MerchantQr`) or the provider's payment
    /// page (`HostedPage`), as journaled with the attempt.
    pub presentation: crate::domain::PaymentMethod,
    /// The register (its configured name) and the sale's receipt number, for the provider's
    /// records, so a payment in its dashboard leads back to the paper receipt.
    pub terminal: String,
    pub receipt_no: i64,
    /// Hold the payment for a later capture instead of taking it when the customer pays.
    pub hold: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSession {
    pub id: String,
    /// What the QR code encodes (a URL the customer's app opens).
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrStatus {
    /// Nobody has paid yet and the request is still valid.
    Open {
        expires_at: DateTime<Utc>,
    },
    Paid(PaidTransaction),
    /// The customer paid and the provider holds the money until it is captured: the engine
    /// captures it (with the attempt's key) before the sale counts as paid.
    Authorized(PaidTransaction),
    /// A customer scanned but the payment was refused; the request is used up.
    Failed(Refusal),
    Expired,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidTransaction {
    pub transaction_id: String,
    /// Positive yen actually moved.
    pub amount: i64,
    pub customer_name: Option<String>,
    pub money_name: Option<String>,
    pub done_at: DateTime<Utc>,
}

/// `Debug` masks the code: anyone holding it can spend from the customer's wallet until it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeCharge {
    /// The customer's one-time code as scanned.
    pub code: String,
    pub amount: i64,
    pub direction: Direction,
    pub request_id: Uuid,
    pub description: String,
    pub products: Vec<ProductLine>,
}

impl std::fmt::Debug for CodeCharge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeCharge")
            .field("code", &crate::secret::MaskedTail(&self.code))
            .field("amount", &self.amount)
            .field("direction", &self.direction)
            .field("request_id", &self.request_id)
            .field("description", &self.description)
            .field("products", &self.products)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductLine {
    pub jan_code: String,
    pub name: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub price: i64,
}

/// A capture of an authorized payment, as the engine asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureRequest {
    pub transaction_id: String,
    /// Yen to take, at most the authorized amount.
    pub amount: i64,
    /// The attempt's key, so a capture repeated after a lost answer takes the money once.
    pub request_id: Uuid,
}

/// A refund as the engine asks for it, after journaling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The provider's id of the payment to refund.
    pub transaction_id: String,
    /// Yen to give back; `None` refunds all that is left.
    pub amount: Option<i64>,
    /// Shown to the provider (and the customer, where it shows one).
    pub reason: String,
    /// The key journaled with the refund, for providers that take one.
    pub request_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundResult {
    pub refund_transaction_id: String,
    pub done_at: DateTime<Utc>,
}

/// A definite "no" from the provider, with its error type and texts in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What kind of no it is, as the provider's adapter reads it; the engine decides by this,
    /// never by the provider's own words.
    pub reason: FailReason,
    /// The provider's own name for the refusal, kept for the journal and support.
    pub error_type: String,
    pub message_ja: String,
    pub message_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The request may or may not have taken effect (timeout, connection lost, 5xx).
    #[error("outcome unknown: {0}")]
    Unknown(String),
    /// The provider asks us to slow down or is briefly unavailable; nothing happened.
    #[error("provider busy: {0}")]
    Busy(String),
    /// A definite refusal; nothing happened.
    #[error("refused: {} ({})", .0.error_type, .0.message_en)]
    Refused(Refusal),
    /// Misconfiguration or a broken reply; retrying the same way will not help.
    #[error("{0}")]
    Fatal(String),
}

impl GatewayError {
    pub fn is_unknown(&self) -> bool {
        matches!(self, GatewayError::Unknown(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_code_charge_masks_the_code() {
        let code = "1234567890123456789012";
        let charge = CodeCharge {
            code: code.into(),
            amount: 500,
            direction: Direction::Payment,
            request_id: Uuid::nil(),
            description: "regi".into(),
            products: Vec::new(),
        };
        let shown = format!("{charge:?} {charge:#?}");
        assert!(!shown.contains(code), "{shown}");
        assert!(shown.contains("9012") && shown.contains("500"), "{shown}");
    }
}

/// How the capture of a held payment ended, as the clerk is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureDone {
    /// `amount` yen were taken; `released` yen of what was held went back to the customer.
    Captured { amount: i64, released: i64 },
    /// The provider said no and took nothing; `still_held` when the payment is still held.
    Refused { refusal: Refusal, still_held: bool },
    /// No answer: the capture is kept in the journal and asked again (same amount) later.
    Unknown,
}

/// How a refund request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundDone {
    Refunded {
        refund_transaction_id: String,
    },
    /// The provider said no (e.g. already refunded elsewhere); shown to the clerk as is.
    Refused(Refusal),
    /// No answer yet; the refund stays pending in the journal and is settled on the next start.
    Unknown,
}
