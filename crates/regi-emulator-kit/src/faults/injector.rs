//! The draw per call: a seeded generator turns the plan into one outcome for each call, so the
//! same seed and the same sequence of calls give the same faults.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::FaultPlan;

/// What happens to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultOutcome {
    /// Answer normally.
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

impl FaultDecision {
    /// No delay, a normal answer: for calls faults never touch.
    pub const NONE: FaultDecision = FaultDecision {
        latency: Duration::ZERO,
        outcome: FaultOutcome::Answer,
    };
}

/// Draws decisions from a seeded generator. Every call draws the same number of values,
/// whatever the outcome, so one fault does not shift the ones after it.
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
    fn certain_faults_always_fire() {
        let mut plan = FaultPlan {
            unavailable: 1.0,
            ..Default::default()
        };
        let mut f = FaultInjector::new(plan, 7);
        assert!((0..20).all(|_| f.decide().outcome == FaultOutcome::Unavailable));
        plan.unavailable = 0.0;
        plan.drop = 1.0;
        f.set_plan(plan);
        assert!((0..20).all(|_| f.decide().outcome == FaultOutcome::Drop));
        let mut quiet = FaultInjector::new(FaultPlan::default(), 7);
        assert!((0..20).all(|_| quiet.decide().outcome == FaultOutcome::Answer));
    }

    #[test]
    fn same_seed_same_faults() {
        let plan = FaultPlan::from_specs(&["drop=0.3,unavailable=0.3,timeout=0.2"]).unwrap();
        let run = |seed| {
            let mut f = FaultInjector::new(plan, seed);
            (0..64).map(|_| f.decide().outcome).collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
        let outcomes = run(42);
        for kind in [
            FaultOutcome::Answer,
            FaultOutcome::Unavailable,
            FaultOutcome::Drop,
            FaultOutcome::Hold,
        ] {
            assert!(outcomes.contains(&kind), "{kind:?}");
        }
    }

    #[test]
    fn every_decision_carries_the_plans_latency() {
        let plan = FaultPlan::from_specs(&["latency=250,timeout=1"]).unwrap();
        let decision = FaultInjector::new(plan, 1).decide();
        assert_eq!(decision.latency, Duration::from_millis(250));
        assert_eq!(decision.outcome, FaultOutcome::Hold);
    }
}
