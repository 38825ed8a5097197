//! The customer's side of a payment: a named customer scans a charge's `codeContent` or opens a
//! code's `codeUrl` and pays from their wallet. A charge created with `capture: false` ends
//! `uncaptured` (held), otherwise `captured`; a code always ends captured through a new charge in
//! the customer's wallet. A customer without the money fails and the charge stays pending.

use regi_elepay::wire::{ChargeStatus, CodeStatus, PaymentMethod, Resource};
use serde::{Deserialize, Serialize};

use super::Ledger;
use super::records::ChargeRecord;

/// What a customer scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayTarget {
    Charge(String),
    Code(String),
}

impl PayTarget {
    /// Reads a `codeContent`, a `codeUrl` or a bare id: the last path segment names a charge
    /// (`cha_…`) or a code (`cod_…`).
    pub fn parse(scanned: &str) -> Option<PayTarget> {
        let id = scanned
            .trim()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if id.starts_with("cha_") {
            Some(PayTarget::Charge(id.to_string()))
        } else if id.starts_with("cod_") {
            Some(PayTarget::Code(id.to_string()))
        } else {
            None
        }
    }
}

/// Why a customer could not pay; `code` is what the customer side answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    #[error("no customer named {0}")]
    UnknownCustomer(String),
    #[error("{0} is not a charge's code content or a code's URL from this emulator")]
    NotAPaymentCode(String),
    #[error("no charge or code {0}")]
    NotFound(String),
    #[error("the payment is {0}, not waiting to be paid")]
    NotPayable(String),
    #[error("the payment expired")]
    Expired,
    #[error("{customer} has {balance} yen, not enough for {amount} yen")]
    InsufficientBalance {
        customer: String,
        balance: i64,
        amount: i64,
    },
}

impl PayError {
    pub fn code(&self) -> &'static str {
        match self {
            PayError::UnknownCustomer(_) => "unknown_customer",
            PayError::NotAPaymentCode(_) => "not_a_payment_code",
            PayError::NotFound(_) => "not_found",
            PayError::NotPayable(_) => "not_payable",
            PayError::Expired => "expired",
            PayError::InsufficientBalance { .. } => "insufficient_balance",
        }
    }
}

/// A payment the customer made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub charge_id: String,
    pub code_id: Option<String>,
    pub status: ChargeStatus,
    pub amount: i64,
    pub payment_method: PaymentMethod,
    pub customer: String,
}

impl Ledger {
    /// `customer` pays what `scanned` names, at `now`.
    pub fn pay(&mut self, scanned: &str, customer: &str, now: i64) -> Result<Payment, PayError> {
        let target =
            PayTarget::parse(scanned).ok_or_else(|| PayError::NotAPaymentCode(scanned.into()))?;
        let balance = self
            .customers
            .get(customer)
            .ok_or_else(|| PayError::UnknownCustomer(customer.into()))?
            .balance;
        let charge_id = match target {
            PayTarget::Charge(id) => {
                let charge = self
                    .charges
                    .get(&id)
                    .ok_or_else(|| PayError::NotFound(id.clone()))?;
                if charge.status != ChargeStatus::Pending {
                    return Err(PayError::NotPayable(charge.status.as_str().into()));
                }
                if now >= charge.expiry_time {
                    return Err(PayError::Expired);
                }
                id
            }
            PayTarget::Code(id) => self.charge_for_code(&id, customer, now)?,
        };
        let charge = self.charges.get_mut(&charge_id).expect("checked above");
        if balance < charge.authorize_amount {
            // A code's charge only exists once paid: drop it again.
            if charge.code_id.is_some() {
                self.charges.remove(&charge_id);
            }
            return Err(PayError::InsufficientBalance {
                customer: customer.into(),
                balance,
                amount: self.amount_of(scanned),
            });
        }
        charge.status = if charge.capture {
            charge.paid_time = Some(now);
            ChargeStatus::Captured
        } else {
            ChargeStatus::Uncaptured
        };
        charge.customer = Some(customer.into());
        let payment = Payment {
            charge_id: charge.id.clone(),
            code_id: charge.code_id.clone(),
            status: charge.status,
            amount: charge.authorize_amount,
            payment_method: charge.payment_method.clone(),
            customer: customer.into(),
        };
        if let Some(code_id) = &payment.code_id
            && let Some(code) = self.codes.get_mut(code_id)
        {
            code.status = CodeStatus::Captured;
            code.charge_id = Some(payment.charge_id.clone());
        }
        if let Some(record) = self.customers.get_mut(customer) {
            record.balance -= payment.amount;
        }
        Ok(payment)
    }

