//! Bytes for the configured printer, the text they print, and sending the queue to the printer.

use regi_config::Lang;
use regi_printer::spool::{Blocked, FlushReport, JobId, PrintQueueStore, Spooler};
use regi_printer::{PrinterSettings, ReceiptDoc, Target, preview_text, receipt_bytes};

use super::error::ReceiptError;

/// The ESC/POS bytes of `doc` for the printer `settings` describe.
pub fn render(doc: &ReceiptDoc, settings: &PrinterSettings) -> Result<Vec<u8>, ReceiptError> {
    let profile = settings.resolved_profile()?;
    Ok(receipt_bytes(doc, &profile, settings)?)
}

/// What `bytes` print, as text.
pub fn preview(bytes: &[u8]) -> Result<String, ReceiptError> {
    Ok(preview_text(bytes)?)
}

/// Sends the pending jobs of `store`, oldest first, to `target` (else the configured printer),
/// asking its status first when configured. A printer that cannot even be opened (no USB device,
/// say) counts as a failed attempt of the oldest job; nothing leaves the queue unprinted.
pub fn flush_queue<S: PrintQueueStore>(
    mut store: S,
    settings: &PrinterSettings,
    target: Option<&Target>,
) -> Result<FlushReport, ReceiptError> {
    let target = match target {
        Some(target) => target.clone(),
        None => settings.target()?,
    };
    match target.open(settings.timeouts()) {
        Ok(transport) => Ok(Spooler::new(store, transport, settings.check_status).flush()?),
        Err(err) => {
            let pending = store.pending()?;
            let Some(oldest) = pending.first() else {
                return Ok(FlushReport::default());
            };
            let blocked = Blocked::Unreachable(format!("{target}: {err}"));
            store.mark_failed(oldest.id, &blocked.message_en())?;
            Ok(FlushReport {
                printed: Vec::new(),
                waiting: pending.len(),
                blocked: Some(blocked),
            })
        }
    }
}

/// How a print request ended. The sale is never affected by any of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintOutcome {
    /// On paper.
    Printed,
    /// Kept in the journal's print queue until the printer can take it.
    Queued { blocked: Blocked, waiting: usize },
    /// A training sale: shown on screen instead of printed (`[printer] print_on_training`).
    Preview(String),
    /// Something went wrong before or around the queue; `detail` says what.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReport {
    /// The job this request put in the queue, if it got that far.
    pub job_id: Option<JobId>,
    pub outcome: PrintOutcome,
    /// Every job printed during this request (older queued jobs go first).
    pub printed_jobs: Vec<JobId>,
}

impl PrintReport {
    /// The outcome of a flush, for the job `job_id` (or for the whole queue when `None`).
    pub fn from_flush(job_id: Option<JobId>, flush: FlushReport) -> Self {
        let printed = match job_id {
            Some(id) => flush.printed.contains(&id),
            None => flush.blocked.is_none(),
        };
        let outcome = match flush.blocked {
            Some(blocked) if !printed => PrintOutcome::Queued {
                blocked,
                waiting: flush.waiting,
            },
            _ => PrintOutcome::Printed,
        };
        PrintReport {
            job_id,
            outcome,
            printed_jobs: flush.printed,
        }
    }

    pub fn failed(job_id: Option<JobId>, detail: impl Into<String>) -> Self {
        PrintReport {
            job_id,
            outcome: PrintOutcome::Failed(detail.into()),
            printed_jobs: Vec::new(),
        }
    }

    pub fn is_printed(&self) -> bool {
        self.outcome == PrintOutcome::Printed
    }

    /// Text for the clerk's screen.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => self.message_ja(),
            Lang::En => self.message_en(),
        }
    }

    pub fn message_ja(&self) -> String {
        match &self.outcome {
            PrintOutcome::Printed => "レシートを印刷しました。".to_owned(),
            PrintOutcome::Queued { blocked, waiting } => match blocked {
                Blocked::Printer(problem) => format!(
                    "{} レシートは印刷待ちに残っています（{waiting}件）。",
                    problem.message_ja()
                ),
                Blocked::Unreachable(_) => {
                    format!("{}（印刷待ち {waiting}件）", blocked.message_ja())
                }
            },
            PrintOutcome::Preview(_) => {
                "トレーニング中のため、レシートは印刷せず画面に表示します。".to_owned()
            }
            PrintOutcome::Failed(detail) if self.job_id.is_some() => {
                format!("印刷できませんでした ({detail})。レシートは印刷待ちに残っています。")
            }
            PrintOutcome::Failed(detail) => format!(
                "レシートを作成できませんでした ({detail})。販売は記録済みです。履歴から再発行できます。"
            ),
        }
    }

    pub fn message_en(&self) -> String {
        match &self.outcome {
            PrintOutcome::Printed => "Receipt printed.".to_owned(),
            PrintOutcome::Queued { blocked, waiting } => match blocked {
                Blocked::Printer(problem) => format!(
                    "{} The receipt stays in the print queue ({waiting} waiting).",
                    problem.message_en()
                ),
                Blocked::Unreachable(_) => format!("{} ({waiting} waiting)", blocked.message_en()),
            },
            PrintOutcome::Preview(_) => {
                "Training mode: the receipt is shown on screen, not printed.".to_owned()
            }
            PrintOutcome::Failed(detail) if self.job_id.is_some() => {
                format!("Could not print ({detail}). The receipt stays in the print queue.")
            }
            PrintOutcome::Failed(detail) => format!(
                "Could not make the receipt ({detail}). The sale is recorded; reprint it from history."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::JournalQueue;
    use regi_journal::Journal;
    use regi_printer::PrinterProblem;

    #[test]
    fn an_unopenable_printer_counts_as_a_failed_attempt() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).expect("journal");
        let id = journal
            .enqueue_print(None, "receipt", b"x")
            .expect("queued");
        // A file inside a directory that does not exist cannot be created.
        let target = Target::File(dir.path().join("missing").join("out.bin"));
        let queue = JournalQueue::new(&mut journal);
        let report = flush_queue(queue, &PrinterSettings::default(), Some(&target)).expect("flush");
        assert_eq!(report.waiting, 1);
        assert!(matches!(report.blocked, Some(Blocked::Unreachable(_))));
        let pending = journal.pending_print_jobs().expect("pending");
        assert_eq!(pending[0].id, id);
        assert_eq!(pending[0].attempts, 1);
        assert!(pending[0].last_error.is_some());
    }

    #[test]
    fn reports_name_the_problem_and_the_queue() {
        let flush = FlushReport {
            printed: Vec::new(),
            waiting: 2,
            blocked: Some(Blocked::Printer(PrinterProblem::PaperOut)),
        };
        let report = PrintReport::from_flush(Some(4), flush);
        assert!(!report.is_printed());
        assert!(report.message_ja().contains("用紙") && report.message_ja().contains("2件"));
        assert!(report.message_en().contains("paper") && report.message_en().contains("queue"));
        let printed = PrintReport::from_flush(
            Some(4),
            FlushReport {
                printed: vec![3, 4],
                waiting: 0,
                blocked: None,
            },
        );
        assert!(printed.is_printed());
        assert_eq!(printed.message(Lang::En), "Receipt printed.");
        assert!(
            PrintReport::failed(None, "x")
                .message_ja()
                .contains("再発行")
        );
    }
}
