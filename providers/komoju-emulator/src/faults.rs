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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn text(response: Response) -> (u16, String) {
        let status = response.status().as_u16();
        let body = to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn faults_look_like_komoju_on_the_wire() {
        let wire = KomojuWire {
            hold: Duration::from_secs(120),
        };
        let (status, body) = text(wire.unavailable()).await;
        assert_eq!(status, 503);
        assert!(body.contains("service_unavailable"), "{body}");
        let (status, body) = text(wire.without_connection(Response::default())).await;
        assert_eq!(
            (status, body.as_str()),
            (502, r#"{"emulator_fault":"drop","applied":true}"#)
        );
        assert_eq!(wire.after_hold(), AfterHold::Answer);
    }
}
