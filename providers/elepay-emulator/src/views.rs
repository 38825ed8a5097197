//! The ledger's records rendered as elepay's JSON objects: `object` fields, epoch-millisecond
//! times, `codeContent` only for `mpm` charges, `paid` from capture on (still true after refunds),
//! `refunded` only when fully refunded, and absent keys left out (elepay's SDKs reject `null` in
//! enum fields).

use regi_elepay::wire::{
    CardInfo, ChargeDto, ChargeStatus, ChargeStatusDto, CodeDto, RefundDto, RefundStatus,
    RefundsDto,
};

use crate::ledger::{ChargeRecord, CodeRecord, Ledger, RefundRecord};

/// How a charge's QR payload and a code's page address are written; the customer side reads the
/// id back from the last segment.
pub const CODE_CONTENT_PREFIX: &str = "elepay-emulator://charges/";
pub const CODE_URL_PREFIX: &str = "elepay-emulator://codes/";

pub fn charge(record: &ChargeRecord, app_id: &str) -> ChargeDto {
    let paid = matches!(
        record.status,
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded
    );
    let refunds: Vec<RefundDto> = record
        .refunds
        .iter()
        .map(|r| refund(r, &record.id))
        .collect();
    ChargeDto {
        id: Some(record.id.clone()),
        app_id: Some(app_id.to_string()),
        object: Some("charge".into()),
        live_mode: Some(false),
        amount: Some(record.amount),
        authorize_amount: Some(record.authorize_amount),
        currency: Some(record.currency.clone()),
        authorize: Some(!record.capture),
        payment_method: Some(record.payment_method.clone()),
        resource: record.resource,
        order_no: Some(record.order_no.clone()),
        description: record.description.clone(),
        extra: record.extra.clone(),
        metadata: record.metadata.clone(),
        card_info: record.customer.as_ref().map(|_| CardInfo {
            wallet: Some(record.payment_method.to_string()),
            ..Default::default()
        }),
        voucher_no: None,
        client_ip: record.client_ip.clone(),
        paid: Some(paid),
        refunded: Some(record.status == ChargeStatus::Refunded),
        disputed: Some(false),
        refunds: Some(RefundsDto {
            amount: Some(record.refunded_amount()),
            total_count: Some(refunds.len() as i64),
            data: Some(refunds),
        }),
        code_content: Ledger::shows_code(record)
            .then(|| format!("{CODE_CONTENT_PREFIX}{}", record.id)),
        credential: None,
        status: Some(record.status),
        paid_time: record.paid_time,
        refund_time: record.refund_time,
        expiry_time: Some(record.expiry_time),
        settle_time: None,
        create_time: Some(record.create_time),
    }
}

pub fn charge_status(record: &ChargeRecord, app_id: &str) -> ChargeStatusDto {
    ChargeStatusDto {
        id: Some(record.id.clone()),
        app_id: Some(app_id.to_string()),
        live_mode: Some(false),
        status: Some(record.status),
    }
}

pub fn refund(record: &RefundRecord, charge_id: &str) -> RefundDto {
    RefundDto {
        id: Some(record.id.clone()),
        object: Some("refund".into()),
        charge_id: Some(charge_id.to_string()),
        live_mode: Some(false),
        amount: Some(record.amount),
        currency: Some("JPY".into()),
        metadata: record.metadata.clone(),
        reason: record.reason.clone(),
        status: Some(RefundStatus::Refunded),
        refunded_time: Some(record.create_time),
        create_time: Some(record.create_time),
    }
}

pub fn code(record: &CodeRecord, ledger: &Ledger, app_id: &str, now: i64) -> CodeDto {
    CodeDto {
        id: Some(record.id.clone()),
        object: Some("code".into()),
        live_mode: Some(false),
        code_url: Some(format!("{CODE_URL_PREFIX}{}", record.id)),
        amount: Some(record.amount),
        currency: Some(record.currency.clone()),
        order_no: Some(record.order_no.clone()),
        description: record.description.clone(),
        extra: record.extra.clone(),
        metadata: record.metadata.clone(),
        front_url: record.front_url.clone(),
        items: record.items.clone(),
        status: Some(record.status),
        charge: record
            .charge_id
            .as_deref()
            .and_then(|id| ledger.charge(id))
            .map(|c| Box::new(charge(c, app_id))),
        expired: Some(record.expired(now)),
        expiry_time: Some(record.expiry_time),
        expiry_period: Some((record.expiry_time - now).max(0)),
        create_time: Some(record.create_time),
    }
}
