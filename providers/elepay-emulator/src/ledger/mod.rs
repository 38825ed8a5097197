//! The emulator's books: every charge with its refunds, every EasyQR code, and the customers who
//! pay them. Pure state and rules, no I/O and no clock of its own (the time comes in as epoch
//! milliseconds), so it is tested directly and saved as one JSON snapshot.

mod charges;
mod codes;
mod payments;
mod records;
mod validate;

use std::collections::BTreeMap;

use regi_elepay::wire::{KnownPaymentMethod, PaymentMethod};
use serde::{Deserialize, Serialize};

pub use payments::{PayError, PayTarget, Payment};
pub use records::{ChargeRecord, CodeRecord, CustomerRecord, RefundRecord};

/// The customers every emulator starts with: two who can pay and one who cannot.
pub const DEFAULT_CUSTOMERS: [(&str, KnownPaymentMethod, i64); 3] = [
    ("alice", KnownPaymentMethod::Paypay, 1_000_000),
    ("bob", KnownPaymentMethod::Linepay, 1_000_000),
    ("poor", KnownPaymentMethod::Paypay, 0),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub charges: BTreeMap<String, ChargeRecord>,
    pub codes: BTreeMap<String, CodeRecord>,
    pub customers: BTreeMap<String, CustomerRecord>,
    /// Numbers the ids, so they sort by creation and never repeat after a restart.
    pub next_seq: u64,
}

impl Default for Ledger {
    fn default() -> Self {
        let customers = DEFAULT_CUSTOMERS
            .iter()
            .map(|(name, wallet, balance)| {
                (
                    name.to_string(),
                    CustomerRecord {
                        wallet: PaymentMethod::Known(*wallet),
                        balance: *balance,
                    },
                )
            })
            .collect();
        Self {
            charges: BTreeMap::new(),
            codes: BTreeMap::new(),
            customers,
            next_seq: 1,
        }
    }
}

impl Ledger {
    /// A fresh id with elepay's prefixes (`cha_`, `ref_`, `cod_`): a sequence number, then
    /// random hex so ids from two emulators do not collide.
    fn new_id(&mut self, prefix: &str) -> String {
        let seq = self.next_seq;
        self.next_seq += 1;
        format!("{prefix}_{seq:08}{:016x}", rand::random::<u64>())
    }

    /// Whether a charge for `order_no` took or holds money: elepay then refuses another one.
    pub fn order_paid(&self, order_no: &str) -> bool {
        self.charges
            .values()
            .any(|c| c.order_no == order_no && c.status.moved_money())
    }

    pub fn charge(&self, id: &str) -> Option<&ChargeRecord> {
        self.charges.get(id)
    }

    pub fn code(&self, id: &str) -> Option<&CodeRecord> {
        self.codes.get(id)
    }

    pub fn customer_names(&self) -> Vec<String> {
        self.customers.keys().cloned().collect()
    }
}
