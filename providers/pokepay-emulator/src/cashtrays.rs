//! Cashtrays: merchant-presented QR codes that a customer scans once. A tray is used up by the
//! first scan that succeeds or ends in a transaction error; scans of a used, cancelled or expired
//! tray are refused and recorded too.

use chrono::Duration;
use uuid::Uuid;

use super::errors::ApiError;
use super::ledger::{AttemptRec, CashtrayRec, Ledger, PaymentOrder, Strategy, TransactionRec};
use regi_pokepay::wire::Timestamp;

/// The API's default lifetime of a tray.
pub const DEFAULT_CASHTRAY_EXPIRES_IN: i64 = 1800;

/// Where the QR code of a tray points.
pub const CASHTRAY_URL_PREFIX: &str = "https://www-sandbox.pokepay.jp/cashtrays/";

pub fn cashtray_url(id: Uuid) -> String {
    format!("{CASHTRAY_URL_PREFIX}{id}")
}

/// Reads a tray id from a scanned URL (`…/cashtrays/{id}`, any host) or a bare id.
pub fn cashtray_id_from(text: &str) -> Option<Uuid> {
    let text = text.trim();
    let tail = text
        .split(['?', '#'])
        .next()
        .unwrap_or(text)
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(text);
    Uuid::parse_str(tail).ok()
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCashtray {
    pub private_money_id: Uuid,
    pub shop_user_id: Uuid,
    pub amount: i64,
    pub description: String,
    pub expires_in: i64,
}

/// The changes `UpdateCashtray` may make; `None` leaves a field alone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CashtrayChanges {
    pub amount: Option<i64>,
    pub description: Option<String>,
    pub expires_in: Option<i64>,
}

impl CashtrayRec {
    /// The scan that used the tray up, else the latest scan.
    pub fn shown_attempt(&self) -> Option<&AttemptRec> {
        self.attempts
            .iter()
            .rev()
            .find(|a| a.consumed)
            .or_else(|| self.attempts.last())
    }

    pub fn is_used(&self) -> bool {
        self.attempts.iter().any(|a| a.consumed)
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at <= now
    }

    /// Why the tray can no longer be scanned, changed or cancelled, if it cannot.
    fn closed_reason(&self, now: Timestamp) -> Option<&'static str> {
        if self.is_used() {
            Some("cashtray_already_proceed")
        } else if self.canceled_at.is_some() {
            Some("cashtray_already_canceled")
        } else if self.is_expired(now) {
            Some("cashtray_expired")
        } else {
            None
        }
    }
}

impl Ledger {
    pub fn cashtray(&self, id: Uuid) -> Option<&CashtrayRec> {
        self.cashtrays.iter().find(|c| c.id == id)
    }

    fn cashtray_mut(&mut self, id: Uuid) -> Option<&mut CashtrayRec> {
        self.cashtrays.iter_mut().find(|c| c.id == id)
    }

    pub fn create_cashtray(&mut self, new: NewCashtray, now: Timestamp) -> Result<Uuid, ApiError> {
        if self.shop(new.shop_user_id).is_none() {
            return Err(ApiError::unprocessable("shop_user_not_found"));
        }
        if new.private_money_id != self.money.id || self.account_of(new.shop_user_id).is_none() {
            return Err(ApiError::unprocessable("account_not_found"));
        }
        let id = Uuid::new_v4();
        self.cashtrays.push(CashtrayRec {
            id,
            amount: new.amount,
            description: new.description,
            shop_user_id: new.shop_user_id,
            created_at: now,
            expires_at: now + Duration::seconds(new.expires_in),
            canceled_at: None,
            attempts: Vec::new(),
            transaction_id: None,
        });
        Ok(id)
    }

    /// Cancels an open tray; a used, cancelled or expired one is refused.
    pub fn cancel_cashtray(&mut self, id: Uuid, now: Timestamp) -> Result<(), ApiError> {
        let tray = self.cashtray_mut(id).ok_or_else(ApiError::not_found)?;
        if let Some(reason) = tray.closed_reason(now) {
            return Err(ApiError::unprocessable(reason));
        }
        tray.canceled_at = Some(now);
        Ok(())
    }

    /// Changes an open tray; a new `expires_in` counts from now.
    pub fn update_cashtray(
        &mut self,
        id: Uuid,
        changes: CashtrayChanges,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let tray = self.cashtray_mut(id).ok_or_else(ApiError::not_found)?;
        if let Some(reason) = tray.closed_reason(now) {
            return Err(ApiError::unprocessable(reason));
        }
        if let Some(amount) = changes.amount {
            tray.amount = amount;
        }
        if let Some(description) = changes.description {
            tray.description = description;
        }
        if let Some(seconds) = changes.expires_in {
            tray.expires_at = now + Duration::seconds(seconds);
        }
        Ok(())
    }

