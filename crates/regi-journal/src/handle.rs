//! An async-friendly handle: the journal lives on its own thread, async code sends it jobs.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::Journal;
use super::error::JournalError;

type Job = Box<dyn FnOnce(&mut Journal) + Send>;

/// Cheap to clone; the writer thread stops when the last handle is dropped.
#[derive(Clone)]
pub struct JournalHandle {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for JournalHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JournalHandle")
    }
}

impl JournalHandle {
    /// Moves `journal` onto a dedicated writer thread. Join the returned thread after
    /// dropping every handle to be sure the last write finished.
    pub fn spawn(journal: Journal) -> std::io::Result<(JournalHandle, JoinHandle<()>)> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || {
                let mut journal = journal;
                for job in queue {
                    // A panicking job must not take every later write down with it; its
                    // caller sees the dropped reply as `WriterGone`.
                    let _ = catch_unwind(AssertUnwindSafe(|| job(&mut journal)));
                }
            })?;
        Ok((JournalHandle { jobs }, thread))
    }

    /// Runs `f` on the writer thread and awaits its result without blocking the runtime,
    /// e.g. `handle.call(move |j| j.create_attempt(sale_id, provider, method)).await`.
    pub async fn call<T, F>(&self, f: F) -> Result<T, JournalError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Journal) -> Result<T, JournalError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Box::new(move |journal: &mut Journal| {
                let _ = reply.send(f(journal).map_err(|e| e.refine(journal.path())));
            }))
            .map_err(|_| JournalError::WriterGone)?;
        answer.await.map_err(|_| JournalError::WriterGone)?
    }

    /// Runs `f` on the writer thread and waits for its result, for plain threads (e.g. a print
    /// job on a blocking task). Never call it from the writer thread itself or an async task.
    pub fn call_blocking<T, F>(&self, f: F) -> Result<T, JournalError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Journal) -> Result<T, JournalError> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        self.jobs
            .send(Box::new(move |journal: &mut Journal| {
                let _ = reply.send(f(journal).map_err(|e| e.refine(journal.path())));
            }))
            .map_err(|_| JournalError::WriterGone)?;
        answer.recv().map_err(|_| JournalError::WriterGone)?
    }
}
