//! Fault injection for `/api/v1` calls, deterministic under a seed, with the same specs and
//! meanings as the Pokepay sandbox's `--fault`:
//! - `drop=R`: with probability R, carry the call out (and store its idempotent answer), then
//!   close the connection without answering;
//! - `unavailable=R`: answer 503 `service_unavailable` without carrying anything out;
//! - `timeout=R`: carry the call out, then hold the answer far past any client timeout;
//! - `latency=MS`: delay every call by MS milliseconds (while its idempotency key is in flight).

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("fault `{0}` is not `name=value`")]
    NotAPair(String),
    #[error("unknown fault `{0}` (expected drop, unavailable, timeout or latency)")]
    UnknownFault(String),
    #[error("fault `{name}` needs a rate between 0 and 1, got `{value}`")]
    BadRate { name: String, value: String },
    #[error("fault `latency` needs whole milliseconds, got `{0}`")]
    BadLatency(String),
}

/// Which faults to inject and how often.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultPlan {
    pub drop: f64,
    pub unavailable: f64,
    pub timeout: f64,
    pub latency: Duration,
}

impl FaultPlan {
    /// Adds one spec (e.g. `drop=0.1,latency=200`) to the plan.
    pub fn apply_spec(&mut self, spec: &str) -> Result<(), FaultSpecError> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| FaultSpecError::NotAPair(part.to_string()))?;
            let (name, value) = (name.trim(), value.trim());
            match name {
                "drop" => self.drop = rate(name, value)?,
                "unavailable" => self.unavailable = rate(name, value)?,
                "timeout" => self.timeout = rate(name, value)?,
                "latency" => {
                    let ms: u64 = value
                        .parse()
                        .map_err(|_| FaultSpecError::BadLatency(value.to_string()))?;
                    self.latency = Duration::from_millis(ms);
                }
                other => return Err(FaultSpecError::UnknownFault(other.to_string())),
            }
        }
        Ok(())
    }

    /// A plan from several specs, later ones overriding earlier ones.
    pub fn from_specs<S: AsRef<str>>(specs: &[S]) -> Result<Self, FaultSpecError> {
        let mut plan = FaultPlan::default();
        for spec in specs {
            plan.apply_spec(spec.as_ref())?;
        }
        Ok(plan)
    }

    pub fn is_quiet(&self) -> bool {
        self.drop == 0.0 && self.unavailable == 0.0 && self.timeout == 0.0 && self.latency.is_zero()
    }
}

fn rate(name: &str, value: &str) -> Result<f64, FaultSpecError> {
    value
        .parse::<f64>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| FaultSpecError::BadRate {
            name: name.to_string(),
            value: value.to_string(),
        })
}

/// What happens to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultOutcome {
    Answer,
    /// 503 without carrying the call out.
    Unavailable,
    /// Carry out, then close the connection without an answer.
    Drop,
    /// Carry out, then hold the answer.
    Hold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultDecision {
    pub latency: Duration,
    pub outcome: FaultOutcome,
}

/// Draws decisions from a seeded generator: the same seed and the same sequence of calls give
/// the same faults. Every call draws the same number of values, whatever the outcome.
#[derive(Debug)]
pub struct FaultInjector {
    plan: FaultPlan,
    rng: StdRng,
}

impl FaultInjector {
    pub fn new(plan: FaultPlan, seed: u64) -> Self {
        Self {
            plan,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn plan(&self) -> FaultPlan {
        self.plan
    }

    pub fn set_plan(&mut self, plan: FaultPlan) {
        self.plan = plan;
    }

    pub fn decide(&mut self) -> FaultDecision {
        let unavailable = self.rng.random::<f64>() < self.plan.unavailable;
        let drop = self.rng.random::<f64>() < self.plan.drop;
        let hold = self.rng.random::<f64>() < self.plan.timeout;
        let outcome = if unavailable {
            FaultOutcome::Unavailable
        } else if drop {
            FaultOutcome::Drop
        } else if hold {
            FaultOutcome::Hold
        } else {
            FaultOutcome::Answer
        };
        FaultDecision {
            latency: self.plan.latency,
            outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_from_one_or_many_flags_and_bad_ones_are_named() {
        let plan = FaultPlan::from_specs(&["drop=0.25,latency=150", "unavailable=1"]).unwrap();
        assert_eq!(
            (plan.drop, plan.unavailable, plan.timeout),
            (0.25, 1.0, 0.0)
        );
        assert_eq!(plan.latency, Duration::from_millis(150));
        assert!(FaultPlan::default().is_quiet());
        let err = |s: &str| FaultPlan::from_specs(&[s]).unwrap_err();
        assert!(matches!(err("drop"), FaultSpecError::NotAPair(_)));
        assert!(matches!(err("explode=1"), FaultSpecError::UnknownFault(_)));
        assert!(matches!(err("drop=1.5"), FaultSpecError::BadRate { .. }));
        assert!(matches!(err("drop=NaN"), FaultSpecError::BadRate { .. }));
        assert!(matches!(err("latency=fast"), FaultSpecError::BadLatency(_)));
    }

    #[test]
    fn the_same_seed_gives_the_same_faults() {
        let plan = FaultPlan::from_specs(&["drop=0.3,unavailable=0.3,timeout=0.2"]).unwrap();
        let run = |seed| {
            let mut f = FaultInjector::new(plan, seed);
            (0..64).map(|_| f.decide().outcome).collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
        for kind in [
            FaultOutcome::Answer,
            FaultOutcome::Unavailable,
            FaultOutcome::Drop,
            FaultOutcome::Hold,
        ] {
            assert!(run(42).contains(&kind), "{kind:?}");
        }
    }
}
