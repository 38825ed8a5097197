//! `regi journal list|show|export` and `regi report x|z`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};

use regi_core::lang::Lang;
use regi_core::records::{FindBy, SaleQuery};
use regi_journal::{CsvEncoding, LineExportFilter, SaleDetail, SaleFilter, SaleSummary};
use regi_journal::{Journal, journal_path, local_time};

#[derive(Debug, Args)]
pub struct JournalArgs {
    /// Read the training-mode journal (DATA_DIR/training/journal.sqlite).
    #[arg(long, global = true)]
    pub training: bool,

    #[command(subcommand)]
    pub command: JournalCommand,
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// List sales of the open business day (or of --day N, or --all).
    List {
        #[arg(long, value_name = "ID")]
        day: Option<i64>,
        #[arg(long, conflicts_with = "day")]
        all: bool,
    },
    /// Show one sale with its lines, payment attempts, refunds and events.
    Show { id: i64 },
    /// Find sales of any day from what their receipt shows: its number, its amount, when it was
    /// rung up (shop time: `11/20`, `10:30`, `11/20 10:3` for 10:30 to 10:39), newest first.
    Find {
        /// The receipt number (`123`, `No.000123`).
        #[arg(long, value_name = "N")]
        receipt: Option<String>,
        /// The sale's total (`1350`, `¥1,350`).
        #[arg(long, value_name = "YEN")]
        amount: Option<String>,
        /// The date and/or time it was rung up.
        #[arg(long, value_name = "[DATE] [TIME]")]
        time: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// One JSON object per sale instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print sales as JSON, or as CSV for bookkeeping: one row per line item and one dated row
    /// per refund, Japan time, UTF-8 with a BOM so Excel opens it (every day unless --day).
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long, value_name = "ID")]
        day: Option<i64>,
        /// The CSV's encoding: utf8 (with a BOM) or sjis (Shift_JIS, for older Excel).
        #[arg(long, value_enum, default_value_t = CsvEncodingArg::Utf8)]
        encoding: CsvEncodingArg,
        /// CSV rows from this local date on (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
        /// CSV rows up to this local date, inclusive (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvEncodingArg {
    Utf8,
    Sjis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// `x`: totals since the day opened. `z`: close the business day (cannot be undone).
    #[arg(value_enum)]
    pub which: ReportWhich,
    /// Use the training-mode journal.
    #[arg(long)]
    pub training: bool,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportWhich {
    X,
    Z,
}

pub fn run_journal(data_dir: &Path, args: &JournalArgs) -> anyhow::Result<()> {
    journal_command(data_dir, args, &mut std::io::stdout().lock())
}

/// `regi report`, its text in `lang`.
pub fn run_report(data_dir: &Path, args: &ReportArgs, lang: Lang) -> anyhow::Result<()> {
    report_command_in(data_dir, args, lang, &mut std::io::stdout().lock())
}

fn existing_journal(data_dir: &Path, training: bool) -> anyhow::Result<PathBuf> {
    let path = journal_path(data_dir, training);
    if !path.exists() {
        bail!(
            "no journal at {} (nothing has been sold here yet)",
            path.display()
        );
    }
    Ok(path)
}

