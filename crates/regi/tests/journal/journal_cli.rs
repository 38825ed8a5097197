//! `regi journal …` and `regi report …` against a journal in a temporary data dir.

use clap::Parser;
use regi::commands::journal::{JournalArgs, ReportArgs, journal_command, report_command};
use regi_core::domain::{AmountGuard, AttemptEvent, Cart, PaymentMethod, TaxPolicy, TaxRate, Yen};
use regi_journal::{Journal, SaleMeta, journal_path};

/// `regi journal …` and `regi report …` as the binary parses them.
#[derive(Parser)]
enum Line {
    Journal(JournalArgs),
    Report(ReportArgs),
}

fn run(data_dir: &std::path::Path, args: &[&str]) -> anyhow::Result<String> {
    let line = Line::try_parse_from(std::iter::once("regi").chain(args.iter().copied()))?;
    let mut out = Vec::new();
    match &line {
        Line::Journal(a) => journal_command(data_dir, a, &mut out)?,
        Line::Report(a) => report_command(data_dir, a, &mut out)?,
    }
    Ok(String::from_utf8(out)?)
}

fn seed(data_dir: &std::path::Path, training: bool) -> i64 {
    let mut journal = Journal::open(&journal_path(data_dir, training)).unwrap();
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
    cart.add_manual(Yen(1_234), TaxRate::Reduced8, Some("お弁当"))
        .unwrap();
    let sale = journal
        .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
        .unwrap();
    let attempt = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::CustomerCode)
        .unwrap();
    journal
        .record_attempt_event(attempt.attempt_id, AttemptEvent::Sent)
        .unwrap();
    journal
        .record_attempt_event(
            attempt.attempt_id,
            AttemptEvent::PaidObserved {
                transaction_id: "tx-cli".into(),
            },
        )
        .unwrap();
    sale.sale_id
}

#[test]
fn list_show_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let id = seed(dir.path(), false);

    let list = run(dir.path(), &["journal", "list"]).unwrap();
    assert!(
        list.contains("paid") && list.contains("¥1,234") && list.contains("tx-cli"),
        "{list}"
    );

    let show = run(dir.path(), &["journal", "show", &id.to_string()]).unwrap();
    assert!(show.contains("お弁当"), "{show}");
    assert!(show.contains("attempt_paid_observed"), "{show}");

    let json = run(dir.path(), &["journal", "export", "--format", "json"]).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value[0]["state"], "paid");
    assert_eq!(value[0]["total"], 1234);

    let csv = run(dir.path(), &["journal", "export", "--format", "csv"]).unwrap();
    assert_eq!(csv.lines().count(), 2);

    assert!(run(dir.path(), &["journal", "show", "999"]).is_err());
}

#[test]
fn training_reads_the_training_journal() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), true);
    assert!(
        run(dir.path(), &["journal", "list"]).is_err(),
        "no live journal yet"
    );
    let list = run(dir.path(), &["journal", "list", "--training"]).unwrap();
    assert!(list.contains("tx-cli"), "{list}");
}

#[test]
fn x_then_z_then_nothing_open() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), false);
    let x = run(dir.path(), &["report", "x"]).unwrap();
    assert!(x.contains("X レポート") && x.contains("¥1,234"), "{x}");
    let z = run(dir.path(), &["report", "z", "--json"]).unwrap();
    let z: serde_json::Value = serde_json::from_str(&z).unwrap();
    assert_eq!(z["kind"], "z");
    assert_eq!(z["net_sales"], 1234);
    assert!(run(dir.path(), &["report", "z"]).is_err(), "second Z");
    let x = run(dir.path(), &["report", "x"]).unwrap();
    assert!(x.contains("no business day is open"), "{x}");
}

#[test]
fn the_csv_export_opens_in_excel_with_a_bom_local_times_and_a_date_range() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), false);
    let csv = run(dir.path(), &["journal", "export", "--format", "csv"]).unwrap();
    let body = csv.strip_prefix('\u{feff}').expect("UTF-8 with a BOM");
    let mut lines = body.lines();
    assert!(
        lines.next().unwrap().starts_with("local_time,row,sale_id"),
        "{csv}"
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",sale,") && row.contains("お弁当"), "{row}");
    assert!(!row.contains('Z'), "local time, not UTC: {row}");

    let json = run(dir.path(), &["journal", "export", "--format", "json"]).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let created = value[0]["created_at"].as_str().unwrap();
    let today = regi_journal::local_time(created, "%Y-%m-%d");
    assert!(row.starts_with(&today), "{row} on {today}");

    let from_tomorrow = (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
        + chrono::Days::new(1))
    .to_string();
    let later = run(
        dir.path(),
        &[
            "journal",
            "export",
            "--format",
            "csv",
            "--from",
            &from_tomorrow,
        ],
    )
    .unwrap();
    assert_eq!(later.lines().count(), 1, "the header only: {later}");
    let range = run(
        dir.path(),
        &[
            "journal", "export", "--format", "csv", "--from", &today, "--to", &today,
        ],
    )
    .unwrap();
    assert_eq!(range.lines().count(), 2, "{range}");
    assert!(
        run(dir.path(), &["journal", "export", "--from", &today]).is_err(),
        "dates choose CSV rows"
    );
}

#[test]
fn the_csv_export_in_shift_jis_is_for_older_excel() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), false);
    let line = Line::try_parse_from([
        "regi",
        "journal",
        "export",
        "--format",
        "csv",
        "--encoding",
        "sjis",
    ])
    .unwrap();
    let Line::Journal(args) = line else {
        unreachable!()
    };
    let mut out = Vec::new();
    journal_command(dir.path(), &args, &mut out).unwrap();
    assert!(std::str::from_utf8(&out).is_err(), "not UTF-8");
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&out);
    assert!(!bad && text.contains("お弁当"), "{text}");
}

#[test]
fn journal_find_finds_a_sale_of_an_earlier_day_by_number_amount_or_time() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = seed(dir.path(), false);
    {
        let mut journal = Journal::open(&journal_path(dir.path(), false)).unwrap();
        journal.close_day_with_z_report().unwrap();
    }
    let today = seed(dir.path(), false);
    let ids = |out: &str| -> Vec<i64> {
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["sale_id"].as_i64())
            .map(Option::unwrap)
            .collect()
    };
    let by_amount = run(
        dir.path(),
        &["journal", "find", "--amount", "¥1,234", "--json"],
    )
    .unwrap();
    assert_eq!(ids(&by_amount), [today, earlier]);
    let by_no = run(dir.path(), &["journal", "find", "--receipt", "No.000001"]).unwrap();
    assert!(by_no.contains(&format!("#{earlier} ")), "{by_no}");
    assert!(!by_no.contains(&format!("#{today} ")), "{by_no}");
    let shown = {
        let journal = Journal::open_read_only(&journal_path(dir.path(), false)).unwrap();
        regi_journal::local_time(
            &journal.sale(earlier).unwrap().sale.created_at,
            "%m/%d %H:%M",
        )
    };
    let by_time = run(dir.path(), &["journal", "find", "--time", &shown, "--json"]).unwrap();
    assert!(ids(&by_time).contains(&earlier), "{by_time}");
    // Nothing asked is refused, as is a time that is none.
    assert!(run(dir.path(), &["journal", "find"]).is_err());
    assert!(run(dir.path(), &["journal", "find", "--time", "25:99"]).is_err());
}
