//! Carrying one call's fault draw out: the latency before the call, the `unavailable` refusal
//! instead of it, and after it the answer, the held answer or the cut connection. How a fault
//! looks on the wire (the 503 body, how long an answer is held, what a drop answers when there is
//! no connection to cut) is the emulator's, through [`FaultWire`].

use std::fmt;
use std::time::Duration;

use axum::http::Extensions;
use axum::response::Response;

use super::{FaultDecision, FaultOutcome};
use crate::server::ConnectionKill;

/// What a held answer ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterHold {
    /// Sent late.
    Answer,
    /// Never sent: the connection is closed.
    Cut,
}

/// How one emulator's wire shows faults.
pub trait FaultWire {
    /// The provider's refusal an `unavailable` fault answers with (its 503).
    fn unavailable(&self) -> Response;

    /// How long a `timeout` fault holds the answer.
    fn hold(&self) -> Duration;

    /// What a `timeout` fault does once it has held the answer.
    fn after_hold(&self) -> AfterHold {
        AfterHold::Answer
    }

    /// What a fault that ends in a cut connection answers when the request came without one
    /// (served in process, as `oneshot` tests do): there is nothing to cut.
    fn without_connection(&self, answer: Response) -> Response;
}

/// One call's fault draw and the connection it may cut.
pub struct CallFaults {
    decision: FaultDecision,
    kill: Option<ConnectionKill>,
    call: Option<String>,
}

impl fmt::Debug for CallFaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallFaults")
            .field("decision", &self.decision)
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

impl CallFaults {
    pub fn new(decision: FaultDecision, kill: Option<ConnectionKill>) -> Self {
        Self {
            decision,
            kill,
            call: None,
        }
    }

    /// The draw for a request, with the connection [`crate::serve`] put in its extensions.
    pub fn for_request(decision: FaultDecision, extensions: &Extensions) -> Self {
        Self::new(decision, extensions.get::<ConnectionKill>().cloned())
    }

    /// Names the call in fault log lines. The name must hold nothing secret (an operation,
    /// never its parameters).
    pub fn named(mut self, call: impl fmt::Debug) -> Self {
        self.call = Some(format!("{call:?}"));
        self
    }

    pub fn outcome(&self) -> FaultOutcome {
        self.decision.outcome
    }

    /// Waits out the latency; then the wire's refusal when the call is not to be carried out.
    pub async fn before_call(&self, wire: &impl FaultWire) -> Option<Response> {
        if !self.decision.latency.is_zero() {
            tokio::time::sleep(self.decision.latency).await;
        }
        (self.decision.outcome == FaultOutcome::Unavailable).then(|| wire.unavailable())
    }

    /// Answers, cuts the connection without answering, or holds the answer, as drawn.
    pub async fn deliver(&self, wire: &impl FaultWire, answer: Response) -> Response {
        match self.decision.outcome {
            FaultOutcome::Drop => {
                self.log("fault: dropping the connection after carrying the call out");
                self.cut(wire, answer).await
            }
            FaultOutcome::Hold => {
                if wire.after_hold() == AfterHold::Cut && self.kill.is_none() {
                    return wire.without_connection(answer);
                }
                self.log("fault: holding the answer");
                tokio::time::sleep(wire.hold()).await;
                match wire.after_hold() {
                    AfterHold::Answer => answer,
                    AfterHold::Cut => self.cut(wire, answer).await,
                }
            }
            FaultOutcome::Answer | FaultOutcome::Unavailable => answer,
        }
    }

    async fn cut(&self, wire: &impl FaultWire, answer: Response) -> Response {
        match &self.kill {
            Some(kill) => {
                kill.kill();
                // The connection task drops the socket; this answer is never written.
                std::future::pending::<Response>().await
            }
            None => wire.without_connection(answer),
        }
    }

    fn log(&self, what: &str) {
        match &self.call {
            Some(call) => tracing::info!(call = %call, "{what}"),
            None => tracing::info!("{what}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    /// A wire whose answers are told apart by status alone.
    struct TestWire(AfterHold);

    impl FaultWire for TestWire {
        fn unavailable(&self) -> Response {
            status(503)
        }
        fn hold(&self) -> Duration {
            Duration::ZERO
        }
        fn after_hold(&self) -> AfterHold {
            self.0
        }
        fn without_connection(&self, _answer: Response) -> Response {
            status(502)
        }
    }

    fn status(code: u16) -> Response {
        Response::builder()
            .status(code)
            .body(Body::empty())
            .unwrap()
    }

    fn faults(outcome: FaultOutcome, kill: Option<ConnectionKill>) -> CallFaults {
        CallFaults::new(
            FaultDecision {
                latency: Duration::ZERO,
                outcome,
            },
            kill,
        )
    }

    #[tokio::test]
    async fn only_an_unavailable_draw_refuses_the_call_with_the_wires_503() {
        let wire = TestWire(AfterHold::Answer);
        let refused = faults(FaultOutcome::Unavailable, None)
            .before_call(&wire)
            .await;
        assert_eq!(refused.map(|r| r.status().as_u16()), Some(503));
        for outcome in [FaultOutcome::Answer, FaultOutcome::Drop, FaultOutcome::Hold] {
            assert!(faults(outcome, None).before_call(&wire).await.is_none());
        }
    }

    #[tokio::test]
    async fn a_drop_cuts_the_connection_and_never_answers() {
        let kill = ConnectionKill::default();
        let wire = TestWire(AfterHold::Answer);
        let call = faults(FaultOutcome::Drop, Some(kill.clone()));
        tokio::select! {
            biased;
            _ = call.deliver(&wire, status(200)) => panic!("a dropped call answered"),
            () = kill.killed() => {}
        }
    }

    #[tokio::test]
    async fn without_a_connection_a_drop_answers_as_the_wire_says() {
        let wire = TestWire(AfterHold::Answer);
        let answer = faults(FaultOutcome::Drop, None)
            .deliver(&wire, status(200))
            .await;
        assert_eq!(answer.status().as_u16(), 502);
    }

    #[tokio::test]
    async fn a_held_answer_is_sent_late_or_cut_as_the_wire_says() {
        let late = faults(FaultOutcome::Hold, Some(ConnectionKill::default()))
            .deliver(&TestWire(AfterHold::Answer), status(200))
            .await;
        assert_eq!(late.status().as_u16(), 200);

        let kill = ConnectionKill::default();
        let call = faults(FaultOutcome::Hold, Some(kill.clone()));
        let wire = TestWire(AfterHold::Cut);
        tokio::select! {
            biased;
            _ = call.deliver(&wire, status(200)) => panic!("a held answer that cuts answered"),
            () = kill.killed() => {}
        }

        let in_process = faults(FaultOutcome::Hold, None)
            .deliver(&TestWire(AfterHold::Cut), status(200))
            .await;
        assert_eq!(in_process.status().as_u16(), 502);
    }

    #[tokio::test]
    async fn an_answer_draw_passes_the_answer_through() {
        let wire = TestWire(AfterHold::Cut);
        let answer = faults(FaultOutcome::Answer, Some(ConnectionKill::default()))
            .deliver(&wire, status(201))
            .await;
        assert_eq!(answer.status().as_u16(), 201);
    }
}
