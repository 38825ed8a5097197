//! regi's checkout engine paying through the KOMOJU gateway against a real emulator on
//! 127.0.0.1:0, with a journal in a temporary directory: the flows the register runs (show the
//! page as a QR, the customer pays on their phone, capture a held payment, the clerk cancels a
//! moment too late, a refund), each ending journaled as KOMOJU's ledger has it.

use std::path::Path;
use std::time::Duration;

use regi_core::domain::{AmountGuard, AttemptState, Cart, TaxPolicy, TaxRate, Yen};
use regi_engine::{
    AttemptOutcome, Engine, EngineError, EngineEvent, EngineSettings, RefundDone, Route,
};
use regi_journal::{Journal, JournalHandle, journal_path};
use regi_komoju::wire::{CaptureMode, PaymentStatus};
use regi_komoju::{Client, ClientSettings, KomojuGateway, SessionOptions};
use regi_komoju_emulator::{EmulatorConfig, RunningEmulator};
use regi_payment::PollPolicy;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

struct Register {
    emulator: RunningEmulator,
    engine: Engine,
    _dir: tempfile::TempDir,
    _writer: std::thread::JoinHandle<()>,
}

mod hold;

async fn register(capture: CaptureMode) -> Register {
    register_with(SessionOptions {
        capture,
        ..SessionOptions::default()
    })
    .await
}

async fn register_with(options: SessionOptions) -> Register {
    let emulator = regi_komoju_emulator::start(EmulatorConfig::default())
        .await
        .unwrap();
    let mut settings = ClientSettings::new(&emulator.api_base_url, emulator.secret_key.clone());
    settings.conflict_pause = Duration::ZERO;
    let gateway = KomojuGateway::new(Client::new(&settings).unwrap(), options);
    let dir = tempfile::tempdir().unwrap();
    let (journal, writer) = open_journal(dir.path());
    let engine = Engine::new(gateway, journal, fast_settings());
    Register {
        emulator,
        engine,
        _dir: dir,
        _writer: writer,
    }
}

fn open_journal(dir: &Path) -> (JournalHandle, std::thread::JoinHandle<()>) {
    let journal = Journal::open(&journal_path(dir, false)).unwrap();
    JournalHandle::spawn(journal).unwrap()
}

fn fast_settings() -> EngineSettings {
    EngineSettings {
        poll: PollPolicy {
            fresh_interval: Duration::from_millis(15),
            ..PollPolicy::default()
        },
        retry_backoff: Duration::from_millis(10),
        resolve_for: Duration::from_secs(20),
        terminal: "test-register".into(),
        ..EngineSettings::default()
    }
}

type Run = JoinHandle<Result<AttemptOutcome, EngineError>>;

impl Register {
    /// Rings up `yen`, starts taking it by QR, and returns the run, the clerk's cancel switch and
    /// the URL the QR encodes once it is on screen.
    async fn show_qr(&self, yen: i64) -> (i64, Run, watch::Sender<bool>, String) {
        self.show_qr_on(Route::default(), yen).await
    }

    /// [`Register::show_qr`] on `route` (e.g. one asking to hold the payment).
    async fn show_qr_on(&self, route: Route, yen: i64) -> (i64, Run, watch::Sender<bool>, String) {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
        cart.add_manual(Yen(yen), TaxRate::Standard10, None)
            .unwrap();
        let sale = self
            .engine
            .create_sale(cart.checkout().unwrap())
            .await
            .unwrap();
        let (events, mut seen) = mpsc::unbounded_channel();
        let (cancel, cancelled) = watch::channel(false);
        let engine = self.engine.clone();
        let sale_id = sale.sale_id;
        let run = tokio::spawn(async move {
            engine
                .pay_by_qr_routed(&route, sale_id, cancelled, &events)
                .await
        });
        let token = loop {
            match seen.recv().await {
                Some(EngineEvent::Presented { token, .. }) => break token,
                Some(_) => {}
                None => panic!("the engine finished without showing a QR"),
            }
        };
        (sale_id, run, cancel, token)
    }

    fn customer_pays(&self, session_url: &str) -> String {
        self.emulator
            .state
            .pay_session(session_url, Some("paypay"), Some("rich"))
            .unwrap()
            .payment
            .unwrap()
            .id
    }

    fn payment(&self, id: &str) -> (PaymentStatus, i64, i64) {
        self.emulator
            .state
            .read(|l| {
                l.payment(id)
                    .map(|p| (p.status, p.total(), p.amount_refunded()))
            })
            .unwrap()
    }
}

