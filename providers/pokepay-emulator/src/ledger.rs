//! The sandbox's books: one organization, one private money, shops and customers with wallets,
//! and every transaction. Pure data plus rules; time comes in as an argument and nothing here does
//! I/O, so the whole ledger is one serde value that can be snapshotted.
//!
//! Cashtrays, CPM tokens and listings extend `Ledger` in their own files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::cards::{CardBillingRec, CardRec};
use super::credit_sessions::CreditSessionRec;
use super::errors::ApiError;
use regi_pokepay::wire::Timestamp;

/// Names of the customers every fresh ledger has.
pub const CUSTOMER_RICH: &str = "rich";
pub const CUSTOMER_POOR: &str = "poor";
pub const CUSTOMER_NO_WALLET: &str = "nowallet";
/// A wallet with nothing in it: every payment is refused for lack of balance.
pub const CUSTOMER_EMPTY: &str = "empty";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub organization: OrganizationRec,
    pub money: MoneyRec,
    pub users: Vec<UserRec>,
    pub accounts: Vec<AccountRec>,
    pub cashtrays: Vec<CashtrayRec>,
    pub cpm_tokens: Vec<CpmTokenRec>,
    /// In the order they were made.
    pub transactions: Vec<TransactionRec>,
    pub request_ids: BTreeMap<Uuid, RequestRec>,
    /// Customers' cards, the tabs (CreditSessions) on them and what captures billed (`cards`,
    /// `credit_sessions`); absent from snapshots written before tabs existed.
    #[serde(default)]
    pub cards: Vec<CardRec>,
    #[serde(default)]
    pub credit_sessions: Vec<CreditSessionRec>,
    #[serde(default)]
    pub card_billings: Vec<CardBillingRec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationRec {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoneyRec {
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    pub description: String,
    /// The most one wallet may hold (money + points).
    pub max_balance: i64,
    /// The largest single transaction.
    pub transfer_limit: i64,
    /// The largest money part of a single top-up.
    pub money_topup_transfer_limit: i64,
}

/// A user: a shop (merchant) or an end customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRec {
    pub id: Uuid,
    pub name: String,
    pub is_merchant: bool,
}

/// A wallet for the private money. Shops may go negative (they issue top-ups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRec {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub money_balance: i64,
    pub point_balance: i64,
    pub created_at: Timestamp,
}

impl AccountRec {
    pub fn balance(&self) -> i64 {
        self.money_balance + self.point_balance
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionKind {
    Payment,
    Topup,
}

impl TransactionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TransactionKind::Payment => "payment",
            TransactionKind::Topup => "topup",
        }
    }
}

/// Which part of a wallet a payment draws on first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Strategy {
    #[default]
    PointPreferred,
    MoneyOnly,
}

impl Strategy {
    pub const NAMES: [&'static str; 2] = ["point-preferred", "money-only"];

    pub fn parse(name: Option<&str>) -> Self {
        match name {
            Some("money-only") => Strategy::MoneyOnly,
            _ => Strategy::PointPreferred,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::PointPreferred => "point-preferred",
            Strategy::MoneyOnly => "money-only",
        }
    }
}

/// A payment (customer → shop) or top-up (shop → customer). Amounts are positive yen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionRec {
    pub id: Uuid,
    pub kind: TransactionKind,
    pub shop_user_id: Uuid,
    pub shop_account_id: Uuid,
    pub customer_user_id: Uuid,
    pub customer_account_id: Uuid,
    pub money_amount: i64,
    pub point_amount: i64,
    pub description: String,
    pub done_at: Timestamp,
    pub transfer_id: Uuid,
    #[serde(default)]
    pub metadata: Option<String>,
    #[serde(default)]
    pub refund: Option<RefundRec>,
}

impl TransactionRec {
    pub fn amount(&self) -> i64 {
        self.money_amount + self.point_amount
    }

