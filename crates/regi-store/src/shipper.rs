//! The shipper: a background task that copies this terminal's outbox to PostgreSQL, in sequence
//! order, in batches, idempotently.
//!
//! Where to go on from is the newest `seq` PostgreSQL holds for this terminal: asked of it at
//! the start, after any failure and at least every [`HEARTBEAT`], and otherwise known from the
//! last batch it committed. An acknowledgement lost after a commit costs nothing: the failure
//! makes the next round ask, it starts after what was committed, and a batch sent twice inserts
//! nothing twice (`(terminal_id, seq)` is unique). A batch of which the store already held some
//! events (another writer for this terminal) makes the next round ask too. Before shipping, the
//! newest event the store holds is compared with the journal's event of the same number: a
//! journal restored from an older backup (its sequence went back, or was rewritten since) is
//! reported and never shipped over what the store has. The journal is only read (a read-only
//! connection beside the writer), so selling never waits on this task; the task runs on a
//! runtime below selling's CPU priority ([`crate::background`]).
//!
//! Between sales most rounds find nothing new: such a round reads only the journal's newest
//! number (on a connection kept open for it, opened again when the journal's files change) and
//! asks PostgreSQL nothing, so a store of many tills polling often costs neither the tills nor
//! the server. A round that ships sends two prepared statements in one transaction.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use regi_journal::{Journal, OutboxEvent, parse_timestamp};
use serde::Serialize;
use tokio::sync::{Notify, watch};

use crate::{StoreError, StoreTarget};

/// Events sent in one transaction.
pub const BATCH: usize = 500;

/// How often a till with nothing new still tells the store how far its journal has got.
pub const HEARTBEAT: Duration = Duration::from_secs(30);

/// How this terminal's shipping stands, as the till and `regi store status` show it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ShipperStatus {
    pub terminal_id: String,
    /// The newest event the store holds (0: none yet).
    pub shipped_seq: i64,
    /// The newest event in the journal.
    pub journal_seq: i64,
    /// Events in the journal not yet in the store.
    pub lag_events: i64,
    /// How long the oldest unshipped event has waited, in seconds (0 when none waits).
    pub lag_secs: i64,
    /// Why the last round failed; `None` after a round that succeeded.
    pub last_error: Option<String>,
}

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipOutcome {
    /// Shipped this many events (a full batch: more may be waiting).
    Shipped(usize),
    /// Nothing was waiting.
    UpToDate,
}

#[derive(Clone)]
pub struct Shipper {
    journal_path: PathBuf,
    terminal_id: String,
    store_id: String,
    pool: Pool,
    batch: usize,
    /// The journal as the last round that shipped opened it, kept for the rounds that only look
    /// for something new.
    reader: Arc<Mutex<Option<KeptReader>>>,
    /// What the last round that reached the store left there.
    known: Arc<Mutex<Known>>,
}

/// The store as the last round that reached it left it; forgotten after any failure (and after
/// a batch the store already held part of), so the next round asks the store again.
#[derive(Debug, Clone, Default)]
struct Known {
    /// The newest event the store holds for this terminal (`Some(None)`: none yet).
    newest: Option<Option<StoredEvent>>,
    /// This login is registered for this terminal of this store.
    registered: bool,
    /// When the store was last asked where this terminal stands.
    asked: Option<Instant>,
    /// When the store was last told the journal's head.
    told: Option<Instant>,
}

impl Known {
    /// The newest event number the store holds for this terminal, when known.
    fn shipped(&self) -> Option<i64> {
        self.newest
            .as_ref()
            .map(|newest| newest.as_ref().map_or(0, |e| e.seq))
    }

    /// The newest event the store holds, when known recently enough not to ask.
    fn newest_without_asking(&self) -> Option<Option<StoredEvent>> {
        self.asked
            .is_some_and(|asked| asked.elapsed() < HEARTBEAT)
            .then(|| self.newest.clone())
            .flatten()
    }
}

/// A read connection kept open, with the files it was opened on: a journal put back from a
/// backup (its write-ahead files made anew) is opened again rather than read through a stale
/// view.
struct KeptReader {
    journal: Journal,
    files: JournalFiles,
}

