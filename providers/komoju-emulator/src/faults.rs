//! How injected faults look on KOMOJU's wire, for `/api/v1` calls. The `--fault` plan (the same
//! specs and meanings as every emulator's), its seeded draw and carrying a draw out are the
//! emulator kit's (`regi_emulator_kit::faults`, re-exported here). KOMOJU's own: an
//! `unavailable` call is refused with 503 `service_unavailable` in KOMOJU's error envelope, a
//! held answer is sent late, and a dropped call served in process (no connection to cut) answers
//! 502 `{"emulator_fault":"drop","applied":true}`. A dropped or held call has stored its
//! idempotent answer; latency passes while its idempotency key is in flight.

use std::time::Duration;

use axum::response::{IntoResponse, Response};

use crate::errors::{ApiError, json_response};

pub use regi_emulator_kit::faults::{
    AfterHold, CallFaults, FaultDecision, FaultInjector, FaultOutcome, FaultPlan, FaultSpecError,
    FaultWire,
};

/// KOMOJU's look of the faults, with how long this emulator holds an answer.
pub(crate) struct KomojuWire {
    pub hold: Duration,
}

impl FaultWire for KomojuWire {
    fn unavailable(&self) -> Response {
        ApiError::unavailable().into_response()
    }

    fn hold(&self) -> Duration {
        self.hold
    }

    fn without_connection(&self, _answer: Response) -> Response {
        json_response(502, r#"{"emulator_fault":"drop","applied":true}"#.into())
    }
}
