//! CreditSession: a card authorization for one customer and money until `expires_at`, charged
//! per sale and captured once (the card is billed for the total). Sessions are open until
//! captured or expired on the sandbox's clock; after that every charge or capture answers 422
//! `credit_session_not_found`, as the API does for an unknown session. A repeated `request_id`
//! answers what it answered first.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::errors::ApiError;
use super::ledger::{Ledger, TransactionKind, TransactionRec};
use super::listing::{page_slice, pagination};
use super::ops::{Answer, mutate, path_uuid, to_json};
use super::params::Params;
use super::state::SandboxState;
use regi_pokepay::credit_sessions::{
    CapturedCreditSession, CreditSession, MAX_SESSION_DAYS, PaginatedUserCards, UserCard,
    format_micros_z,
};
use regi_pokepay::wire::Timestamp;

/// One session and everything booked on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditSessionRec {
    pub id: Uuid,
    pub customer_user_id: Uuid,
    pub card_id: Uuid,
    pub private_money_id: Uuid,
    pub created_at: Timestamp,
    pub expires_at: DateTime<Utc>,
    /// In the order they were made.
    #[serde(default)]
    pub charges: Vec<SessionChargeRec>,
    #[serde(default)]
    pub captured_at: Option<Timestamp>,
}

impl CreditSessionRec {
    pub fn total(&self) -> i64 {
        self.charges.iter().map(|c| c.amount).sum()
    }

    /// Neither captured nor past its end.
    pub fn is_open(&self, now: Timestamp) -> bool {
        self.captured_at.is_none() && now.with_timezone(&Utc) < self.expires_at
    }
}

/// One charge: the Pokepay payment it made and its amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionChargeRec {
    pub transaction_id: Uuid,
    pub amount: i64,
    pub description: String,
    pub done_at: Timestamp,
}

/// A session as the `/_sandbox/credit-sessions` listing shows it, with its bill once captured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: Uuid,
    pub customer: String,
    pub card_id: Uuid,
    pub expires_at: String,
    /// `open`, `captured` or `expired`.
    pub status: String,
    pub charges: Vec<SessionChargeRec>,
    pub total: i64,
    /// What the capture billed to the card.
    pub billed: Option<i64>,
    pub captured_at: Option<Timestamp>,
}

fn not_found() -> ApiError {
    ApiError::unprocessable("credit_session_not_found")
}

impl Ledger {
    pub fn credit_session(&self, id: Uuid) -> Option<&CreditSessionRec> {
        self.credit_sessions.iter().find(|s| s.id == id)
    }

    /// The session `id` when it can still be charged or captured at `now`.
    fn open_session(&self, id: Uuid, now: Timestamp) -> Result<&CreditSessionRec, ApiError> {
        self.credit_session(id)
            .filter(|s| s.is_open(now))
            .ok_or_else(not_found)
    }

    /// Opens a session on a customer's verified card until `expires_at` (at most 30 days on).
    pub fn open_credit_session(
        &mut self,
        customer_user_id: Uuid,
        private_money_id: Uuid,
        card_id: Uuid,
        expires_at: DateTime<Utc>,
        now: Timestamp,
    ) -> Result<Uuid, ApiError> {
        if private_money_id != self.money.id {
            return Err(ApiError::unprocessable("private_money_not_found"));
        }
        if self.customer(customer_user_id).is_none() {
            return Err(ApiError::unprocessable("customer_user_not_found"));
        }
        self.usable_card(customer_user_id, card_id)?;
        let now_utc = now.with_timezone(&Utc);
        if expires_at <= now_utc || expires_at > now_utc + Duration::days(MAX_SESSION_DAYS) {
            return Err(ApiError::unprocessable("invalid_credit_session_expires_at"));
        }
        self.veritrans_check(card_id)?;
        let id = Uuid::new_v4();
        self.credit_sessions.push(CreditSessionRec {
            id,
            customer_user_id,
            card_id,
            private_money_id,
            created_at: now,
            expires_at,
            charges: Vec::new(),
            captured_at: None,
        });
        Ok(id)
    }

