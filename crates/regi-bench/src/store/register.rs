//! One simulated register: a real journal in a directory of its own, written by a thread of its
//! own at a steady pace (a sale and its cash tender every period), and a real shipper task
//! copying its outbox to PostgreSQL as `regi` runs it. A watcher notes when each sale's last
//! event is seen in PostgreSQL, which gives the replication lag.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};
use regi_journal::{Journal, SaleMeta};
use regi_store::{Shipper, StoreTarget, shipper::ShipperHandle};

use super::stats::micros;

/// What the registers are doing; the sellers and watchers read it at each sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Connections opening, or the server stopping or starting: sales are made, not counted.
    Settling = 0,
    /// PostgreSQL up: sale latency and replication lag counted.
    Up = 1,
    /// PostgreSQL stopped for a window between two up windows: sale latency counted.
    Down = 2,
    /// PostgreSQL stopped for the long outage: sale latency counted apart.
    Outage = 3,
    /// PostgreSQL back: selling goes on while the shippers catch up.
    CatchUp = 4,
    /// The sellers stop.
    Done = 5,
}

impl Phase {
    fn of(value: u8) -> Phase {
        match value {
            0 => Phase::Settling,
            1 => Phase::Up,
            2 => Phase::Down,
            3 => Phase::Outage,
            4 => Phase::CatchUp,
            _ => Phase::Done,
        }
    }
}

/// The phase every register follows.
#[derive(Clone, Default)]
pub struct Clock(Arc<AtomicU8>);

impl Clock {
    pub fn set(&self, phase: Phase) {
        self.0.store(phase as u8, Ordering::SeqCst);
    }

    pub fn get(&self) -> Phase {
        Phase::of(self.0.load(Ordering::SeqCst))
    }
}

/// Sales committed and not yet seen in PostgreSQL, and the lags of those seen.
#[derive(Default)]
struct LagBook {
    /// The newest event the shipper has reported in PostgreSQL, and when it was seen.
    shipped: i64,
    seen_at: Option<Instant>,
    /// (last event of the sale, when its commit returned, counted in the figures).
    waiting: VecDeque<(i64, Instant, bool)>,
    lags_us: Vec<u64>,
}

impl LagBook {
    fn committed(&mut self, seq: i64, at: Instant, counted: bool) {
        match self.seen_at {
            // The shipper was quicker than this note: it is in already.
            Some(seen) if seq <= self.shipped => {
                if counted {
                    self.lags_us
                        .push(micros(seen.saturating_duration_since(at)));
                }
            }
            _ => self.waiting.push_back((seq, at, counted)),
        }
    }

    fn shipped(&mut self, seq: i64, now: Instant) {
        if seq <= self.shipped {
            return;
        }
        self.shipped = seq;
        self.seen_at = Some(now);
        while let Some(&(waiting, at, counted)) = self.waiting.front() {
            if waiting > seq {
                break;
            }
            self.waiting.pop_front();
            if counted {
                self.lags_us.push(micros(now.saturating_duration_since(at)));
            }
        }
    }
}

/// What a register's seller measured.
#[derive(Debug, Default)]
pub struct SellerLog {
    /// Journal time of each sale (create + cash tender), µs, with PostgreSQL up.
    pub up_us: Vec<u64>,
    /// The same with PostgreSQL stopped, in the windows between the up windows.
    pub down_us: Vec<u64>,
    /// The same during the long outage.
    pub outage_us: Vec<u64>,
    pub sales: u64,
    pub errors: Vec<String>,
}

pub struct Register {
    pub terminal_id: String,
    pub journal_path: PathBuf,
    head: Arc<AtomicI64>,
    /// A sale is being made (its commit not yet noted in `head`).
    selling: Arc<AtomicBool>,
    book: Arc<Mutex<LagBook>>,
    /// Keeps the shipper running (it stops when its last handle goes).
    _shipper: Arc<ShipperHandle>,
    seller: Option<JoinHandle<SellerLog>>,
    /// Keeps the journal's directory until the audit is done.
    _dir: tempfile::TempDir,
}

/// How a register sells.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// From one sale to the next.
    pub period: Duration,
    /// When its first sale is due (registers are spread over one period).
    pub first: Instant,
    /// The shipper's poll when nothing else wakes it.
    pub poll: Duration,
    /// Wake the shipper after each sale rather than wait for its poll.
    pub nudge: bool,
}

impl Register {
    /// Opens its journal, starts its shipper (inside the current tokio runtime) and its seller.
    pub fn start(
        terminal_id: &str,
        store_id: &str,
        target: &StoreTarget,
        pace: Pace,
        clock: Clock,
    ) -> anyhow::Result<Register> {
        let dir = tempfile::Builder::new()
            .prefix("regi-bench-till")
            .tempdir()?;
        let journal_path = dir.path().join("journal.sqlite");
        let journal = Journal::open(&journal_path)
            .with_context(|| format!("cannot open the journal of {terminal_id}"))?;
        let shipper =
            Arc::new(Shipper::new(&journal_path, target, terminal_id, store_id)?.spawn(pace.poll));
        let book = Arc::new(Mutex::new(LagBook::default()));
        let mut status = shipper.watch();
        let watched = book.clone();
        tokio::spawn(async move {
            while status.changed().await.is_ok() {
                let seq = status.borrow_and_update().shipped_seq;
                let now = Instant::now();
                if let Ok(mut book) = watched.lock() {
                    book.shipped(seq, now);
                }
            }
        });
        let head = Arc::new(AtomicI64::new(0));
        let selling = Arc::new(AtomicBool::new(false));
        let seller = {
            let (book, head, shipper) = (book.clone(), head.clone(), shipper.clone());
            let selling = selling.clone();
            let name = format!("till-{terminal_id}");
            std::thread::Builder::new().name(name).spawn(move || {
                sell(journal, pace, &clock, &selling, |seq, at, counted| {
                    head.store(seq, Ordering::SeqCst);
                    if let Ok(mut book) = book.lock() {
                        book.committed(seq, at, counted);
                    }
                    if pace.nudge {
                        shipper.nudge();
                    }
                })
            })?
        };
        Ok(Register {
            terminal_id: terminal_id.to_string(),
            journal_path,
            head,
            selling,
            book,
            _shipper: shipper,
            seller: Some(seller),
            _dir: dir,
        })
    }

