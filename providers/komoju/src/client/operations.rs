//! One method per KOMOJU operation regi uses, each a thin typed wrapper over the endpoint table.
//! Writes take the caller's idempotency key: the caller journals it first and passes the same
//! key again to retry.

use super::{Client, Outgoing};
use crate::endpoints::{self, Operation};
use crate::error::KomojuError;
use crate::idempotency::IdempotencyKey;
use crate::wire::{
    CapturePaymentRequest, CreateSessionRequest, ListPaymentsQuery, NoBody, Payment, PaymentList,
    RefundPaymentRequest, Session,
};

impl Client {
    /// `POST /sessions`: a hosted-page session; draw its `session_url` as a QR.
    pub async fn create_session(
        &self,
        request: &CreateSessionRequest,
        key: &IdempotencyKey,
    ) -> Result<Session, KomojuError> {
        self.send::<endpoints::CreateSession, NoBody>(Outgoing {
            operation: Operation::CreateSession,
            id: "",
            body: Some(request),
            query: None,
            key: Some(key),
        })
        .await
    }

    /// `GET /sessions/{id}`: poll until `completed` or `cancelled` (or `expired: true`).
    pub async fn show_session(&self, session_id: &str) -> Result<Session, KomojuError> {
        self.read::<endpoints::ShowSession>(Operation::ShowSession, session_id)
            .await
    }

    /// `POST /sessions/{id}/cancel`: only a pending session; re-read after a refusal, the
    /// customer may have paid a moment before.
    pub async fn cancel_session(
        &self,
        session_id: &str,
        key: &IdempotencyKey,
    ) -> Result<Session, KomojuError> {
        self.write_without_body::<endpoints::CancelSession>(
            Operation::CancelSession,
            session_id,
            key,
        )
        .await
    }

    /// `GET /payments/{id}`.
    pub async fn show_payment(&self, payment_id: &str) -> Result<Payment, KomojuError> {
        self.read::<endpoints::ShowPayment>(Operation::ShowPayment, payment_id)
            .await
    }

    /// `POST /payments/{id}/capture`: all of an authorised payment, or `amount` of it.
    pub async fn capture_payment(
        &self,
        payment_id: &str,
        request: &CapturePaymentRequest,
        key: &IdempotencyKey,
    ) -> Result<Payment, KomojuError> {
        self.send::<endpoints::CapturePayment, NoBody>(Outgoing {
            operation: Operation::CapturePayment,
            id: payment_id,
            body: Some(request),
            query: None,
            key: Some(key),
        })
        .await
    }

    /// `POST /payments/{id}/cancel`: a pending or authorised payment.
    pub async fn cancel_payment(
        &self,
        payment_id: &str,
        key: &IdempotencyKey,
    ) -> Result<Payment, KomojuError> {
        self.write_without_body::<endpoints::CancelPayment>(
            Operation::CancelPayment,
            payment_id,
            key,
        )
        .await
    }

    /// `POST /payments/{id}/refund`: what is left, or `amount` of it. The payment turns
    /// `refunded` only when nothing is left.
    pub async fn refund_payment(
        &self,
        payment_id: &str,
        request: &RefundPaymentRequest,
        key: &IdempotencyKey,
    ) -> Result<Payment, KomojuError> {
        self.send::<endpoints::RefundPayment, NoBody>(Outgoing {
            operation: Operation::RefundPayment,
            id: payment_id,
            body: Some(request),
            query: None,
            key: Some(key),
        })
        .await
    }

    /// `GET /payments`, e.g. by `external_order_num` when recovering a sale.
    pub async fn list_payments(
        &self,
        query: &ListPaymentsQuery,
    ) -> Result<PaymentList, KomojuError> {
        self.send::<endpoints::ListPayments, ListPaymentsQuery>(Outgoing {
            operation: Operation::ListPayments,
            id: "",
            body: None,
            query: Some(query),
            key: None,
        })
        .await
    }

    /// A harmless call that proves the URL and the key work (`GET /payments?per_page=1`), for
    /// `doctor`: a wrong key is a configuration error, no answer is unknown.
    pub async fn check_key(&self) -> Result<(), KomojuError> {
        let query = ListPaymentsQuery {
            per_page: Some(1),
            ..Default::default()
        };
        self.list_payments(&query).await.map(|_| ())
    }

    async fn read<C: endpoints::Call<Request = NoBody>>(
        &self,
        operation: Operation,
        id: &str,
    ) -> Result<C::Response, KomojuError> {
        self.send::<C, NoBody>(Outgoing {
            operation,
            id,
            body: None,
            query: None,
            key: None,
        })
        .await
    }

    async fn write_without_body<C: endpoints::Call<Request = NoBody>>(
        &self,
        operation: Operation,
        id: &str,
        key: &IdempotencyKey,
    ) -> Result<C::Response, KomojuError> {
        self.send::<C, NoBody>(Outgoing {
            operation,
            id,
            body: None,
            query: None,
            key: Some(key),
        })
        .await
    }
}
