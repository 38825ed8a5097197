//! Wire types of CreditSession (a time-boxed card authorization for one customer and one money:
//! charged per sale, billed once at capture) and of a customer's cards, shared by the client and
//! the sandbox like the rest of `wire`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::wire::{Num, Pagination, Timestamp};

/// The longest a session may run, counted from the request (the API's documented bound).
pub const MAX_SESSION_DAYS: i64 = 30;

/// `GetCustomerCards` parameters: a page of the customer's cards.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GetCustomerCardsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<i64>,
}

/// A card the customer registered and verified with 3-D Secure. The number is masked by the API
/// (`411111********11`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserCard {
    pub id: Uuid,
    pub card_number: String,
    pub registered_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaginatedUserCards {
    pub rows: Vec<UserCard>,
    pub count: i64,
    pub pagination: Pagination,
}

/// `PostCreditSession` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostCreditSessionRequest {
    pub customer_id: Uuid,
    pub private_money_id: Uuid,
    pub card_id: Uuid,
    /// Written as the SDK examples write it: microseconds and `Z`.
    #[serde(serialize_with = "micros_z")]
    pub expires_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Uuid>,
}

/// A session as `PostCreditSession` answers it: exactly `{id, expires_at}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditSession {
    pub id: Uuid,
    pub expires_at: String,
}

impl CreditSession {
    /// The session's end as an instant, when `expires_at` is RFC 3339.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.expires_at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// `CreateCreditSessionTransaction` parameters (the session id is in the path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCreditSessionTransactionRequest {
    pub amount: Num,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Uuid>,
}

/// The charge's result: an object whose fields the API does not declare ("the response returned
/// by the Veritrans microservice"), so it is read as a map and only looked into.
pub type CreditSessionTransactionResult = Map<String, Value>;

/// `CaptureCreditSession` parameters: the body itself is optional (`{}` without a key).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CaptureCreditSessionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Uuid>,
}

/// The answer of `CaptureCreditSession`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapturedCreditSession {
    pub session_id: Uuid,
}

/// An instant as the SDK examples write session expiries, e.g. `2024-08-19T05:15:10.000000Z`.
pub fn format_micros_z(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn micros_z<S: Serializer>(instant: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_micros_z(*instant))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn session_requests_write_the_expiry_with_microseconds_and_z() {
        let request = PostCreditSessionRequest {
            customer_id: Uuid::nil(),
            private_money_id: Uuid::nil(),
            card_id: Uuid::nil(),
            expires_at: Utc.with_ymd_and_hms(2024, 8, 19, 5, 15, 10).unwrap(),
            request_id: None,
        };
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["expires_at"], "2024-08-19T05:15:10.000000Z");
        assert!(json.get("request_id").is_none());
    }

    #[test]
    fn a_session_reads_its_expiry_in_any_rfc3339_offset() {
        let session = CreditSession {
            id: Uuid::nil(),
            expires_at: "2024-01-15T19:30:00+09:00".into(),
        };
        assert_eq!(
            session.expires_at(),
            Some(Utc.with_ymd_and_hms(2024, 1, 15, 10, 30, 0).unwrap())
        );
    }
}
