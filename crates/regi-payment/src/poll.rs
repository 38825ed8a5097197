//! When to ask again about a QR request. Pure: the caller passes elapsed time and a random draw.
//!
//! While the customer is likely scanning (the first couple of minutes) we ask about once a second, so a
//! payment shows within ~1 s; later the interval grows, and a busy provider (503) makes us back off
//! exponentially. Jitter only ever lengthens a fresh interval so we never exceed one request a second.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct PollPolicy {
    /// Interval while the request is fresh.
    pub fresh_interval: Duration,
    /// How long after presenting the request counts as fresh.
    pub fresh_period: Duration,
    /// Longest interval once the request is no longer fresh.
    pub slow_interval_max: Duration,
    /// Growth of the interval per poll after the fresh period.
    pub slow_growth: f64,
    /// Longest wait after repeated busy answers.
    pub busy_interval_max: Duration,
    /// Fraction of the interval added at random (0.1 = up to +10 %).
    pub jitter: f64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            fresh_interval: Duration::from_millis(1000),
            fresh_period: Duration::from_secs(120),
            slow_interval_max: Duration::from_secs(5),
            slow_growth: 1.5,
            busy_interval_max: Duration::from_secs(15),
            jitter: 0.1,
        }
    }
}

/// What the last poll learned, as far as pacing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollDecision {
    /// An answer arrived (still open).
    Answered,
    /// The provider said it is busy (503 / rate limit).
    Busy,
    /// No answer (timeout, connection lost): try again at the normal pace.
    NoAnswer,
}

/// The pacing state of one QR request's polling.
#[derive(Debug, Clone)]
pub struct PollSchedule {
    policy: PollPolicy,
    slow_interval: Duration,
    busy_streak: u32,
}

impl PollSchedule {
    pub fn new(policy: PollPolicy) -> Self {
        let slow_interval = policy.fresh_interval;
        Self {
            policy,
            slow_interval,
            busy_streak: 0,
        }
    }

    /// The delay before the next poll. `since_presented` is the time since the QR went on screen;
    /// `draw` is a uniform random number in `[0, 1)`.
    pub fn next_delay(
        &mut self,
        since_presented: Duration,
        last: PollDecision,
        draw: f64,
    ) -> Duration {
        let draw = if draw.is_finite() {
            draw.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if last == PollDecision::Busy {
            self.busy_streak = self.busy_streak.saturating_add(1);
            let exp = 2u32.saturating_pow(self.busy_streak.min(16));
            let base = self
                .policy
                .fresh_interval
                .saturating_mul(exp)
                .min(self.policy.busy_interval_max);
            return self
                .with_jitter(base, draw)
                .min(self.policy.busy_interval_max);
        }
        self.busy_streak = 0;
        let base = if since_presented < self.policy.fresh_period {
            self.policy.fresh_interval
        } else {
            let grown = self.slow_interval.mul_f64(self.policy.slow_growth.max(1.0));
            self.slow_interval = grown.min(self.policy.slow_interval_max);
            self.slow_interval
        };
        self.with_jitter(base, draw)
    }

    fn with_jitter(&self, base: Duration, draw: f64) -> Duration {
        base + base.mul_f64(self.policy.jitter.max(0.0) * draw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn fresh_requests_are_polled_about_once_a_second_never_faster() {
        let mut s = PollSchedule::new(PollPolicy::default());
        for (t, draw) in [(0.0, 0.0), (1.0, 0.5), (30.0, 0.999), (119.0, 0.2)] {
            let d = s.next_delay(secs(t), PollDecision::Answered, draw);
            assert!(d >= secs(1.0), "{d:?} at {t}");
            assert!(d <= secs(1.1), "{d:?} at {t}");
        }
    }

    #[test]
    fn later_polls_slow_down_to_the_cap() {
        let mut s = PollSchedule::new(PollPolicy::default());
        let mut last = Duration::ZERO;
        for i in 0..20 {
            let d = s.next_delay(secs(121.0 + i as f64), PollDecision::Answered, 0.0);
            assert!(d >= last);
            last = d;
        }
        assert_eq!(last, secs(5.0));
    }

    #[test]
    fn busy_answers_back_off_exponentially_and_recover() {
        let mut s = PollSchedule::new(PollPolicy::default());
        let a = s.next_delay(secs(5.0), PollDecision::Busy, 0.0);
        let b = s.next_delay(secs(6.0), PollDecision::Busy, 0.0);
        let c = s.next_delay(secs(7.0), PollDecision::Busy, 0.0);
        assert_eq!((a, b, c), (secs(2.0), secs(4.0), secs(8.0)));
        for _ in 0..30 {
            assert!(s.next_delay(secs(8.0), PollDecision::Busy, 0.99) <= secs(15.0));
        }
        assert_eq!(
            s.next_delay(secs(9.0), PollDecision::Answered, 0.0),
            secs(1.0)
        );
    }

    #[test]
    fn garbage_draws_do_not_panic() {
        let mut s = PollSchedule::new(PollPolicy::default());
        for draw in [f64::NAN, f64::INFINITY, -3.0, 7.0] {
            let d = s.next_delay(secs(1.0), PollDecision::NoAnswer, draw);
            assert!(d >= secs(1.0) && d <= secs(1.1));
        }
    }
}
