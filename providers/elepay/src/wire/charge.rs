//! Charge requests and objects (ChargeReq, ChargeDto, ChargeStatusDto, ChargeCaptureReq, CardInfo)
//! with elepay's camelCase names. Times are UTC epoch milliseconds. Every response field is
//! optional, as the spec declares, and an absent one is left out when written (the official SDKs
//! reject `null` in enum fields).

use serde::{Deserialize, Serialize};

use super::enums::{CardBrand, ChargeStatus, PaymentMethod, Resource};
use super::refund::RefundsDto;
use super::{EpochMillis, StringMap};

/// `POST /charges`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeReq {
    /// Yen.
    pub amount: i64,
    /// The merchant's order number, at most 50 characters: elepay's only idempotency key.
    pub order_no: String,
    pub payment_method: PaymentMethod,
    /// `false` only authorizes; the charge then waits in `uncaptured` for a capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<StringMap>,
    /// At most 20 keys, each value at most 255 bytes; `route` and `__…` keys are reserved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<StringMap>,
}

impl ChargeReq {
    /// A merchant-presented QR charge (`resource: mpm`), captured at once or only authorized.
    pub fn mpm(
        amount: i64,
        order_no: impl Into<String>,
        payment_method: PaymentMethod,
        capture: bool,
    ) -> Self {
        Self {
            amount,
            order_no: order_no.into(),
            payment_method,
            capture: Some(capture),
            currency: None,
            resource: Some(Resource::Mpm),
            description: None,
            client_ip: None,
            customer_id: None,
            source_id: None,
            extra: None,
            metadata: None,
        }
    }
}

/// `POST /charges/{id}/capture`: an amount at most the authorized one (none captures it all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeCaptureReq {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<StringMap>,
}

/// A charge as elepay returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Always `"charge"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_mode: Option<bool>,
    /// The charged amount (after a smaller capture, the captured one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// The amount authorized when the charge was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether the charge was created to authorize only (`capture: false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<PaymentMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<StringMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<StringMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_info: Option<CardInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voucher_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<RefundsDto>,
    /// The QR payload the shop shows; only for `mpm` charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_content: Option<String>,
    /// A token for elepay's client-side SDKs (not a barcode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ChargeStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_time: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_time: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_time: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<EpochMillis>,
}

/// `GET /charges/{id}/status`: the light poll.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeStatusDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_mode: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ChargeStatus>,
}

/// The card or wallet behind a charge (CardInfo; elepay sends more keys than SDK 1.2.0 lists,
/// which are accepted and dropped).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<CardBrand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_month: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub three_d_secure: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub three_d_secure_version: Option<String>,
}
