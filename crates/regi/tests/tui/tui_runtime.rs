//! The real event loop and effect runner, driven by scripted keys on a headless terminal against
//! a scripted set of services. Every wait is on the loop's own messages, never on a timer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::tui_support::{Till, failed, paid, showing_qr, tenders, training_app};
use chrono::{TimeDelta, Utc};
use regi_config::Lang;
use regi_core::app::records::{ReceiptLookupError, StatusReport};
use regi_core::app::screens::Screen;
use regi_core::app::screens::TabView;
use regi_core::app::screens::tabs::TabClosed;
use regi_core::app::screens::tabs::opening::TabOpenedAs;
use regi_core::app::{
    AttemptId, CashTaken, Checkout, CheckoutId, Key, PaymentEvent, PinPurpose, SlipRequest,
};
use regi_core::domain::{Failure, Yen};
use regi_core::payment::CaptureDone;
use regi_core::secret::Secret;
use regi_core::tab::TabCustomer;
use regi_engine::{RefundDone, Route};
use regi_journal::{CashTender, Report, ReportKind, SaleDetail, SaleState};
use regi_payment::{PaidTransaction, QrSession};
use regi_tui::runtime::ports::{
    Diagnostics, PaymentError, Payments, PrintError, Printing, Records, RecordsError, Tabs,
    TabsError, TrainingCustomer, TrainingError,
};
use regi_tui::runtime::{PaymentEvents, PinVerdict};
use tokio::sync::mpsc;

/// What the simulated customer does with a Cashtray.
#[derive(Debug)]
enum TrayAction {
    Pay,
    Fail,
    Cancel,
}

#[derive(Default)]
struct ScriptedServices {
    /// Open trays by token and by attempt.
    by_token: Mutex<HashMap<String, mpsc::UnboundedSender<TrayAction>>>,
    by_attempt: Mutex<HashMap<AttemptId, mpsc::UnboundedSender<TrayAction>>>,
    /// The route of every payment started, in order; shared with the test.
    routes: Arc<Mutex<Vec<Route>>>,
    /// Cash journaled and drawer pulses, in the order they happened; shared with the test.
    till: Arc<Mutex<Vec<String>>>,
}

fn transaction(amount: i64) -> PaidTransaction {
    PaidTransaction {
        transaction_id: format!("tx-{amount}"),
        amount,
        customer_name: Some("Training Customer".into()),
        money_name: None,
        done_at: Utc::now(),
    }
}

fn paid_event(checkout: &Checkout) -> PaymentEvent {
    PaymentEvent::Paid {
        sale_id: i64::try_from(checkout.id.0).unwrap_or(0),
        transaction: transaction(checkout.draft.total.value()),
    }
}

impl Payments for ScriptedServices {
    async fn run_qr(&self, checkout: Checkout, route: Route, events: PaymentEvents) {
        self.routes.lock().unwrap().push(route);
        let (tx, mut rx) = mpsc::unbounded_channel();
        let token = format!("https://example.test/cashtrays/{}", events.attempt().0);
        self.by_token
            .lock()
            .unwrap()
            .insert(token.clone(), tx.clone());
        self.by_attempt.lock().unwrap().insert(events.attempt(), tx);
        events.send(PaymentEvent::QrReady(QrSession {
            id: events.attempt().0.to_string(),
            token,
            expires_at: Utc::now() + TimeDelta::seconds(300),
        }));
        match rx.recv().await {
            Some(TrayAction::Pay) => events.send(paid_event(&checkout)),
            Some(TrayAction::Fail) => events.send(PaymentEvent::Refused(Failure::new(
                regi_core::domain::FailReason::InsufficientBalance,
                "account_balance_not_enough",
                "insufficient balance",
            ))),
            Some(TrayAction::Cancel) | None => events.send(PaymentEvent::Cancelled),
        };
    }

