//! Store mode end to end through the real binary: three tills (`regi checkout`, each with its own
//! data directory and terminal id) sell against the Pokepay emulator and ship to a real
//! PostgreSQL that is stopped for part of the run; a receipt of till 1 is returned at till 2,
//! once; afterwards the store's X is the sum of the three tills' own X.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};
use regi_journal::{Journal, SaleMeta, journal_path};
use regi_testkit::postgres::{PgCluster, SUPERUSER};
use serde_json::Value;

use super::{Emulator, REGI, start_emulator};

const DATABASE: &str = "regi_store";

struct Till {
    data: PathBuf,
    config: PathBuf,
}

fn till(root: &Path, cluster: &PgCluster, id: &str) -> Till {
    let role = format!("till_{id}");
    let password = format!("pw-{id}");
    cluster.psql(
        DATABASE,
        &format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{password}'; \
             SELECT regi.add_terminal('{id}', 'shop-1', '{role}')"
        ),
    );
    let password_file = cluster.write_secret(&format!("{role}.pw"), &password);
    let data = root.join(format!("till-{id}"));
    std::fs::create_dir_all(&data).unwrap();
    let config = data.join("regi.toml");
    std::fs::write(
        &config,
        format!(
            "[terminal]\nid = \"{id}\"\n[store]\nname = \"店\"\ndatabase_url = \"{}\"\n\
             store_id = \"shop-1\"\npassword_file = \"{}\"\n",
            cluster.url(&role, DATABASE),
            password_file.display()
        ),
    )
    .unwrap();
    Till { data, config }
}

/// A throwaway PostgreSQL with the store database made by `regi store migrate`, as its owner
/// would.
fn migrated_store(root: &Path) -> PgCluster {
    let cluster = PgCluster::start();
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
    cluster
}

fn regi(emulator: &Emulator, till: &Till, args: &[&str]) -> Command {
    let mut command = Command::new(REGI);
    command
        .arg("--data-dir")
        .arg(&till.data)
        .arg("--config")
        .arg(&till.config)
        .arg("--pokepay-ini")
        .arg(&emulator.config)
        .args(args)
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::null());
    command
}

/// `regi checkout ARGS --json` at `till`, the customer paying every QR shown; must be paid.
fn sell(emulator: &Emulator, till: &Till, args: &[&str]) {
    let mut child = regi(emulator, till, &["checkout"])
        .args(args)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("regi checkout starts");
    let mut events = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if event["event"] == "presented" {
            let pay = Command::new(REGI)
                .args(["customer", "pay", event["token"].as_str().unwrap()])
                .args(["--sandbox", &emulator.base_url])
                .output()
                .unwrap();
            assert!(
                pay.status.success(),
                "{}",
                String::from_utf8_lossy(&pay.stderr)
            );
        }
        events.push(event);
    }
    assert_eq!(child.wait().unwrap().code(), Some(0), "{events:?}");
}

/// `regi refund SALE --json` at `till`.
fn refund(emulator: &Emulator, till: &Till, sale: &str) -> Output {
    regi(emulator, till, &["--lang", "en", "refund", sale, "--json"])
        .output()
        .unwrap()
}

/// The last JSON line a command printed.
fn last_event(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|_| panic!("not JSON: {stdout}"))
}