impl KeptReader {
    /// The reader `kept`, or the journal at `path` opened again when there is none or its files
    /// changed: a journal put back from a backup is read as it now is. A reader that failed is
    /// not put back by its callers, so the next round opens afresh.
    fn current(kept: Option<KeptReader>, path: &Path) -> Result<KeptReader, StoreError> {
        let files = JournalFiles::of(path);
        match kept {
            Some(reader) if reader.files == files => Ok(reader),
            _ => Ok(KeptReader {
                journal: Journal::open_read_only(path)?,
                files,
            }),
        }
    }
}

/// Which files the journal is: the database and its shared-memory index, by device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct JournalFiles {
    database: Option<(u64, u64)>,
    index: Option<(u64, u64)>,
}

impl JournalFiles {
    fn of(path: &Path) -> JournalFiles {
        use std::os::unix::fs::MetadataExt as _;
        let id = |path: &Path| std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()));
        let mut index = path.as_os_str().to_owned();
        index.push("-shm");
        JournalFiles {
            database: id(path),
            index: id(Path::new(&index)),
        }
    }
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shipper {
    pub fn new(
        journal_path: &Path,
        target: &StoreTarget,
        terminal_id: &str,
        store_id: &str,
    ) -> Result<Shipper, StoreError> {
        Ok(Shipper {
            journal_path: journal_path.to_path_buf(),
            terminal_id: terminal_id.to_string(),
            store_id: store_id.to_string(),
            pool: target.pool(1)?,
            batch: BATCH,
            reader: Arc::default(),
            known: Arc::default(),
        })
    }

    /// Ships in batches of `batch` events (tests use small ones to see several).
    pub fn with_batch(mut self, batch: usize) -> Shipper {
        self.batch = batch.max(1);
        self
    }

    pub fn terminal_id(&self) -> &str {
        &self.terminal_id
    }

    /// One round: checks the store and the journal agree, then ships the next batch.
    pub async fn ship_once(&self) -> Result<ShipOutcome, StoreError> {
        let result = self.round().await;
        if result.is_err() {
            *locked(&self.known) = Known::default();
        }
        if let Err(StoreError::Diverged(why)) = &result {
            // Said where every manager looks; the store's rows stay as they are.
            tracing::error!(terminal = %self.terminal_id, "store shipping stopped: {why}");
            let _ = self.record_error(why).await;
        }
        result
    }

    /// Ships until nothing waits; returns how many events were shipped.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let mut total = 0;
        loop {
            match self.ship_once().await? {
                ShipOutcome::Shipped(n) => total += n,
                ShipOutcome::UpToDate => return Ok(total),
            }
        }
    }

    async fn round(&self) -> Result<ShipOutcome, StoreError> {
        let known = locked(&self.known).clone();
        if let (Some(shipped), Some(told)) = (known.shipped(), known.told)
            && told.elapsed() < HEARTBEAT
            && self.journal_head().await? == shipped
        {
            return Ok(ShipOutcome::UpToDate);
        }
        let mut client = self.pool.get().await?;
        // Read again with the connection held: from here rounds of this shipper (and of its
        // clones) run one at a time.
        let known = locked(&self.known).clone();
        if !known.registered {
            self.check_registered(&client).await?;
        }
        if let Some(newest) = known.newest_without_asking()
            && let Some(outcome) = self.ship_after(&mut client, newest, known.asked).await?
        {
            return Ok(outcome);
        }
        // Not known, or the store already held part of the batch (shipped by someone else):
        // the store says where this terminal stands.
        let newest = self.newest_in_store(&client).await?;
        let outcome = self.ship_after(&mut client, newest, None).await?;
        Ok(outcome.unwrap_or(ShipOutcome::UpToDate))
    }

    /// Ships the batch after `newest`, the newest event the store holds: as known from the round
    /// of `asked` (then `None`, nothing committed, when the store already held part of the batch)
    /// or as just asked (`asked` is `None`; events the store holds are left as they are).
    async fn ship_after(
        &self,
        client: &mut deadpool_postgres::Client,
        newest: Option<StoredEvent>,
        asked: Option<Instant>,
    ) -> Result<Option<ShipOutcome>, StoreError> {
        let trusted = asked.is_some();
        let asked = asked.unwrap_or_else(Instant::now);
        let shipped = newest.as_ref().map_or(0, |e| e.seq);
        let local = self.read_journal(newest.clone(), self.batch).await?;

        let tx = client.transaction().await?;
        // The batch in one statement: the store applies it at once (schema 4).
        let mut columns = BatchColumns::default();
        for event in &local.batch {
            columns.seq.push(event.seq);
            columns.event_id.push(event.event_id);
            columns.at.push(parse_timestamp(&event.at)?);
            columns.kind.push(event.kind.clone());
            columns.sale_id.push(event.sale_id);
            columns.attempt_id.push(event.attempt_id);
            columns.detail.push(event.detail.clone());
            columns.snapshot.push(event.snapshot.clone());
        }
        let mut inserted = 0;
        if !local.batch.is_empty() {
            let insert = tx
                .prepare_cached(
                    "INSERT INTO regi.events (terminal_id, seq, event_id, at, kind, sale_id, \
                       attempt_id, detail, snapshot) \
                     SELECT $1, * FROM UNNEST($2::bigint[], $3::bigint[], $4::timestamptz[], \
                       $5::text[], $6::bigint[], $7::bigint[], $8::jsonb[], $9::jsonb[]) \
                     ON CONFLICT (terminal_id, seq) DO NOTHING",
                )
                .await?;
            inserted = tx
                .execute(
                    &insert,
                    &[
                        &self.terminal_id,
                        &columns.seq,
                        &columns.event_id,
                        &columns.at,
                        &columns.kind,
                        &columns.sale_id,
                        &columns.attempt_id,
                        &columns.detail,
                        &columns.snapshot,
                    ],
                )
                .await?;
        }
        let head_at = local.head_at.as_deref().map(parse_timestamp).transpose()?;
        let tell = tx
            .prepare_cached(
                "UPDATE regi.terminals SET journal_head = $2, journal_head_at = $3, \
                   last_contact = now(), last_error = NULL, last_error_at = NULL \
                 WHERE terminal_id = $1",
            )
            .await?;
        let sent = local.batch.len();
        if trusted && inserted < sent as u64 {
            // Dropped uncommitted: the store moved on without this shipper knowing.
            *locked(&self.known) = Known::default();
            return Ok(None);
        }
        tx.execute(
            &tell,
            &[&self.terminal_id, &local.head.max(shipped), &head_at],
        )
        .await?;
        tx.commit().await?;
        let newest = match local.batch.last() {
            Some(last) => Some(StoredEvent::of(last)?),
            None => newest,
        };
        *locked(&self.known) = Known {
            newest: Some(newest),
            registered: true,
            asked: Some(asked),
            told: Some(Instant::now()),
        };
        Ok(Some(match sent {
            0 => ShipOutcome::UpToDate,
            n => ShipOutcome::Shipped(n),
        }))
    }

    /// The newest event the store holds for this terminal.
    async fn newest_in_store(
        &self,
        client: &deadpool_postgres::Client,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let newest = client
            .prepare_cached(
                "SELECT seq, event_id, kind, at FROM regi.events WHERE terminal_id = $1 \
                 ORDER BY seq DESC LIMIT 1",
            )
            .await?;
        Ok(client
            .query_opt(&newest, &[&self.terminal_id])
            .await?
            .map(|row| StoredEvent {
                seq: row.get(0),
                event_id: row.get(1),
                kind: row.get(2),
                at: row.get(3),
            }))
    }

    /// Refuses a login that is not registered for this terminal of this store.
    async fn check_registered(&self, client: &tokio_postgres::Client) -> Result<(), StoreError> {
        let registered = client
            .query_opt(
                "SELECT store_id FROM regi.terminals \
                 WHERE terminal_id = $1 AND role_name = current_user",
                &[&self.terminal_id],
            )
            .await?;
        match registered {
            None => {
                return Err(StoreError::Settings(format!(
                    "terminal id {:?} is not registered in the store for this login (another \
                     till may use the id; each till needs its own, added with \
                     regi.add_terminal)",
                    self.terminal_id
                )));
            }
            Some(row) if row.get::<_, String>(0) != self.store_id => {
                return Err(StoreError::Settings(format!(
                    "terminal {:?} belongs to store {:?}, not {:?}",
                    self.terminal_id,
                    row.get::<_, String>(0),
                    self.store_id
                )));
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// The newest event of the journal, read on the connection kept for it.
    async fn journal_head(&self) -> Result<i64, StoreError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.head_now())
            .await
            .map_err(|e| StoreError::Database(format!("journal reader stopped: {e}")))?
    }

    fn head_now(&self) -> Result<i64, StoreError> {
        let mut slot = locked(&self.reader);
        let reader = KeptReader::current(slot.take(), &self.journal_path)?;
        let head = reader.journal.outbox_head()?;
        *slot = Some(reader);
        Ok(head.map_or(0, |h| h.0))
    }

    /// The journal's side of a round: its head, a check that it still holds what the store
    /// has, and the next batch.
    async fn read_journal(
        &self,
        newest: Option<StoredEvent>,
        batch: usize,
    ) -> Result<LocalBatch, StoreError> {
        let path = self.journal_path.clone();
        let terminal = self.terminal_id.clone();
        let kept = self.reader.clone();
        tokio::task::spawn_blocking(move || -> Result<LocalBatch, StoreError> {
            let KeptReader { journal, files } = KeptReader::current(locked(&kept).take(), &path)?;
            let (head, head_at) = match journal.outbox_head()? {
                Some((seq, at)) => (seq, Some(at)),
                None => (0, None),
            };
            let shipped = newest.as_ref().map_or(0, |e| e.seq);
            if let Some(stored) = &newest {
                if head < stored.seq {
                    return Err(StoreError::Diverged(format!(
                        "the journal of terminal {terminal} ends at event {head} but the store \
                         already has {}: it went back (restored from an older backup?); \
                         nothing was shipped over the store's events",
                        stored.seq
                    )));
                }
                let same = journal
                    .outbox_event(stored.seq)?
                    .is_some_and(|local| stored.matches(&local));
                if !same {
                    return Err(StoreError::Diverged(format!(
                        "event {} of terminal {terminal} in the journal is not the one the store \
                         has: the journal was replaced (restored from an older backup?); \
                         nothing was shipped over the store's events",
                        stored.seq
                    )));
                }
            }
            let batch = journal.outbox_after(shipped, batch)?;
            *locked(&kept) = Some(KeptReader { journal, files });
            Ok(LocalBatch {
                head,
                head_at,
                batch,
            })
        })
        .await
        .map_err(|e| StoreError::Database(format!("journal reader stopped: {e}")))?
    }

    async fn record_error(&self, why: &str) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "UPDATE regi.terminals SET last_error = $2, last_error_at = now() \
                 WHERE terminal_id = $1",
                &[&self.terminal_id, &why],
            )
            .await?;
        Ok(())
    }

    /// [`Shipper::local_status`], read off the runtime's worker.
    async fn status_now(&self, shipped_seq: i64, last_error: Option<String>) -> ShipperStatus {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.local_status(shipped_seq, last_error))
            .await
            .unwrap_or_default()
    }

    /// This terminal's status as far as the journal and the store's last answer tell.
    fn local_status(&self, shipped_seq: i64, last_error: Option<String>) -> ShipperStatus {
        let mut status = ShipperStatus {
            terminal_id: self.terminal_id.clone(),
            shipped_seq,
            last_error,
            ..ShipperStatus::default()
        };
        if let Ok(head) = self.head_now() {
            status.journal_seq = head;
            status.lag_events = (head - shipped_seq).max(0);
            let oldest = locked(&self.reader)
                .as_ref()
                .filter(|_| status.lag_events > 0)
                .and_then(|kept| kept.journal.outbox_event(shipped_seq + 1).ok().flatten());
            if let Some(oldest) = oldest
                && let Ok(at) = parse_timestamp(&oldest.at)
            {
                status.lag_secs = (Utc::now() - at).num_seconds().max(0);
            }
        }
        status
    }

    /// Runs the shipper until the handle is dropped, on the background runtime
    /// ([`crate::background`]): ships whenever nudged or every `poll`, backs off (up to ten
    /// seconds) while PostgreSQL is down, and catches up when it is back. Its status changes
    /// reach the handle's watchers only when something in it changed.
    pub fn spawn(self, poll: Duration) -> ShipperHandle {
        let (status_tx, status_rx) = watch::channel(ShipperStatus {
            terminal_id: self.terminal_id.clone(),
            ..ShipperStatus::default()
        });
        let nudge = Arc::new(Notify::new());
        let woken = nudge.clone();
        let task = crate::background::handle().spawn(async move {
            let mut backoff = Backoff::new(poll);
            let mut shipped_seq = 0;
            loop {
                let result = self.ship_once().await;
                if let Some(seq) = locked(&self.known).shipped() {
                    shipped_seq = seq;
                }
                let (wait, status) = match result {
                    Ok(ShipOutcome::Shipped(n)) if n >= self.batch => {
                        (Duration::ZERO, self.status_now(shipped_seq, None).await)
                    }
                    Ok(ShipOutcome::Shipped(_)) => {
                        (backoff.reset(), self.status_now(shipped_seq, None).await)
                    }
                    // Nothing was waiting: the journal ends where the store does.
                    Ok(ShipOutcome::UpToDate) => (
                        backoff.reset(),
                        ShipperStatus {
                            terminal_id: self.terminal_id.clone(),
                            shipped_seq,
                            journal_seq: shipped_seq,
                            ..ShipperStatus::default()
                        },
                    ),
                    Err(error) => (
                        backoff.next(),
                        self.status_now(shipped_seq, Some(error.to_string())).await,
                    ),
                };
                if status_tx.is_closed() {
                    return;
                }
                status_tx.send_if_modified(|shown| {
                    let changed = *shown != status;
                    *shown = status;
                    changed
                });
                if !wait.is_zero() {
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = woken.notified() => {}
                    }
                }
            }
        });
        ShipperHandle {
            status: status_rx,
            nudge,
            task,
        }
    }
}

