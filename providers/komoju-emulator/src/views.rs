//! The ledger's records as KOMOJU's JSON objects (the client crate's wire types, so the two
//! sides share one definition of every field).

use regi_komoju::wire::{
    Merchant, Mode, Payment, PaymentDetails, PaymentMethod, Session, SessionPaymentData, Timestamp,
};
use serde_json::Value;

use crate::ledger::{Ledger, PaymentRecord, SessionRecord};

/// Where the hosted page of a session is served.
pub fn session_url(origin: &str, id: &str) -> String {
    format!("{origin}/sessions/{id}")
}

pub fn session(
    ledger: &Ledger,
    record: &SessionRecord,
    now: Timestamp,
    origin: &str,
    merchant: &str,
) -> Session {
    Session {
        id: record.id.clone(),
        resource: "session".to_string(),
        mode: Mode::Payment,
        amount: record.amount,
        currency: record.currency.clone(),
        payment: record
            .payment_id
            .as_deref()
            .and_then(|id| ledger.payment(id))
            .map(payment),
        session_url: session_url(origin, &record.id),
        return_url: record.return_url.clone(),
        default_locale: record.default_locale,
        payment_methods: record
            .payment_types
            .iter()
            .map(|t| PaymentMethod {
                kind: t.clone(),
                extra: Default::default(),
            })
            .collect(),
        created_at: record.created_at,
        cancelled_at: record.cancelled_at,
        completed_at: record.completed_at,
        status: record.status,
        expired: record.is_expired(now),
        merchant: Some(Merchant {
            name: merchant.to_string(),
        }),
        metadata: record.metadata.clone(),
        payment_data: Some(SessionPaymentData {
            capture: record.capture,
            external_order_num: record.external_order_num.clone(),
            name: None,
            name_kana: None,
        }),
    }
}

pub fn payment(record: &PaymentRecord) -> Payment {
    Payment {
        id: record.id.clone(),
        resource: "payment".to_string(),
        status: record.status,
        amount: record.amount,
        tax: 0,
        customer: None,
        payment_deadline: None,
        payment_details: PaymentDetails {
            kind: record.payment_type.clone(),
            extra: Default::default(),
        },
        payment_method_fee: 0,
        total: record.total(),
        currency: record.currency.clone(),
        description: None,
        captured_at: record.captured_at,
        external_order_num: record.external_order_num.clone(),
        metadata: record.metadata.clone(),
        created_at: record.created_at,
        amount_refunded: record.amount_refunded(),
        locale: record.locale.as_str().to_string(),
        session: Some(record.session_id.clone()),
        customer_family_name: None,
        customer_given_name: None,
        mcc: None,
        statement_descriptor: Some(Value::Object(Default::default())),
        refunds: record.refunds.clone(),
        refund_requests: Vec::new(),
    }
}
