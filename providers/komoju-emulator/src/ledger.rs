//! The emulator's books: sessions and the payments they completed, with every lifecycle rule
//! KOMOJU applies (KOMOJU.md §7–§8, §12). Pure: time and new ids come in as arguments, so each
//! rule is tested without a server.

use regi_komoju::wire::{
    CaptureMode, Locale, Metadata, PaymentStatus, Refund, SessionStatus, Timestamp,
};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;

/// The two customers the hosted page and the customer side know.
pub const CUSTOMER_RICH: &str = "rich";
/// A customer whose payment is always declined: the session stays pending.
pub const CUSTOMER_POOR: &str = "poor";
pub const CUSTOMERS: [&str; 2] = [CUSTOMER_RICH, CUSTOMER_POOR];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    /// Oldest first.
    pub sessions: Vec<SessionRecord>,
    /// Oldest first.
    pub payments: Vec<PaymentRecord>,
}

/// A session as created, with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub return_url: Option<String>,
    pub default_locale: Locale,
    pub payment_types: Vec<String>,
    pub capture: CaptureMode,
    pub external_order_num: Option<String>,
    pub metadata: Metadata,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub status: SessionStatus,
    pub cancelled_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub payment_id: Option<String>,
}

impl SessionRecord {
    /// KOMOJU's `expired` flag: a pending session whose time has run out (the status stays
    /// `pending`; a completed or cancelled session is decided and never reads as expired).
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.status == SessionStatus::Pending && now >= self.expires_at
    }
}

/// What a new session asks for, already validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    pub amount: i64,
    pub currency: String,
    pub return_url: Option<String>,
    pub default_locale: Locale,
    pub payment_types: Vec<String>,
    pub capture: CaptureMode,
    pub external_order_num: Option<String>,
    pub metadata: Metadata,
    pub expires_in_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub id: String,
    pub session_id: String,
    pub amount: i64,
    pub currency: String,
    pub locale: Locale,
    pub status: PaymentStatus,
    /// `payment_details.type`: what the customer chose.
    pub payment_type: String,
    pub created_at: Timestamp,
    pub captured_at: Option<Timestamp>,
    pub external_order_num: Option<String>,
    pub metadata: Metadata,
    pub refunds: Vec<Refund>,
}

impl PaymentRecord {
    pub fn amount_refunded(&self) -> i64 {
        self.refunds.iter().map(|r| r.amount).sum()
    }

    /// No tax or fee is added by the emulator: the total is the amount.
    pub fn total(&self) -> i64 {
        self.amount
    }
}

impl Ledger {
    pub fn session(&self, id: &str) -> Option<&SessionRecord> {
        self.sessions.iter().find(|s| s.id == id)
    }

    pub fn payment(&self, id: &str) -> Option<&PaymentRecord> {
        self.payments.iter().find(|p| p.id == id)
    }

