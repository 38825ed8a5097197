//! What can go wrong with a Partner API call, sorted by what the caller must do about it.

use crate::endpoints::Endpoint;
use crate::error_table;
use crate::wire::{ApiErrorBody, ParamErrors};
use regi_config::Lang;

/// The result of a call that did not return the expected object.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// No answer: connection failed, timed out or closed before a response arrived. The request may
    /// or may not have been carried out — **the outcome is unknown**, never "failed". Resolve it by
    /// a lookup (`get_cashtray`, `get_transaction_by_request_id`) or a retry with the same
    /// `request_id`.
    #[error("{operation}: no answer from the Partner API ({reason}); the outcome is unknown")]
    Unknown {
        operation: &'static str,
        reason: String,
    },

    /// The API answered with an error object.
    #[error(transparent)]
    Api(ApiFailure),

    /// The API answered something that is neither the expected object nor an error object
    /// (undecryptable, not JSON, wrong shape).
    #[error("{operation}: unreadable answer (HTTP {status}): {reason}")]
    BadResponse {
        operation: &'static str,
        status: u16,
        reason: String,
    },

    /// The request was not sent because it could not be made safely (configuration or arguments).
    #[error("{operation}: request refused before sending: {reason}")]
    Refused {
        operation: &'static str,
        reason: String,
    },
}

impl CallError {
    /// True when the request may have taken effect although no definite answer was read: no
    /// answer at all, an unreadable answer (a 200 that does not decrypt may hide a success), or a
    /// 5xx. The caller must resolve such an attempt, never report it as failed.
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Self::Unknown { .. } | Self::BadResponse { .. } => true,
            Self::Api(failure) => failure.status >= 500,
            Self::Refused { .. } => false,
        }
    }

    /// True when repeating an idempotent request may help.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Unknown { .. } => true,
            Self::Api(failure) => failure.is_retryable(),
            Self::BadResponse { status, .. } => *status >= 500,
            Self::Refused { .. } => false,
        }
    }

    /// The API error, when the API gave one.
    pub fn api(&self) -> Option<&ApiFailure> {
        match self {
            Self::Api(failure) => Some(failure),
            _ => None,
        }
    }

    /// The API error `type`, when the API gave one (`cpm_token_already_proceed`, ...).
    pub fn api_kind(&self) -> Option<&str> {
        self.api().map(|f| f.kind.as_str())
    }
}

/// An error object returned by the API with its HTTP status.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}HTTP {status} {kind}: {message}", endpoint_label(.endpoint))]
pub struct ApiFailure {
    pub status: u16,
    /// The API's error `type`, e.g. `cashtray_already_proceed`.
    pub kind: String,
    /// The message as the server sent it (its language follows `Accept-Language`).
    pub message: String,
    /// Parameter names of an `invalid_parameters` error (boxed: rare, and keeps errors small).
    pub errors: Option<Box<ParamErrors>>,
    /// The endpoint that answered, used to pick the matching row of the error table.
    pub endpoint: Option<Endpoint>,
}

impl ApiFailure {
    pub fn from_body(status: u16, body: ApiErrorBody, endpoint: Option<Endpoint>) -> Self {
        Self {
            status,
            kind: body.kind,
            message: body.message,
            errors: body.errors.map(Box::new),
            endpoint,
        }
    }

    /// The clerk-facing message in `lang`: the error table's text for this type (preferring this
    /// endpoint's row), else the server's message, else the bare type.
    pub fn text(&self, lang: Lang) -> String {
        error_table::text_for(&self.kind, self.endpoint, lang)
            .map(str::to_string)
            .or_else(|| Some(self.message.trim().to_string()).filter(|m| !m.is_empty()))
            .or_else(|| Some(self.kind.clone()).filter(|k| !k.is_empty()))
            .unwrap_or_else(|| format!("HTTP {}", self.status))
    }

    pub fn ja(&self) -> String {
        self.text(Lang::Ja)
    }

    pub fn en(&self) -> String {
        self.text(Lang::En)
    }

    /// Server-side trouble (`503 temporarily_unavailable`, any 5xx): worth another try when the
    /// request is idempotent.
    pub fn is_retryable(&self) -> bool {
        self.status >= 500 || self.kind == "temporarily_unavailable"
    }
}

fn endpoint_label(endpoint: &Option<Endpoint>) -> String {
    endpoint
        .map(|ep| format!("{} {}: ", ep.method, ep.template))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;

    fn failure(status: u16, kind: &str, message: &str, endpoint: Option<Endpoint>) -> ApiFailure {
        ApiFailure {
            status,
            kind: kind.into(),
            message: message.into(),
            errors: None,
            endpoint,
        }
    }

    #[test]
    fn text_comes_from_the_table_in_both_languages() {
        let f = failure(
            422,
            "cpm_token_already_proceed",
            "server text",
            Some(Operation::CreateCpmTransaction.endpoint()),
        );
        assert_ne!(f.ja(), f.en());
        assert!(!f.ja().is_empty() && f.ja() != "server text");
        assert!(f.en().to_lowercase().contains("cpm"));
    }

    #[test]
    fn text_falls_back_to_server_message_then_type() {
        assert_eq!(
            failure(422, "brand_new", "New thing", None).ja(),
            "New thing"
        );
        assert_eq!(failure(422, "brand_new", " ", None).en(), "brand_new");
        assert_eq!(failure(404, "", "", None).ja(), "HTTP 404");
    }

    #[test]
    fn retryable_and_unknown_follow_the_status() {
        let unavailable = failure(503, "temporarily_unavailable", "", None);
        assert!(unavailable.is_retryable());
        assert!(!failure(422, "cashtray_expired", "", None).is_retryable());
        let err = CallError::Api(unavailable);
        assert!(err.is_retryable() && err.is_outcome_unknown());
        let definite = CallError::Api(failure(422, "cpm_token_already_expired", "", None));
        assert!(!definite.is_outcome_unknown());
        assert_eq!(definite.api_kind(), Some("cpm_token_already_expired"));
        let lost = CallError::Unknown {
            operation: "create_cashtray",
            reason: "timed out".into(),
        };
        assert!(lost.is_outcome_unknown());
        assert!(lost.to_string().contains("outcome is unknown"));
        let refused = CallError::Refused {
            operation: "get_cpm_token",
            reason: "bad token".into(),
        };
        assert!(!refused.is_outcome_unknown() && !refused.is_retryable());
    }
}
