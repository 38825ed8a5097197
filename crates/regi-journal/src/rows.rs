//! Turning rows back into domain values; anything unreadable is reported as corruption.

use rusqlite::Row;

use super::error::JournalError;
use super::parse_timestamp;
use regi_core::domain::{
    AttemptState, FailReason, Failure, PaymentMethod, RateSummary, SaleKind, TaxRate, TaxSummary,
    Yen,
};
use regi_core::records::{
    AttemptRecord, CashTendered, RefundRecord, RefundState, SaleOrigin, SaleState, SaleSummary,
};

fn corrupt(what: &str, value: &str) -> JournalError {
    JournalError::Corrupt(format!("unexpected {what} {value:?}"))
}

pub fn method(text: &str) -> Result<PaymentMethod, JournalError> {
    PaymentMethod::parse(text).ok_or_else(|| corrupt("payment method", text))
}

pub fn sale_kind(text: &str) -> Result<SaleKind, JournalError> {
    SaleKind::parse(text).ok_or_else(|| corrupt("sale kind", text))
}

pub fn sale_state(text: &str) -> Result<SaleState, JournalError> {
    SaleState::parse(text).ok_or_else(|| corrupt("sale state", text))
}

pub fn tax_rate(text: &str) -> Result<TaxRate, JournalError> {
    TaxRate::parse(text).ok_or_else(|| corrupt("tax rate", text))
}

pub fn refund_state(text: &str) -> Result<RefundState, JournalError> {
    RefundState::parse(text).ok_or_else(|| corrupt("refund state", text))
}

/// The attempt states that are not final ([`AttemptState::is_final`]), as an SQL list for
/// `state IN …`: an attempt in one of them is still in flight or awaits reconciliation.
pub const UNRESOLVED_ATTEMPT_STATES: &str = "('created', 'presented', 'sent', 'unknown')";

/// The columns [`attempt_state`] reads, in order, for `SELECT`s over `payment_attempts`.
pub const ATTEMPT_STATE_COLUMNS: &str = "state, transaction_id, fail_reason, error_type, \
     error_message, unknown_since, provider, authorized_amount";

/// Rebuilds an [`AttemptState`] from the columns of [`ATTEMPT_STATE_COLUMNS`] starting at `at`.
pub fn attempt_state(row: &Row<'_>, at: usize) -> Result<AttemptState, JournalError> {
    let state: String = row.get(at)?;
    Ok(match state.as_str() {
        "created" => AttemptState::Created,
        "presented" => AttemptState::Presented,
        "sent" => AttemptState::Sent,
        "paid" => AttemptState::Paid {
            transaction_id: row
                .get::<_, Option<String>>(at + 1)?
                .ok_or_else(|| corrupt("paid attempt without transaction", ""))?,
        },
        "authorized" => AttemptState::Authorized {
            transaction_id: row
                .get::<_, Option<String>>(at + 1)?
                .ok_or_else(|| corrupt("held attempt without transaction", ""))?,
            amount: row
                .get::<_, Option<i64>>(at + 7)?
                .ok_or_else(|| corrupt("held attempt without amount", ""))?,
        },
        "failed" => {
            let reason: Option<String> = row.get(at + 2)?;
            let error_type: Option<String> = row.get(at + 3)?;
            let message: Option<String> = row.get(at + 4)?;
            let error_type = error_type.unwrap_or_default();
            AttemptState::Failed(Failure {
                reason: reason
                    .as_deref()
                    .and_then(FailReason::parse)
                    .unwrap_or(FailReason::RejectedOther),
                error_type,
                message: message.unwrap_or_default(),
            })
        }
        "expired" => AttemptState::Expired,
        "cancelled" => AttemptState::Cancelled,
        "unknown" => {
            let since: Option<String> = row.get(at + 5)?;
            let since = since.ok_or_else(|| corrupt("unknown attempt without time", ""))?;
            AttemptState::Unknown {
                since: parse_timestamp(&since)?,
            }
        }
        other => return Err(corrupt("attempt state", other)),
    })
}

pub const ATTEMPT_COLUMNS: &str = "id, sale_id, tender, request_id, amount, provider_ref, \
     presented_code, customer_name, created_at, updated_at, \
     state, transaction_id, fail_reason, error_type, error_message, unknown_since, provider, \
     authorized_amount, hold, capture_amount, cash_received, cash_change, money_name";

