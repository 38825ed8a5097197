//! `GET /_sandbox/transactions`: every charge with what tests compare a journal against (order
//! number, amounts authorized, captured and refunded, status, wallet), oldest first.

use regi_elepay::wire::{ChargeStatus, PaymentMethod};
use serde::{Deserialize, Serialize};

use crate::ledger::Ledger;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: String,
    pub order_no: String,
    /// The charged amount (the captured one after a smaller capture).
    pub amount: i64,
    pub authorize_amount: i64,
    pub captured_amount: i64,
    pub refunded_amount: i64,
    pub status: ChargeStatus,
    pub payment_method: PaymentMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_id: Option<String>,
    pub create_time: i64,
}

/// The listing's JSON: `{"transactions": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transactions {
    pub transactions: Vec<Transaction>,
}

pub fn transactions(ledger: &Ledger) -> Transactions {
    let mut transactions: Vec<Transaction> = ledger
        .charges
        .values()
        .map(|c| Transaction {
            id: c.id.clone(),
            order_no: c.order_no.clone(),
            amount: c.amount,
            authorize_amount: c.authorize_amount,
            captured_amount: c.captured_amount(),
            refunded_amount: c.refunded_amount(),
            status: c.status,
            payment_method: c.payment_method.clone(),
            customer: c.customer.clone(),
            code_id: c.code_id.clone(),
            create_time: c.create_time,
        })
        .collect();
    transactions.sort_by(|a, b| (a.create_time, &a.id).cmp(&(b.create_time, &b.id)));
    Transactions { transactions }
}
