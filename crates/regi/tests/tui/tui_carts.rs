//! Voiding a whole cart and parking a sale, keyed as a clerk would, through the real runtime,
//! engine and journal: the cart lets go only once the journal has it, and the X report counts
//! the void.

use crate::tui_support::{Till, paid, training_app};
use regi::services::EngineServices;
use regi_config::Lang;
use regi_core::app::Key;
use regi_core::app::screens::Screen;
use regi_core::domain::{TaxRate, Yen};
use regi_engine::{Engine, EngineSettings};
use regi_journal::{SaleFilter, SaleState};
use regi_pokepay::ApiSettings;
use regi_pokepay_emulator::{FaultPlan, RunningSandbox};
use regi_testkit::engine::{fast_settings, gateway, sandbox};

struct Register {
    till: Till<EngineServices>,
    engine: Engine,
    _sandbox: RunningSandbox,
    _dir: tempfile::TempDir,
}

async fn open(lang: Lang, seed: u64) -> Register {
    open_with(training_app(lang), regi_config::Staff::default(), seed).await
}

async fn open_with(app: regi_core::app::App, staff: regi_config::Staff, seed: u64) -> Register {
    let lang = app.lang;
    let sandbox = sandbox(FaultPlan::default(), seed).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (journal, _writer) = regi_testkit::engine::journal(dir.path());
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
    let services = EngineServices::new(engine.clone(), api, lang).with_staff(staff);
    Register {
        till: Till::new(app, services),
        engine,
        _sandbox: sandbox,
        _dir: dir,
    }
}

#[tokio::test]
async fn f7_1_enter_voids_the_cart_journaled_with_its_reason_and_counted_in_the_x_report() {
    let mut r = open(Lang::Ja, 401).await;
    r.till.type_text("500+300+");
    r.till.keys(&[Key::F(7)]);
    r.till
        .until("asked why", |app| app.void_entry.is_some())
        .await;
    let shown = r.till.screen_text();
    assert!(shown.contains("取消理由"), "{shown}");
    r.till.keys(&[Key::Char('1'), Key::Enter]);
    r.till
        .until("the cart voided", |app| app.cart.is_empty())
        .await;
    assert!(r.till.screen_text().contains("会計を取り消しました"));
    let (sales, x) = r
        .engine
        .journal()
        .call(|j| {
            let sales = j.list_sales(SaleFilter::All)?;
            let detail = j.sale(sales[0].id)?;
            Ok((detail, j.x_report()?.expect("a day is open")))
        })
        .await
        .unwrap();
    assert_eq!(sales.sale.state, SaleState::Cancelled);
    assert_eq!(sales.sale.total, Yen(800));
    assert!(
        sales
            .events
            .iter()
            .any(|e| e.kind == "sale_voided" && e.detail["reason"] == "お客様都合")
    );
    assert_eq!((x.voided_sales, x.voided_amount), (1, Yen(800)));
    assert_eq!(x.payments.count, 0, "a void is no sale");
}

#[tokio::test]
async fn a_parked_sale_waits_while_the_next_customer_pays_then_comes_back_as_rung() {
    let mut r = open(Lang::En, 402).await;
    r.till.type_text("700/2");
    r.till.keys(&[Key::F(9)]);
    r.till
        .until("the cart parked", |app| {
            app.cart.is_empty() && app.parked_count == 1
        })
        .await;
    assert!(r.till.screen_text().contains("1 parked"));
    // The next customer pays cash, exact.
    r.till.type_text("300");
    r.till.keys(&[Key::Enter, Key::Char('0'), Key::Enter]);
    r.till.until("paid in cash", paid).await;
    r.till.keys(&[Key::Enter]);
    r.till
        .until("a new sale", |app| app.screen == Screen::Sale)
        .await;
    r.till.keys(&[Key::F(9)]);
    r.till
        .until(
            "the parked list",
            |app| matches!(&app.screen, Screen::Parked(list) if list.carts.is_some()),
        )
        .await;
    assert!(r.till.screen_text().contains("¥700"));
    r.till.keys(&[Key::Enter]);
    r.till
        .until("the parked cart back", |app| {
            app.screen == Screen::Sale && !app.cart.is_empty()
        })
        .await;
    let lines = r.till.app().cart.lines().to_vec();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].unit_price, lines[0].tax_rate),
        (Yen(700), TaxRate::Reduced8)
    );
    assert_eq!(r.till.app().parked_count, 0);
    let waiting = r.engine.journal().call(|j| j.parked_carts()).await.unwrap();
    assert!(waiting.is_empty(), "recalled once, gone from the list");
}

