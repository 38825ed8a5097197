//! `GET /charges`: the charges in a time window (by create or paid time), optionally of one
//! status, sorted and paged as elepay documents (limit at most 100, newest first by default).

use regi_elepay::wire::{ChargeStatus, ChargesResponse, ListChargesQuery};

use crate::errors::ApiError;
use crate::ledger::{ChargeRecord, Ledger};
use crate::views;

const DEFAULT_LIMIT: i64 = 20;

pub fn parse_query(raw: Option<&str>) -> Result<ListChargesQuery, ApiError> {
    serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|e| ApiError::invalid(format!("bad query: {e}")))
}

pub fn list_charges(
    ledger: &Ledger,
    query: &ListChargesQuery,
    app_id: &str,
) -> Result<ChargesResponse, ApiError> {
    let by_paid_time = field_is_paid_time("dateField", query.date_field.as_deref())?;
    let sort_by_paid_time = field_is_paid_time("sort", query.sort.as_deref())?;
    let ascending = match query.order.as_deref() {
        None | Some("desc") => false,
        Some("asc") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "order {other} is not asc or desc"
            )));
        }
    };
    let status =
        match query.status.as_deref() {
            None => None,
            Some(text) => Some(ChargeStatus::parse(text).ok_or_else(|| {
                ApiError::invalid(format!("status {text} is not a charge status"))
            })?),
        };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit must be between 1 and 100"));
    }
    let offset = query.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::invalid("offset must not be negative"));
    }
    let time = |c: &ChargeRecord, paid: bool| {
        if paid {
            c.paid_time
        } else {
            Some(c.create_time)
        }
    };
    let mut matching: Vec<&ChargeRecord> = ledger
        .charges
        .values()
        .filter(|c| status.is_none_or(|s| c.status == s))
        .filter(|c| {
            let t = time(c, by_paid_time);
            let after = query.from.is_none_or(|from| t.is_some_and(|t| t >= from));
            let before = query.to.is_none_or(|to| t.is_some_and(|t| t <= to));
            after && before
        })
        .collect();
    // Ids carry a sequence number, so they break ties in creation order.
    matching.sort_by(|a, b| {
        (time(a, sort_by_paid_time), &a.id).cmp(&(time(b, sort_by_paid_time), &b.id))
    });
    if !ascending {
        matching.reverse();
    }
    let total = matching.len() as i64;
    let charges = matching
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|c| views::charge(c, app_id))
        .collect();
    Ok(ChargesResponse {
        total: Some(total),
        charges: Some(charges),
    })
}

fn field_is_paid_time(name: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("create_time") => Ok(false),
        Some("paid_time") => Ok(true),
        Some(other) => Err(ApiError::invalid(format!(
            "{name} {other} is not create_time or paid_time"
        ))),
    }
}