    /// Books a charge on an open session, within what the card has left; the shop is paid and
    /// the customer's wallet is untouched (the card pays). Returns the payment's id.
    pub fn charge_credit_session(
        &mut self,
        session_id: Uuid,
        amount: i64,
        shop_user_id: Option<Uuid>,
        description: String,
        now: Timestamp,
    ) -> Result<Uuid, ApiError> {
        let session = self.open_session(session_id, now)?.clone();
        let shop_user_id = match shop_user_id {
            Some(id) => self
                .shop(id)
                .map(|s| s.id)
                .ok_or_else(|| ApiError::unprocessable("shop_user_not_found"))?,
            // The organization's default shop, as the API books a charge without one.
            None => self
                .shops()
                .next()
                .map(|s| s.id)
                .ok_or_else(|| ApiError::unprocessable("shop_user_not_found"))?,
        };
        let shop_account_id = self
            .account_of(shop_user_id)
            .map(|a| a.id)
            .ok_or_else(|| ApiError::unprocessable("shop_account_not_found"))?;
        let customer_account_id = self
            .account_of(session.customer_user_id)
            .map(|a| a.id)
            .ok_or_else(|| ApiError::unprocessable("customer_account_not_found"))?;
        self.veritrans_check(session.card_id)?;
        if amount > self.card_remaining(session.card_id, now) {
            return Err(ApiError::unprocessable("unavailable_card_error"));
        }
        if let Some(shop) = self.accounts.iter_mut().find(|a| a.id == shop_account_id) {
            shop.money_balance += amount;
        }
        let transaction_id = Uuid::new_v4();
        self.transactions.push(TransactionRec {
            id: transaction_id,
            kind: TransactionKind::Payment,
            shop_user_id,
            shop_account_id,
            customer_user_id: session.customer_user_id,
            customer_account_id,
            money_amount: amount,
            point_amount: 0,
            description: description.clone(),
            done_at: now,
            transfer_id: Uuid::new_v4(),
            metadata: None,
            refund: None,
        });
        if let Some(stored) = self.credit_sessions.iter_mut().find(|s| s.id == session_id) {
            stored.charges.push(SessionChargeRec {
                transaction_id,
                amount,
                description,
                done_at: now,
            });
        }
        Ok(transaction_id)
    }

    /// Captures an open session: the card is billed its total (a ledger entry) and the session
    /// takes no more charges.
    pub fn capture_credit_session(
        &mut self,
        session_id: Uuid,
        now: Timestamp,
    ) -> Result<Uuid, ApiError> {
        let session = self.open_session(session_id, now)?.clone();
        self.veritrans_check(session.card_id)?;
        self.card_billings.push(super::cards::CardBillingRec {
            id: Uuid::new_v4(),
            card_id: session.card_id,
            session_id,
            amount: session.total(),
            billed_at: now,
        });
        if let Some(stored) = self.credit_sessions.iter_mut().find(|s| s.id == session_id) {
            stored.captured_at = Some(now);
        }
        Ok(session_id)
    }

