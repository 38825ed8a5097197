//! What the engine reports while an attempt runs, and how it ended.

use chrono::{DateTime, Utc};

use regi_core::domain::{AttemptState, PaymentMethod};
use regi_payment::{PaidTransaction, Refusal};

/// Progress of an attempt, sent as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineEvent {
    /// The attempt is journaled; requests may now leave.
    Started {
        sale_id: i64,
        attempt_id: i64,
        method: PaymentMethod,
    },
    /// The QR is ready to show.
    Presented {
        attempt_id: i64,
        token: String,
        expires_at: DateTime<Utc>,
    },
    /// No definite answer yet: the engine is finding out what happened. Never a failure.
    Checking { attempt_id: i64, reason: String },
    /// A request that can move money may have left, and what came of it cannot be journaled (a
    /// full disk, an unwritable file). The engine keeps the answer and writes it as soon as the
    /// journal takes it; until then the outcome is unknown and the payment must not be retried.
    Unrecorded {
        attempt_id: i64,
        /// The disk is full (rather than the file being unwritable).
        disk_full: bool,
        reason: String,
    },
    /// The attempt ended (or is handed back unresolved, see [`AttemptOutcome::is_unknown`]).
    Finished(Box<AttemptOutcome>),
}

/// How an attempt ended, as recorded in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    pub sale_id: i64,
    pub attempt_id: i64,
    pub method: PaymentMethod,
    pub state: AttemptState,
    pub paid: Option<PaidTransaction>,
    pub refusal: Option<Refusal>,
}

impl AttemptOutcome {
    pub fn is_paid(&self) -> bool {
        matches!(self.state, AttemptState::Paid { .. })
    }

    /// Still unresolved: neither paid nor definitely not paid.
    pub fn is_unknown(&self) -> bool {
        !self.state.is_final()
    }

    /// The customer paid and the provider holds the money for a later capture.
    pub fn is_held(&self) -> bool {
        matches!(self.state, AttemptState::Authorized { .. })
    }

    /// A short name for logs and the command line: paid, held, failed, expired, cancelled,
    /// unknown.
    pub fn kind(&self) -> &'static str {
        match self.state {
            AttemptState::Paid { .. } => "paid",
            AttemptState::Authorized { .. } => "held",
            AttemptState::Failed(_) => "failed",
            AttemptState::Expired => "expired",
            AttemptState::Cancelled => "cancelled",
            _ => "unknown",
        }
    }
}
