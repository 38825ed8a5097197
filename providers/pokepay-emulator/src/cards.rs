//! Customers' credit cards, which the real API keeps with Veritrans: the seeded customers `card`
//! (one 3-D-Secure-verified card) and `cardless` (only a card that never passed 3-D Secure, so
//! `GetCustomerCards` lists nothing), each card's limit, what captures billed to it, and the
//! Veritrans refusals a test can force on a card.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::errors::ApiError;
use super::ledger::{AccountRec, Ledger, UserRec};
use regi_pokepay::wire::Timestamp;

/// A customer with a verified card: tabs can be opened for them.
pub const CUSTOMER_CARD: &str = "card";
/// A customer with no verified card: a tab cannot be opened for them.
pub const CUSTOMER_CARDLESS: &str = "cardless";

/// The seeded verified card's limit in yen: what its open tabs and bills may reach together.
pub const SEEDED_CARD_LIMIT: i64 = 300_000;

/// The refusals Veritrans gives that a test may force on a card.
pub const FORCEABLE_CARD_ERRORS: [&str; 4] = [
    "unavailable_card_error",
    "unacceptable_card",
    "veritrans_wrong_password_or_cancel",
    "veritrans_api_error",
];

/// A registered card. Only `verified` (3-D Secure passed) cards are listed or usable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardRec {
    pub id: Uuid,
    pub user_id: Uuid,
    /// Masked as the API shows it, e.g. `411111********11`.
    pub card_number: String,
    pub registered_at: Timestamp,
    pub verified: bool,
    /// Yen the card may have authorized and billed at once.
    pub limit: i64,
    /// A refusal every Veritrans call on this card answers until cleared (a test hook).
    #[serde(default)]
    pub forced_error: Option<String>,
}

/// One bill to a card: a captured session's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardBillingRec {
    pub id: Uuid,
    pub card_id: Uuid,
    pub session_id: Uuid,
    pub amount: i64,
    pub billed_at: Timestamp,
}

