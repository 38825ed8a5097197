//! Reading and validating `request_data`. Every getter records what was missing or malformed and
//! `finish` turns the lot into one `invalid_parameters` error, the way the API reports them.
//! Unknown keys are ignored (SDK test suites send a few strays).

use serde_json::{Map, Value};
use uuid::Uuid;

use super::envelope::parse_timestamp;
use super::errors::ApiError;
use regi_pokepay::wire::Timestamp;

/// The longest `description` the API accepts, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;

pub struct Params<'a> {
    map: &'a Map<String, Value>,
    missing: Vec<String>,
    invalid: Vec<String>,
}

impl<'a> Params<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            missing: Vec::new(),
            invalid: Vec::new(),
        }
    }

    /// The value of a key, treating JSON `null` as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn bad(&mut self, key: &str) {
        if !self.invalid.iter().any(|k| k == key) {
            self.invalid.push(key.to_string());
        }
    }

    fn required<T>(&mut self, key: &str, value: Option<T>) -> Option<T> {
        if value.is_none() && self.get(key).is_none() {
            self.missing.push(key.to_string());
        }
        value
    }

    pub fn uuid(&mut self, key: &str) -> Option<Uuid> {
        let value = self.opt_uuid(key);
        self.required(key, value)
    }

    pub fn opt_uuid(&mut self, key: &str) -> Option<Uuid> {
        let value = self.get(key)?;
        match value.as_str().and_then(|s| Uuid::parse_str(s).ok()) {
            Some(id) => Some(id),
            None => {
                self.bad(key);
                None
            }
        }
    }

    /// A whole number of yen; `4823.0` is accepted, `12.5` is not.
    pub fn yen(&mut self, key: &str) -> Option<i64> {
        let value = self.opt_yen(key);
        self.required(key, value)
    }

    pub fn opt_yen(&mut self, key: &str) -> Option<i64> {
        let value = self.get(key)?;
        match whole_number(value) {
            Some(n) => Some(n),
            None => {
                self.bad(key);
                None
            }
        }
    }

    /// An integer that must be at least `min`.
    pub fn opt_int_at_least(&mut self, key: &str, min: i64) -> Option<i64> {
        let value = self.get(key)?;
        match whole_number(value).filter(|n| *n >= min) {
            Some(n) => Some(n),
            None => {
                self.bad(key);
                None
            }
        }
    }

    pub fn string(&mut self, key: &str, max_chars: usize) -> Option<String> {
        let value = self.opt_string(key, max_chars);
        self.required(key, value)
    }

    pub fn opt_string(&mut self, key: &str, max_chars: usize) -> Option<String> {
        let value = self.get(key)?;
        match value.as_str() {
            Some(s) if s.chars().count() <= max_chars => Some(s.to_string()),
            _ => {
                self.bad(key);
                None
            }
        }
    }

    /// A string of exactly `len` characters (CPM tokens are 22).
    pub fn string_of_len(&mut self, key: &str, len: usize) -> Option<String> {
        let value = match self.get(key) {
            Some(v) => match v.as_str() {
                Some(s) if s.chars().count() == len => Some(s.to_string()),
                _ => {
                    self.bad(key);
                    None
                }
            },
            None => None,
        };
        self.required(key, value)
    }

    pub fn opt_description(&mut self) -> Option<String> {
        self.opt_string("description", MAX_DESCRIPTION_CHARS)
    }

    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.bad(key);
                None
            }
        }
    }

    pub fn opt_timestamp(&mut self, key: &str) -> Option<Timestamp> {
        let value = self.get(key)?;
        match value.as_str().and_then(parse_timestamp) {
            Some(t) => Some(t),
            None => {
                self.bad(key);
                None
            }
        }
    }

    /// One of a fixed set of strings.
    pub fn opt_enum(&mut self, key: &str, allowed: &[&str]) -> Option<String> {
        let value = self.get(key)?;
        match value.as_str().filter(|s| allowed.contains(s)) {
            Some(s) => Some(s.to_string()),
            None => {
                self.bad(key);
                None
            }
        }
    }

    /// An array of strings, each from `allowed`. An empty array is valid (it filters nothing).
    pub fn opt_enum_list(&mut self, key: &str, allowed: &[&str]) -> Option<Vec<String>> {
        let value = self.get(key)?;
        let list = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|v| {
                    v.as_str()
                        .filter(|s| allowed.contains(s))
                        .map(str::to_string)
                })
                .collect::<Option<Vec<_>>>()
        });
        if list.is_none() {
            self.bad(key);
        }
        list
    }

    /// `metadata`: a JSON string. Whether it holds a flat string map is a business rule checked
    /// later (`invalid_metadata`, 422); a non-string here is a parameter error.
    pub fn opt_metadata(&mut self) -> Option<String> {
        let value = self.get("metadata")?;
        match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.bad("metadata");
                None
            }
        }
    }

    /// `products`: an array of objects whose documented fields have the documented types.
    pub fn check_products(&mut self) {
        let Some(value) = self.get("products") else {
            return;
        };
        let valid = value
            .as_array()
            .is_some_and(|items| items.iter().all(product_is_valid));
        if !valid {
            self.bad("products");
        }
    }

    /// Everything read so far was fine, or one `invalid_parameters` error listing what was not.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.missing.is_empty() && self.invalid.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_parameters(self.missing, self.invalid))
        }
    }
}