/// A register whose `[[staff]]` has 山田 (clerk, PIN 2468) and 佐藤 (manager, card S0007).
async fn staffed(seed: u64) -> Register {
    let hash = |pin: &str| {
        regi_config::ManagerPinHash::new(
            &regi_config::ManagerPin::try_from(pin.to_string()).unwrap(),
        )
        .unwrap()
        .phc()
        .to_owned()
    };
    let text = format!(
        "[[staff]]\ncode = \"101\"\nname = \"山田\"\npin_hash = \"{}\"\n\n\
         [[staff]]\ncode = \"7\"\nname = \"佐藤\"\nrole = \"manager\"\npin_hash = \"{}\"\ncard = \"S0007\"\n",
        hash("2468"),
        hash("1357")
    );
    let config =
        regi_config::Config::from_toml_str(&text, std::path::Path::new("regi.toml")).unwrap();
    let mut app = training_app(Lang::Ja);
    regi_core::app::screens::sign_in::open(&mut app);
    open_with(app, config.staff, seed).await
}

#[tokio::test]
async fn a_clerk_signs_in_with_code_and_pin_and_the_sale_is_journaled_as_theirs() {
    let mut r = staffed(403).await;
    r.till.type_text("101");
    r.till.keys(&[Key::Enter]);
    r.till.type_text("9999");
    r.till.keys(&[Key::Enter]);
    r.till
        .until("refused", |app| {
            matches!(&app.screen, Screen::SignIn(form) if form.checking.is_none() && form.code.is_empty())
        })
        .await;
    assert!(r.till.app().on_duty.is_none());
    r.till.type_text("101");
    r.till.keys(&[Key::Enter]);
    r.till.type_text("2468");
    r.till.keys(&[Key::Enter]);
    r.till.until("on duty", |app| app.on_duty.is_some()).await;
    assert!(r.till.screen_text().contains("担当 山田"));
    r.till.type_text("500");
    r.till.keys(&[Key::Enter, Key::Char('0'), Key::Enter]);
    r.till.until("paid in cash", paid).await;
    let (staff, tries) = r
        .engine
        .journal()
        .call(|j| {
            let sales = j.list_sales(SaleFilter::All)?;
            Ok((j.sale(sales[0].id)?.sale.staff, j.pin_failures()?))
        })
        .await
        .unwrap();
    assert_eq!(staff.as_deref(), Some("山田"));
    assert_eq!(tries.consecutive, 0, "the right PIN reset the wrong one");
}

#[tokio::test]
async fn a_staff_card_signs_its_holder_in_and_f12_signs_them_out() {
    let mut r = staffed(404).await;
    r.till.scan("S0007");
    r.till.until("on duty", |app| app.on_duty.is_some()).await;
    assert_eq!(r.till.app().on_duty.as_ref().unwrap().name, "佐藤");
    r.till.keys(&[Key::F(12)]);
    r.till
        .until("signed out", |app| matches!(app.screen, Screen::SignIn(_)))
        .await;
    r.till.scan("S9999");
    r.till
        .until("refused", |app| {
            matches!(&app.screen, Screen::SignIn(form) if form.checking.is_none())
                && app.notice.is_some()
        })
        .await;
    assert!(r.till.app().on_duty.is_none());
}
