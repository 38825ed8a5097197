//! Cash and sales paid by several tenders, keyed as a clerk would, through the real runtime,
//! engine and journal against the sandbox. The drawer is the one piece scripted: it notes what
//! the journal held when it was opened, so the order "journaled, then the drawer" is checked.

use std::sync::{Arc, Mutex};

use crate::tui_support::{Till, paid, showing_qr, training_app};
use regi::services::{EngineServices, TrainingCustomers};
use regi_config::Lang;
use regi_core::app::records::{ReceiptLookupError, StatusReport};
use regi_core::app::screens::tabs::TabClosed;
use regi_core::app::screens::tabs::opening::TabOpenedAs;
use regi_core::app::screens::{OutcomeKind, Screen, TabView};
use regi_core::app::{
    App, AttemptId, CashTaken, Checkout, CheckoutId, Key, PinPurpose, SlipRequest,
};
use regi_core::domain::{PaymentMethod, Yen};
use regi_core::payment::CaptureDone;
use regi_core::secret::Secret;
use regi_core::tab::TabCustomer;
use regi_engine::{Engine, EngineSettings, RefundDone, Route};
use regi_journal::{CashTendered, Report, ReportKind, SaleDetail, SaleFilter, SaleState};
use regi_pokepay::ApiSettings;
use regi_pokepay_emulator::{FaultPlan, RunningSandbox};
use regi_testkit::engine::{fast_settings, gateway, sandbox};
use regi_tui::runtime::ports::{
    Diagnostics, PaymentError, Payments, PrintError, Printing, Records, RecordsError, Tabs,
    TabsError, TrainingCustomer, TrainingError,
};
use regi_tui::runtime::{PaymentEvents, PinVerdict};

/// The till's services with the drawer scripted: each pulse records the cash tenders the
/// journal held at that moment.
struct WatchedDrawer {
    inner: EngineServices,
    engine: Engine,
    pulses: Arc<Mutex<Vec<Vec<CashTendered>>>>,
}

impl Payments for WatchedDrawer {
    async fn run_qr(&self, checkout: Checkout, route: Route, events: PaymentEvents) {
        self.inner.run_qr(checkout, route, events).await;
    }
    async fn cancel_qr(&self, attempt: AttemptId) {
        self.inner.cancel_qr(attempt).await;
    }
    async fn charge_code(
        &self,
        code: String,
        checkout: Checkout,
        route: Route,
        events: PaymentEvents,
    ) {
        self.inner.charge_code(code, checkout, route, events).await;
    }
    async fn take_cash(
        &self,
        checkout: Checkout,
        received: Yen,
    ) -> Result<CashTaken, PaymentError> {
        self.inner.take_cash(checkout, received).await
    }
    fn adopt_sale(&self, checkout: CheckoutId, sale_id: i64) {
        self.inner.adopt_sale(checkout, sale_id);
    }
    async fn refund(&self, sale_id: i64, amount: Option<Yen>) -> Result<RefundDone, PaymentError> {
        self.inner.refund(sale_id, amount).await
    }
    async fn capture(
        &self,
        sale_id: i64,
        amount: Option<Yen>,
    ) -> Result<CaptureDone, PaymentError> {
        self.inner.capture(sale_id, amount).await
    }
}

impl Printing for WatchedDrawer {
    async fn print(&self, sale_id: i64, slip: SlipRequest) -> Result<Option<String>, PrintError> {
        self.inner.print(sale_id, slip).await
    }
    async fn open_drawer(&self) -> Result<bool, PrintError> {
        let cash = cash_in_journal(&self.engine).await;
        self.pulses.lock().unwrap().push(cash);
        Ok(true)
    }
    async fn print_tab_statement(&self, tab_id: i64) -> Result<Option<String>, PrintError> {
        self.inner.print_tab_statement(tab_id).await
    }
}

impl Records for WatchedDrawer {
    async fn verify_pin(&self, entered: Secret<String>, purpose: PinPurpose) -> PinVerdict {
        self.inner.verify_pin(entered, purpose).await
    }
    async fn history(&self, also: Option<i64>) -> Result<Vec<SaleDetail>, RecordsError> {
        self.inner.history(also).await
    }
    async fn find_receipt(&self, code: String) -> Result<i64, ReceiptLookupError> {
        self.inner.find_receipt(code).await
    }
    async fn report(&self, kind: ReportKind) -> Result<Option<Box<Report>>, RecordsError> {
        self.inner.report(kind).await
    }
}

impl Diagnostics for WatchedDrawer {
    async fn status(&self) -> StatusReport {
        self.inner.status().await
    }
}

