//! Keyboard-scripted checkouts through the real runtime — event loop, effect runner, engine,
//! journal, Partner API client — against the sandbox on 127.0.0.1:0, drawn on a headless 80x24
//! terminal. Every wait is for a state the loop reaches by handling its own messages.

mod engine_harness;
mod tui_support;

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use engine_harness::{fast_settings, gateway, sandbox};
use regi::app::screens::{FailReason, OutcomeKind, Screen};
use regi::app::{App, Key, NoticeMessage};
use regi::config::{ApiSettings, Config, Lang};
use regi::domain::Yen;
use regi::engine::{Engine, EngineSettings};
use regi::gateway::PokepayGateway;
use regi::journal::{SaleFilter, SaleState};
use regi::printer::PrinterSettings;
use regi::runtime::engine_services::EngineServices;
use regi::sandbox::{FaultPlan, RunningSandbox};
use tui_support::{Till, checking, failed, paid, qr_token, showing_qr, training_app};

struct Register {
    till: Till<EngineServices<PokepayGateway>>,
    engine: Engine<PokepayGateway>,
    sandbox: RunningSandbox,
    _dir: tempfile::TempDir,
}

/// The register is driven like any till; its engine and sandbox stay at hand for checks.
impl Deref for Register {
    type Target = Till<EngineServices<PokepayGateway>>;

    fn deref(&self) -> &Self::Target {
        &self.till
    }
}

impl DerefMut for Register {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.till
    }
}

impl Register {
    async fn open(lang: Lang, seed: u64) -> Self {
        Self::open_with(lang, seed, None, true).await
    }

    /// `printer`: a printer target such as `file:PATH`; `print_on_training` prints training sales
    /// on it, otherwise they are previewed on screen.
    async fn open_with(
        lang: Lang,
        seed: u64,
        printer: Option<String>,
        print_on_training: bool,
    ) -> Self {
        let sandbox = sandbox(FaultPlan::default(), seed).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let (journal, _writer) = engine_harness::journal(dir.path());
        // The register runs in training, and so does the engine journaling its sales.
        let settings = EngineSettings {
            training: true,
            ..fast_settings()
        };
        let engine = Engine::new(gateway(&sandbox), journal, settings);
        let api = ApiSettings::new(
            &sandbox.base_url,
            &sandbox.client_id,
            sandbox.client_secret.clone(),
        );
        let mut services = EngineServices::new(engine.clone(), api, lang)
            .with_training_customer(sandbox.state.clone());
        if let Some(target) = printer {
            let config = Config {
                printer: PrinterSettings {
                    target,
                    print_on_training,
                    check_status: false,
                    ..PrinterSettings::default()
                },
                ..Config::default()
            };
            services = services.with_printing(config);
        }
        let app = training_app(lang);
        Self {
            till: Till::new(app, services),
            engine,
            sandbox,
            _dir: dir,
        }
    }

    async fn sale_states(&self) -> Vec<SaleState> {
        self.engine
            .journal()
            .call(|j| j.list_sales(SaleFilter::All))
            .await
            .expect("journal")
            .into_iter()
            .map(|s| s.state)
            .collect()
    }
}

#[tokio::test]
async fn qr_checkout_as_a_clerk_would_in_english() {
    let (target, mut paper) = paper_roll().await;
    let mut r = Register::open_with(Lang::En, 101, Some(target), false).await;
    r.type_text("1200");
    r.keys(&[Key::Enter, Key::F(1)]);
    r.until("the QR on screen", showing_qr).await;
    let token = qr_token(r.app()).expect("token");
    assert!(token.starts_with("https://"), "{token}");
    assert_eq!(r.photograph(), vec![token]);
    r.keys(&[Key::F(9)]);
    r.until("paid", paid).await;
    let text = r.screen_text();
    assert!(text.contains("[PAID]"), "{text}");
    assert!(text.contains("1,200"), "{text}");
    assert_eq!(r.sale_states().await, vec![SaleState::Paid]);
    assert_eq!(r.sandbox.state.transactions().len(), 1);
    let transaction_id = paid_transaction_id(r.app());

    // Training prints nothing: the receipt is shown on screen instead.
    r.until("the receipt preview", |app| app.preview.is_some())
        .await;
    r.keys(&[Key::F(7)]);
    r.until("the preview screen", |app| {
        matches!(app.screen, Screen::Preview(_))
    })
    .await;
    let text = r.screen_text();
    assert!(
        text.contains("RECEIPT") || text.contains("領収書"),
        "{text}"
    );
    r.keys(&[Key::PageDown]);
    r.until(
        "the scrolled preview",
        |app| matches!(&app.screen, Screen::Preview(p) if p.scroll > 0),
    )
    .await;
    let scrolled = r.screen_text();
    assert!(scrolled.contains(&transaction_id), "{text}\n{scrolled}");
    assert!(paper.try_recv().is_err(), "training printed on paper");
    r.keys(&[Key::Esc]);
    assert!(paid(r.app()));
    r.keys(&[Key::Enter]);
    assert_eq!(r.app().screen, Screen::Sale);
}

fn paid_transaction_id(app: &App) -> String {
    match &app.screen {
        Screen::Outcome(outcome) => match &outcome.kind {
            OutcomeKind::Paid { transaction, .. } => transaction.transaction_id.clone(),
            other => panic!("not paid: {other:?}"),
        },
        other => panic!("not the result: {other:?}"),
    }
}

#[tokio::test]
async fn customer_code_checkout_in_japanese() {
    let mut r = Register::open(Lang::Ja, 102).await;
    r.type_text("800");
    r.keys(&[Key::Enter, Key::F(2), Key::F(11)]);
    r.until("paid by code", paid).await;
    let text = r.screen_text();
    assert!(text.contains("【完了】"), "{text}");
    assert!(text.contains("¥800"), "{text}");
    assert_eq!(r.sale_states().await, vec![SaleState::Paid]);
}

