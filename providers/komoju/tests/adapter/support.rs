//! A running emulator on a manual clock and a gateway pointed at it.

use std::sync::Arc;
use std::time::Duration;

use regi_core::domain::PaymentMethod;
use regi_komoju::wire::{CaptureMode, Session};
use regi_komoju::{Client, ClientSettings, KomojuGateway, SessionOptions};
use regi_komoju_emulator::faults::{FaultInjector, FaultOutcome};
use regi_komoju_emulator::{EmulatorConfig, FaultPlan, ManualClock, RunningEmulator};
use regi_payment::{Direction, PaymentGateway, QrRequest, QrSession, merchant_reference};
use uuid::Uuid;

pub struct Harness {
    pub emulator: RunningEmulator,
    pub clock: Arc<ManualClock>,
    pub gateway: KomojuGateway,
}

pub async fn harness() -> Harness {
    harness_with(EmulatorConfig::default(), SessionOptions::default()).await
}

pub async fn manual_capture() -> Harness {
    let options = SessionOptions {
        capture: CaptureMode::Manual,
        ..SessionOptions::default()
    };
    harness_with(EmulatorConfig::default(), options).await
}

pub async fn harness_with(mut config: EmulatorConfig, options: SessionOptions) -> Harness {
    let clock = Arc::new(ManualClock::starting_now());
    config.clock = clock.clone();
    let emulator = regi_komoju_emulator::start(config).await.unwrap();
    let mut settings = ClientSettings::new(&emulator.api_base_url, emulator.secret_key.clone());
    settings.conflict_pause = Duration::ZERO;
    let gateway = KomojuGateway::new(Client::new(&settings).unwrap(), options);
    Harness {
        emulator,
        clock,
        gateway,
    }
}

/// A payment attempt as the engine asks for one: a fresh journaled key and its reference.
pub fn qr_request(amount: i64) -> QrRequest {
    let request_id = Uuid::new_v4();
    QrRequest {
        amount,
        direction: Direction::Payment,
        description: "regi sale 1".into(),
        expires_in_secs: 300,
        request_id,
        reference: merchant_reference(request_id),
        wallet: None,
        presentation: PaymentMethod::HostedPage,
        terminal: "レジ1".into(),
        receipt_no: 42,
        hold: false,
    }
}

impl Harness {
    pub async fn shown(&self, request: &QrRequest) -> QrSession {
        self.gateway.create_qr(request).await.unwrap()
    }

    /// The rich customer pays the session on its page with `method`.
    pub fn customer_pays(&self, session: &QrSession, method: &str) -> Session {
        self.emulator
            .state
            .pay_session(&session.token, Some(method), Some("rich"))
            .unwrap()
    }

    /// A session for `amount` paid with PayPay; returns the request and the payment id.
    pub async fn paid(&self, amount: i64) -> (QrRequest, String) {
        let request = qr_request(amount);
        let session = self.shown(&request).await;
        let paid = self.customer_pays(&session, "paypay");
        (request, paid.payment.unwrap().id)
    }

    pub fn session_count(&self) -> usize {
        self.emulator.state.read(|l| l.sessions.len())
    }

    pub fn faults(&self, spec: &str) {
        self.emulator
            .state
            .set_faults(FaultPlan::from_specs(&[spec]).unwrap());
    }

    pub fn quiet(&self) {
        self.emulator.state.set_faults(FaultPlan::default());
    }
}

/// A seed whose first fault draws under `plan` are `outcomes`: the emulator draws once per API
/// call, so this picks which of a run of calls loses its answer.
pub fn seed_giving(plan: FaultPlan, outcomes: &[FaultOutcome]) -> u64 {
    (0..100_000)
        .find(|&seed| {
            let mut faults = FaultInjector::new(plan, seed);
            outcomes.iter().all(|o| faults.decide().outcome == *o)
        })
        .expect("some seed gives these faults")
}
