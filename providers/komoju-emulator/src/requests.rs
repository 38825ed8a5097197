//! Validating request bodies into what the ledger needs, with KOMOJU's errors: a missing
//! parameter is 422 `missing_parameter` naming it, a bad value 422 `unprocessable_entity` naming
//! it (KOMOJU.md §13 assumptions).

use regi_komoju::wire::{CaptureMode, Locale, Metadata, QR_AND_CARD_PAYMENT_TYPES};
use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::ledger::NewSession;
use crate::params::{field, integer, opt_integer, opt_string, string};

/// KOMOJU's default and longest session lifetime.
pub const MAX_EXPIRES_IN_SECONDS: i64 = 86_400;
const MAX_METADATA_KEY_CHARS: usize = 30;
const MAX_METADATA_VALUE_CHARS: usize = 2000;

/// `POST /sessions`.
pub fn new_session(body: &Map<String, Value>) -> Result<NewSession, ApiError> {
    if let Some(mode) = opt_string(body, "mode")?
        && mode != "payment"
    {
        return Err(ApiError::invalid("mode", "Only mode payment is emulated."));
    }
    let amount = integer(
        field(body, "amount").ok_or_else(|| ApiError::missing("amount"))?,
        "amount",
    )?;
    if amount < 0 {
        return Err(ApiError::invalid("amount", "amount must be 0 or more."));
    }
    let currency = string(
        field(body, "currency").ok_or_else(|| ApiError::missing("currency"))?,
        "currency",
    )?
    .to_ascii_uppercase();
    if currency != "JPY" {
        return Err(ApiError::invalid("currency", "Only JPY is emulated."));
    }
    let expires_in_seconds =
        opt_integer(body, "expires_in_seconds")?.unwrap_or(MAX_EXPIRES_IN_SECONDS);
    if !(1..=MAX_EXPIRES_IN_SECONDS).contains(&expires_in_seconds) {
        return Err(ApiError::invalid(
            "expires_in_seconds",
            "expires_in_seconds must be between 1 and 86400.",
        ));
    }
    let default_locale = match opt_string(body, "default_locale")?.as_deref() {
        None | Some("ja") => Locale::Ja,
        Some("en") => Locale::En,
        Some("ko") => Locale::Ko,
        Some(_) => {
            return Err(ApiError::invalid(
                "default_locale",
                "default_locale must be ja, en or ko.",
            ));
        }
    };
    let payment_data = match field(body, "payment_data") {
        None => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => {
            return Err(ApiError::invalid(
                "payment_data",
                "payment_data must be an object.",
            ));
        }
    };
    let capture = match opt_string(&payment_data, "capture")?.as_deref() {
        None | Some("auto") => CaptureMode::Auto,
        Some("manual") => CaptureMode::Manual,
        Some(_) => {
            return Err(ApiError::invalid(
                "payment_data[capture]",
                "capture must be auto or manual.",
            ));
        }
    };
    Ok(NewSession {
        amount,
        currency,
        return_url: opt_string(body, "return_url")?,
        default_locale,
        payment_types: payment_types(body)?,
        capture,
        external_order_num: opt_string(&payment_data, "external_order_num")?,
        metadata: metadata(body)?,
        expires_in_seconds,
    })
}

fn payment_types(body: &Map<String, Value>) -> Result<Vec<String>, ApiError> {
    let listed = match field(body, "payment_types") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| string(v, "payment_types"))
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::String(one)) => vec![one.clone()],
        Some(_) => {
            return Err(ApiError::invalid(
                "payment_types",
                "payment_types must be a list.",
            ));
        }
    };
    if let Some(unknown) = listed
        .iter()
        .find(|t| !QR_AND_CARD_PAYMENT_TYPES.contains(&t.as_str()))
    {
        return Err(ApiError::invalid(
            "payment_types",
            &format!("{unknown} is not an activated payment type."),
        ));
    }
    if listed.is_empty() {
        return Ok(QR_AND_CARD_PAYMENT_TYPES
            .iter()
            .map(|t| t.to_string())
            .collect());
    }
    let mut unique = Vec::new();
    for t in listed {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    Ok(unique)
}

fn metadata(body: &Map<String, Value>) -> Result<Metadata, ApiError> {
    let map = match field(body, "metadata") {
        None => return Ok(Metadata::new()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(ApiError::invalid("metadata", "metadata must be an object.")),
    };
    let mut out = Metadata::new();
    for (key, value) in map {
        let value = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        if key.chars().count() > MAX_METADATA_KEY_CHARS
            || value.chars().count() > MAX_METADATA_VALUE_CHARS
        {
            return Err(ApiError::invalid(
                "metadata",
                "metadata keys are at most 30 characters and values at most 2000.",
            ));
        }
        out.insert(key.clone(), Value::String(value));
    }
    Ok(out)
}

/// `POST /payments/{id}/capture`: the optional amount.
pub fn capture_amount(body: &Map<String, Value>) -> Result<Option<i64>, ApiError> {
    opt_integer(body, "amount")
}

/// `POST /payments/{id}/refund`: the optional amount and description.
pub fn refund(body: &Map<String, Value>) -> Result<(Option<i64>, Option<String>), ApiError> {
    Ok((
        opt_integer(body, "amount")?,
        opt_string(body, "description")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn a_missing_amount_names_the_parameter() {
        let err = new_session(&body(json!({"currency": "JPY"}))).unwrap_err();
        assert_eq!(
            (err.status, err.body.code.as_str(), err.param()),
            (422, "missing_parameter", Some("amount"))
        );
    }

    #[test]
    fn defaults_follow_komoju() {
        let new = new_session(&body(json!({"amount": "500", "currency": "jpy"}))).unwrap();
        assert_eq!(new.amount, 500);
        assert_eq!(new.expires_in_seconds, 86_400);
        assert_eq!(new.capture, CaptureMode::Auto);
        assert_eq!(new.payment_types.len(), QR_AND_CARD_PAYMENT_TYPES.len());
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let param = |v: Value| new_session(&body(v)).unwrap_err().body.param;
        assert_eq!(
            param(json!({"amount": -1, "currency": "JPY"})).as_deref(),
            Some("amount")
        );
        assert_eq!(
            param(json!({"amount": 1, "currency": "USD"})).as_deref(),
            Some("currency")
        );
        assert_eq!(
            param(json!({"amount": 1, "currency": "JPY", "payment_types": ["bitcoin"]})).as_deref(),
            Some("payment_types")
        );
        assert_eq!(
            param(json!({"amount": 1, "currency": "JPY", "payment_data": {"capture": "later"}}))
                .as_deref(),
            Some("payment_data[capture]")
        );
        assert_eq!(
            param(json!({"amount": 1, "currency": "JPY", "expires_in_seconds": 86401})).as_deref(),
            Some("expires_in_seconds")
        );
    }
}
