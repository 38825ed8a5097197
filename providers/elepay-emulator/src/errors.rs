//! The emulator's error answers in elepay's shape: `{"code":"M002001","message":"…"}` with HTTP
//! 400 for every catalogued code (as elepay's error-code reference says), 401 for a refused key,
//! 503 for the `unavailable` fault. The codes are elepay's; the messages are the emulator's.

use axum::response::{IntoResponse, Response};
use regi_elepay::wire::ErrorBody;

use crate::json::json_response;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("HTTP {status} {code}: {message}")]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// M002001: a required parameter is missing.
    pub fn missing(field: &str) -> Self {
        Self::new(400, "M002001", format!("{field} is required"))
    }

    /// M002002: a value is wrong.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "M002002", message)
    }

    /// M002003: no such resource.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(400, "M002003", format!("{what} {id} does not exist"))
    }

    /// M002007: the order number was already paid.
    pub fn order_already_paid(order_no: &str) -> Self {
        Self::new(
            400,
            "M002007",
            format!("order {order_no} has already been paid"),
        )
    }

    /// M004001: the key is not this account's.
    pub fn invalid_key() -> Self {
        Self::new(401, "M004001", "invalid API key")
    }

    /// M004002: no credentials were sent.
    pub fn missing_key() -> Self {
        Self::new(401, "M004002", "authentication parameters are missing")
    }

    /// M006000: the status does not allow this operation.
    pub fn status_does_not_allow(status: &str) -> Self {
        Self::new(
            400,
            "M006000",
            format!("not allowed while the charge is {status}"),
        )
    }

    /// M006002: already done.
    pub fn already_completed(message: impl Into<String>) -> Self {
        Self::new(400, "M006002", message)
    }

    /// M006003: the code was already paid or closed.
    pub fn code_done(status: &str) -> Self {
        Self::new(400, "M006003", format!("the code is already {status}"))
    }

    /// M006004: the code expired.
    pub fn code_expired() -> Self {
        Self::new(400, "M006004", "the code has expired")
    }

    /// 10109 (elepay's older numbering): refunds need a captured charge.
    pub fn refund_not_captured() -> Self {
        Self::new(400, "10109", "the charge is not captured")
    }

    /// The `unavailable` fault.
    pub fn unavailable() -> Self {
        Self::new(503, "S000001", "temporarily unavailable")
    }

    /// The state file could not be written after a change (the change stands in memory).
    pub fn not_saved() -> Self {
        Self::new(500, "S000002", "the emulator could not save its state")
    }

    /// A path no operation serves.
    pub fn no_route() -> Self {
        Self::new(404, "M002003", "no such endpoint")
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.to_string(),
            message: self.message.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}
