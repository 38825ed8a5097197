//! The production `Services`: the checkout engine for payments and refunds, the journal for
//! history and reports, the doctor's checks for the status screen, and — in training — the
//! sandbox's simulated customer for F9/F10/F11.

use regi_tui::ui::strings::LangStrings as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tokio::sync::{mpsc, watch};

use crate::commands::checks;
use regi_config::{ApiSettings, Config, Lang, StoredPin, TerminalSettings};
use regi_core::app::records::{ReceiptLookupError, StatusReport};
use regi_core::app::{AttemptId, Checkout, CheckoutId, PaymentEvent, PinPurpose, SlipRequest};
use regi_core::domain::AttemptState;
use regi_core::secret::Secret;
use regi_engine::{AttemptOutcome, Engine, EngineError, EngineEvent, RefundDone};
use regi_journal::{JournalError, Report, ReportKind, SaleDetail, SaleFilter};
use regi_payment::QrSession;
use regi_pokepay_emulator::{CUSTOMER_EMPTY, CUSTOMER_POOR, CUSTOMER_RICH, CpmScope, SandboxState};
use regi_receipts::{PrintOutcome, ReceiptError, Slip};
use regi_scanner::SourceKind;
use regi_tui::runtime::scanner_feed::ScannerState;
use regi_tui::runtime::services::{PaymentEvents, PinVerdict, Services};

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
    /// The simulated customer; only in training.
    customer: Option<SandboxState>,
    scanner: Option<(SourceKind, ScannerState)>,
    /// Printing needs the store, register and printer sections; none means no printing.
    printing: Option<Arc<Config>>,
    /// The manager PIN; none means no PIN is asked.
    manager_pin: Option<StoredPin>,
}

