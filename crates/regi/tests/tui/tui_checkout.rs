//! Keyboard-scripted checkouts through the real runtime — event loop, effect runner, engine,
//! journal, Partner API client — against the sandbox on 127.0.0.1:0, drawn on a headless 80x24
//! terminal. Every wait is for a state the loop reaches by handling its own messages.

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use crate::tui_support::{
    Till, checking, failed, paid, qr_token, showing_qr, tenders, training_app,
};
use regi::services::{EngineServices, TrainingCustomers};
use regi_config::{Config, Lang};
use regi_core::app::screens::{FailReason, HistoryMode, OutcomeKind, Screen};
use regi_core::app::{App, Key, NoticeMessage, ReceiptLookupError, TenderOption};
use regi_core::domain::Yen;
use regi_engine::{Engine, EngineSettings};
use regi_journal::{SaleFilter, SaleState};
use regi_pokepay::ApiSettings;
use regi_pokepay_emulator::{FaultPlan, RunningSandbox};
use regi_printer::PrinterSettings;
use regi_testkit::engine::{fast_settings, gateway, sandbox};

struct Register {
    till: Till<EngineServices>,
    engine: Engine,
    sandbox: RunningSandbox,
    _dir: tempfile::TempDir,
}

/// The register is driven like any till; its engine and sandbox stay at hand for checks.
impl Deref for Register {
    type Target = Till<EngineServices>;

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
        Self::open_app(training_app(lang), seed, printer, print_on_training).await
    }

    /// A register offering the ways to pay of `tenders`; only Pokepay (the sandbox) is enabled.
    async fn open_with_tenders(lang: Lang, seed: u64, tenders: Vec<TenderOption>) -> Self {
        let mut app = training_app(lang);
        app.tenders = tenders;
        Self::open_app(app, seed, None, true).await
    }

    async fn open_app(
        app: App,
        seed: u64,
        printer: Option<String>,
        print_on_training: bool,
    ) -> Self {
        let lang = app.lang;
        let sandbox = sandbox(FaultPlan::default(), seed).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let (journal, _writer) = regi_testkit::engine::journal(dir.path());
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
            .with_training_customers(TrainingCustomers::default().with(sandbox.state.clone()));
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
async fn a_listed_way_to_pay_goes_to_its_provider_and_one_not_enabled_charges_nothing() {
    let mut r = Register::open_with_tenders(Lang::En, 107, tenders()).await;
    r.type_text("900");
    // KOMOJU is listed but this register's engine has only Pokepay: it must not fall back to it.
    r.keys(&[Key::Enter, Key::Char('3')]);
    r.until("failed", failed).await;
    let Screen::Outcome(outcome) = &r.app().screen else {
        unreachable!()
    };
    assert!(
        matches!(&outcome.kind, OutcomeKind::Failed(FailReason::NotStarted(why)) if why.contains("komoju")),
        "{:?}",
        outcome.kind
    );
    assert!(r.sandbox.state.transactions().is_empty());
    r.keys(&[Key::Esc, Key::Char('1')]);
    r.until("the Pokepay QR on screen", showing_qr).await;
    assert!(r.screen_text().contains("Pokepay"), "{}", r.screen_text());
    r.keys(&[Key::F(9)]);
    r.until("paid", paid).await;
    assert_eq!(r.sandbox.state.transactions().len(), 1);
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
        .pay_cashtray(&token, regi_pokepay_emulator::CUSTOMER_RICH)
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
        if let Ok(text) = regi_printer::preview_text(&bytes)
            && text.contains("再発行")
        {
            break text;
        }
    };
    assert!(text.contains(&transaction_id), "{text}");
    assert!(text.contains("1,500"), "{text}");
}

