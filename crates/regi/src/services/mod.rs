//! The till's services in production, one file per port: the checkout engine for payments and
//! refunds (`payments`), the journal for history, reports and PIN tries (`records`), the printer
//! (`printing`), the drawer's cash (`drawer`), carts voided or parked (`carts`), staff signing in
//! (`staff`), the checks of the status screen (`diagnostics`) and,
//! in training, the emulators' simulated customers for F9/F10/F11 (`training`).

mod carts;
mod diagnostics;
mod drawer;
mod other_tills;
mod payments;
mod printing;
mod records;
mod staff;
mod store_target;
mod tabs;
mod training;

pub use other_tills::{OtherTills, sale_of_receipt};
pub use store_target::{configured_url, store_target};
pub use training::{ProviderCustomer, TrainingCustomers};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};

use regi_config::{Config, Lang, Staff, StoredPin, TerminalSettings};
use regi_core::app::{AttemptId, Checkout, CheckoutId, PaymentEvent};
use regi_core::domain::AttemptState;
use regi_engine::{AttemptOutcome, Engine, EngineError, EngineEvent};
use regi_journal::JournalError;
use regi_payment::QrSession;
use regi_pokepay::ApiSettings;
use regi_scanner::SourceKind;
use regi_tui::runtime::ports::{PaymentEvents, RecordsError};
use regi_tui::runtime::scanner_feed::ScannerState;

/// Why a refund is made, as sent to the provider and kept in the journal.
const REFUND_REASON: &str = "regi: refund at the register";

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub struct EngineServices {
    engine: Engine,
    /// The journaled sale of each checkout: a new QR or a rescan pays the same sale.
    sales: Mutex<HashMap<CheckoutId, i64>>,
    /// Cancel switches of the Cashtray attempts in flight.
    cancels: Mutex<HashMap<AttemptId, watch::Sender<bool>>>,
    api: ApiSettings,
    lang: Lang,
    /// The simulated customers of the training providers; none outside training.
    training: Option<TrainingCustomers>,
    scanner: Option<(SourceKind, ScannerState)>,
    /// Printing needs the store, register and printer sections; none means no printing.
    printing: Option<Arc<Config>>,
    /// The manager PIN; none means no PIN is asked.
    manager_pin: Option<StoredPin>,
    /// Who may sign in (`[[staff]]`); a manager's PIN also opens what the manager PIN guards.
    staff: Staff,
    /// How far this till has shipped to the store; none without store mode.
    store: Option<tokio::sync::watch::Receiver<regi_store::ShipperStatus>>,
    /// The store's sales, for returns of other tills' receipts; none without store mode.
    other_tills: Option<OtherTills>,
    /// The till sells from the store's catalog (store mode): a product is not saved into a file
    /// of its own, which the store's next version would replace.
    store_catalog: bool,
}

impl EngineServices {
    pub fn new(engine: Engine, api: ApiSettings, lang: Lang) -> Self {
        Self {
            engine,
            sales: Mutex::new(HashMap::new()),
            cancels: Mutex::new(HashMap::new()),
            api,
            lang,
            training: None,
            scanner: None,
            printing: None,
            manager_pin: None,
            staff: Staff::default(),
            store: None,
            other_tills: None,
            store_catalog: false,
        }
    }

    /// Staff sign in against `staff`; its managers' PINs are manager PINs.
    pub fn with_staff(mut self, staff: Staff) -> Self {
        self.staff = staff;
        self
    }

    /// The status screen reports how far this till has shipped to the store.
    pub fn with_store_status(
        mut self,
        status: tokio::sync::watch::Receiver<regi_store::ShipperStatus>,
    ) -> Self {
        self.store = Some(status);
        self
    }

    /// Receipts of other tills of the store are looked up in its database and returned here;
    /// every refund first asks it whether the sale was given back at another till.
    pub fn with_other_tills(mut self, other_tills: OtherTills) -> Self {
        self.other_tills = Some(other_tills);
        self
    }

    /// The till sells from the store's catalog: products are added there, not here.
    pub fn selling_from_the_store_catalog(mut self) -> Self {
        self.store_catalog = true;
        self
    }

    /// PIN tries are checked against `pin` and journaled as made on this till.
    pub fn with_manager_pin(mut self, pin: StoredPin) -> Self {
        self.manager_pin = Some(pin);
        self
    }

    /// This till's `[terminal] id`, from the configuration printing uses.
    fn terminal_id(&self) -> String {
        self.printing.as_ref().map_or_else(
            || TerminalSettings::default().id,
            |config| config.terminal.id.clone(),
        )
    }

    /// Slips are printed as `config` says (store header, register, `[printer]`).
    pub fn with_printing(mut self, config: Config) -> Self {
        self.printing = Some(Arc::new(config));
        self
    }

