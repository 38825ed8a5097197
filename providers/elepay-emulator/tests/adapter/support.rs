//! A running emulator with a manual clock and an elepay gateway pointed at it.

use std::sync::Arc;
use std::time::Duration;

use regi_core::domain::PaymentMethod as Presentation;
use regi_elepay::wire::KnownPaymentMethod;
use regi_elepay::{
    CaptureMode, ClientConfig, ElepayClient, ElepayGateway, GatewayOptions, SecretKey,
};
use regi_elepay_emulator::transactions::Transaction;
use regi_elepay_emulator::{
    EmulatorConfig, ManualClock, RunningEmulator, customer, start_loopback,
};
use regi_payment::{
    Direction, PaidTransaction, PaymentGateway, QrRequest, QrSession, QrStatus, merchant_reference,
};
use uuid::Uuid;

pub struct Harness {
    pub emulator: RunningEmulator,
    pub gateway: ElepayGateway,
    pub clock: Arc<ManualClock>,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default(), CaptureMode::Auto).await
    }

    pub async fn holding() -> Self {
        Self::start_with(EmulatorConfig::default(), CaptureMode::Manual).await
    }

    pub async fn start_with(mut config: EmulatorConfig, capture: CaptureMode) -> Self {
        let clock = Arc::new(ManualClock::starting_now());
        config.clock = clock.clone();
        let emulator = start_loopback(config).await.unwrap();
        let gateway = gateway_for(&emulator, &emulator.secret_key, capture);
        Self {
            emulator,
            gateway,
            clock,
        }
    }

    pub fn url(&self) -> &str {
        &self.emulator.base_url
    }

    pub async fn create(&self, request: &QrRequest) -> QrSession {
        self.gateway.create_qr(request).await.unwrap()
    }

    pub async fn status(&self, session: &QrSession) -> QrStatus {
        self.gateway.qr_status(&session.id).await.unwrap()
    }

    /// `customer_name` scans the session's QR and pays.
    pub async fn pay(&self, session: &QrSession, customer_name: &str) {
        customer::pay(self.url(), &session.token, customer_name)
            .await
            .unwrap();
    }

    pub async fn ledger(&self) -> Vec<Transaction> {
        customer::transactions(self.url()).await.unwrap()
    }

    /// A wallet QR paid by alice, read as the port sees it.
    pub async fn paid(&self, amount: i64) -> (QrRequest, PaidTransaction) {
        let request = wallet_qr(amount, "paypay");
        let session = self.create(&request).await;
        self.pay(&session, "alice").await;
        match self.status(&session).await {
            QrStatus::Paid(paid) => (request, paid),
            other => panic!("expected paid, got {other:?}"),
        }
    }
}

pub fn gateway_for(
    emulator: &RunningEmulator,
    key: &SecretKey,
    capture: CaptureMode,
) -> ElepayGateway {
    let mut config = ClientConfig::new(emulator.base_url.clone(), key.clone());
    config.timeout = Duration::from_secs(10);
    config.busy_pause = Duration::from_millis(10);
    let options = GatewayOptions {
        capture,
        default_wallet: Some(KnownPaymentMethod::Paypay.into()),
        ..Default::default()
    };
    ElepayGateway::new(ElepayClient::new(config).unwrap(), options)
}

fn request(amount: i64, wallet: Option<&str>, presentation: Presentation) -> QrRequest {
    let request_id = Uuid::new_v4();
    QrRequest {
        amount,
        direction: Direction::Payment,
        description: "regi sale".into(),
        expires_in_secs: 300,
        request_id,
        reference: merchant_reference(request_id),
        wallet: wallet.map(str::to_string),
        presentation,
        terminal: "レジ1".into(),
        receipt_no: 42,
        hold: false,
    }
}

/// A wallet's own QR for `wallet`, as the engine asks for it when the clerk chose a wallet.
pub fn wallet_qr(amount: i64, wallet: &str) -> QrRequest {
    request(amount, Some(wallet), Presentation::MerchantQr)
}

/// elepay's page, where the customer picks the wallet.
pub fn hosted_page(amount: i64) -> QrRequest {
    request(amount, None, Presentation::HostedPage)
}

pub fn kind(status: &QrStatus) -> &'static str {
    match status {
        QrStatus::Open { .. } => "open",
        QrStatus::Paid(_) => "paid",
        QrStatus::Authorized(_) => "authorized",
        QrStatus::Failed(_) => "failed",
        QrStatus::Expired => "expired",
        QrStatus::Cancelled => "cancelled",
    }
}