    /// A customer scans the tray. Every scan of an existing tray by a known customer is recorded
    /// as an attempt — also when this returns an error — so the shop sees why it failed.
    pub fn scan_cashtray(
        &mut self,
        id: Uuid,
        customer_user_id: Uuid,
        strategy: Strategy,
        now: Timestamp,
    ) -> Result<Uuid, ApiError> {
        let tray = self
            .cashtray(id)
            .ok_or_else(|| ApiError::unprocessable("cashtray_not_found"))?
            .clone();
        if self.customer(customer_user_id).is_none() {
            return Err(ApiError::unprocessable("account_not_found"));
        }
        if let Some(reason) = tray.closed_reason(now) {
            self.record_attempt(id, customer_user_id, Err(reason.to_string()), false, now);
            return Err(ApiError::unprocessable(reason));
        }
        let result = self.settle_cashtray(&tray, customer_user_id, strategy, now);
        let outcome = result.as_ref().map(|tx| *tx).map_err(|e| e.kind.clone());
        self.record_attempt(id, customer_user_id, outcome, true, now);
        result
    }

    fn settle_cashtray(
        &mut self,
        tray: &CashtrayRec,
        customer_user_id: Uuid,
        strategy: Strategy,
        now: Timestamp,
    ) -> Result<Uuid, ApiError> {
        let customer_account_id = self
            .account_of(customer_user_id)
            .map(|a| a.id)
            .ok_or_else(|| ApiError::unprocessable("account_not_found"))?;
        let shop_account_id = self
            .account_of(tray.shop_user_id)
            .map(|a| a.id)
            .ok_or_else(|| ApiError::unprocessable("account_not_found"))?;
        self.pay_or_topup(
            PaymentOrder {
                customer_account_id,
                shop_account_id,
                amount: tray.amount,
                strategy,
                description: tray.description.clone(),
                metadata: None,
            },
            now,
        )
    }

    fn record_attempt(
        &mut self,
        id: Uuid,
        customer_user_id: Uuid,
        outcome: Result<Uuid, String>,
        consumed: bool,
        now: Timestamp,
    ) {
        let Some(tray) = self.cashtray_mut(id) else {
            return;
        };
        let (status_code, error_type) = match outcome {
            Ok(tx) => {
                tray.transaction_id = Some(tx);
                (200, String::new())
            }
            Err(kind) => (422, kind),
        };
        tray.attempts.push(AttemptRec {
            customer_user_id,
            status_code,
            error_type,
            created_at: now,
            consumed,
        });
    }

