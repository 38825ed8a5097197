//! Turning an HTTP answer into the expected object or a `CallError`. Pure: no I/O, so every shape
//! of answer (sealed, plain, garbage) is unit-tested here.

use serde::de::DeserializeOwned;

use crate::codec::EnvelopeKey;
use crate::endpoints::Endpoint;
use crate::error::{ApiFailure, CallError};
use crate::wire::{ApiErrorBody, ResponseEnvelope};

/// Where an answer came from, for error values.
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin {
    pub operation: &'static str,
    pub endpoint: Endpoint,
}

/// Decodes an enveloped answer: 2xx → the sealed object; ≥400 → the sealed or plain error object.
pub(super) fn decode_enveloped<T: DeserializeOwned>(
    key: &EnvelopeKey,
    origin: Origin,
    status: u16,
    body: &[u8],
) -> Result<T, CallError> {
    match status {
        200..=299 => {
            let plain = open_envelope(key, body).map_err(|reason| bad(origin, status, reason))?;
            serde_json::from_str(&plain).map_err(|e| {
                bad(
                    origin,
                    status,
                    format!("the answer is not a {} result: {e}", origin.operation),
                )
            })
        }
        400.. => Err(decode_error(key, origin, status, body)),
        _ => Err(bad(origin, status, "unexpected HTTP status".into())),
    }
}

/// Decodes a plain (unsealed) JSON answer, as `GET /ping` gives; errors as in `decode_enveloped`.
pub(super) fn decode_plain<T: DeserializeOwned>(
    key: &EnvelopeKey,
    origin: Origin,
    status: u16,
    body: &[u8],
) -> Result<T, CallError> {
    match status {
        200..=299 => serde_json::from_slice(body)
            .or_else(|_| decode_enveloped(key, origin, status, body))
            .map_err(|_| bad(origin, status, "not the expected JSON".into())),
        400.. => Err(decode_error(key, origin, status, body)),
        _ => Err(bad(origin, status, "unexpected HTTP status".into())),
    }
}

/// An error answer: sealed `{response_data}` for ordinary API errors, plain `{type, message}`
/// when the server could not identify or decrypt the caller.
fn decode_error(key: &EnvelopeKey, origin: Origin, status: u16, body: &[u8]) -> CallError {
    let failure = |body: ApiErrorBody| {
        CallError::Api(ApiFailure::from_body(status, body, Some(origin.endpoint)))
    };
    if let Ok(envelope) = serde_json::from_slice::<ResponseEnvelope>(body) {
        return match key.open(&envelope.response_data) {
            Ok(plain) => match error_body(plain.as_bytes()) {
                Some(body) => failure(body),
                None => bad(origin, status, "sealed error is not an error object".into()),
            },
            Err(e) => bad(origin, status, format!("sealed error does not open: {e}")),
        };
    }
    match error_body(body) {
        Some(body) => failure(body),
        None => bad(origin, status, describe_unreadable(body)),
    }
}

/// Reads an error object leniently: some documented errors (404 on `GET /transactions/{id}`)
/// have an empty or missing `type`, and a definite "not found" must not turn into an unreadable
/// answer. A JSON object with a string `type` or `message` qualifies.
fn error_body(body: &[u8]) -> Option<ApiErrorBody> {
    if let Ok(parsed) = serde_json::from_slice::<ApiErrorBody>(body) {
        return Some(parsed);
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_string);
    let (kind, message) = (text("type"), text("message"));
    if kind.is_none() && message.is_none() {
        return None;
    }
    Some(ApiErrorBody {
        kind: kind.unwrap_or_default(),
        message: message.unwrap_or_default(),
        errors: value
            .get("errors")
            .and_then(|e| serde_json::from_value(e.clone()).ok()),
        object: None,
    })
}

fn open_envelope(key: &EnvelopeKey, body: &[u8]) -> Result<String, String> {
    let envelope: ResponseEnvelope =
        serde_json::from_slice(body).map_err(|e| format!("not a response envelope: {e}"))?;
    key.open(&envelope.response_data)
        .map_err(|e| format!("response_data does not open: {e}"))
}

/// A short description of a body that is not JSON (an HTML page from a proxy, ...), without
/// dumping it into logs.
fn describe_unreadable(body: &[u8]) -> String {
    if body.is_empty() {
        "empty body".into()
    } else {
        format!("{} bytes that are not an API error object", body.len())
    }
}