    pub fn is_refunded(&self) -> bool {
        self.refund.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRec {
    pub transfer_id: Uuid,
    pub description: String,
    pub done_at: Timestamp,
}

/// What a `request_id` was first used for: the operation and its parameters, and the result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRec {
    pub fingerprint: String,
    pub transaction_id: Uuid,
}

/// One cashtray (merchant-presented QR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CashtrayRec {
    pub id: Uuid,
    /// Negative = payment, positive = top-up.
    pub amount: i64,
    pub description: String,
    pub shop_user_id: Uuid,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    #[serde(default)]
    pub canceled_at: Option<Timestamp>,
    /// Every scan, in order.
    #[serde(default)]
    pub attempts: Vec<AttemptRec>,
    #[serde(default)]
    pub transaction_id: Option<Uuid>,
}

/// One customer scan of a cashtray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRec {
    pub customer_user_id: Uuid,
    pub status_code: u16,
    /// Empty on success.
    pub error_type: String,
    pub created_at: Timestamp,
    /// Whether this scan used up the tray (a success or a transaction error).
    pub consumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CpmScope {
    Payment,
    Topup,
}

impl CpmScope {
    pub fn as_str(self) -> &'static str {
        match self {
            CpmScope::Payment => "payment",
            CpmScope::Topup => "topup",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "payment" => Some(CpmScope::Payment),
            "topup" => Some(CpmScope::Topup),
            _ => None,
        }
    }
}

/// A customer-presented code. `Debug` masks the token.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CpmTokenRec {
    pub token: String,
    pub customer_user_id: Uuid,
    pub scopes: Vec<CpmScope>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub metadata: String,
    #[serde(default)]
    pub transaction_id: Option<Uuid>,
}

impl std::fmt::Debug for CpmTokenRec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpmTokenRec")
            .field("token", &regi_core::secret::MaskedTail(&self.token))
            .field("customer_user_id", &self.customer_user_id)
            .field("scopes", &self.scopes)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("metadata", &self.metadata)
            .field("transaction_id", &self.transaction_id)
            .finish()
    }
}

impl Ledger {
    /// A fresh ledger: the organization, the money, one shop and the three customers.
    pub fn with_fixtures(mut new_id: impl FnMut() -> Uuid, now: Timestamp) -> Self {
        let mut ledger = Ledger {
            organization: OrganizationRec {
                code: "regi-sandbox".into(),
                name: "レジ サンドボックス".into(),
            },
            money: MoneyRec {
                id: new_id(),
                name: "ポケペイマネー".into(),
                unit: "円".into(),
                description: "Sandbox money for training and tests".into(),
                max_balance: 1_000_000,
                transfer_limit: 500_000,
                money_topup_transfer_limit: 100_000,
            },
            users: Vec::new(),
            accounts: Vec::new(),
            cashtrays: Vec::new(),
            cpm_tokens: Vec::new(),
            transactions: Vec::new(),
            request_ids: BTreeMap::new(),
            cards: Vec::new(),
            credit_sessions: Vec::new(),
            card_billings: Vec::new(),
        };
        let shop = ledger.add_user(new_id(), "サンドボックス店", true);
        ledger.add_account(new_id(), shop, 0, 0, now);
        let rich = ledger.add_user(new_id(), CUSTOMER_RICH, false);
        ledger.add_account(new_id(), rich, 500_000, 3_000, now);
        let poor = ledger.add_user(new_id(), CUSTOMER_POOR, false);
        ledger.add_account(new_id(), poor, 50, 10, now);
        ledger.add_user(new_id(), CUSTOMER_NO_WALLET, false);
        let empty = ledger.add_user(new_id(), CUSTOMER_EMPTY, false);
        ledger.add_account(new_id(), empty, 0, 0, now);
        ledger.add_card_fixtures(now);
        ledger
    }

    fn add_user(&mut self, id: Uuid, name: &str, is_merchant: bool) -> Uuid {
        self.users.push(UserRec {
            id,
            name: name.to_string(),
            is_merchant,
        });
        id
    }

    fn add_account(&mut self, id: Uuid, user_id: Uuid, money: i64, points: i64, now: Timestamp) {
        self.accounts.push(AccountRec {
            id,
            user_id,
            name: self.money.name.clone(),
            money_balance: money,
            point_balance: points,
            created_at: now,
        });
    }

    // ---- lookups -------------------------------------------------------------------------

    pub fn user(&self, id: Uuid) -> Option<&UserRec> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn shop(&self, id: Uuid) -> Option<&UserRec> {
        self.user(id).filter(|u| u.is_merchant)
    }

