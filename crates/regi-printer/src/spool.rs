//! The print queue: every job is stored before it is sent, sent only when the printer says it can
//! print, and stays queued (with the reason) until it has been sent. Nothing is ever dropped.
//! The journal provides the persistent store; `MemoryQueue` serves tests and one-shot commands.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::status::PrinterProblem;
use super::transport::PrinterTransport;

pub type JobId = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobKind {
    Receipt,
    Refund,
    Reprint,
    Report,
    Test,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrintJob {
    pub kind: JobKind,
    /// Rendered ESC/POS bytes: exactly what goes to the printer (and what a preview decodes).
    pub bytes: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub id: JobId,
    pub kind: JobKind,
    pub bytes: Vec<u8>,
    pub created_at: DateTime<Utc>,
    /// Failed sends so far.
    pub attempts: u32,
    pub last_error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("print queue: {source}")]
pub struct QueueError {
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl QueueError {
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            source: source.into(),
        }
    }
}

/// Persistent storage for print jobs.
pub trait PrintQueueStore {
    fn enqueue(&mut self, job: NewPrintJob) -> Result<JobId, QueueError>;
    /// Jobs not yet printed, oldest first.
    fn pending(&self) -> Result<Vec<PrintJob>, QueueError>;
    fn mark_printed(&mut self, id: JobId) -> Result<(), QueueError>;
    /// Records a failed attempt; the job stays pending.
    fn mark_failed(&mut self, id: JobId, reason: &str) -> Result<(), QueueError>;
}

/// A queue in memory.
#[derive(Debug, Default)]
pub struct MemoryQueue {
    jobs: Vec<(PrintJob, bool)>,
}

impl MemoryQueue {
    pub fn new() -> Self {
        Self::default()
    }

    /// Ids of printed jobs, in the order they were queued.
    pub fn printed(&self) -> Vec<JobId> {
        self.jobs
            .iter()
            .filter(|(_, printed)| *printed)
            .map(|(job, _)| job.id)
            .collect()
    }

    fn find(&mut self, id: JobId) -> Result<&mut (PrintJob, bool), QueueError> {
        self.jobs
            .iter_mut()
            .find(|(job, _)| job.id == id)
            .ok_or_else(|| QueueError::new(format!("no print job {id}")))
    }
}

impl PrintQueueStore for MemoryQueue {
    fn enqueue(&mut self, job: NewPrintJob) -> Result<JobId, QueueError> {
        let id = self.jobs.len() as JobId + 1;
        self.jobs.push((
            PrintJob {
                id,
                kind: job.kind,
                bytes: job.bytes,
                created_at: job.created_at,
                attempts: 0,
                last_error: None,
            },
            false,
        ));
        Ok(id)
    }

    fn pending(&self) -> Result<Vec<PrintJob>, QueueError> {
        Ok(self
            .jobs
            .iter()
            .filter(|(_, printed)| !printed)
            .map(|(job, _)| job.clone())
            .collect())
    }

    fn mark_printed(&mut self, id: JobId) -> Result<(), QueueError> {
        self.find(id)?.1 = true;
        Ok(())
    }

    fn mark_failed(&mut self, id: JobId, reason: &str) -> Result<(), QueueError> {
        let (job, _) = self.find(id)?;
        job.attempts += 1;
        job.last_error = Some(reason.to_owned());
        Ok(())
    }
}

/// Why queued jobs are waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// The printer answered and cannot print.
    Printer(PrinterProblem),
    /// The printer could not be reached or did not take the bytes.
    Unreachable(String),
}