impl TrainingCustomer for WatchedDrawer {
    async fn training_pay_qr(&self, token: String) -> Result<(), TrainingError> {
        self.inner.training_pay_qr(token).await
    }
    async fn training_fail_qr(&self, token: String) -> Result<(), TrainingError> {
        self.inner.training_fail_qr(token).await
    }
    async fn training_present_code(&self) -> Result<String, TrainingError> {
        self.inner.training_present_code().await
    }
    async fn training_present_tab_code(&self) -> Result<String, TrainingError> {
        self.inner.training_present_tab_code().await
    }
}

impl regi_tui::runtime::ports::Drawer for WatchedDrawer {
    async fn cash(&self) -> Result<Option<regi_core::records::CashSummary>, String> {
        self.inner.cash().await
    }
    async fn move_cash(
        &self,
        request: regi_core::app::screens::drawer::DrawerRequest,
    ) -> Result<
        (
            regi_core::records::DrawerMovement,
            regi_core::records::CashSummary,
        ),
        regi_core::app::screens::drawer::DrawerProblem,
    > {
        self.inner.move_cash(request).await
    }
    async fn print_count(
        &self,
        count: regi_core::records::DrawerMovement,
    ) -> Result<Option<String>, PrintError> {
        self.inner.print_count(count).await
    }
}

impl regi_tui::runtime::ports::Carts for WatchedDrawer {
    async fn void_cart(
        &self,
        draft: regi_core::domain::SaleDraft,
        reason: String,
    ) -> Result<i64, String> {
        self.inner.void_cart(draft, reason).await
    }
    async fn park_cart(&self, cart: regi_core::records::CartToPark) -> Result<i64, String> {
        self.inner.park_cart(cart).await
    }
    async fn parked_carts(&self) -> Result<Vec<regi_core::records::ParkedCart>, String> {
        self.inner.parked_carts().await
    }
    async fn recall_cart(&self, id: i64) -> Result<regi_core::records::ParkedCart, String> {
        self.inner.recall_cart(id).await
    }
}

impl regi_tui::runtime::ports::StaffDesk for WatchedDrawer {
    async fn sign_in(
        &self,
        code: String,
        pin: Secret<String>,
    ) -> regi_tui::runtime::ports::SignInVerdict {
        self.inner.sign_in(code, pin).await
    }
    async fn sign_in_by_card(&self, card: String) -> regi_tui::runtime::ports::SignInVerdict {
        self.inner.sign_in_by_card(card).await
    }
    async fn sign_out(&self) -> Result<(), String> {
        self.inner.sign_out().await
    }
}

impl Tabs for WatchedDrawer {
    async fn tabs(&self) -> Result<Vec<TabView>, TabsError> {
        self.inner.tabs().await
    }
    async fn tab_customer(&self, code: String) -> Result<TabCustomer, TabsError> {
        self.inner.tab_customer(code).await
    }
    async fn open_tab(
        &self,
        customer: TabCustomer,
        card_id: String,
        label: String,
        days: u32,
    ) -> Result<TabOpenedAs, TabsError> {
        self.inner.open_tab(customer, card_id, label, days).await
    }
    async fn close_tab(&self, tab_id: i64) -> Result<TabClosed, TabsError> {
        self.inner.close_tab(tab_id).await
    }
    async fn charge_tab(
        &self,
        checkout: Checkout,
        tab_id: i64,
        part: Option<Yen>,
        events: PaymentEvents,
    ) {
        self.inner.charge_tab(checkout, tab_id, part, events).await;
    }
}

/// Every paid cash tender the journal holds, oldest first.
async fn cash_in_journal(engine: &Engine) -> Vec<CashTendered> {
    sales(engine)
        .await
        .into_iter()
        .flat_map(|sale| sale.attempts)
        .filter_map(|attempt| attempt.cash)
        .collect()
}

