//! elepay's errors in the payment port's neutral terms: which [`FailReason`] each refusal is, and
//! what the engine must do about each error class. The clerk's ja/en texts are the ones
//! [`RefusalKind`] carries (`error.rs`); the provider's own code is kept as the `error_type`.
//!
//! - elepay refused → `Refused`, except "too many requests", which did nothing: `Busy`.
//! - no definite answer (timeout, lost connection, 5xx) → `Unknown`: it may have moved money.
//! - a wrong key or bad settings → `Fatal`: a person must fix the configuration.

use regi_core::domain::FailReason;
use regi_payment::{GatewayError, Refusal as PortRefusal};

use crate::endpoints::Operation;
use crate::error::{ElepayError, Refusal, RefusalKind};

/// The neutral reason of an elepay refusal of `operation`.
pub fn fail_reason(operation: Operation, kind: RefusalKind) -> FailReason {
    let refunding = operation == Operation::CreateRefund;
    match kind {
        RefusalKind::OrderAlreadyPaid | RefusalKind::CodeAlreadyPaidOrClosed => {
            FailReason::TrayUsed
        }
        RefusalKind::CodeExpired => FailReason::TrayExpired,
        // A refund refused because the charge's status does not allow it, or because it was done
        // already: the charge was refunded before (a refund repeated after a lost answer).
        RefusalKind::StatusDoesNotAllow | RefusalKind::AlreadyCompleted if refunding => {
            FailReason::AlreadyRefunded
        }
        RefusalKind::InvalidRequest
        | RefusalKind::NotFound
        | RefusalKind::AlreadyExists
        | RefusalKind::RateLimited
        | RefusalKind::StatusDoesNotAllow
        | RefusalKind::AlreadyCompleted
        | RefusalKind::RefundNotCaptured
        | RefusalKind::Other => FailReason::RejectedOther,
    }
}

/// The port's refusal for an elepay refusal: its reason, elepay's code and the clerk's texts.
pub fn port_refusal(refusal: &Refusal) -> PortRefusal {
    let error_type = if refusal.code.is_empty() {
        format!("http_{}", refusal.status)
    } else {
        refusal.code.clone()
    };
    PortRefusal {
        reason: fail_reason(refusal.operation, refusal.kind),
        error_type,
        message_ja: refusal.ja().to_string(),
        message_en: refusal.en().to_string(),
    }
}

/// A refund of "all that is left" of a charge with nothing left: it was refunded in full before
/// (perhaps by a refund whose answer was lost). Decided here, never sent.
pub fn nothing_left_to_refund() -> PortRefusal {
    PortRefusal {
        reason: FailReason::AlreadyRefunded,
        error_type: "already_refunded".into(),
        message_ja: "elepay: この決済はすでに全額返金されています".into(),
        message_en: "elepay: this payment is already refunded in full".into(),
    }
}

/// Sorts a client error by what the engine must do with it.
pub fn gateway_error(error: ElepayError) -> GatewayError {
    match &error {
        ElepayError::Unknown { .. } => GatewayError::Unknown(error.to_string()),
        ElepayError::Config { .. } => GatewayError::Fatal(error.to_string()),
        ElepayError::Refused(refusal) if refusal.kind == RefusalKind::RateLimited => {
            GatewayError::Busy(error.to_string())
        }
        ElepayError::Refused(refusal) => GatewayError::Refused(port_refusal(refusal)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(operation: Operation, code: &str) -> ElepayError {
        ElepayError::Refused(Refusal {
            operation,
            status: 400,
            code: code.into(),
            message: "server words".into(),
            kind: RefusalKind::classify(code, 400),
        })
    }

    #[test]
    fn refusals_map_to_neutral_reasons() {
        let cases = [
            (Operation::CreateCharge, "M002007", FailReason::TrayUsed),
            (Operation::CreateCode, "M006003", FailReason::TrayUsed),
            (Operation::CloseCode, "M006004", FailReason::TrayExpired),
            (
                Operation::CreateRefund,
                "M006000",
                FailReason::AlreadyRefunded,
            ),
            (
                Operation::CreateRefund,
                "M006002",
                FailReason::AlreadyRefunded,
            ),
            (
                Operation::RevokeCharge,
                "M006000",
                FailReason::RejectedOther,
            ),
            (Operation::CreateRefund, "10109", FailReason::RejectedOther),
            (
                Operation::CaptureCharge,
                "M002002",
                FailReason::RejectedOther,
            ),
            (
                Operation::CreateCharge,
                "Z999999",
                FailReason::RejectedOther,
            ),
        ];
        for (operation, code, reason) in cases {
            match gateway_error(refused(operation, code)) {
                GatewayError::Refused(r) => {
                    assert_eq!(r.reason, reason, "{code}");
                    assert_eq!(r.error_type, code);
                }
                other => panic!("{code}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_refusal_speaks_to_the_clerk_in_both_languages_not_in_elepays_words() {
        let GatewayError::Refused(r) = gateway_error(refused(Operation::CreateCode, "M006004"))
        else {
            panic!("expected a refusal");
        };
        assert_eq!(r.message_ja, "elepay: コードの有効期限が切れました");
        assert_eq!(r.message_en, "elepay: the code has expired");
    }

    #[test]
    fn too_many_requests_is_busy_a_lost_answer_unknown_and_a_bad_key_fatal() {
        assert!(matches!(
            gateway_error(refused(Operation::CreateCharge, "M005000")),
            GatewayError::Busy(_)
        ));
        let lost = ElepayError::Unknown {
            operation: Operation::CreateCharge,
            reason: "timed out".into(),
        };
        assert!(gateway_error(lost).is_unknown());
        let key = ElepayError::Config {
            operation: Some(Operation::CreateCharge),
            status: Some(401),
            reason: "elepay refused the secret key".into(),
        };
        assert!(matches!(gateway_error(key), GatewayError::Fatal(_)));
    }

    #[test]
    fn an_answer_without_a_code_is_named_by_its_http_status() {
        let mut refusal = match refused(Operation::RetrieveCharge, "") {
            ElepayError::Refused(r) => r,
            _ => unreachable!(),
        };
        refusal.status = 404;
        assert_eq!(port_refusal(&refusal).error_type, "http_404");
    }
}
