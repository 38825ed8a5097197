//! The time limit on a whole API call, kept by one watchdog thread instead of a tokio timer per
//! call.
//!
//! Arming and disarming a tokio timer around every request cost about 15 µs per call on a 2-core
//! till (it hands the runtime's timer between worker threads); GetCashtray is polled every second
//! for every open tray. Here a call only adds its deadline to a shared map: the watchdog sleeps
//! until the earliest deadline and is woken only when a call's deadline is earlier than that, so
//! a steady stream of calls wakes it about once per time limit.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Condvar, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// The call ran past its time limit (its future was dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Elapsed;

/// Runs `call`, giving up once `limit` has passed.
pub(super) async fn within<F: Future>(limit: Duration, call: F) -> Result<F::Output, Elapsed> {
    let Some(watchdog) = *WATCHDOG else {
        // No thread could be started: fall back to a timer of the runtime.
        return tokio::time::timeout(limit, call).await.map_err(|_| Elapsed);
    };
    let (_armed, expired) = watchdog.arm(Instant::now() + limit);
    tokio::select! {
        biased;
        output = call => Ok(output),
        _ = expired => Err(Elapsed),
    }
}

static WATCHDOG: LazyLock<Option<&'static Watchdog>> = LazyLock::new(Watchdog::start);

#[derive(Default)]
struct Watchdog {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// Calls in flight by (deadline, id); the sender fires when the deadline passes.
    calls: BTreeMap<(Instant, u64), oneshot::Sender<()>>,
    next_id: u64,
    /// The deadline the watchdog sleeps until (set by the watchdog alone); `None` while it has
    /// nothing to watch.
    wakes_at: Option<Instant>,
}

/// Removes the call's deadline when the call ends, however it ends.
struct Armed {
    watchdog: &'static Watchdog,
    key: (Instant, u64),
}

impl Drop for Armed {
    fn drop(&mut self) {
        self.watchdog.lock().calls.remove(&self.key);
    }
}

impl Watchdog {
    fn start() -> Option<&'static Watchdog> {
        let watchdog: &'static Watchdog = Box::leak(Box::default());
        std::thread::Builder::new()
            .name("regi-api-deadlines".into())
            .spawn(move || watchdog.run())
            .map_err(|e| tracing::warn!("no deadline thread ({e}); using runtime timers"))
            .ok()?;
        Some(watchdog)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent across a panic (each change is one map operation).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn arm(&'static self, deadline: Instant) -> (Armed, oneshot::Receiver<()>) {
        let (fire, expired) = oneshot::channel();
        let mut state = self.lock();
        let key = (deadline, state.next_id);
        state.next_id += 1;
        state.calls.insert(key, fire);
        // Only a deadline earlier than the one the watchdog sleeps until needs it awake.
        if state.wakes_at.is_none_or(|at| deadline < at) {
            self.changed.notify_one();
        }
        drop(state);
        (
            Armed {
                watchdog: self,
                key,
            },
            expired,
        )
    }

    fn run(&self) {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            while let Some(entry) = state.calls.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                // The call may have ended meanwhile; then nobody listens, which is fine.
                let _ = entry.remove().send(());
            }
            state = match state.calls.keys().next().map(|(deadline, _)| *deadline) {
                Some(deadline) => {
                    state.wakes_at = Some(deadline);
                    let wait = deadline.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(state, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => {
                    state.wakes_at = None;
                    self.changed
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner)
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_call_that_ends_in_time_gives_its_output() {
        assert_eq!(within(Duration::from_secs(5), async { 7 }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_call_past_its_limit_is_given_up() {
        let started = Instant::now();
        let never = std::future::pending::<()>();
        assert_eq!(within(Duration::from_millis(50), never).await, Err(Elapsed));
        assert!(started.elapsed() >= Duration::from_millis(50));
    }

    #[test]
    fn an_earlier_deadline_is_kept_while_a_later_one_waits() {
        let watchdog = Watchdog::start().expect("a deadline thread of its own");
        let far = Instant::now() + Duration::from_secs(30);
        let (_long, mut long_fired) = watchdog.arm(far);
        // Wait for the event: the watchdog has gone to sleep until the far deadline.
        while watchdog.lock().wakes_at != Some(far) {
            std::thread::yield_now();
        }
        let (_short, short_fired) = watchdog.arm(Instant::now() + Duration::from_millis(50));
        short_fired
            .blocking_recv()
            .expect("the short call is given up");
        // Had the watchdog slept on to the far deadline, both would have fired together.
        assert!(long_fired.try_recv().is_err());
    }

    #[test]
    fn finished_calls_leave_nothing_behind() {
        let watchdog = Watchdog::start().expect("a deadline thread of its own");
        for _ in 0..100 {
            drop(watchdog.arm(Instant::now() + Duration::from_secs(60)));
        }
        assert!(watchdog.lock().calls.is_empty());
    }
}
