//! API errors as the sandbox answers them: an HTTP status, a `type` from the official error table
//! and the message for that type in the caller's language.

use regi_pokepay::error_table;
use regi_pokepay::wire::{ApiErrorBody, ParamErrors};

/// Language of error messages: the same `Lang` as the rest of regi.
pub use regi_core::lang::Lang;

/// The message for an error type: the official table's text (generic texts fill what it leaves
/// blank, then the other language), and an unknown type reads as itself.
pub fn message_for(kind: &str, lang: Lang) -> String {
    error_table::text_for(kind, None, lang)
        .unwrap_or(kind)
        .to_string()
}

/// An error the sandbox answers with. The message is chosen when it is rendered, so one value can
/// be shown in either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {kind}")]
pub struct ApiError {
    pub status: u16,
    pub kind: String,
    pub missing: Vec<String>,
    pub invalid: Vec<String>,
}

impl ApiError {
    pub fn new(status: u16, kind: &str) -> Self {
        Self {
            status,
            kind: kind.to_string(),
            missing: Vec::new(),
            invalid: Vec::new(),
        }
    }

    /// A 422 with the given type: the usual answer for business-rule failures.
    pub fn unprocessable(kind: &str) -> Self {
        Self::new(422, kind)
    }

    /// 404 `notfound`, the answer for unknown cashtrays and transactions.
    pub fn not_found() -> Self {
        Self::new(404, "notfound")
    }

    /// 400 `invalid_parameters` naming the missing and the invalid parameters.
    pub fn invalid_parameters(missing: Vec<String>, invalid: Vec<String>) -> Self {
        Self {
            status: 400,
            kind: "invalid_parameters".to_string(),
            missing,
            invalid,
        }
    }

    pub fn invalid_parameter(name: &str) -> Self {
        Self::invalid_parameters(Vec::new(), vec![name.to_string()])
    }

    pub fn unavailable() -> Self {
        Self::new(503, "temporarily_unavailable")
    }

    pub fn message(&self, lang: Lang) -> String {
        message_for(&self.kind, lang)
    }

    /// The wire body: `type`, `message` and, for parameter errors, `errors`.
    pub fn body(&self, lang: Lang) -> ApiErrorBody {
        let errors = (!self.missing.is_empty() || !self.invalid.is_empty()).then(|| ParamErrors {
            missing: (!self.missing.is_empty()).then(|| self.missing.clone()),
            invalid: (!self.invalid.is_empty()).then(|| self.invalid.clone()),
            unpermitted: None,
        });
        ApiErrorBody {
            kind: self.kind.clone(),
            message: self.message(lang),
            errors,
            object: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_the_official_table() {
        assert_eq!(
            message_for("cpm_token_already_proceed", Lang::En),
            "The CPM token is already proceed"
        );
        assert_eq!(
            message_for("cpm_token_already_proceed", Lang::Ja),
            "このCPMトークンは既に処理されています。"
        );
        assert_eq!(
            message_for("partner_client_not_found", Lang::En),
            "The partner client is not found."
        );
        assert_eq!(
            message_for("partner_decryption_failed", Lang::En),
            "Could not decrypt the data."
        );
        assert_eq!(
            message_for("request_id_conflict", Lang::En),
            "The request_id is already used by another transaction. Try again with new request id"
        );
    }

    #[test]
    fn japanese_falls_back_to_english_when_the_table_has_none() {
        assert_eq!(
            message_for("customer_account_not_found", Lang::Ja),
            "The customer account is not found"
        );
        assert_eq!(message_for("notfound", Lang::En), "Not found");
        assert_eq!(message_for("no_such_type", Lang::Ja), "no_such_type");
    }

    #[test]
    fn every_type_the_sandbox_emits_is_in_the_table() {
        for kind in [
            "cashtray_already_proceed",
            "cashtray_expired",
            "cashtray_already_canceled",
            "cashtray_not_found",
            "account_balance_not_enough",
            "account_balance_exceeded",
            "account_transfer_limit_exceeded",
            "account_money_topup_transfer_limit_exceeded",
            "account_not_found",
            "cpm_token_already_proceed",
            "cpm_token_already_expired",
            "cpm_token_not_found",
            "cpm_unacceptable_amount",
            "transaction_already_refunded",
            "transaction_not_found",
            "request_id_conflict",
            "shop_user_not_found",
            "shop_account_not_found",
            "customer_account_not_found",
            "private_money_not_found",
            "organization_not_found",
            "invalid_metadata",
            "invalid_parameter_both_point_and_money_are_zero",
            "temporarily_unavailable",
            "invalid_parameters",
            "notfound",
            "partner_request_expired",
            "partner_request_already_done",
        ] {
            assert!(error_table::lookup(kind, None).is_some(), "{kind}");
        }
    }

    #[test]
    fn accept_language_picks_japanese_only_when_asked() {
        assert_eq!(Lang::from_accept_language(Some("ja")), Lang::Ja);
        assert_eq!(Lang::from_accept_language(Some("ja-JP,en;q=0.5")), Lang::Ja);
        assert_eq!(Lang::from_accept_language(Some("jp")), Lang::Ja);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("")), Lang::En);
        assert_eq!(Lang::from_accept_language(None), Lang::En);
    }

    #[test]
    fn parameter_errors_render_the_documented_shape() {
        let body = ApiError::invalid_parameter("message").body(Lang::En);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type":"invalid_parameters","message":"Invalid parameters","errors":{"invalid":["message"]}})
        );
        let plain = serde_json::to_value(ApiError::not_found().body(Lang::En)).unwrap();
        assert_eq!(
            plain,
            serde_json::json!({"type":"notfound","message":"Not found"})
        );
    }
}