    async fn cancel_qr(&self, attempt: AttemptId) {
        if let Some(tx) = self.by_attempt.lock().unwrap().get(&attempt) {
            let _ = tx.send(TrayAction::Cancel);
        }
    }

    async fn charge_code(
        &self,
        code: String,
        checkout: Checkout,
        route: Route,
        events: PaymentEvents,
    ) {
        self.routes.lock().unwrap().push(route);
        if code.starts_with("0000") {
            // A lost response: first unknown, then the lookup by request id finds it paid.
            events.send(PaymentEvent::Checking);
        }
        events.send(paid_event(&checkout));
    }

    async fn take_cash(
        &self,
        checkout: Checkout,
        received: Yen,
    ) -> Result<CashTaken, PaymentError> {
        let total = checkout.draft.total.value();
        let applied = received.value().min(total);
        self.till.lock().unwrap().push(format!(
            "cash {} change {}",
            received.value(),
            received.value() - applied
        ));
        Ok(CashTaken {
            sale_id: i64::try_from(checkout.id.0).unwrap_or(0),
            tender: CashTender {
                attempt_id: 1,
                applied: Yen(applied),
                received,
                change: Yen(received.value() - applied),
                remaining: Yen(total - applied),
                sale_state: if applied == total {
                    SaleState::Paid
                } else {
                    SaleState::PartlyPaid
                },
            },
        })
    }

    fn adopt_sale(&self, _checkout: CheckoutId, _sale_id: i64) {}

    async fn refund(
        &self,
        _sale_id: i64,
        _amount: Option<Yen>,
    ) -> Result<RefundDone, PaymentError> {
        Ok(RefundDone::Refunded {
            refund_transaction_id: "r-1".into(),
        })
    }

    async fn capture(
        &self,
        _sale_id: i64,
        amount: Option<Yen>,
    ) -> Result<CaptureDone, PaymentError> {
        Ok(CaptureDone::Captured {
            amount: amount.map_or(1_000, Yen::value),
            released: 0,
        })
    }
}

/// The scripted till voids and parks nothing: the carts' own runtime tests use the journal.
impl regi_tui::runtime::ports::Carts for ScriptedServices {
    async fn void_cart(
        &self,
        _draft: regi_core::domain::SaleDraft,
        _reason: String,
    ) -> Result<i64, String> {
        Err("not scripted".into())
    }
    async fn park_cart(&self, _cart: regi_core::records::CartToPark) -> Result<i64, String> {
        Err("not scripted".into())
    }
    async fn parked_carts(&self) -> Result<Vec<regi_core::records::ParkedCart>, String> {
        Ok(Vec::new())
    }
    async fn recall_cart(&self, _id: i64) -> Result<regi_core::records::ParkedCart, String> {
        Err("not scripted".into())
    }
}

/// Nobody signs in at the scripted till: the staff's runtime tests use the journal.
impl regi_tui::runtime::ports::StaffDesk for ScriptedServices {
    async fn sign_in(
        &self,
        _code: String,
        _pin: Secret<String>,
    ) -> regi_tui::runtime::ports::SignInVerdict {
        (
            Err(regi_core::app::screens::sign_in::SignInRefused::WrongCodeOrPin),
            Utc::now(),
        )
    }
    async fn sign_in_by_card(&self, _card: String) -> regi_tui::runtime::ports::SignInVerdict {
        (
            Err(regi_core::app::screens::sign_in::SignInRefused::UnknownCard),
            Utc::now(),
        )
    }
    async fn sign_out(&self) -> Result<(), String> {
        Ok(())
    }
}

impl Tabs for ScriptedServices {
    async fn tabs(&self) -> Result<Vec<TabView>, TabsError> {
        Ok(Vec::new())
    }

    async fn tab_customer(&self, _code: String) -> Result<TabCustomer, TabsError> {
        Err(TabsError::Provider("no tabs in this script".into()))
    }

