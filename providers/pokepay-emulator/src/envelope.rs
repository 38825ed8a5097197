//! The request envelope in every style the SDKs send (§2.1 of the API notes): JSON or form body,
//! the real HTTP verb or POST with `request_method`, bodies on GET/DELETE, `[]` for no parameters,
//! padded or unpadded base64url, and every timestamp format; plus sealing the answers.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use serde::Serialize;
use serde_json::{Map, Value};

use super::clock::jst;
use super::errors::{ApiError, Lang};
use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay::wire::Timestamp;

/// The outer fields of an enveloped request, before anything is checked.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OuterEnvelope {
    pub partner_client_id: Option<String>,
    pub data: Option<String>,
    pub request_method: Option<String>,
}

/// A decrypted, well-formed call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: Method,
    pub params: Map<String, Value>,
    pub timestamp: String,
    pub partner_call_id: String,
}

/// Why a request was refused before reaching an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// The caller could not be identified or decrypted: answered in plain JSON.
    Plain(ApiError),
    /// The envelope opened but its contents are unusable: answered sealed.
    Sealed {
        error: Box<ApiError>,
        timestamp: Option<String>,
        partner_call_id: Option<String>,
    },
}

/// Reads the outer body. `None` means there is no body at all (a bodiless `GET /ping`).
/// JSON is recognised by its content type or, without one, by a leading `{`.
pub fn parse_outer(content_type: Option<&str>, body: &[u8]) -> Option<OuterEnvelope> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let is_json = match content_type {
        Some(ct) => ct.to_ascii_lowercase().contains("json"),
        None => trimmed.starts_with('{'),
    };
    Some(if is_json || trimmed.starts_with('{') {
        parse_json_outer(trimmed)
    } else {
        parse_form_outer(trimmed)
    })
}

fn parse_json_outer(text: &str) -> OuterEnvelope {
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(text) else {
        return OuterEnvelope::default();
    };
    let field = |key: &str| {
        obj.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    OuterEnvelope {
        partner_client_id: field("partner_client_id"),
        data: field("data"),
        request_method: field("request_method"),
    }
}

fn parse_form_outer(text: &str) -> OuterEnvelope {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text).unwrap_or_default();
    let field = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    };
    OuterEnvelope {
        partner_client_id: field("partner_client_id"),
        data: field("data"),
        request_method: field("request_method"),
    }
}

/// The method an operation is dispatched on: `request_method` when given, else the HTTP verb.
pub fn effective_method(http: &Method, request_method: Option<&str>) -> Result<Method, ApiError> {
    let Some(name) = request_method else {
        return Ok(http.clone());
    };
    match name.trim().to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PATCH" => Ok(Method::PATCH),
        "PUT" => Ok(Method::PUT),
        "DELETE" => Ok(Method::DELETE),
        _ => Err(ApiError::invalid_parameter("request_method")),
    }
}

/// Checks the caller and opens the envelope.
pub fn open_call(
    http_method: &Method,
    outer: &OuterEnvelope,
    client_id: &str,
    key: &EnvelopeKey,
) -> Result<Call, Rejection> {
    let Some(given_id) = outer.partner_client_id.as_deref() else {
        return Err(Rejection::Plain(ApiError::invalid_parameter(
            "partner_client_id",
        )));
    };
    if given_id.trim() != client_id {
        return Err(Rejection::Plain(ApiError::new(
            400,
            "partner_client_not_found",
        )));
    }
    let method =
        effective_method(http_method, outer.request_method.as_deref()).map_err(Rejection::Plain)?;
    let decryption_failed = || Rejection::Plain(ApiError::new(400, "partner_decryption_failed"));
    let data = outer.data.as_deref().ok_or_else(decryption_failed)?;
    let plaintext = key.open(data).map_err(|_| decryption_failed())?;
    let Ok(Value::Object(inner)) = serde_json::from_str::<Value>(&plaintext) else {
        return Err(decryption_failed());
    };
    read_inner(method, inner)
}

