//! How injected faults look on elepay's wire, for the API routes (never the customer side). The
//! spec strings, the seeded draw and carrying a draw out are the emulator kit's
//! (`regi_emulator_kit::faults`, re-exported here; the same seed and calls give the same
//! faults). elepay's own: an `unavailable` call is refused with 503 in elepay's `{code,
//! message}` shape; a `timeout` holds the answer past any client timeout and then closes the
//! connection without it; served in process (no connection to cut), a dropped or held call
//! simply answers.

use std::time::Duration;

use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;

pub use regi_emulator_kit::faults::{
    AfterHold, CallFaults, FaultDecision, FaultInjector, FaultOutcome, FaultPlan, FaultSpecError,
    FaultWire,
};

/// elepay's look of the faults, with how long this emulator holds an answer.
pub(crate) struct ElepayWire {
    pub hold: Duration,
}

impl FaultWire for ElepayWire {
    fn unavailable(&self) -> Response {
        ApiError::unavailable().into_response()
    }

    fn hold(&self) -> Duration {
        self.hold
    }

    fn after_hold(&self) -> AfterHold {
        AfterHold::Cut
    }

    fn without_connection(&self, answer: Response) -> Response {
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    #[tokio::test]
    async fn faults_look_like_elepay_on_the_wire() {
        let wire = ElepayWire {
            hold: Duration::from_secs(120),
        };
        let refusal = wire.unavailable();
        assert_eq!(refusal.status().as_u16(), 503);
        let body = to_bytes(refusal.into_body(), 1 << 16).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("S000001"));
        // A held answer ends in a closed connection; in process the answer simply comes.
        assert_eq!(wire.after_hold(), AfterHold::Cut);
        let answer = axum::http::Response::builder()
            .status(201)
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(wire.without_connection(answer).status().as_u16(), 201);
    }
}