    async fn open_tab(
        &self,
        _customer: TabCustomer,
        _card_id: String,
        _label: String,
        _days: u32,
    ) -> Result<TabOpenedAs, TabsError> {
        Ok(TabOpenedAs::Unknown)
    }

    async fn close_tab(&self, _tab_id: i64) -> Result<TabClosed, TabsError> {
        Ok(TabClosed::Unknown)
    }

    async fn charge_tab(
        &self,
        checkout: Checkout,
        _tab_id: i64,
        _part: Option<Yen>,
        events: PaymentEvents,
    ) {
        events.send(paid_event(&checkout));
    }
}

impl Records for ScriptedServices {
    async fn verify_pin(&self, entered: Secret<String>, _purpose: PinPurpose) -> PinVerdict {
        PinVerdict {
            correct: entered.expose() == "1234",
            at: Utc::now(),
        }
    }

    async fn history(&self, _also: Option<i64>) -> Result<Vec<SaleDetail>, RecordsError> {
        Err(RecordsError::Journal("unavailable".into()))
    }

    async fn find_receipt(&self, _code: String) -> Result<i64, ReceiptLookupError> {
        Err(ReceiptLookupError::Failed("journal unavailable".into()))
    }

    async fn report(&self, _kind: ReportKind) -> Result<Option<Box<Report>>, RecordsError> {
        Ok(None)
    }
}

impl Diagnostics for ScriptedServices {
    async fn status(&self) -> StatusReport {
        StatusReport::default()
    }
}

impl Printing for ScriptedServices {
    async fn print(&self, _sale_id: i64, _slip: SlipRequest) -> Result<Option<String>, PrintError> {
        Ok(None)
    }

    async fn print_tab_statement(&self, _tab_id: i64) -> Result<Option<String>, PrintError> {
        Ok(None)
    }

    async fn open_drawer(&self) -> Result<bool, PrintError> {
        self.till.lock().unwrap().push("drawer".into());
        Err(PrintError::Failed("printer offline".into()))
    }
}

impl TrainingCustomer for ScriptedServices {
    async fn training_pay_qr(&self, token: String) -> Result<(), TrainingError> {
        self.act(&token, TrayAction::Pay)
    }

    async fn training_fail_qr(&self, token: String) -> Result<(), TrainingError> {
        self.act(&token, TrayAction::Fail)
    }

    async fn training_present_code(&self) -> Result<String, TrainingError> {
        Ok("1234567890123456789012".into())
    }

    async fn training_present_tab_code(&self) -> Result<String, TrainingError> {
        Ok("1234567890123456789012".into())
    }
}

impl ScriptedServices {
    fn act(&self, token: &str, action: TrayAction) -> Result<(), TrainingError> {
        let trays = self.by_token.lock().unwrap();
        let tray = trays.get(token).ok_or(TrainingError::UnknownQr)?;
        tray.send(action)
            .map_err(|_| TrainingError::Refused("tray closed".into()))
    }
}

fn session(lang: Lang) -> Till<ScriptedServices> {
    Till::new(training_app(lang), ScriptedServices::default())
}

#[tokio::test]
async fn qr_checkout_paid_by_the_training_customer() {
    let mut s = session(Lang::En);
    s.type_text("1200");
    s.keys(&[Key::Enter, Key::F(1)]);
    s.until("QR on screen", showing_qr).await;
    s.keys(&[Key::F(9)]);
    s.until("paid", paid).await;
    let text = s.screen_text();
    assert!(text.contains("[PAID]"), "{text}");
    assert!(text.contains("1,200"));
    s.keys(&[Key::Enter]);
    assert_eq!(s.event_loop.app().screen, Screen::Sale);
    assert!(s.event_loop.app().cart.is_empty());
}

