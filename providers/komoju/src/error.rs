//! What can go wrong with a KOMOJU call, sorted by what the caller must do about it
//! ([`ErrorClass`]), so an adapter maps results without reading message text:
//!
//! | class | when | what to do |
//! |---|---|---|
//! | [`ErrorClass::Refused`] | KOMOJU answered a 4xx error object (not 401/403/409/429) | show its `code`; nothing happened |
//! | [`ErrorClass::Unknown`] | no answer, timeout, 5xx, 429, unreadable answer, 409 "in progress" after the retries | resolve by re-reading or retrying with the same key; never report failed |
//! | [`ErrorClass::Configuration`] | 401/403, bad or insecure base URL, empty key | fix the `[komoju]` settings |
//! | [`ErrorClass::NotSent`] | an argument that cannot be sent safely (bad id) | a bug in the caller; nothing left the machine |

use crate::endpoints::Operation;
use crate::wire::ErrorBody;

/// The four things a caller can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    Refused,
    Unknown,
    Configuration,
    NotSent,
}

/// Why an outcome is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownCause {
    /// The whole exchange took longer than the client's limit.
    Timeout,
    /// Could not connect, or the connection closed before an answer.
    NoAnswer(String),
    /// KOMOJU answered 5xx (maintenance, upstream processor, internal error).
    ServerError { status: u16, code: Option<String> },
    /// 409: a request with the same idempotency key was still running after every retry.
    StillInProgress { attempts: u32 },
    /// 429: too many requests.
    RateLimited,
    /// An answer that is neither the expected object nor an error object.
    Unreadable { status: u16 },
}

impl std::fmt::Display for UnknownCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnknownCause::Timeout => f.write_str("timed out"),
            UnknownCause::NoAnswer(reason) => write!(f, "no answer ({reason})"),
            UnknownCause::ServerError { status, code } => match code {
                Some(code) => write!(f, "HTTP {status} {code}"),
                None => write!(f, "HTTP {status}"),
            },
            UnknownCause::StillInProgress { attempts } => write!(
                f,
                "the first request with this idempotency key was still in progress after {attempts} tries"
            ),
            UnknownCause::RateLimited => f.write_str("HTTP 429 too many requests"),
            UnknownCause::Unreadable { status } => write!(f, "unreadable answer (HTTP {status})"),
        }
    }
}

/// The result of a call that did not return the expected object.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KomojuError {
    /// KOMOJU refused the request: nothing was done.
    #[error("{}: KOMOJU refused (HTTP {status} {}): {}", .operation.name(), .error.code, .error.message)]
    Refused {
        operation: Operation,
        status: u16,
        error: ErrorBody,
    },
    /// The request may or may not have taken effect: **the outcome is unknown**, never "failed".
    #[error("{}: {cause}; the outcome is unknown", .operation.name())]
    Unknown {
        operation: Operation,
        cause: UnknownCause,
    },
    #[error(transparent)]
    Configuration(#[from] ConfigurationError),
    /// The request was not sent.
    #[error("{}: not sent: {reason}", .operation.name())]
    NotSent {
        operation: Operation,
        reason: String,
    },
}

impl KomojuError {
    pub fn class(&self) -> ErrorClass {
        match self {
            KomojuError::Refused { .. } => ErrorClass::Refused,
            KomojuError::Unknown { .. } => ErrorClass::Unknown,
            KomojuError::Configuration(_) => ErrorClass::Configuration,
            KomojuError::NotSent { .. } => ErrorClass::NotSent,
        }
    }

    pub fn is_outcome_unknown(&self) -> bool {
        self.class() == ErrorClass::Unknown
    }

    /// KOMOJU's error code (`not_found`, `unprocessable_entity`, `unauthorized`, …) when it gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            KomojuError::Refused { error, .. } => Some(&error.code),
            KomojuError::Configuration(ConfigurationError::KeyRefused { code, .. }) => Some(code),
            KomojuError::Unknown {
                cause: UnknownCause::ServerError { code, .. },
                ..
            } => code.as_deref(),
            _ => None,
        }
    }

    /// The parameter KOMOJU named as at fault, if any.
    pub fn param(&self) -> Option<&str> {
        match self {
            KomojuError::Refused { error, .. } => error.param.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of a refusal.
    pub fn status(&self) -> Option<u16> {
        match self {
            KomojuError::Refused { status, .. } => Some(*status),
            KomojuError::Configuration(ConfigurationError::KeyRefused { status, .. }) => {
                Some(*status)
            }
            KomojuError::Unknown {
                cause:
                    UnknownCause::ServerError { status, .. } | UnknownCause::Unreadable { status },
                ..
            } => Some(*status),
            _ => None,
        }
    }
}

/// The `[komoju]` settings cannot work as they are. Messages name the setting, never its value
/// when it is the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigurationError {
    #[error("[komoju] secret_key is empty")]
    MissingSecretKey,
    #[error("[komoju] api_base_url `{url}` is not usable: {reason}")]
    BadUrl { url: String, reason: String },
    #[error(
        "[komoju] api_base_url `{url}` is plain http to another machine: use https (plain http is only for this machine)"
    )]
    InsecureUrl { url: String },
    #[error("the KOMOJU API version `{version}` cannot be sent as a header")]
    BadApiVersion { version: String },
    /// 401 or 403: the key is wrong, revoked, or not allowed to do this.
    #[error("KOMOJU refused the secret key (HTTP {status} {code}): check [komoju] secret_key")]
    KeyRefused { status: u16, code: String },
    #[error("cannot set up HTTPS: {reason}")]
    Http { reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_documented_table() {
        let refused = KomojuError::Refused {
            operation: Operation::ShowPayment,
            status: 404,
            error: ErrorBody::new("not_found", "no such payment", None),
        };
        assert_eq!(refused.class(), ErrorClass::Refused);
        assert_eq!(refused.code(), Some("not_found"));
        let unknown = KomojuError::Unknown {
            operation: Operation::CreateSession,
            cause: UnknownCause::ServerError {
                status: 503,
                code: Some("service_unavailable".into()),
            },
        };
        assert!(unknown.is_outcome_unknown());
        assert!(unknown.to_string().contains("outcome is unknown"));
        let config = KomojuError::from(ConfigurationError::KeyRefused {
            status: 401,
            code: "unauthorized".into(),
        });
        assert_eq!(config.class(), ErrorClass::Configuration);
        assert_eq!(config.status(), Some(401));
    }
}
