//! `POST /sessions/{id}/pay` (komoju-node-sdk `SessionsApi.paySession`): the customer's payment
//! details sent through the API instead of the hosted page's form. The body is
//! `{capture?, payment_details, fraud_details?}` and the answer KOMOJU's `PaySessionResponse`,
//! `{status, redirect_url, payment?, app_url?}`. It pays with the ledger's one rule for paying a
//! session, so the page and this route cannot disagree. regi itself never calls it, so it is
//! routed here rather than in the client's endpoint table.

use regi_komoju::endpoints::{Endpoint, Repeat};
use regi_komoju::wire::{CaptureMode, Payment, QR_AND_CARD_PAYMENT_TYPES, SessionStatus};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::hosted_page::return_link;
use crate::ids::new_id;
use crate::ledger::CUSTOMER_RICH;
use crate::ops::Ctx;
use crate::params::{field, string};
use crate::views;

/// Where the route lives, as KOMOJU documents it.
pub const ENDPOINT: Endpoint = Endpoint {
    method: "POST",
    template: "/sessions/{id}/pay",
    has_body: true,
    repeat: Repeat::WithSameIdempotencyKey,
};

/// How errors name the chosen payment type: the form field KOMOJU reads it from.
const TYPE_PARAM: &str = "payment_details[type]";

/// What a pay request asks for, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PayRequest {
    pub payment_type: String,
    /// `None`: as the session's `payment_data.capture` says.
    pub capture: Option<CaptureMode>,
}

/// KOMOJU's `PaySessionResponse`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaySessionResponse {
    pub status: SessionStatus,
    /// Where the customer goes next: the shop's `return_url` with `action=complete`, or `null`
    /// when the session has none (nothing left to do: the emulator pays at once).
    pub redirect_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    /// Only for payments finished in a wallet's app; the emulator has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_url: Option<String>,
}

/// Validates the body: a missing parameter is 422 `missing_parameter`, a payment type KOMOJU
/// does not have 400 `bad_request`, a bad value 422 `unprocessable_entity`, each naming its
/// parameter.
pub fn request(body: &Map<String, Value>) -> Result<PayRequest, ApiError> {
    let details = match field(body, "payment_details") {
        None => return Err(ApiError::missing("payment_details")),
        Some(Value::Object(details)) => details,
        Some(_) => {
            return Err(ApiError::invalid(
                "payment_details",
                "payment_details must be an object with a type.",
            ));
        }
    };
    let payment_type = string(
        field(details, "type").ok_or_else(|| ApiError::missing(TYPE_PARAM))?,
        TYPE_PARAM,
    )?;
    if !QR_AND_CARD_PAYMENT_TYPES.contains(&payment_type.as_str()) {
        return Err(ApiError::new(
            400,
            "bad_request",
            &format!("{payment_type} is not a known payment type."),
            Some(TYPE_PARAM),
        ));
    }
    let capture = match field(body, "capture") {
        None => None,
        Some(Value::String(text)) if text == "auto" => Some(CaptureMode::Auto),
        Some(Value::String(text)) if text == "manual" => Some(CaptureMode::Manual),
        Some(_) => {
            return Err(ApiError::invalid(
                "capture",
                "capture must be auto or manual.",
            ));
        }
    };
    if let Some(fraud) = field(body, "fraud_details")
        && !fraud.is_object()
    {
        return Err(ApiError::invalid(
            "fraud_details",
            "fraud_details must be an object.",
        ));
    }
    Ok(PayRequest {
        payment_type,
        capture,
    })
}

/// Pays session `id` as the customer the hosted page pays as by default, and answers with
/// the completed session's status and payment.
pub(crate) fn pay(
    ctx: &mut Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Result<String, ApiError> {
    if ctx.ledger.session(id).is_none() {
        return Err(ApiError::not_found("Session"));
    }
    let request = request(body)?;
    let payment_id = ctx
        .ledger
        .pay_session(
            id,
            &request.payment_type,
            CUSTOMER_RICH,
            request.capture,
            new_id(),
            ctx.now,
        )
        .map_err(|error| {
            // The ledger names the page's form field; this route's caller sent `payment_details`.
            if error.param() == Some("payment_type") {
                ApiError::invalid(TYPE_PARAM, &error.body.message)
            } else {
                error
            }
        })?;
    let session = ctx
        .ledger
        .session(id)
        .ok_or_else(|| ApiError::not_found("Session"))?;
    let answer = PaySessionResponse {
        status: session.status,
        redirect_url: session
            .return_url
            .as_deref()
            .map(|url| return_link(url, "complete", id)),
        payment: ctx.ledger.payment(&payment_id).map(views::payment),
        app_url: None,
    };
    serde_json::to_string(&answer).map_err(|_| ApiError::internal())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_route_is_matched_with_its_session_id() {
        assert_eq!(
            ENDPOINT.match_path("/sessions/e9x5mvx3jkpkofzcg7umfael6/pay"),
            Some("e9x5mvx3jkpkofzcg7umfael6")
        );
        assert_eq!(ENDPOINT.match_path("/sessions/e9x5/cancel"), None);
    }

    #[test]
    fn a_form_style_body_reads_like_json() {
        let form = crate::params::parse_body(
            Some("application/x-www-form-urlencoded"),
            b"payment_details[type]=linepay&capture=manual",
        )
        .unwrap();
        assert_eq!(
            request(&form).unwrap(),
            PayRequest {
                payment_type: "linepay".into(),
                capture: Some(CaptureMode::Manual),
            }
        );
    }

    #[test]
    fn each_bad_body_names_its_parameter() {
        let refusal = |v: Value| {
            let e = request(&body(v)).unwrap_err();
            (e.status, e.body.code, e.body.param)
        };
        assert_eq!(
            refusal(json!({})),
            (
                422,
                "missing_parameter".into(),
                Some("payment_details".into())
            )
        );
        assert_eq!(
            refusal(json!({"payment_details": {}})),
            (422, "missing_parameter".into(), Some(TYPE_PARAM.into()))
        );
        assert_eq!(
            refusal(json!({"payment_details": {"type": "bitcoin"}})),
            (400, "bad_request".into(), Some(TYPE_PARAM.into()))
        );
        assert_eq!(
            refusal(json!({"payment_details": {"type": "paypay"}, "capture": "later"})),
            (422, "unprocessable_entity".into(), Some("capture".into()))
        );
        assert_eq!(
            refusal(json!({"payment_details": {"type": "paypay"}, "fraud_details": "x"})),
            (
                422,
                "unprocessable_entity".into(),
                Some("fraud_details".into())
            )
        );
    }
}
