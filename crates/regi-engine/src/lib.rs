//! The checkout engine: the payment rules of regi made into code. It journals every attempt before
//! any request leaves, drives the gateway, turns lost answers into "unknown" and resolves them, and
//! reconciles whatever was in flight when regi last stopped. The TUI, `regi checkout` and the tests
//! all go through it.

mod capture;
mod code;
mod outcome;
mod qr;
mod recovery;
mod refund;
mod returns;
mod tabs;

pub use capture::CaptureOutcome;
pub use outcome::{AttemptOutcome, EngineEvent};
pub use recovery::{ABANDONED_REASON, RecoveredAttempt, RecoveredRefund, RecoveryReport};
pub use regi_core::payment::RefundDone;
pub use returns::ReturnDone;
pub use tabs::TabOutcome;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use regi_core::domain::{PaymentMethod, SaleDraft, Yen};
use regi_journal::{Clock, CreatedSale, JournalError, JournalHandle, SaleMeta, SystemClock};
use regi_payment::{GatewayError, Gateways, PaymentGateway, PollPolicy};

/// Where a new attempt goes: a provider by name (`None`: the first enabled) and, within it, the
/// wallet or payment type the clerk chose (`None`: the customer chooses); `hold` asks the
/// provider to hold the payment for a later capture (as does a provider the store configured to
/// hold every payment); `part` is the yen this tender pays of a sale paid in several (`None`:
/// all that remains to be paid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    pub provider: Option<String>,
    pub wallet: Option<String>,
    pub hold: bool,
    pub part: Option<Yen>,
}

/// How the engine paces and bounds its work.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// How long a merchant QR stays payable.
    pub qr_expires_in: Duration,
    pub poll: PollPolicy,
    /// Pause between retries of an unanswered customer-code charge (same request_id).
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
            qr_expires_in: Duration::from_secs(300),
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
    /// Nothing may happen without its record: selling stops. Nothing that can move money was sent.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The gateway cannot be used as configured (nothing was charged).
    #[error("payment provider: {0}")]
    Gateway(GatewayError),
    /// A request that can move money may have left, and its outcome could not be journaled: the
    /// outcome is unknown (never "failed"), and the attempt is settled from the journal's record
    /// of it on the next start.
    #[error(
        "the outcome of payment attempt {attempt_id} is unknown: it may have been charged, but \
         could not be recorded ({journal_error}); do not retry it, it is checked again on the next \
         start"
    )]
    Unrecorded {
        attempt_id: i64,
        journal_error: JournalError,
    },
}

/// Longest pause between tries to journal an outcome the journal refused (a full disk).
const RECORD_RETRY_MAX: Duration = Duration::from_secs(5);

/// One register's checkout engine over every enabled provider. Cheap to clone; clones share the
/// journal and the gateways.
#[derive(Clone)]
pub struct Engine {
    gateways: Gateways,
    journal: JournalHandle,
    settings: Arc<EngineSettings>,
    /// The time of day for what is journaled and for a QR's expiry; pauses and timeouts use
    /// the runtime's monotonic time instead.
    clock: Arc<dyn Clock>,
}

impl Engine {
    /// An engine over one provider.
    pub fn new(
        gateway: impl PaymentGateway,
        journal: JournalHandle,
        settings: EngineSettings,
    ) -> Self {
        Self::with_gateways(Gateways::single(gateway), journal, settings)
    }

