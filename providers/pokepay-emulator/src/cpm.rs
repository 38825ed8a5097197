//! CPM tokens: customer-presented codes. A token carries scopes (payment, top-up), expires, and
//! is good for one transaction.

use chrono::Duration;
use rand::Rng;
use uuid::Uuid;

use super::errors::ApiError;
use super::ledger::{CpmScope, CpmTokenRec, Ledger, PaymentOrder, Strategy};
use super::params::metadata_is_flat_string_map;
use regi_pokepay::wire::Timestamp;

/// Length of every CPM token.
pub const CPM_TOKEN_LEN: usize = 22;

/// Default lifetime of a token the customer app makes.
pub const DEFAULT_CPM_EXPIRES_IN: i64 = 300;

/// 22 random decimal digits, the barcode-friendly form the apps issue.
pub fn random_cpm_token(rng: &mut impl Rng) -> String {
    (0..CPM_TOKEN_LEN)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A transaction requested with a scanned token. `Debug` masks the token.
#[derive(Clone, PartialEq)]
pub struct CpmOrder {
    pub token: String,
    pub shop_user_id: Uuid,
    /// Negative = payment, positive = top-up.
    pub amount: i64,
    pub description: String,
    pub metadata: Option<String>,
    pub strategy: Strategy,
}

impl std::fmt::Debug for CpmOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpmOrder")
            .field("token", &regi_core::secret::MaskedTail(&self.token))
            .field("shop_user_id", &self.shop_user_id)
            .field("amount", &self.amount)
            .field("description", &self.description)
            .field("metadata", &self.metadata)
            .field("strategy", &self.strategy)
            .finish()
    }
}

impl Ledger {
    pub fn cpm_token(&self, token: &str) -> Option<&CpmTokenRec> {
        self.cpm_tokens.iter().find(|t| t.token == token)
    }

    /// Issues a token for a customer's wallet, as the customer app would.
    pub fn issue_cpm_token(
        &mut self,
        customer_user_id: Uuid,
        scopes: Vec<CpmScope>,
        expires_in: i64,
        mut fresh_token: impl FnMut() -> String,
        now: Timestamp,
    ) -> Result<String, ApiError> {
        if self.customer(customer_user_id).is_none() {
            return Err(ApiError::unprocessable("customer_account_not_found"));
        }
        if self.account_of(customer_user_id).is_none() {
            return Err(ApiError::unprocessable("account_not_found"));
        }
        if scopes.is_empty() {
            return Err(ApiError::invalid_parameter("scopes"));
        }
        let token = loop {
            let candidate = fresh_token();
            if self.cpm_token(&candidate).is_none() {
                break candidate;
            }
        };
        self.cpm_tokens.push(CpmTokenRec {
            token: token.clone(),
            customer_user_id,
            scopes,
            created_at: now,
            expires_at: now + Duration::seconds(expires_in.max(1)),
            metadata: "{}".to_string(),
            transaction_id: None,
        });
        Ok(token)
    }

