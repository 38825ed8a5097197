//! Charges: create, capture (the whole authorized amount or less), revoke, and refunds whole or
//! partial, with elepay's refusals for each state.

use regi_elepay::wire::{ChargeCaptureReq, ChargeReq, ChargeStatus, RefundReq, Resource};

use super::records::{ChargeRecord, RefundRecord};
use super::{Ledger, validate};
use crate::errors::ApiError;

impl Ledger {
    /// `POST /charges`: a pending charge that expires `expiry_ms` after `now`.
    pub fn create_charge(
        &mut self,
        req: ChargeReq,
        now: i64,
        expiry_ms: i64,
    ) -> Result<&ChargeRecord, ApiError> {
        validate::amount("amount", req.amount)?;
        validate::order_no(&req.order_no)?;
        validate::metadata(req.metadata.as_ref())?;
        let currency = validate::currency(req.currency.as_deref())?;
        if req.payment_method.known().is_none() {
            return Err(ApiError::invalid(format!(
                "paymentMethod {} is not supported",
                req.payment_method
            )));
        }
        if self.order_paid(&req.order_no) {
            return Err(ApiError::order_already_paid(&req.order_no));
        }
        let id = self.new_id("cha");
        let record = ChargeRecord {
            id: id.clone(),
            order_no: req.order_no,
            payment_method: req.payment_method,
            resource: req.resource,
            capture: req.capture.unwrap_or(true),
            authorize_amount: req.amount,
            amount: req.amount,
            status: ChargeStatus::Pending,
            currency,
            description: req.description,
            client_ip: req.client_ip,
            extra: req.extra,
            metadata: req.metadata,
            create_time: now,
            expiry_time: now.saturating_add(expiry_ms),
            paid_time: None,
            refund_time: None,
            refunds: Vec::new(),
            customer: None,
            code_id: None,
        };
        Ok(self.charges.entry(id).or_insert(record))
    }

    fn charge_mut(&mut self, id: &str) -> Result<&mut ChargeRecord, ApiError> {
        self.charges
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("charge", id))
    }

    /// `POST /charges/{id}/capture`: only a held charge, for at most the authorized amount.
    pub fn capture_charge(
        &mut self,
        id: &str,
        req: ChargeCaptureReq,
        now: i64,
    ) -> Result<&ChargeRecord, ApiError> {
        let charge = self.charge_mut(id)?;
        match charge.status {
            ChargeStatus::Uncaptured => {}
            ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded => {
                return Err(ApiError::already_completed(
                    "the charge is already captured",
                ));
            }
            other => return Err(ApiError::status_does_not_allow(other.as_str())),
        }
        let amount = req.amount.unwrap_or(charge.authorize_amount);
        validate::amount("amount", amount)?;
        if amount > charge.authorize_amount {
            return Err(ApiError::invalid(format!(
                "amount {amount} is more than the authorized {}",
                charge.authorize_amount
            )));
        }
        let released = charge.authorize_amount - amount;
        charge.amount = amount;
        charge.status = ChargeStatus::Captured;
        charge.paid_time = Some(now);
        let customer = charge.customer.clone();
        self.credit(customer.as_deref(), released);
        Ok(&self.charges[id])
    }

    /// `POST /charges/{id}/revoke`: cancels a pending charge or releases a held one.
    pub fn revoke_charge(&mut self, id: &str) -> Result<&ChargeRecord, ApiError> {
        let charge = self.charge_mut(id)?;
        let released = match charge.status {
            ChargeStatus::Pending => 0,
            ChargeStatus::Uncaptured => charge.authorize_amount,
            ChargeStatus::Revoked => {
                return Err(ApiError::already_completed("the charge is already revoked"));
            }
            other => return Err(ApiError::status_does_not_allow(other.as_str())),
        };
        charge.status = ChargeStatus::Revoked;
        let customer = charge.customer.clone();
        self.credit(customer.as_deref(), released);
        Ok(&self.charges[id])
    }

    /// `POST /charges/{id}/refunds`: at most what is left of a captured charge; refunded at once.
    pub fn refund_charge(
        &mut self,
        id: &str,
        req: RefundReq,
        now: i64,
    ) -> Result<&RefundRecord, ApiError> {
        validate::metadata(req.metadata.as_ref())?;
        validate::currency(req.currency.as_deref())?;
        let refund_id = self.new_id("ref");
        let charge = self.charge_mut(id)?;
        match charge.status {
            ChargeStatus::Captured | ChargeStatus::PartiallyRefunded => {}
            ChargeStatus::Pending | ChargeStatus::Uncaptured => {
                return Err(ApiError::refund_not_captured());
            }
            other => return Err(ApiError::status_does_not_allow(other.as_str())),
        }
        validate::amount("amount", req.amount)?;
        let left = charge.amount - charge.refunded_amount();
        if req.amount > left {
            return Err(ApiError::invalid(format!(
                "amount {} is more than the {left} left to refund",
                req.amount
            )));
        }
        charge.refunds.push(RefundRecord {
            id: refund_id,
            amount: req.amount,
            reason: req.reason,
            metadata: req.metadata,
            create_time: now,
        });
        charge.refund_time = Some(now);
        charge.status = if req.amount == left {
            ChargeStatus::Refunded
        } else {
            ChargeStatus::PartiallyRefunded
        };
        let customer = charge.customer.clone();
        self.credit(customer.as_deref(), req.amount);
        let charge = &self.charges[id];
        Ok(charge.refunds.last().expect("just pushed"))
    }

    /// Gives money back to a customer's wallet.
    fn credit(&mut self, customer: Option<&str>, amount: i64) {
        if let Some(record) = customer.and_then(|name| self.customers.get_mut(name)) {
            record.balance += amount;
        }
    }

    /// Whether a charge shows a code to scan (`codeContent`).
    pub fn shows_code(charge: &ChargeRecord) -> bool {
        charge.resource == Some(Resource::Mpm)
    }
}