    pub fn session_view(&self, session: &CreditSessionRec, now: Timestamp) -> SessionView {
        let status = if session.captured_at.is_some() {
            "captured"
        } else if session.is_open(now) {
            "open"
        } else {
            "expired"
        };
        SessionView {
            id: session.id,
            customer: self
                .user(session.customer_user_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            card_id: session.card_id,
            expires_at: format_micros_z(session.expires_at),
            status: status.into(),
            charges: session.charges.clone(),
            total: session.total(),
            billed: self
                .card_billings
                .iter()
                .find(|b| b.session_id == session.id)
                .map(|b| b.amount),
            captured_at: session.captured_at,
        }
    }
}

// ---- the Partner API operations -------------------------------------------------------------

pub(crate) fn get_customer_cards(
    state: &SandboxState,
    customer_id: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let customer_id = path_uuid("customer_id", customer_id)?;
    let mut p = Params::new(params);
    let page = p.opt_int_at_least("page", 1).unwrap_or(1);
    let per_page = p.opt_int_at_least("per_page", 1).unwrap_or(30);
    p.finish()?;
    if per_page > 100 {
        return Err(ApiError::invalid_parameter("per_page"));
    }
    state.read(|l| {
        if l.customer(customer_id).is_none() {
            return Err(ApiError::unprocessable("customer_user_not_found"));
        }
        let all: Vec<UserCard> = l
            .verified_cards_of(customer_id)
            .into_iter()
            .map(|c| UserCard {
                id: c.id,
                card_number: c.card_number.clone(),
                registered_at: c.registered_at,
            })
            .collect();
        to_json(&PaginatedUserCards {
            rows: page_slice(&all, page, per_page),
            count: i64::try_from(all.len()).unwrap_or(i64::MAX),
            pagination: pagination(all.len(), page, per_page),
        })
    })
}

pub(crate) fn post_credit_session(
    state: &SandboxState,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let customer_id = p.uuid("customer_id");
    let private_money_id = p.uuid("private_money_id");
    let card_id = p.uuid("card_id");
    let expires_at = p.opt_timestamp("expires_at");
    let request_id = p.opt_uuid("request_id");
    let expires_given = params.get("expires_at").is_some_and(|v| !v.is_null());
    p.finish()?;
    let (Some(customer_id), Some(private_money_id), Some(card_id), Some(expires_at)) =
        (customer_id, private_money_id, card_id, expires_at)
    else {
        let missing = (!expires_given).then(|| "expires_at".to_string());
        return Err(ApiError::invalid_parameters(
            missing.into_iter().collect(),
            Vec::new(),
        ));
    };
    let expires_at = expires_at.with_timezone(&Utc);
    let fingerprint = format!(
        "credit-session|{customer_id}|{private_money_id}|{card_id}|{}",
        expires_at.timestamp_micros()
    );
    let id = mutate(state, |l, now| {
        l.with_request_id(request_id, &fingerprint, |l| {
            l.open_credit_session(customer_id, private_money_id, card_id, expires_at, now)
        })
    })?;
    state.read(|l| match l.credit_session(id) {
        Some(session) => to_json(&CreditSession {
            id: session.id,
            expires_at: format_micros_z(session.expires_at),
        }),
        None => Err(not_found()),
    })
}

pub(crate) fn create_credit_session_transaction(
    state: &SandboxState,
    session_id: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let session_id = path_uuid("session_id", session_id)?;
    let mut p = Params::new(params);
    let amount = p.yen("amount");
    let shop_id = p.opt_uuid("shop_id");
    let description = p.opt_description();
    let request_id = p.opt_uuid("request_id");
    p.finish()?;
    let Some(amount) = amount else {
        return Err(ApiError::invalid_parameters(Vec::new(), Vec::new()));
    };
    if amount < 0 {
        return Err(ApiError::invalid_parameter("amount"));
    }
    let description = description.unwrap_or_default();
    let fingerprint =
        format!("credit-session-transaction|{session_id}|{amount}|{shop_id:?}|{description}");
    let id = mutate(state, |l, now| {
        l.with_request_id(request_id, &fingerprint, |l| {
            l.charge_credit_session(session_id, amount, shop_id, description, now)
        })
    })?;
    state.read(|l| match l.transaction(id) {
        // Never both a top-level `type` and `message`: the Java SDK would read an error.
        Some(tx) => to_json(&json!({ "transaction_id": tx.id, "amount": tx.amount() })),
        None => Err(not_found()),
    })
}

pub(crate) fn capture_credit_session(
    state: &SandboxState,
    session_id: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let session_id = path_uuid("session_id", session_id)?;
    let mut p = Params::new(params);
    let request_id = p.opt_uuid("request_id");
    p.finish()?;
    let fingerprint = format!("credit-session-capture|{session_id}");
    let id = mutate(state, |l, now| {
        l.with_request_id(request_id, &fingerprint, |l| {
            l.capture_credit_session(session_id, now)
        })
    })?;
    to_json(&CapturedCreditSession { session_id: id })
}

// ---- the sandbox's own view -----------------------------------------------------------------

/// A card as `/_sandbox/cards` shows it: its limit, what was billed and what is left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardView {
    pub id: Uuid,
    pub customer: String,
    pub card_number: String,
    pub verified: bool,
    pub limit: i64,
    pub billed: i64,
    pub remaining: i64,
    pub forced_error: Option<String>,
}

impl SandboxState {
    /// Every session with its charges and bill, oldest first.
    pub fn credit_sessions(&self) -> Vec<SessionView> {
        let now = self.now();
        self.read(|l| {
            l.credit_sessions
                .iter()
                .map(|s| l.session_view(s, now))
                .collect()
        })
    }