impl Blocked {
    pub fn message_ja(&self) -> String {
        match self {
            Blocked::Printer(problem) => problem.message_ja().to_owned(),
            Blocked::Unreachable(detail) => {
                format!("プリンターに接続できません ({detail})。レシートは印刷待ちに残っています。")
            }
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Blocked::Printer(problem) => problem.message_en().to_owned(),
            Blocked::Unreachable(detail) => {
                format!("Cannot reach the printer ({detail}). The receipt stays queued.")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlushReport {
    pub printed: Vec<JobId>,
    /// Jobs still queued after this round.
    pub waiting: usize,
    pub blocked: Option<Blocked>,
}

pub struct Spooler<S, T> {
    store: S,
    transport: T,
    check_status: bool,
}

impl<S: PrintQueueStore, T: PrinterTransport> Spooler<S, T> {
    /// `check_status`: ask the printer before each job where the transport can.
    pub fn new(store: S, transport: T, check_status: bool) -> Self {
        Self {
            store,
            transport,
            check_status,
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Queues a job, then prints what can be printed.
    pub fn submit(&mut self, job: NewPrintJob) -> Result<(JobId, FlushReport), QueueError> {
        let id = self.store.enqueue(job)?;
        Ok((id, self.flush()?))
    }

    /// Prints pending jobs in order until one cannot be printed. Call it when the printer may be
    /// back (periodically, or when the clerk presses retry).
    pub fn flush(&mut self) -> Result<FlushReport, QueueError> {
        let pending = self.store.pending()?;
        let mut report = FlushReport::default();
        for (index, job) in pending.iter().enumerate() {
            let outcome = self.ready().and_then(|()| {
                self.transport
                    .write_all(&job.bytes)
                    .map_err(|e| Blocked::Unreachable(e.to_string()))
            });
            match outcome {
                Ok(()) => {
                    self.store.mark_printed(job.id)?;
                    report.printed.push(job.id);
                }
                Err(blocked) => {
                    self.store.mark_failed(job.id, &blocked.message_en())?;
                    tracing::warn!(job = job.id, reason = %blocked.message_en(), "print job waits");
                    report.waiting = pending.len() - index;
                    report.blocked = Some(blocked);
                    break;
                }
            }
        }
        Ok(report)
    }

    fn ready(&mut self) -> Result<(), Blocked> {
        if !self.check_status {
            return Ok(());
        }
        printer_ready(&mut self.transport)
    }
}

/// Asks the printer whether it can print now. A transport that cannot read answers (a file)
/// counts as ready.
pub fn printer_ready<T: PrinterTransport + ?Sized>(transport: &mut T) -> Result<(), Blocked> {
    match transport.status() {
        None => Ok(()),
        Some(Ok(status)) => status
            .problem()
            .map_or(Ok(()), |p| Err(Blocked::Printer(p))),
        Some(Err(e)) => Err(Blocked::Unreachable(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::PrinterStatus;
    use crate::transport::TransportError;

    /// A printer whose status and acceptance the test sets.
    #[derive(Default)]
    struct FakePrinter {
        status: Option<PrinterStatus>,
        refuse_writes: bool,
        received: Vec<Vec<u8>>,
    }

    impl PrinterTransport for FakePrinter {
        fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
            if self.refuse_writes {
                return Err(TransportError::io("fake", std::io::Error::other("refused")));
            }
            self.received.push(bytes.to_vec());
            Ok(())
        }

        fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>> {
            self.status.map(Ok)
        }

        fn describe(&self) -> String {
            "fake".into()
        }
    }

    fn job(bytes: &[u8]) -> NewPrintJob {
        NewPrintJob {
            kind: JobKind::Receipt,
            bytes: bytes.to_vec(),
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn jobs_wait_while_paper_is_out_and_print_in_order_after() {
        let printer = FakePrinter {
            status: Some(PrinterStatus {
                paper_out: true,
                ..PrinterStatus::READY
            }),
            ..FakePrinter::default()
        };
        let mut spooler = Spooler::new(MemoryQueue::new(), printer, true);
        let (first, report) = spooler.submit(job(b"one")).expect("queued");
        assert_eq!(
            report.blocked,
            Some(Blocked::Printer(PrinterProblem::PaperOut))
        );
        let (_, report) = spooler.submit(job(b"two")).expect("queued");
        assert_eq!(report.waiting, 2);
        let pending = spooler.store().pending().expect("pending");
        assert_eq!(pending[0].id, first);
        assert_eq!(pending[0].attempts, 2);
        assert!(spooler.transport_mut().received.is_empty());

        spooler.transport_mut().status = Some(PrinterStatus::READY);
        let report = spooler.flush().expect("flushed");
        assert_eq!(report.printed, [1, 2]);
        assert_eq!(report.waiting, 0);
        assert_eq!(
            spooler.transport_mut().received,
            [b"one".to_vec(), b"two".to_vec()]
        );
        assert!(spooler.store().pending().expect("pending").is_empty());
    }

    #[test]
    fn failed_writes_keep_the_job() {
        let printer = FakePrinter {
            refuse_writes: true,
            ..FakePrinter::default()
        };
        let mut spooler = Spooler::new(MemoryQueue::new(), printer, true);
        let (_, report) = spooler.submit(job(b"x")).expect("queued");
        assert!(matches!(report.blocked, Some(Blocked::Unreachable(_))));
        assert_eq!(spooler.store().pending().expect("pending").len(), 1);
        spooler.transport_mut().refuse_writes = false;
        assert_eq!(spooler.flush().expect("flushed").printed, [1]);
    }

    #[test]
    fn status_is_skipped_when_disabled_or_unsupported() {
        let printer = FakePrinter {
            status: Some(PrinterStatus {
                cover_open: true,
                ..PrinterStatus::READY
            }),
            ..FakePrinter::default()
        };
        let mut spooler = Spooler::new(MemoryQueue::new(), printer, false);
        assert_eq!(spooler.submit(job(b"x")).expect("queued").1.printed, [1]);
        let mut spooler = Spooler::new(MemoryQueue::new(), FakePrinter::default(), true);
        assert_eq!(spooler.submit(job(b"x")).expect("queued").1.printed, [1]);
    }
}
