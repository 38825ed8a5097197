//! `regi` / `regi run`: the clerk's terminal. Wires configuration, logging, the panic hook, the
//! journal, the engine (against every enabled provider, or in training their built-in emulators),
//! start-up recovery, and the event loop on the real terminal.

use regi_tui::ui::strings::LangStrings as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;

use crate::providers::{TrainingProviders, live_gateways};
use crate::services::{EngineServices, TrainingCustomers};
use crate::setup;
use crate::setup::GlobalOptions;
use regi_config::Lang;
use regi_pokepay::ApiSettings;

use crate::config_file::LoadedConfig;
use regi_core::app::customer_view::customer_screen;
use regi_core::app::records::{CatalogFile, Startup};
use regi_core::app::{App, AppOptions, Msg};
use regi_core::secret::mask_tail;
use regi_engine::{Engine, RecoveryReport};
use regi_payment::Gateways;
use regi_tui::runtime::customer_feed::{CustomerFeed, display_socket};
use regi_tui::runtime::scanner_feed::{ScannerFeed, ScannerState};
use regi_tui::runtime::{EventLoop, input, logging};
use regi_tui::ui::strings::Strings;
use regi_tui::ui::terminal::{self, TerminalGuard};
use regi_tui::ui::theme::{ColorDepth, Theme};

pub fn run(options: &GlobalOptions) -> ExitCode {
    let data_dir = options.data_dir();
    // Keep the guard alive until the end: dropping it flushes the log.
    let _log = match logging::init_file_logging(&data_dir) {
        Ok(guard) => Some(guard),
        Err(e) => {
            eprintln!("regi: {e}; continuing without a log file");
            None
        }
    };
    terminal::install_panic_hook();
    let config = match options.load_config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("regi: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let lang = options.lang.unwrap_or(config.ui.lang);
    let s = lang.strings();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("regi: {}: {e}", s.cannot_start);
            return ExitCode::FAILURE;
        }
    };
    let training = options.training || !config.has_credentials();
    if !training && let Err(e) = crate::setup::require_store_for_live_selling(&config) {
        eprintln!("regi: {}: {e:#}", s.cannot_start);
        return ExitCode::FAILURE;
    }
    match runtime.block_on(start(&data_dir, &config, lang, training)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("regi stopped: {e:#}");
            // A journal that cannot be used is told in the clerk's language first.
            if let Some(journal) = e
                .chain()
                .find_map(|cause| cause.downcast_ref::<regi_journal::JournalError>())
            {
                let text = match lang {
                    Lang::Ja => journal.clerk_message_ja(),
                    Lang::En => journal.clerk_message_en(),
                };
                eprintln!("regi: {text}");
            }
            eprintln!("regi: {}: {e:#}", s.cannot_start);
            ExitCode::FAILURE
        }
    }
}

async fn start(
    data_dir: &Path,
    config: &LoadedConfig,
    lang: Lang,
    training: bool,
) -> anyhow::Result<()> {
    tracing::info!(training, "starting");
    // The journal's lock comes first: a second till must not touch the first one's training
    // ledgers or settle its attempts.
    let (journal, _writer) = setup::open_journal(data_dir, training)?;
    // The customer display's socket sits beside the journal this till holds the lock of.
    let display_at = display_socket(&regi_journal::journal_path(data_dir, training));
    if training {
        let emulators = TrainingProviders::start(data_dir, config).await?;
        let sandbox = &emulators.pokepay;
        let api = ApiSettings::new(
            &sandbox.base_url,
            &sandbox.client_id,
            sandbox.client_secret.clone(),
        );
        let gateways = emulators.gateways(config)?;
        let customers = emulators.customers();
        let till = Till {
            config,
            lang,
            training: true,
            display_at,
        };
        let result = serve(journal, till, gateways, api, Some(customers)).await;
        emulators.shutdown().await;
        result
    } else {
        let gateways = live_gateways(config, lang)?;
        let till = Till {
            config,
            lang,
            training: false,
            display_at,
        };
        serve(journal, till, gateways, config.pokepay.api.clone(), None).await
    }
}

