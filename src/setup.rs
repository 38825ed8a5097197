//! Turning the command line and configuration into working parts: the data directory, the loaded
//! configuration, the Pokepay gateway, the journal and the engine settings. Shared by the TUI and
//! every subcommand so they all start the same way.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow};

use crate::cli::Cli;
use crate::config::{Config, Lang};
use crate::engine::EngineSettings;
use crate::gateway::PokepayGateway;
use crate::journal::{Journal, JournalHandle, journal_path};
use crate::pokepay::Client;

/// `--data-dir`, else the platform data directory (e.g. `~/.local/share/regi`).
pub fn data_dir(cli: &Cli) -> PathBuf {
    crate::journal::cli::data_dir(cli)
}

/// The configuration file in use: `--config`, else `DATA_DIR/regi.toml` when it exists.
pub fn config_path(cli: &Cli) -> Option<PathBuf> {
    cli.config.clone().or_else(|| {
        let default = data_dir(cli).join("regi.toml");
        default.is_file().then_some(default)
    })
}

/// The configuration file a command writes to: `--config`, else `DATA_DIR/regi.toml` (created
/// when missing).
pub fn config_path_to_write(cli: &Cli) -> PathBuf {
    cli.config
        .clone()
        .unwrap_or_else(|| data_dir(cli).join("regi.toml"))
}

/// `--lang`, else `[ui] lang` of a configuration that loads, else Japanese.
pub fn lang(cli: &Cli) -> Lang {
    cli.tui
        .lang
        .or_else(|| load_config(cli).ok().map(|config| config.ui.lang))
        .unwrap_or_default()
}

pub fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let path = config_path(cli);
    Ok(Config::load(path.as_deref(), cli.pokepay_ini.as_deref())?)
}

/// The Pokepay gateway for the configured shop and money.
pub fn pokepay_gateway(config: &Config) -> anyhow::Result<PokepayGateway> {
    let missing = config.api.missing_credentials();
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
    let client = Client::new(&config.api)?;
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

pub fn engine_settings(config: &Config, training: bool) -> EngineSettings {
    EngineSettings {
        cashtray_expires_in: Duration::from_secs(u64::from(
            config.pokepay.cashtray_expires_in_secs,
        )),
        terminal: config.terminal.name.clone(),
        training,
        ..EngineSettings::default()
    }
}
