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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    #[tokio::test]
    async fn a_drop_served_in_process_says_the_call_was_applied() {
        let wire = PartnerWire {
            unavailable: Response::default,
            hold: Duration::from_secs(120),
        };
        let answer = wire.without_connection(Response::default());
        assert_eq!(answer.status().as_u16(), 502);
        let body = to_bytes(answer.into_body(), 1 << 16).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"sandbox_fault": "drop", "applied": true})
        );
        assert_eq!(wire.after_hold(), AfterHold::Answer);
    }
}
