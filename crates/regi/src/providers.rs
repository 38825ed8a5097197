//! The enabled payment providers made into gateways: live from the configuration's tables, or in
//! training from emulators started in process (their ledgers kept beside the training journal),
//! with each emulator's simulated customer for F9/F10/F11. The one place that knows every
//! provider crate and names the providers; the configuration, the engine and the till see only
//! names and the payment port.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, anyhow};

use regi_config::{Config, Lang};
use regi_core::app::tenders::TenderOption;
use regi_core::domain::PaymentMethod;
use regi_payment::Gateways;
use regi_pokepay_emulator::{RunningSandbox, SandboxOptions};
use regi_tui::runtime::ports::TrainingError;

use crate::config_file::LoadedConfig;
pub use crate::provider_names::{KNOWN_PROVIDERS, PROVIDER_NAMES};
use crate::services::{ProviderCustomer, TrainingCustomers};
use crate::setup;

/// The live gateways of the enabled tenders, in their order. A provider whose table does not read
/// is an error naming the key (in the clerk's language), never a silently missing tender.
pub fn live_gateways(config: &LoadedConfig, lang: Lang) -> anyhow::Result<Gateways> {
    let mut gateways = Gateways::default();
    for name in config.tenders.names() {
        match name {
            regi_pokepay::PROVIDER => gateways.add(Arc::new(setup::pokepay_gateway(config)?)),
            regi_komoju::PROVIDER => {
                let settings = regi_komoju::KomojuSettings::from_table(table(config, name)?)
                    .map_err(|e| anyhow!(e.text(lang)))?;
                let gateway =
                    regi_komoju::build_gateway(&settings).map_err(|e| anyhow!("[komoju]: {e}"))?;
                gateways.add(Arc::new(gateway));
            }
            regi_elepay::PROVIDER => {
                let settings = regi_elepay::ElepaySettings::from_table(table(config, name)?)
                    .map_err(|e| anyhow!("{e}"))?;
                let gateway = regi_elepay::build_gateway(&settings).map_err(|e| anyhow!("{e}"))?;
                gateways.add(Arc::new(gateway));
            }
            other => return Err(anyhow!("[tenders] enabled: unknown provider {other}")),
        }
    }
    Ok(gateways)
}

fn table<'a>(config: &'a Config, name: &str) -> anyhow::Result<&'a toml::Table> {
    config
        .provider_table(name)
        .ok_or_else(|| anyhow!("{name} is enabled but regi.toml has no [{name}] table"))
}

/// The emulators of training mode, one per enabled tender, and what the till needs from them.
pub struct TrainingProviders {
    pub pokepay: RunningSandbox,
    pub komoju: Option<regi_komoju_emulator::RunningEmulator>,
    pub elepay: Option<regi_elepay_emulator::RunningEmulator>,
    order: Vec<String>,
}

