//! The journal as the spooler's persistent print queue: jobs are rows of `print_jobs`, so they
//! survive a restart, and a failed attempt is recorded with its reason while the job stays pending.

use chrono::{DateTime, Utc};

use regi_journal::{Journal, JournalError, JournalHandle, parse_timestamp};
use regi_printer::spool::{JobId, JobKind, NewPrintJob, PrintJob, PrintQueueStore, QueueError};

/// The word stored in `print_jobs.kind`.
pub fn job_kind_name(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Receipt => "receipt",
        JobKind::Refund => "refund",
        JobKind::Reprint => "reprint",
        JobKind::Report => "report",
        JobKind::Test => "test",
    }
}

/// The job kind for a stored word. Words this build does not know still print, as receipts: a
/// job is never dropped for its label.
pub fn job_kind(name: &str) -> JobKind {
    match name {
        "refund" => JobKind::Refund,
        "reprint" => JobKind::Reprint,
        "report" | "x_report" | "z_report" | "tab_statement" | "drawer_count" => JobKind::Report,
        "test" => JobKind::Test,
        _ => JobKind::Receipt,
    }
}

/// Print queue over a journal the caller holds (one-shot commands).
pub struct JournalQueue<'a> {
    journal: &'a mut Journal,
}

impl<'a> JournalQueue<'a> {
    pub fn new(journal: &'a mut Journal) -> Self {
        Self { journal }
    }
}

/// Print queue over the journal's writer thread, for blocking tasks of async code.
#[derive(Debug, Clone)]
pub struct HandleQueue {
    handle: JournalHandle,
}

impl HandleQueue {
    pub fn new(handle: JournalHandle) -> Self {
        Self { handle }
    }
}

fn queue_error(err: JournalError) -> QueueError {
    QueueError::new(err)
}

fn row_id(id: JobId) -> Result<i64, QueueError> {
    i64::try_from(id).map_err(|_| QueueError::new(format!("print job id {id} is out of range")))
}

fn to_spool_job(job: regi_journal::PrintJob) -> Result<PrintJob, QueueError> {
    let id = JobId::try_from(job.id)
        .map_err(|_| QueueError::new(format!("print job id {} is out of range", job.id)))?;
    Ok(PrintJob {
        id,
        kind: job_kind(&job.kind),
        created_at: parse_timestamp(&job.created_at).unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        attempts: u32::try_from(job.attempts).unwrap_or(u32::MAX),
        last_error: job.last_error,
        bytes: job.bytes,
    })
}

fn to_spool_jobs(jobs: Vec<regi_journal::PrintJob>) -> Result<Vec<PrintJob>, QueueError> {
    jobs.into_iter().map(to_spool_job).collect()
}

impl PrintQueueStore for JournalQueue<'_> {
    fn enqueue(&mut self, job: NewPrintJob) -> Result<JobId, QueueError> {
        let id = self
            .journal
            .enqueue_print(None, job_kind_name(job.kind), &job.bytes)
            .map_err(queue_error)?;
        JobId::try_from(id).map_err(|_| QueueError::new(format!("print job id {id} is negative")))
    }

    fn pending(&self) -> Result<Vec<PrintJob>, QueueError> {
        to_spool_jobs(self.journal.pending_print_jobs().map_err(queue_error)?)
    }

    fn mark_printed(&mut self, id: JobId) -> Result<(), QueueError> {
        self.journal.mark_printed(row_id(id)?).map_err(queue_error)
    }

    fn mark_failed(&mut self, id: JobId, reason: &str) -> Result<(), QueueError> {
        self.journal
            .record_print_failure(row_id(id)?, reason)
            .map_err(queue_error)
    }
}

impl PrintQueueStore for HandleQueue {
    fn enqueue(&mut self, job: NewPrintJob) -> Result<JobId, QueueError> {
        let id = self
            .handle
            .call_blocking(move |j| j.enqueue_print(None, job_kind_name(job.kind), &job.bytes))
            .map_err(queue_error)?;
        JobId::try_from(id).map_err(|_| QueueError::new(format!("print job id {id} is negative")))
    }

    fn pending(&self) -> Result<Vec<PrintJob>, QueueError> {
        let jobs = self
            .handle
            .call_blocking(|j| j.pending_print_jobs())
            .map_err(queue_error)?;
        to_spool_jobs(jobs)
    }

    fn mark_printed(&mut self, id: JobId) -> Result<(), QueueError> {
        let id = row_id(id)?;
        self.handle
            .call_blocking(move |j| j.mark_printed(id))
            .map_err(queue_error)
    }

    fn mark_failed(&mut self, id: JobId, reason: &str) -> Result<(), QueueError> {
        let id = row_id(id)?;
        let reason = reason.to_owned();
        self.handle
            .call_blocking(move |j| j.record_print_failure(id, &reason))
            .map_err(queue_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(bytes: &[u8]) -> NewPrintJob {
        NewPrintJob {
            kind: JobKind::Reprint,
            bytes: bytes.to_vec(),
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn kinds_round_trip_and_unknown_words_still_print() {
        for kind in [
            JobKind::Receipt,
            JobKind::Refund,
            JobKind::Reprint,
            JobKind::Report,
            JobKind::Test,
        ] {
            assert_eq!(job_kind(job_kind_name(kind)), kind);
        }
        assert_eq!(job_kind("z_report"), JobKind::Report);
        assert_eq!(job_kind("label-from-the-future"), JobKind::Receipt);
    }

    #[test]
    fn failures_keep_the_job_pending_with_its_reason() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).expect("journal");
        let mut queue = JournalQueue::new(&mut journal);
        let id = queue.enqueue(job(b"abc")).expect("queued");
        queue.mark_failed(id, "paper out").expect("recorded");
        queue.mark_failed(id, "cover open").expect("recorded");
        let pending = queue.pending().expect("pending");
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].kind, JobKind::Reprint);
        assert_eq!(pending[0].bytes, b"abc");
        assert_eq!(pending[0].attempts, 2);
        assert_eq!(pending[0].last_error.as_deref(), Some("cover open"));
        queue.mark_printed(id).expect("printed");
        assert!(queue.pending().expect("pending").is_empty());
        assert!(queue.mark_failed(id, "late").is_err());
    }

    #[test]
    fn handle_queue_works_from_a_plain_thread() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = Journal::open(&dir.path().join("j.sqlite")).expect("journal");
        let (handle, writer) = JournalHandle::spawn(journal).expect("writer");
        let mut queue = HandleQueue::new(handle);
        let id = queue.enqueue(job(b"xyz")).expect("queued");
        queue.mark_failed(id, "offline").expect("recorded");
        assert_eq!(queue.pending().expect("pending")[0].attempts, 1);
        queue.mark_printed(id).expect("printed");
        assert!(queue.pending().expect("pending").is_empty());
        drop(queue);
        writer.join().expect("writer stops");
    }
}
