//! KOMOJU behind regi's payment port: a hosted-page session drawn as a QR, read until the customer
//! has paid on their phone, captured when the store holds payments, refunded whole or in part.
//!
//! Every write carries an `X-KOMOJU-IDEMPOTENCY` key derived from the key the engine journaled
//! before the call, so a write repeated after a lost answer (here, by the engine, or after a
//! restart) acts once. KOMOJU's keys are global, not per endpoint, so the create, the capture and
//! the refund of one attempt each get their own key: the same key on another endpoint would be
//! refused as a different request.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::endpoints::Repeat;
use crate::error::{KomojuError, UnknownCause};
use crate::error_table::{self, PAYMENT_CANCELLED, PAYMENT_EXPIRED, PAYMENT_FAILED};
use crate::idempotency::IdempotencyKey;
use crate::payment_types::display_name;
use crate::wire::{
    CaptureMode, CapturePaymentRequest, CreateSessionRequest, ListPaymentsQuery, Locale, Payment,
    PaymentStatus, RefundPaymentRequest, Session, SessionStatus,
};
use crate::{Client, PROVIDER};
use regi_core::domain::PaymentMethod;
use regi_payment::{
    Capabilities, CaptureRequest, CodeCharge, Direction, GatewayError, GatewayFuture,
    PaidTransaction, PaymentGateway, QrRequest, QrSession, QrStatus, RefundRequest, RefundResult,
    merchant_reference, unsupported,
};

/// KOMOJU's default and longest session life.
pub const MAX_SESSION_SECONDS: i64 = 86_400;

/// Metadata keys regi sets on each session: the attempt's reference, and the life asked for so
/// any later read (also after a restart) knows when the session ends; KOMOJU's Session has no
/// `expires_at`.
pub const METADATA_REFERENCE: &str = "reference";
pub const METADATA_EXPIRES_IN: &str = "expires_in_seconds";
pub const METADATA_DESCRIPTION: &str = "description";
/// The register that made the session, and the sale's receipt number.
pub const METADATA_TERMINAL: &str = "terminal";
pub const METADATA_RECEIPT_NO: &str = "receipt_no";

/// How this store's sessions are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    /// The methods the hosted page offers when the clerk chose none; empty for every method the
    /// merchant has activated.
    pub payment_types: Vec<String>,
    /// `auto` takes the money when the customer pays; `manual` holds it until regi captures.
    pub capture: CaptureMode,
    /// The store holds every payment for a later capture by the clerk (hold-then-capture).
    pub hold: bool,
    pub default_locale: Locale,
    /// How many times a create is sent with the same key while its answer is lost.
    pub create_tries: u32,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            payment_types: Vec::new(),
            capture: CaptureMode::Auto,
            hold: false,
            default_locale: Locale::Ja,
            create_tries: 3,
        }
    }
}

/// KOMOJU as a payment gateway for one merchant account.
#[derive(Debug, Clone)]
pub struct KomojuGateway {
    client: Client,
    options: SessionOptions,
}