impl TrainingProviders {
    /// Starts an emulator for every enabled tender, keeping its ledger in `DATA_DIR/training`, so
    /// a training attempt left open by a crash is reconciled against the same ledger next time.
    pub async fn start(data_dir: &Path, config: &Config) -> anyhow::Result<Self> {
        let dir = data_dir.join("training");
        regi_config::create_private_dir(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        let pokepay = regi_pokepay_emulator::start_loopback(SandboxOptions {
            state_path: Some(dir.join("sandbox.sqlite")),
            ..SandboxOptions::default()
        })
        .await
        .context("starting the training Pokepay emulator")?;
        let komoju = match config.tenders.contains(regi_komoju::PROVIDER) {
            true => Some(
                regi_komoju_emulator::start(regi_komoju_emulator::EmulatorConfig {
                    state_file: Some(dir.join("komoju.log")),
                    ..Default::default()
                })
                .await
                .context("starting the training KOMOJU emulator")?,
            ),
            false => None,
        };
        let elepay = match config.tenders.contains(regi_elepay::PROVIDER) {
            true => Some(
                regi_elepay_emulator::start_loopback(regi_elepay_emulator::EmulatorConfig {
                    state_file: Some(dir.join("elepay.json")),
                    ..Default::default()
                })
                .await
                .context("starting the training elepay emulator")?,
            ),
            false => None,
        };
        Ok(Self {
            pokepay,
            komoju,
            elepay,
            order: config.tenders.names().map(str::to_string).collect(),
        })
    }

    /// Gateways to the emulators, in the tenders' order. A provider's store settings (payment
    /// types, capture, wallets) are kept; only where it is and its key come from the emulator.
    pub fn gateways(&self, config: &Config) -> anyhow::Result<Gateways> {
        let mut gateways = Gateways::default();
        for name in &self.order {
            match name.as_str() {
                regi_pokepay::PROVIDER => {
                    let sandbox = &self.pokepay;
                    let api = regi_pokepay::ApiSettings::new(
                        &sandbox.base_url,
                        &sandbox.client_id,
                        sandbox.client_secret.clone(),
                    );
                    gateways.add(Arc::new(regi_pokepay::PokepayGateway::new(
                        regi_pokepay::Client::new(&api)?,
                        sandbox.shop_id,
                        sandbox.private_money_id,
                    )));
                }
                regi_komoju::PROVIDER => {
                    if let Some(emulator) = &self.komoju {
                        let table = training_table(config, &emulator.regi_config(), name)?;
                        let settings = regi_komoju::KomojuSettings::from_table(&table)
                            .map_err(|e| anyhow!(e.text(Lang::En)))?;
                        gateways.add(Arc::new(
                            regi_komoju::build_gateway(&settings).map_err(|e| anyhow!("{e}"))?,
                        ));
                    }
                }
                regi_elepay::PROVIDER => {
                    if let Some(emulator) = &self.elepay {
                        let table = training_table(config, &emulator.regi_config(), name)?;
                        let settings = regi_elepay::ElepaySettings::from_table(&table)
                            .map_err(|e| anyhow!("{e}"))?;
                        gateways.add(Arc::new(
                            regi_elepay::build_gateway(&settings).map_err(|e| anyhow!("{e}"))?,
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(gateways)
    }

    /// The emulators' simulated customers, in the tenders' order.
    pub fn customers(&self) -> TrainingCustomers {
        let mut customers = TrainingCustomers::default();
        for name in &self.order {
            customers = match name.as_str() {
                regi_pokepay::PROVIDER => customers.with(self.pokepay.state.clone()),
                regi_komoju::PROVIDER => match &self.komoju {
                    Some(emulator) => customers.with(KomojuCustomer(emulator.state.clone())),
                    None => customers,
                },
                regi_elepay::PROVIDER => match &self.elepay {
                    Some(emulator) => customers.with(ElepayCustomer(emulator.state.clone())),
                    None => customers,
                },
                _ => customers,
            };
        }
        customers
    }

    pub async fn shutdown(self) {
        let _ = self.pokepay.shutdown().await;
        if let Some(emulator) = self.komoju {
            let _ = emulator.shutdown().await;
        }
        if let Some(emulator) = self.elepay {
            let _ = emulator.shutdown().await;
        }
    }
}

/// The store's own table for the provider with the emulator's address and key put in.
fn training_table(config: &Config, emulator_toml: &str, name: &str) -> anyhow::Result<toml::Table> {
    let written: toml::Table = toml::from_str(emulator_toml)?;
    let emulator = written
        .get(name)
        .and_then(toml::Value::as_table)
        .cloned()
        .ok_or_else(|| anyhow!("the {name} emulator wrote no [{name}] table"))?;
    let mut table = config.provider_table(name).cloned().unwrap_or_default();
    for (key, value) in emulator {
        table.insert(key, value);
    }
    Ok(table)
}

/// KOMOJU's hosted page, paid or failed by the emulator's customers in process.
struct KomojuCustomer(regi_komoju_emulator::EmulatorState);

impl ProviderCustomer for KomojuCustomer {
    fn pay(&self, token: &str) -> Result<(), TrainingError> {
        self.komoju_pay(token, regi_komoju_emulator::CUSTOMER_RICH)
    }

    fn fail(&self, token: &str) -> Result<(), TrainingError> {
        // A customer who cannot pay leaves the page waiting, as on KOMOJU: not an error here.
        match self.komoju_pay(token, regi_komoju_emulator::CUSTOMER_POOR) {
            Err(TrainingError::Refused(_)) | Ok(()) => Ok(()),
            other => other,
        }
    }

    fn present_code(&self) -> Option<Result<String, TrainingError>> {
        None
    }
}

impl KomojuCustomer {
    fn komoju_pay(&self, token: &str, customer: &str) -> Result<(), TrainingError> {
        let Some(id) = regi_komoju_emulator::customer::session_id_from(token) else {
            return Err(TrainingError::UnknownQr);
        };
        if self.0.session(id).is_none() {
            return Err(TrainingError::UnknownQr);
        }
        self.0
            .pay_session(token, None, Some(customer))
            .map(|_| ())
            .map_err(|e| TrainingError::Refused(format!("{} ({})", e.body.message, e.body.code)))
    }
}

/// elepay's wallet QR or payment page, paid or failed by the emulator's customers in process.
struct ElepayCustomer(regi_elepay_emulator::EmulatorState);

impl ProviderCustomer for ElepayCustomer {
    fn pay(&self, token: &str) -> Result<(), TrainingError> {
        self.elepay_pay(token, "alice")
    }

    fn fail(&self, token: &str) -> Result<(), TrainingError> {
        match self.elepay_pay(token, "poor") {
            Err(TrainingError::Refused(_)) | Ok(()) => Ok(()),
            other => other,
        }
    }

    fn present_code(&self) -> Option<Result<String, TrainingError>> {
        None
    }
}

impl ElepayCustomer {
    fn elepay_pay(&self, token: &str, customer: &str) -> Result<(), TrainingError> {
        use regi_elepay_emulator::ledger::PayError;
        let paid: Result<_, PayOrSave> = self
            .0
            .write(|ledger, now| ledger.pay(token, customer, now).map_err(PayOrSave::Pay));
        match paid {
            Ok(_) => Ok(()),
            Err(PayOrSave::Pay(PayError::NotAPaymentCode(_) | PayError::NotFound(_))) => {
                Err(TrainingError::UnknownQr)
            }
            Err(PayOrSave::Pay(e)) => Err(TrainingError::Refused(e.to_string())),
            Err(PayOrSave::Save(e)) => Err(TrainingError::Refused(e.to_string())),
        }
    }
}

/// A refused payment, or a ledger change the emulator could not save.
enum PayOrSave {
    Pay(regi_elepay_emulator::ledger::PayError),
    Save(regi_elepay_emulator::ApiError),
}

impl From<regi_elepay_emulator::ApiError> for PayOrSave {
    fn from(e: regi_elepay_emulator::ApiError) -> Self {
        PayOrSave::Save(e)
    }
}

/// The ways to pay the payment screen lists, in the tenders' order. With Pokepay alone the list
/// is empty: the screen keeps its two fixed choices (QR and customer code).
pub fn tender_options(config: &Config) -> Vec<TenderOption> {
    if config.tenders.names().eq([regi_pokepay::PROVIDER]) {
        return Vec::new();
    }
    let option =
        |provider: &str, label: String, presentation, wallet: Option<String>| TenderOption {
            provider: provider.to_string(),
            label,
            presentation,
            wallet,
        };
    let mut options = Vec::new();
    for name in config.tenders.names() {
        match name {
            regi_pokepay::PROVIDER => {
                options.push(option(
                    name,
                    "Pokepay".into(),
                    PaymentMethod::MerchantQr,
                    None,
                ));
                options.push(option(
                    name,
                    "Pokepay".into(),
                    PaymentMethod::CustomerCode,
                    None,
                ));
            }
            regi_komoju::PROVIDER => {
                options.push(option(
                    name,
                    "KOMOJU".into(),
                    PaymentMethod::HostedPage,
                    None,
                ));
            }
            regi_elepay::PROVIDER => {
                options.push(option(
                    name,
                    "elepay".into(),
                    PaymentMethod::HostedPage,
                    None,
                ));
                let table = config.provider_table(name).cloned().unwrap_or_default();
                let wallets = regi_elepay::ElepaySettings::from_table(&table)
                    .map(|s| s.wallets)
                    .unwrap_or_default();
                for wallet in wallets {
                    let label = format!("{} (elepay)", regi_elepay::wallets::display_name(&wallet));
                    let wire = wallet.as_str().to_string();
                    options.push(option(name, label, PaymentMethod::MerchantQr, Some(wire)));
                }
            }
            _ => {}
        }
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> LoadedConfig {
        crate::config_file::from_toml_str(text, Path::new("/etc/regi/regi.toml")).unwrap()
    }

    #[test]
    fn pokepay_alone_keeps_the_screens_two_fixed_choices() {
        assert!(tender_options(&config("")).is_empty());
    }

    #[test]
    fn every_enabled_provider_is_offered_in_the_tenders_order_with_its_wallets() {
        let config = config(
            "[tenders]\nenabled = [\"elepay\", \"komoju\", \"pokepay\"]\n\
             [komoju]\nsecret_key = \"sk_test_x\"\n\
             [elepay]\nsecret_key = \"sk_test_y\"\nwallets = [\"paypay\", \"linepay\"]\n",
        );
        let shown: Vec<(String, PaymentMethod, Option<String>)> = tender_options(&config)
            .into_iter()
            .map(|t| (t.label, t.presentation, t.wallet))
            .collect();
        assert_eq!(
            shown,
            [
                ("elepay".into(), PaymentMethod::HostedPage, None),
                (
                    "PayPay (elepay)".into(),
                    PaymentMethod::MerchantQr,
                    Some("paypay".into())
                ),
                (
                    "LINE Pay (elepay)".into(),
                    PaymentMethod::MerchantQr,
                    Some("linepay".into())
                ),
                ("KOMOJU".into(), PaymentMethod::HostedPage, None),
                ("Pokepay".into(), PaymentMethod::MerchantQr, None),
                ("Pokepay".into(), PaymentMethod::CustomerCode, None),
            ]
        );
    }
}

#[cfg(test)]
mod training_tests {
    use super::*;
    use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};
    use regi_engine::{Engine, EngineSettings, Route};
    use regi_journal::{Journal, JournalHandle, journal_path};
    use tokio::sync::{mpsc, watch};

    /// The till's F9 in training: the QR of each provider is paid by that provider's emulator.
    #[tokio::test]
    async fn the_training_customer_pays_each_providers_qr_through_its_own_emulator() {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::config_file::from_toml_str(
            "[tenders]\nenabled = [\"komoju\", \"elepay\", \"pokepay\"]\n\
             [komoju]\nsecret_key = \"sk_test_store\"\n[elepay]\nsecret_key = \"sk_test_store\"\n",
            Path::new("/etc/regi/regi.toml"),
        )
        .unwrap();
        let emulators = TrainingProviders::start(dir.path(), &config).await.unwrap();
        let gateways = emulators.gateways(&config).unwrap();
        assert_eq!(gateways.names(), ["komoju", "elepay", "pokepay"]);
        let customers = emulators.customers();
        let journal = Journal::open(&journal_path(dir.path(), true)).unwrap();
        let (handle, _writer) = JournalHandle::spawn(journal).unwrap();
        let engine = Engine::with_gateways(gateways, handle, EngineSettings::default());
        for (provider, wallet) in [
            ("komoju", None),
            ("elepay", Some("paypay")),
            ("elepay", None),
            ("pokepay", None),
        ] {
            let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
            cart.add_manual(Yen(700), TaxRate::Standard10, None)
                .unwrap();
            let sale = engine.create_sale(cart.checkout().unwrap()).await.unwrap();
            let route = Route {
                provider: Some(provider.into()),
                wallet: wallet.map(str::to_string),
                ..Route::default()
            };
            let (tx, mut rx) = mpsc::unbounded_channel();
            let (_cancel, cancel_rx) = watch::channel(false);
            let run = {
                let engine = engine.clone();
                tokio::spawn(async move {
                    engine
                        .pay_by_qr_routed(&route, sale.sale_id, cancel_rx, &tx)
                        .await
                })
            };
            let token = loop {
                match rx.recv().await.expect("the QR is shown") {
                    regi_engine::EngineEvent::Presented { token, .. } => break token,
                    _ => continue,
                }
            };
            customers
                .pay(&token)
                .expect("the emulator that made it pays it");
            let outcome = run.await.unwrap().unwrap();
            assert!(outcome.is_paid(), "{provider} {wallet:?}: {outcome:?}");
        }
        emulators.shutdown().await;
    }

    /// A tab in training: F11 shows the code of the simulated customer with a verified card, and
    /// the tab opens on it, takes a charge and is billed through the in-process emulator.
    #[tokio::test]
    async fn in_training_a_tab_opens_on_the_simulated_customers_card_and_is_billed() {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::config_file::from_toml_str(
            "[tenders]\nenabled = [\"pokepay\"]\n",
            Path::new("/etc/regi/regi.toml"),
        )
        .unwrap();
        let emulators = TrainingProviders::start(dir.path(), &config).await.unwrap();
        let engine = Engine::with_gateways(
            emulators.gateways(&config).unwrap(),
            JournalHandle::spawn(Journal::open(&journal_path(dir.path(), true)).unwrap())
                .unwrap()
                .0,
            EngineSettings::default(),
        );
        let code = emulators.customers().present_tab_code().unwrap();
        let customer = engine.tab_customer(None, &code).await.unwrap();
        assert_eq!(customer.cards.len(), 1, "{customer:?}");
        let until = chrono::Utc::now() + chrono::TimeDelta::days(2);
        let opened = engine
            .open_tab(None, "101", &customer, &customer.cards[0].card_id, until)
            .await
            .unwrap();
        let regi_engine::TabOutcome::Done(tab) = opened else {
            panic!("{opened:?}")
        };
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(1_500), TaxRate::Standard10, None)
            .unwrap();
        let sale = engine.create_sale(cart.checkout().unwrap()).await.unwrap();
        let (tx, _rx) = mpsc::unbounded_channel();
        let charged = engine.charge_tab(sale.sale_id, tab.id, &tx).await.unwrap();
        assert!(charged.is_paid(), "{charged:?}");
        let closed = engine.close_tab(tab.id).await.unwrap();
        let regi_engine::TabOutcome::Done(closed) = closed else {
            panic!("{closed:?}")
        };
        assert_eq!((closed.charges, closed.total), (1, Yen(1_500)));
        emulators.shutdown().await;
    }
}
