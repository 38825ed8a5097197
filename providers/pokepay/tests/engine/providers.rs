//! One engine, several providers: a new attempt goes to the first enabled provider, and every later
//! step of an attempt (a refund, a recovery) goes to the provider journaled with it, even when the
//! register has since put another provider first.

use std::sync::{Arc, Mutex};

use regi_engine::{Engine, RefundDone, Route};
use regi_journal::Journal;
use regi_payment::{
    Capabilities, CaptureRequest, CodeCharge, GatewayFuture, Gateways, PaidTransaction,
    PaymentGateway, QrRequest, QrSession, QrStatus, RefundRequest, RefundResult,
};
use regi_pokepay_emulator::{CUSTOMER_RICH, FaultPlan};
use regi_testkit::engine::*;
use tokio::sync::mpsc;

/// A Pokepay gateway under another provider's name: a second, independent provider for the test.
struct Renamed(&'static str, Arc<dyn PaymentGateway>);

impl PaymentGateway for Renamed {
    fn provider(&self) -> &'static str {
        self.0
    }
    fn capabilities(&self) -> Capabilities {
        self.1.capabilities()
    }
    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        self.1.create_qr(request)
    }
    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus> {
        self.1.qr_status(qr_id)
    }
    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()> {
        self.1.cancel_qr(qr_id)
    }
    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        self.1.charge_code(request)
    }
    fn lookup_request(&self, request_id: uuid::Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        self.1.lookup_request(request_id)
    }
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        self.1.refund(request)
    }
}

fn two_providers(
    first: &'static str,
    second: &'static str,
    a: Arc<dyn PaymentGateway>,
    b: Arc<dyn PaymentGateway>,
) -> Gateways {
    let mut gateways = Gateways::default();
    gateways.add(Arc::new(Renamed(first, a)));
    gateways.add(Arc::new(Renamed(second, b)));
    gateways
}

#[tokio::test]
async fn a_refund_goes_to_the_provider_that_took_the_payment_not_the_first_enabled() {
    let shop_a = sandbox(FaultPlan::default(), 31).await;
    let shop_b = sandbox(FaultPlan::default(), 32).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b): (Arc<dyn PaymentGateway>, Arc<dyn PaymentGateway>) =
        (Arc::new(gateway(&shop_a)), Arc::new(gateway(&shop_b)));

    // The register takes a payment with provider "a" first...
    let (handle, writer) = journal(dir.path());
    let engine = Engine::with_gateways(
        two_providers("a", "b", a.clone(), b.clone()),
        handle,
        fast_settings(),
    );
    let sale = engine.create_sale(payment(1_200)).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let token = cpm_token(&shop_a, CUSTOMER_RICH);
    assert!(
        engine
            .pay_by_code(sale.sale_id, &token, &tx)
            .await
            .unwrap()
            .is_paid()
    );
    drop(engine);
    writer.join().unwrap();

    // ...then is set up with "b" first. New payments go to "b"; the refund still goes to "a".
    let (handle, writer) = journal(dir.path());
    let engine = Engine::with_gateways(two_providers("b", "a", b, a), handle, fast_settings());
    let done = engine.refund(sale.sale_id, "返品").await.unwrap();
    assert!(matches!(done, RefundDone::Refunded { .. }), "{done:?}");
    assert!(shop_a.state.transactions()[0].transaction.is_modified);
    assert!(shop_b.state.transactions().is_empty());

    let next = engine.create_sale(payment(800)).await.unwrap();
    let token = cpm_token(&shop_b, CUSTOMER_RICH);
    assert!(
        engine
            .pay_by_code(next.sale_id, &token, &tx)
            .await
            .unwrap()
            .is_paid()
    );
    assert_eq!(shop_b.state.transactions().len(), 1);
    drop(engine);
    writer.join().unwrap();

    let journal = Journal::open(&journal_file(dir.path())).unwrap();
    let providers: Vec<String> = [sale.sale_id, next.sale_id]
        .iter()
        .map(|id| journal.sale(*id).unwrap().attempts[0].provider.clone())
        .collect();
    assert_eq!(providers, ["a", "b"]);
}