async fn sales(engine: &Engine) -> Vec<SaleDetail> {
    engine
        .journal()
        .call(|j| {
            j.list_sales(SaleFilter::All)?
                .into_iter()
                .map(|s| j.sale(s.id))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .expect("journal")
}

struct CashRegister {
    till: Till<WatchedDrawer>,
    engine: Engine,
    sandbox: RunningSandbox,
    pulses: Arc<Mutex<Vec<Vec<CashTendered>>>>,
    _dir: tempfile::TempDir,
}

async fn open(lang: Lang, seed: u64) -> CashRegister {
    let app: App = training_app(lang);
    let sandbox = sandbox(FaultPlan::default(), seed).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (journal, _writer) = regi_testkit::engine::journal(dir.path());
    let settings = EngineSettings {
        training: true,
        ..fast_settings()
    };
    let engine = Engine::new(gateway(&sandbox), journal, settings);
    till_over(app, engine, sandbox, dir)
}

/// A till for `app` over `engine`, as a start of regi builds it.
fn till_over(
    app: App,
    engine: Engine,
    sandbox: RunningSandbox,
    dir: tempfile::TempDir,
) -> CashRegister {
    let lang = app.lang;
    let api = ApiSettings::new(
        &sandbox.base_url,
        &sandbox.client_id,
        sandbox.client_secret.clone(),
    );
    let inner = EngineServices::new(engine.clone(), api, lang)
        .with_training_customers(TrainingCustomers::default().with(sandbox.state.clone()));
    let pulses = Arc::new(Mutex::new(Vec::new()));
    let services = WatchedDrawer {
        inner,
        engine: engine.clone(),
        pulses: pulses.clone(),
    };
    CashRegister {
        till: Till::new(app, services),
        engine,
        sandbox,
        pulses,
        _dir: dir,
    }
}

#[tokio::test]
async fn cash_2000_on_1234_gives_766_change_journaled_before_the_drawer_opens() {
    let mut r = open(Lang::Ja, 301).await;
    r.till.type_text("1234");
    r.till.keys(&[Key::Enter, Key::Char('0')]);
    r.till.type_text("2000");
    r.till.keys(&[Key::Enter]);
    r.till.until("paid in cash", paid).await;
    r.till
        .until("the drawer opened", |_| {
            !r.pulses.lock().unwrap().is_empty()
        })
        .await;
    let taken = CashTendered {
        received: Yen(2_000),
        change: Yen(766),
    };
    assert_eq!(
        *r.pulses.lock().unwrap(),
        [vec![taken]],
        "the drawer opened once, with the cash already in the journal"
    );
    let text = r.till.screen_text();
    assert!(text.contains("お釣り ¥766"), "{text}");
    assert!(text.contains("お預かり ¥2,000"), "{text}");
    let sales = sales(&r.engine).await;
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].sale.state, SaleState::Paid);
    assert!(r.sandbox.state.transactions().is_empty(), "no wallet moved");
}

#[tokio::test]
async fn cash_1000_then_a_qr_for_the_rest_pays_the_same_sale() {
    let mut r = open(Lang::En, 302).await;
    r.till.type_text("3000");
    r.till.keys(&[Key::Enter, Key::Char('0')]);
    r.till.keys(&[Key::F(1)]);
    r.till
        .until("back for the rest", |app| {
            app.screen == Screen::PayMethod && !app.split.paid.is_empty()
        })
        .await;
    let text = r.till.screen_text();
    assert!(text.contains("Left to pay ¥2,000"), "{text}");
    assert!(text.contains("Cash ¥1,000"), "{text}");
    r.till.keys(&[Key::Char('1')]);
    r.till.until("the QR for the rest", showing_qr).await;
    assert!(r.till.screen_text().contains("¥2,000"));
    r.till.keys(&[Key::F(9)]);
    r.till.until("paid", paid).await;
    let Screen::Outcome(outcome) = &r.till.app().screen else {
        panic!("not the result")
    };
    assert!(matches!(outcome.kind, OutcomeKind::Paid { .. }));
    let tenders: Vec<_> = outcome
        .tenders
        .iter()
        .map(|t| (t.method, t.amount))
        .collect();
    assert_eq!(
        tenders,
        [
            (PaymentMethod::Cash, Yen(1_000)),
            (PaymentMethod::MerchantQr, Yen(2_000))
        ]
    );
    let sales = sales(&r.engine).await;
    assert_eq!(sales.len(), 1, "both tenders pay one sale");
    assert_eq!(sales[0].sale.state, SaleState::Paid);
    let paid: Vec<_> = sales[0]
        .attempts
        .iter()
        .filter(|a| matches!(a.state, regi_core::domain::AttemptState::Paid { .. }))
        .map(|a| (a.method, a.amount.value().abs()))
        .collect();
    assert_eq!(
        paid,
        [
            (PaymentMethod::Cash, 1_000),
            (PaymentMethod::MerchantQr, 2_000)
        ]
    );
    let ledger = r.sandbox.state.transactions();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        ledger[0].transaction.amount.as_yen().map(i64::abs),
        Some(2_000)
    );
    r.till
        .until("the drawer opened", |_| {
            !r.pulses.lock().unwrap().is_empty()
        })
        .await;
    assert_eq!(
        *r.pulses.lock().unwrap(),
        [vec![CashTendered {
            received: Yen(1_000),
            change: Yen::ZERO
        }]],
        "the drawer opened once, for the cash"
    );
}