/// A JSON number (or float with no fraction) as an `i64`.
fn whole_number(value: &Value) -> Option<i64> {
    if let Some(n) = value.as_i64() {
        return Some(n);
    }
    let f = value.as_f64()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

fn product_is_valid(item: &Value) -> bool {
    let Some(obj) = item.as_object() else {
        return false;
    };
    let string_max = |key: &str, max: usize| match obj.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.chars().count() <= max,
        Some(_) => false,
    };
    let non_negative = |key: &str| match obj.get(key) {
        None | Some(Value::Null) => true,
        Some(v) => v.as_f64().is_some_and(|f| f >= 0.0),
    };
    let quantity_ok = match obj.get("quantity") {
        None | Some(Value::Null) => true,
        Some(v) => whole_number(v).is_some_and(|q| q >= 1),
    };
    let discounted_ok = matches!(
        obj.get("is_discounted"),
        None | Some(Value::Null) | Some(Value::Bool(_))
    );
    string_max("jan_code", 64)
        && string_max("classification_code", 64)
        && string_max("name", 256)
        && string_max("other", usize::MAX)
        && non_negative("unit_price")
        && non_negative("price")
        && quantity_ok
        && discounted_ok
}

/// Whether `metadata` holds a flat JSON object of strings, as the API requires.
pub fn metadata_is_flat_string_map(metadata: &str) -> bool {
    match serde_json::from_str::<Value>(metadata) {
        Ok(Value::Object(map)) => map.values().all(Value::is_string),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn collects_missing_and_invalid_together() {
        let m = map(json!({"shop_id": "nope", "amount": 12.5, "description": "x".repeat(201)}));
        let mut p = Params::new(&m);
        assert_eq!(p.uuid("shop_id"), None);
        assert_eq!(p.uuid("private_money_id"), None);
        assert_eq!(p.yen("amount"), None);
        assert_eq!(p.opt_description(), None);
        let err = p.finish().unwrap_err();
        assert_eq!(err.status, 400);
        assert_eq!(err.missing, vec!["private_money_id"]);
        assert_eq!(err.invalid, vec!["shop_id", "amount", "description"]);
    }

    #[test]
    fn floats_with_no_fraction_are_whole_yen() {
        let m = map(json!({"a": 4823.0, "b": -300, "c": "100", "d": 1e300}));
        let mut p = Params::new(&m);
        assert_eq!(p.yen("a"), Some(4823));
        assert_eq!(p.yen("b"), Some(-300));
        assert_eq!(p.yen("c"), None);
        assert_eq!(p.yen("d"), None);
        assert_eq!(p.finish().unwrap_err().invalid, vec!["c", "d"]);
    }

    #[test]
    fn null_counts_as_absent() {
        let m = map(json!({"description": null, "shop_id": null}));
        let mut p = Params::new(&m);
        assert_eq!(p.opt_description(), None);
        assert_eq!(p.uuid("shop_id"), None);
        assert_eq!(p.finish().unwrap_err().missing, vec!["shop_id"]);
    }

    #[test]
    fn description_limit_counts_characters_not_bytes() {
        let m = map(json!({"description": "あ".repeat(200)}));
        let mut p = Params::new(&m);
        assert!(p.opt_description().is_some());
        assert!(p.finish().is_ok());
    }

    #[test]
    fn cpm_token_must_be_22_characters() {
        let m = map(json!({"t1": "1234567890123456789012", "t2": "123"}));
        let mut p = Params::new(&m);
        assert!(p.string_of_len("t1", 22).is_some());
        assert!(p.string_of_len("t2", 22).is_none());
        assert!(p.string_of_len("t3", 22).is_none());
        let err = p.finish().unwrap_err();
        assert_eq!(err.invalid, vec!["t2"]);
        assert_eq!(err.missing, vec!["t3"]);
    }

    #[test]
    fn products_and_lists_are_checked() {
        let good = json!([{"jan_code":"abc","name":"name1","unit_price":100,"price":100,"is_discounted":false,"other":"{}"}]);
        let m = map(json!({"products": good, "types": ["topup", "payment"], "empty": []}));
        let mut p = Params::new(&m);
        p.check_products();
        assert_eq!(
            p.opt_enum_list("types", &["topup", "payment"])
                .unwrap()
                .len(),
            2
        );
        assert_eq!(p.opt_enum_list("empty", &["topup"]).unwrap().len(), 0);
        assert!(p.finish().is_ok());

        let m = map(json!({"products": [{"quantity": 0}], "types": ["nope"]}));
        let mut p = Params::new(&m);
        p.check_products();
        assert!(p.opt_enum_list("types", &["topup"]).is_none());
        assert_eq!(p.finish().unwrap_err().invalid, vec!["products", "types"]);
    }

    #[test]
    fn metadata_must_be_a_flat_string_map() {
        assert!(metadata_is_flat_string_map(r#"{"key":"value"}"#));
        assert!(metadata_is_flat_string_map("{}"));
        assert!(!metadata_is_flat_string_map(r#"{"key":1}"#));
        assert!(!metadata_is_flat_string_map(r#"["a"]"#));
        assert!(!metadata_is_flat_string_map("not json"));
    }
}