impl EngineServices {
    pub fn new(engine: Engine, api: ApiSettings, lang: Lang) -> Self {
        Self {
            engine,
            sales: Mutex::new(HashMap::new()),
            cancels: Mutex::new(HashMap::new()),
            api,
            lang,
            customer: None,
            scanner: None,
            printing: None,
            manager_pin: None,
        }
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

    /// Training: F9/F10/F11 act as this sandbox's customers.
    pub fn with_training_customer(mut self, sandbox: SandboxState) -> Self {
        self.customer = Some(sandbox);
        self
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
                if outcome.is_paid() {
                    lock(&self.sales).retain(|_, sale| *sale != outcome.sale_id);
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

    fn customer(&self) -> Result<&SandboxState, String> {
        self.customer
            .as_ref()
            .ok_or_else(|| "the simulated customer exists only in training".to_string())
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
        (AttemptState::Failed(failure), _) => PaymentEvent::Refused(failure),
        (AttemptState::Expired, _) => PaymentEvent::Expired,
        (AttemptState::Cancelled, _) => PaymentEvent::Cancelled,
        // Paid without the transaction's details, or not settled: reconciliation finishes it.
        _ => PaymentEvent::Unresolved,
    }
}

fn journal_error(e: JournalError) -> String {
    format!("journal: {e}")
}

impl Services for EngineServices {
    async fn run_qr(&self, checkout: Checkout, events: PaymentEvents) {
        let sale_id = match self.sale_for(&checkout).await {
            Ok(id) => id,
            Err(e) => {
                events.send(not_finished(&e));
                return;
            }
        };
        let (cancel, cancelled) = watch::channel(false);
        lock(&self.cancels).insert(events.attempt(), cancel);
        self.run_attempt(&events, async |tx| {
            self.engine.pay_by_qr(sale_id, cancelled, tx).await
        })
        .await;
        lock(&self.cancels).remove(&events.attempt());
    }

    async fn cancel_qr(&self, attempt: AttemptId) {
        if let Some(cancel) = lock(&self.cancels).get(&attempt) {
            let _ = cancel.send(true);
        }
    }

    async fn charge_code(&self, code: String, checkout: Checkout, events: PaymentEvents) {
        let sale_id = match self.sale_for(&checkout).await {
            Ok(id) => id,
            Err(e) => {
                events.send(not_finished(&e));
                return;
            }
        };
        self.run_attempt(&events, async |tx| {
            self.engine.pay_by_code(sale_id, &code, tx).await
        })
        .await;
    }

    async fn refund(&self, sale_id: i64) -> Result<RefundDone, String> {
        self.engine
            .refund(sale_id, REFUND_REASON)
            .await
            .map_err(|e| e.to_string())
    }

    async fn verify_pin(&self, entered: Secret<String>, purpose: PinPurpose) -> PinVerdict {
        let correct = match &self.manager_pin {
            Some(pin) => {
                let pin = pin.clone();
                tokio::task::spawn_blocking(move || pin.matches(entered.expose()))
                    .await
                    .unwrap_or_else(|e| {
                        tracing::error!("the manager PIN check did not finish: {e}");
                        false
                    })
            }
            // The app asks only when a PIN is configured; anything else is refused.
            None => false,
        };
        let terminal = self.terminal_id();
        if !correct {
            tracing::warn!(purpose = purpose.as_str(), "wrong manager PIN");
        }
        let recorded = self
            .engine
            .journal()
            .call(move |j| j.record_pin_try(&terminal, purpose.as_str(), correct))
            .await;
        let at = recorded.unwrap_or_else(|e| {
            tracing::error!("could not journal a manager PIN try: {e}");
            Utc::now()
        });
        PinVerdict { correct, at }
    }

    async fn history(&self, also: Option<i64>) -> Result<Vec<SaleDetail>, String> {
        self.engine
            .journal()
            .call(move |j| {
                let listed = j.list_sales(SaleFilter::OpenDay)?;
                let mut sales = listed
                    .iter()
                    .rev()
                    .map(|s| j.sale(s.id))
                    .collect::<Result<Vec<_>, _>>()?;
                if let Some(id) = also.filter(|id| !listed.iter().any(|s| s.id == *id)) {
                    sales.insert(0, j.sale(id)?);
                }
                Ok(sales)
            })
            .await
            .map_err(journal_error)
    }

    async fn find_receipt(&self, code: String) -> Result<i64, ReceiptLookupError> {
        // Receipt codes carry `[terminal] id`; only this till's codes are looked up.
        let terminal_id = self.terminal_id();
        let found = self
            .engine
            .journal()
            .call(move |j| Ok(regi_receipts::find_sale_by_code(j, &terminal_id, &code)))
            .await
            .map_err(|e| ReceiptLookupError::Failed(journal_error(e)))?;
        found.map_err(|e| match e {
            ReceiptError::OtherTerminal { code_terminal, .. } => {
                ReceiptLookupError::OtherTerminal {
                    terminal: code_terminal,
                }
            }
            ReceiptError::UnknownReceipt(receipt_no) => ReceiptLookupError::Unknown { receipt_no },
            other => ReceiptLookupError::Failed(other.to_string()),
        })
    }

    async fn report(&self, kind: ReportKind) -> Result<Option<Box<Report>>, String> {
        let report = match kind {
            ReportKind::X => self.engine.journal().call(|j| j.x_report()).await,
            ReportKind::Z => {
                self.engine
                    .journal()
                    .call(|j| j.close_day_with_z_report().map(Some))
                    .await
            }
        };
        report.map(|r| r.map(Box::new)).map_err(journal_error)
    }

    async fn status(&self) -> StatusReport {
        let s = self.lang.strings();
        let mut checks = regi_pokepay::doctor::api_checks(&self.api, self.lang).await;
        if let Some(config) = &self.printing {
            let settings = config.printer.clone();
            match tokio::task::spawn_blocking(move || checks::printer_check(&settings, s)).await {
                Ok(check) => checks.push(check),
                Err(e) => tracing::warn!("printer check did not finish: {e}"),
            }
        }
        if let Some((kind, state)) = &self.scanner {
            checks.push(state.check(*kind, s));
        }
        StatusReport { checks }
    }

    async fn print(&self, sale_id: i64, slip: SlipRequest) -> Result<Option<String>, String> {
        let Some(config) = &self.printing else {
            return Ok(None);
        };
        let journal = self.engine.journal();
        let report = match slip {
            SlipRequest::Receipt { money_name } => {
                regi_receipts::print_sale(journal, config, sale_id, money_name.as_deref()).await
            }
            SlipRequest::Reprint => {
                regi_receipts::print_slip(journal, config, sale_id, Slip::Sale, true).await
            }
            SlipRequest::Refund => {
                regi_receipts::print_slip(journal, config, sale_id, Slip::Refund, false).await
            }
        };
        match report.outcome {
            PrintOutcome::Printed => Ok(None),
            PrintOutcome::Preview(text) => Ok(Some(text)),
            _ => Err(report.message(self.lang)),
        }
    }

    async fn training_pay_qr(&self, token: String) -> Result<(), String> {
        self.customer()?
            .pay_cashtray(&token, CUSTOMER_RICH)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    async fn training_fail_qr(&self, token: String) -> Result<(), String> {
        // The empty wallet holds nothing, so the scan is refused for lack of balance whatever the
        // amount; the engine then sees it on the tray like any real refusal. A training ledger
        // kept from before that customer existed falls back to the nearly empty one.
        let customer = self.customer()?;
        let scan = match customer.pay_cashtray(&token, CUSTOMER_EMPTY) {
            Err(regi_pokepay_emulator::CustomerError::UnknownCustomer(_)) => {
                customer.pay_cashtray(&token, CUSTOMER_POOR)
            }
            other => other,
        };
        match scan {
            Ok(_) | Err(regi_pokepay_emulator::CustomerError::Refused(_)) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn training_present_code(&self) -> Result<String, String> {
        self.customer()?
            .issue_cpm_token(CUSTOMER_RICH, &[CpmScope::Payment, CpmScope::Topup])
            .map(|token| token.cpm_token)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use regi_config::{ManagerPin, ManagerPinHash};
    use regi_core::app::Msg;
    use regi_engine::EngineSettings;
    use regi_journal::{Journal, JournalHandle, journal_path};
    use regi_pokepay::PokepayGateway;
    use regi_tui::runtime::effects::EffectRunner;

    /// Services over a journal in `dir` with the manager PIN 2580 stored as a hash. The gateway
    /// points at a closed port: checking a PIN never touches the network.
    fn with_pin_2580(dir: &std::path::Path) -> (EngineServices, std::thread::JoinHandle<()>) {
        let api = ApiSettings::new("http://127.0.0.1:9", "id", Secret::new("A".repeat(43)));
        let client = regi_pokepay::Client::new(&api).unwrap();
        let gateway = PokepayGateway::new(client, uuid::Uuid::nil(), uuid::Uuid::nil());
        let journal = Journal::open(&journal_path(dir, false)).unwrap();
        let (handle, writer) = JournalHandle::spawn(journal).unwrap();
        let engine = Engine::new(gateway, handle, EngineSettings::default());
        let pin = ManagerPin::try_from("2580".to_string()).unwrap();
        let hash = ManagerPinHash::new(&pin).unwrap();
        let services =
            EngineServices::new(engine, api, Lang::En).with_manager_pin(StoredPin::Hashed(hash));
        (services, writer)
    }

    fn pin(digits: &str) -> Secret<String> {
        Secret::new(digits.to_string())
    }

    #[tokio::test]
    async fn pin_tries_are_checked_and_journaled_so_a_restart_counts_them() {
        let dir = tempfile::tempdir().unwrap();
        let (services, writer) = with_pin_2580(dir.path());
        let first = services.verify_pin(pin("0000"), PinPurpose::Refund).await;
        let second = services.verify_pin(pin("2581"), PinPurpose::Refund).await;
        assert!(!first.correct && !second.correct);
        assert!(first.at <= second.at);
        drop(services);
        writer.join().unwrap();

        let journal = Journal::open(&journal_path(dir.path(), false)).unwrap();
        let failures = journal.pin_failures().unwrap();
        assert_eq!(failures.consecutive, 2);
        assert_eq!(failures.last_at, Some(second.at));
        drop(journal);

        let (services, writer) = with_pin_2580(dir.path());
        assert!(
            services
                .verify_pin(pin("2580"), PinPurpose::Refund)
                .await
                .correct
        );
        drop(services);
        writer.join().unwrap();
        let journal = Journal::open(&journal_path(dir.path(), false)).unwrap();
        assert_eq!(journal.pin_failures().unwrap().consecutive, 0);
    }

    #[tokio::test]
    async fn the_effect_runner_answers_a_pin_check_with_its_attempt() {
        let dir = tempfile::tempdir().unwrap();
        let (services, _writer) = with_pin_2580(dir.path());
        let (tx, mut rx) = mpsc::unbounded_channel();
        let runner = EffectRunner::new(Arc::new(services), tx);
        runner.run(regi_core::app::Command::VerifyPin {
            attempt: AttemptId(41),
            entered: pin("2580"),
            purpose: PinPurpose::Refund,
        });
        let answer = rx.recv().await.expect("an answer");
        assert!(
            matches!(
                answer,
                Msg::PinChecked {
                    attempt: AttemptId(41),
                    correct: true,
                    ..
                }
            ),
            "{answer:?}"
        );
    }
}
