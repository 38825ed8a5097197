//! KOMOJU's error answers: the HTTP status and the `{"error":{"code","message","param","details"}}`
//! envelope, with the codes KOMOJU documents (`bad_request`, `unauthorized`, `not_found`,
//! `unprocessable_entity`, `missing_parameter`, `service_unavailable`, …).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use regi_komoju::wire::{ErrorBody, ErrorEnvelope};

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: &str, param: Option<&str>) -> Self {
        Self {
            status,
            body: ErrorBody::new(code, message, param),
        }
    }

    pub fn bad_request(message: &str) -> Self {
        Self::new(400, "bad_request", message, None)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            401,
            "unauthorized",
            "The secret key is missing or invalid.",
            None,
        )
    }

    pub fn forbidden(message: &str) -> Self {
        Self::new(403, "forbidden", message, None)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(404, "not_found", &format!("{what} not found."), None)
    }

    pub fn missing(param: &str) -> Self {
        Self::new(
            422,
            "missing_parameter",
            &format!("A required parameter ({param}) is missing."),
            Some(param),
        )
    }

    pub fn invalid(param: &str, message: &str) -> Self {
        Self::new(422, "unprocessable_entity", message, Some(param))
    }

    /// A rule of the resource's lifecycle forbids it (double capture, over-refund, …).
    pub fn unprocessable(message: &str) -> Self {
        Self::new(422, "unprocessable_entity", message, None)
    }

    pub fn declined(message: &str) -> Self {
        Self::new(402, "request_failed", message, None)
    }

    pub fn in_progress() -> Self {
        Self::new(
            409,
            "conflict",
            "A request with this idempotency key is still being processed.",
            Some("X-KOMOJU-IDEMPOTENCY"),
        )
    }

    pub fn unavailable() -> Self {
        Self::new(
            503,
            "service_unavailable",
            "KOMOJU is temporarily unavailable.",
            None,
        )
    }

    pub fn internal() -> Self {
        Self::new(500, "internal_server_error", "Internal server error.", None)
    }

    pub fn param(&self) -> Option<&str> {
        self.body.param.as_deref()
    }

    pub fn envelope_json(&self) -> String {
        serde_json::to_string(&ErrorEnvelope {
            error: self.body.clone(),
        })
        .unwrap_or_else(|_| r#"{"error":{"code":"internal_server_error"}}"#.to_string())
    }
}

/// A JSON answer with a status.
pub fn json_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, self.envelope_json());
        if self.status == 401 {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"KOMOJU\""),
            );
        }
        response
    }
}
