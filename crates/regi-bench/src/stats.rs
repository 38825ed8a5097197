//! Order statistics over latency samples: nearest-rank percentiles, so a p99 is always a latency
//! that was actually observed.

use std::time::Duration;

use serde::Serialize;

/// The usual figures of one set of latency samples, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub count: usize,
    pub p50_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    pub mean_us: u64,
}

/// The nearest-rank `q`-quantile (0 < q ≤ 1) of an ascending slice; `None` when it is empty.
pub fn percentile(sorted: &[u64], q: f64) -> Option<u64> {
    if sorted.is_empty() || !q.is_finite() {
        return None;
    }
    let n = sorted.len();
    let rank = (q.clamp(0.0, 1.0) * n as f64).ceil() as usize;
    sorted.get(rank.clamp(1, n) - 1).copied()
}

/// Microseconds, saturating (a sample never overflows a u64 in practice).
pub fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

pub fn summarize(samples: &[Duration]) -> Summary {
    let mut us: Vec<u64> = samples.iter().copied().map(micros).collect();
    summarize_us(&mut us)
}

/// Sorts `us` in place and summarizes it.
pub fn summarize_us(us: &mut [u64]) -> Summary {
    us.sort_unstable();
    let total: u128 = us.iter().map(|&v| u128::from(v)).sum();
    Summary {
        count: us.len(),
        p50_us: percentile(us, 0.5).unwrap_or(0),
        p99_us: percentile(us, 0.99).unwrap_or(0),
        max_us: us.last().copied().unwrap_or(0),
        mean_us: if us.is_empty() {
            0
        } else {
            u64::try_from(total / us.len() as u128).unwrap_or(u64::MAX)
        },
    }
}

/// The median of a few figures (e.g. one per run); the mean of the middle two for an even count.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// `a / b`, or 0 when `b` is 0 (a ratio against a floor that was not measured).
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_pick_observed_values() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.5), Some(50));
        assert_eq!(percentile(&v, 0.99), Some(99));
        assert_eq!(percentile(&v, 1.0), Some(100));
        assert_eq!(percentile(&[7], 0.99), Some(7));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&v, f64::NAN), None);
        assert_eq!(percentile(&v, -1.0), Some(1));
    }

    #[test]
    fn p99_of_a_small_set_is_its_maximum() {
        let mut us = vec![5, 1, 3, 1000, 2];
        let s = summarize_us(&mut us);
        assert_eq!(s.p99_us, 1000);
        assert_eq!(s.p50_us, 3);
        assert_eq!(s.mean_us, 202);
        assert_eq!(s.count, 5);
    }

    #[test]
    fn summaries_read_durations_in_microseconds() {
        let s = summarize(&[Duration::from_millis(2), Duration::from_micros(10)]);
        assert_eq!((s.p50_us, s.max_us), (10, 2000));
        assert_eq!(summarize(&[]), Summary::default());
    }

    #[test]
    fn medians_of_runs() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(ratio(3.0, 0.0), 0.0);
        assert_eq!(ratio(3.0, 2.0), 1.5);
    }
}