    /// The amount a scanned code asks for (for the refusal message).
    fn amount_of(&self, scanned: &str) -> i64 {
        match PayTarget::parse(scanned) {
            Some(PayTarget::Charge(id)) => self.charges.get(&id).map_or(0, |c| c.amount),
            Some(PayTarget::Code(id)) => self.codes.get(&id).map_or(0, |c| c.amount),
            None => 0,
        }
    }

    /// Checks a code can be paid and creates the charge that pays it, in the customer's wallet.
    fn charge_for_code(&mut self, id: &str, customer: &str, now: i64) -> Result<String, PayError> {
        let code = self
            .codes
            .get(id)
            .ok_or_else(|| PayError::NotFound(id.into()))?;
        if code.status != CodeStatus::Pending {
            return Err(PayError::NotPayable(code.status.as_str().into()));
        }
        if code.expired(now) {
            return Err(PayError::Expired);
        }
        if self.order_paid(&code.order_no) {
            return Err(PayError::NotPayable("already paid".into()));
        }
        let wallet = self.customers[customer].wallet.clone();
        let code = code.clone();
        let charge_id = self.new_id("cha");
        let charge = ChargeRecord {
            id: charge_id.clone(),
            order_no: code.order_no,
            payment_method: wallet,
            resource: Some(Resource::Web),
            capture: true,
            authorize_amount: code.amount,
            amount: code.amount,
            status: ChargeStatus::Pending,
            currency: code.currency,
            description: code.description,
            client_ip: None,
            extra: code.extra,
            metadata: code.metadata,
            create_time: now,
            expiry_time: code.expiry_time,
            paid_time: None,
            refund_time: None,
            refunds: Vec::new(),
            customer: None,
            code_id: Some(code.id),
        };
        self.charges.insert(charge_id.clone(), charge);
        Ok(charge_id)
    }
}

#[cfg(test)]
mod tests {
    use regi_elepay::wire::{ChargeReq, KnownPaymentMethod};

    use super::*;

    #[test]
    fn scanned_content_urls_and_bare_ids_name_their_target() {
        assert_eq!(
            PayTarget::parse("elepay-emulator://charges/cha_1"),
            Some(PayTarget::Charge("cha_1".into()))
        );
        assert_eq!(
            PayTarget::parse("http://127.0.0.1:1/_sandbox/codes/cod_2/"),
            Some(PayTarget::Code("cod_2".into()))
        );
        assert_eq!(PayTarget::parse("hello"), None);
    }

    #[test]
    fn a_poor_customer_fails_and_the_charge_stays_pending() {
        let mut ledger = Ledger::default();
        let req = ChargeReq::mpm(500, "S-1", KnownPaymentMethod::Paypay.into(), true);
        let id = ledger.create_charge(req, 0, 60_000).unwrap().id.clone();
        let err = ledger.pay(&id, "poor", 1).unwrap_err();
        assert_eq!(err.code(), "insufficient_balance");
        assert_eq!(ledger.charges[&id].status, ChargeStatus::Pending);
        let paid = ledger.pay(&id, "alice", 2).unwrap();
        assert_eq!(paid.status, ChargeStatus::Captured);
        assert_eq!(ledger.customers["alice"].balance, 1_000_000 - 500);
    }
}
