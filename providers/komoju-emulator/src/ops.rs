//! The `/api/v1` operations of the endpoint table: validate, apply to the ledger, answer with
//! KOMOJU's object as JSON text (kept as it is for idempotent replays). Each runs whole under the
//! state's lock ([`EmulatorState::execute`]), so its change and its kept answer are one write.

use regi_komoju::endpoints::Operation;
use regi_komoju::wire::{ListPaymentsQuery, PaymentList, Session, Timestamp};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::ids::new_id;
use crate::ledger::Ledger;
use crate::requests;
use crate::session_pay;
use crate::state::EmulatorState;
use crate::views;

const DEFAULT_PER_PAGE: u32 = 10;
const MAX_PER_PAGE: u32 = 100;

/// What an operation works on: the ledger (a copy when changes are written to a state file),
/// the time, and what session views need.
pub(crate) struct Ctx<'a> {
    pub ledger: &'a mut Ledger,
    pub now: Timestamp,
    pub origin: &'a str,
    pub merchant: &'a str,
}

/// What an `/api/v1` request is for: an operation of the client's endpoint table, or a route
/// only the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Table(Operation),
    /// `POST /sessions/{id}/pay` ([`session_pay`]).
    PaySession,
}

impl Route {
    /// The route a request is for, with its id (`""` where the path has none).
    pub fn resolve<'p>(method: &str, path: &'p str) -> Option<(Route, &'p str)> {
        if let Some(found) = Operation::resolve(method, path) {
            return Some((Route::Table(found.0), found.1));
        }
        let pay = session_pay::ENDPOINT;
        (method == pay.method)
            .then(|| pay.match_path(path))
            .flatten()
            .map(|id| (Route::PaySession, id))
    }
}

/// Runs one operation; `id` is the path's id (empty where it has none).
pub(crate) fn run(
    ctx: &mut Ctx<'_>,
    route: Route,
    id: &str,
    body: &Map<String, Value>,
    query: Option<&str>,
) -> Result<String, ApiError> {
    let now = ctx.now;
    let op = match route {
        Route::Table(op) => op,
        Route::PaySession => return session_pay::pay(ctx, id, body),
    };
    match op {
        Operation::CreateSession => {
            let new = requests::new_session(body)?;
            let id = ctx.ledger.create_session(new, new_id(), now);
            session_json(ctx, &id)
        }
        Operation::ShowSession => session_json(ctx, id),
        Operation::CancelSession => {
            ctx.ledger.cancel_session(id, now)?;
            session_json(ctx, id)
        }
        Operation::ShowPayment => payment_json(ctx.ledger, id),
        Operation::CapturePayment => {
            let amount = requests::capture_amount(body)?;
            ctx.ledger.capture(id, amount, now)?;
            payment_json(ctx.ledger, id)
        }
        Operation::CancelPayment => {
            ctx.ledger.cancel_payment(id)?;
            payment_json(ctx.ledger, id)
        }
        Operation::RefundPayment => {
            let (amount, description) = requests::refund(body)?;
            ctx.ledger.refund(id, amount, description, new_id(), now)?;
            payment_json(ctx.ledger, id)
        }
        Operation::ListPayments => list_payments(ctx.ledger, query.unwrap_or("")),
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|_| ApiError::internal())
}

/// A session as the API shows it now.
pub fn session_view(state: &EmulatorState, id: &str) -> Option<Session> {
    let (now, origin) = (state.now(), state.origin());
    state.read(|l| {
        l.session(id)
            .map(|s| views::session(l, s, now, &origin, state.merchant_name()))
    })
}

fn session_json(ctx: &Ctx<'_>, id: &str) -> Result<String, ApiError> {
    let ledger = &*ctx.ledger;
    let session = ledger
        .session(id)
        .map(|s| views::session(ledger, s, ctx.now, ctx.origin, ctx.merchant))
        .ok_or_else(|| ApiError::not_found("Session"))?;
    to_json(&session)
}

fn payment_json(ledger: &Ledger, id: &str) -> Result<String, ApiError> {
    let payment = ledger
        .payment(id)
        .map(views::payment)
        .ok_or_else(|| ApiError::not_found("Payment"))?;
    to_json(&payment)
}

/// `GET /payments`: newest first, filtered by `external_order_num`, paged.
fn list_payments(ledger: &Ledger, query: &str) -> Result<String, ApiError> {
    let query: ListPaymentsQuery = serde_urlencoded::from_str(query)
        .map_err(|_| ApiError::bad_request("The query string is not valid."))?;
    let per_page = query
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE) as usize;
    let page = query.page.unwrap_or(1).max(1) as usize;
    let matching: Vec<_> = ledger
        .payments
        .iter()
        .rev()
        .filter(|p| {
            query
                .external_order_num
                .as_ref()
                .is_none_or(|wanted| p.external_order_num.as_ref() == Some(wanted))
        })
        .map(views::payment)
        .collect();
    let total = matching.len();
    let data = matching
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    to_json(&PaymentList {
        resource: "list".to_string(),
        total: total as i64,
        page: page as i64,
        per_page: per_page as i64,
        last_page: total.div_ceil(per_page).max(1) as i64,
        data,
    })
}
