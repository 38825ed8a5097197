//! The store's catalog reaching a till while it runs, against a real PostgreSQL: a push at the
//! command line changes the price the till's next scan rings, the line rung before keeps its
//! price, a version the till cannot read is refused while the copy kept sells on, and a store
//! that went down and came back is listened to again.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tui_support::Till;
use regi::commands::store_catalog::{CatalogWatch, catalog_path, refresh_catalog};
use regi::services::EngineServices;
use regi_config::{Config, Lang};
use regi_core::app::{App, AppOptions, NoticeMessage};
use regi_core::domain::Yen;
use regi_engine::{Engine, EngineSettings};
use regi_pokepay::ApiSettings;
use regi_pokepay_emulator::FaultPlan;
use regi_testkit::engine::{fast_settings, gateway, sandbox};
use regi_testkit::postgres::{PgCluster, SUPERUSER};
use regi_tui::ui::strings::LangStrings as _;

const REGI: &str = env!("CARGO_BIN_EXE_regi");
const DATABASE: &str = "regi_store";
const ONIGIRI: &str = "4902100001016";

/// A store database, migrated, with till 01 registered and its `regi.toml` in `data`.
fn store_with_till(cluster: &PgCluster, root: &Path) -> (PathBuf, PathBuf) {
    cluster.create_database(DATABASE);
    let owner_password = cluster.write_secret("owner.pw", cluster.superuser_password());
    let migrate = Command::new(REGI)
        .arg("--data-dir")
        .arg(root.join("admin"))
        .args(["store", "migrate", "--database-url"])
        .arg(cluster.url(SUPERUSER, DATABASE))
        .arg("--password-file")
        .arg(&owner_password)
        .env_remove("REGI_CONFIG")
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    cluster.psql(
        DATABASE,
        "CREATE ROLE till_01 LOGIN PASSWORD 'pw-01'; \
         SELECT regi.add_terminal('01', 'shop-1', 'till_01')",
    );
    let password_file = cluster.write_secret("till_01.pw", "pw-01");
    let data = root.join("till-01");
    std::fs::create_dir_all(&data).unwrap();
    let config = data.join("regi.toml");
    std::fs::write(
        &config,
        format!(
            "[terminal]\nid = \"01\"\n[store]\nname = \"店\"\ndatabase_url = \"{}\"\n\
             store_id = \"shop-1\"\npassword_file = \"{}\"\n",
            cluster.url("till_01", DATABASE),
            password_file.display()
        ),
    )
    .unwrap();
    (data, config)
}

/// `regi store catalog push` of a catalog selling the onigiri at `price`.
fn push(root: &Path, data: &Path, config: &Path, price: i64) {
    let csv = root.join(format!("products-{price}.csv"));
    std::fs::write(
        &csv,
        format!("jan,name,unit_price,tax_rate\n{ONIGIRI},おにぎり 鮭,{price},8\n"),
    )
    .unwrap();
    let pushed = Command::new(REGI)
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .args(["store", "catalog", "push"])
        .arg(&csv)
        .env_remove("REGI_CONFIG")
        .output()
        .unwrap();
    assert!(
        pushed.status.success(),
        "{}",
        String::from_utf8_lossy(&pushed.stderr)
    );
}

fn unit_prices(app: &App) -> Vec<Yen> {
    app.cart.lines().iter().map(|l| l.unit_price).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_catalog_pushed_while_the_till_runs_prices_its_next_scan_and_an_unreadable_one_is_refused()
 {
    let root = tempfile::tempdir().unwrap();
    let cluster = PgCluster::start();
    let (data, config_path) = store_with_till(&cluster, root.path());
    push(root.path(), &data, &config_path, 160);
    let config = Config::load(Some(&config_path)).unwrap();

    // The till starts as `regi` does: the store's catalog taken, then sold from its copy.
    refresh_catalog(&data, &config, std::time::Duration::from_secs(10)).await;
    let copy = catalog_path(&data, &config, false).expect("the store's copy");
    let (catalog, _) = regi::commands::catalog::load(Some(&copy), Lang::Ja.strings()).unwrap();
    let app = App::new(
        AppOptions {
            lang: Lang::Ja,
            catalog,
            ..AppOptions::default()
        },
        chrono::Utc::now(),
    );
    let sandbox = sandbox(FaultPlan::default(), 71).await;
    let (journal, _writer) = regi_testkit::engine::journal(root.path());
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
    let mut till = Till::new(app, EngineServices::new(engine, api, Lang::Ja));
    let _watch = CatalogWatch::start(&data, &config, Lang::Ja, till.event_loop.sender())
        .expect("store mode watches the catalog");

    till.scan(ONIGIRI);
    assert_eq!(unit_prices(till.app()), [Yen(160)]);

    push(root.path(), &data, &config_path, 180);
    till.until("the pushed catalog taken", |app| {
        matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::StoreCatalogTaken {
                version: 2,
                products: 1
            })
        )
    })
    .await;
    let shown = till.screen_text();
    assert!(
        shown.contains("商品マスタを更新しました（版 2、1品目）"),
        "{shown}"
    );
    till.scan(ONIGIRI);
    assert_eq!(unit_prices(till.app()), [Yen(160), Yen(180)]);
    assert!(std::fs::read_to_string(&copy).unwrap().contains(",180,"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // A version no till can read (written past `push`, as an older regi might have): refused,
    // and the copy and the prices stay.
    cluster.psql(
        DATABASE,
        "UPDATE regi.catalogs SET version = version + 1, content = 'jan,name\n' \
         WHERE store_id = 'shop-1'; SELECT pg_notify('regi_catalog', 'shop-1')",
    );
    till.until("the unreadable catalog refused", |app| {
        matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::StoreCatalogRefused { version: 3, .. })
        )
    })
    .await;
    assert!(std::fs::read_to_string(&copy).unwrap().contains(",180,"));
    till.scan(ONIGIRI);
    assert_eq!(till.app().cart.lines()[1].quantity, 2);
    assert_eq!(unit_prices(till.app()), [Yen(160), Yen(180)]);

    // The store going down holds nothing up; once it is back, the till listens again and
    // takes what was pushed.
    cluster.stop();
    till.scan(ONIGIRI);
    assert_eq!(till.app().cart.lines()[1].quantity, 3);
    cluster.resume();
    push(root.path(), &data, &config_path, 200);
    till.until("the catalog pushed after the store came back", |app| {
        matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::StoreCatalogTaken { version: 4, .. })
        )
    })
    .await;
    till.scan(ONIGIRI);
    assert_eq!(unit_prices(till.app()), [Yen(160), Yen(180), Yen(200)]);
}
