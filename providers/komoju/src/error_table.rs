//! KOMOJU's error codes (doc.komoju.com/docs/errors, ja.doc.komoju.com/docs/errors) and the few
//! states regi reads as a refusal, each with its neutral [`FailReason`] and a short text for the
//! clerk in Japanese and English. The engine decides by the reason; the clerk reads the text.

use regi_core::domain::FailReason;
use regi_core::lang::Lang;
use regi_payment::Refusal;

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorText {
    /// KOMOJU's `error.code`, or one of regi's own names for a payment state below.
    pub code: &'static str,
    pub reason: FailReason,
    pub ja: &'static str,
    pub en: &'static str,
}

impl ErrorText {
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

/// regi's names for payments that ended without money, found when reading one.
pub const PAYMENT_CANCELLED: &str = "payment_cancelled";
pub const PAYMENT_EXPIRED: &str = "payment_expired";
pub const PAYMENT_FAILED: &str = "payment_failed";
pub const PAYMENT_REFUNDED: &str = "payment_refunded";

const fn row(
    code: &'static str,
    reason: FailReason,
    ja: &'static str,
    en: &'static str,
) -> ErrorText {
    ErrorText {
        code,
        reason,
        ja,
        en,
    }
}

/// Every code regi knows. Codes KOMOJU answers with a 401/403 or a 5xx never become refusals
/// (they are configuration errors or unknown outcomes), so they are not here.
pub const TABLE: &[ErrorText] = &[
    row(
        "bad_request",
        FailReason::RejectedOther,
        "KOMOJUが要求を受け付けませんでした (不正なリクエスト)",
        "KOMOJU did not accept the request (bad request)",
    ),
    row(
        "request_failed",
        FailReason::RejectedOther,
        "KOMOJUで決済が断られました",
        "KOMOJU declined the payment",
    ),
    row(
        "not_found",
        FailReason::RejectedOther,
        "KOMOJUにこの決済が見つかりません",
        "KOMOJU does not know this payment",
    ),
    row(
        "unprocessable_entity",
        FailReason::RejectedOther,
        "この決済の今の状態ではできません",
        "Not possible in the payment's current state",
    ),
    row(
        "missing_parameter",
        FailReason::RejectedOther,
        "KOMOJUへの要求に必要な項目がありません",
        "A required field was missing from the request to KOMOJU",
    ),
    row(
        "invalid_parameter",
        FailReason::RejectedOther,
        "KOMOJUへの要求に無効な項目があります",
        "A field of the request to KOMOJU was invalid",
    ),
    row(
        PAYMENT_CANCELLED,
        FailReason::TrayCancelled,
        "この決済は取り消されています",
        "This payment was cancelled",
    ),
    row(
        PAYMENT_EXPIRED,
        FailReason::TrayExpired,
        "この決済は期限切れです",
        "This payment expired",
    ),
    row(
        PAYMENT_FAILED,
        FailReason::RejectedOther,
        "この決済は失敗しました",
        "This payment failed",
    ),
    row(
        PAYMENT_REFUNDED,
        FailReason::AlreadyRefunded,
        "この決済は返金済みです",
        "This payment was refunded already",
    ),
];

/// The row of `code`, if regi knows it.
pub fn lookup(code: &str) -> Option<&'static ErrorText> {
    TABLE.iter().find(|row| row.code == code)
}

/// The neutral category of a KOMOJU error code; an unknown code is a plain refusal.
pub fn fail_reason(code: &str) -> FailReason {
    lookup(code).map_or(FailReason::RejectedOther, |row| row.reason)
}

/// A refusal for the clerk: the table's texts, or KOMOJU's own (English) message for a code the
/// table lacks, so the clerk never sees an empty line.
pub fn refusal(code: &str, server_message: &str) -> Refusal {
    let (ja, en) = match lookup(code) {
        Some(row) => (row.ja.to_string(), row.en.to_string()),
        None => {
            let shown = if server_message.trim().is_empty() {
                code
            } else {
                server_message
            };
            (
                format!("KOMOJUが断りました: {shown}"),
                format!("KOMOJU refused: {shown}"),
            )
        }
    };
    Refusal {
        reason: fail_reason(code),
        error_type: code.to_string(),
        message_ja: ja,
        message_en: en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_reason_and_both_texts() {
        let cases = [
            ("bad_request", FailReason::RejectedOther),
            ("unprocessable_entity", FailReason::RejectedOther),
            (PAYMENT_CANCELLED, FailReason::TrayCancelled),
            (PAYMENT_EXPIRED, FailReason::TrayExpired),
            (PAYMENT_REFUNDED, FailReason::AlreadyRefunded),
            ("never_heard_of_it", FailReason::RejectedOther),
        ];
        for (code, reason) in cases {
            assert_eq!(fail_reason(code), reason, "{code}");
        }
        for row in TABLE {
            assert!(!row.ja.is_empty() && !row.en.is_empty(), "{}", row.code);
            assert_ne!(row.ja, row.en, "{} needs a Japanese text", row.code);
        }
    }

    #[test]
    fn a_code_the_table_lacks_shows_komojus_own_words() {
        let r = refusal("exceeds_limit", "Amount is over the limit");
        assert_eq!(r.error_type, "exceeds_limit");
        assert!(r.message_en.contains("Amount is over the limit"));
        assert!(r.message_ja.contains("Amount is over the limit"));
        let known = refusal("not_found", "Payment not found.");
        assert_eq!(known.message_ja, "KOMOJUにこの決済が見つかりません");
    }
}
