//! `GET /charges`: its query (there is no `orderNo` filter, so a lost create is found by listing a
//! time window and matching the order number here) and its answer, ChargesResponse.

use serde::{Deserialize, Serialize};

use super::EpochMillis;
use super::charge::ChargeDto;

/// The query of `GET /charges`. Unset fields are left out of the URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListChargesQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<EpochMillis>,
    /// `create_time` or `paid_time`: which time `from`/`to` bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_field: Option<String>,
    /// `create_time` or `paid_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// `desc` or `asc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// At most 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
}

/// ChargesResponse.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargesResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charges: Option<Vec<ChargeDto>>,
}
