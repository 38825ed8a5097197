//! How this till reaches the store's database: `[store]` read into a target (URL, password file,
//! TLS CA) and the store's id, for the shipper, the store commands and returns at other tills.

use anyhow::anyhow;
use regi_config::Config;
use regi_store::StoreTarget;
use regi_tui::ui::strings::Strings;

/// `[store] database_url`, when set.
pub fn configured_url(config: &Config) -> Option<String> {
    config
        .store
        .database_url
        .as_ref()
        .map(|url| url.as_str().to_string())
}

/// How this till reaches the store, and which store it is in (what is missing said in `s`).
pub fn store_target(config: &Config, s: &Strings) -> anyhow::Result<(StoreTarget, String)> {
    let url = configured_url(config).ok_or_else(|| anyhow!(s.store_key_missing("database_url")))?;
    let store_id = config
        .store
        .store_id
        .clone()
        .ok_or_else(|| anyhow!(s.store_key_missing("store_id")))?;
    let target = StoreTarget::new(
        &url,
        config.store.password_file.as_deref(),
        config.store.tls_ca_file.clone(),
    )?;
    Ok((target, store_id))
}
