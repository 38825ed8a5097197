//! elepay's charge and code states in the payment port's terms, as pure functions of the object
//! and the time (so the table is tested without a server):
//!
//! | elepay | port |
//! |---|---|
//! | charge `captured`, `partially_refunded`, `refunded` | `Paid` (refunds come later) |
//! | charge `uncaptured` | `Authorized` (the engine captures it) |
//! | charge `revoked` | `Cancelled` |
//! | charge `pending`, past `expiryTime` | `Expired` (elepay has no expired status) |
//! | charge `pending` | `Open` |
//! | code `captured` | as its embedded charge says (`Paid` or `Authorized`) |
//! | code `closed` | `Cancelled` |
//! | code `pending`, `expired` or past `expiryTime` | `Expired` |
//! | code `pending` | `Open` |

use chrono::{DateTime, TimeZone, Utc};
use regi_payment::{GatewayError, PaidTransaction, QrStatus};

use crate::wallets::display_name;
use crate::wire::{ChargeDto, ChargeStatus, CodeDto, CodeStatus, EpochMillis};

/// The state of a wallet QR charge at `now`.
pub fn charge_status(charge: &ChargeDto, now: DateTime<Utc>) -> Result<QrStatus, GatewayError> {
    let status = charge
        .status
        .ok_or_else(|| broken("a charge without a status"))?;
    Ok(match status {
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded => {
            QrStatus::Paid(paid_transaction(charge, now)?)
        }
        ChargeStatus::Uncaptured => QrStatus::Authorized(paid_transaction(charge, now)?),
        ChargeStatus::Revoked => QrStatus::Cancelled,
        ChargeStatus::Pending => open_or_expired(charge.expiry_time, false, now),
    })
}

/// The state of an EasyQR code at `now`.
pub fn code_status(code: &CodeDto, now: DateTime<Utc>) -> Result<QrStatus, GatewayError> {
    let status = code
        .status
        .ok_or_else(|| broken("a code without a status"))?;
    match status {
        CodeStatus::Captured => {
            let charge = code
                .charge
                .as_deref()
                .ok_or_else(|| broken("a paid code without its charge"))?;
            match charge_status(charge, now)? {
                paid @ (QrStatus::Paid(_) | QrStatus::Authorized(_)) => Ok(paid),
                other => Err(broken(&format!(
                    "a paid code whose charge is not paid ({other:?})"
                ))),
            }
        }
        CodeStatus::Closed => Ok(QrStatus::Cancelled),
        CodeStatus::Pending => Ok(open_or_expired(
            code.expiry_time,
            code.expired == Some(true),
            now,
        )),
    }
}

fn open_or_expired(expiry: Option<EpochMillis>, expired: bool, now: DateTime<Utc>) -> QrStatus {
    match expiry.and_then(from_millis) {
        _ if expired => QrStatus::Expired,
        Some(expires_at) if expires_at <= now => QrStatus::Expired,
        Some(expires_at) => QrStatus::Open { expires_at },
        // No expiry given: still open; the engine's own deadline ends the wait.
        None => QrStatus::Open { expires_at: now },
    }
}

/// A paid or held charge as the port records it: the charge id (refunds and captures name it),
/// the amount taken (or held), and the wallet's display name.
pub fn paid_transaction(
    charge: &ChargeDto,
    now: DateTime<Utc>,
) -> Result<PaidTransaction, GatewayError> {
    let id = charge
        .id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| broken("a charge without an id"))?;
    let amount = match charge.status {
        Some(ChargeStatus::Uncaptured) => charge.authorize_amount.or(charge.amount),
        _ => charge.amount,
    }
    .ok_or_else(|| broken("a charge without an amount"))?;
    Ok(PaidTransaction {
        transaction_id: id,
        amount,
        customer_name: None,
        money_name: charge.payment_method.as_ref().map(display_name),
        done_at: charge.paid_time.and_then(from_millis).unwrap_or(now),
    })
}

/// An elepay time (UTC epoch milliseconds).
pub fn from_millis(millis: EpochMillis) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(millis).single()
}