    /// Every card with its limit, bills and what is left.
    pub fn cards(&self) -> Vec<CardView> {
        let now = self.now();
        self.read(|l| {
            l.cards
                .iter()
                .map(|c| CardView {
                    id: c.id,
                    customer: l
                        .user(c.user_id)
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                    card_number: c.card_number.clone(),
                    verified: c.verified,
                    limit: c.limit,
                    billed: l.billed_to(c.id),
                    remaining: l.card_remaining(c.id, now),
                    forced_error: c.forced_error.clone(),
                })
                .collect()
        })
    }

    /// The id of a customer by name, and of their first verified card, if any.
    pub fn customer_and_card(&self, name: &str) -> Option<(Uuid, Option<Uuid>)> {
        self.read(|l| {
            let user = l.customer_by_name(name)?.id;
            Some((user, l.verified_cards_of(user).first().map(|c| c.id)))
        })
    }

    /// Makes every Veritrans call on the card answer `kind` (one of
    /// [`super::cards::FORCEABLE_CARD_ERRORS`]) until cleared with `None`.
    pub fn force_card_error(&self, card_id: Uuid, kind: Option<&str>) -> Result<(), ApiError> {
        match self.mutate(|l, _| l.force_card_error(card_id, kind)) {
            Ok(result) => result,
            Err(_) => Err(ApiError::unavailable()),
        }
    }
}

/// `POST /_sandbox/cards/{id}/refuse` body: the refusal to force, or `null` to clear it.
#[derive(Debug, Deserialize)]
struct RefuseRequest {
    #[serde(default)]
    error: Option<String>,
}

