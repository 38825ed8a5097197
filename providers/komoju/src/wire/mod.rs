//! KOMOJU's JSON, field for field as the API and its SDKs name them (komoju-node-sdk models):
//! the Session, Payment and Refund objects, the request bodies regi sends, the error envelope.
//! Unset nullable fields are `null`, never left out; unknown fields in answers are ignored so a
//! newer KOMOJU does not break an older register.

mod error;
mod payment;
mod requests;
mod session;
pub mod time;

pub use error::{ErrorBody, ErrorEnvelope};
pub use payment::{Payment, PaymentDetails, PaymentList, PaymentStatus, Refund};
pub use requests::{
    CapturePaymentRequest, CreateSessionRequest, ListPaymentsQuery, NoBody, PaymentDataRequest,
    RefundPaymentRequest,
};
pub use session::{
    CaptureMode, Locale, Merchant, Mode, PaymentMethod, Session, SessionPaymentData, SessionStatus,
};
pub use time::Timestamp;

/// Free-form key/value pairs as KOMOJU returns them.
pub type Metadata = serde_json::Map<String, serde_json::Value>;

/// The payment types a register offers by default (komoju-node-sdk `payment-type.ts`).
pub const QR_AND_CARD_PAYMENT_TYPES: [&str; 6] = [
    "paypay",
    "linepay",
    "merpay",
    "rakutenpay",
    "aupay",
    "credit_card",
];