pub fn journal_command(
    data_dir: &Path,
    args: &JournalArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let path = existing_journal(data_dir, args.training)?;
    let journal = Journal::open_read_only(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    match &args.command {
        JournalCommand::List { day, all } => {
            let filter = match (day, all) {
                (_, true) => SaleFilter::All,
                (Some(id), false) => SaleFilter::Day(*id),
                (None, false) => SaleFilter::OpenDay,
            };
            let sales = journal.list_sales(filter)?;
            if sales.is_empty() {
                writeln!(out, "no sales")?;
            }
            for sale in &sales {
                writeln!(out, "{}", list_line(sale))?;
            }
        }
        JournalCommand::Show { id } => {
            let detail = journal.sale(*id)?;
            write_detail(out, &detail)?;
        }
        JournalCommand::Find {
            receipt,
            amount,
            time,
            limit,
            json,
        } => {
            let query = find_query(receipt.as_deref(), amount.as_deref(), time.as_deref())?;
            let sales = journal.find_sales(&query, *limit)?;
            if sales.is_empty() && !json {
                writeln!(out, "no sales")?;
            }
            for sale in &sales {
                if *json {
                    let line = serde_json::json!({
                        "sale_id": sale.id,
                        "receipt_no": sale.receipt_no,
                        "business_day_id": sale.business_day_id,
                        "created_at": sale.created_at,
                        "local_time": local_time(&sale.created_at, "%Y-%m-%d %H:%M:%S"),
                        "kind": sale.kind.as_str(),
                        "state": sale.state.as_str(),
                        "total": sale.total.value(),
                        "refunded": sale.refunded.value(),
                    });
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(out, "{}", list_line(sale))?;
                }
            }
        }
        JournalCommand::Export {
            format,
            day,
            encoding,
            from,
            to,
        } => {
            let filter = day.map_or(SaleFilter::All, SaleFilter::Day);
            let bytes = match format {
                ExportFormat::Json if from.is_some() || to.is_some() => {
                    bail!("--from and --to choose rows of the CSV: add --format csv")
                }
                ExportFormat::Json => (journal.export_json(filter)? + "\n").into_bytes(),
                ExportFormat::Csv => journal.export_csv_lines(
                    LineExportFilter {
                        sales: filter,
                        from: *from,
                        to: *to,
                    },
                    match encoding {
                        CsvEncodingArg::Utf8 => CsvEncoding::Utf8Bom,
                        CsvEncodingArg::Sjis => CsvEncoding::ShiftJis,
                    },
                )?,
            };
            out.write_all(&bytes)?;
        }
    }
    Ok(())
}

/// `regi report` with its text in Japanese.
pub fn report_command(
    data_dir: &Path,
    args: &ReportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    report_command_in(data_dir, args, Lang::Ja, out)
}

pub fn report_command_in(
    data_dir: &Path,
    args: &ReportArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let path = existing_journal(data_dir, args.training)?;
    let report = match args.which {
        ReportWhich::X => {
            let journal = Journal::open_read_only(&path)?;
            match journal.x_report()? {
                Some(report) => report,
                None => {
                    writeln!(
                        out,
                        "no business day is open (no sales since the last Z report)"
                    )?;
                    return Ok(());
                }
            }
        }
        ReportWhich::Z => Journal::open(&path)?.close_day_with_z_report()?,
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        out.write_all(report.to_text_in(lang).as_bytes())?;
    }
    Ok(())
}

/// The query of `regi journal find`: every part given must match, and at least one is given.
fn find_query(
    receipt: Option<&str>,
    amount: Option<&str>,
    time: Option<&str>,
) -> anyhow::Result<SaleQuery> {
    let mut query = SaleQuery::default();
    if let Some(text) = receipt {
        query.receipt_no = Some(
            SaleQuery::parse(FindBy::ReceiptNo, text)
                .and_then(|q| q.receipt_no)
                .with_context(|| format!("not a receipt number: {text}"))?,
        );
    }
    if let Some(text) = amount {
        query.amount = Some(
            SaleQuery::parse(FindBy::Amount, text)
                .and_then(|q| q.amount)
                .with_context(|| format!("not an amount in yen: {text}"))?,
        );
    }
    if let Some(text) = time {
        let at = SaleQuery::parse(FindBy::Time, text).with_context(|| {
            format!("not a date or time: {text} (e.g. 11/20, 10:30, 2026-11-20 10:30)")
        })?;
        (query.date, query.time) = (at.date, at.time);
    }
    if query == SaleQuery::default() {
        bail!("say what to find: --receipt, --amount or --time");
    }
    Ok(query)
}

fn list_line(sale: &SaleSummary) -> String {
    format!(
        "#{:<6} No.{:<6} {}  {:<7} {:<9} {:>10}  {:<8} {}",
        sale.id,
        sale.receipt_no,
        local_time(&sale.created_at, "%Y-%m-%d %H:%M:%S"),
        sale.kind.as_str(),
        sale.state.as_str(),
        sale.total.to_string(),
        sale.method.map_or("-", |m| m.as_str()),
        sale.transaction_id.as_deref().unwrap_or("-"),
    )
}

fn write_detail(out: &mut dyn Write, d: &SaleDetail) -> std::io::Result<()> {
    let s = &d.sale;
    writeln!(
        out,
        "sale #{}  receipt No.{}  day #{}",
        s.id, s.receipt_no, s.business_day_id
    )?;
    writeln!(
        out,
        "  {} {}  {}",
        s.kind.as_str(),
        s.state.as_str(),
        local_time(&s.created_at, "%Y-%m-%d %H:%M:%S")
    )?;
    if s.training {
        writeln!(out, "  TRAINING")?;
    }
    writeln!(out, "  total {}", s.total)?;
    for r in [s.tax.standard, s.tax.reduced] {
        if r.taxable_total.is_positive() {
            writeln!(
                out,
                "  {}対象 {} (内消費税 {})",
                r.rate, r.taxable_total, r.tax
            )?;
        }
    }
    writeln!(out, "lines")?;
    for l in &d.lines {
        writeln!(
            out,
            "  {:>2}. {} {} {} × {} = {} [{}]",
            l.line_no,
            l.jan.as_deref().unwrap_or("(manual)"),
            l.name,
            l.unit_price,
            l.quantity,
            l.amount,
            l.tax_rate
        )?;
    }
    writeln!(out, "payment attempts")?;
    for a in &d.attempts {
        let detail = match &a.state {
            regi_core::domain::AttemptState::Paid { transaction_id } => transaction_id.clone(),
            regi_core::domain::AttemptState::Failed(f) => format!("{} {}", f.error_type, f.message),
            _ => String::new(),
        };
        writeln!(
            out,
            "  #{} {} {} amount {} request {} {}",
            a.id,
            a.method,
            a.state.name(),
            a.amount,
            a.request_id,
            detail
        )?;
        if let Some(id) = &a.provider_ref {
            writeln!(out, "     cashtray {id}")?;
        }
    }
    if !d.refunds.is_empty() {
        writeln!(out, "refunds")?;
        for r in &d.refunds {
            writeln!(
                out,
                "  #{} {} {} of {} reason {:?} {}",
                r.id,
                r.state.as_str(),
                r.amount,
                r.transaction_id,
                r.reason,
                r.refund_transaction_id.as_deref().unwrap_or("")
            )?;
            if r.cash_back {
                writeln!(out, "     given back in cash from the drawer")?;
            }
        }
    }
    if !d.returns.is_empty() {
        writeln!(out, "returns")?;
        for ret in &d.returns {
            let lines: Vec<String> = ret
                .lines
                .iter()
                .map(|l| format!("line {}×{}", l.line_no, l.quantity))
                .collect();
            writeln!(
                out,
                "  #{} {} ({}) 10% {} (tax {}) 8% {} (tax {})",
                ret.id,
                ret.total(),
                lines.join(", "),
                ret.tax.standard.taxable_total,
                ret.tax.standard.tax,
                ret.tax.reduced.taxable_total,
                ret.tax.reduced.tax
            )?;
        }
    }
    writeln!(out, "events")?;
    for e in &d.events {
        writeln!(
            out,
            "  {} {} {}",
            local_time(&e.at, "%Y-%m-%d %H:%M:%S"),
            e.kind,
            e.detail
        )?;
    }
    Ok(())
}
