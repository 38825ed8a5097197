//! `GET /_sandbox/transactions`: every payment the emulator holds, oldest first, in the few fields
//! a test or a chaos run compares with regi's journal (not a KOMOJU shape).

use regi_komoju::wire::PaymentStatus;
use serde::{Deserialize, Serialize};

use crate::ledger::Ledger;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRow {
    /// The payment id.
    pub id: String,
    pub session_id: String,
    pub amount: i64,
    pub status: PaymentStatus,
    pub refunded_amount: i64,
    pub external_order_num: Option<String>,
    /// `payment_details.type`, what the customer chose.
    pub payment_type: String,
}

pub fn rows(ledger: &Ledger) -> Vec<TransactionRow> {
    ledger
        .payments
        .iter()
        .map(|p| TransactionRow {
            id: p.id.clone(),
            session_id: p.session_id.clone(),
            amount: p.total(),
            status: p.status,
            refunded_amount: p.amount_refunded(),
            external_order_num: p.external_order_num.clone(),
            payment_type: p.payment_type.clone(),
        })
        .collect()
}
