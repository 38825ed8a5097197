//! Time as the emulator sees it. Session expiry and idempotency-key lifetimes read the clock
//! through this trait, so tests move a [`ManualClock`] instead of waiting.

use std::sync::Mutex;

use chrono::{Duration, FixedOffset, SubsecRound, Utc};
use regi_komoju::wire::Timestamp;

/// Japan Standard Time, the offset every emulator timestamp is written in (as KOMOJU Japan does).
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

pub trait Clock: Send + Sync + 'static {
    /// The current time, to the millisecond (what KOMOJU writes).
    fn now(&self) -> Timestamp;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Utc::now().with_timezone(&jst()).trunc_subsecs(3)
    }
}

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self(Mutex::new(start.trunc_subsecs(3)))
    }

    pub fn starting_now() -> Self {
        Self::new(SystemClock.now())
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }

    pub fn set(&self, to: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to.trunc_subsecs(3);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = ManualClock::starting_now();
        let t0 = clock.now();
        assert_eq!(clock.now(), t0);
        clock.advance(Duration::seconds(301));
        assert_eq!(clock.now() - t0, Duration::seconds(301));
    }
}