    pub fn customer(&self, id: Uuid) -> Option<&UserRec> {
        self.user(id).filter(|u| !u.is_merchant)
    }

    pub fn customer_by_name(&self, name: &str) -> Option<&UserRec> {
        self.users.iter().find(|u| !u.is_merchant && u.name == name)
    }

    pub fn shops(&self) -> impl Iterator<Item = &UserRec> {
        self.users.iter().filter(|u| u.is_merchant)
    }

    pub fn customers(&self) -> impl Iterator<Item = &UserRec> {
        self.users.iter().filter(|u| !u.is_merchant)
    }

    /// The user's wallet for the money, if they have one.
    pub fn account_of(&self, user_id: Uuid) -> Option<&AccountRec> {
        self.accounts.iter().find(|a| a.user_id == user_id)
    }

    pub fn account(&self, id: Uuid) -> Option<&AccountRec> {
        self.accounts.iter().find(|a| a.id == id)
    }

    fn account_mut(&mut self, id: Uuid) -> Option<&mut AccountRec> {
        self.accounts.iter_mut().find(|a| a.id == id)
    }

    pub fn transaction(&self, id: Uuid) -> Option<&TransactionRec> {
        self.transactions.iter().find(|t| t.id == id)
    }

    // ---- money movements -----------------------------------------------------------------

    /// Moves `amount` from the customer's wallet to the shop's. Points go first unless the
    /// strategy says money only.
    pub fn pay(&mut self, order: PaymentOrder, now: Timestamp) -> Result<Uuid, ApiError> {
        let customer = self
            .account(order.customer_account_id)
            .ok_or_else(|| ApiError::unprocessable("customer_account_not_found"))?;
        if self.account(order.shop_account_id).is_none() {
            return Err(ApiError::unprocessable("shop_account_not_found"));
        }
        if order.amount < 0 {
            return Err(ApiError::invalid_parameter("amount"));
        }
        if order.amount > self.money.transfer_limit {
            return Err(ApiError::unprocessable("account_transfer_limit_exceeded"));
        }
        let points = match order.strategy {
            Strategy::PointPreferred => customer.point_balance.clamp(0, order.amount),
            Strategy::MoneyOnly => 0,
        };
        let money = order.amount - points;
        if money > customer.money_balance {
            return Err(ApiError::unprocessable("account_balance_not_enough"));
        }
        let (customer_user_id, shop_user_id) =
            (customer.user_id, self.owner(order.shop_account_id));
        self.adjust(order.customer_account_id, -money, -points);
        self.adjust(order.shop_account_id, order.amount, 0);
        Ok(self.record(TransactionRec {
            id: Uuid::new_v4(),
            kind: TransactionKind::Payment,
            shop_user_id,
            shop_account_id: order.shop_account_id,
            customer_user_id,
            customer_account_id: order.customer_account_id,
            money_amount: money,
            point_amount: points,
            description: order.description,
            done_at: now,
            transfer_id: Uuid::new_v4(),
            metadata: order.metadata,
            refund: None,
        }))
    }

    /// Moves money (and points) from the shop to the customer's wallet.
    pub fn topup(&mut self, order: TopupOrder, now: Timestamp) -> Result<Uuid, ApiError> {
        let customer = self
            .account(order.customer_account_id)
            .ok_or_else(|| ApiError::unprocessable("customer_account_not_found"))?;
        if self.account(order.shop_account_id).is_none() {
            return Err(ApiError::unprocessable("shop_account_not_found"));
        }
        if order.money < 0 || order.points < 0 {
            return Err(ApiError::invalid_parameter("amount"));
        }
        let amount = order.money + order.points;
        if order.money > self.money.money_topup_transfer_limit {
            return Err(ApiError::unprocessable(
                "account_money_topup_transfer_limit_exceeded",
            ));
        }
        if amount > self.money.transfer_limit {
            return Err(ApiError::unprocessable("account_transfer_limit_exceeded"));
        }
        if customer.balance() + amount > self.money.max_balance {
            return Err(ApiError::unprocessable("account_balance_exceeded"));
        }
        let (customer_user_id, shop_user_id) =
            (customer.user_id, self.owner(order.shop_account_id));
        self.adjust(order.shop_account_id, -amount, 0);
        self.adjust(order.customer_account_id, order.money, order.points);
        Ok(self.record(TransactionRec {
            id: Uuid::new_v4(),
            kind: TransactionKind::Topup,
            shop_user_id,
            shop_account_id: order.shop_account_id,
            customer_user_id,
            customer_account_id: order.customer_account_id,
            money_amount: order.money,
            point_amount: order.points,
            description: order.description,
            done_at: now,
            transfer_id: Uuid::new_v4(),
            metadata: order.metadata,
            refund: None,
        }))
    }