fn read_inner(method: Method, inner: Map<String, Value>) -> Result<Call, Rejection> {
    let timestamp = inner
        .get("timestamp")
        .and_then(Value::as_str)
        .map(str::to_string);
    let partner_call_id = inner
        .get("partner_call_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let sealed = |error: ApiError| Rejection::Sealed {
        error: Box::new(error),
        timestamp: timestamp.clone(),
        partner_call_id: partner_call_id.clone(),
    };

    let params = match inner.get("request_data") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(Value::Array(items)) if items.is_empty() => Map::new(),
        Some(_) => return Err(sealed(ApiError::invalid_parameter("request_data"))),
    };
    let mut missing = Vec::new();
    let mut invalid = Vec::new();
    match inner.get("timestamp") {
        None | Some(Value::Null) => missing.push("timestamp".to_string()),
        Some(Value::String(s)) if parse_timestamp(s).is_some() => {}
        Some(_) => invalid.push("timestamp".to_string()),
    }
    match inner.get("partner_call_id") {
        None | Some(Value::Null) => missing.push("partner_call_id".to_string()),
        Some(Value::String(_)) => {}
        Some(_) => invalid.push("partner_call_id".to_string()),
    }
    if !missing.is_empty() || !invalid.is_empty() {
        return Err(sealed(ApiError::invalid_parameters(missing, invalid)));
    }
    Ok(Call {
        method,
        params,
        timestamp: timestamp.unwrap_or_default(),
        partner_call_id: partner_call_id.unwrap_or_default(),
    })
}

/// Parses the timestamp formats the SDKs send: RFC 3339 with any fraction and `Z` or an offset;
/// also a space instead of `T`, and a bare local time (read as Japan time).
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    let with_t = text.replacen(' ', "T", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&with_t) {
        return Some(t);
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z"] {
        if let Ok(t) = DateTime::parse_from_str(&with_t, format) {
            return Some(t);
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&with_t, format) {
            return jst().from_local_datetime(&naive).single();
        }
    }
    None
}

/// A plain (unencrypted) JSON answer.
pub fn plain_json<T: Serialize>(status: u16, body: &T) -> Response {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_string());
    json_response(status, text)
}

/// A plain API error, for callers that could not be identified or decrypted.
pub fn plain_error(error: &ApiError, lang: Lang) -> Response {
    plain_json(error.status, &error.body(lang))
}

/// A sealed answer: `{"response_data": <sealed payload>, "timestamp", "partner_call_id"}`.
pub fn sealed_json<T: Serialize>(
    key: &EnvelopeKey,
    status: u16,
    payload: &T,
    timestamp: Option<String>,
    partner_call_id: Option<String>,
) -> Response {
    let text = serde_json::to_string(payload).unwrap_or_else(|_| "{}".to_string());
    json_response(
        status,
        envelope_json(&key.seal(&text), &timestamp, &partner_call_id),
    )
}