/// An id derived from the money's id, so seeding cards draws nothing from the seeded random
/// sequence (the fault plan and tokens of a seed stay what they were).
fn derived_id(base: Uuid, n: u8) -> Uuid {
    let mut bytes = *base.as_bytes();
    bytes[0] ^= 0xca;
    bytes[1] ^= n;
    bytes[15] ^= n.wrapping_mul(31);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

impl Ledger {
    /// Adds the `card` and `cardless` customers, their wallets and cards, unless they are there.
    pub fn add_card_fixtures(&mut self, now: Timestamp) {
        if self.customer_by_name(CUSTOMER_CARD).is_some() {
            return;
        }
        let base = self.money.id;
        let with_card = derived_id(base, 1);
        let cardless = derived_id(base, 2);
        for (n, (user, name)) in [(with_card, CUSTOMER_CARD), (cardless, CUSTOMER_CARDLESS)]
            .into_iter()
            .enumerate()
        {
            self.users.push(UserRec {
                id: user,
                name: name.to_string(),
                is_merchant: false,
            });
            self.accounts.push(AccountRec {
                id: derived_id(base, 3 + n as u8),
                user_id: user,
                name: self.money.name.clone(),
                money_balance: 0,
                point_balance: 0,
                created_at: now,
            });
        }
        self.cards.push(CardRec {
            id: derived_id(base, 5),
            user_id: with_card,
            card_number: "411111********11".into(),
            registered_at: now,
            verified: true,
            limit: SEEDED_CARD_LIMIT,
            forced_error: None,
        });
        // Registered but never through 3-D Secure: the API lists only verified cards.
        self.cards.push(CardRec {
            id: derived_id(base, 6),
            user_id: cardless,
            card_number: "555555********44".into(),
            registered_at: now,
            verified: false,
            limit: SEEDED_CARD_LIMIT,
            forced_error: None,
        });
    }

    pub fn card(&self, id: Uuid) -> Option<&CardRec> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The verified cards of a customer, oldest first: what `GetCustomerCards` lists.
    pub fn verified_cards_of(&self, user_id: Uuid) -> Vec<&CardRec> {
        let mut cards: Vec<_> = self
            .cards
            .iter()
            .filter(|c| c.user_id == user_id && c.verified)
            .collect();
        cards.sort_by_key(|c| c.registered_at);
        cards
    }

    /// A customer's verified card usable for a session, or `card_not_found`.
    pub fn usable_card(&self, user_id: Uuid, card_id: Uuid) -> Result<&CardRec, ApiError> {
        self.card(card_id)
            .filter(|c| c.user_id == user_id && c.verified)
            .ok_or_else(|| ApiError::new(404, "card_not_found"))
    }

    /// What Veritrans answers for this card before doing anything: its forced refusal, if any.
    pub fn veritrans_check(&self, card_id: Uuid) -> Result<(), ApiError> {
        match self.card(card_id).and_then(|c| c.forced_error.as_deref()) {
            Some("veritrans_api_error") => Err(ApiError::new(503, "veritrans_api_error")),
            Some(kind) => Err(ApiError::unprocessable(kind)),
            None => Ok(()),
        }
    }

    /// Yen billed to a card so far.
    pub fn billed_to(&self, card_id: Uuid) -> i64 {
        self.card_billings
            .iter()
            .filter(|b| b.card_id == card_id)
            .map(|b| b.amount)
            .sum()
    }

    /// Yen still free on a card at `now`: its limit less what was billed and what open sessions
    /// hold.
    pub fn card_remaining(&self, card_id: Uuid, now: Timestamp) -> i64 {
        let Some(card) = self.card(card_id) else {
            return 0;
        };
        let held: i64 = self
            .credit_sessions
            .iter()
            .filter(|s| s.card_id == card_id && s.is_open(now))
            .map(|s| s.total())
            .sum();
        card.limit - self.billed_to(card_id) - held
    }

    /// Forces (or with `None` clears) a Veritrans refusal on a card.
    pub fn force_card_error(&mut self, card_id: Uuid, kind: Option<&str>) -> Result<(), ApiError> {
        if let Some(kind) = kind
            && !FORCEABLE_CARD_ERRORS.contains(&kind)
        {
            return Err(ApiError::invalid_parameter("error"));
        }
        let card = self
            .cards
            .iter_mut()
            .find(|c| c.id == card_id)
            .ok_or_else(|| ApiError::new(404, "card_not_found"))?;
        card.forced_error = kind.map(str::to_string);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::tests::fresh;

    #[test]
    fn the_card_customer_has_one_verified_card_and_the_cardless_one_none() {
        let (ledger, _) = fresh();
        let card = ledger.customer_by_name(CUSTOMER_CARD).unwrap().id;
        let cardless = ledger.customer_by_name(CUSTOMER_CARDLESS).unwrap().id;
        assert_eq!(ledger.verified_cards_of(card).len(), 1);
        assert!(ledger.verified_cards_of(cardless).is_empty());
        assert!(ledger.account_of(card).is_some() && ledger.account_of(cardless).is_some());
        let unverified = ledger.cards.iter().find(|c| c.user_id == cardless).unwrap();
        assert_eq!(
            ledger
                .usable_card(cardless, unverified.id)
                .unwrap_err()
                .kind,
            "card_not_found"
        );
    }

    #[test]
    fn card_fixtures_are_added_once_and_derived_from_the_money() {
        let (mut ledger, now) = fresh();
        let before = ledger.clone();
        ledger.add_card_fixtures(now);
        assert_eq!(ledger, before);
        let ids: std::collections::HashSet<_> = ledger
            .cards
            .iter()
            .map(|c| c.id)
            .chain(ledger.users.iter().map(|u| u.id))
            .chain(ledger.accounts.iter().map(|a| a.id))
            .collect();
        assert_eq!(
            ids.len(),
            ledger.cards.len() + ledger.users.len() + ledger.accounts.len()
        );
    }

    #[test]
    fn only_veritrans_refusals_can_be_forced() {
        let (mut ledger, _) = fresh();
        let card = ledger.cards[0].id;
        assert!(ledger.force_card_error(card, Some("nonsense")).is_err());
        ledger
            .force_card_error(card, Some("veritrans_api_error"))
            .unwrap();
        assert_eq!(ledger.veritrans_check(card).unwrap_err().status, 503);
        ledger.force_card_error(card, None).unwrap();
        assert!(ledger.veritrans_check(card).is_ok());
    }
}
