//! Payment gateways: what the checkout engine needs from a payment provider, independent of the
//! provider. Each provider folder implements it and maps its own statuses and errors to these types.

mod poll;

pub use poll::{PollDecision, PollPolicy, PollSchedule};
pub use regi_core::payment::*;

use std::future::Future;

/// The operations a checkout needs. Every call that can create money movement takes the
/// idempotency key the engine journaled before calling.
pub trait PaymentGateway: Send + Sync + 'static {
    /// The provider's name as the journal records it with each attempt, e.g. `komoju`.
    fn provider(&self) -> &'static str;

    /// Merchant-presented QR: creates a one-time request the customer's app pays by scanning.
    fn create_qr(
        &self,
        request: &QrRequest,
    ) -> impl Future<Output = Result<QrSession, GatewayError>> + Send;

    /// Reads the current state of a QR request.
    fn qr_status(&self, qr_id: &str)
    -> impl Future<Output = Result<QrStatus, GatewayError>> + Send;

    /// Asks the provider to cancel a QR request. The engine always re-reads the status afterwards:
    /// the customer may have paid a moment before.
    fn cancel_qr(&self, qr_id: &str) -> impl Future<Output = Result<(), GatewayError>> + Send;

    /// Customer-presented code: charges (or tops up) the customer's wallet identified by `code`.
    fn charge_code(
        &self,
        request: &CodeCharge,
    ) -> impl Future<Output = Result<PaidTransaction, GatewayError>> + Send;

    /// Looks up the transaction created with `request_id`, if any.
    fn lookup_request(
        &self,
        request_id: uuid::Uuid,
    ) -> impl Future<Output = Result<Option<PaidTransaction>, GatewayError>> + Send;

    /// Refunds a paid transaction.
    fn refund(
        &self,
        transaction_id: &str,
        reason: &str,
    ) -> impl Future<Output = Result<RefundResult, GatewayError>> + Send;
}
