//! The store's Z over many sales: one real till's day (its sales, a few refunds, its Z) shipped
//! by a real shipper, then copied row for row to many more terminals of the store, so the
//! tables reports read hold exactly what their shipping would have left there. The store's Z of that date is timed,
//! next to the way it was made before (every till's day rebuilt from its shipped sales in an
//! in-memory journal) over one till's day.

use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use regi_core::domain::Yen;
use regi_core::records::{Report, ReportKind};
use regi_journal::{Journal, ReplicaRows};
use regi_store::{Shipper, close_store_day, store_report};
use serde::Serialize;
use serde_json::Value;
use tokio_postgres::Client;

use super::database::BenchDatabase;
use super::register::sell_one;
use super::stats::{Summary, summarize};

/// How many times the store's Z (and the old way's) is read for its figures.
const RUNS: usize = 5;
/// One sale in this many is refunded in cash the same day.
const REFUND_EVERY: u64 = 100;

#[derive(Debug, Clone, Serialize)]
pub struct ZFigures {
    pub terminals: usize,
    /// Sales of the date in PostgreSQL (each terminal's day holds the same number).
    pub sales: i64,
    /// Events in the store's log: the first terminal's only (see `copy_terminal`).
    pub events: i64,
    pub database_size: String,
    /// Making and shipping the first till's day, then copying it to the others.
    pub load_secs: f64,
    /// `store_report` Z of the date, `RUNS` times.
    pub store_report: Summary,
    /// `close_store_day` of the date, once (it is taken once).
    pub close_store_day_us: u64,
    /// The old way over one till's day, `RUNS` times.
    pub old_way: Summary,
    pub old_way_sales: i64,
    /// The store's Z equals the till's Z times the number of terminals.
    pub sums_match: bool,
}

pub async fn measure(db: &BenchDatabase, sales: u64, terminals: usize) -> anyhow::Result<ZFigures> {
    let store = "bench-z";
    let per_till = sales.div_ceil(terminals as u64).max(1);
    let started = Instant::now();
    let dir = tempfile::Builder::new().prefix("regi-bench-z").tempdir()?;
    let path = dir.path().join("journal.sqlite");
    let till_z = {
        let path = path.clone();
        tokio::task::spawn_blocking(move || one_day(&path, per_till))
            .await
            .context("the till's day stopped")??
    };
    let admin = db.admin().await?;
    let first = terminal_id(0);
    let target = db.terminal(&admin, &first, store).await?;
    Shipper::new(&path, &target, &first, store)?
        .catch_up()
        .await
        .context("the till's day could not be shipped")?;
    let mut others = Vec::new();
    for i in 1..terminals {
        let id = terminal_id(i);
        db.terminal(&admin, &id, store).await?;
        others.push(id);
    }
    copy_terminal(&admin, &first, &others).await?;
    let load_secs = started.elapsed().as_secs_f64();

    let counted = admin
        .query_one(
            "SELECT (SELECT COUNT(*) FROM regi.sales s JOIN regi.terminals t USING (terminal_id) \
                     WHERE t.store_id = $1), \
                    (SELECT COUNT(*) FROM regi.events e JOIN regi.terminals t USING (terminal_id) \
                     WHERE t.store_id = $1), \
                    pg_size_pretty(pg_database_size(current_database())), \
                    (SELECT (opened_at AT TIME ZONE 'Asia/Tokyo')::date FROM regi.business_days \
                     WHERE terminal_id = $2)",
            &[&store, &first],
        )
        .await?;
    let (in_store, events, size, date): (i64, i64, String, NaiveDate) = (
        counted.get(0),
        counted.get(1),
        counted.get(2),
        counted.get(3),
    );

    // Read as a till's manager would: through a terminal's own login.
    let pool = target.pool(1)?;
    let client = pool.get().await?;
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        last = Some(store_report(&client, store, ReportKind::Z, Some(date)).await?);
        times.push(t.elapsed());
    }
    let t = Instant::now();
    let closed = close_store_day(&client, store, date, false).await?;
    let close_took = t.elapsed();
    if last.as_ref() != Some(&closed) {
        bail!("the store's Z read before closing is not the one closing kept");
    }
    let sums_match = closed.terminals.len() == terminals
        && closed.total.payments.count == till_z.payments.count * terminals as i64
        && closed.total.net_sales == Yen(till_z.net_sales.value() * terminals as i64)
        && closed.total.refunds.amount == Yen(till_z.refunds.amount.value() * terminals as i64);

    let mut old = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        old_way(&client, &first, date).await?;
        old.push(t.elapsed());
    }
    Ok(ZFigures {
        terminals,
        sales: in_store,
        events,
        database_size: size,
        load_secs,
        store_report: summarize(&times),
        close_store_day_us: super::stats::micros(close_took),
        old_way: summarize(&old),
        old_way_sales: in_store / terminals as i64,
        sums_match,
    })
}