#[cfg(test)]
mod tests {
    use regi_elepay::wire::KnownPaymentMethod;

    use super::*;

    fn held(ledger: &mut Ledger, amount: i64) -> String {
        let req = ChargeReq::mpm(amount, "S-1", KnownPaymentMethod::Paypay.into(), false);
        let id = ledger.create_charge(req, 0, 60_000).unwrap().id.clone();
        let charge = ledger.charges.get_mut(&id).unwrap();
        charge.status = ChargeStatus::Uncaptured;
        id
    }

    #[test]
    fn a_smaller_capture_keeps_the_authorized_amount() {
        let mut ledger = Ledger::default();
        let id = held(&mut ledger, 1000);
        let capture = ChargeCaptureReq {
            amount: Some(800),
            extra: None,
        };
        let charge = ledger.capture_charge(&id, capture, 5).unwrap();
        assert_eq!((charge.amount, charge.authorize_amount), (800, 1000));
        assert_eq!(charge.status, ChargeStatus::Captured);
    }

    #[test]
    fn a_capture_above_the_authorized_amount_is_refused() {
        let mut ledger = Ledger::default();
        let id = held(&mut ledger, 1000);
        let capture = ChargeCaptureReq {
            amount: Some(1001),
            extra: None,
        };
        assert_eq!(
            ledger.capture_charge(&id, capture, 5).unwrap_err().code,
            "M002002"
        );
    }

    #[test]
    fn refunds_beyond_what_is_left_are_refused() {
        let mut ledger = Ledger::default();
        let id = held(&mut ledger, 1000);
        ledger
            .capture_charge(&id, ChargeCaptureReq::default(), 1)
            .unwrap();
        let refund = |amount| RefundReq {
            amount,
            currency: None,
            reason: None,
            metadata: None,
        };
        ledger.refund_charge(&id, refund(600), 2).unwrap();
        assert_eq!(ledger.charges[&id].status, ChargeStatus::PartiallyRefunded);
        assert_eq!(
            ledger.refund_charge(&id, refund(401), 3).unwrap_err().code,
            "M002002"
        );
        ledger.refund_charge(&id, refund(400), 3).unwrap();
        assert_eq!(ledger.charges[&id].status, ChargeStatus::Refunded);
    }
}
