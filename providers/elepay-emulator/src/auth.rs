//! Checking the secret key on every API call, as elepay does: `Bearer <key>` (elepay's reference)
//! or `Basic base64(<key>:)` (what its generated SDKs send). No header is `M004002`, any other key
//! `M004001`, both HTTP 401.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regi_elepay::SecretKey;

use crate::errors::ApiError;

pub fn check(headers: &HeaderMap, key: &SecretKey) -> Result<(), ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(ApiError::missing_key());
    };
    let value = value.to_str().map_err(|_| ApiError::invalid_key())?.trim();
    let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
    let presented = if scheme.eq_ignore_ascii_case("bearer") {
        credentials.trim().to_string()
    } else if scheme.eq_ignore_ascii_case("basic") {
        let decoded = STANDARD
            .decode(credentials.trim())
            .map_err(|_| ApiError::invalid_key())?;
        let decoded = String::from_utf8(decoded).map_err(|_| ApiError::invalid_key())?;
        // The key is the user name; the password is empty.
        decoded.split(':').next().unwrap_or_default().to_string()
    } else {
        return Err(ApiError::invalid_key());
    };
    if presented.is_empty() {
        return Err(ApiError::missing_key());
    }
    if same_bytes(presented.as_bytes(), key.expose().as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::invalid_key())
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the key.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use regi_elepay::AuthScheme;

    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn bearer_and_basic_are_both_accepted() {
        let key = SecretKey::new("sk_test_1");
        for scheme in [AuthScheme::Bearer, AuthScheme::Basic] {
            assert!(check(&with(&key.authorization(scheme)), &key).is_ok());
        }
    }

    #[test]
    fn a_wrong_or_missing_key_is_refused_with_elepays_codes() {
        let key = SecretKey::new("sk_test_1");
        let wrong = SecretKey::new("sk_test_2").authorization(AuthScheme::Basic);
        assert_eq!(check(&with(&wrong), &key).unwrap_err().code, "M004001");
        assert_eq!(check(&HeaderMap::new(), &key).unwrap_err().code, "M004002");
        assert_eq!(check(&with("Token x"), &key).unwrap_err().status, 401);
    }
}