    fn session_mut(&mut self, id: &str) -> Result<&mut SessionRecord, ApiError> {
        self.sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| ApiError::not_found("Session"))
    }

    fn payment_mut(&mut self, id: &str) -> Result<&mut PaymentRecord, ApiError> {
        self.payments
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::not_found("Payment"))
    }

    pub fn create_session(&mut self, new: NewSession, id: String, now: Timestamp) -> String {
        self.sessions.push(SessionRecord {
            id: id.clone(),
            amount: new.amount,
            currency: new.currency,
            return_url: new.return_url,
            default_locale: new.default_locale,
            payment_types: new.payment_types,
            capture: new.capture,
            external_order_num: new.external_order_num,
            metadata: new.metadata,
            created_at: now,
            expires_at: now + chrono::Duration::seconds(new.expires_in_seconds),
            status: SessionStatus::Pending,
            cancelled_at: None,
            completed_at: None,
            payment_id: None,
        });
        id
    }

    /// The merchant cancels a session: only while it is pending and has not expired.
    pub fn cancel_session(&mut self, id: &str, now: Timestamp) -> Result<(), ApiError> {
        let session = self.session_mut(id)?;
        refuse_unless_open(session, now)?;
        session.status = SessionStatus::Cancelled;
        session.cancelled_at = Some(now);
        Ok(())
    }

    /// Moves the end of a pending session to `now` (an emulator-only hook).
    pub fn expire_session(&mut self, id: &str, now: Timestamp) -> Result<(), ApiError> {
        let session = self.session_mut(id)?;
        if session.status != SessionStatus::Pending {
            return Err(ApiError::unprocessable(
                "Only a pending session can expire.",
            ));
        }
        session.expires_at = session.expires_at.min(now);
        Ok(())
    }

    /// The customer pays a session (on the hosted page, or through `POST /sessions/{id}/pay`).
    /// A poor customer is declined and the session stays pending; otherwise the session
    /// completes with a payment that is captured (auto capture) or authorised (manual capture),
    /// as `capture` says or else as the session was created. Returns the payment id.
    pub fn pay_session(
        &mut self,
        id: &str,
        payment_type: &str,
        customer: &str,
        capture: Option<CaptureMode>,
        payment_id: String,
        now: Timestamp,
    ) -> Result<String, ApiError> {
        let session = self.session_mut(id)?;
        refuse_unless_open(session, now)?;
        if !session.payment_types.iter().any(|t| t == payment_type) {
            return Err(ApiError::invalid(
                "payment_type",
                &format!("{payment_type} is not offered by this session."),
            ));
        }
        match customer {
            CUSTOMER_RICH => {}
            CUSTOMER_POOR => {
                return Err(ApiError::declined(
                    "The payment was declined (insufficient funds).",
                ));
            }
            other => {
                return Err(ApiError::new(
                    404,
                    "not_found",
                    &format!("No customer named {other} (try rich or poor)."),
                    Some("customer"),
                ));
            }
        }
        let captured = capture.unwrap_or(session.capture) == CaptureMode::Auto;
        session.status = SessionStatus::Completed;
        session.completed_at = Some(now);
        session.payment_id = Some(payment_id.clone());
        let payment = PaymentRecord {
            id: payment_id.clone(),
            session_id: session.id.clone(),
            amount: session.amount,
            currency: session.currency.clone(),
            locale: session.default_locale,
            status: if captured {
                PaymentStatus::Captured
            } else {
                PaymentStatus::Authorized
            },
            payment_type: payment_type.to_string(),
            created_at: now,
            captured_at: captured.then_some(now),
            external_order_num: session.external_order_num.clone(),
            metadata: session.metadata.clone(),
            refunds: Vec::new(),
        };
        self.payments.push(payment);
        Ok(payment_id)
    }

    /// Captures an authorised payment, all of it or `amount` (the rest is released).
    pub fn capture(
        &mut self,
        id: &str,
        amount: Option<i64>,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let payment = self.payment_mut(id)?;
        if payment.status != PaymentStatus::Authorized {
            return Err(ApiError::unprocessable(&format!(
                "A {} payment cannot be captured; only an authorized one can.",
                payment.status.as_str()
            )));
        }
        let amount = amount.unwrap_or(payment.amount);
        if amount < 1 || amount > payment.amount {
            return Err(ApiError::invalid(
                "amount",
                &format!("amount must be between 1 and {}.", payment.amount),
            ));
        }
        payment.amount = amount;
        payment.status = PaymentStatus::Captured;
        payment.captured_at = Some(now);
        Ok(())
    }

    /// Cancels a pending or authorised payment.
    pub fn cancel_payment(&mut self, id: &str) -> Result<(), ApiError> {
        let payment = self.payment_mut(id)?;
        if !matches!(
            payment.status,
            PaymentStatus::Pending | PaymentStatus::Authorized
        ) {
            return Err(ApiError::unprocessable(&format!(
                "A {} payment cannot be cancelled; refund it instead.",
                payment.status.as_str()
            )));
        }
        payment.status = PaymentStatus::Cancelled;
        Ok(())
    }

    /// Refunds what is left of a captured payment, or `amount` of it. A partial refund keeps the
    /// payment `captured`; the refund that leaves nothing makes it `refunded`.
    pub fn refund(
        &mut self,
        id: &str,
        amount: Option<i64>,
        description: Option<String>,
        refund_id: String,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let payment = self.payment_mut(id)?;
        if payment.status != PaymentStatus::Captured {
            return Err(ApiError::unprocessable(&format!(
                "A {} payment cannot be refunded.",
                payment.status.as_str()
            )));
        }
        let left = payment.total() - payment.amount_refunded();
        let amount = amount.unwrap_or(left);
        if amount < 1 || amount > left {
            return Err(ApiError::invalid(
                "amount",
                &format!("amount must be between 1 and the {left} not yet refunded."),
            ));
        }
        payment.refunds.push(Refund {
            id: refund_id,
            resource: "refund".to_string(),
            amount,
            currency: payment.currency.clone(),
            payment: payment.id.clone(),
            description,
            created_at: now,
            chargeback: false,
        });
        if amount == left {
            payment.status = PaymentStatus::Refunded;
        }
        Ok(())
    }
}

