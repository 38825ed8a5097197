//! EasyQR code requests and objects (CodeReq, CodeDto, CodeItem): a hosted page where the customer
//! picks the wallet. `expiryDuration` is in minutes, `expiryPeriod` in milliseconds left.

use serde::{Deserialize, Serialize};

use super::charge::ChargeDto;
use super::enums::CodeStatus;
use super::{EpochMillis, StringMap};

/// `POST /codes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeReq {
    /// Yen.
    pub amount: i64,
    /// At most 50 characters.
    pub order_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<StringMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<StringMap>,
    /// Must be an `http(s)://` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_url: Option<String>,
    /// Minutes, 3 to 30; elepay's default is 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_duration: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<CodeItem>>,
}

/// One line shown on the EasyQR page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeItem {
    pub name: String,
    pub price: i64,
    pub count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// An EasyQR code as elepay returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `"code"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_mode: Option<bool>,
    /// The page the QR code points to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<StringMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<StringMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<CodeItem>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CodeStatus>,
    /// The charge the customer paid with; absent until paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge: Option<Box<ChargeDto>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_time: Option<EpochMillis>,
    /// Milliseconds left until expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_period: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<EpochMillis>,
}
