//! The pause schedule after failed `accept` calls. A listener whose accept fails (no free file
//! descriptors, no memory) stays readable, so retrying at once spins a core and starves the
//! connections already open; waiting a little longer after each failure gives them the CPU.

use std::time::Duration;

/// The first pause after a failed accept.
pub const FIRST_PAUSE: Duration = Duration::from_millis(10);
/// The longest pause: a server whose descriptors come free again answers within this.
pub const LONGEST_PAUSE: Duration = Duration::from_secs(1);

/// Failed accepts in a row and the pause before the next try: 10 ms, doubling up to 1 s.
#[derive(Debug, Clone, Default)]
pub struct AcceptBackoff {
    failures: u32,
}

/// What to do after one failed accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub wait: Duration,
    /// The first failure of a burst: the one worth a log line.
    pub first: bool,
}

impl AcceptBackoff {
    pub fn new() -> Self {
        AcceptBackoff::default()
    }

    /// Records a failed accept; returns how long to wait before the next one.
    pub fn failed(&mut self) -> Pause {
        let doublings = self.failures.min(31);
        self.failures = self.failures.saturating_add(1);
        let wait = FIRST_PAUSE
            .checked_mul(1u32 << doublings)
            .map_or(LONGEST_PAUSE, |pause| pause.min(LONGEST_PAUSE));
        Pause {
            wait,
            first: self.failures == 1,
        }
    }

    /// Records an accept that worked; returns how many failed before it, if any did.
    pub fn succeeded(&mut self) -> Option<u32> {
        let failures = std::mem::take(&mut self.failures);
        (failures > 0).then_some(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waits(backoff: &mut AcceptBackoff, n: usize) -> Vec<u64> {
        (0..n)
            .map(|_| backoff.failed().wait.as_millis() as u64)
            .collect()
    }

    #[test]
    fn pauses_double_from_10_ms_and_stop_growing_at_1_s() {
        let mut backoff = AcceptBackoff::new();
        assert_eq!(
            waits(&mut backoff, 10),
            [10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000]
        );
        // However long the burst, the pause stays at 1 s (and the counter does not overflow).
        for _ in 0..100 {
            assert_eq!(backoff.failed().wait, LONGEST_PAUSE);
        }
    }

    #[test]
    fn only_the_first_failure_of_a_burst_is_marked_for_the_log() {
        let mut backoff = AcceptBackoff::new();
        let firsts: Vec<bool> = (0..5).map(|_| backoff.failed().first).collect();
        assert_eq!(firsts, [true, false, false, false, false]);
        assert_eq!(backoff.succeeded(), Some(5));
        assert!(backoff.failed().first);
    }

    #[test]
    fn a_success_starts_the_schedule_over() {
        let mut backoff = AcceptBackoff::new();
        assert_eq!(backoff.succeeded(), None);
        waits(&mut backoff, 6);
        backoff.succeeded();
        assert_eq!(waits(&mut backoff, 2), [10, 20]);
    }
}