    /// The movement a cashtray or CPM token carries: `order.amount` is signed here, negative pays
    /// the shop that much, positive tops the customer up with that much money.
    pub fn pay_or_topup(&mut self, order: PaymentOrder, now: Timestamp) -> Result<Uuid, ApiError> {
        if order.amount < 0 {
            self.pay(
                PaymentOrder {
                    amount: -order.amount,
                    ..order
                },
                now,
            )
        } else {
            self.topup(
                TopupOrder {
                    customer_account_id: order.customer_account_id,
                    shop_account_id: order.shop_account_id,
                    money: order.amount,
                    points: 0,
                    description: order.description,
                    metadata: order.metadata,
                },
                now,
            )
        }
    }

    /// Reverses a transaction once: balances go back and the transaction becomes modified.
    pub fn refund(
        &mut self,
        transaction_id: Uuid,
        description: String,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let tx = self
            .transaction(transaction_id)
            .ok_or_else(|| ApiError::unprocessable("transaction_not_found"))?
            .clone();
        if tx.is_refunded() {
            return Err(ApiError::unprocessable("transaction_already_refunded"));
        }
        match tx.kind {
            TransactionKind::Payment => {
                self.adjust(tx.customer_account_id, tx.money_amount, tx.point_amount);
                self.adjust(tx.shop_account_id, -tx.amount(), 0);
            }
            TransactionKind::Topup => {
                let customer = self
                    .account(tx.customer_account_id)
                    .ok_or_else(|| ApiError::unprocessable("account_not_found"))?;
                if customer.money_balance < tx.money_amount
                    || customer.point_balance < tx.point_amount
                {
                    return Err(ApiError::unprocessable("account_balance_not_enough"));
                }
                self.adjust(tx.customer_account_id, -tx.money_amount, -tx.point_amount);
                self.adjust(tx.shop_account_id, tx.amount(), 0);
            }
        }
        if let Some(stored) = self.transactions.iter_mut().find(|t| t.id == tx.id) {
            stored.refund = Some(RefundRec {
                transfer_id: Uuid::new_v4(),
                description,
                done_at: now,
            });
        }
        Ok(())
    }

    /// Runs `create` under a `request_id`: a known id with the same fingerprint returns its
    /// transaction without running anything; a known id with another fingerprint is a conflict;
    /// a new id is remembered only if `create` succeeds.
    pub fn with_request_id(
        &mut self,
        request_id: Option<Uuid>,
        fingerprint: &str,
        create: impl FnOnce(&mut Self) -> Result<Uuid, ApiError>,
    ) -> Result<Uuid, ApiError> {
        if let Some(id) = request_id
            && let Some(seen) = self.request_ids.get(&id)
        {
            return if seen.fingerprint == fingerprint {
                Ok(seen.transaction_id)
            } else {
                Err(ApiError::unprocessable("request_id_conflict"))
            };
        }
        let transaction_id = create(self)?;
        if let Some(id) = request_id {
            self.request_ids.insert(
                id,
                RequestRec {
                    fingerprint: fingerprint.to_string(),
                    transaction_id,
                },
            );
        }
        Ok(transaction_id)
    }

    pub fn transaction_by_request_id(&self, request_id: Uuid) -> Option<&TransactionRec> {
        let seen = self.request_ids.get(&request_id)?;
        self.transaction(seen.transaction_id)
    }

    fn owner(&self, account_id: Uuid) -> Uuid {
        self.account(account_id)
            .map(|a| a.user_id)
            .unwrap_or_default()
    }

