//! The hosted page at `session_url`: a real HTML page listing the session's payment methods with
//! a form a person (or a script posting the form) can pay with. Posting it pays as the chosen
//! customer; a poor customer is declined and the session stays pending.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use regi_komoju::wire::{Session, SessionStatus};

use crate::ledger::CUSTOMERS;
use crate::state::EmulatorState;

/// `GET /sessions/{id}`.
pub async fn show(State(state): State<EmulatorState>, Path(id): Path<String>) -> Response {
    match state.session(&id) {
        Some(session) => page(StatusCode::OK, &body_for(&session, None)),
        None => page(
            StatusCode::NOT_FOUND,
            "<h1>Session not found / セッションが見つかりません</h1>",
        ),
    }
}

/// `POST /sessions/{id}` with `payment_type` and `customer` (form fields).
pub async fn submit(
    State(state): State<EmulatorState>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let method = form.get("payment_type").map(String::as_str);
    let customer = form.get("customer").map(String::as_str);
    match state.pay_session(&id, method, customer) {
        Ok(session) => page(StatusCode::OK, &body_for(&session, None)),
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            match state.session(&id) {
                Some(session) => page(status, &body_for(&session, Some(&error.body.message))),
                None => page(
                    status,
                    &format!("<p class=\"error\">{}</p>", escape(&error.body.message)),
                ),
            }
        }
    }
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>KOMOJU emulator</title></head><body>\n{body}\n</body></html>\n"
    );
    (status, Html(html)).into_response()
}

fn body_for(session: &Session, error: Option<&str>) -> String {
    let merchant = session.merchant.as_ref().map_or("", |m| m.name.as_str());
    let mut out = format!(
        "<h1>{}</h1>\n<p>お支払い金額 / Amount: <strong id=\"amount\">¥{}</strong></p>\n",
        escape(merchant),
        yen(session.amount)
    );
    if let Some(message) = error {
        out.push_str(&format!(
            "<p class=\"error\" id=\"error\">{}</p>\n",
            escape(message)
        ));
    }
    let closed = match (session.status, session.expired) {
        (SessionStatus::Completed, _) => {
            Some("completed\">お支払いが完了しました / Payment complete")
        }
        (SessionStatus::Cancelled, _) => {
            Some("cancelled\">このお支払いは取り消されました / This payment was cancelled")
        }
        (SessionStatus::Pending, true) => {
            Some("expired\">このお支払いの期限が切れました / This payment has expired")
        }
        (SessionStatus::Pending, false) => None,
    };
    if let Some(closed) = closed {
        out.push_str(&format!("<p id=\"status\" class=\"{closed}</p>\n"));
        if let Some(url) = &session.return_url {
            let action = match session.status {
                SessionStatus::Completed => "complete",
                _ => "cancel",
            };
            out.push_str(&format!(
                "<p><a id=\"return\" href=\"{}\">お店に戻る / Back to the shop</a></p>\n",
                escape(&return_link(url, action, &session.id))
            ));
        }
        return out;
    }
    out.push_str(&format!(
        "<form method=\"post\" action=\"/sessions/{}\">\n<fieldset><legend>お支払い方法 / Payment method</legend>\n",
        escape(&session.id)
    ));
    for (i, method) in session.payment_methods.iter().enumerate() {
        out.push_str(&format!(
            "<p><label><input type=\"radio\" name=\"payment_type\" value=\"{}\"{}> {}</label></p>\n",
            escape(&method.kind),
            if i == 0 { " checked" } else { "" },
            escape(method_label(&method.kind))
        ));
    }
    out.push_str("</fieldset>\n<p><label>お客様 / Customer <select name=\"customer\">\n");
    for customer in CUSTOMERS {
        out.push_str(&format!(
            "<option value=\"{customer}\">{customer}</option>\n"
        ));
    }
    out.push_str(
        "</select></label></p>\n<p><button type=\"submit\">支払う / Pay</button></p>\n</form>\n",
    );
    out
}

/// Where the customer goes back to: `return_url` with `action` (`complete` or `cancel`, as the
/// Sessions guide says) and `session_id` (as the Node SDK's docs say) appended.
pub(crate) fn return_link(return_url: &str, action: &str, session_id: &str) -> String {
    let separator = if return_url.contains('?') { '&' } else { '?' };
    format!("{return_url}{separator}action={action}&session_id={session_id}")
}

fn method_label(kind: &str) -> &str {
    match kind {
        "paypay" => "PayPay",
        "linepay" => "LINE Pay",
        "merpay" => "メルペイ / merpay",
        "rakutenpay" => "楽天ペイ / Rakuten Pay",
        "aupay" => "au PAY",
        "credit_card" => "クレジットカード / Credit card",
        other => other,
    }
}

/// `1200000` → `1,200,000`.
fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_get_thousands_separators_and_text_is_escaped() {
        assert_eq!(yen(1_200_000), "1,200,000");
        assert_eq!(yen(980), "980");
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
