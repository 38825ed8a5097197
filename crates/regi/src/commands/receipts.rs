//! `regi receipt show|print|queue|report`: receipts from the journal, on screen or on paper.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};

use crate::commands::journal::ReportWhich;
use crate::setup::GlobalOptions;
use regi_config::Config;
use regi_journal::{Journal, PrintJob, journal_path, local_time};
use regi_printer::Target;
use regi_printer::spool::{JobId, JobKind};
use regi_receipts::SaleRef;
use regi_receipts::{JournalQueue, job_kind_name};
use regi_receipts::{PrintOutcome, PrintReport, flush_queue, preview, render};
use regi_receipts::{Slip, load_slip, prepare_slip};
use regi_receipts::{SlipMarks, report_slip};

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// Use the training-mode journal (DATA_DIR/training/journal.sqlite).
    #[arg(long, global = true)]
    pub training: bool,

    #[command(subcommand)]
    pub command: ReceiptCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// Show a sale's receipt as text, decoded from the bytes that would be printed.
    Show(SlipArgs),
    /// Print a sale's receipt. It is queued first and stays queued until the printer takes it.
    Print {
        #[command(flatten)]
        slip: SlipArgs,
        /// Print here instead of the configured printer: usb[:VID:PID], tcp:HOST[:PORT], ….
        #[arg(long, value_name = "TARGET")]
        to: Option<String>,
    },
    /// List print jobs waiting for the printer; --retry sends them again.
    Queue {
        #[arg(long)]
        retry: bool,
        #[arg(long, value_name = "TARGET", requires = "retry")]
        to: Option<String>,
    },
    /// Print the X report (totals so far) or a Z report (the last closed day, or --day N).
    Report {
        #[arg(value_enum)]
        which: ReportWhich,
        /// Business day of the Z report [default: the last closed day].
        #[arg(long, value_name = "ID")]
        day: Option<i64>,
        /// Mark as a reprint (再発行).
        #[arg(long)]
        reprint: bool,
        /// Show the slip as text instead of printing it.
        #[arg(long)]
        show: bool,
        #[arg(long, value_name = "TARGET", conflicts_with = "show")]
        to: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct SlipArgs {
    /// The sale: its number (as `regi journal list` shows it) or its receipt code (RGI-…).
    pub id: String,
    /// The refund slip (返品) of the sale instead of its receipt.
    #[arg(long)]
    pub refund: bool,
    /// With --refund: one slip listing every refund of the sale (a sale given back across its
    /// tenders) instead of the latest refund alone.
    #[arg(long, requires = "refund")]
    pub all_refunds: bool,
    /// Mark as a reprint (再発行); automatic when the slip was printed before.
    #[arg(long)]
    pub reprint: bool,
}

impl SlipArgs {
    fn slip(&self) -> Slip {
        match (self.refund, self.all_refunds) {
            (true, true) => Slip::AllRefunds,
            (true, false) => Slip::Refund,
            (false, _) => Slip::Sale,
        }
    }
}

pub fn run(options: &GlobalOptions, args: &ReceiptArgs) -> ExitCode {
    let result = options.load_config().and_then(|config| {
        receipt_command(
            &options.data_dir(),
            &config,
            args,
            &mut std::io::stdout().lock(),
        )
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("regi receipt: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one `regi receipt` command against the journal in `data_dir`, writing to `out`. A receipt
/// that could not be printed is an error (after it was kept in the queue).
pub fn receipt_command(
    data_dir: &Path,
    config: &Config,
    args: &ReceiptArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut journal = open_journal(data_dir, args.training, args.command.writes())?;
    match &args.command {
        ReceiptCommand::Show(slip) => {
            let sale_id = SaleRef::parse(&slip.id)?.resolve(&journal, config)?;
            let record = load_slip(&journal, sale_id, slip.slip())?;
            let prepared = prepare_slip(&record, config, None, slip.reprint)?;
            out.write_all(preview(&prepared.bytes)?.as_bytes())?;
        }
        ReceiptCommand::Print { slip, to } => {
            let target = parse_target(to.as_deref())?;
            let sale_id = SaleRef::parse(&slip.id)?.resolve(&journal, config)?;
            let record = load_slip(&journal, sale_id, slip.slip())?;
            let prepared = prepare_slip(&record, config, None, slip.reprint)?;
            let job = journal.enqueue_print(
                Some(sale_id),
                job_kind_name(prepared.kind),
                &prepared.bytes,
            )?;
            let what = format!(
                "{} No.{} (sale {sale_id})",
                describe(prepared.kind),
                prepared.doc.receipt_number
            );
            print_job(&mut journal, config, target.as_ref(), job, &what, out)?;
        }
        ReceiptCommand::Queue { retry, to } => {
            if *retry {
                let target = parse_target(to.as_deref())?;
                let flush = flush_queue(
                    JournalQueue::new(&mut journal),
                    &config.printer,
                    target.as_ref(),
                )?;
                let report = PrintReport::from_flush(None, flush);
                writeln!(out, "printed {} job(s)", report.printed_jobs.len())?;
                if !report.is_printed() {
                    bail!("{}", failure_text(&report, None));
                }
            } else {
                list_queue(&journal, out)?;
            }
        }
        ReceiptCommand::Report {
            which,
            day,
            reprint,
            show,
            to,
        } => {
            let report = match which {
                ReportWhich::X => journal.x_report()?.ok_or_else(|| {
                    anyhow!("no business day is open (no sales since the last Z report)")
                })?,
                ReportWhich::Z => z_report(&journal, *day)?,
            };
            let marks = SlipMarks {
                training: args.training,
                reprint: *reprint,
            };
            let doc = report_slip(&report, config, marks);
            let bytes = render(&doc, &config.printer)?;
            if *show {
                out.write_all(preview(&bytes)?.as_bytes())?;
                return Ok(());
            }
            let target = parse_target(to.as_deref())?;
            let job = journal.enqueue_print(None, job_kind_name(JobKind::Report), &bytes)?;
            let what = format!("report {}", doc.receipt_number);
            print_job(&mut journal, config, target.as_ref(), job, &what, out)?;
        }
    }
    Ok(())
}

impl ReceiptCommand {
    /// Printing records a print job; showing and listing only read, so they work beside a
    /// running register.
    fn writes(&self) -> bool {
        match self {
            ReceiptCommand::Show(_) => false,
            ReceiptCommand::Print { .. } => true,
            ReceiptCommand::Queue { retry, .. } => *retry,
            ReceiptCommand::Report { show, .. } => !show,
        }
    }
}

fn open_journal(data_dir: &Path, training: bool, write: bool) -> anyhow::Result<Journal> {
    let path = journal_path(data_dir, training);
    if !path.exists() {
        bail!(
            "no journal at {} (nothing has been sold here yet)",
            path.display()
        );
    }
    let journal = if write {
        Journal::open(&path)
    } else {
        Journal::open_read_only(&path)
    };
    journal.with_context(|| format!("opening the journal {}", path.display()))
}

fn parse_target(to: Option<&str>) -> anyhow::Result<Option<Target>> {
    Ok(to.map(Target::parse).transpose()?)
}

/// Flushes the queue after `job` was added and says how it went.
fn print_job(
    journal: &mut Journal,
    config: &Config,
    target: Option<&Target>,
    job: i64,
    what: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let job_id = JobId::try_from(job).ok();
    let flush = flush_queue(JournalQueue::new(journal), &config.printer, target)?;
    let report = PrintReport::from_flush(job_id, flush);
    if report.is_printed() {
        let older = report.printed_jobs.len().saturating_sub(1);
        writeln!(out, "printed {what}")?;
        if older > 0 {
            writeln!(out, "also printed {older} older queued job(s)")?;
        }
        return Ok(());
    }
    bail!("{}", failure_text(&report, Some(job)))
}

fn failure_text(report: &PrintReport, job: Option<i64>) -> String {
    let kept = match (&report.outcome, job) {
        (PrintOutcome::Queued { .. } | PrintOutcome::Failed(_), Some(job)) => format!(
            "\nit is kept in the print queue as job #{job}; `regi receipt queue --retry` prints it once the printer is ready"
        ),
        _ => "\nthe jobs stay in the print queue; `regi receipt queue --retry` prints them once the printer is ready".to_owned(),
    };
    format!(
        "not printed: {}\n{}{kept}",
        report.message_ja(),
        report.message_en()
    )
}

fn describe(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Receipt => "receipt",
        JobKind::Reprint => "receipt (reprint)",
        JobKind::Refund => "refund slip",
        JobKind::Report => "report",
        JobKind::Test => "test page",
    }
}

fn z_report(journal: &Journal, day: Option<i64>) -> anyhow::Result<regi_journal::Report> {
    let day = match day {
        Some(day) => day,
        None => journal
            .business_days()?
            .iter()
            .rev()
            .find(|d| d.closed_at.is_some())
            .map(|d| d.id)
            .ok_or_else(|| anyhow!("no business day has been closed yet (`regi report z`)"))?,
    };
    journal
        .z_report(day)?
        .ok_or_else(|| anyhow!("business day {day} has no Z report (it is still open)"))
}

fn list_queue(journal: &Journal, out: &mut dyn Write) -> anyhow::Result<()> {
    let jobs = journal.pending_print_jobs()?;
    if jobs.is_empty() {
        writeln!(out, "the print queue is empty")?;
    }
    for job in &jobs {
        writeln!(out, "{}", queue_line(job))?;
    }
    Ok(())
}

fn queue_line(job: &PrintJob) -> String {
    let created = local_time(&job.created_at, "%Y-%m-%d %H:%M:%S");
    let sale = job
        .sale_id
        .map_or_else(|| "-".to_owned(), |id| format!("sale {id}"));
    format!(
        "#{:<5} {:<8} {:<9} {:<9} {created}  {} attempt(s)  {}",
        job.id,
        job.kind,
        sale,
        job.state.as_str(),
        job.attempts,
        job.last_error.as_deref().unwrap_or("")
    )
}
