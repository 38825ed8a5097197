//! How long the manager PIN prompt refuses tries after wrong PINs: five are free, then 30 s,
//! doubling with each further wrong PIN up to 15 minutes. Pure: every time comes from a message,
//! and the journal rebuilds the same state after a restart.

use chrono::{DateTime, TimeDelta, Utc};

use crate::records::PinFailures;

/// Wrong PINs in a row that are answered at once.
pub const FREE_TRIES: u32 = 5;
/// The wait after the last free try; each further wrong PIN doubles it.
const FIRST_DELAY: TimeDelta = TimeDelta::seconds(30);
const MAX_DELAY: TimeDelta = TimeDelta::minutes(15);

/// Wrong manager PINs since the last right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinLockout {
    failures: u32,
    last_failure: Option<DateTime<Utc>>,
}

impl PinLockout {
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait after `failures` wrong PINs in a row; none while tries are still free.
    pub fn delay_after(failures: u32) -> Option<TimeDelta> {
        let doublings = failures.checked_sub(FREE_TRIES)?;
        // 30 s × 2^5 is past the cap already; stop doubling before it can overflow.
        let delay = FIRST_DELAY * 2_i32.pow(doublings.min(5));
        Some(delay.min(MAX_DELAY))
    }

    /// Until when tries are refused, if they are after the last wrong PIN.
    pub fn locked_until(&self) -> Option<DateTime<Utc>> {
        Some(self.last_failure? + Self::delay_after(self.failures)?)
    }

    /// How long tries are still refused at `now`; `None` when a try may be made.
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        self.locked_until()
            .map(|until| until - now)
            .filter(|left| *left > TimeDelta::zero())
    }

    /// A wrong PIN was entered at `at`.
    pub fn wrong(&mut self, at: DateTime<Utc>) {
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(self.last_failure.map_or(at, |last| last.max(at)));
    }

    /// The right PIN: the count starts again.
    pub fn right(&mut self) {
        *self = Self::default();
    }
}

impl From<PinFailures> for PinLockout {
    fn from(failures: PinFailures) -> Self {
        Self {
            failures: failures.consecutive,
            last_failure: failures.last_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::t0;

    #[test]
    fn the_delay_starts_after_five_wrong_pins_doubles_and_stops_at_fifteen_minutes() {
        let secs = |n| PinLockout::delay_after(n).map(|d| d.num_seconds());
        assert_eq!(secs(0), None);
        assert_eq!(secs(4), None);
        assert_eq!(secs(5), Some(30));
        assert_eq!(secs(6), Some(60));
        assert_eq!(secs(7), Some(120));
        assert_eq!(secs(9), Some(480));
        assert_eq!(secs(10), Some(900));
        assert_eq!(secs(11), Some(900));
        assert_eq!(secs(u32::MAX), Some(900));
    }

    #[test]
    fn the_lock_runs_from_the_last_wrong_pin() {
        let mut lockout = PinLockout::default();
        for _ in 0..4 {
            lockout.wrong(t0());
        }
        assert_eq!(lockout.remaining(t0()), None);
        lockout.wrong(t0() + TimeDelta::seconds(1));
        assert_eq!(
            lockout.remaining(t0() + TimeDelta::seconds(11)),
            Some(TimeDelta::seconds(20))
        );
        assert_eq!(lockout.remaining(t0() + TimeDelta::seconds(31)), None);
        lockout.right();
        assert_eq!(lockout, PinLockout::default());
    }

    #[test]
    fn the_journal_count_rebuilds_the_same_lock() {
        let lockout = PinLockout::from(PinFailures {
            consecutive: 6,
            last_at: Some(t0()),
        });
        assert_eq!(lockout.locked_until(), Some(t0() + TimeDelta::seconds(60)));
    }
}
