//! The four ways the official SDKs put a Partner API call on the wire (§2.1 of the API notes),
//! shared by the sandbox tests (through `oneshot`) and the client tests (over the socket). Every
//! binary that uses either declares it once at its root.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// PHP, NODE, CL: the real verb, JSON body.
    JsonVerb,
    /// RUBY: the real verb, form body.
    FormVerb,
    /// JAVA, CS: POST with `request_method`, JSON body.
    JsonOverride,
    /// PY: POST with `request_method`, form body.
    FormOverride,
}

pub const ALL_STYLES: [Style; 4] = [
    Style::JsonVerb,
    Style::FormVerb,
    Style::JsonOverride,
    Style::FormOverride,
];

/// The outside of an enveloped call, as an SDK of one style sends it.
pub struct Outer {
    pub verb: String,
    pub content_type: &'static str,
    pub body: String,
}

impl Style {
    /// The call `method` carrying sealed `data` from `client_id`, put on the wire in this style.
    pub fn outer(self, method: &str, client_id: &str, data: &str) -> Outer {
        let mut fields = vec![("partner_client_id", client_id), ("data", data)];
        let verb = match self {
            Style::JsonVerb | Style::FormVerb => method,
            Style::JsonOverride | Style::FormOverride => {
                fields.push(("request_method", method));
                "POST"
            }
        };
        let (content_type, body) = match self {
            Style::JsonVerb | Style::JsonOverride => {
                let object: serde_json::Map<String, Value> = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                    .collect();
                (
                    "application/json; charset=utf-8",
                    Value::Object(object).to_string(),
                )
            }
            Style::FormVerb | Style::FormOverride => (
                "application/x-www-form-urlencoded",
                serde_urlencoded::to_string(&fields).expect("form fields encode"),
            ),
        };
        Outer {
            verb: verb.to_string(),
            content_type,
            body,
        }
    }
}
