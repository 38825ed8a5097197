//! What can go wrong with an elepay call, sorted by what the caller must do about it, so an
//! adapter maps it without reading strings:
//! - [`ElepayError::Refused`]: elepay answered no, definitely, with its error code ([`Refusal`]).
//!   Nothing happened, except for [`RefusalKind::OrderAlreadyPaid`], which means the sale's order
//!   number was already paid: treat it as paid (find the charge by order number), never as failed.
//! - [`ElepayError::Unknown`]: no definite answer (timeout, connection lost, 5xx, an unreadable
//!   success, still "in progress" after retries). A write may have taken effect: resolve it by
//!   reading the charge (or, for a lost create, by order number) before anything else.
//! - [`ElepayError::Config`]: the request cannot succeed as configured (wrong or missing key,
//!   bad URL, plain http to another host). Nothing was charged; a person must fix the settings.

use crate::endpoints::Operation;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ElepayError {
    #[error(transparent)]
    Refused(Refusal),

    #[error("{}: no definite answer from elepay ({reason}); the outcome is unknown", .operation.name())]
    Unknown {
        operation: Operation,
        reason: String,
    },

    #[error("{}{reason}", operation_label(.operation))]
    Config {
        /// None when the client could not even be set up.
        operation: Option<Operation>,
        /// The HTTP status when elepay answered (401 for a wrong key), none when nothing was sent.
        status: Option<u16>,
        reason: String,
    },
}

impl ElepayError {
    /// True when the request may have taken effect although no definite answer was read.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, ElepayError::Unknown { .. })
    }

    pub fn is_config(&self) -> bool {
        matches!(self, ElepayError::Config { .. })
    }

    /// The refusal, when elepay definitely refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            ElepayError::Refused(refusal) => Some(refusal),
            _ => None,
        }
    }

    /// The refusal's kind, when elepay definitely refused.
    pub fn refusal_kind(&self) -> Option<RefusalKind> {
        self.refusal().map(|r| r.kind)
    }

    /// The order number was already paid (`M002007`): the sale is paid, not failed.
    pub fn is_order_already_paid(&self) -> bool {
        self.refusal_kind() == Some(RefusalKind::OrderAlreadyPaid)
    }
}

fn operation_label(operation: &Option<Operation>) -> String {
    operation
        .map(|op| format!("{}: ", op.name()))
        .unwrap_or_default()
}

/// A definite error answer from elepay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: elepay refused (HTTP {status} {code}): {message}", .operation.name())]
pub struct Refusal {
    pub operation: Operation,
    pub status: u16,
    /// elepay's code, e.g. `M002007` (empty when the answer carried none).
    pub code: String,
    /// The message as elepay sent it.
    pub message: String,
    pub kind: RefusalKind,
}

impl Refusal {
    /// The clerk-facing text in Japanese.
    pub fn ja(&self) -> &'static str {
        self.kind.ja()
    }

    /// The clerk-facing text in English.
    pub fn en(&self) -> &'static str {
        self.kind.en()
    }
}

/// elepay's error codes grouped by what they mean at a register (the codes are listed in
/// elepay's error-code reference; any other code is [`RefusalKind::Other`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalKind {
    /// `M002001`/`M002002`: a parameter is missing or wrong.
    InvalidRequest,
    /// `M002003`: no such charge, refund or code.
    NotFound,
    /// `M002004`: already exists.
    AlreadyExists,
    /// `M002007`: this order number was already paid.
    OrderAlreadyPaid,
    /// `M005000`: too many requests (still so after the client's retries).
    RateLimited,
    /// `M006000`: the charge's status does not allow this (e.g. revoking a paid charge).
    StatusDoesNotAllow,
    /// `M006002`: the operation was already completed.
    AlreadyCompleted,
    /// `M006003`: the code was already paid or closed.
    CodeAlreadyPaidOrClosed,
    /// `M006004`: the code expired.
    CodeExpired,
    /// `10109` (older numbering): refund refused because the charge is not captured.
    RefundNotCaptured,
    /// Another code; read [`Refusal::code`] and [`Refusal::message`].
    Other,
}