    /// An engine over every enabled provider; new attempts go to the first.
    pub fn with_gateways(
        gateways: Gateways,
        journal: JournalHandle,
        settings: EngineSettings,
    ) -> Self {
        Self {
            gateways,
            journal,
            settings: Arc::new(settings),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same engine reading the time of day from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub fn gateways(&self) -> &Gateways {
        &self.gateways
    }

    /// The provider new attempts go to.
    fn primary(&self) -> Result<Arc<dyn PaymentGateway>, EngineError> {
        self.gateways.primary().cloned().ok_or_else(|| {
            EngineError::Gateway(GatewayError::Fatal("no payment provider is enabled".into()))
        })
    }

    /// The provider a new attempt on `route` goes to.
    fn route(&self, route: &Route) -> Result<Arc<dyn PaymentGateway>, EngineError> {
        match &route.provider {
            None => self.primary(),
            Some(name) => self.gateways.get(name).cloned().ok_or_else(|| {
                EngineError::Gateway(GatewayError::Fatal(format!(
                    "the payment provider {name} is not enabled"
                )))
            }),
        }
    }

    /// The provider an attempt or refund was journaled with; one no longer enabled leaves the
    /// attempt as it is (it is settled once the provider is enabled again).
    fn gateway_of(&self, provider: &str) -> Option<Arc<dyn PaymentGateway>> {
        let gateway = self.gateways.get(provider).cloned();
        if gateway.is_none() {
            tracing::warn!(
                provider,
                "an attempt of a provider that is not enabled stays unsettled"
            );
        }
        gateway
    }

    pub fn journal(&self) -> &JournalHandle {
        &self.journal
    }

    pub fn settings(&self) -> &EngineSettings {
        &self.settings
    }

    /// Journals cash the customer handed over for the sale: paid at once, for what it covers of
    /// what remains, the rest being the change. Committed before it returns, so the drawer is
    /// opened only for cash on record.
    pub async fn take_cash(
        &self,
        sale_id: i64,
        received: Yen,
    ) -> Result<regi_journal::CashTender, EngineError> {
        let tender = self
            .journal
            .call(move |j| j.record_cash_tender(sale_id, received))
            .await?;
        tracing::info!(
            sale_id,
            attempt_id = tender.attempt_id,
            applied = tender.applied.value(),
            change = tender.change.value(),
            "cash taken"
        );
        Ok(tender)
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

    /// Journals a rung-up cart as a sale voided for `reason` before payment (取消); nothing is
    /// sent anywhere.
    pub async fn void_cart(
        &self,
        draft: SaleDraft,
        reason: String,
    ) -> Result<CreatedSale, EngineError> {
        let meta = SaleMeta {
            training: self.settings.training,
            terminal: self.settings.terminal.clone(),
        };
        let voided = self
            .journal
            .call(move |j| j.void_cart(&draft, &meta, &reason))
            .await?;
        tracing::info!(
            sale_id = voided.sale_id,
            receipt_no = voided.receipt_no,
            "cart voided"
        );
        Ok(voided)
    }

    fn description(&self, sale_id: i64) -> String {
        format!("{} #{sale_id}", self.settings.terminal)
    }

    /// Journals what came of a request that may have moved money. A write refused for want of
    /// space or access is tried again until it lands (the listener hears `Unrecorded` once):
    /// the answer is held in memory meanwhile and never turned into an error. Any other journal
    /// failure is handed back as [`EngineError::Unrecorded`], never as "not started".
    pub(crate) async fn record_outcome<T, F>(
        &self,
        attempt_id: i64,
        events: &mpsc::UnboundedSender<EngineEvent>,
        write: F,
    ) -> Result<T, EngineError>
    where
        T: Send + 'static,
        F: Fn(&mut regi_journal::Journal) -> Result<T, JournalError> + Clone + Send + 'static,
    {
        let mut pause = self.settings.retry_backoff;
        let mut told = false;
        loop {
            match self.journal.call(write.clone()).await {
                Ok(value) => {
                    if told {
                        tracing::info!(attempt_id, "the journal took the held outcome");
                    }
                    return Ok(value);
                }
                Err(error) if error.may_pass() => {
                    if !told {
                        told = true;
                        tracing::error!(attempt_id, %error, "outcome held until the journal can be written");
                        qr::emit(
                            events,
                            EngineEvent::Unrecorded {
                                attempt_id,
                                disk_full: error.is_disk_full(),
                                reason: error.to_string(),
                            },
                        );
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(RECORD_RETRY_MAX);
                }
                Err(journal_error) => {
                    tracing::error!(attempt_id, error = %journal_error, "outcome could not be recorded");
                    return Err(EngineError::Unrecorded {
                        attempt_id,
                        journal_error,
                    });
                }
            }
        }
    }

    /// Journals a new attempt to pay `part` of `sale_id` (`None`: all that remains) by
    /// `method`, then reports that it started.
    async fn start_attempt(
        &self,
        sale_id: i64,
        provider: &'static str,
        method: PaymentMethod,
        hold: bool,
        part: Option<Yen>,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<regi_journal::CreatedAttempt, EngineError> {
        let attempt = self
            .journal
            .call(move |j| j.create_tender(sale_id, provider, method, hold, part))
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
