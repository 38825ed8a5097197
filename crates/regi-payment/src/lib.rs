//! The payment port: what the checkout engine needs from a payment provider, independent of the
//! provider. Each provider folder implements [`PaymentGateway`] and maps its own statuses and
//! errors to these types; the engine holds several at once in [`Gateways`] and never sees a
//! provider's strings or HTTP statuses.
//!
//! The trait is object-safe (its futures are boxed), so the engine serves every enabled provider
//! through one `Arc<dyn PaymentGateway>` each, chosen by the provider name journaled with each
//! attempt. A boxed future per request is nothing beside the network round trip it waits for.

mod capabilities;
mod poll;
mod registry;

pub use capabilities::Capabilities;
pub use poll::{PollDecision, PollPolicy, PollSchedule};
pub use regi_core::payment::*;
pub use regi_core::tab::*;
pub use registry::Gateways;

use std::future::Future;
use std::pin::Pin;

/// What every gateway operation returns: a boxed, sendable future of its result.
pub type GatewayFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, GatewayError>> + Send + 'a>>;

/// The operations a checkout needs. Every call that can create money movement takes the
/// idempotency key the engine journaled before calling.
pub trait PaymentGateway: Send + Sync + 'static {
    /// The provider's name as the journal records it with each attempt: short, lowercase, stable.
    fn provider(&self) -> &'static str;

    /// What this provider can do beyond the common operations.
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }

    /// Merchant-presented QR: creates a one-time request the customer's app pays by scanning.
    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession>;

    /// Reads the current state of a QR request.
    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus>;

    /// Asks the provider to cancel a QR request. The engine always re-reads the status afterwards:
    /// the customer may have paid a moment before.
    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()>;

    /// Customer-presented code: charges (or tops up) the customer's wallet identified by `code`.
    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction>;

    /// Looks up the transaction created with `request_id`, if any.
    fn lookup_request(&self, request_id: uuid::Uuid) -> GatewayFuture<'_, Option<PaidTransaction>>;

    /// Refunds a paid transaction: all of it, or `amount` yen of it where the provider has
    /// [`Capabilities::partial_refund`].
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult>;

    /// Captures an authorized payment, for `amount` yen at most the authorized amount, where the
    /// provider has [`Capabilities::capture`].
    fn capture<'a>(&'a self, request: &'a CaptureRequest) -> GatewayFuture<'a, PaidTransaction> {
        let _ = request;
        unsupported(self.provider(), "capture")
    }

    /// Gives back a payment held for a later capture without taking anything (the order was
    /// never picked up), where the provider has [`Capabilities::capture`]. Safe to repeat; the
    /// engine re-reads the payment afterwards, since a capture may have come first.
    fn release<'a>(
        &'a self,
        transaction_id: &'a str,
        request_id: uuid::Uuid,
    ) -> GatewayFuture<'a, ()> {
        let _ = (transaction_id, request_id);
        unsupported(self.provider(), "release of a held payment")
    }

    /// The customer a scanned app code identifies, with the cards a tab can be opened on, where
    /// the provider has [`Capabilities::tabs`]. A customer without such a card is no error: the
    /// list is empty.
    fn tab_customer<'a>(&'a self, code: &'a str) -> GatewayFuture<'a, TabCustomer> {
        let _ = code;
        unsupported(self.provider(), "tabs")
    }

    /// Opens a tab on a customer's card, where the provider has [`Capabilities::tabs`]. Safe to
    /// repeat with the same `request_id`.
    fn open_tab<'a>(&'a self, request: &'a TabOpenRequest) -> GatewayFuture<'a, OpenedTab> {
        let _ = request;
        unsupported(self.provider(), "tabs")
    }

    /// Charges one sale to an open tab. Safe to repeat with the same `request_id`: the sale is
    /// booked once.
    fn charge_tab<'a>(
        &'a self,
        request: &'a TabChargeRequest,
    ) -> GatewayFuture<'a, PaidTransaction> {
        let _ = request;
        unsupported(self.provider(), "tabs")
    }

    /// Closes a tab: the card is billed for everything charged to it. Safe to repeat with the
    /// same `request_id`.
    fn close_tab<'a>(&'a self, request: &'a TabCloseRequest) -> GatewayFuture<'a, ()> {
        let _ = request;
        unsupported(self.provider(), "tabs")
    }
}

/// The merchant reference (order number) of an attempt: its journaled key written compactly (32
/// hex digits). The engine sends it with a new request, and an adapter that must find a request
/// again by it (`lookup_request`) derives it the same way from the key alone.
pub fn merchant_reference(request_id: uuid::Uuid) -> String {
    request_id.simple().to_string()
}

/// The answer of an operation the provider does not have: a refusal of the configuration, never
/// sent anywhere.
pub fn unsupported<'a, T: Send + 'a>(
    provider: &'static str,
    operation: &'static str,
) -> GatewayFuture<'a, T> {
    Box::pin(std::future::ready(Err(GatewayError::Fatal(format!(
        "{provider} has no {operation}"
    )))))
}