impl KomojuGateway {
    pub fn new(client: Client, options: SessionOptions) -> Self {
        Self { client, options }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn options(&self) -> &SessionOptions {
        &self.options
    }

    /// The `POST /sessions` body of an attempt. It depends on the request alone (no clock), so a
    /// create repeated with the same key sends the same body, as KOMOJU requires.
    pub fn session_request(&self, request: &QrRequest) -> CreateSessionRequest {
        let mut body = CreateSessionRequest::yen(request.amount, request.reference.clone());
        let life = i64::from(request.expires_in_secs).clamp(1, MAX_SESSION_SECONDS);
        body.expires_in_seconds = Some(life);
        body.payment_types = match &request.wallet {
            Some(wallet) => vec![wallet.clone()],
            None => self.options.payment_types.clone(),
        };
        body.default_locale = Some(self.options.default_locale);
        body.payment_data.capture = if request.hold {
            CaptureMode::Manual
        } else {
            self.options.capture
        };
        body.metadata
            .insert(METADATA_REFERENCE.into(), request.reference.clone());
        body.metadata
            .insert(METADATA_EXPIRES_IN.into(), life.to_string());
        body.metadata
            .insert(METADATA_TERMINAL.into(), request.terminal.clone());
        body.metadata
            .insert(METADATA_RECEIPT_NO.into(), request.receipt_no.to_string());
        let description: String = request.description.chars().take(200).collect();
        if !description.is_empty() {
            body.metadata
                .insert(METADATA_DESCRIPTION.into(), description);
        }
        body
    }
}

impl PaymentGateway for KomojuGateway {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            capture: true,
            holds_by_default: self.options.hold,
            tabs: false,
            partial_refund: true,
            presentations: &[PaymentMethod::HostedPage],
        }
    }

    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        Box::pin(async move {
            if request.direction == Direction::Topup {
                return Err(GatewayError::Fatal(
                    "KOMOJU takes payments only: it has no top-up".into(),
                ));
            }
            let body = self.session_request(request);
            let key = idempotency_key(request.request_id.to_string())?;
            let mut tries = 0;
            loop {
                tries += 1;
                match self.client.create_session(&body, &key).await {
                    Ok(session) => {
                        return Ok(QrSession {
                            expires_at: session_expires_at(&session),
                            id: session.id,
                            token: session.session_url,
                        });
                    }
                    // The same key makes KOMOJU answer the session it made, if it made one.
                    Err(error)
                        if error.is_outcome_unknown() && tries < self.options.create_tries =>
                    {
                        tracing::info!(tries, %error, "KOMOJU: creating the session again with the same key");
                    }
                    Err(error) => return Err(gateway_error(error)),
                }
            }
        })
    }

    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus> {
        Box::pin(async move {
            match self.client.show_session(qr_id).await {
                Ok(session) => session_status(&session),
                // KOMOJU does not know this session: asking again will not help.
                Err(KomojuError::Refused { status: 404, .. }) => Err(GatewayError::Fatal(format!(
                    "KOMOJU does not know the session {qr_id}"
                ))),
                Err(error) => Err(gateway_error(error)),
            }
        })
    }

    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            let key = idempotency_key(format!("cancel-{qr_id}"))?;
            match self.client.cancel_session(qr_id, &key).await {
                Ok(_) => Ok(()),
                // Completed, cancelled or expired already: the re-read that follows tells which,
                // and a session paid a moment before is read as paid.
                Err(KomojuError::Refused { status: 422, .. }) => Ok(()),
                Err(error) => Err(gateway_error(error)),
            }
        })
    }

    fn charge_code<'a>(&'a self, _request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        unsupported(PROVIDER, "customer code payments")
    }

    fn lookup_request(&self, request_id: Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        Box::pin(async move {
            let query = ListPaymentsQuery {
                external_order_num: Some(merchant_reference(request_id)),
                page: None,
                per_page: Some(100),
            };
            let list = self
                .client
                .list_payments(&query)
                .await
                .map_err(gateway_error)?;
            // Only money taken counts; a payment held authorized is captured through its session.
            Ok(list
                .data
                .iter()
                .find(|p| matches!(p.status, PaymentStatus::Captured | PaymentStatus::Refunded))
                .map(paid))
        })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        Box::pin(async move {
            let key = idempotency_key(format!("{}-refund", request.request_id))?;
            let body = RefundPaymentRequest {
                amount: request.amount,
                description: Some(request.reason.clone()).filter(|r| !r.trim().is_empty()),
            };
            let id = &request.transaction_id;
            let payment = match self.client.refund_payment(id, &body, &key).await {
                Ok(payment) => payment,
                Err(error @ KomojuError::Refused { status: 422, .. }) => {
                    return Err(self.refund_refusal(id, error).await);
                }
                Err(error) => return Err(gateway_error(error)),
            };
            // The refund this request made is the newest: KOMOJU appends it, and a replay of the
            // same key answers the payment as it was then.
            let refund = payment.refunds.last().ok_or_else(|| {
                GatewayError::Unknown(format!(
                    "KOMOJU answered the refund of {id} without a refund; reading again"
                ))
            })?;
            Ok(RefundResult {
                refund_transaction_id: refund.id.clone(),
                done_at: refund.created_at.with_timezone(&Utc),
            })
        })
    }

    fn capture<'a>(&'a self, request: &'a CaptureRequest) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(async move {
            let id = &request.transaction_id;
            let payment = self.client.show_payment(id).await.map_err(gateway_error)?;
            match payment.status {
                PaymentStatus::Authorized => {}
                // Taken already: an earlier capture of this attempt whose answer was lost.
                PaymentStatus::Captured | PaymentStatus::Refunded => return Ok(paid(&payment)),
                other => return Err(GatewayError::Refused(ended_payment(other))),
            }
            let body = CapturePaymentRequest {
                // All of it unless the engine asks for less.
                amount: (request.amount < payment.total).then_some(request.amount),
            };
            let key = idempotency_key(format!("{}-capture", request.request_id))?;
            let captured = self
                .client
                .capture_payment(id, &body, &key)
                .await
                .map_err(gateway_error)?;
            Ok(paid(&captured))
        })
    }

    fn release<'a>(&'a self, transaction_id: &'a str, request_id: Uuid) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            let key = idempotency_key(format!("{request_id}-release"))?;
            match self.client.cancel_payment(transaction_id, &key).await {
                Ok(_) => Ok(()),
                // Captured or cancelled already: the re-read that follows tells which.
                Err(KomojuError::Refused { status: 422, .. }) => Ok(()),
                Err(error) => Err(gateway_error(error)),
            }
        })
    }
}