/// What a command printed, both streams.
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `regi ARGS` at `till`, run to its end successfully; its standard output as JSON.
fn json_of(emulator: &Emulator, till: &Till, args: &[&str]) -> Value {
    let output = regi(emulator, till, args).output().unwrap();
    assert!(
        output.status.success(),
        "regi {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn amount(value: &Value) -> i64 {
    value.as_i64().unwrap_or_else(|| panic!("not yen: {value}"))
}

/// The yen of each `key` in a list of rows (by method, by rate, by provider), summed.
fn by(rows: &Value, key: &str) -> std::collections::BTreeMap<String, (i64, i64)> {
    let mut out = std::collections::BTreeMap::new();
    for row in rows.as_array().unwrap() {
        let name = row[key].as_str().unwrap().to_string();
        let entry = out.entry(name).or_insert((0, 0));
        entry.0 += row["amount"].as_i64().or(row["taxable"].as_i64()).unwrap();
        entry.1 += row["count"].as_i64().or(row["tax"].as_i64()).unwrap();
    }
    out
}

#[test]
fn three_tills_with_the_store_down_for_a_while_add_up_to_the_stores_x() {
    let root = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", root.path(), &[]);
    let cluster = migrated_store(root.path());
    let tills: Vec<Till> = ["01", "02", "03"]
        .iter()
        .map(|id| till(root.path(), &cluster, id))
        .collect();

    sell(&emulator, &tills[0], &["1000", "--tender", "cash:1000"]);
    sell(&emulator, &tills[1], &["2200", "--tender", "qr"]);
    cluster.stop();
    sell(
        &emulator,
        &tills[1],
        &["3000", "--tender", "cash:1000", "--tender", "qr"],
    );
    sell(
        &emulator,
        &tills[2],
        &[
            "--open",
            "2:1080",
            "--open",
            "1:550",
            "--tender",
            "cash:2000",
        ],
    );
    sell(&emulator, &tills[0], &["700", "--tender", "qr"]);
    cluster.resume();
    // Till 1's first receipt is brought back to till 2: looked up in the store, given back
    // there from its drawer, once.
    let refunded = refund(&emulator, &tills[1], "RGI-01-1");
    assert_eq!(refunded.status.code(), Some(0), "{}", text(&refunded));
    assert_eq!(
        last_event(&refunded)["event"],
        "refunded",
        "{}",
        text(&refunded)
    );
    let again = refund(&emulator, &tills[1], "RGI-01-1");
    assert!(!again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("nothing left to refund"),
        "{}",
        text(&again)
    );
    // Every till sells on; each run ships what its till left while the store was down.
    for till in &tills {
        sell(&emulator, till, &["300", "--tender", "cash:500"]);
    }
    // Neither another till nor the sale's own till gives it back a second time.
    let at_three = refund(&emulator, &tills[2], "RGI-01-1");
    assert_eq!(at_three.status.code(), Some(2), "{}", text(&at_three));
    assert!(text(&at_three).contains("02"), "{}", text(&at_three));
    let at_one = refund(&emulator, &tills[0], "RGI-01-1");
    assert_eq!(at_one.status.code(), Some(2), "{}", text(&at_one));
    assert_eq!(last_event(&at_one)["event"], "refused", "{}", text(&at_one));

    let status = json_of(&emulator, &tills[0], &["store", "status", "--json"]);
    for terminal in status.as_array().unwrap() {
        assert_eq!(terminal["lag_events"], 0, "{status}");
        assert!(terminal["shipped_seq"].as_i64().unwrap() > 0, "{status}");
    }
    let own: Vec<Value> = tills
        .iter()
        .map(|t| json_of(&emulator, t, &["report", "x", "--json"]))
        .collect();
    let store = json_of(&emulator, &tills[2], &["store", "report", "x", "--json"]);

    let sum = |f: &dyn Fn(&Value) -> i64| own.iter().map(f).sum::<i64>();
    assert_eq!(
        amount(&store["net_sales"]),
        sum(&|r| amount(&r["net_sales"]))
    );
    assert_eq!(
        amount(&store["payments"]["amount"]),
        sum(&|r| amount(&r["payments"]["amount"]))
    );
    assert_eq!(
        amount(&store["payments"]["count"]),
        sum(&|r| amount(&r["payments"]["count"]))
    );
    assert_eq!(
        amount(&store["cash"]["expected"]),
        sum(&|r| amount(&r["cash"]["expected"]))
    );
    for (list, key) in [
        ("payments_by_method", "method"),
        ("payments_by_provider", "provider"),
        ("payments_by_rate", "rate"),
    ] {
        let mut expected = std::collections::BTreeMap::new();
        for report in &own {
            for (name, (a, b)) in by(&report[list], key) {
                let entry = expected.entry(name).or_insert((0, 0));
                entry.0 += a;
                entry.1 += b;
            }
        }
        assert_eq!(by(&store[list], key), expected, "{list}");
    }
    let terminals: Vec<&str> = store["terminals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["terminal_id"].as_str().unwrap())
        .collect();
    assert_eq!(terminals, ["01", "02", "03"]);
    assert_eq!(
        amount(&store["net_sales"]),
        1000 + 2200 + 3000 + 1630 + 700 + 900 - 1000
    );
    // The return is counted once: at till 2, where the cash went back.
    assert_eq!(
        (
            amount(&store["refunds"]["count"]),
            amount(&store["refunds"]["amount"])
        ),
        (1, 1000)
    );
    let refunds: Vec<i64> = own
        .iter()
        .map(|r| amount(&r["refunds"]["amount"]))
        .collect();
    assert_eq!(refunds, [0, 1000, 0]);
    assert_eq!(
        amount(&store["cash"]["expected"]),
        sum(&|r| amount(&r["cash"]["expected"]))
    );

    // The accountant's export holds every sale once, with its lines.
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let export = json_of(
        &emulator,
        &tills[0],
        &[
            "store",
            "export",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--format",
            "json",
        ],
    );
    let rows = export.as_array().unwrap();
    let sales: Vec<&Value> = rows.iter().filter(|r| r["row"] == "sale").collect();
    assert_eq!(sales.len() as i64, amount(&store["payments"]["count"]));
    assert_eq!(
        sales.iter().map(|r| amount(&r["amount"])).sum::<i64>(),
        amount(&store["payments"]["amount"])
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r["row"] == "line" && r["tax_rate"] == "reduced")
            .map(|r| amount(&r["amount"]))
            .sum::<i64>(),
        1080
    );
}

#[test]
fn a_catalog_pushed_at_one_till_sells_at_another_also_with_the_store_down() {
    let root = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", root.path(), &[]);
    let cluster = migrated_store(root.path());
    let one = till(root.path(), &cluster, "01");
    let two = till(root.path(), &cluster, "02");

    let bad = root.path().join("bad.csv");
    std::fs::write(&bad, "jan,name\n1,x\n").unwrap();
    let refused = regi(&emulator, &one, &["store", "catalog", "push"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    // Told in the till's language (ja without [ui] lang), naming what is wrong.
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("レジが読める商品マスタではありません"),
        "{said}"
    );
    let csv = root.path().join("products.csv");
    std::fs::write(
        &csv,
        "jan,name,unit_price,tax_rate\n4902100001016,おにぎり 鮭,160,8\n",
    )
    .unwrap();
    let pushed = regi(&emulator, &one, &["store", "catalog", "push"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        pushed.status.success(),
        "{}",
        String::from_utf8_lossy(&pushed.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&pushed.stdout).trim(),
        "ストア shop-1 の商品マスタ 版 1"
    );

    // Till 2 has no catalog of its own: it takes the store's, and keeps it for when the store is
    // down.
    sell(
        &emulator,
        &two,
        &["--item", "4902100001016*2", "--tender", "cash:320"],
    );
    let pulled = regi(
        &emulator,
        &two,
        &["--lang", "en", "store", "catalog", "pull"],
    )
    .output()
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&pulled.stdout).trim(),
        "this till has the store's newest catalog"
    );
    cluster.stop();
    sell(
        &emulator,
        &two,
        &["--item", "4902100001016", "--tender", "cash:200"],
    );
    let own = json_of(&emulator, &two, &["report", "x", "--json"]);
    assert_eq!(amount(&own["net_sales"]), 480);
}

/// `regi ARGS` at `till` with `stdin` piped in (the manager PIN).
fn regi_with_stdin(emulator: &Emulator, till: &Till, args: &[&str], stdin: &str) -> Output {
    let mut child = regi(emulator, till, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn the_store_z_with_a_till_still_open_is_taken_only_when_forced_behind_the_manager_pin() {
    let root = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", root.path(), &[]);
    let cluster = migrated_store(root.path());
    let one = till(root.path(), &cluster, "01");
    let mut config = std::fs::read_to_string(&one.config).unwrap();
    config.push_str("[ui]\nmanager_pin = \"2580\"\n");
    std::fs::write(&one.config, config).unwrap();
    sell(&emulator, &one, &["1000", "--tender", "cash:1000"]);

    let open = regi_with_stdin(&emulator, &one, &["store", "report", "z", "--json"], "");
    assert_eq!(open.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&open.stderr).contains("01"));
    let wrong = regi_with_stdin(
        &emulator,
        &one,
        &["store", "report", "z", "--force", "--json"],
        "1111\n",
    );
    assert_eq!(wrong.status.code(), Some(2));
    let forced = regi_with_stdin(
        &emulator,
        &one,
        &["store", "report", "z", "--force", "--json"],
        "2580\n",
    );
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let z: Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(
        (z["kind"].as_str(), amount(&z["net_sales"])),
        (Some("z"), 1000)
    );
    let again = regi_with_stdin(
        &emulator,
        &one,
        &["store", "report", "z", "--force", "--json"],
        "2580\n",
    );
    assert_eq!(again.status.code(), Some(2));
    // Told in the till's language (ja here); the JSON keeps the store's own words.
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("Z精算は取得済みです"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("already taken"));
}

#[test]
fn regi_doctor_says_whether_the_store_database_knows_this_till() {
    let root = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", root.path(), &[]);
    let cluster = migrated_store(root.path());
    let one = till(root.path(), &cluster, "01");
    let doctor = |till: &Till| {
        let out = regi(&emulator, till, &["--lang", "en", "doctor"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines()
            .find(|l| l.contains("store database"))
            .unwrap_or_else(|| panic!("no store line in {text}"))
            .to_string()
    };
    let ready = doctor(&one);
    assert!(
        ready.starts_with("[OK]") && ready.contains("till 01 of store shop-1"),
        "{ready}"
    );
    cluster.stop();
    let down = doctor(&one);
    assert!(down.starts_with("[NG]"), "{down}");
}

#[test]
fn a_till_killed_while_shipping_ships_every_event_once_when_it_runs_again() {
    let root = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", root.path(), &[]);
    let cluster = migrated_store(root.path());
    let one = till(root.path(), &cluster, "01");
    // A day of sales waiting to be shipped: many batches of the shipper.
    let head = {
        let mut journal = Journal::open(&journal_path(&one.data, false)).unwrap();
        for yen in 1..=1_000 {
            let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
            cart.add_manual(Yen(100 + yen), TaxRate::Standard10, None)
                .unwrap();
            let sale = journal
                .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
                .unwrap()
                .sale_id;
            journal.record_cash_tender(sale, Yen(100 + yen)).unwrap();
        }
        journal.outbox_head().unwrap().unwrap().0
    };
    let shipped = || -> (i64, i64, i64) {
        let row = cluster.psql(
            DATABASE,
            "SELECT COUNT(*), COUNT(DISTINCT seq), COALESCE(MAX(seq), 0) FROM regi.events \
             WHERE terminal_id = '01'",
        );
        let numbers: Vec<i64> = row.split('|').map(|n| n.parse().unwrap()).collect();
        (numbers[0], numbers[1], numbers[2])
    };

    let mut ship = regi(&emulator, &one, &["store", "ship"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed (SIGKILL) once the store holds part of the day.
    while shipped().0 == 0 {
        assert!(
            ship.try_wait().unwrap().is_none(),
            "the shipper ended early"
        );
    }
    ship.kill().unwrap();
    ship.wait().unwrap();
    let (partly, _, _) = shipped();
    assert!(partly > 0 && partly <= head, "{partly} of {head}");

    let again = regi(&emulator, &one, &["store", "ship"]).output().unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        shipped(),
        (head, head, head),
        "every event once, none missing"
    );
    let own = json_of(&emulator, &one, &["report", "x", "--json"]);
    let store = json_of(&emulator, &one, &["store", "report", "x", "--json"]);
    assert_eq!(store["payments"], own["payments"]);
    assert_eq!(amount(&store["net_sales"]), (101..=1_100).sum::<i64>());
}

#[test]
fn a_z_taken_on_the_command_line_reaches_the_store_at_once_for_the_stores_z() {
    let root = tempfile::tempdir().unwrap();
    let emulator = start_emulator("pokepay", root.path(), &[]);
    let cluster = migrated_store(root.path());
    let one = till(root.path(), &cluster, "01");
    sell(&emulator, &one, &["1200", "--tender", "cash:1200"]);
    let z = json_of(&emulator, &one, &["report", "z", "--json"]);
    assert_eq!(amount(&z["net_sales"]), 1200);
    // No other run of this till ships it: the Z itself did.
    let store_z = json_of(&emulator, &one, &["store", "report", "z", "--json"]);
    assert_eq!(store_z["kind"], "z");
    assert_eq!(store_z["net_sales"], z["net_sales"]);
    assert_eq!(store_z["payments"], z["payments"]);
}