    fn adjust(&mut self, account_id: Uuid, money: i64, points: i64) {
        if let Some(account) = self.account_mut(account_id) {
            account.money_balance += money;
            account.point_balance += points;
        }
    }

    fn record(&mut self, tx: TransactionRec) -> Uuid {
        let id = tx.id;
        self.transactions.push(tx);
        id
    }
}

/// A payment to make: who pays whom, how much, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentOrder {
    pub customer_account_id: Uuid,
    pub shop_account_id: Uuid,
    pub amount: i64,
    pub strategy: Strategy,
    pub description: String,
    pub metadata: Option<String>,
}

/// A top-up to make.
#[derive(Debug, Clone, PartialEq)]
pub struct TopupOrder {
    pub customer_account_id: Uuid,
    pub shop_account_id: Uuid,
    pub money: i64,
    pub points: i64,
    pub description: String,
    pub metadata: Option<String>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::{Clock, SystemClock};

    pub(crate) fn fresh() -> (Ledger, Timestamp) {
        let now = SystemClock.now();
        (Ledger::with_fixtures(Uuid::new_v4, now), now)
    }

    pub(crate) fn ids(ledger: &Ledger, customer: &str) -> (Uuid, Uuid) {
        let shop = ledger.shops().next().unwrap().id;
        let shop_account = ledger.account_of(shop).unwrap().id;
        let user = ledger.customer_by_name(customer).unwrap().id;
        let account = ledger.account_of(user).map(|a| a.id).unwrap_or_default();
        (shop_account, account)
    }

    fn payment(ledger: &Ledger, customer: &str, amount: i64, strategy: Strategy) -> PaymentOrder {
        let (shop_account_id, customer_account_id) = ids(ledger, customer);
        PaymentOrder {
            customer_account_id,
            shop_account_id,
            amount,
            strategy,
            description: String::new(),
            metadata: None,
        }
    }

    fn balances(ledger: &Ledger, customer: &str) -> (i64, i64) {
        let user = ledger.customer_by_name(customer).unwrap().id;
        let a = ledger.account_of(user).unwrap();
        (a.money_balance, a.point_balance)
    }

    #[test]
    fn fixtures_have_rich_poor_and_walletless_customers() {
        let (ledger, _) = fresh();
        assert_eq!(ledger.shops().count(), 1);
        let rich = ledger.customer_by_name(CUSTOMER_RICH).unwrap();
        assert!(ledger.account_of(rich.id).unwrap().balance() > 100_000);
        let poor = ledger.customer_by_name(CUSTOMER_POOR).unwrap();
        assert!(ledger.account_of(poor.id).unwrap().balance() < 100);
        let none = ledger.customer_by_name(CUSTOMER_NO_WALLET).unwrap();
        assert!(ledger.account_of(none.id).is_none());
    }

    #[test]
    fn payment_uses_points_first_unless_money_only() {
        let (mut ledger, now) = fresh();
        let order = payment(&ledger, CUSTOMER_RICH, 5_000, Strategy::PointPreferred);
        let id = ledger.pay(order, now).unwrap();
        let tx = ledger.transaction(id).unwrap();
        assert_eq!((tx.money_amount, tx.point_amount), (2_000, 3_000));
        assert_eq!(balances(&ledger, CUSTOMER_RICH), (498_000, 0));

        let (mut ledger, now) = fresh();
        let order = payment(&ledger, CUSTOMER_RICH, 5_000, Strategy::MoneyOnly);
        let id = ledger.pay(order, now).unwrap();
        let tx = ledger.transaction(id).unwrap();
        assert_eq!((tx.money_amount, tx.point_amount), (5_000, 0));
        assert_eq!(balances(&ledger, CUSTOMER_RICH), (495_000, 3_000));
        let shop = ledger.account(tx.shop_account_id).unwrap();
        assert_eq!(shop.money_balance, 5_000);
    }

