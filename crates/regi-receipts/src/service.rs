//! What the TUI calls after a payment and from the sales history. Printing never fails a sale:
//! every problem comes back as a [`PrintReport`] with a message for the clerk. Slips of training
//! sales are shown instead of printed unless `[printer] print_on_training` is set.

use std::sync::Mutex;

use super::printing::{PrintOutcome, PrintReport, flush_queue, preview};
use super::queue::{HandleQueue, job_kind_name};
use super::slip::{PreparedSlip, Slip, load_slip, prepare_slip};
use regi_config::Config;
use regi_journal::JournalHandle;
use regi_printer::spool::JobId;

/// One flush at a time in this process, so two quick requests never send the same job twice.
static FLUSHING: Mutex<()> = Mutex::new(());

/// Prints the receipt of a sale that was just paid. `money_name` is what the provider reported
/// with the payment; it is kept in the journal so reprints show it too.
pub async fn print_sale(
    journal: &JournalHandle,
    config: &Config,
    sale_id: i64,
    money_name: Option<&str>,
) -> PrintReport {
    if let Some(name) = money_name.map(str::trim).filter(|n| !n.is_empty()) {
        let name = name.to_owned();
        if let Err(err) = journal
            .call(move |j| j.record_money_name(sale_id, &name))
            .await
        {
            tracing::warn!(sale_id, %err, "money name not recorded");
        }
    }
    let record = match journal
        .call(move |j| load_slip(j, sale_id, Slip::Sale))
        .await
    {
        Ok(record) => record,
        Err(err) => return PrintReport::failed(None, err.to_string()),
    };
    match prepare_slip(&record, config, money_name, false) {
        Ok(prepared) => queue_and_flush(journal, config, prepared).await,
        Err(err) => PrintReport::failed(None, err.to_string()),
    }
}

/// Prints a sale's receipt or refund slip again from history; `reprint` marks it 再発行 even if
/// the journal has no earlier print of it.
pub async fn print_slip(
    journal: &JournalHandle,
    config: &Config,
    sale_id: i64,
    slip: Slip,
    reprint: bool,
) -> PrintReport {
    let record = match journal.call(move |j| load_slip(j, sale_id, slip)).await {
        Ok(record) => record,
        Err(err) => return PrintReport::failed(None, err.to_string()),
    };
    match prepare_slip(&record, config, None, reprint) {
        Ok(prepared) => queue_and_flush(journal, config, prepared).await,
        Err(err) => PrintReport::failed(None, err.to_string()),
    }
}

/// Queues the slip and prints what the printer takes. A slip of a training sale is only
/// previewed, never queued, unless `[printer] print_on_training` is set.
async fn queue_and_flush(
    journal: &JournalHandle,
    config: &Config,
    prepared: PreparedSlip,
) -> PrintReport {
    if prepared.doc.training && !config.printer.print_on_training {
        return match preview(&prepared.bytes) {
            Ok(text) => PrintReport {
                job_id: None,
                outcome: PrintOutcome::Preview(text),
                printed_jobs: Vec::new(),
            },
            Err(err) => PrintReport::failed(None, err.to_string()),
        };
    }
    let PreparedSlip {
        sale_id,
        kind,
        bytes,
        ..
    } = prepared;
    queue_and_flush_bytes(journal, config, Some(sale_id), job_kind_name(kind), bytes).await
}

/// Queues rendered bytes as a print job of `kind` and prints what the printer takes.
pub(super) async fn queue_and_flush_bytes(
    journal: &JournalHandle,
    config: &Config,
    sale_id: Option<i64>,
    kind: &'static str,
    bytes: Vec<u8>,
) -> PrintReport {
    let queued = journal
        .call(move |j| j.enqueue_print(sale_id, kind, &bytes))
        .await;
    match queued {
        Ok(id) => flush(journal, config, JobId::try_from(id).ok()).await,
        Err(err) => PrintReport::failed(None, err.to_string()),
    }
}

async fn flush(journal: &JournalHandle, config: &Config, job_id: Option<JobId>) -> PrintReport {
    let queue = HandleQueue::new(journal.clone());
    let settings = config.printer.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = FLUSHING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        flush_queue(queue, &settings, None)
    });
    match task.await {
        Ok(Ok(report)) => PrintReport::from_flush(job_id, report),
        Ok(Err(err)) => PrintReport::failed(job_id, err.to_string()),
        Err(err) => PrintReport::failed(job_id, format!("the print task stopped: {err}")),
    }
}