impl RefusalKind {
    /// The kind of an elepay error code, with the HTTP status for answers that carry no code.
    pub fn classify(code: &str, status: u16) -> RefusalKind {
        match code {
            "M002001" | "M002002" => RefusalKind::InvalidRequest,
            "M002003" => RefusalKind::NotFound,
            "M002004" => RefusalKind::AlreadyExists,
            "M002007" => RefusalKind::OrderAlreadyPaid,
            "M005000" => RefusalKind::RateLimited,
            "M006000" => RefusalKind::StatusDoesNotAllow,
            "M006002" => RefusalKind::AlreadyCompleted,
            "M006003" => RefusalKind::CodeAlreadyPaidOrClosed,
            "M006004" => RefusalKind::CodeExpired,
            "10109" => RefusalKind::RefundNotCaptured,
            _ => match status {
                404 => RefusalKind::NotFound,
                429 => RefusalKind::RateLimited,
                _ => RefusalKind::Other,
            },
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            RefusalKind::InvalidRequest => "elepay: 送信内容に誤りがあります",
            RefusalKind::NotFound => "elepay: 該当する決済が見つかりません",
            RefusalKind::AlreadyExists => "elepay: すでに登録されています",
            RefusalKind::OrderAlreadyPaid => "elepay: この注文はすでに支払い済みです",
            RefusalKind::RateLimited => {
                "elepay: 混み合っています。少し待ってからやり直してください"
            }
            RefusalKind::StatusDoesNotAllow => "elepay: 現在の決済状態ではこの操作はできません",
            RefusalKind::AlreadyCompleted => "elepay: この操作はすでに完了しています",
            RefusalKind::CodeAlreadyPaidOrClosed => {
                "elepay: このコードはすでに支払い済みか取り消し済みです"
            }
            RefusalKind::CodeExpired => "elepay: コードの有効期限が切れました",
            RefusalKind::RefundNotCaptured => "elepay: 確定前の決済は返金できません",
            RefusalKind::Other => "elepay: 決済サービスが処理を受け付けませんでした",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            RefusalKind::InvalidRequest => "elepay: the request has a missing or wrong value",
            RefusalKind::NotFound => "elepay: no such payment",
            RefusalKind::AlreadyExists => "elepay: it already exists",
            RefusalKind::OrderAlreadyPaid => "elepay: this order is already paid",
            RefusalKind::RateLimited => "elepay: too many requests; wait a moment and try again",
            RefusalKind::StatusDoesNotAllow => "elepay: the payment's status does not allow this",
            RefusalKind::AlreadyCompleted => "elepay: this was already done",
            RefusalKind::CodeAlreadyPaidOrClosed => "elepay: the code is already paid or closed",
            RefusalKind::CodeExpired => "elepay: the code has expired",
            RefusalKind::RefundNotCaptured => {
                "elepay: a payment not yet captured cannot be refunded"
            }
            RefusalKind::Other => "elepay: the payment service refused the request",
        }
    }
}

/// `M004001`/`M004002` (bad or missing key): a configuration problem, not a refusal of the sale.
pub(crate) fn is_key_error(code: &str, status: u16) -> bool {
    matches!(code, "M004001" | "M004002") || matches!(status, 401 | 403)
}

/// `M006001` or HTTP 409: another operation on the same charge is under way; retried, and an
/// unknown outcome if it lasts.
pub(crate) fn is_in_progress(code: &str, status: u16) -> bool {
    code == "M006001" || status == 409
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds_and_statuses_fill_in_for_missing_codes() {
        assert_eq!(
            RefusalKind::classify("M002007", 400),
            RefusalKind::OrderAlreadyPaid
        );
        assert_eq!(
            RefusalKind::classify("M006000", 400),
            RefusalKind::StatusDoesNotAllow
        );
        assert_eq!(RefusalKind::classify("", 404), RefusalKind::NotFound);
        assert_eq!(RefusalKind::classify("Z999999", 400), RefusalKind::Other);
        assert!(is_key_error("M004001", 400) && is_key_error("", 401));
        assert!(is_in_progress("M006001", 400) && is_in_progress("", 409));
    }

    #[test]
    fn every_kind_has_distinct_texts_in_both_languages() {
        let kinds = [
            RefusalKind::InvalidRequest,
            RefusalKind::NotFound,
            RefusalKind::AlreadyExists,
            RefusalKind::OrderAlreadyPaid,
            RefusalKind::RateLimited,
            RefusalKind::StatusDoesNotAllow,
            RefusalKind::AlreadyCompleted,
            RefusalKind::CodeAlreadyPaidOrClosed,
            RefusalKind::CodeExpired,
            RefusalKind::RefundNotCaptured,
            RefusalKind::Other,
        ];
        let ja: std::collections::HashSet<_> = kinds.iter().map(|k| k.ja()).collect();
        let en: std::collections::HashSet<_> = kinds.iter().map(|k| k.en()).collect();
        assert_eq!((ja.len(), en.len()), (kinds.len(), kinds.len()));
    }

    #[test]
    fn an_already_paid_order_is_recognised_and_is_not_an_unknown_outcome() {
        let err = ElepayError::Refused(Refusal {
            operation: Operation::CreateCharge,
            status: 400,
            code: "M002007".into(),
            message: "paid".into(),
            kind: RefusalKind::OrderAlreadyPaid,
        });
        assert!(err.is_order_already_paid());
        assert!(!err.is_outcome_unknown() && !err.is_config());
        assert!(err.to_string().contains("M002007"));
    }
}