fn broken(what: &str) -> GatewayError {
    GatewayError::Fatal(format!("elepay answered {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::KnownPaymentMethod;

    const NOW: i64 = 1_800_000_000_000;

    fn now() -> DateTime<Utc> {
        from_millis(NOW).unwrap()
    }

    fn charge(status: ChargeStatus, expiry: i64) -> ChargeDto {
        ChargeDto {
            id: Some("cha_1".into()),
            status: Some(status),
            amount: Some(800),
            authorize_amount: Some(1000),
            payment_method: Some(KnownPaymentMethod::Paypay.into()),
            paid_time: Some(NOW - 5),
            expiry_time: Some(expiry),
            ..Default::default()
        }
    }

    fn code(status: CodeStatus, expired: bool, charge: Option<ChargeDto>) -> CodeDto {
        CodeDto {
            id: Some("cod_1".into()),
            status: Some(status),
            expired: Some(expired),
            expiry_time: Some(NOW + 60_000),
            charge: charge.map(Box::new),
            ..Default::default()
        }
    }

    fn kind(status: &QrStatus) -> &'static str {
        match status {
            QrStatus::Open { .. } => "open",
            QrStatus::Paid(_) => "paid",
            QrStatus::Authorized(_) => "authorized",
            QrStatus::Failed(_) => "failed",
            QrStatus::Expired => "expired",
            QrStatus::Cancelled => "cancelled",
        }
    }

    #[test]
    fn every_charge_status_maps_as_the_table_says() {
        let later = NOW + 60_000;
        let cases = [
            (ChargeStatus::Captured, later, "paid"),
            (ChargeStatus::PartiallyRefunded, later, "paid"),
            (ChargeStatus::Refunded, later, "paid"),
            (ChargeStatus::Uncaptured, later, "authorized"),
            (ChargeStatus::Revoked, later, "cancelled"),
            (ChargeStatus::Pending, later, "open"),
            (ChargeStatus::Pending, NOW, "expired"),
            (ChargeStatus::Pending, NOW - 1, "expired"),
            // Paid before its expiry passed: still paid.
            (ChargeStatus::Captured, NOW - 1, "paid"),
        ];
        for (status, expiry, expected) in cases {
            let mapped = charge_status(&charge(status, expiry), now()).unwrap();
            assert_eq!(kind(&mapped), expected, "{status} expiring at {expiry}");
        }
    }

    #[test]
    fn every_code_status_maps_as_the_table_says() {
        let captured = Some(charge(ChargeStatus::Captured, NOW + 1));
        let held = Some(charge(ChargeStatus::Uncaptured, NOW + 1));
        let cases = [
            (code(CodeStatus::Captured, false, captured), "paid"),
            (code(CodeStatus::Captured, false, held), "authorized"),
            (code(CodeStatus::Closed, false, None), "cancelled"),
            (code(CodeStatus::Pending, true, None), "expired"),
            (code(CodeStatus::Pending, false, None), "open"),
        ];
        for (code, expected) in cases {
            assert_eq!(kind(&code_status(&code, now()).unwrap()), expected);
        }
        let mut past = code(CodeStatus::Pending, false, None);
        past.expiry_time = Some(NOW - 1);
        assert_eq!(kind(&code_status(&past, now()).unwrap()), "expired");
    }

    #[test]
    fn a_paid_charge_names_the_wallet_and_the_amount_taken() {
        let QrStatus::Paid(paid) =
            charge_status(&charge(ChargeStatus::Captured, NOW), now()).unwrap()
        else {
            panic!("expected paid");
        };
        assert_eq!(paid.transaction_id, "cha_1");
        assert_eq!(paid.amount, 800);
        assert_eq!(paid.money_name.as_deref(), Some("PayPay"));
        assert_eq!(paid.done_at, from_millis(NOW - 5).unwrap());
    }

    #[test]
    fn a_held_charge_carries_the_authorized_amount_for_the_capture() {
        let QrStatus::Authorized(held) =
            charge_status(&charge(ChargeStatus::Uncaptured, NOW + 1), now()).unwrap()
        else {
            panic!("expected authorized");
        };
        assert_eq!(held.amount, 1000);
    }

    #[test]
    fn an_open_request_says_when_it_expires() {
        let open = charge_status(&charge(ChargeStatus::Pending, NOW + 60_000), now()).unwrap();
        assert_eq!(
            open,
            QrStatus::Open {
                expires_at: from_millis(NOW + 60_000).unwrap()
            }
        );
    }

    #[test]
    fn a_broken_answer_is_fatal_not_a_refusal() {
        let mut no_status = charge(ChargeStatus::Captured, NOW);
        no_status.status = None;
        assert!(matches!(
            charge_status(&no_status, now()),
            Err(GatewayError::Fatal(_))
        ));
        let paid_without_charge = code(CodeStatus::Captured, false, None);
        assert!(matches!(
            code_status(&paid_without_charge, now()),
            Err(GatewayError::Fatal(_))
        ));
    }
}
