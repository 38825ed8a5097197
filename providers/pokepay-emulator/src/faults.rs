//! How injected faults look on the Partner API wire. The `--fault` plan, its seeded draw and
//! carrying a draw out are the emulator kit's (`regi_emulator_kit::faults`, re-exported here);
//! the sandbox only says that an `unavailable` call is refused with a sealed 503
//! `temporarily_unavailable`, that a held answer is sent late, and that a dropped call served in
//! process (no connection to cut) answers 502 `{"sandbox_fault": "drop", "applied": true}`.

use std::time::Duration;

use axum::response::Response;

use super::envelope::plain_json;

pub use regi_emulator_kit::faults::{
    AfterHold, CallFaults, FaultDecision, FaultInjector, FaultOutcome, FaultPlan, FaultSpecError,
    FaultWire,
};

/// One enveloped call's view of the faults: its refusal is sealed like any answer to it.
pub(crate) struct PartnerWire<F> {
    /// The sealed `temporarily_unavailable` answer for this call.
    pub unavailable: F,
    pub hold: Duration,
}

impl<F: Fn() -> Response> FaultWire for PartnerWire<F> {
    fn unavailable(&self) -> Response {
        (self.unavailable)()
    }

    fn hold(&self) -> Duration {
        self.hold
    }

    fn without_connection(&self, _answer: Response) -> Response {
        plain_json(
            502,
            &serde_json::json!({"sandbox_fault": "drop", "applied": true}),
        )
    }
}