/// The running shipper: its status, a way to wake it after a write, and its task (stopped
/// when the handle is dropped).
pub struct ShipperHandle {
    status: watch::Receiver<ShipperStatus>,
    nudge: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl ShipperHandle {
    pub fn status(&self) -> ShipperStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every new status (for the till's screen).
    pub fn watch(&self) -> watch::Receiver<ShipperStatus> {
        self.status.clone()
    }

    /// Ships now rather than at the next poll (after a journal write).
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }
}

impl Drop for ShipperHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Waits between rounds: `poll` while all is well, doubling after each failure up to
/// [`MAX_BACKOFF`]: a store that comes back is heard from within seconds by every till.
struct Backoff {
    poll: Duration,
    current: Duration,
}

const MAX_BACKOFF: Duration = Duration::from_secs(10);

impl Backoff {
    fn new(poll: Duration) -> Backoff {
        Backoff {
            poll,
            current: poll,
        }
    }

    fn reset(&mut self) -> Duration {
        self.current = self.poll;
        self.poll
    }

    fn next(&mut self) -> Duration {
        let wait = self.current;
        self.current = (self.current * 2).min(MAX_BACKOFF);
        wait
    }
}

/// The newest event the store holds for this terminal, as compared with the journal's.
#[derive(Debug, Clone)]
struct StoredEvent {
    seq: i64,
    event_id: i64,
    kind: String,
    at: DateTime<Utc>,
}

impl StoredEvent {
    /// An event of the journal as the store keeps it.
    fn of(event: &OutboxEvent) -> Result<StoredEvent, StoreError> {
        Ok(StoredEvent {
            seq: event.seq,
            event_id: event.event_id,
            kind: event.kind.clone(),
            at: parse_timestamp(&event.at)?,
        })
    }

