//! The enabled providers, by name: new attempts go to the one the clerk (or the configuration)
//! chose, and every later step of an attempt (status, cancel, lookup, refund, recovery) goes to
//! the provider journaled with it, never to whichever happens to be first.

use std::sync::Arc;

use crate::PaymentGateway;

/// Every enabled provider's gateway, in the order the configuration lists the tenders.
#[derive(Clone, Default)]
pub struct Gateways {
    enabled: Vec<Arc<dyn PaymentGateway>>,
}

impl Gateways {
    /// One provider alone.
    pub fn single(gateway: impl PaymentGateway) -> Self {
        Self::default().with(gateway)
    }

    /// Adds a provider after those already enabled; a second gateway of the same provider
    /// replaces the first, so a name always means one gateway.
    pub fn with(mut self, gateway: impl PaymentGateway) -> Self {
        self.add(Arc::new(gateway));
        self
    }

    pub fn add(&mut self, gateway: Arc<dyn PaymentGateway>) {
        let name = gateway.provider();
        match self.enabled.iter_mut().find(|g| g.provider() == name) {
            Some(slot) => *slot = gateway,
            None => self.enabled.push(gateway),
        }
    }

    /// The gateway of `provider`, as the journal names it.
    pub fn get(&self, provider: &str) -> Option<&Arc<dyn PaymentGateway>> {
        self.enabled.iter().find(|g| g.provider() == provider)
    }

    /// The provider new attempts go to unless another is chosen: the first enabled.
    pub fn primary(&self) -> Option<&Arc<dyn PaymentGateway>> {
        self.enabled.first()
    }

    /// The enabled providers' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.enabled.iter().map(|g| g.provider()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.enabled.is_empty()
    }
}

impl std::fmt::Debug for Gateways {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Gateways").field(&self.names()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        CodeCharge, GatewayError, GatewayFuture, PaidTransaction, QrRequest, QrSession, QrStatus,
        RefundRequest, RefundResult,
    };

    struct Named(&'static str);

    fn nothing<'a, T: Send + 'a>() -> GatewayFuture<'a, T> {
        Box::pin(std::future::ready(Err(GatewayError::Fatal("test".into()))))
    }

    impl PaymentGateway for Named {
        fn provider(&self) -> &'static str {
            self.0
        }
        fn create_qr<'a>(&'a self, _: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
            nothing()
        }
        fn qr_status<'a>(&'a self, _: &'a str) -> GatewayFuture<'a, QrStatus> {
            nothing()
        }
        fn cancel_qr<'a>(&'a self, _: &'a str) -> GatewayFuture<'a, ()> {
            nothing()
        }
        fn charge_code<'a>(&'a self, _: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
            nothing()
        }
        fn lookup_request(&self, _: uuid::Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
            nothing()
        }
        fn refund<'a>(&'a self, _: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
            nothing()
        }
    }

    #[test]
    fn each_attempt_finds_its_own_provider_and_new_ones_go_to_the_first() {
        let gateways = Gateways::single(Named("a")).with(Named("b"));
        assert_eq!(gateways.names(), ["a", "b"]);
        assert_eq!(gateways.get("b").map(|g| g.provider()), Some("b"));
        assert!(gateways.get("c").is_none());
        assert_eq!(gateways.primary().map(|g| g.provider()), Some("a"));
    }

    #[test]
    fn a_provider_enabled_twice_is_one_gateway() {
        let gateways = Gateways::single(Named("a")).with(Named("a"));
        assert_eq!(gateways.names(), ["a"]);
    }

    #[tokio::test]
    async fn an_operation_a_provider_lacks_is_refused_without_a_request() {
        let gateway = Named("a");
        let request = crate::CaptureRequest {
            transaction_id: "t1".into(),
            amount: 100,
            request_id: uuid::Uuid::nil(),
        };
        let err = gateway.capture(&request).await.unwrap_err();
        assert_eq!(err, GatewayError::Fatal("a has no capture".into()));
        assert!(!gateway.capabilities().capture);
    }
}