#[tokio::test]
async fn a_training_reprint_from_the_history_is_previewed_not_printed() {
    let (target, mut paper) = paper_roll().await;
    let mut r = Register::open_with(Lang::En, 109, Some(target), false).await;
    r.type_text("1300");
    r.keys(&[Key::Enter, Key::F(2), Key::F(11)]);
    r.until("paid", paid).await;
    let transaction_id = paid_transaction_id(r.app());
    r.until("the receipt preview", |app| app.preview.is_some())
        .await;
    r.keys(&[Key::Enter, Key::F(4)]);
    r.until(
        "today's sales",
        |app| matches!(&app.screen, Screen::History(h) if h.sales.is_some()),
    )
    .await;
    r.keys(&[Key::Enter]);
    r.until("the sale's detail", |app| {
        history_mode(app) == Some(HistoryMode::Detail)
    })
    .await;
    let detail = r.screen_text();
    assert!(detail.contains("Receipt preview"), "{detail}");
    r.keys(&[Key::F(8)]);
    r.until("the reprint answered", |app| {
        matches!(app.screen, Screen::Preview(_)) || app.notice.is_some()
    })
    .await;
    assert!(
        matches!(r.app().screen, Screen::Preview(_)),
        "{:?}",
        r.app().notice
    );
    r.keys(&[Key::PageDown]);
    r.until(
        "the scrolled preview",
        |app| matches!(&app.screen, Screen::Preview(p) if p.scroll > 0),
    )
    .await;
    let text = r.screen_text();
    assert!(text.contains(&transaction_id), "{text}");
    // Nothing arrives on paper, not even a moment later.
    let sent = tokio::time::timeout(Duration::from_millis(300), paper.recv()).await;
    assert!(sent.is_err(), "training printed on paper: {sent:?}");
    r.keys(&[Key::Esc]);
    assert_eq!(history_mode(r.app()), Some(HistoryMode::Detail));
}

fn history_mode(app: &App) -> Option<HistoryMode> {
    match &app.screen {
        Screen::History(h) if h.sales.is_some() => Some(h.mode.clone()),
        _ => None,
    }
}

fn notice(app: &App) -> Option<&NoticeMessage> {
    app.notice.as_ref().map(|n| &n.message)
}

#[tokio::test]
async fn a_scanned_receipt_opens_its_sale_for_a_refund_also_from_a_closed_day() {
    let mut r = Register::open(Lang::En, 108).await;
    for amount in ["900", "400"] {
        r.type_text(amount);
        r.keys(&[Key::Enter, Key::F(2), Key::F(11)]);
        r.until("paid", paid).await;
        r.keys(&[Key::Enter]);
        if amount == "900" {
            // The first sale's day ends: the second sale is of the next business day.
            r.engine
                .journal()
                .call(|j| j.close_day_with_z_report())
                .await
                .expect("Z report");
        }
    }

    // The customer of the first sale comes back with its receipt (receipt 1 of till 01).
    r.type_text("12");
    r.scan("RGI-01-1");
    r.until("the scanned sale's detail", |app| {
        history_mode(app) == Some(HistoryMode::Detail)
    })
    .await;
    let text = r.screen_text();
    assert!(text.contains("¥900"), "{text}");
    assert!(text.contains("[PAID]"), "{text}");
    r.keys(&[Key::Esc]);
    r.until("the list", |app| {
        history_mode(app) == Some(HistoryMode::List)
    })
    .await;
    let list = r.screen_text();
    assert!(list.contains("¥400") && list.contains("¥900"), "{list}");
    // The earlier day's sale shows its date (MM/DD), today's its time with seconds.
    let day = chrono::Local::now().format("%m/%d").to_string();
    assert!(
        list.lines().any(|l| l.contains("¥900") && l.contains('/')),
        "{list}"
    );
    assert!(
        !list.lines().any(|l| l.contains("¥400") && l.contains(&day)),
        "{list}"
    );

    r.keys(&[Key::Enter, Key::F(7), Key::Enter]);
    r.until("refunded", |app| {
        notice(app) == Some(&NoticeMessage::Refunded)
    })
    .await;
    r.until("the list read again", |app| {
        history_mode(app) == Some(HistoryMode::Detail)
            && matches!(&app.screen, Screen::History(h)
                if h.selected_sale().is_some_and(|s| s.sale.state == SaleState::Refunded))
    })
    .await;
    // The provider refunded the first payment, and only that one.
    let refunded: Vec<f64> = r
        .sandbox
        .state
        .transactions()
        .iter()
        .filter(|t| t.transfers.iter().any(|x| x.kind == "refund-payment"))
        .map(|t| t.transaction.amount.0)
        .collect();
    assert_eq!(refunded, vec![900.0]);

    // Codes this till cannot open say why; the sale on screen stays.
    r.scan("RGI-02-1");
    r.until("another till's receipt", |app| {
        matches!(notice(app), Some(NoticeMessage::ReceiptNotFound(ReceiptLookupError::OtherTerminal { terminal })) if terminal == "02")
    })
    .await;
    r.scan("RGI-01-99");
    r.until("an unknown receipt", |app| {
        notice(app)
            == Some(&NoticeMessage::ReceiptNotFound(
                ReceiptLookupError::Unknown { receipt_no: 99 },
            ))
    })
    .await;
    assert!(r.screen_text().contains("receipt number 99"));
    r.keys(&[Key::Esc, Key::Esc]);
    assert_eq!(r.app().screen, Screen::Sale);
    // The amount typed before the scan is still there.
    assert_eq!(r.app().input, "12");
}