    /// The status screen reports this scanner source.
    pub fn with_scanner(mut self, kind: SourceKind, state: ScannerState) -> Self {
        self.scanner = Some((kind, state));
        self
    }

    /// Training: F9/F10/F11 act as these emulators' customers.
    pub fn with_training_customers(mut self, customers: TrainingCustomers) -> Self {
        self.training = Some(customers);
        self
    }

    /// Why sale `sale_id` may not be refunded here: given back at another till already, as
    /// the store knows. None without store mode.
    async fn returned_elsewhere(&self, sale_id: i64) -> Option<regi_core::payment::Refusal> {
        let other_tills = self.other_tills.as_ref()?;
        other_tills
            .returned_elsewhere(self.engine.journal(), sale_id)
            .await
    }

    /// The sale for `checkout`, journaled on first use.
    async fn sale_for(&self, checkout: &Checkout) -> Result<i64, EngineError> {
        if let Some(&sale_id) = lock(&self.sales).get(&checkout.id) {
            return Ok(sale_id);
        }
        let created = self.engine.create_sale(checkout.draft.clone()).await?;
        lock(&self.sales).insert(checkout.id, created.sale_id);
        Ok(created.sale_id)
    }

    /// The checkout of a sale paid in full pays no further tender.
    fn forget_sale(&self, sale_id: i64) {
        lock(&self.sales).retain(|_, sale| *sale != sale_id);
    }

    /// Whether some of the sale is still to be paid; a journal that cannot say keeps the sale
    /// with its checkout (its next tender is refused by the journal if nothing remains).
    async fn owes(&self, sale_id: i64) -> bool {
        self.engine
            .journal()
            .call(move |j| j.remaining_to_pay(sale_id))
            .await
            .map_or(true, |left| left.is_positive())
    }

    /// Runs one attempt, forwarding its progress, then reports how it ended.
    async fn run_attempt<F>(&self, events: &PaymentEvents, pay: F)
    where
        F: AsyncFnOnce(&mpsc::UnboundedSender<EngineEvent>) -> Result<AttemptOutcome, EngineError>,
    {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let attempt = async move {
            let result = pay(&tx).await;
            drop(tx);
            result
        };
        let forward = async {
            while let Some(event) = rx.recv().await {
                if let Some(event) = progress(event) {
                    events.send(event);
                }
            }
        };
        let (result, ()) = tokio::join!(attempt, forward);
        let last = match result {
            Ok(outcome) => {
                // A tender for part of the sale leaves it to be paid on by the next tender.
                if outcome.is_paid() && !self.owes(outcome.sale_id).await {
                    self.forget_sale(outcome.sale_id);
                }
                finished(outcome)
            }
            Err(e) => {
                tracing::error!("payment attempt could not run: {e}");
                not_finished(&e)
            }
        };
        events.send(last);
    }
}

/// Progress worth showing; the end is reported from the attempt's result instead.
fn progress(event: EngineEvent) -> Option<PaymentEvent> {
    match event {
        EngineEvent::Presented {
            attempt_id,
            token,
            expires_at,
        } => Some(PaymentEvent::QrReady(QrSession {
            id: attempt_id.to_string(),
            token,
            expires_at,
        })),
        EngineEvent::Checking { .. } => Some(PaymentEvent::Checking),
        EngineEvent::Unrecorded { disk_full, .. } => Some(PaymentEvent::Unrecorded { disk_full }),
        EngineEvent::Started { .. } | EngineEvent::Finished(_) => None,
    }
}

/// An attempt the engine handed back as an error: unknown when money may have moved, else
/// never started.
fn not_finished(error: &EngineError) -> PaymentEvent {
    match error {
        EngineError::Unrecorded { journal_error, .. } => PaymentEvent::Unrecorded {
            disk_full: journal_error.is_disk_full(),
        },
        EngineError::Journal(source) => PaymentEvent::JournalStopped {
            disk_full: source.is_disk_full(),
        },
        EngineError::Gateway(_) => PaymentEvent::NotStarted(error.to_string()),
    }
}

fn finished(outcome: AttemptOutcome) -> PaymentEvent {
    match (outcome.state, outcome.paid) {
        (AttemptState::Paid { .. }, Some(transaction)) => PaymentEvent::Paid {
            sale_id: outcome.sale_id,
            transaction,
        },
        (AttemptState::Authorized { .. }, Some(transaction)) => PaymentEvent::Held {
            sale_id: outcome.sale_id,
            transaction,
        },
        (AttemptState::Failed(failure), _) => PaymentEvent::Refused(failure),
        (AttemptState::Expired, _) => PaymentEvent::Expired,
        (AttemptState::Cancelled, _) => PaymentEvent::Cancelled,
        // Paid without the transaction's details, or not settled: reconciliation finishes it.
        _ => PaymentEvent::Unresolved,
    }
}

fn journal_error(e: JournalError) -> RecordsError {
    RecordsError::Journal(e.to_string())
}
