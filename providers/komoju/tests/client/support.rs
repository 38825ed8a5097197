//! A running emulator with a manual clock and a client pointed at it.

use std::sync::Arc;
use std::time::Duration;

use regi_komoju::wire::{CaptureMode, CreateSessionRequest, Session};
use regi_komoju::{Client, ClientSettings, IdempotencyKey};
use regi_komoju_emulator::{EmulatorConfig, ManualClock, RunningEmulator};

pub struct Harness {
    pub emulator: RunningEmulator,
    pub clock: Arc<ManualClock>,
    pub client: Client,
}

pub async fn harness() -> Harness {
    harness_with(|_| {}).await
}

pub async fn harness_with(adjust: impl FnOnce(&mut ClientSettings)) -> Harness {
    let clock = Arc::new(ManualClock::starting_now());
    let config = EmulatorConfig {
        clock: clock.clone(),
        ..Default::default()
    };
    let emulator = regi_komoju_emulator::start(config).await.unwrap();
    let mut settings = ClientSettings::new(&emulator.api_base_url, emulator.secret_key.clone());
    settings.conflict_pause = Duration::ZERO;
    adjust(&mut settings);
    let client = Client::new(&settings).unwrap();
    Harness {
        emulator,
        clock,
        client,
    }
}

pub fn session_request(amount: i64, capture: CaptureMode) -> CreateSessionRequest {
    let mut request = CreateSessionRequest::yen(amount, "R-20261206-0001");
    request.payment_data.capture = capture;
    request.payment_types = vec!["paypay".into(), "credit_card".into()];
    request.expires_in_seconds = Some(300);
    request.metadata.insert("terminal".into(), "till-1".into());
    request.metadata.insert("receipt_no".into(), "0001".into());
    request
}

impl Harness {
    pub async fn new_session(&self, amount: i64, capture: CaptureMode) -> Session {
        self.client
            .create_session(&session_request(amount, capture), &IdempotencyKey::random())
            .await
            .unwrap()
    }

    /// A session paid by the rich customer with PayPay; returns the payment id.
    pub async fn paid(&self, amount: i64, capture: CaptureMode) -> String {
        let session = self.new_session(amount, capture).await;
        let paid = regi_komoju_emulator::customer::pay(
            &self.emulator.base_url,
            &session.session_url,
            Some("paypay"),
            "rich",
        )
        .await
        .unwrap();
        paid.payment.unwrap().id
    }

    pub fn session_count(&self) -> usize {
        self.emulator.state.read(|l| l.sessions.len())
    }
}
