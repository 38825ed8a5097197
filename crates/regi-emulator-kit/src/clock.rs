//! Time as an emulator sees it. Everything that expires (payment requests, customer codes,
//! sessions, charges, idempotency keys) reads the clock through [`Clock`], so tests move a
//! [`ManualClock`] instead of waiting. Times are Japan time to the microsecond (what every
//! provider SDK's date parser can read); an emulator whose wire is coarser (milliseconds, epoch
//! numbers) rounds when it reads.

use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, SubsecRound, TimeDelta, Utc};

/// A point in time with its offset, as the providers' wire types carry it.
pub type Timestamp = DateTime<FixedOffset>;

/// Japan Standard Time, the offset every emulator timestamp is written in.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

pub trait Clock: Send + Sync + 'static {
    /// The current time in Japan time, to the microsecond.
    fn now(&self) -> Timestamp;

    /// Now, in milliseconds since the Unix epoch (the unit of wires that count time in epoch milliseconds).
    fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Utc::now().with_timezone(&jst()).trunc_subsecs(6)
    }
}

/// How far a [`ManualClock`] moves: chrono's `TimeDelta` or std's `Duration`, whichever the
/// test has at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step(TimeDelta);

impl From<TimeDelta> for Step {
    fn from(delta: TimeDelta) -> Self {
        Step(delta)
    }
}

impl From<std::time::Duration> for Step {
    fn from(duration: std::time::Duration) -> Self {
        Step(TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX))
    }
}

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self(Mutex::new(start.trunc_subsecs(6)))
    }

    /// Starts at the current system time.
    pub fn starting_now() -> Self {
        Self::new(SystemClock.now())
    }

    /// Starts at this many milliseconds since the Unix epoch.
    pub fn at_epoch_ms(ms: i64) -> Self {
        Self::new(epoch_ms(ms))
    }

    pub fn advance(&self, by: impl Into<Step>) {
        let Step(by) = by.into();
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now = now.checked_add_signed(by).unwrap_or(*now);
    }

    pub fn set(&self, to: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to.trunc_subsecs(6);
    }

    /// Sets the time to this many milliseconds since the Unix epoch.
    pub fn set_epoch_ms(&self, ms: i64) {
        self.set(epoch_ms(ms));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn epoch_ms(ms: i64) -> Timestamp {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&jst())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::starting_now();
        let t0 = clock.now();
        assert_eq!(clock.now(), t0);
        clock.advance(TimeDelta::seconds(301));
        assert_eq!(clock.now() - t0, TimeDelta::seconds(301));
    }

    #[test]
    fn a_manual_clock_moves_only_when_told_in_epoch_milliseconds() {
        let clock = ManualClock::at_epoch_ms(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(Duration::from_secs(3));
        assert_eq!(clock.now_ms(), 4_000);
        clock.set_epoch_ms(10);
        assert_eq!(clock.now_ms(), 10);
    }

    #[test]
    fn system_time_is_in_japan_time_with_microseconds() {
        let now = SystemClock.now();
        assert_eq!(now.offset().local_minus_utc(), 9 * 3600);
        assert_eq!(now.timestamp_subsec_nanos() % 1000, 0);
    }

    #[test]
    fn epoch_milliseconds_do_not_depend_on_the_offset() {
        let clock = ManualClock::at_epoch_ms(1_700_000_000_123);
        assert_eq!(clock.now().offset().local_minus_utc(), 9 * 3600);
        assert_eq!(clock.now_ms(), 1_700_000_000_123);
    }
}