impl KomojuGateway {
    /// A refund KOMOJU found impossible: a payment refunded whole already (a refund repeated
    /// under a new key, or made elsewhere) gets its own reason, so the clerk is told so.
    async fn refund_refusal(&self, payment_id: &str, error: KomojuError) -> GatewayError {
        match self.client.show_payment(payment_id).await {
            Ok(payment) if payment.status == PaymentStatus::Refunded => {
                GatewayError::Refused(error_table::refusal(error_table::PAYMENT_REFUNDED, ""))
            }
            _ => gateway_error(error),
        }
    }
}

/// A session's state as the engine reads it. KOMOJU has no `expired` status: a pending session
/// whose time is up says `expired: true`. A customer who failed on the hosted page leaves the
/// session pending, so it is still open for another try.
pub fn session_status(session: &Session) -> Result<QrStatus, GatewayError> {
    let expires_at = session_expires_at(session);
    match session.status {
        SessionStatus::Cancelled => Ok(QrStatus::Cancelled),
        SessionStatus::Completed => match &session.payment {
            Some(payment) => Ok(payment_status(payment, expires_at)),
            None => Err(GatewayError::Unknown(format!(
                "KOMOJU shows the session {} completed without its payment; reading again",
                session.id
            ))),
        },
        SessionStatus::Pending if session.expired => Ok(QrStatus::Expired),
        SessionStatus::Pending => Ok(QrStatus::Open { expires_at }),
    }
}

/// The state of the payment a completed session made.
fn payment_status(payment: &Payment, session_expires_at: DateTime<Utc>) -> QrStatus {
    match payment.status {
        PaymentStatus::Captured | PaymentStatus::Refunded => QrStatus::Paid(paid(payment)),
        PaymentStatus::Authorized => QrStatus::Authorized(paid(payment)),
        // Waiting for the customer still (e.g. cash at a konbini): open until its deadline.
        PaymentStatus::Pending => QrStatus::Open {
            expires_at: payment
                .payment_deadline
                .map_or(session_expires_at, |d| d.with_timezone(&Utc)),
        },
        PaymentStatus::Cancelled => QrStatus::Cancelled,
        PaymentStatus::Expired => QrStatus::Expired,
        PaymentStatus::Failed => QrStatus::Failed(error_table::refusal(PAYMENT_FAILED, "")),
    }
}

/// The refusal for acting on a payment that ended without money.
fn ended_payment(status: PaymentStatus) -> regi_payment::Refusal {
    let code = match status {
        PaymentStatus::Cancelled => PAYMENT_CANCELLED,
        PaymentStatus::Expired => PAYMENT_EXPIRED,
        PaymentStatus::Failed => PAYMENT_FAILED,
        _ => "unprocessable_entity",
    };
    error_table::refusal(code, "")
}

