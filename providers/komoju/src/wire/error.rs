//! The error envelope every KOMOJU failure answers: `{"error":{"code","message","param","details"}}`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// `bad_request`, `unauthorized`, `not_found`, `unprocessable_entity`, `missing_parameter`, …
    pub code: String,
    #[serde(default)]
    pub message: String,
    /// The parameter at fault, `null` when none applies.
    #[serde(default)]
    pub param: Option<String>,
    #[serde(default)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl ErrorBody {
    pub fn new(code: &str, message: &str, param: Option<&str>) -> Self {
        Self {
            code: code.to_string(),
            message: message.to_string(),
            param: param.map(str::to_string),
            details: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_without_details_parses() {
        let text = r#"{"error":{"message":"A required parameter (amount) is missing","code":"missing_parameter","param":"amount"}}"#;
        let body: ErrorEnvelope = serde_json::from_str(text).unwrap();
        assert_eq!(body.error.code, "missing_parameter");
        assert_eq!(body.error.param.as_deref(), Some("amount"));
    }
}
