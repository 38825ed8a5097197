//! A payment gateway that counts the requests the engine makes, per QR request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use regi_payment::{
    Capabilities, CodeCharge, GatewayFuture, PaidTransaction, PaymentGateway, QrRequest, QrSession,
    QrStatus, RefundRequest, RefundResult,
};

/// Wraps a gateway; every call passes through unchanged and is counted.
#[derive(Clone)]
pub struct CountingGateway<G> {
    inner: G,
    per_qr: Arc<Mutex<HashMap<String, u64>>>,
    /// QR token (what the customer scans) → QR request id.
    ids: Arc<Mutex<HashMap<String, String>>>,
}

impl<G> CountingGateway<G> {
    pub fn new(inner: G) -> Self {
        Self {
            inner,
            per_qr: Arc::new(Mutex::new(HashMap::new())),
            ids: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Status reads and cancels sent for the QR request whose code is `token`.
    pub fn calls_for_token(&self, token: &str) -> u64 {
        let id = {
            let ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
            ids.get(token).cloned()
        };
        let map = self.per_qr.lock().unwrap_or_else(|p| p.into_inner());
        id.and_then(|id| map.get(&id).copied()).unwrap_or(0)
    }

    fn count(&self, qr_id: &str) {
        let mut map = self.per_qr.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry(qr_id.to_string()).or_insert(0) += 1;
    }
}

impl<G: PaymentGateway> PaymentGateway for CountingGateway<G> {
    fn provider(&self) -> &'static str {
        self.inner.provider()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        Box::pin(async move {
            let session = self.inner.create_qr(request).await?;
            let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
            ids.insert(session.token.clone(), session.id.clone());
            Ok(session)
        })
    }

    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus> {
        Box::pin(async move {
            self.count(qr_id);
            self.inner.qr_status(qr_id).await
        })
    }

    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            self.count(qr_id);
            self.inner.cancel_qr(qr_id).await
        })
    }

    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(async move { self.inner.charge_code(request).await })
    }

    fn lookup_request(&self, request_id: Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        Box::pin(async move { self.inner.lookup_request(request_id).await })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        Box::pin(async move { self.inner.refund(request).await })
    }
}
