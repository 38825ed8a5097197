//! Turning the global options and configuration into working parts: the data directory, the
//! loaded configuration, the Pokepay gateway, the journal and the engine settings. Shared by the
//! TUI and every subcommand so they all start the same way. The binary parses the command line
//! into [`GlobalOptions`]; nothing here knows about argument parsing.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use regi_config::Lang;
use regi_engine::EngineSettings;
use regi_journal::{Journal, JournalHandle, journal_path};
use regi_pokepay::Client;
use regi_pokepay::PokepayGateway;

use crate::config_file::LoadedConfig;

/// What every command shares: where regi keeps its data and reads its configuration, and how the
/// till was asked to start.
#[derive(Debug, Clone, Default)]
pub struct GlobalOptions {
    /// Directory holding the journal, logs and state; `None` means the platform data directory.
    pub data_dir: Option<PathBuf>,
    /// regi's TOML configuration; `None` means `DATA_DIR/regi.toml` when it exists.
    pub config: Option<PathBuf>,
    /// A Pokepay SDK `config.ini` to take the API credentials from.
    pub pokepay_ini: Option<PathBuf>,
    /// The language asked for, over the configuration's.
    pub lang: Option<Lang>,
    /// Training mode asked for (the till also chooses it when no credentials are configured).
    pub training: bool,
}

impl GlobalOptions {
    /// The data directory given, else the platform data directory (e.g. `~/.local/share/regi`).
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(default_data_dir)
    }

    /// The configuration file in use: the one given, else `DATA_DIR/regi.toml` when it exists.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| {
            let default = self.data_dir().join("regi.toml");
            default.is_file().then_some(default)
        })
    }

    /// The configuration file a command writes to: the one given, else `DATA_DIR/regi.toml`
    /// (created when missing).
    pub fn config_path_to_write(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| self.data_dir().join("regi.toml"))
    }

    /// The language asked for, else `[ui] lang` of a configuration that loads, else Japanese.
    pub fn lang(&self) -> Lang {
        self.lang
            .or_else(|| self.load_config().ok().map(|config| config.ui.lang))
            .unwrap_or_default()
    }

    pub fn load_config(&self) -> anyhow::Result<LoadedConfig> {
        let path = self.config_path();
        Ok(crate::config_file::load(
            path.as_deref(),
            self.pokepay_ini.as_deref(),
        )?)
    }
}

/// The platform data directory (e.g. `~/.local/share/regi`), or the current directory where
/// there is none.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("jp", "regi", "regi")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The Pokepay gateway for the configured shop and money.
pub fn pokepay_gateway(config: &LoadedConfig) -> anyhow::Result<PokepayGateway> {
    let missing = config.pokepay.api.missing_credentials();
    if !missing.is_empty() {
        return Err(anyhow!(
            "the Partner API is not configured (missing: {}); give --pokepay-ini or fill [api] in regi.toml",
            missing.join(", ")
        ));
    }
    let shop_id = config
        .pokepay
        .shop_id
        .context("[pokepay] shop_id (SHOP_ID) is not set")?;
    let money_id = config
        .pokepay
        .private_money_id
        .context("[pokepay] private_money_id (PRIVATE_MONEY_ID) is not set")?;
    let client = Client::new(&config.pokepay.api)?;
    Ok(PokepayGateway::new(client, shop_id, money_id))
}

/// Opens the journal (`training` selects the separate training journal) on its writer thread.
pub fn open_journal(
    data_dir: &Path,
    training: bool,
) -> anyhow::Result<(JournalHandle, std::thread::JoinHandle<()>)> {
    let path = journal_path(data_dir, training);
    let journal =
        Journal::open(&path).with_context(|| format!("opening the journal {}", path.display()))?;
    Ok(JournalHandle::spawn(journal)?)
}

/// Every enabled provider is served on this machine (an emulator, `regi sandbox`): no real
/// payment is taken, so no real invoice is issued either.
pub fn selling_against_emulators(config: &LoadedConfig) -> bool {
    let loopback = |url: &str| url::Url::parse(url).is_ok_and(|u| regi_config::is_loopback_url(&u));
    // The other providers' tables name their server `api_base_url`.
    let table_url = |name: &str| {
        config
            .provider_table(name)
            .and_then(|t| t.get("api_base_url"))
            .and_then(|v| v.as_str())
            .is_some_and(loopback)
    };
    config.tenders.names().all(|name| match name {
        regi_pokepay::PROVIDER => loopback(&config.pokepay.api.base_url),
        other => table_url(other),
    })
}

/// Live receipts are qualified simplified invoices (適格簡易請求書), which must name the store
/// and its registration number: live selling does not start without them, unless the store is
/// configured as no invoice issuer, or every provider is an emulator on this machine (no money
/// moves, so no invoice is issued; `regi doctor` still fails the missing keys there, since a
/// store tries its setup against a sandbox before opening day).
pub fn require_store_for_live_selling(config: &LoadedConfig) -> anyhow::Result<()> {
    let missing = config.store.missing_for_live_selling();
    if missing.is_empty() || selling_against_emulators(config) {
        return Ok(());
    }
    Err(anyhow!(
        "live selling needs [store] {} in {}: every receipt is a qualified simplified invoice \
         (適格簡易請求書) naming the store and its registration number; a store that is not an \
         invoice issuer sets [store] invoice_issuer = false (regi doctor checks it)",
        missing.join(", "),
        config
            .source
            .as_ref()
            .map_or("regi.toml".to_string(), |p| p.display().to_string()),
    ))
}

pub fn engine_settings(config: &LoadedConfig, training: bool) -> EngineSettings {
    EngineSettings {
        qr_expires_in: config.pokepay.cashtray_expires_in,
        terminal: config.terminal.name.clone(),
        training,
        ..EngineSettings::default()
    }
}