/// How this till runs: its configuration, language, mode, and where its display listens.
struct Till<'a> {
    config: &'a LoadedConfig,
    lang: Lang,
    training: bool,
    display_at: PathBuf,
}

async fn serve(
    journal: regi_journal::JournalHandle,
    till: Till<'_>,
    gateways: Gateways,
    api: ApiSettings,
    customers: Option<TrainingCustomers>,
) -> anyhow::Result<()> {
    let Till {
        config,
        lang,
        training,
        display_at,
    } = till;
    let s = lang.strings();
    let engine = Engine::with_gateways(gateways, journal, setup::engine_settings(config, training));
    eprintln!("{}", s.recovering);
    let recovery = engine.recover().await?;
    // Wrong PINs before this start still count: restarting regi gives no fresh guesses.
    let pin_failures = engine
        .journal()
        .call(|j| j.pin_failures())
        .await
        .context("reading the manager PIN tries")?;
    let partly_paid = left_partly_paid(&engine).await?;
    let parked = engine
        .journal()
        .call(|j| j.parked_carts())
        .await
        .context("reading the parked carts")?
        .len();
    // Store mode ships this journal in the background for as long as the till runs.
    let journal_file = engine
        .journal()
        .call(|j| Ok(j.path().to_path_buf()))
        .await
        .context("reading the journal's path")?;
    let store = super::store::StoreLink::start_for_journal(&journal_file, config, training);
    // In store mode the store's catalog, taken when newer (the copy kept when it is out of reach).
    let data_dir = journal_file.parent().unwrap_or(Path::new("."));
    if store.is_some() {
        super::store_catalog::refresh_catalog(data_dir, config, super::store::STORE_WAIT).await;
    }
    let catalog_file = super::store_catalog::catalog_path(data_dir, config, training);
    let (catalog, catalog_notice) = super::catalog::load(catalog_file.as_deref(), s)?;
    let mut startup = Startup {
        partly_paid,
        parked,
        ..startup(&recovery, config, &api, training, s)
    };
    // The status screen keeps what the status line says only for a moment.
    startup.catalog_file = catalog_file.as_ref().map(|path| CatalogFile {
        path: path.display().to_string(),
        rows_left_out: match &catalog_notice {
            Some(regi_core::app::NoticeMessage::CatalogRowsLeftOut { count, .. }) => *count,
            _ => 0,
        },
        store_version: None,
    });
    let mut app = App::new(
        AppOptions {
            lang,
            training,
            catalog,
            sale: config.sale.clone(),
            pin_required: config.manager_pin_set(),
            pin_lockout: pin_failures.into(),
            startup,
            customer_codes: config
                .tenders
                .contains(regi_pokepay::PROVIDER)
                .then_some(regi_pokepay::CUSTOMER_CODE)
                .into_iter()
                .collect(),
            tenders: crate::providers::tender_options(config),
            partial_refunds: providers_that(&engine, |c| c.partial_refund),
            tab_providers: providers_that(&engine, |c| c.tabs),
            staff_sign_in: !config.staff.is_empty(),
        },
        Utc::now(),
    );
    // Rows of the catalog left out: said on the status line at once, and logged one by one.
    if let Some(notice) = catalog_notice {
        app.notify(notice);
    }
    let scanner_state = ScannerState::default();
    let mut services = EngineServices::new(engine, api, lang)
        .with_scanner(config.scanner.source, scanner_state.clone())
        .with_printing(config.config.clone());
    if let Some(pin) = config.ui.stored_pin() {
        services = services.with_manager_pin(pin);
    }
    services = services.with_staff(config.staff.clone());
    if let Some(customers) = customers {
        services = services.with_training_customers(customers);
    }
    if let Some(store) = &store {
        services = services.with_store_status(store.watch());
    }
    if catalog_file.as_deref() != config.sale.catalog.as_deref() {
        services = services.selling_from_the_store_catalog();
    }
    if let Some(other_tills) = crate::services::OtherTills::for_config(config, training) {
        services = services.with_other_tills(other_tills);
    }
    let theme = Theme::new(ColorDepth::from_colorterm(
        std::env::var("COLORTERM").ok().as_deref(),
    ));
    let mut event_loop = EventLoop::new(app, theme, Arc::new(services));
    // In store mode a catalog pushed while the till runs is taken and handed to the app.
    let _catalog_watch = store.as_ref().and_then(|_| {
        super::store_catalog::CatalogWatch::start(data_dir, config, lang, event_loop.sender())
    });
    // A display that cannot be served never stops the till: the clerk's screen is enough.
    match CustomerFeed::bind(&display_at, customer_screen(event_loop.app())) {
        Ok(feed) => event_loop = event_loop.with_customer_feed(feed),
        Err(e) => tracing::warn!("no customer display at {}: {e}", display_at.display()),
    }

    let mut guard = TerminalGuard::enter()?;
    let wedge = config
        .scanner
        .wedge_enabled()
        .then_some(config.scanner.wedge);
    let _input = input::InputThread::spawn(event_loop.sender(), wedge)?;
    let _scanner = ScannerFeed::start(&config.scanner, event_loop.sender(), scanner_state);
    let signals = event_loop.sender();
    let signal_task = tokio::spawn(async move {
        if let Ok(name) = terminal::shutdown_signal().await {
            tracing::info!(signal = name, "asked to stop");
            let _ = signals.send(Msg::Shutdown);
        }
    });
    let result = event_loop.run(guard.terminal()).await;
    signal_task.abort();
    drop(guard);
    result.context("drawing the screen")
}

