//! The customer of a chaos run and the sandbox's books, whichever provider the run pays
//! through: each call goes to that provider's file.

use anyhow::bail;
use regi_pokepay_emulator::CustomerClient;
use tokio::runtime::Handle;

use super::audit::LedgerEntry;
use super::{elepay, komoju, pokepay};

/// The customer side of the sandbox the registers pay at.
#[derive(Debug, Clone)]
pub enum Customer {
    Pokepay(CustomerClient),
    Komoju {
        sandbox: String,
    },
    Elepay {
        sandbox: String,
        payers: elepay::Payers,
    },
}

impl Customer {
    /// The customer (`poor`: the one without money) scans what the register shows: a cashtray,
    /// a KOMOJU page, an elepay wallet QR or page. Only the register's view of the outcome
    /// matters, so a refusal is just an error here.
    pub fn pay(&self, runtime: &Handle, scanned: &str, poor: bool) -> anyhow::Result<()> {
        match self {
            Customer::Pokepay(client) => runtime.block_on(pokepay::pay(client, scanned, poor)),
            Customer::Komoju { sandbox } => runtime.block_on(komoju::pay(sandbox, scanned, poor)),
            Customer::Elepay { sandbox, payers } => {
                runtime.block_on(elepay::pay(sandbox, scanned, payers.next(poor)))
            }
        }
    }

    /// A fresh code for the customer to show the register (Pokepay only).
    pub fn code(&self, runtime: &Handle, poor: bool, topup: bool) -> anyhow::Result<String> {
        match self {
            Customer::Pokepay(client) => runtime.block_on(pokepay::code(client, poor, topup)),
            Customer::Komoju { .. } | Customer::Elepay { .. } => {
                bail!("customer codes are Pokepay's only")
            }
        }
    }

    /// Every ledger entry of the sandbox that took or holds money.
    pub fn ledger(&self, runtime: &Handle) -> anyhow::Result<Vec<LedgerEntry>> {
        match self {
            Customer::Pokepay(client) => runtime.block_on(pokepay::ledger(client)),
            Customer::Komoju { sandbox } => runtime.block_on(komoju::ledger(sandbox)),
            Customer::Elepay { sandbox, .. } => runtime.block_on(elepay::ledger(sandbox)),
        }
    }
}