/// The `ResponseEnvelope` as JSON. Written around the sealed data directly: base64url needs no
/// escaping, and scanning its 2 kB for escapes was a visible share of the sandbox's CPU per poll.
fn envelope_json(
    response_data: &str,
    timestamp: &Option<String>,
    partner_call_id: &Option<String>,
) -> String {
    let text_or_null = |value: &Option<String>| {
        serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
    };
    let mut json = String::with_capacity(response_data.len() + 160);
    json.push_str(r#"{"response_data":""#);
    json.push_str(response_data);
    json.push_str(r#"","timestamp":"#);
    json.push_str(&text_or_null(timestamp));
    json.push_str(r#","partner_call_id":"#);
    json.push_str(&text_or_null(partner_call_id));
    json.push('}');
    json
}

fn json_response(status: u16, text: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_pokepay::codec::encode_base64url;
    use regi_pokepay::wire::ResponseEnvelope;

    const CLIENT: &str = "client-1";

    fn key() -> EnvelopeKey {
        EnvelopeKey::from_bytes([3; 32])
    }

    fn outer(data: &str) -> OuterEnvelope {
        OuterEnvelope {
            partner_client_id: Some(CLIENT.into()),
            data: Some(data.into()),
            request_method: None,
        }
    }

    #[test]
    fn json_and_form_bodies_give_the_same_fields() {
        let json = parse_outer(
            Some("application/json; charset=utf-8"),
            br#"{"partner_client_id":"c","data":"d","request_method":"GET"}"#,
        )
        .unwrap();
        let form = parse_outer(
            Some("application/x-www-form-urlencoded"),
            b"partner_client_id=c&data=d&request_method=GET",
        )
        .unwrap();
        assert_eq!(json, form);
        assert_eq!(json.request_method.as_deref(), Some("GET"));
        let sniffed = parse_outer(None, br#"{"partner_client_id":"c","data":"d"}"#).unwrap();
        assert_eq!(sniffed.partner_client_id.as_deref(), Some("c"));
        assert_eq!(parse_outer(None, b"  "), None);
    }

    #[test]
    fn null_or_garbage_client_ids_read_as_missing() {
        let null = parse_outer(None, br#"{"partner_client_id":null,"data":"d"}"#).unwrap();
        assert_eq!(null.partner_client_id, None);
        let garbage = parse_outer(Some("application/json"), b"\xff\xfe{").unwrap();
        assert_eq!(garbage, OuterEnvelope::default());
        let err = open_call(&Method::POST, &null, CLIENT, &key()).unwrap_err();
        assert_eq!(
            err,
            Rejection::Plain(ApiError::invalid_parameter("partner_client_id"))
        );
    }

    #[test]
    fn request_method_overrides_the_verb() {
        assert_eq!(
            effective_method(&Method::POST, Some("get")).unwrap(),
            Method::GET
        );
        assert_eq!(
            effective_method(&Method::PATCH, None).unwrap(),
            Method::PATCH
        );
        assert!(effective_method(&Method::POST, Some("BREW")).is_err());
    }

    #[test]
    fn opens_php_empty_array_params() {
        let inner =
            r#"{"request_data":[],"timestamp":"2024-01-01T12:00:00+09:00","partner_call_id":"x"}"#;
        let call = open_call(&Method::GET, &outer(&key().seal(inner)), CLIENT, &key()).unwrap();
        assert!(call.params.is_empty());
        assert_eq!(call.partner_call_id, "x");
    }

    #[test]
    fn opens_java_padded_base64() {
        let inner = r#"{"request_data":{"message":"hi"},"timestamp":"2024-01-01T12:00:00+09:00","partner_call_id":"x"}"#;
        let unpadded = key().seal(inner);
        let bytes = regi_pokepay::codec::decode_base64url(&unpadded).unwrap();
        let padded = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE, &bytes);
        assert!(padded.ends_with('='));
        let call = open_call(&Method::POST, &outer(&padded), CLIENT, &key()).unwrap();
        assert_eq!(call.params["message"], "hi");
    }

    #[test]
    fn wrong_client_or_key_is_a_plain_error() {
        let data = key().seal(
            r#"{"request_data":{},"timestamp":"2024-01-01T00:00:00Z","partner_call_id":"x"}"#,
        );
        let mut wrong_client = outer(&data);
        wrong_client.partner_client_id = Some("other".into());
        assert_eq!(
            open_call(&Method::POST, &wrong_client, CLIENT, &key()).unwrap_err(),
            Rejection::Plain(ApiError::new(400, "partner_client_not_found"))
        );
        let other_key = EnvelopeKey::from_bytes([9; 32]);
        let err = open_call(&Method::POST, &outer(&data), CLIENT, &other_key).unwrap_err();
        assert_eq!(
            err,
            Rejection::Plain(ApiError::new(400, "partner_decryption_failed"))
        );
        let garbage = outer(&encode_base64url(b"short"));
        assert!(matches!(
            open_call(&Method::POST, &garbage, CLIENT, &key()).unwrap_err(),
            Rejection::Plain(_)
        ));
    }

    #[test]
    fn a_bad_timestamp_is_a_sealed_parameter_error() {
        let data =
            key().seal(r#"{"request_data":{},"timestamp":"yesterday","partner_call_id":"x"}"#);
        match open_call(&Method::POST, &outer(&data), CLIENT, &key()).unwrap_err() {
            Rejection::Sealed { error, .. } => assert_eq!(error.invalid, vec!["timestamp"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_every_sdk_timestamp_format() {
        let expected = parse_timestamp("2024-01-01T03:00:00Z").unwrap();
        for text in [
            "2024-01-01T12:00:00.123456+09:00", // PY, RUBY
            "2024-01-01T12:00:00+09:00",        // PHP, JAVA
            "2024-01-01T03:00:00.000Z",         // NODE, CS
            "2024-01-01T03:00:00Z",             // JAVA in UTC
            "2024-01-01 12:00:00+09:00",
            "2024-01-01T12:00:00+0900",
            "2024-01-01T12:00:00",
        ] {
            let t = parse_timestamp(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(t.timestamp(), expected.timestamp(), "{text}");
        }
        assert_eq!(parse_timestamp("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_timestamp(""), None);
    }

    #[test]
    fn the_envelope_is_written_as_serde_would() {
        let sealed = key().seal(r#"{"id":"x"}"#);
        for (timestamp, call_id) in [
            (
                Some("2024-01-01T12:00:00+09:00".to_string()),
                Some("c-\"1\"".to_string()),
            ),
            (None, None),
        ] {
            let by_hand = envelope_json(&sealed, &timestamp, &call_id);
            let by_serde = serde_json::to_string(&ResponseEnvelope {
                response_data: sealed.clone(),
                timestamp,
                partner_call_id: call_id,
            })
            .unwrap();
            assert_eq!(by_hand, by_serde);
        }
    }
}