fn paid_id(outcome: &AttemptOutcome) -> &str {
    match &outcome.state {
        AttemptState::Paid { transaction_id } => transaction_id,
        other => panic!("the attempt is not paid: {other:?}"),
    }
}

#[tokio::test]
async fn a_sale_paid_on_the_hosted_page_is_journaled_paid_with_komojus_payment() {
    let r = register(CaptureMode::Auto).await;
    let (_, run, _cancel, session_url) = r.show_qr(1100).await;
    assert!(session_url.starts_with(&r.emulator.base_url));
    let payment_id = r.customer_pays(&session_url);
    let outcome = run.await.unwrap().unwrap();
    assert_eq!(paid_id(&outcome), payment_id);
    let paid = outcome.paid.unwrap();
    assert_eq!(paid.money_name.as_deref(), Some("PayPay"));
    assert_eq!(r.payment(&payment_id), (PaymentStatus::Captured, 1100, 0));
}

#[tokio::test]
async fn a_payment_held_authorized_is_captured_by_the_engine_before_it_counts() {
    let r = register(CaptureMode::Manual).await;
    let (_, run, _cancel, session_url) = r.show_qr(2000).await;
    let payment_id = r.customer_pays(&session_url);
    let outcome = run.await.unwrap().unwrap();
    assert_eq!(paid_id(&outcome), payment_id);
    assert_eq!(r.payment(&payment_id), (PaymentStatus::Captured, 2000, 0));
}

#[tokio::test]
async fn a_clerk_cancel_after_the_customer_paid_ends_paid_not_cancelled() {
    let r = register(CaptureMode::Auto).await;
    let (_, run, cancel, session_url) = r.show_qr(800).await;
    let payment_id = r.customer_pays(&session_url);
    cancel.send(true).unwrap();
    let outcome = run.await.unwrap().unwrap();
    assert_eq!(paid_id(&outcome), payment_id);
}

#[tokio::test]
async fn a_clerk_cancel_before_anyone_paid_cancels_the_session() {
    let r = register(CaptureMode::Auto).await;
    let (_, run, cancel, session_url) = r.show_qr(800).await;
    cancel.send(true).unwrap();
    let outcome = run.await.unwrap().unwrap();
    assert_eq!(outcome.state, AttemptState::Cancelled);
    assert!(
        r.emulator
            .state
            .pay_session(&session_url, Some("paypay"), Some("rich"))
            .is_err(),
        "nobody can pay a withdrawn QR"
    );
}

#[tokio::test]
async fn a_refund_of_a_paid_sale_gives_all_of_it_back_on_komoju() {
    let r = register(CaptureMode::Auto).await;
    let (sale_id, run, _cancel, session_url) = r.show_qr(1500).await;
    let payment_id = r.customer_pays(&session_url);
    run.await.unwrap().unwrap();
    let done = r.engine.refund(sale_id, "returned").await.unwrap();
    assert!(matches!(done, RefundDone::Refunded { .. }), "{done:?}");
    assert_eq!(
        r.payment(&payment_id),
        (PaymentStatus::Refunded, 1500, 1500)
    );
}

#[tokio::test]
async fn a_register_stopped_while_its_qr_was_shown_finds_the_payment_on_restart() {
    let r = register(CaptureMode::Manual).await;
    let (_, run, _cancel, session_url) = r.show_qr(1300).await;
    run.abort();
    assert!(run.await.unwrap_err().is_cancelled());
    let payment_id = r.customer_pays(&session_url);
    let report = r.engine.recover().await.unwrap();
    assert_eq!(report.attempts.len(), 1);
    assert_eq!(
        report.attempts[0].state,
        AttemptState::Paid {
            transaction_id: payment_id.clone()
        }
    );
    assert_eq!(r.payment(&payment_id), (PaymentStatus::Captured, 1300, 0));
}

#[tokio::test]
async fn a_register_stopped_while_its_qr_was_shown_withdraws_it_on_restart_when_unpaid() {
    let r = register(CaptureMode::Auto).await;
    let (_, run, _cancel, session_url) = r.show_qr(1300).await;
    run.abort();
    assert!(run.await.unwrap_err().is_cancelled());
    let report = r.engine.recover().await.unwrap();
    assert_eq!(report.attempts.len(), 1);
    assert_eq!(report.attempts[0].state, AttemptState::Cancelled);
    assert!(
        r.emulator
            .state
            .pay_session(&session_url, Some("paypay"), Some("rich"))
            .is_err(),
        "nobody can pay a QR withdrawn at start-up"
    );
}
