//! The checkout engine: the payment rules of regi made into code. It journals every attempt before
//! any request leaves, drives the gateway, turns lost answers into "unknown" and resolves them, and
//! reconciles whatever was in flight when regi last stopped. The TUI, `regi checkout` and the tests
//! all go through it.

mod code;
mod outcome;
mod qr;
mod recovery;
mod refund;

pub mod cli;

pub use outcome::{AttemptOutcome, EngineEvent};
pub use recovery::{RecoveredAttempt, RecoveredRefund, RecoveryReport};
pub use refund::RefundDone;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::domain::{PaymentMethod, SaleDraft};
use crate::gateway::{GatewayError, PaymentGateway, PollPolicy};
use crate::journal::{CreatedSale, JournalError, JournalHandle, SaleMeta};

/// How the engine paces and bounds its work.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Lifetime of a Cashtray QR.
    pub cashtray_expires_in: Duration,
    pub poll: PollPolicy,
    /// Pause between retries of an unanswered CPM request (same request_id).
    pub retry_backoff: Duration,
    /// How long to keep resolving an unknown outcome before handing back "unknown" (the attempt
    /// stays in the journal and is resolved later, at the latest on the next start).
    pub resolve_for: Duration,
    /// How many times a QR request that got no answer is created anew before giving up.
    pub qr_create_tries: u32,
    /// Printed in the transaction description, e.g. the shop or register name.
    pub terminal: String,
    pub training: bool,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            cashtray_expires_in: Duration::from_secs(300),
            poll: PollPolicy::default(),
            retry_backoff: Duration::from_millis(500),
            resolve_for: Duration::from_secs(120),
            qr_create_tries: 3,
            terminal: "regi".into(),
            training: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Nothing may happen without its record: selling stops.
    #[error("journal: {0}")]
    Journal(#[from] JournalError),
    /// The gateway cannot be used as configured (nothing was charged).
    #[error("payment provider: {0}")]
    Gateway(GatewayError),
}

/// One register's checkout engine. Cheap to clone; clones share the journal and gateway.
pub struct Engine<G> {
    gateway: Arc<G>,
    journal: JournalHandle,
    settings: Arc<EngineSettings>,
}

impl<G> Clone for Engine<G> {
    fn clone(&self) -> Self {
        Self {
            gateway: self.gateway.clone(),
            journal: self.journal.clone(),
            settings: self.settings.clone(),
        }
    }
}

impl<G: PaymentGateway> Engine<G> {
    pub fn new(gateway: G, journal: JournalHandle, settings: EngineSettings) -> Self {
        Self {
            gateway: Arc::new(gateway),
            journal,
            settings: Arc::new(settings),
        }
    }

    pub fn gateway(&self) -> &G {
        &self.gateway
    }

    pub fn journal(&self) -> &JournalHandle {
        &self.journal
    }

    pub fn settings(&self) -> &EngineSettings {
        &self.settings
    }

    /// Records a rung-up sale; it can then be paid by either method, as often as needed until
    /// one attempt is paid.
    pub async fn create_sale(&self, draft: SaleDraft) -> Result<CreatedSale, EngineError> {
        let meta = SaleMeta {
            training: self.settings.training,
            terminal: self.settings.terminal.clone(),
        };
        Ok(self
            .journal
            .call(move |j| j.create_sale(&draft, &meta))
            .await?)
    }

    fn description(&self, sale_id: i64) -> String {
        format!("{} #{sale_id}", self.settings.terminal)
    }

    /// Journals a new attempt to pay `sale_id` by `method`, then reports that it started.
    async fn start_attempt(
        &self,
        sale_id: i64,
        method: PaymentMethod,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<crate::journal::CreatedAttempt, EngineError> {
        let attempt = self
            .journal
            .call(move |j| j.create_attempt(sale_id, method))
            .await?;
        qr::emit(
            events,
            EngineEvent::Started {
                sale_id,
                attempt_id: attempt.attempt_id,
                method,
            },
        );
        Ok(attempt)
    }
}