fn bad(origin: Origin, status: u16, reason: String) -> CallError {
    CallError::BadResponse {
        operation: origin.operation,
        status,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;
    use crate::wire::{Echo, Pong};

    const ORIGIN: Origin = Origin {
        operation: Operation::Echo.name(),
        endpoint: Operation::Echo.endpoint(),
    };

    fn key() -> EnvelopeKey {
        EnvelopeKey::from_bytes([3; 32])
    }

    fn sealed(json: &str) -> Vec<u8> {
        serde_json::json!({ "response_data": key().seal(json) })
            .to_string()
            .into_bytes()
    }

    #[test]
    fn success_opens_the_sealed_object() {
        let echo: Echo = decode_enveloped(
            &key(),
            ORIGIN,
            200,
            &sealed(r#"{"status":"ok","message":"hi"}"#),
        )
        .unwrap();
        assert_eq!(echo.message, "hi");
    }

    #[test]
    fn sealed_and_plain_errors_become_api_failures() {
        let body = sealed(
            r#"{"type":"invalid_parameters","message":"Invalid parameters","errors":{"invalid":["message"]}}"#,
        );
        let err = decode_enveloped::<Echo>(&key(), ORIGIN, 400, &body).unwrap_err();
        let failure = err.api().expect("api failure");
        assert_eq!(
            (failure.status, failure.kind.as_str()),
            (400, "invalid_parameters")
        );
        assert_eq!(
            failure.errors.as_ref().unwrap().invalid.as_deref(),
            Some(&["message".to_string()][..])
        );

        let plain =
            br#"{"type":"partner_decryption_failed","message":"Could not decrypt the data."}"#;
        let err = decode_enveloped::<Echo>(&key(), ORIGIN, 400, plain).unwrap_err();
        assert_eq!(err.api_kind(), Some("partner_decryption_failed"));
    }

    #[test]
    fn errors_without_a_type_are_still_api_failures() {
        let err =
            decode_enveloped::<Echo>(&key(), ORIGIN, 404, &sealed(r#"{"message":"Not found"}"#))
                .unwrap_err();
        let failure = err.api().expect("api failure");
        assert_eq!((failure.status, failure.kind.as_str()), (404, ""));
        assert_eq!(failure.en(), "Not found");
        assert!(!err.is_outcome_unknown());
        let err = decode_enveloped::<Echo>(
            &key(),
            ORIGIN,
            404,
            br#"{"type":"notfound","message":null}"#,
        )
        .unwrap_err();
        assert_eq!(err.api_kind(), Some("notfound"));
        let err = decode_enveloped::<Echo>(&key(), ORIGIN, 404, br#"{"other":1}"#).unwrap_err();
        assert!(matches!(err, CallError::BadResponse { .. }));
    }

    #[test]
    fn unreadable_answers_are_bad_responses() {
        let cases: Vec<(u16, Vec<u8>)> =
            vec![
            (200, b"<html>oops</html>".to_vec()),
            (200, br#"{"response_data":"not-sealed-with-our-key"}"#.to_vec()),
            (
                200,
                serde_json::json!({ "response_data": EnvelopeKey::from_bytes([9; 32]).seal("{}") })
                    .to_string()
                    .into_bytes(),
            ),
            (200, sealed(r#"{"unexpected":true}"#)),
            (200, Vec::new()),
            (502, b"<html>Bad Gateway</html>".to_vec()),
            (422, sealed("not json")),
            (302, Vec::new()),
        ];
        for (status, body) in cases {
            let err = decode_enveloped::<Echo>(&key(), ORIGIN, status, &body).unwrap_err();
            assert!(
                matches!(err, CallError::BadResponse { status: s, .. } if s == status),
                "{status}: {err:?}"
            );
            assert!(err.is_outcome_unknown());
        }
    }

    #[test]
    fn plain_answers_are_read_as_is() {
        let pong: Pong = decode_plain(&key(), ORIGIN, 200, br#"{"pong":"ok"}"#).unwrap();
        assert_eq!(pong.pong, "ok");
        assert!(decode_plain::<Pong>(&key(), ORIGIN, 200, b"pong").is_err());
        let err = decode_plain::<Pong>(
            &key(),
            ORIGIN,
            503,
            br#"{"type":"temporarily_unavailable","message":"Service Unavailable"}"#,
        )
        .unwrap_err();
        assert!(err.is_retryable());
    }
}