    /// Whether a sale is being made (its events not yet in [`Register::head`]).
    pub fn selling(&self) -> bool {
        self.selling.load(Ordering::SeqCst)
    }

    /// The newest event in its journal.
    pub fn head(&self) -> i64 {
        self.head.load(Ordering::SeqCst)
    }

    /// The newest event its shipper has seen in PostgreSQL.
    pub fn shipped(&self) -> i64 {
        self.book.lock().map_or(0, |b| b.shipped)
    }

    /// Waits for the seller to stop (after the clock says `Done`).
    pub fn join_seller(&mut self) -> SellerLog {
        self.seller
            .take()
            .and_then(|s| s.join().ok())
            .unwrap_or_default()
    }

    /// The replication lags of the counted sales, µs.
    pub fn lags_us(&self) -> Vec<u64> {
        self.book.lock().map_or(Vec::new(), |b| b.lags_us.clone())
    }
}

/// Sells at `pace` until the clock says `Done`; `committed` hears of each sale's last event;
/// `selling` is set from a sale's start until `committed` has heard of it.
fn sell(
    mut journal: Journal,
    pace: Pace,
    clock: &Clock,
    selling: &AtomicBool,
    mut committed: impl FnMut(i64, Instant, bool),
) -> SellerLog {
    let mut log = SellerLog::default();
    let mut due = pace.first;
    let mut n: u64 = 0;
    loop {
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        // A late sale is not made up for: the next is due a period after it.
        due = due.max(Instant::now()) + pace.period;
        selling.store(true, Ordering::SeqCst);
        let phase = clock.get();
        if phase == Phase::Done {
            selling.store(false, Ordering::SeqCst);
            return log;
        }
        let started = Instant::now();
        let sold = sell_one(&mut journal, n);
        let took = micros(started.elapsed());
        let done = Instant::now();
        n += 1;
        match sold.and_then(|_| journal.outbox_head().map_err(anyhow::Error::from)) {
            Ok(head) => {
                log.sales += 1;
                match phase {
                    Phase::Up => log.up_us.push(took),
                    Phase::Down => log.down_us.push(took),
                    Phase::Outage => log.outage_us.push(took),
                    _ => {}
                }
                let seq = head.map_or(0, |h| h.0);
                committed(seq, done, phase == Phase::Up);
            }
            Err(error) => {
                if log.errors.len() < 5 {
                    log.errors.push(format!("{error:#}"));
                }
            }
        }
        selling.store(false, Ordering::SeqCst);
    }
}

/// One sale as a till makes it: a cart of one or two lines (standard and reduced rate), checked
/// out, journaled and paid in cash with change; its id.
pub fn sell_one(journal: &mut Journal, n: u64) -> anyhow::Result<i64> {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
    let price = 100 + (n % 37) as i64 * 10;
    cart.add_manual(Yen(price), TaxRate::Standard10, None)?;
    if n.is_multiple_of(3) {
        cart.add_manual(Yen(price / 2), TaxRate::Reduced8, None)?;
    }
    let draft = cart.checkout()?;
    let sale = journal.create_sale(&draft, &SaleMeta::default())?;
    let received = Yen((draft.total.value() / 1_000 + 1) * 1_000);
    journal.record_cash_tender(sale.sale_id, received)?;
    Ok(sale.sale_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sale_is_lagged_from_its_commit_to_the_first_report_of_it_in_postgresql() {
        let t0 = Instant::now();
        let mut book = LagBook::default();
        book.committed(3, t0, true);
        book.committed(5, t0 + Duration::from_millis(100), true);
        book.shipped(4, t0 + Duration::from_millis(300));
        assert_eq!(book.lags_us, [300_000]);
        book.shipped(9, t0 + Duration::from_millis(400));
        assert_eq!(book.lags_us, [300_000, 300_000]);
        assert!(book.waiting.is_empty());
    }

    #[test]
    fn a_sale_shipped_before_its_note_counts_until_it_was_seen_and_an_uncounted_one_not_at_all() {
        let t0 = Instant::now();
        let mut book = LagBook::default();
        book.shipped(7, t0 + Duration::from_millis(50));
        book.committed(7, t0, true);
        book.committed(6, t0, false);
        book.committed(8, t0, false);
        book.shipped(8, t0 + Duration::from_millis(90));
        assert_eq!(book.lags_us, [50_000]);
        assert!(book.waiting.is_empty());
    }

    #[test]
    fn a_report_that_goes_back_changes_nothing() {
        let t0 = Instant::now();
        let mut book = LagBook::default();
        book.shipped(5, t0);
        book.committed(6, t0, true);
        book.shipped(4, t0 + Duration::from_millis(10));
        assert_eq!((book.shipped, book.waiting.len()), (5, 1));
    }
}