#[tokio::test]
async fn qr_refused_then_cancelled_second_code() {
    let mut s = session(Lang::Ja);
    s.type_text("500");
    s.keys(&[Key::Enter, Key::F(1)]);
    s.until("QR on screen", showing_qr).await;
    s.keys(&[Key::F(10)]);
    s.until("failed", failed).await;
    assert!(s.screen_text().contains("【失敗】"));
    // New QR from the failure screen, then the clerk cancels it.
    s.keys(&[Key::F(1)]);
    s.until("second QR", showing_qr).await;
    s.keys(&[Key::Esc]);
    s.until("back to the choice", |app| app.screen == Screen::PayMethod)
        .await;
    assert_eq!(s.event_loop.app().cart.total(), Ok(Yen(500)));
}

#[tokio::test]
async fn customer_code_flows_including_an_unknown_outcome() {
    let mut s = session(Lang::En);
    s.type_text("800");
    s.keys(&[Key::Enter, Key::F(2), Key::F(11)]);
    s.until("paid by code", paid).await;

    s.keys(&[Key::Enter]);
    s.type_text("300");
    s.keys(&[Key::Enter, Key::F(2)]);
    s.type_text("0000567890123456789012");
    s.keys(&[Key::Enter]);
    s.until("paid after checking", paid).await;
}

#[tokio::test]
async fn the_chosen_way_to_pay_reaches_the_payments_port_as_its_route() {
    let routes = Arc::new(Mutex::new(Vec::new()));
    let services = ScriptedServices {
        routes: routes.clone(),
        ..ScriptedServices::default()
    };
    let mut app = training_app(Lang::En);
    app.tenders = tenders();
    let mut s = Till::new(app, services);
    s.type_text("1200");
    s.keys(&[Key::Enter, Key::Char('4')]);
    s.until("QR on screen", showing_qr).await;
    assert!(s.screen_text().contains("PayPay"), "{}", s.screen_text());
    s.keys(&[Key::F(9)]);
    s.until("paid", paid).await;
    s.keys(&[Key::Enter]);

    s.type_text("800");
    s.keys(&[Key::Enter, Key::Char('2'), Key::F(11)]);
    s.until("paid by code", paid).await;
    let route = |provider: &str, wallet: Option<&str>| Route {
        provider: Some(provider.into()),
        wallet: wallet.map(str::to_string),
        hold: false,
        part: None,
    };
    assert_eq!(
        *routes.lock().unwrap(),
        [route("elepay", Some("paypay")), route("pokepay", None)]
    );
}

#[tokio::test]
async fn a_failing_background_task_becomes_a_notice() {
    let mut s = session(Lang::En);
    s.keys(&[Key::F(4)]);
    s.until("error notice", |app| app.notice.is_some()).await;
    assert!(s.screen_text().contains("journal: unavailable"));
}

/// The drawer as a journal holding a ¥10,000 float would answer.
impl regi_tui::runtime::ports::Drawer for ScriptedServices {
    async fn cash(&self) -> Result<Option<regi_core::records::CashSummary>, String> {
        Ok(Some(regi_core::records::CashSummary {
            float: Yen(10_000),
            expected: Yen(10_000),
            ..Default::default()
        }))
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
        use regi_core::app::screens::drawer::DrawerRequest;
        let (amount, reason) = match &request {
            DrawerRequest::PaidIn { amount, reason } => (*amount, reason.clone()),
            DrawerRequest::Count(count) => (count.total(), String::new()),
            other => {
                return Err(regi_core::app::screens::drawer::DrawerProblem::Failed(
                    format!("not scripted: {other:?}"),
                ));
            }
        };
        let count = match &request {
            DrawerRequest::Count(count) => Some(*count),
            _ => None,
        };
        let movement = regi_core::records::DrawerMovement {
            id: 2,
            business_day_id: 1,
            kind: request.kind(),
            amount,
            reason,
            expected: count.map(|_| Yen(10_000)),
            count,
            created_at: "2026-11-20T01:00:00.000Z".into(),
        };
        let cash = regi_core::records::CashSummary {
            float: Yen(10_000),
            paid_in: amount,
            expected: Yen(10_000 + amount.value()),
            ..Default::default()
        };
        Ok((movement, cash))
    }

