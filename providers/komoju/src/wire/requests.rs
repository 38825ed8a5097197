//! The request bodies regi sends (komoju-node-sdk `CreateSessionRequestWithPaymentMode`,
//! `CapturePaymentRequest`, `RefundPaymentRequest`). Optional fields left unset are not sent, so
//! KOMOJU's defaults apply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::session::{CaptureMode, Locale, Mode};

/// `POST /sessions` in payment mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateSessionRequest {
    pub mode: Mode,
    /// Yen for JPY.
    pub amount: i64,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// At most 86400 (KOMOJU's default and maximum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<i64>,
    /// Empty means every method the merchant has activated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_locale: Option<Locale>,
    /// String keys (≤ 30 chars) and values (≤ 2000 chars): terminal, receipt number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    pub payment_data: PaymentDataRequest,
}

impl CreateSessionRequest {
    /// A payment-mode session for `amount` yen, captured automatically.
    pub fn yen(amount: i64, external_order_num: impl Into<String>) -> Self {
        Self {
            mode: Mode::Payment,
            amount,
            currency: "JPY".to_string(),
            return_url: None,
            expires_in_seconds: None,
            payment_types: Vec::new(),
            default_locale: None,
            metadata: BTreeMap::new(),
            payment_data: PaymentDataRequest {
                capture: CaptureMode::Auto,
                external_order_num: Some(external_order_num.into()),
            },
        }
    }
}

/// `payment_data` of a new session; `external_order_num` is the register's own sale reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentDataRequest {
    pub capture: CaptureMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_order_num: Option<String>,
}

/// `POST /payments/{id}/capture`: no amount captures all (`{}` is sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapturePaymentRequest {
    /// Before tax; at most the authorised amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
}

/// `POST /payments/{id}/refund`: no amount refunds what is left (`{}` is sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RefundPaymentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Operations that send no body (cancels, reads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoBody;

/// `GET /payments` filters, sent as the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPaymentsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_order_num: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_request_puts_the_order_number_inside_payment_data() {
        let mut request = CreateSessionRequest::yen(1200, "R-0001");
        request.payment_data.capture = CaptureMode::Manual;
        request.payment_types = vec!["paypay".into()];
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["mode"], "payment");
        assert_eq!(json["currency"], "JPY");
        assert_eq!(json["payment_data"]["external_order_num"], "R-0001");
        assert_eq!(json["payment_data"]["capture"], "manual");
        assert!(json.get("external_order_num").is_none());
        assert!(json.get("expires_in_seconds").is_none());
    }

    #[test]
    fn a_whole_refund_or_capture_sends_an_empty_object() {
        let refund = serde_json::to_string(&RefundPaymentRequest::default()).unwrap();
        let capture = serde_json::to_string(&CapturePaymentRequest::default()).unwrap();
        assert_eq!((refund.as_str(), capture.as_str()), ("{}", "{}"));
    }
}