    #[test]
    fn payment_limits_and_balance_are_enforced() {
        let (mut ledger, now) = fresh();
        let order = payment(&ledger, CUSTOMER_POOR, 61, Strategy::PointPreferred);
        assert_eq!(
            ledger.pay(order, now).unwrap_err().kind,
            "account_balance_not_enough"
        );
        let order = payment(&ledger, CUSTOMER_POOR, 60, Strategy::PointPreferred);
        assert!(ledger.pay(order, now).is_ok());
        let order = payment(&ledger, CUSTOMER_RICH, 500_001, Strategy::PointPreferred);
        assert_eq!(
            ledger.pay(order, now).unwrap_err().kind,
            "account_transfer_limit_exceeded"
        );
    }

    #[test]
    fn topup_limits_are_enforced() {
        let (mut ledger, now) = fresh();
        let (shop_account_id, customer_account_id) = ids(&ledger, CUSTOMER_RICH);
        let order = |money| TopupOrder {
            customer_account_id,
            shop_account_id,
            money,
            points: 0,
            description: String::new(),
            metadata: None,
        };
        assert_eq!(
            ledger.topup(order(100_001), now).unwrap_err().kind,
            "account_money_topup_transfer_limit_exceeded"
        );
        for _ in 0..4 {
            ledger.topup(order(100_000), now).unwrap();
        }
        assert_eq!(balances(&ledger, CUSTOMER_RICH), (900_000, 3_000));
        assert_eq!(
            ledger.topup(order(97_001), now).unwrap_err().kind,
            "account_balance_exceeded"
        );
        ledger.topup(order(97_000), now).unwrap();
    }

    #[test]
    fn refund_restores_balances_once() {
        let (mut ledger, now) = fresh();
        let before = ledger.clone();
        let order = payment(&ledger, CUSTOMER_RICH, 5_000, Strategy::PointPreferred);
        let id = ledger.pay(order, now).unwrap();
        ledger.refund(id, "returned".into(), now).unwrap();
        assert_eq!(ledger.accounts, before.accounts);
        assert!(ledger.transaction(id).unwrap().is_refunded());
        assert_eq!(
            ledger.refund(id, String::new(), now).unwrap_err().kind,
            "transaction_already_refunded"
        );
        assert_eq!(
            ledger
                .refund(Uuid::new_v4(), String::new(), now)
                .unwrap_err()
                .kind,
            "transaction_not_found"
        );
    }

    #[test]
    fn refunding_a_spent_topup_fails() {
        let (mut ledger, now) = fresh();
        let (shop_account_id, customer_account_id) = ids(&ledger, CUSTOMER_POOR);
        let topup = ledger
            .topup(
                TopupOrder {
                    customer_account_id,
                    shop_account_id,
                    money: 1_000,
                    points: 0,
                    description: String::new(),
                    metadata: None,
                },
                now,
            )
            .unwrap();
        let spend = payment(&ledger, CUSTOMER_POOR, 1_000, Strategy::MoneyOnly);
        ledger.pay(spend, now).unwrap();
        assert_eq!(
            ledger.refund(topup, String::new(), now).unwrap_err().kind,
            "account_balance_not_enough"
        );
    }

    #[test]
    fn request_ids_are_idempotent_and_conflicts_are_refused() {
        let (mut ledger, now) = fresh();
        let rid = Uuid::new_v4();
        let order = payment(&ledger, CUSTOMER_RICH, 100, Strategy::PointPreferred);
        let first = ledger
            .with_request_id(Some(rid), "a", |l| l.pay(order.clone(), now))
            .unwrap();
        let again = ledger
            .with_request_id(Some(rid), "a", |l| l.pay(order.clone(), now))
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(ledger.transactions.len(), 1);
        assert_eq!(
            ledger
                .with_request_id(Some(rid), "b", |l| l.pay(order.clone(), now))
                .unwrap_err()
                .kind,
            "request_id_conflict"
        );
        assert_eq!(ledger.transaction_by_request_id(rid).unwrap().id, first);
    }

    #[test]
    fn a_failed_creation_does_not_claim_the_request_id() {
        let (mut ledger, now) = fresh();
        let rid = Uuid::new_v4();
        let too_much = payment(&ledger, CUSTOMER_POOR, 10_000, Strategy::PointPreferred);
        assert!(
            ledger
                .with_request_id(Some(rid), "a", |l| l.pay(too_much, now))
                .is_err()
        );
        assert!(ledger.request_ids.is_empty());
        assert!(ledger.transaction_by_request_id(rid).is_none());
    }
}