    /// Makes the transaction a scanned token allows, at most once per token.
    pub fn transact_with_cpm(&mut self, order: CpmOrder, now: Timestamp) -> Result<Uuid, ApiError> {
        if self.shop(order.shop_user_id).is_none() {
            return Err(ApiError::unprocessable("shop_user_not_found"));
        }
        let token = self
            .cpm_token(&order.token)
            .ok_or_else(|| ApiError::unprocessable("cpm_token_not_found"))?
            .clone();
        if token.transaction_id.is_some() {
            return Err(ApiError::unprocessable("cpm_token_already_proceed"));
        }
        if token.expires_at <= now {
            return Err(ApiError::unprocessable("cpm_token_already_expired"));
        }
        let needed = if order.amount < 0 {
            CpmScope::Payment
        } else {
            CpmScope::Topup
        };
        if order.amount == 0 || !token.scopes.contains(&needed) {
            return Err(ApiError::new(403, "cpm_unacceptable_amount"));
        }
        if let Some(metadata) = &order.metadata
            && !metadata_is_flat_string_map(metadata)
        {
            return Err(ApiError::unprocessable("invalid_metadata"));
        }
        let customer_account_id = self
            .account_of(token.customer_user_id)
            .map(|a| a.id)
            .ok_or_else(|| ApiError::unprocessable("customer_account_not_found"))?;
        let shop_account_id = self
            .account_of(order.shop_user_id)
            .map(|a| a.id)
            .ok_or_else(|| ApiError::unprocessable("shop_account_not_found"))?;
        let tx = self.pay_or_topup(
            PaymentOrder {
                customer_account_id,
                shop_account_id,
                amount: order.amount,
                strategy: order.strategy,
                description: order.description,
                metadata: order.metadata,
            },
            now,
        )?;
        if let Some(stored) = self.cpm_tokens.iter_mut().find(|t| t.token == order.token) {
            stored.transaction_id = Some(tx);
        }
        Ok(tx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::tests::fresh;
    use crate::ledger::{CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn issue(ledger: &mut Ledger, name: &str, scopes: Vec<CpmScope>, now: Timestamp) -> String {
        let user = ledger.customer_by_name(name).unwrap().id;
        let mut rng = StdRng::seed_from_u64(1);
        ledger
            .issue_cpm_token(user, scopes, 300, || random_cpm_token(&mut rng), now)
            .unwrap()
    }

    fn order(ledger: &Ledger, token: &str, amount: i64) -> CpmOrder {
        CpmOrder {
            token: token.to_string(),
            shop_user_id: ledger.shops().next().unwrap().id,
            amount,
            description: String::new(),
            metadata: None,
            strategy: Strategy::PointPreferred,
        }
    }

    #[test]
    fn tokens_are_22_digits_and_unique() {
        let (mut ledger, now) = fresh();
        let a = issue(&mut ledger, CUSTOMER_RICH, vec![CpmScope::Payment], now);
        // The same seed yields the same first candidate: the ledger must pick another.
        let b = issue(&mut ledger, CUSTOMER_RICH, vec![CpmScope::Payment], now);
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|c| c.is_ascii_digit()));
        assert_ne!(a, b);
    }

    #[test]
    fn debug_of_tokens_orders_views_and_operations_masks_the_token() {
        let (mut ledger, now) = fresh();
        let token = issue(&mut ledger, CUSTOMER_RICH, vec![CpmScope::Payment], now);
        let view = ledger
            .cpm_token_view(ledger.cpm_token(&token).unwrap())
            .unwrap();
        let shown = format!(
            "{ledger:?} {:?} {view:?} {:?}",
            order(&ledger, &token, -100),
            // What a fault log line shows of the call: the operation, never its path parameter.
            regi_pokepay::endpoints::Operation::GetCpmToken
        );
        assert!(!shown.contains(&token), "{shown}");
        assert!(
            shown.contains(&token[18..]),
            "the tail stays to tell tokens apart"
        );
    }

    #[test]
    fn a_token_pays_once() {
        let (mut ledger, now) = fresh();
        let token = issue(&mut ledger, CUSTOMER_RICH, vec![CpmScope::Payment], now);
        let tx = ledger
            .transact_with_cpm(order(&ledger, &token, -1_200), now)
            .unwrap();
        assert_eq!(ledger.transaction(tx).unwrap().amount(), 1_200);
        assert_eq!(ledger.cpm_token(&token).unwrap().transaction_id, Some(tx));
        let again = ledger.transact_with_cpm(order(&ledger, &token, -1_200), now);
        assert_eq!(again.unwrap_err().kind, "cpm_token_already_proceed");
        assert_eq!(ledger.transactions.len(), 1);
    }

    #[test]
    fn expired_unknown_and_out_of_scope_tokens_are_refused() {
        let (mut ledger, now) = fresh();
        let token = issue(&mut ledger, CUSTOMER_RICH, vec![CpmScope::Payment], now);
        let topup = ledger.transact_with_cpm(order(&ledger, &token, 500), now);
        let err = topup.unwrap_err();
        assert_eq!(
            (err.status, err.kind.as_str()),
            (403, "cpm_unacceptable_amount")
        );
        let later = now + Duration::seconds(300);
        let late = ledger.transact_with_cpm(order(&ledger, &token, -100), later);
        assert_eq!(late.unwrap_err().kind, "cpm_token_already_expired");
        let unknown = ledger.transact_with_cpm(order(&ledger, &"9".repeat(22), -100), now);
        assert_eq!(unknown.unwrap_err().kind, "cpm_token_not_found");
        let mut bad_shop = order(&ledger, &token, -100);
        bad_shop.shop_user_id = Uuid::new_v4();
        assert_eq!(
            ledger.transact_with_cpm(bad_shop, now).unwrap_err().kind,
            "shop_user_not_found"
        );
    }

    #[test]
    fn a_failed_payment_leaves_the_token_usable() {
        let (mut ledger, now) = fresh();
        let token = issue(
            &mut ledger,
            CUSTOMER_POOR,
            vec![CpmScope::Payment, CpmScope::Topup],
            now,
        );
        let err = ledger
            .transact_with_cpm(order(&ledger, &token, -10_000), now)
            .unwrap_err();
        assert_eq!(err.kind, "account_balance_not_enough");
        assert!(
            ledger
                .transact_with_cpm(order(&ledger, &token, 1_000), now)
                .is_ok()
        );
    }

    #[test]
    fn metadata_must_be_flat_strings() {
        let (mut ledger, now) = fresh();
        let token = issue(&mut ledger, CUSTOMER_RICH, vec![CpmScope::Payment], now);
        let mut o = order(&ledger, &token, -100);
        o.metadata = Some(r#"{"a":{"b":1}}"#.into());
        assert_eq!(
            ledger.transact_with_cpm(o, now).unwrap_err().kind,
            "invalid_metadata"
        );
    }

    #[test]
    fn customers_without_a_wallet_get_no_token() {
        let (mut ledger, now) = fresh();
        let user = ledger.customer_by_name(CUSTOMER_NO_WALLET).unwrap().id;
        let err = ledger
            .issue_cpm_token(user, vec![CpmScope::Payment], 300, || "1".repeat(22), now)
            .unwrap_err();
        assert_eq!(err.kind, "account_not_found");
    }
}
