//! Fault injection for an emulator's API calls, deterministic under a seed, with the same specs
//! and meanings in every emulator (`--fault`, `name=value` pairs, comma-separated or repeated):
//! - `drop=R`: with probability R, carry the call out, then close the connection without
//!   answering;
//! - `unavailable=R`: refuse the call with the provider's 503 without carrying anything out;
//! - `timeout=R`: carry the call out, then hold the answer far past any client timeout;
//! - `latency=MS`: delay every call by MS milliseconds.
//!
//! The plan is parsed here, drawn per call by [`FaultInjector`], and carried out around one call
//! by [`CallFaults`]; each emulator only says how a fault looks on its wire ([`FaultWire`]).

mod delivery;
mod injector;

use std::time::Duration;

pub use delivery::{AfterHold, CallFaults, FaultWire};
pub use injector::{FaultDecision, FaultInjector, FaultOutcome};

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
    /// Adds one `--fault` spec (e.g. `drop=0.1,latency=200`) to the plan.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs_in_one_or_many_flags() {
        let plan = FaultPlan::from_specs(&["drop=0.25,latency=150", "unavailable=1"]).unwrap();
        assert_eq!(plan.drop, 0.25);
        assert_eq!(plan.unavailable, 1.0);
        assert_eq!(plan.timeout, 0.0);
        assert_eq!(plan.latency, Duration::from_millis(150));
        assert!(FaultPlan::default().is_quiet());
        assert!(!plan.is_quiet());
    }

    #[test]
    fn later_specs_override_earlier_ones_and_blank_parts_are_skipped() {
        let plan = FaultPlan::from_specs(&["drop=0.5, ,timeout=0.1", " drop = 0.2 "]).unwrap();
        assert_eq!((plan.drop, plan.timeout), (0.2, 0.1));
    }

    #[test]
    fn rejects_bad_specs() {
        let err = |s: &str| FaultPlan::from_specs(&[s]).unwrap_err();
        assert!(matches!(err("drop"), FaultSpecError::NotAPair(_)));
        assert!(matches!(err("explode=1"), FaultSpecError::UnknownFault(_)));
        assert!(matches!(err("drop=1.5"), FaultSpecError::BadRate { .. }));
        assert!(matches!(err("drop=-0.1"), FaultSpecError::BadRate { .. }));
        assert!(matches!(err("drop=NaN"), FaultSpecError::BadRate { .. }));
        assert!(matches!(err("latency=fast"), FaultSpecError::BadLatency(_)));
    }
}
