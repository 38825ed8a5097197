//! A checkout engine wired to a sandbox on 127.0.0.1:0 through the real client, with a journal in a
//! temporary directory and a poll pace fast enough for tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use regi_core::domain::{AmountGuard, Cart, SaleDraft, TaxPolicy, TaxRate, Yen};
use regi_engine::{Engine, EngineEvent, EngineSettings};
use regi_journal::{Journal, JournalHandle, SaleState, journal_path};
use regi_payment::PollPolicy;
use regi_pokepay::ApiSettings;
use regi_pokepay::Client;
use regi_pokepay::PokepayGateway;
use regi_pokepay_emulator::{CpmScope, FaultPlan, RunningSandbox, SandboxOptions, start_loopback};
use tokio::sync::mpsc;

pub async fn sandbox(faults: FaultPlan, seed: u64) -> RunningSandbox {
    start_loopback(SandboxOptions {
        seed: Some(seed),
        faults,
        hold: Duration::from_secs(3),
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

pub fn client(sandbox: &RunningSandbox) -> Client {
    let mut api = ApiSettings::new(
        &sandbox.base_url,
        &sandbox.client_id,
        sandbox.client_secret.clone(),
    );
    api.timeout = Duration::from_millis(1500);
    api.connect_timeout = Duration::from_millis(500);
    Client::new(&api)
        .expect("client")
        .with_retry_backoff(Duration::from_millis(5))
}

pub fn gateway(sandbox: &RunningSandbox) -> PokepayGateway {
    PokepayGateway::new(client(sandbox), sandbox.shop_id, sandbox.private_money_id)
}

pub fn fast_settings() -> EngineSettings {
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

/// Writer threads of journals opened by [`engine`], which hands out only the engine: a register
/// "restarted" on the same directory first waits for the last one to close its journal, as a
/// process that died has let go of it.
static WRITERS: std::sync::Mutex<Vec<(PathBuf, std::thread::JoinHandle<()>)>> =
    std::sync::Mutex::new(Vec::new());

pub fn journal(dir: &Path) -> (JournalHandle, std::thread::JoinHandle<()>) {
    let path = journal_path(dir, false);
    let earlier: Vec<_> = {
        let mut writers = WRITERS.lock().unwrap_or_else(|p| p.into_inner());
        let (same, others) = writers.drain(..).partition(|(p, _)| *p == path);
        *writers = others;
        same
    };
    for (_, writer) in earlier {
        let _ = writer.join();
    }
    let journal = Journal::open(&path).expect("journal opens");
    JournalHandle::spawn(journal).expect("writer thread")
}

pub fn journal_file(dir: &Path) -> PathBuf {
    journal_path(dir, false)
}

pub fn engine(
    gateway: impl regi_payment::PaymentGateway,
    dir: &Path,
    settings: EngineSettings,
) -> Engine {
    let (handle, writer) = journal(dir);
    WRITERS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((journal_path(dir, false), writer));
    Engine::new(gateway, handle, settings)
}

/// Stops a register made by [`engine`]: once this returns, its journal is closed and free for
/// another writer (a command that prints, a restarted register).
pub fn close_register(engine: Engine, dir: &Path) {
    drop(engine);
    let path = journal_path(dir, false);
    let writers: Vec<_> = {
        let mut writers = WRITERS.lock().unwrap_or_else(|p| p.into_inner());
        let (same, others) = writers.drain(..).partition(|(p, _)| *p == path);
        *writers = others;
        same
    };
    for (_, writer) in writers {
        let _ = writer.join();
    }
}

/// A fault-free sandbox seeded `seed` and an engine on it at the fast pace; the directory holds the
/// journal, so keep it for as long as the engine.
pub async fn sandboxed_engine(seed: u64) -> (RunningSandbox, tempfile::TempDir, Engine) {
    let sandbox = sandbox(FaultPlan::default(), seed).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = engine(gateway(&sandbox), dir.path(), fast_settings());
    (sandbox, dir, engine)
}

pub fn payment(yen: i64) -> SaleDraft {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
    cart.add_manual(Yen(yen), TaxRate::Standard10, None)
        .unwrap();
    cart.checkout().unwrap()
}

pub fn topup(yen: i64) -> SaleDraft {
    SaleDraft::topup(
        Yen(yen),
        &AmountGuard::new(Yen(1_000_000)),
        TaxPolicy::default(),
    )
    .unwrap()
}

/// Waits for the QR of the attempt being run and returns its token; `None` when the engine
/// finished without presenting one.
pub async fn next_presented(events: &mut mpsc::UnboundedReceiver<EngineEvent>) -> Option<String> {
    while let Some(event) = events.recv().await {
        if let EngineEvent::Presented { token, .. } = event {
            return Some(token);
        }
    }
    None
}

/// Waits for the QR of the attempt being run and returns its token.
pub async fn presented(events: &mut mpsc::UnboundedReceiver<EngineEvent>) -> String {
    next_presented(events)
        .await
        .expect("the engine finished without presenting a QR")
}

/// A one-time payment code for `customer`, as their app would show it.
pub fn cpm_token(sandbox: &RunningSandbox, customer: &str) -> String {
    sandbox
        .state
        .issue_cpm_token(customer, &[CpmScope::Payment])
        .expect("payment code")
        .cpm_token
}

/// The journaled state of `sale_id`.
pub async fn sale_state(engine: &Engine, sale_id: i64) -> SaleState {
    engine
        .journal()
        .call(move |j| j.sale(sale_id))
        .await
        .expect("sale in the journal")
        .sale
        .state
}

/// Starts taking payment for `sale_id` by QR in a task, waits for the QR and returns the task, the
/// clerk's cancel switch and the QR token.
pub async fn start_qr(
    engine: &Engine,
    sale_id: i64,
) -> (
    tokio::task::JoinHandle<Result<regi_engine::AttemptOutcome, regi_engine::EngineError>>,
    tokio::sync::watch::Sender<bool>,
    String,
) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (cancel, cancel_rx) = tokio::sync::watch::channel(false);
    let engine = engine.clone();
    let run = tokio::spawn(async move { engine.pay_by_qr(sale_id, cancel_rx, &tx).await });
    let token = presented(&mut rx).await;
    (run, cancel, token)
}