/// The sandbox's tab routes under `/_sandbox`:
/// - `GET  /credit-sessions`      → `[SessionView]` (charges, status, bill)
/// - `GET  /cards`                → `[CardView]` (limit, billed, remaining)
/// - `POST /cards/{id}/refuse`    `{"error": "unacceptable_card"|...|null}` → `CardView`
pub(crate) fn sandbox_routes() -> axum::Router<SandboxState> {
    use axum::extract::{Path, State};
    use axum::routing::{get, post};

    use super::envelope::{plain_error, plain_json};
    use super::errors::Lang;

    async fn sessions(State(state): State<SandboxState>) -> axum::response::Response {
        plain_json(200, &state.credit_sessions())
    }
    async fn cards(State(state): State<SandboxState>) -> axum::response::Response {
        plain_json(200, &state.cards())
    }
    async fn refuse(
        State(state): State<SandboxState>,
        Path(id): Path<String>,
        body: axum::body::Bytes,
    ) -> axum::response::Response {
        let parsed = Uuid::parse_str(&id)
            .map_err(|_| ApiError::invalid_parameter("card_id"))
            .and_then(|id| {
                serde_json::from_slice::<RefuseRequest>(&body)
                    .map(|r| (id, r))
                    .map_err(|_| ApiError::invalid_parameter("body"))
            });
        let result = parsed.and_then(|(id, request)| {
            state.force_card_error(id, request.error.as_deref())?;
            state
                .cards()
                .into_iter()
                .find(|c| c.id == id)
                .ok_or_else(|| ApiError::new(404, "card_not_found"))
        });
        match result {
            Ok(card) => plain_json(200, &card),
            Err(e) => plain_error(&e, Lang::En),
        }
    }

    axum::Router::new()
        .route("/credit-sessions", get(sessions))
        .route("/cards", get(cards))
        .route("/cards/{id}/refuse", post(refuse))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::CUSTOMER_CARD;
    use crate::ledger::tests::fresh;

    fn opened(ledger: &mut Ledger, now: Timestamp) -> (Uuid, Uuid) {
        let user = ledger.customer_by_name(CUSTOMER_CARD).unwrap().id;
        let card = ledger.verified_cards_of(user)[0].id;
        let until = now.with_timezone(&Utc) + Duration::days(3);
        let money = ledger.money.id;
        let id = ledger
            .open_credit_session(user, money, card, until, now)
            .unwrap();
        (id, card)
    }

    #[test]
    fn a_session_is_charged_then_captured_and_billed_once() {
        let (mut ledger, now) = fresh();
        let (id, card) = opened(&mut ledger, now);
        ledger
            .charge_credit_session(id, 1_200, None, "room 301".into(), now)
            .unwrap();
        ledger
            .charge_credit_session(id, 800, None, String::new(), now)
            .unwrap();
        assert_eq!(ledger.card_remaining(card, now), SEEDED - 2_000);
        ledger.capture_credit_session(id, now).unwrap();
        assert_eq!(ledger.billed_to(card), 2_000);
        assert_eq!(ledger.card_remaining(card, now), SEEDED - 2_000);
        let again = ledger.charge_credit_session(id, 1, None, String::new(), now);
        assert_eq!(again.unwrap_err().kind, "credit_session_not_found");
        let twice = ledger.capture_credit_session(id, now);
        assert_eq!(twice.unwrap_err().kind, "credit_session_not_found");
        assert_eq!(ledger.card_billings.len(), 1);
    }

    const SEEDED: i64 = crate::cards::SEEDED_CARD_LIMIT;

    #[test]
    fn sessions_and_bills_survive_a_restart_with_a_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let options = crate::SandboxOptions {
            state_path: Some(dir.path().join("s.sqlite")),
            ..Default::default()
        };
        let first = SandboxState::new(options.clone()).unwrap();
        let id = first
            .mutate(|l, now| {
                let (id, _) = opened(l, now);
                l.charge_credit_session(id, 700, None, String::new(), now)?;
                l.capture_credit_session(id, now)
            })
            .unwrap()
            .unwrap();
        let before = (first.credit_sessions(), first.cards());
        drop(first);
        let second = SandboxState::new(options).unwrap();
        assert_eq!((second.credit_sessions(), second.cards()), before);
        assert_eq!(second.credit_sessions()[0].id, id);
        assert_eq!(second.credit_sessions()[0].billed, Some(700));
    }

    #[test]
    fn a_ledger_from_before_tabs_gets_the_tab_customers() {
        let (mut ledger, now) = fresh();
        ledger
            .users
            .retain(|u| u.name != CUSTOMER_CARD && u.name != crate::CUSTOMER_CARDLESS);
        let users: Vec<Uuid> = ledger.users.iter().map(|u| u.id).collect();
        ledger.accounts.retain(|a| users.contains(&a.user_id));
        ledger.cards.clear();
        let accounts = ledger.accounts.len();
        let json = serde_json::to_value(&ledger).unwrap();
        let mut old = json.as_object().unwrap().clone();
        for key in ["cards", "credit_sessions", "card_billings"] {
            old.remove(key);
        }
        let mut read: Ledger = serde_json::from_value(serde_json::Value::Object(old)).unwrap();
        assert!(read.cards.is_empty());
        read.add_card_fixtures(now);
        assert_eq!(read.cards.len(), 2);
        assert_eq!(read.accounts.len(), accounts + 2);
        assert!(read.customer_by_name(CUSTOMER_CARD).is_some());
    }

    #[test]
    fn an_expired_session_takes_no_charge_and_holds_nothing() {
        let (mut ledger, now) = fresh();
        let (id, card) = opened(&mut ledger, now);
        ledger
            .charge_credit_session(id, 5_000, None, String::new(), now)
            .unwrap();
        let later = now + Duration::days(3);
        let late = ledger.charge_credit_session(id, 1, None, String::new(), later);
        assert_eq!(late.unwrap_err().kind, "credit_session_not_found");
        assert_eq!(ledger.card_remaining(card, later), SEEDED);
    }

    #[test]
    fn a_charge_over_what_the_card_has_left_is_refused() {
        let (mut ledger, now) = fresh();
        let (id, _) = opened(&mut ledger, now);
        let over = ledger.charge_credit_session(id, SEEDED + 1, None, String::new(), now);
        assert_eq!(over.unwrap_err().kind, "unavailable_card_error");
        assert!(ledger.credit_session(id).unwrap().charges.is_empty());
        assert!(ledger.transactions.is_empty());
    }

    #[test]
    fn an_end_in_the_past_or_beyond_30_days_is_refused() {
        let (mut ledger, now) = fresh();
        let user = ledger.customer_by_name(CUSTOMER_CARD).unwrap().id;
        let card = ledger.verified_cards_of(user)[0].id;
        let money = ledger.money.id;
        let utc = now.with_timezone(&Utc);
        for until in [
            utc,
            utc - Duration::days(1),
            utc + Duration::days(30) + Duration::seconds(1),
        ] {
            let err = ledger
                .open_credit_session(user, money, card, until, now)
                .unwrap_err();
            assert_eq!(
                (err.status, err.kind.as_str()),
                (422, "invalid_credit_session_expires_at")
            );
        }
        assert!(
            ledger
                .open_credit_session(user, money, card, utc + Duration::days(30), now)
                .is_ok()
        );
    }
}