/// When a session ends: its creation plus the life regi asked for (kept in its metadata), or
/// KOMOJU's default life for a session regi did not make.
pub fn session_expires_at(session: &Session) -> DateTime<Utc> {
    let life = session
        .metadata
        .get(METADATA_EXPIRES_IN)
        .and_then(|v| v.as_str())
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|s| (1..=MAX_SESSION_SECONDS).contains(s))
        .unwrap_or(MAX_SESSION_SECONDS);
    session.created_at.with_timezone(&Utc) + Duration::seconds(life)
}

/// A payment as the journal and the receipt record it: its id, the money taken, and the name of
/// what the customer paid with.
pub fn paid(payment: &Payment) -> PaidTransaction {
    let name = [&payment.customer_family_name, &payment.customer_given_name]
        .into_iter()
        .flatten()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let done_at = payment.captured_at.unwrap_or(payment.created_at);
    PaidTransaction {
        transaction_id: payment.id.clone(),
        amount: payment.total,
        customer_name: Some(name).filter(|n| !n.is_empty()),
        money_name: Some(display_name(&payment.payment_details.kind)),
        done_at: done_at.with_timezone(&Utc),
    }
}

/// Sorts a client error by what the engine must do. A write that may have reached KOMOJU is
/// unknown, never refused; a read that met a busy KOMOJU (5xx, 429) changed nothing and is busy;
/// a refused key or a bad URL is fatal and names the setting, never the key.
pub fn gateway_error(error: KomojuError) -> GatewayError {
    match &error {
        KomojuError::Refused { error: body, .. } => {
            GatewayError::Refused(error_table::refusal(&body.code, &body.message))
        }
        KomojuError::Unknown { operation, cause } => {
            let read = operation.endpoint().repeat == Repeat::Freely;
            match cause {
                UnknownCause::RateLimited => GatewayError::Busy(error.to_string()),
                UnknownCause::ServerError { .. } if read => GatewayError::Busy(error.to_string()),
                _ => GatewayError::Unknown(error.to_string()),
            }
        }
        KomojuError::Configuration(_) | KomojuError::NotSent { .. } => {
            GatewayError::Fatal(error.to_string())
        }
    }
}