#[tokio::test]
async fn an_attempt_of_a_provider_no_longer_enabled_stays_unsettled_instead_of_going_elsewhere() {
    let shop = sandbox(FaultPlan::default(), 33).await;
    let dir = tempfile::tempdir().unwrap();
    let other: Arc<dyn PaymentGateway> = Arc::new(gateway(&shop));
    let (handle, writer) = journal(dir.path());
    let mut gateways = Gateways::default();
    gateways.add(Arc::new(Renamed("gone", other.clone())));
    let engine = Engine::with_gateways(gateways, handle, fast_settings());
    let sale = engine.create_sale(payment(500)).await.unwrap();
    // The attempt is journaled with provider "gone" and left as sent (the register stopped).
    let attempt = engine
        .journal()
        .call(move |j| {
            let attempt = j.create_attempt(
                sale.sale_id,
                "gone",
                regi_core::domain::PaymentMethod::CustomerCode,
            )?;
            j.record_attempt_event(attempt.attempt_id, regi_core::domain::AttemptEvent::Sent)?;
            Ok(attempt)
        })
        .await
        .unwrap();
    drop(engine);
    writer.join().unwrap();

    let (handle, writer) = journal(dir.path());
    let engine = Engine::with_gateways(
        Gateways::default().with(Renamed("other", other)),
        handle,
        fast_settings(),
    );
    let report = engine.recover().await.unwrap();
    assert!(!report.all_resolved(), "{report:?}");
    let state = engine
        .journal()
        .call(move |j| Ok(j.sale(sale.sale_id)?.attempts[0].state.clone()))
        .await
        .unwrap();
    assert!(
        !state.is_final(),
        "{state:?} for attempt {}",
        attempt.attempt_id
    );
    drop(engine);
    writer.join().unwrap();
}

/// A provider that holds a payment authorized until it is captured, and shows a payment page: the
/// Pokepay sandbox underneath takes the money, this wrapper adds the hold.
struct HoldsUntilCaptured {
    inner: Arc<dyn PaymentGateway>,
    /// Set once the engine captured; every capture request, in order.
    captures: Mutex<Vec<CaptureRequest>>,
    /// The QR requests created.
    created: Mutex<Vec<QrRequest>>,
    /// The payment last shown as authorized.
    held: Mutex<Option<PaidTransaction>>,
}

impl PaymentGateway for HoldsUntilCaptured {
    fn provider(&self) -> &'static str {
        "holding"
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            capture: true,
            holds_by_default: false,
            tabs: false,
            partial_refund: false,
            presentations: &[regi_core::domain::PaymentMethod::HostedPage],
        }
    }
    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        self.created.lock().unwrap().push(request.clone());
        self.inner.create_qr(request)
    }
    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus> {
        Box::pin(async move {
            match self.inner.qr_status(qr_id).await? {
                QrStatus::Paid(paid) if self.captures.lock().unwrap().is_empty() => {
                    *self.held.lock().unwrap() = Some(paid.clone());
                    Ok(QrStatus::Authorized(paid))
                }
                other => Ok(other),
            }
        })
    }
    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()> {
        self.inner.cancel_qr(qr_id)
    }
    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        self.inner.charge_code(request)
    }
    fn lookup_request(&self, request_id: uuid::Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        self.inner.lookup_request(request_id)
    }
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        self.inner.refund(request)
    }
    fn capture<'a>(&'a self, request: &'a CaptureRequest) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(async move {
            self.captures.lock().unwrap().push(request.clone());
            let held = self.held.lock().unwrap().clone();
            held.filter(|p| p.transaction_id == request.transaction_id)
                .ok_or_else(|| regi_payment::GatewayError::Fatal("nothing held".into()))
        })
    }
}

