//! Reading request bodies the way KOMOJU does: JSON (what the SDKs send) or form encoding (what
//! the documentation's cURL samples send, with nested keys such as `payment_data[capture]=manual`
//! and `payment_types[]=paypay`), into one JSON object; then typed readers that name the
//! parameter at fault. Numbers may come as strings (forms always, some samples too).

use serde_json::{Map, Value};

use crate::errors::ApiError;

/// The body as a JSON object; an empty body is an empty object.
pub fn parse_body(content_type: Option<&str>, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let text =
        std::str::from_utf8(body).map_err(|_| ApiError::bad_request("The body is not UTF-8."))?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Map::new());
    }
    let is_json = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
        || trimmed.starts_with('{');
    if is_json {
        return match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(ApiError::bad_request("The body is not a JSON object.")),
        };
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(trimmed)
        .map_err(|_| ApiError::bad_request("The body is not form encoded."))?;
    Ok(nest_form(pairs))
}

/// `a[b][c]=v` → `{"a":{"b":{"c":"v"}}}`; `a[]=v` appends to an array.
fn nest_form(pairs: Vec<(String, String)>) -> Map<String, Value> {
    let mut root = Map::new();
    for (key, value) in pairs {
        let (head, rest) = match key.find('[') {
            Some(i) => (&key[..i], &key[i..]),
            None => (key.as_str(), ""),
        };
        let segments: Vec<&str> = rest
            .split('[')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_end_matches(']'))
            .collect();
        insert(&mut root, head, &segments, Value::String(value));
    }
    root
}

fn insert(map: &mut Map<String, Value>, key: &str, rest: &[&str], value: Value) {
    match rest.split_first() {
        None => {
            map.insert(key.to_string(), value);
        }
        Some((&"", _)) => {
            let slot = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = slot {
                items.push(value);
            } else {
                *slot = Value::Array(vec![value]);
            }
        }
        Some((next, deeper)) => {
            let slot = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert(inner, next, deeper, value);
            }
        }
    }
}

/// A present, non-null field.
pub fn field<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).filter(|v| !v.is_null())
}

/// A whole number (JSON number or digits in a string); `param` names it in the error.
pub fn integer(value: &Value, param: &str) -> Result<i64, ApiError> {
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| ApiError::invalid(param, &format!("{param} must be a whole number.")))
}

pub fn string(value: &Value, param: &str) -> Result<String, ApiError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(ApiError::invalid(
            param,
            &format!("{param} must be a string."),
        )),
    }
}

/// An optional whole number.
pub fn opt_integer(map: &Map<String, Value>, name: &str) -> Result<Option<i64>, ApiError> {
    field(map, name).map(|v| integer(v, name)).transpose()
}

/// An optional string.
pub fn opt_string(map: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    field(map, name).map(|v| string(v, name)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_nest_like_the_curl_samples() {
        let body = b"amount=8888&currency=JPY&payment_data[capture]=manual&payment_types[]=paypay&payment_types[]=linepay&metadata[till]=3";
        let map = parse_body(Some("application/x-www-form-urlencoded"), body).unwrap();
        assert_eq!(map["amount"], "8888");
        assert_eq!(map["payment_data"]["capture"], "manual");
        assert_eq!(
            map["payment_types"],
            serde_json::json!(["paypay", "linepay"])
        );
        assert_eq!(map["metadata"]["till"], "3");
        assert_eq!(integer(&map["amount"], "amount").unwrap(), 8888);
    }

    #[test]
    fn json_bodies_and_empty_bodies_read_and_garbage_is_a_bad_request() {
        let map = parse_body(None, br#"{"amount": 100}"#).unwrap();
        assert_eq!(map["amount"], 100);
        assert!(parse_body(None, b"").unwrap().is_empty());
        let err = parse_body(Some("application/json"), b"{nope").unwrap_err();
        assert_eq!((err.status, err.body.code.as_str()), (400, "bad_request"));
    }
}