fn terminal_id(i: usize) -> String {
    format!("z-{:04}", i + 1)
}

/// A till's business day of `sales` sales, one in `REFUND_EVERY` refunded, closed by its Z.
fn one_day(path: &std::path::Path, sales: u64) -> anyhow::Result<Report> {
    let mut journal = Journal::open(path)?;
    journal.set_float(Yen(30_000))?;
    for n in 0..sales {
        let sale = sell_one(&mut journal, n)?;
        if n % REFUND_EVERY == REFUND_EVERY - 1 {
            journal.begin_refund(sale, "returned")?;
        }
    }
    Ok(journal.close_day_with_z_report()?)
}

/// Copies the rows of `from` that the store's reports and status read (its sales, business
/// days, drawer movements and shipping status, as the store's trigger wrote them from its
/// shipped events) to each of `to`, as their own shipping would have left them. The trigger is
/// off for the copy. The event log itself is not copied: at five events a cash sale it would be
/// five million rows (about 10 GB) that no report reads.
async fn copy_terminal(admin: &Client, from: &str, to: &[String]) -> anyhow::Result<()> {
    admin
        .batch_execute("SET session_replication_role = replica")
        .await
        .context("copying terminals needs a superuser --database-url")?;
    for id in to {
        for sql in [
            "INSERT INTO regi.sales (terminal_id, sale_id, seq, business_day_id, day_ids, \
               receipt_no, snapshot) \
             SELECT $1, sale_id, seq, business_day_id, day_ids, receipt_no, snapshot \
             FROM regi.sales WHERE terminal_id = $2",
            "INSERT INTO regi.business_days (terminal_id, business_day_id, seq, opened_at, \
               closed_at, row_data) \
             SELECT $1, business_day_id, seq, opened_at, closed_at, row_data \
             FROM regi.business_days WHERE terminal_id = $2",
            "INSERT INTO regi.drawer_movements (terminal_id, movement_id, business_day_id, \
               row_data) \
             SELECT $1, movement_id, business_day_id, row_data \
             FROM regi.drawer_movements WHERE terminal_id = $2",
            "UPDATE regi.terminals t SET shipped_seq = s.shipped_seq, shipped_at = s.shipped_at, \
               journal_head = s.journal_head, journal_head_at = s.journal_head_at, \
               last_contact = s.last_contact \
             FROM regi.terminals s WHERE t.terminal_id = $1 AND s.terminal_id = $2",
        ] {
            admin.execute(sql, &[id, &from]).await?;
        }
    }
    admin
        .batch_execute("SET session_replication_role = DEFAULT")
        .await?;
    // As autovacuum would have after a day of inserts.
    for table in [
        "events",
        "sales",
        "business_days",
        "drawer_movements",
        "terminals",
    ] {
        admin
            .batch_execute(&format!("VACUUM ANALYZE regi.{table}"))
            .await?;
    }
    Ok(())
}

/// The store's Z of one terminal's day the way `store_report` made it before a closed day was
/// read from its Z: the day's shipped sales and drawer movements put in an in-memory journal,
/// then reported by it.
async fn old_way(client: &Client, terminal: &str, date: NaiveDate) -> anyhow::Result<Vec<Report>> {
    let days = client
        .query(
            "SELECT business_day_id, row_data FROM regi.business_days \
             WHERE terminal_id = $1 AND (opened_at AT TIME ZONE 'Asia/Tokyo')::date = $2 \
             ORDER BY business_day_id",
            &[&terminal, &date],
        )
        .await?;
    let column = |rows: Vec<tokio_postgres::Row>| -> Vec<Value> {
        rows.into_iter().map(|row| row.get(0)).collect()
    };
    let mut reports = Vec::new();
    for day in days {
        let day_id: i64 = day.get(0);
        let rows = ReplicaRows {
            business_days: vec![day.get::<_, Value>(1)],
            sales: column(
                client
                    .query(
                        "SELECT snapshot FROM regi.sales \
                         WHERE terminal_id = $1 AND day_ids @> ARRAY[$2::bigint]",
                        &[&terminal, &day_id],
                    )
                    .await?,
            ),
            drawer_movements: column(
                client
                    .query(
                        "SELECT row_data FROM regi.drawer_movements \
                         WHERE terminal_id = $1 AND business_day_id = $2",
                        &[&terminal, &day_id],
                    )
                    .await?,
            ),
        };
        let replica = Journal::replica(&rows)?;
        reports.push(replica.report_of_day(day_id, ReportKind::Z)?);
    }
    Ok(reports)
}
