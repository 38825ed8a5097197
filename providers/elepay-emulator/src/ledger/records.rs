//! What the ledger keeps for each charge, refund, code and customer (its own shapes, saved as
//! they are; the wire shapes are rendered from them in `views`).

use regi_elepay::wire::{ChargeStatus, CodeItem, CodeStatus, PaymentMethod, Resource, StringMap};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeRecord {
    pub id: String,
    pub order_no: String,
    pub payment_method: PaymentMethod,
    pub resource: Option<Resource>,
    /// False when the charge was created to authorize only.
    pub capture: bool,
    /// The amount asked for at creation.
    pub authorize_amount: i64,
    /// The charged amount: the authorized one until a smaller capture.
    pub amount: i64,
    pub status: ChargeStatus,
    pub currency: String,
    pub description: Option<String>,
    pub client_ip: Option<String>,
    pub extra: Option<StringMap>,
    pub metadata: Option<StringMap>,
    pub create_time: i64,
    pub expiry_time: i64,
    pub paid_time: Option<i64>,
    pub refund_time: Option<i64>,
    pub refunds: Vec<RefundRecord>,
    /// Who paid (the customer side's name).
    pub customer: Option<String>,
    /// The EasyQR code this charge paid, if any.
    pub code_id: Option<String>,
}

impl ChargeRecord {
    pub fn refunded_amount(&self) -> i64 {
        self.refunds.iter().map(|r| r.amount).sum()
    }

    /// The captured amount (0 until captured).
    pub fn captured_amount(&self) -> i64 {
        match self.status {
            ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded => {
                self.amount
            }
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRecord {
    pub id: String,
    pub amount: i64,
    pub reason: Option<String>,
    pub metadata: Option<StringMap>,
    pub create_time: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub id: String,
    pub amount: i64,
    pub order_no: String,
    pub currency: String,
    pub description: Option<String>,
    pub extra: Option<StringMap>,
    pub metadata: Option<StringMap>,
    pub front_url: Option<String>,
    pub items: Option<Vec<CodeItem>>,
    pub status: CodeStatus,
    pub create_time: i64,
    pub expiry_time: i64,
    /// The charge the customer paid it with.
    pub charge_id: Option<String>,
}

impl CodeRecord {
    pub fn expired(&self, now: i64) -> bool {
        self.status == CodeStatus::Pending && now >= self.expiry_time
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRecord {
    /// The wallet the customer pays EasyQR codes with.
    pub wallet: PaymentMethod,
    /// Yen left in the wallet.
    pub balance: i64,
}