fn idempotency_key(value: String) -> Result<IdempotencyKey, GatewayError> {
    IdempotencyKey::parse(&value)
        .map_err(|e| GatewayError::Fatal(format!("cannot key a KOMOJU request: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;
    use crate::error::ConfigurationError;
    use crate::wire::ErrorBody;
    use regi_core::domain::FailReason;

    const CREATED: &str = "2026-12-06T10:00:00.000+09:00";

    fn payment_json(status: &str, kind: &str) -> serde_json::Value {
        serde_json::json!({
            "id": "p0000000000000000000000001", "resource": "payment", "status": status,
            "amount": 1200, "tax": 0, "customer": null, "payment_deadline": null,
            "payment_details": {"type": kind}, "payment_method_fee": 0, "total": 1200,
            "currency": "JPY", "description": null,
            "captured_at": if status == "captured" { serde_json::json!("2026-12-06T10:01:00.000+09:00") } else { serde_json::Value::Null },
            "external_order_num": "ref", "metadata": {}, "created_at": "2026-12-06T10:00:30.000+09:00",
            "amount_refunded": 0, "locale": "ja", "session": "s000000000000000000000001",
            "customer_family_name": null, "customer_given_name": null, "mcc": null,
            "statement_descriptor": {}, "refunds": [], "refund_requests": []
        })
    }

    fn session(status: &str, expired: bool, payment: Option<serde_json::Value>) -> Session {
        serde_json::from_value(serde_json::json!({
            "id": "s000000000000000000000001", "resource": "session", "mode": "payment",
            "amount": 1200, "currency": "JPY", "payment": payment,
            "session_url": "http://127.0.0.1:1/sessions/s000000000000000000000001",
            "return_url": null, "default_locale": "ja", "payment_methods": [{"type": "paypay"}],
            "created_at": CREATED, "cancelled_at": null, "completed_at": null,
            "status": status, "expired": expired,
            "metadata": {"reference": "ref", "expires_in_seconds": "300"}
        }))
        .unwrap()
    }

    fn created_plus(secs: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(CREATED)
            .unwrap()
            .with_timezone(&Utc)
            + Duration::seconds(secs)
    }

    #[test]
    fn the_status_mapping_follows_the_session_then_its_payment() {
        let open = QrStatus::Open {
            expires_at: created_plus(300),
        };
        assert_eq!(session_status(&session("pending", false, None)), Ok(open));
        assert_eq!(
            session_status(&session("pending", true, None)),
            Ok(QrStatus::Expired)
        );
        assert_eq!(
            session_status(&session("cancelled", false, None)),
            Ok(QrStatus::Cancelled)
        );
        let paid_session = session("completed", false, Some(payment_json("captured", "paypay")));
        let Ok(QrStatus::Paid(paid)) = session_status(&paid_session) else {
            panic!("a captured payment is paid");
        };
        assert_eq!(paid.transaction_id, "p0000000000000000000000001");
        assert_eq!(paid.amount, 1200);
        assert_eq!(paid.money_name.as_deref(), Some("PayPay"));
        let held = session(
            "completed",
            false,
            Some(payment_json("authorized", "linepay")),
        );
        let Ok(QrStatus::Authorized(held)) = session_status(&held) else {
            panic!("an authorized payment is held");
        };
        assert_eq!(held.money_name.as_deref(), Some("LINE Pay"));
        for (status, expected) in [
            ("cancelled", QrStatus::Cancelled),
            ("expired", QrStatus::Expired),
        ] {
            let s = session("completed", false, Some(payment_json(status, "paypay")));
            assert_eq!(session_status(&s), Ok(expected), "{status}");
        }
        let failed = session("completed", false, Some(payment_json("failed", "paypay")));
        assert!(matches!(session_status(&failed), Ok(QrStatus::Failed(_))));
        let refunded = session("completed", false, Some(payment_json("refunded", "paypay")));
        assert!(matches!(session_status(&refunded), Ok(QrStatus::Paid(_))));
    }

    #[test]
    fn a_completed_session_is_paid_even_after_its_time_is_up() {
        let s = session("completed", true, Some(payment_json("captured", "paypay")));
        assert!(matches!(session_status(&s), Ok(QrStatus::Paid(_))));
    }

    #[test]
    fn a_completed_session_without_its_payment_is_read_again_not_failed() {
        let s = session("completed", false, None);
        assert!(matches!(session_status(&s), Err(GatewayError::Unknown(_))));
    }

    #[test]
    fn a_session_regi_did_not_make_ends_after_komojus_default_life() {
        let mut s = session("pending", false, None);
        s.metadata.clear();
        assert_eq!(session_expires_at(&s), created_plus(MAX_SESSION_SECONDS));
    }

    #[test]
    fn errors_are_sorted_by_what_the_engine_must_do() {
        let server = |operation| KomojuError::Unknown {
            operation,
            cause: UnknownCause::ServerError {
                status: 503,
                code: Some("service_unavailable".into()),
            },
        };
        assert!(matches!(
            gateway_error(server(Operation::RefundPayment)),
            GatewayError::Unknown(_)
        ));
        assert!(matches!(
            gateway_error(server(Operation::CreateSession)),
            GatewayError::Unknown(_)
        ));
        assert!(matches!(
            gateway_error(server(Operation::ShowSession)),
            GatewayError::Busy(_)
        ));
        let timeout = KomojuError::Unknown {
            operation: Operation::CapturePayment,
            cause: UnknownCause::Timeout,
        };
        assert!(matches!(gateway_error(timeout), GatewayError::Unknown(_)));
        let refused = KomojuError::Refused {
            operation: Operation::RefundPayment,
            status: 422,
            error: ErrorBody::new("unprocessable_entity", "no", None),
        };
        let GatewayError::Refused(refusal) = gateway_error(refused) else {
            panic!("a 422 is a refusal");
        };
        assert_eq!(refusal.reason, FailReason::RejectedOther);
        assert_eq!(refusal.error_type, "unprocessable_entity");
        let key = KomojuError::from(ConfigurationError::KeyRefused {
            status: 401,
            code: "unauthorized".into(),
        });
        let GatewayError::Fatal(message) = gateway_error(key) else {
            panic!("a refused key is fatal");
        };
        assert!(message.contains("[komoju] secret_key"), "{message}");
    }
}