    /// As in training: the slip comes back as text to show.
    async fn print_count(
        &self,
        count: regi_core::records::DrawerMovement,
    ) -> Result<Option<String>, PrintError> {
        Ok(Some(format!("CASH COUNT {}", count.amount)))
    }
}

#[tokio::test]
async fn a_paid_in_from_the_reports_menu_is_journaled_and_its_cash_shown() {
    let mut app = training_app(Lang::En);
    app.pin_required = false;
    let mut s = Till::new(app, ScriptedServices::default());
    s.keys(&[Key::F(5), Key::Char('d')]);
    s.until(
        "the day's cash read",
        |app| matches!(&app.screen, Screen::Drawer(d) if d.cash.is_some()),
    )
    .await;
    s.keys(&[Key::Char('2')]);
    s.type_text("500");
    s.keys(&[Key::Tab]);
    s.type_text("coins");
    s.keys(&[Key::Enter]);
    s.until("journaled", |app| {
        matches!(&app.screen, Screen::Drawer(d)
            if matches!(d.step, regi_core::app::screens::drawer::DrawerStep::Done(_)))
    })
    .await;
    let text = s.screen_text();
    assert!(
        text.contains("Paid in ¥500") && text.contains("¥10,500"),
        "{text}"
    );
}

#[tokio::test]
async fn a_count_is_journaled_after_the_pin_and_its_slip_shown_in_training_then_its_result() {
    let mut app = training_app(Lang::En);
    app.pin_required = true;
    let mut s = Till::new(app, ScriptedServices::default());
    s.keys(&[Key::F(5), Key::Char('d')]);
    s.until(
        "the day's cash read",
        |app| matches!(&app.screen, Screen::Drawer(d) if d.cash.is_some()),
    )
    .await;
    // ¥10,000 × 1 and ¥10 × 1: ¥10 over.
    s.keys(&[Key::Char('4'), Key::Char('1')]);
    for _ in 0..7 {
        s.keys(&[Key::Down]);
    }
    s.keys(&[Key::Char('1'), Key::Enter]);
    s.type_text("1234");
    s.keys(&[Key::Enter]);
    s.until("the slip shown", |app| {
        matches!(app.screen, Screen::Preview(_))
    })
    .await;
    assert!(
        s.screen_text().contains("CASH COUNT ¥10,010"),
        "{}",
        s.screen_text()
    );
    s.keys(&[Key::Esc]);
    s.until("the count's result", |app| {
        matches!(&app.screen, Screen::Drawer(d)
            if matches!(d.step, regi_core::app::screens::drawer::DrawerStep::Done(_)))
    })
    .await;
    let text = s.screen_text();
    assert!(text.contains("+¥10"), "{text}");
}

#[tokio::test]
async fn cash_is_journaled_before_the_drawer_opens_and_a_drawer_that_fails_is_told_not_blocking() {
    let till = Arc::new(Mutex::new(Vec::new()));
    let services = ScriptedServices {
        till: till.clone(),
        ..ScriptedServices::default()
    };
    let mut s = Till::new(training_app(Lang::Ja), services);
    s.type_text("1234");
    s.keys(&[Key::Enter, Key::Char('0')]);
    s.type_text("2000");
    s.keys(&[Key::Enter]);
    s.until("paid in cash", paid).await;
    s.until("the drawer answered", |app| app.notice.is_some())
        .await;
    assert_eq!(*till.lock().unwrap(), ["cash 2000 change 766", "drawer"]);
    let text = s.screen_text();
    assert!(text.contains("お釣り ¥766"), "{text}");
    assert!(text.contains("お預かり ¥2,000"), "{text}");
    assert!(text.contains("ドロワーが開きません"), "{text}");
}