/// The sales an earlier run left partly paid, oldest first, with their paid tenders: the till
/// takes them up first, to be paid on or given back.
pub async fn left_partly_paid(engine: &Engine) -> anyhow::Result<Vec<regi_journal::SaleDetail>> {
    engine
        .journal()
        .call(|j| {
            j.partly_paid_sales()?
                .into_iter()
                .map(|sale| j.sale(sale.id))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .context("reading the sales left partly paid")
}

/// What the status screen shows about this start: recovery, and the configuration without secrets.
fn startup(
    recovery: &RecoveryReport,
    config: &LoadedConfig,
    api: &ApiSettings,
    training: bool,
    s: &Strings,
) -> Startup {
    let settled = recovery
        .attempts
        .iter()
        .filter(|a| a.state.is_final())
        .count();
    let mut summary = vec![
        ("api.base_url".to_string(), api.base_url.clone()),
        ("api.client_id".to_string(), mask_tail(&api.client_id, 4)),
        ("terminal.name".to_string(), config.terminal.name.clone()),
        (
            "sale.max_amount".to_string(),
            config.sale.max_amount.to_string(),
        ),
        (
            "ui.manager_pin".to_string(),
            if config.ui.stored_pin().is_some() {
                s.detail_set
            } else {
                s.detail_missing
            }
            .to_string(),
        ),
    ];
    if training {
        let why = training_reason(config, s);
        tracing::info!("training mode: {why}");
        summary.insert(
            0,
            ("mode".to_string(), format!("{} {why}", s.label_training)),
        );
    }
    Startup {
        recovered: settled,
        unresolved: recovery.attempts.len() - settled,
        config_summary: summary,
        partly_paid: Vec::new(),
        parked: 0,
        training_reason: training.then(|| training_reason(config, s).to_string()),
        catalog_file: None,
    }
}

/// Why the till trains, so a missing credential is not mistaken for a wish to practise: with
/// credentials it was asked for (`--training`).
fn training_reason(config: &LoadedConfig, s: &Strings) -> &'static str {
    if config.has_credentials() {
        s.training_why_asked
    } else {
        s.training_why_no_credentials
    }
}

/// The enabled providers whose capabilities pass `has`.
fn providers_that(
    engine: &Engine,
    has: impl Fn(&regi_payment::Capabilities) -> bool,
) -> Vec<String> {
    engine
        .gateways()
        .names()
        .into_iter()
        .filter(|name| {
            engine
                .gateways()
                .get(name)
                .is_some_and(|g| has(&g.capabilities()))
        })
        .map(str::to_string)
        .collect()
}
