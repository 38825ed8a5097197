//! The field rules elepay documents for requests: positive yen amounts, order numbers of at most
//! 50 characters, JPY only, and metadata of at most 20 keys with values of at most 255 bytes and
//! no reserved keys.

use regi_elepay::wire::StringMap;

use crate::errors::ApiError;

/// Larger than any till sale; keeps sums far from overflow.
const MAX_AMOUNT: i64 = 100_000_000;

pub fn amount(field: &str, amount: i64) -> Result<(), ApiError> {
    if (1..=MAX_AMOUNT).contains(&amount) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "{field} must be between 1 and {MAX_AMOUNT}"
        )))
    }
}

pub fn order_no(order_no: &str) -> Result<(), ApiError> {
    if order_no.trim().is_empty() {
        return Err(ApiError::missing("orderNo"));
    }
    if order_no.chars().count() > 50 {
        return Err(ApiError::invalid("orderNo must be at most 50 characters"));
    }
    Ok(())
}

/// The currency, JPY when left out.
pub fn currency(currency: Option<&str>) -> Result<String, ApiError> {
    match currency {
        None | Some("JPY") => Ok("JPY".into()),
        Some(other) => Err(ApiError::invalid(format!(
            "currency {other} is not supported (JPY only)"
        ))),
    }
}

pub fn metadata(metadata: Option<&StringMap>) -> Result<(), ApiError> {
    let Some(metadata) = metadata else {
        return Ok(());
    };
    if metadata.len() > 20 {
        return Err(ApiError::invalid("metadata may have at most 20 keys"));
    }
    for (key, value) in metadata {
        if key == "route" || key.starts_with("__") {
            return Err(ApiError::invalid(format!("metadata key {key} is reserved")));
        }
        if value.len() > 255 {
            return Err(ApiError::invalid(format!(
                "metadata value of {key} is longer than 255 bytes"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_or_oversized_metadata_is_refused() {
        let map = |k: &str, v: &str| Some(StringMap::from([(k.to_string(), v.to_string())]));
        assert!(metadata(map("terminal", "T1").as_ref()).is_ok());
        assert!(metadata(map("route", "x").as_ref()).is_err());
        assert!(metadata(map("__x", "x").as_ref()).is_err());
        assert!(metadata(map("k", &"x".repeat(256)).as_ref()).is_err());
    }

    #[test]
    fn amounts_and_order_numbers_follow_the_documented_bounds() {
        assert!(amount("amount", 0).is_err() && amount("amount", 1).is_ok());
        assert_eq!(order_no("").unwrap_err().code, "M002001");
        assert_eq!(order_no(&"x".repeat(51)).unwrap_err().code, "M002002");
        assert_eq!(currency(None).unwrap(), "JPY");
        assert!(currency(Some("USD")).is_err());
    }
}
