//! A running emulator with a manual clock and a client pointed at it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use regi_elepay::wire::{ChargeDto, ChargeReq, ChargeStatus, KnownPaymentMethod};
use regi_elepay::{AuthScheme, ClientConfig, ElepayClient, SecretKey};
use regi_elepay_emulator::{
    EmulatorConfig, ManualClock, RunningEmulator, customer, start_loopback,
};

pub struct Harness {
    pub emulator: RunningEmulator,
    pub client: ElepayClient,
    pub clock: Arc<ManualClock>,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default()).await
    }

    /// An emulator from `config` with a manual clock in place of its own.
    pub async fn start_with(mut config: EmulatorConfig) -> Self {
        let clock = Arc::new(ManualClock::starting_now());
        config.clock = clock.clone();
        let emulator = start_loopback(config).await.unwrap();
        let client = client_for(&emulator, AuthScheme::Bearer, &emulator.secret_key);
        Self {
            emulator,
            client,
            clock,
        }
    }

    pub fn url(&self) -> &str {
        &self.emulator.base_url
    }

    /// A pending mpm charge for a fresh order number.
    pub async fn charge(&self, amount: i64, capture: bool) -> ChargeDto {
        let req = ChargeReq::mpm(
            amount,
            order_no(),
            KnownPaymentMethod::Paypay.into(),
            capture,
        );
        self.client.create_charge(&req).await.unwrap()
    }

    /// A charge a customer paid (captured, or held when `capture` is false).
    pub async fn paid_charge(&self, amount: i64, capture: bool) -> ChargeDto {
        let charge = self.charge(amount, capture).await;
        self.pay(&charge, "alice").await;
        let charge = self.client.retrieve_charge(id(&charge)).await.unwrap();
        let expected = if capture {
            ChargeStatus::Captured
        } else {
            ChargeStatus::Uncaptured
        };
        assert_eq!(charge.status, Some(expected));
        charge
    }

    pub async fn pay(&self, charge: &ChargeDto, customer_name: &str) {
        let content = charge
            .code_content
            .as_deref()
            .expect("an mpm charge has codeContent");
        customer::pay(self.url(), content, customer_name)
            .await
            .unwrap();
    }

    pub async fn transactions(&self) -> Vec<regi_elepay_emulator::transactions::Transaction> {
        customer::transactions(self.url()).await.unwrap()
    }
}

pub fn client_for(emulator: &RunningEmulator, auth: AuthScheme, key: &SecretKey) -> ElepayClient {
    let mut config = ClientConfig::new(emulator.base_url.clone(), key.clone());
    config.auth = auth;
    config.timeout = Duration::from_secs(10);
    config.busy_pause = Duration::from_millis(10);
    ElepayClient::new(config).unwrap()
}

pub fn id(charge: &ChargeDto) -> &str {
    charge.id.as_deref().expect("a charge has an id")
}

/// A fresh order number, like a till's sale reference.
pub fn order_no() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "S-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