    fn matches(&self, local: &OutboxEvent) -> bool {
        local.event_id == self.event_id
            && local.kind == self.kind
            && parse_timestamp(&local.at).is_ok_and(|at| at == self.at)
    }
}

/// A batch of events as the columns of one insert.
#[derive(Default)]
struct BatchColumns {
    seq: Vec<i64>,
    event_id: Vec<i64>,
    at: Vec<DateTime<Utc>>,
    kind: Vec<String>,
    sale_id: Vec<Option<i64>>,
    attempt_id: Vec<Option<i64>>,
    detail: Vec<serde_json::Value>,
    snapshot: Vec<serde_json::Value>,
}

struct LocalBatch {
    head: i64,
    head_at: Option<String>,
    batch: Vec<OutboxEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_after_failures_up_to_ten_seconds_and_resets_after_a_success() {
        let mut backoff = Backoff::new(Duration::from_millis(500));
        let waits: Vec<u64> = (0..10).map(|_| backoff.next().as_millis() as u64).collect();
        assert_eq!(&waits[..4], [500, 1_000, 2_000, 4_000]);
        assert_eq!(*waits.last().unwrap(), 10_000);
        assert_eq!(backoff.reset(), Duration::from_millis(500));
        assert_eq!(backoff.next(), Duration::from_millis(500));
    }
}