#[tokio::test]
async fn cancelling_the_qr_returns_to_the_choice_and_charges_nothing() {
    let mut r = Register::open(Lang::En, 103).await;
    r.type_text("500");
    r.keys(&[Key::Enter, Key::F(1)]);
    r.until("the QR on screen", showing_qr).await;
    r.keys(&[Key::Esc]);
    r.until("back at the choice", |app| app.screen == Screen::PayMethod)
        .await;
    assert_eq!(
        r.app().notice.as_ref().map(|n| &n.message),
        Some(&NoticeMessage::Cancelled)
    );
    assert_eq!(r.app().cart.total(), Ok(Yen(500)));
    assert!(r.sandbox.state.transactions().is_empty());
}

#[tokio::test]
async fn paid_just_before_the_cancel_is_reported_as_paid() {
    let mut r = Register::open(Lang::En, 104).await;
    r.type_text("300");
    r.keys(&[Key::Enter, Key::F(1)]);
    r.until("the QR on screen", showing_qr).await;
    let token = qr_token(r.app()).expect("token");
    r.sandbox
        .state
        .pay_cashtray(&token, regi::sandbox::CUSTOMER_RICH)
        .expect("customer pays");
    r.keys(&[Key::Esc]);
    r.until("paid", paid).await;
    assert_eq!(r.sale_states().await, vec![SaleState::Paid]);
}

#[tokio::test]
async fn a_refused_payment_explains_and_a_new_qr_pays_the_same_sale() {
    let mut r = Register::open(Lang::En, 105).await;
    r.type_text("5000");
    r.keys(&[Key::Enter, Key::F(1)]);
    r.until("the QR on screen", showing_qr).await;
    r.keys(&[Key::F(10)]);
    r.until("failed", failed).await;
    let Screen::Outcome(outcome) = &r.app().screen else {
        unreachable!()
    };
    assert!(matches!(
        &outcome.kind,
        OutcomeKind::Failed(FailReason::Refused(f)) if f.error_type == "account_balance_not_enough"
    ));
    let text = r.screen_text();
    assert!(text.contains("[FAILED]"), "{text}");
    assert!(text.contains("balance is not enough"), "{text}");
    assert!(text.contains("New QR"), "{text}");
    r.keys(&[Key::F(1)]);
    r.until("a second QR", showing_qr).await;
    r.keys(&[Key::F(9)]);
    r.until("paid", paid).await;
    assert_eq!(r.sale_states().await, vec![SaleState::Paid]);
}

#[tokio::test]
async fn a_lost_answer_shows_checking_then_the_resolved_payment() {
    let mut r = Register::open(Lang::En, 106).await;
    r.type_text("700");
    r.keys(&[Key::Enter, Key::F(2)]);
    // Every answer is lost from now on: the charge is applied but never acknowledged.
    r.sandbox.state.set_faults(FaultPlan {
        drop: 1.0,
        ..FaultPlan::default()
    });
    r.keys(&[Key::F(11)]);
    r.until("checking", checking).await;
    let text = r.screen_text();
    assert!(text.contains("[CHECKING]"), "{text}");
    assert!(!text.contains("[FAILED]"), "{text}");
    r.sandbox.state.set_faults(FaultPlan::default());
    r.until("paid", paid).await;
    assert_eq!(r.sale_states().await, vec![SaleState::Paid]);
    assert_eq!(
        r.sandbox.state.transactions().len(),
        1,
        "charged exactly once"
    );
}

/// A network printer on 127.0.0.1:0 that keeps everything it is sent.
async fn paper_roll() -> (String, tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listener");
    let target = format!("tcp:{}", listener.local_addr().expect("address"));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                use tokio::io::AsyncReadExt;
                let mut chunk = vec![0; 4096];
                while let Ok(n) = socket.read(&mut chunk).await {
                    if n == 0 || tx.send(chunk[..n].to_vec()).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (target, rx)
}

#[tokio::test]
async fn a_paid_sale_is_printed_and_reprinted_from_the_history() {
    let (target, mut paper) = paper_roll().await;
    let mut r = Register::open_with(Lang::Ja, 107, Some(target), true).await;
    r.type_text("1500");
    r.keys(&[Key::Enter, Key::F(2), Key::F(11)]);
    r.until("paid", paid).await;
    let Screen::Outcome(outcome) = &r.app().screen else {
        unreachable!()
    };
    let OutcomeKind::Paid { transaction, .. } = &outcome.kind else {
        unreachable!()
    };
    let transaction_id = transaction.transaction_id.clone();
    r.keys(&[Key::Enter, Key::F(4)]);
    r.until(
        "today's sales",
        |app| matches!(&app.screen, Screen::History(h) if h.sales.is_some()),
    )
    .await;
    r.keys(&[Key::Enter, Key::F(8)]);
    r.until("reprinted", |app| {
        app.notice.as_ref().map(|n| &n.message) == Some(&NoticeMessage::Reprinted)
    })
    .await;
    // Read the paper as it arrives until the copy is on it.
    let mut bytes = Vec::new();
    let text = loop {
        let chunk = tokio::time::timeout(Duration::from_secs(30), paper.recv())
            .await
            .expect("the printer receives the reprint")
            .expect("printer still listening");
        bytes.extend(chunk);
        if let Ok(text) = regi::printer::preview_text(&bytes)
            && text.contains("再発行")
        {
            break text;
        }
    };
    assert!(text.contains(&transaction_id), "{text}");
    assert!(text.contains("1,500"), "{text}");
}
