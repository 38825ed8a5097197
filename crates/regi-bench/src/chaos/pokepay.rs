//! Pokepay in the chaos run: a register's configuration from the sandbox's `config.ini`, the
//! customer's scans and codes through the sandbox's customer side, and its ledger, whose
//! transactions name their sale in the description.

use anyhow::Context;
use regi_pokepay::wire::TransactionDetail;
use regi_pokepay_emulator::{CUSTOMER_POOR, CUSTOMER_RICH, CustomerClient};

use super::audit::LedgerEntry;

/// The TOML configuration of a chaos register: the sandbox's credentials, short timeouts so a
/// held answer costs seconds rather than minutes, and a terminal name of its own.
pub fn register_config(
    ini: &regi_pokepay::PokepayIni,
    name: &str,
    id: usize,
) -> anyhow::Result<String> {
    let base_url = ini.api_base_url.as_deref().context("no API_BASE_URL")?;
    let client_id = ini.client_id.as_deref().context("no CLIENT_ID")?;
    let secret = ini.client_secret.as_ref().context("no CLIENT_SECRET")?;
    let shop = ini.shop_id.context("no SHOP_ID")?;
    let money = ini.private_money_id.context("no PRIVATE_MONEY_ID")?;
    Ok(format!(
        "[api]\nbase_url = \"{base_url}\"\nclient_id = \"{client_id}\"\nclient_secret = \"{}\"\n\
         connect_timeout_secs = 2\ntimeout_secs = 2\nmax_retries = 2\n\n\
         [pokepay]\nshop_id = \"{shop}\"\nprivate_money_id = \"{money}\"\n\n\
         [terminal]\nname = \"{name}\"\nid = \"{id:02}\"\n",
        secret.expose()
    ))
}

fn customer_name(poor: bool) -> &'static str {
    if poor { CUSTOMER_POOR } else { CUSTOMER_RICH }
}

/// The customer scans the cashtray; a refusal is an answer too.
pub async fn pay(customer: &CustomerClient, cashtray: &str, poor: bool) -> anyhow::Result<()> {
    customer
        .pay_cashtray(cashtray, customer_name(poor))
        .await
        .context("paying the cashtray")?;
    Ok(())
}

/// A fresh code of the customer, for a payment or a top-up.
pub async fn code(customer: &CustomerClient, poor: bool, topup: bool) -> anyhow::Result<String> {
    let scope = if topup { "topup" } else { "payment" };
    let token = customer
        .issue_cpm_token(customer_name(poor), scope)
        .await
        .context("issuing the customer's code")?;
    Ok(token.cpm_token)
}

/// Every transaction of the sandbox; each one moved money.
pub async fn ledger(customer: &CustomerClient) -> anyhow::Result<Vec<LedgerEntry>> {
    let transactions = customer
        .transactions()
        .await
        .context("reading the sandbox ledger")?;
    Ok(transactions.into_iter().map(ledger_entry).collect())
}

fn ledger_entry(t: TransactionDetail) -> LedgerEntry {
    LedgerEntry {
        id: t.transaction.id.to_string(),
        amount: t.transaction.amount.as_yen().unwrap_or(i64::MIN),
        reference: t.transaction.description,
    }
}
