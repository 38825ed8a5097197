//! elepay's JSON as Rust types, shared by the client and the emulator so both read and write the
//! same shapes: camelCase names, UTC epoch-millisecond times, `object` fields, and the enums
//! exactly as elepay's OpenAPI spec lists them.

mod charge;
mod code;
mod enums;
mod error_body;
mod listing;
mod refund;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use charge::{CardInfo, ChargeCaptureReq, ChargeDto, ChargeReq, ChargeStatusDto};
pub use code::{CodeDto, CodeItem, CodeReq};
pub use enums::{
    CardBrand, ChargeStatus, CodeStatus, KnownCardBrand, KnownPaymentMethod, PaymentMethod,
    RefundStatus, Resource,
};
pub use error_body::ErrorBody;
pub use listing::{ChargesResponse, ListChargesQuery};
pub use refund::{RefundDto, RefundReq, RefundsDto, RefundsResponse};

/// A UTC time in milliseconds since the Unix epoch, as every elepay time field is.
pub type EpochMillis = i64;

/// `extra` and `metadata`: string keys to string values.
pub type StringMap = BTreeMap<String, String>;

/// The content type elepay answers with, exactly: its SDKs refuse `application/json` alone and
/// the form with a space before `charset`.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// A request body that is no body (revoke, capture without an amount, reads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoBody;

/// The answer of a call that returns nothing (`DELETE /codes/{id}`, 204).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Empty;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_is_written_in_camel_case_without_absent_fields() {
        let charge = ChargeDto {
            id: Some("cha_1".into()),
            object: Some("charge".into()),
            order_no: Some("S-1".into()),
            status: Some(ChargeStatus::Uncaptured),
            authorize_amount: Some(500),
            create_time: Some(1_700_000_000_000),
            ..Default::default()
        };
        let json = serde_json::to_value(&charge).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "cha_1", "object": "charge", "orderNo": "S-1", "status": "uncaptured",
                "authorizeAmount": 500, "createTime": 1_700_000_000_000_i64
            })
        );
    }

    #[test]
    fn a_charge_request_says_mpm_and_whether_to_capture() {
        let req = ChargeReq::mpm(1200, "S-9", KnownPaymentMethod::Paypay.into(), false);
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["resource"], "mpm");
        assert_eq!(json["capture"], false);
        assert_eq!(json["paymentMethod"], "paypay");
        assert_eq!(json["orderNo"], "S-9");
        assert!(json.get("metadata").is_none());
    }
}