#[tokio::test]
async fn a_register_stopped_between_tenders_takes_the_sale_up_at_the_next_start_and_pays_the_rest()
{
    let mut r = open(Lang::En, 303).await;
    r.till.type_text("3000");
    r.till.keys(&[Key::Enter, Key::Char('0'), Key::F(1)]);
    r.till
        .until("the cash taken", |app| !app.split.paid.is_empty())
        .await;
    // The register stops here; the next start reads the journal as regi does.
    let CashRegister {
        engine,
        sandbox,
        _dir: dir,
        ..
    } = r;
    let app = App::new(
        regi_core::app::AppOptions {
            lang: Lang::En,
            training: true,
            customer_codes: vec![regi_pokepay::CUSTOMER_CODE],
            startup: regi_core::app::records::Startup {
                partly_paid: regi::commands::till::left_partly_paid(&engine)
                    .await
                    .expect("journal"),
                ..Default::default()
            },
            ..regi_core::app::AppOptions::default()
        },
        chrono::Utc::now(),
    );
    let mut r = till_over(app, engine, sandbox, dir);
    r.till.until("drawn", |_| true).await;
    let text = r.till.screen_text();
    assert!(text.contains("left partly paid"), "{text}");
    assert!(text.contains("Left to pay ¥2,000"), "{text}");
    r.till.keys(&[Key::Char('1')]);
    r.till.until("the QR for the rest", showing_qr).await;
    r.till.keys(&[Key::F(9)]);
    r.till.until("paid", paid).await;
    let sales = sales(&r.engine).await;
    assert_eq!(sales.len(), 1, "the rest paid the same sale");
    assert_eq!(sales[0].sale.state, SaleState::Paid);
    assert_eq!(r.sandbox.state.transactions().len(), 1);
}

#[tokio::test]
async fn a_qr_refused_after_cash_keeps_the_cash_and_cash_pays_the_rest() {
    let mut r = open(Lang::En, 304).await;
    r.till.type_text("3000");
    r.till.keys(&[Key::Enter, Key::Char('0'), Key::F(1)]);
    r.till
        .until("the cash taken", |app| !app.split.paid.is_empty())
        .await;
    r.till.keys(&[Key::Char('1')]);
    r.till.until("the QR for the rest", showing_qr).await;
    r.till.keys(&[Key::F(10)]);
    r.till.until("refused", crate::tui_support::failed).await;
    assert!(
        r.till.screen_text().contains("Pay the rest another way"),
        "{}",
        r.till.screen_text()
    );
    r.till.keys(&[Key::Esc, Key::Char('0'), Key::Enter]);
    r.till.until("paid", paid).await;
    let sales = sales(&r.engine).await;
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].sale.state, SaleState::Paid);
    let cash: Vec<_> = sales[0].attempts.iter().filter_map(|a| a.cash).collect();
    assert_eq!(
        cash.iter().map(|c| c.applied()).collect::<Vec<_>>(),
        [Yen(1_000), Yen(2_000)]
    );
    assert!(
        r.sandbox.state.transactions().is_empty(),
        "nothing was charged"
    );
    // The drawer opens for each cash tender, once it is on record.
    r.till
        .until("the drawer opened again", |_| {
            r.pulses.lock().unwrap().len() == 2
        })
        .await;
}

#[tokio::test]
async fn leaving_a_partly_paid_sale_gives_the_cash_back_from_the_drawer() {
    let mut r = open(Lang::Ja, 305).await;
    r.till.type_text("3000");
    r.till.keys(&[Key::Enter, Key::Char('0'), Key::F(1)]);
    r.till
        .until("the cash taken", |app| !app.split.paid.is_empty())
        .await;
    r.till.keys(&[Key::Esc]);
    assert!(r.till.app().split.leaving.is_some(), "Esc asks");
    r.till.keys(&[Key::F(7)]);
    r.till
        .until("given back", |app| app.screen == Screen::Sale)
        .await;
    r.till
        .until("the drawer opened again", |_| {
            r.pulses.lock().unwrap().len() == 2
        })
        .await;
    let sales = sales(&r.engine).await;
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].sale.refunded, Yen(1_000), "the cash came back");
    assert!(
        regi::commands::till::left_partly_paid(&r.engine)
            .await
            .expect("journal")
            .is_empty(),
        "nothing is left to take up at the next start"
    );
}