#[tokio::test]
async fn a_payment_held_authorized_is_captured_with_the_attempts_key_and_journaled_as_a_paid_page()
{
    let shop = sandbox(FaultPlan::default(), 34).await;
    let dir = tempfile::tempdir().unwrap();
    let holding = Arc::new(HoldsUntilCaptured {
        inner: Arc::new(gateway(&shop)),
        captures: Mutex::default(),
        created: Mutex::default(),
        held: Mutex::default(),
    });
    let (handle, writer) = journal(dir.path());
    let mut gateways = Gateways::default();
    gateways.add(holding.clone());
    let engine = Engine::with_gateways(gateways, handle, fast_settings());
    let sale = engine.create_sale(payment(900)).await.unwrap();
    let (run, _cancel, token) = start_qr(&engine, sale.sale_id).await;
    shop.state.pay_cashtray(&token, CUSTOMER_RICH).unwrap();
    let outcome = run.await.unwrap().unwrap();
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(outcome.method, regi_core::domain::PaymentMethod::HostedPage);

    let created = holding.created.lock().unwrap()[0].clone();
    let captures = holding.captures.lock().unwrap().clone();
    assert_eq!(captures.len(), 1);
    assert_eq!(captures[0].request_id, created.request_id);
    assert_eq!(captures[0].amount, 900);
    let detail = engine
        .journal()
        .call(move |j| j.sale(sale.sale_id))
        .await
        .unwrap();
    let attempt = &detail.attempts[0];
    assert_eq!(attempt.request_id, created.request_id.to_string());
    assert_eq!(created.receipt_no, detail.sale.receipt_no);
    assert_eq!(created.terminal, "test-register");
    assert_eq!(created.reference, created.request_id.simple().to_string());
    assert_eq!(attempt.provider, "holding");
    assert_eq!(attempt.method, regi_core::domain::PaymentMethod::HostedPage);
    drop(engine);
    writer.join().unwrap();
}

#[tokio::test]
async fn a_customer_code_routed_to_the_second_provider_is_charged_and_journaled_there() {
    let shop_a = sandbox(FaultPlan::default(), 35).await;
    let shop_b = sandbox(FaultPlan::default(), 36).await;
    let dir = tempfile::tempdir().unwrap();
    let (handle, writer) = journal(dir.path());
    let engine = Engine::with_gateways(
        two_providers(
            "a",
            "b",
            Arc::new(gateway(&shop_a)),
            Arc::new(gateway(&shop_b)),
        ),
        handle,
        fast_settings(),
    );
    let sale = engine.create_sale(payment(700)).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let to_b = Route {
        provider: Some("b".into()),
        ..Route::default()
    };
    let token = cpm_token(&shop_b, CUSTOMER_RICH);
    let outcome = engine
        .pay_by_code_routed(&to_b, sale.sale_id, &token, &tx)
        .await
        .unwrap();
    assert!(outcome.is_paid(), "{outcome:?}");
    assert_eq!(shop_b.state.transactions().len(), 1);
    assert!(shop_a.state.transactions().is_empty());

    // A provider that is not enabled is refused before anything is journaled or sent.
    let nowhere = Route {
        provider: Some("gone".into()),
        ..Route::default()
    };
    let next = engine.create_sale(payment(300)).await.unwrap();
    let refused = engine
        .pay_by_code_routed(&nowhere, next.sale_id, &token, &tx)
        .await;
    assert!(
        matches!(&refused, Err(regi_engine::EngineError::Gateway(e)) if e.to_string().contains("gone")),
        "{refused:?}"
    );
    let attempts = engine
        .journal()
        .call(move |j| {
            Ok([sale.sale_id, next.sale_id].map(|id| {
                j.sale(id)
                    .map(|d| d.attempts.iter().map(|a| a.provider.clone()).collect())
                    .unwrap_or_else(|_| Vec::<String>::new())
            }))
        })
        .await
        .unwrap();
    assert_eq!(attempts, [vec!["b".to_string()], Vec::new()]);
    drop(engine);
    writer.join().unwrap();
}