    /// The transaction a tray produced, if it was paid.
    pub fn cashtray_transaction(&self, tray: &CashtrayRec) -> Option<&TransactionRec> {
        tray.transaction_id.and_then(|id| self.transaction(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::tests::fresh;
    use crate::ledger::{CUSTOMER_NO_WALLET, CUSTOMER_POOR, CUSTOMER_RICH};

    fn tray(ledger: &mut Ledger, amount: i64, now: Timestamp) -> Uuid {
        let shop = ledger.shops().next().unwrap().id;
        ledger
            .create_cashtray(
                NewCashtray {
                    private_money_id: ledger.money.id,
                    shop_user_id: shop,
                    amount,
                    description: "test".into(),
                    expires_in: 60,
                },
                now,
            )
            .unwrap()
    }

    fn customer(ledger: &Ledger, name: &str) -> Uuid {
        ledger.customer_by_name(name).unwrap().id
    }

    #[test]
    fn url_and_bare_ids_are_read() {
        let id = Uuid::new_v4();
        assert_eq!(cashtray_id_from(&cashtray_url(id)), Some(id));
        assert_eq!(cashtray_id_from(&id.to_string()), Some(id));
        assert_eq!(
            cashtray_id_from(&format!("https://www.pokepay.jp/cashtrays/{id}/?x=1")),
            Some(id)
        );
        assert_eq!(cashtray_id_from("https://example.com/cashtrays/"), None);
        assert_eq!(cashtray_id_from(""), None);
    }

    #[test]
    fn paid_tray_records_a_successful_attempt_and_then_refuses() {
        let (mut ledger, now) = fresh();
        let id = tray(&mut ledger, -1_000, now);
        let rich = customer(&ledger, CUSTOMER_RICH);
        let tx = ledger
            .scan_cashtray(id, rich, Strategy::PointPreferred, now)
            .unwrap();
        let t = ledger.cashtray(id).unwrap();
        assert_eq!(t.transaction_id, Some(tx));
        let shown = t.shown_attempt().unwrap();
        assert_eq!((shown.status_code, shown.error_type.as_str()), (200, ""));

        let again = ledger.scan_cashtray(id, rich, Strategy::PointPreferred, now);
        assert_eq!(again.unwrap_err().kind, "cashtray_already_proceed");
        let t = ledger.cashtray(id).unwrap();
        assert_eq!(t.attempts.len(), 2);
        assert_eq!(t.shown_attempt().unwrap().status_code, 200);
        assert_eq!(
            ledger.cancel_cashtray(id, now).unwrap_err().kind,
            "cashtray_already_proceed"
        );
        assert_eq!(ledger.transactions.len(), 1);
    }

    #[test]
    fn a_failed_scan_uses_the_tray_up() {
        let (mut ledger, now) = fresh();
        let id = tray(&mut ledger, -10_000, now);
        let poor = customer(&ledger, CUSTOMER_POOR);
        let err = ledger
            .scan_cashtray(id, poor, Strategy::PointPreferred, now)
            .unwrap_err();
        assert_eq!(err.kind, "account_balance_not_enough");
        let rich = customer(&ledger, CUSTOMER_RICH);
        let err = ledger
            .scan_cashtray(id, rich, Strategy::PointPreferred, now)
            .unwrap_err();
        assert_eq!(err.kind, "cashtray_already_proceed");
        let t = ledger.cashtray(id).unwrap();
        assert_eq!(
            t.shown_attempt().unwrap().error_type,
            "account_balance_not_enough"
        );
        assert!(ledger.cashtray_transaction(t).is_none());
        assert!(ledger.transactions.is_empty());
    }

    #[test]
    fn no_wallet_scan_is_recorded_as_account_not_found() {
        let (mut ledger, now) = fresh();
        let id = tray(&mut ledger, -100, now);
        let nowallet = customer(&ledger, CUSTOMER_NO_WALLET);
        let err = ledger
            .scan_cashtray(id, nowallet, Strategy::PointPreferred, now)
            .unwrap_err();
        assert_eq!(err.kind, "account_not_found");
        assert_eq!(
            ledger
                .cashtray(id)
                .unwrap()
                .shown_attempt()
                .unwrap()
                .error_type,
            "account_not_found"
        );
    }

    #[test]
    fn expired_and_cancelled_trays_refuse_scans() {
        let (mut ledger, now) = fresh();
        let rich = customer(&ledger, CUSTOMER_RICH);
        let expiring = tray(&mut ledger, -100, now);
        let later = now + Duration::seconds(60);
        let err = ledger
            .scan_cashtray(expiring, rich, Strategy::PointPreferred, later)
            .unwrap_err();
        assert_eq!(err.kind, "cashtray_expired");
        assert_eq!(
            ledger.cancel_cashtray(expiring, later).unwrap_err().kind,
            "cashtray_expired"
        );

        let cancelled = tray(&mut ledger, -100, now);
        ledger.cancel_cashtray(cancelled, now).unwrap();
        assert_eq!(ledger.cashtray(cancelled).unwrap().canceled_at, Some(now));
        let err = ledger
            .scan_cashtray(cancelled, rich, Strategy::PointPreferred, now)
            .unwrap_err();
        assert_eq!(err.kind, "cashtray_already_canceled");
        assert_eq!(
            ledger.cancel_cashtray(cancelled, now).unwrap_err().kind,
            "cashtray_already_canceled"
        );
        assert!(ledger.transactions.is_empty());
    }

    #[test]
    fn update_changes_only_given_fields() {
        let (mut ledger, now) = fresh();
        let id = tray(&mut ledger, -100, now);
        let later = now + Duration::seconds(30);
        ledger
            .update_cashtray(
                id,
                CashtrayChanges {
                    amount: Some(-250),
                    expires_in: Some(600),
                    ..Default::default()
                },
                later,
            )
            .unwrap();
        let t = ledger.cashtray(id).unwrap();
        assert_eq!(t.amount, -250);
        assert_eq!(t.description, "test");
        assert_eq!(t.expires_at, later + Duration::seconds(600));
        assert_eq!(
            ledger
                .update_cashtray(Uuid::new_v4(), CashtrayChanges::default(), now)
                .unwrap_err()
                .status,
            404
        );
    }

    #[test]
    fn topup_tray_credits_the_customer() {
        let (mut ledger, now) = fresh();
        let id = tray(&mut ledger, 700, now);
        let poor = customer(&ledger, CUSTOMER_POOR);
        let tx = ledger
            .scan_cashtray(id, poor, Strategy::PointPreferred, now)
            .unwrap();
        assert_eq!(ledger.transaction(tx).unwrap().money_amount, 700);
        assert_eq!(ledger.account_of(poor).unwrap().money_balance, 750);
    }

    #[test]
    fn unknown_shop_money_and_tray_are_refused() {
        let (mut ledger, now) = fresh();
        let shop = ledger.shops().next().unwrap().id;
        let base = NewCashtray {
            private_money_id: ledger.money.id,
            shop_user_id: Uuid::new_v4(),
            amount: -1,
            description: String::new(),
            expires_in: 10,
        };
        assert_eq!(
            ledger.create_cashtray(base.clone(), now).unwrap_err().kind,
            "shop_user_not_found"
        );
        let other_money = NewCashtray {
            private_money_id: Uuid::new_v4(),
            shop_user_id: shop,
            ..base
        };
        assert_eq!(
            ledger.create_cashtray(other_money, now).unwrap_err().kind,
            "account_not_found"
        );
        let rich = customer(&ledger, CUSTOMER_RICH);
        assert_eq!(
            ledger
                .scan_cashtray(Uuid::new_v4(), rich, Strategy::PointPreferred, now)
                .unwrap_err()
                .kind,
            "cashtray_not_found"
        );
    }
}
