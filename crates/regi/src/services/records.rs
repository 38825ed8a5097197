//! The records port over the journal: the day's sales, receipts scanned back, X/Z reports, and
//! manager PIN tries checked on a blocking thread and journaled under this till's id.

use chrono::Utc;

use regi_core::app::PinPurpose;
use regi_core::app::records::ReceiptLookupError;
use regi_core::domain::Product;
use regi_core::records::SaleQuery;
use regi_core::secret::Secret;
use regi_journal::{Report, ReportKind, SaleDetail, SaleFilter};
use regi_tui::runtime::ports::{PinVerdict, PrintError, Records, RecordsError};
use regi_tui::ui::strings::LangStrings as _;

use super::{EngineServices, journal_error};

/// The sales a find lists at most: a screenful and a page or two more.
const FOUND_AT_MOST: usize = 50;

impl Records for EngineServices {
    async fn verify_pin(&self, entered: Secret<String>, purpose: PinPurpose) -> PinVerdict {
        // The manager PIN, or the PIN of a member of staff with the manager role. The app asks
        // only when one is configured; with none, anything is refused.
        let (pin, staff) = (self.manager_pin.clone(), self.staff.clone());
        let correct = tokio::task::spawn_blocking(move || {
            regi_config::opens_manager_pin(pin.as_ref(), &staff, entered.expose())
        })
        .await
        .unwrap_or_else(|e| {
            tracing::error!("the manager PIN check did not finish: {e}");
            false
        });
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
    async fn history(&self, also: Option<i64>) -> Result<Vec<SaleDetail>, RecordsError> {
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
    async fn find_sales(&self, query: SaleQuery) -> Result<Vec<SaleDetail>, RecordsError> {
        self.engine
            .journal()
            .call(move |j| {
                j.find_sales(&query, FOUND_AT_MOST)?
                    .iter()
                    .map(|s| j.sale(s.id))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .map_err(journal_error)
    }
    async fn save_product(&self, product: Product) -> Result<Vec<Product>, RecordsError> {
        if self.store_catalog {
            return Err(RecordsError::Journal(
                self.lang.strings().product_goes_to_the_store_catalog.into(),
            ));
        }
        let path = self
            .printing
            .as_ref()
            .and_then(|config| config.sale.catalog.clone())
            .ok_or_else(|| {
                RecordsError::Journal("no catalog file to save to: set [sale] catalog".into())
            })?;
        let catalog = tokio::task::spawn_blocking(move || {
            regi_config::append_to_catalog(&path, &product).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| RecordsError::Journal(e.to_string()))?
        .map_err(RecordsError::Journal)?;
        Ok(catalog.products().to_vec())
    }
    async fn find_receipt(&self, code: String) -> Result<i64, ReceiptLookupError> {
        // Receipt codes carry `[terminal] id`: this till's are looked up here, another till's
        // in the store's database (store mode).
        super::sale_of_receipt(
            self.engine.journal(),
            self.terminal_id(),
            self.other_tills.as_ref(),
            code,
        )
        .await
    }
    async fn report(&self, kind: ReportKind) -> Result<Option<Box<Report>>, RecordsError> {
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
    async fn print_report(&self, report: Box<Report>) -> Result<Option<String>, PrintError> {
        let Some(config) = &self.printing else {
            return Ok(None);
        };
        let training = self.engine.settings().training;
        let printed =
            regi_receipts::print_report(self.engine.journal(), config, &report, training).await;
        self.answer(printed)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::services::EngineServices;
    use regi_config::{Lang, ManagerPin, ManagerPinHash, StoredPin};
    use regi_core::app::AttemptId;
    use regi_core::app::Msg;
    use regi_engine::{Engine, EngineSettings};
    use regi_journal::{Journal, JournalHandle, journal_path};
    use regi_pokepay::ApiSettings;
    use regi_pokepay::PokepayGateway;
    use regi_tui::runtime::effects::EffectRunner;
    use tokio::sync::mpsc;

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
    async fn a_till_selling_from_the_store_catalog_leaves_products_to_the_stores_push() {
        let dir = tempfile::tempdir().unwrap();
        let (services, writer) = with_pin_2580(dir.path());
        let catalog = dir.path().join("products.csv");
        std::fs::write(
            &catalog,
            "jan,name,unit_price,tax_rate\n4900000000011,a,100,10\n",
        )
        .unwrap();
        let config = regi_config::Config {
            sale: regi_core::domain::SaleSettings {
                catalog: Some(catalog.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        let services = services
            .with_printing(config)
            .selling_from_the_store_catalog();
        let product = Product {
            jan: "4900000000028".into(),
            name: "b".into(),
            unit_price: regi_core::domain::Yen(200),
            tax_rate: regi_core::domain::TaxRate::Standard10,
        };
        let refused = services.save_product(product).await.unwrap_err();
        assert!(
            refused.to_string().contains("regi store catalog push"),
            "{refused}"
        );
        assert!(
            !std::fs::read_to_string(&catalog)
                .unwrap()
                .contains("4900000000028")
        );
        drop(services);
        writer.join().unwrap();
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
