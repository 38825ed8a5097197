//! A receipt of another till returned at this one through the real runtime: till 01's sale is
//! shipped to a real PostgreSQL, its receipt scanned at till 02 opens the sale from the store's
//! records, F7 gives it back from till 02's drawer, and a second try is refused.

use regi::services::{EngineServices, OtherTills};
use regi_config::{Config, Lang};
use regi_core::app::screens::{HistoryMode, Screen};
use regi_core::app::{App, Key, NoticeMessage, ReceiptLookupError};
use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};
use regi_engine::{Engine, EngineSettings};
use regi_journal::{Journal, SaleMeta, SaleState};
use regi_pokepay::ApiSettings;
use regi_pokepay_emulator::FaultPlan;
use regi_store::{Shipper, StoreTarget};
use regi_testkit::engine::{fast_settings, gateway, journal, sandbox};
use regi_testkit::postgres::{PgCluster, SUPERUSER};

use crate::tui_support::{Till, training_app};

const DATABASE: &str = "regi_store";
const STORE: &str = "shop-1";

/// The store database migrated, with tills 01 and 02 registered; how each logs in.
async fn store(cluster: &PgCluster) -> [StoreTarget; 2] {
    cluster.create_database(DATABASE);
    let owner = cluster.write_secret("owner.pw", cluster.superuser_password());
    let admin = StoreTarget::new(&cluster.url(SUPERUSER, DATABASE), Some(&owner), None)
        .unwrap()
        .pool(1)
        .unwrap();
    let mut client = admin.get().await.unwrap();
    regi_store::migrate(&mut client).await.unwrap();
    ["01", "02"].map(|id| {
        cluster.psql(
            DATABASE,
            &format!(
                "CREATE ROLE till_{id} LOGIN PASSWORD 'pw-{id}'; \
                 SELECT regi.add_terminal('{id}', '{STORE}', 'till_{id}')"
            ),
        );
        let secret = cluster.write_secret(&format!("till_{id}.pw"), &format!("pw-{id}"));
        StoreTarget::new(
            &cluster.url(&format!("till_{id}"), DATABASE),
            Some(&secret),
            None,
        )
        .unwrap()
    })
}

fn notice(app: &App) -> Option<&NoticeMessage> {
    app.notice.as_ref().map(|n| &n.message)
}

fn history_mode(app: &App) -> Option<HistoryMode> {
    match &app.screen {
        Screen::History(h) if h.sales.is_some() => Some(h.mode.clone()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_of_another_till_opens_from_the_store_and_is_refunded_here_once() {
    let cluster = PgCluster::start();
    let [one_target, _] = store(&cluster).await;

    // Till 01 sells ¥900 in cash and ships it.
    let one = tempfile::tempdir().unwrap();
    let one_journal = one.path().join("journal.sqlite");
    {
        let mut journal = Journal::open(&one_journal).unwrap();
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(900), TaxRate::Standard10, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap()
            .sale_id;
        journal.record_cash_tender(sale, Yen(1_000)).unwrap();
    }
    Shipper::new(&one_journal, &one_target, "01", STORE)
        .unwrap()
        .catch_up()
        .await
        .unwrap();

    // Till 02 runs the clerk's screen in store mode.
    let two = tempfile::tempdir().unwrap();
    let config = Config::from_toml_str(
        &format!(
            "[terminal]\nid = \"02\"\n[store]\nname = \"店\"\ndatabase_url = \"{}\"\n\
             store_id = \"{STORE}\"\npassword_file = \"{}\"\n",
            cluster.url("till_02", DATABASE),
            cluster
                .write_secret("till_02-at-the-till.pw", "pw-02")
                .display()
        ),
        &two.path().join("regi.toml"),
    )
    .unwrap();
    let sandbox = sandbox(FaultPlan::default(), 301).await;
    let (handle, _writer) = journal(two.path());
    let settings = EngineSettings {
        training: false,
        ..fast_settings()
    };
    let engine = Engine::new(gateway(&sandbox), handle, settings);
    let api = ApiSettings::new(
        &sandbox.base_url,
        &sandbox.client_id,
        sandbox.client_secret.clone(),
    );
    let other_tills = OtherTills::for_config(&config, false).expect("store mode");
    let services = EngineServices::new(engine.clone(), api, Lang::En)
        .with_printing(config)
        .with_other_tills(other_tills);
    let mut till = Till::new(training_app(Lang::En), services);

    till.scan("RGI-01-1");
    till.until("till 01's sale from the store", |app| {
        history_mode(app) == Some(HistoryMode::Detail)
    })
    .await;
    let text = till.screen_text();
    assert!(text.contains("Sold at till 01"), "{text}");
    assert!(text.contains("¥900"), "{text}");

    // F7: the amount (Enter: all of it), then the confirmation.
    till.keys(&[Key::F(7), Key::Enter, Key::Enter]);
    till.until("refunded", |app| {
        notice(app) == Some(&NoticeMessage::Refunded)
    })
    .await;
    let x = engine
        .journal()
        .call(|j| j.x_report())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((x.payments.count, x.refunds.amount), (0, Yen(900)));
    assert_eq!(
        x.cash.refunds,
        Yen(900),
        "the cash went back from this drawer"
    );

    // Scanned again, the sale opens as the refunded copy: nothing is left to give back.
    till.keys(&[Key::Esc, Key::Esc, Key::Esc]);
    till.scan("RGI-01-1");
    till.until("the copy again", |app| {
        matches!(&app.screen, Screen::History(h)
            if h.selected_sale().is_some_and(|s| s.sale.state == SaleState::Refunded))
    })
    .await;

    // A receipt the store has not heard of says so.
    till.scan("RGI-01-7");
    till.until("not in the store", |app| {
        notice(app)
            == Some(&NoticeMessage::ReceiptNotFound(
                ReceiptLookupError::NotInStore {
                    terminal: "01".into(),
                    receipt_no: 7,
                },
            ))
    })
    .await;
}