pub fn attempt(row: &Row<'_>) -> Result<AttemptRecord, JournalError> {
    Ok(AttemptRecord {
        id: row.get(0)?,
        sale_id: row.get(1)?,
        provider: row.get(16)?,
        method: method(&row.get::<_, String>(2)?)?,
        request_id: row.get(3)?,
        amount: Yen(row.get(4)?),
        provider_ref: row.get(5)?,
        presented_code: row.get(6)?,
        customer_name: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        state: attempt_state(row, 10)?,
        hold: row.get(18)?,
        capture_amount: row.get::<_, Option<i64>>(19)?.map(Yen),
        cash: match (
            row.get::<_, Option<i64>>(20)?,
            row.get::<_, Option<i64>>(21)?,
        ) {
            (Some(received), Some(change)) => Some(CashTendered {
                received: Yen(received),
                change: Yen(change),
            }),
            _ => None,
        },
        money_name: row.get(22)?,
    })
}

/// Sale columns plus the paying (else latest) attempt's method, and the paying attempt's
/// transaction id, money name and provider. A copy of another till's sale has no business day
/// here: it reads as day 0, earlier than any.
pub const SALE_COLUMNS: &str = "s.id, s.receipt_no, COALESCE(s.business_day_id, 0), s.kind, s.state, s.total, \
     s.standard_taxable, s.standard_tax, s.reduced_taxable, s.reduced_tax, \
     s.training, s.terminal, s.created_at, \
     (SELECT a.tender FROM payment_attempts a WHERE a.sale_id = s.id \
        ORDER BY a.state IN ('paid', 'authorized') DESC, a.id DESC LIMIT 1), \
     (SELECT a.transaction_id FROM payment_attempts a WHERE a.sale_id = s.id \
        AND a.state IN ('paid', 'authorized') ORDER BY a.id LIMIT 1), \
     s.prices_include_tax, \
     (SELECT a.money_name FROM payment_attempts a WHERE a.sale_id = s.id \
        AND a.state IN ('paid', 'authorized') ORDER BY a.id LIMIT 1), \
     (SELECT a.provider FROM payment_attempts a WHERE a.sale_id = s.id \
        AND a.state IN ('paid', 'authorized') ORDER BY a.id LIMIT 1), \
     s.released, \
     (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.sale_id = s.id \
        AND r.state = 'done'), \
     (SELECT COALESCE(SUM(ABS(a.amount)), 0) FROM payment_attempts a WHERE a.sale_id = s.id \
        AND a.state = 'paid'), \
     s.staff_name, s.origin_terminal, s.origin_sale_id";

pub fn sale(row: &Row<'_>) -> Result<SaleSummary, JournalError> {
    let method_text: Option<String> = row.get(13)?;
    Ok(SaleSummary {
        id: row.get(0)?,
        receipt_no: row.get(1)?,
        business_day_id: row.get(2)?,
        kind: sale_kind(&row.get::<_, String>(3)?)?,
        state: sale_state(&row.get::<_, String>(4)?)?,
        total: Yen(row.get(5)?),
        tax: TaxSummary {
            standard: RateSummary {
                rate: TaxRate::Standard10,
                taxable_total: Yen(row.get(6)?),
                tax: Yen(row.get(7)?),
            },
            reduced: RateSummary {
                rate: TaxRate::Reduced8,
                taxable_total: Yen(row.get(8)?),
                tax: Yen(row.get(9)?),
            },
        },
        training: row.get(10)?,
        terminal: row.get(11)?,
        created_at: row.get(12)?,
        method: method_text.as_deref().map(method).transpose()?,
        transaction_id: row.get(14)?,
        prices_include_tax: row.get(15)?,
        money_name: row.get(16)?,
        provider: row.get(17)?,
        released: Yen(row.get(18)?),
        refunded: Yen(row.get(19)?),
        tendered: Yen(row.get(20)?),
        staff: row.get(21)?,
        origin: match (row.get::<_, Option<String>>(22)?, row.get(23)?) {
            (Some(terminal_id), Some(sale_id)) => Some(SaleOrigin {
                terminal_id,
                sale_id,
            }),
            _ => None,
        },
    })
}

pub const REFUND_COLUMNS: &str = "id, sale_id, attempt_id, transaction_id, request_id, amount, \
     reason, state, error_type, error_message, refund_transaction_id, created_at, updated_at, \
     cash_back, return_id";

pub fn refund(row: &Row<'_>) -> Result<RefundRecord, JournalError> {
    Ok(RefundRecord {
        id: row.get(0)?,
        sale_id: row.get(1)?,
        attempt_id: row.get(2)?,
        transaction_id: row.get(3)?,
        request_id: row.get(4)?,
        amount: Yen(row.get(5)?),
        reason: row.get(6)?,
        state: refund_state(&row.get::<_, String>(7)?)?,
        error_type: row.get(8)?,
        error_message: row.get(9)?,
        refund_transaction_id: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
        cash_back: row.get(13)?,
        return_id: row.get(14)?,
    })
}

/// The first row of `sql` mapped by `f`, or `None` when there is no row.
pub fn query_one<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&Row<'_>) -> Result<T, JournalError>,
) -> Result<Option<T>, JournalError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(row) => f(row).map(Some),
        None => Ok(None),
    }
}