fn refuse_unless_open(session: &SessionRecord, now: Timestamp) -> Result<(), ApiError> {
    match session.status {
        SessionStatus::Completed => {
            Err(ApiError::unprocessable("The session is already completed."))
        }
        SessionStatus::Cancelled => {
            Err(ApiError::unprocessable("The session is already cancelled."))
        }
        SessionStatus::Pending if session.is_expired(now) => {
            Err(ApiError::unprocessable("The session has expired."))
        }
        SessionStatus::Pending => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::{SystemClock, komoju_now};

    pub(crate) fn new_session(amount: i64, capture: CaptureMode) -> NewSession {
        NewSession {
            amount,
            currency: "JPY".into(),
            return_url: None,
            default_locale: Locale::Ja,
            payment_types: vec!["paypay".into(), "credit_card".into()],
            capture,
            external_order_num: Some("R-1".into()),
            metadata: Metadata::new(),
            expires_in_seconds: 300,
        }
    }

    fn paid(capture: CaptureMode) -> (Ledger, String, Timestamp) {
        let now = komoju_now(&SystemClock);
        let mut ledger = Ledger::default();
        let sid = ledger.create_session(new_session(1000, capture), "s".into(), now);
        let pid = ledger
            .pay_session(&sid, "paypay", CUSTOMER_RICH, None, "p".into(), now)
            .unwrap();
        (ledger, pid, now)
    }

    #[test]
    fn auto_capture_completes_the_session_with_a_captured_payment() {
        let (ledger, pid, _) = paid(CaptureMode::Auto);
        let payment = ledger.payment(&pid).unwrap();
        assert_eq!(payment.status, PaymentStatus::Captured);
        assert!(payment.captured_at.is_some());
        assert_eq!(
            ledger.session("s").unwrap().status,
            SessionStatus::Completed
        );
    }

    #[test]
    fn manual_capture_authorises_then_captures_once() {
        let (mut ledger, pid, now) = paid(CaptureMode::Manual);
        assert_eq!(
            ledger.payment(&pid).unwrap().status,
            PaymentStatus::Authorized
        );
        assert_eq!(
            ledger.capture(&pid, Some(1001), now).unwrap_err().status,
            422
        );
        ledger.capture(&pid, Some(800), now).unwrap();
        let payment = ledger.payment(&pid).unwrap();
        assert_eq!(
            (payment.status, payment.amount),
            (PaymentStatus::Captured, 800)
        );
        assert_eq!(ledger.capture(&pid, None, now).unwrap_err().status, 422);
    }

    #[test]
    fn a_capture_mode_given_when_paying_wins_over_the_sessions() {
        let now = komoju_now(&SystemClock);
        let mut ledger = Ledger::default();
        let sid = ledger.create_session(new_session(1000, CaptureMode::Auto), "s".into(), now);
        let pid = ledger
            .pay_session(
                &sid,
                "paypay",
                CUSTOMER_RICH,
                Some(CaptureMode::Manual),
                "p".into(),
                now,
            )
            .unwrap();
        let payment = ledger.payment(&pid).unwrap();
        assert_eq!(
            (payment.status, payment.captured_at),
            (PaymentStatus::Authorized, None)
        );
    }

    #[test]
    fn a_poor_customer_is_declined_and_the_session_stays_pending() {
        let now = komoju_now(&SystemClock);
        let mut ledger = Ledger::default();
        let sid = ledger.create_session(new_session(1000, CaptureMode::Auto), "s".into(), now);
        let err = ledger
            .pay_session(&sid, "paypay", CUSTOMER_POOR, None, "p".into(), now)
            .unwrap_err();
        assert_eq!(
            (err.status, err.body.code.as_str()),
            (402, "request_failed")
        );
        assert_eq!(ledger.session(&sid).unwrap().status, SessionStatus::Pending);
        assert!(ledger.payments.is_empty());
    }

    #[test]
    fn refunds_keep_the_payment_captured_until_nothing_is_left() {
        let (mut ledger, pid, now) = paid(CaptureMode::Auto);
        ledger
            .refund(&pid, Some(300), None, "r1".into(), now)
            .unwrap();
        assert_eq!(
            ledger.payment(&pid).unwrap().status,
            PaymentStatus::Captured
        );
        assert_eq!(
            ledger
                .refund(&pid, Some(701), None, "r2".into(), now)
                .unwrap_err()
                .param(),
            Some("amount")
        );
        ledger.refund(&pid, None, None, "r3".into(), now).unwrap();
        let payment = ledger.payment(&pid).unwrap();
        assert_eq!(
            (payment.status, payment.amount_refunded()),
            (PaymentStatus::Refunded, 1000)
        );
        assert_eq!(
            ledger
                .refund(&pid, None, None, "r4".into(), now)
                .unwrap_err()
                .status,
            422
        );
    }

    #[test]
    fn an_expired_or_decided_session_can_be_neither_paid_nor_cancelled() {
        let now = komoju_now(&SystemClock);
        let mut ledger = Ledger::default();
        let sid = ledger.create_session(new_session(1000, CaptureMode::Auto), "s".into(), now);
        let later = now + chrono::Duration::seconds(300);
        assert!(ledger.session(&sid).unwrap().is_expired(later));
        assert_eq!(ledger.cancel_session(&sid, later).unwrap_err().status, 422);
        assert_eq!(
            ledger
                .pay_session(&sid, "paypay", CUSTOMER_RICH, None, "p".into(), later)
                .unwrap_err()
                .status,
            422
        );
        ledger.cancel_session(&sid, now).unwrap();
        assert_eq!(ledger.cancel_session(&sid, now).unwrap_err().status, 422);
    }

    #[test]
    fn only_pending_or_authorised_payments_cancel() {
        let (mut ledger, pid, _) = paid(CaptureMode::Auto);
        assert_eq!(ledger.cancel_payment(&pid).unwrap_err().status, 422);
        let (mut ledger, pid, _) = paid(CaptureMode::Manual);
        ledger.cancel_payment(&pid).unwrap();
        assert_eq!(
            ledger.payment(&pid).unwrap().status,
            PaymentStatus::Cancelled
        );
    }
}
