//! Ledger records as the API shows them (the shared `pokepay::wire` types). Fields the schema
//! allows to be null but the C# SDK reads as plain numbers/booleans are always filled in.

use uuid::Uuid;

use super::cashtrays::cashtray_url;
use super::errors::{Lang, message_for};
use super::ledger::{
    AccountRec, AttemptRec, CashtrayRec, CpmTokenRec, Ledger, TransactionKind, TransactionRec,
    UserRec,
};
use regi_pokepay::wire::{
    Account, AccountDetail, AccountWithUser, AccountWithoutPrivateMoneyDetail, Cashtray,
    CashtrayAttempt, CashtrayWithResult, CpmToken, Num, Organization, PrivateMoney, ShopAccount,
    ShopWithAccounts, Transaction, TransactionDetail, Transfer, User,
};

impl Ledger {
    pub fn user_view(&self, user: &UserRec) -> User {
        User {
            id: user.id,
            name: user.name.clone(),
            is_merchant: user.is_merchant,
        }
    }

    fn user_view_by_id(&self, id: Uuid) -> User {
        match self.user(id) {
            Some(u) => self.user_view(u),
            None => User {
                id,
                name: String::new(),
                is_merchant: false,
            },
        }
    }

    pub fn private_money_view(&self) -> PrivateMoney {
        let m = &self.money;
        PrivateMoney {
            id: m.id,
            name: m.name.clone(),
            unit: m.unit.clone(),
            is_exclusive: false,
            description: m.description.clone(),
            oneline_message: m.description.clone(),
            organization: Organization {
                code: self.organization.code.clone(),
                name: self.organization.name.clone(),
            },
            max_balance: Num::yen(m.max_balance),
            transfer_limit: Num::yen(m.transfer_limit),
            money_topup_transfer_limit: Num::yen(m.money_topup_transfer_limit),
            kind: "own".into(),
            expiration_type: "static".into(),
            enable_topup_by_member: Some(false),
            display_money_and_point: "both".into(),
        }
    }

    pub fn account_view(&self, account: &AccountRec) -> Account {
        Account {
            id: account.id,
            name: account.name.clone(),
            is_suspended: false,
            status: "active".into(),
            private_money: self.private_money_view(),
        }
    }

    fn account_view_by_id(&self, id: Uuid) -> Account {
        match self.account(id) {
            Some(a) => self.account_view(a),
            None => Account {
                id,
                name: String::new(),
                is_suspended: false,
                status: "closed".into(),
                private_money: self.private_money_view(),
            },
        }
    }

    pub fn account_with_user_view(&self, account: &AccountRec) -> AccountWithUser {
        AccountWithUser {
            account: self.account_view(account),
            user: self.user_view_by_id(account.user_id),
        }
    }

    pub fn account_detail_view(&self, account: &AccountRec) -> AccountDetail {
        AccountDetail {
            account: self.account_view(account),
            user: self.user_view_by_id(account.user_id),
            balance: Num::yen(account.balance()),
            money_balance: Num::yen(account.money_balance),
            point_balance: Num::yen(account.point_balance),
            point_debt: Num::yen(0),
            external_id: None,
        }
    }

    fn account_without_money_view(&self, id: Uuid) -> AccountWithoutPrivateMoneyDetail {
        let account = self.account_view_by_id(id);
        let user_id = self.account(id).map(|a| a.user_id).unwrap_or_default();
        AccountWithoutPrivateMoneyDetail {
            id,
            name: account.name,
            is_suspended: account.is_suspended,
            status: account.status,
            private_money_id: self.money.id,
            user: self.user_view_by_id(user_id),
        }
    }

    pub fn shop_view(&self, shop: &UserRec) -> ShopWithAccounts {
        let accounts = self
            .accounts
            .iter()
            .filter(|a| a.user_id == shop.id)
            .map(|a| ShopAccount {
                id: a.id,
                name: a.name.clone(),
                is_suspended: false,
                can_transfer_topup: true,
                private_money: self.private_money_view(),
            })
            .collect();
        ShopWithAccounts {
            id: shop.id,
            name: shop.name.clone(),
            organization_code: self.organization.code.clone(),
            status: "active".into(),
            postal_code: None,
            address: None,
            tel: None,
            email: None,
            external_id: None,
            accounts,
        }
    }

    pub fn transaction_view(&self, tx: &TransactionRec) -> Transaction {
        let (sender, sender_account, receiver, receiver_account) = match tx.kind {
            TransactionKind::Payment => (
                tx.customer_user_id,
                tx.customer_account_id,
                tx.shop_user_id,
                tx.shop_account_id,
            ),
            TransactionKind::Topup => (
                tx.shop_user_id,
                tx.shop_account_id,
                tx.customer_user_id,
                tx.customer_account_id,
            ),
        };
        Transaction {
            id: tx.id,
            kind: tx.kind.as_str().into(),
            is_modified: tx.is_refunded(),
            sender: self.user_view_by_id(sender),
            sender_account: self.account_view_by_id(sender_account),
            receiver: self.user_view_by_id(receiver),
            receiver_account: self.account_view_by_id(receiver_account),
            amount: Num::yen(tx.amount()),
            money_amount: Num::yen(tx.money_amount),
            point_amount: Num::yen(tx.point_amount),
            raw_point_amount: Some(Num::yen(tx.point_amount)),
            campaign_point_amount: Some(Num::yen(0)),
            done_at: tx.done_at,
            description: tx.description.clone(),
        }
    }

    /// The transaction with its transfers: the original movement and, once refunded, its reversal.
    pub fn transaction_detail_view(&self, tx: &TransactionRec) -> TransactionDetail {
        let (from, to) = match tx.kind {
            TransactionKind::Payment => (tx.customer_account_id, tx.shop_account_id),
            TransactionKind::Topup => (tx.shop_account_id, tx.customer_account_id),
        };
        let transfer = |id, from, to, kind: &str, description: &str, done_at| Transfer {
            id,
            sender_account: self.account_without_money_view(from),
            receiver_account: self.account_without_money_view(to),
            amount: Num::yen(tx.amount()),
            money_amount: Num::yen(tx.money_amount),
            point_amount: Num::yen(tx.point_amount),
            done_at,
            kind: kind.into(),
            description: description.into(),
            transaction_id: tx.id,
        };
        let mut transfers = vec![transfer(
            tx.transfer_id,
            from,
            to,
            tx.kind.as_str(),
            &tx.description,
            tx.done_at,
        )];
        if let Some(refund) = &tx.refund {
            let kind = match tx.kind {
                TransactionKind::Payment => "refund-payment",
                TransactionKind::Topup => "refund-topup",
            };
            transfers.push(transfer(
                refund.transfer_id,
                to,
                from,
                kind,
                &refund.description,
                refund.done_at,
            ));
        }
        TransactionDetail {
            transaction: self.transaction_view(tx),
            transfers,
        }
    }

    pub fn cashtray_view(&self, tray: &CashtrayRec) -> Cashtray {
        let account = match self.account_of(tray.shop_user_id) {
            Some(a) => self.account_with_user_view(a),
            None => AccountWithUser {
                account: self.account_view_by_id(Uuid::nil()),
                user: self.user_view_by_id(tray.shop_user_id),
            },
        };
        Cashtray {
            id: tray.id,
            amount: Num::yen(tray.amount),
            description: tray.description.clone(),
            account,
            expires_at: tray.expires_at,
            canceled_at: tray.canceled_at,
            token: cashtray_url(tray.id),
        }
    }

    fn attempt_view(&self, attempt: &AttemptRec, lang: Lang) -> CashtrayAttempt {
        CashtrayAttempt {
            account: self
                .account_of(attempt.customer_user_id)
                .map(|a| self.account_with_user_view(a)),
            status_code: Num::yen(i64::from(attempt.status_code)),
            error_message: if attempt.error_type.is_empty() {
                String::new()
            } else {
                message_for(&attempt.error_type, lang)
            },
            error_type: attempt.error_type.clone(),
            created_at: attempt.created_at,
        }
    }

    pub fn cashtray_with_result_view(&self, tray: &CashtrayRec, lang: Lang) -> CashtrayWithResult {
        CashtrayWithResult {
            cashtray: self.cashtray_view(tray),
            attempt: tray.shown_attempt().map(|a| self.attempt_view(a, lang)),
            transaction: self
                .cashtray_transaction(tray)
                .map(|tx| self.transaction_view(tx)),
        }
    }

    /// `None` only if the token's wallet has vanished, which the ledger never does.
    pub fn cpm_token_view(&self, token: &CpmTokenRec) -> Option<CpmToken> {
        let account = self.account_of(token.customer_user_id)?;
        Some(CpmToken {
            cpm_token: token.token.clone(),
            account: self.account_detail_view(account),
            transaction: token
                .transaction_id
                .and_then(|id| self.transaction(id))
                .map(|tx| self.transaction_view(tx)),
            event: None,
            scopes: token
                .scopes
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            expires_at: token.expires_at,
            metadata: token.metadata.clone(),
            strategy: Some("point-preferred".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::ledger::tests::{fresh, ids};
    use crate::ledger::{CUSTOMER_RICH, PaymentOrder, Strategy};

    #[test]
    fn transaction_json_has_every_documented_key_and_no_nulls_cs_cannot_read() {
        let (mut ledger, now) = fresh();
        let (shop_account_id, customer_account_id) = ids(&ledger, CUSTOMER_RICH);
        let id = ledger
            .pay(
                PaymentOrder {
                    customer_account_id,
                    shop_account_id,
                    amount: 5_000,
                    strategy: Strategy::PointPreferred,
                    description: "lunch".into(),
                    metadata: None,
                },
                now,
            )
            .unwrap();
        ledger.refund(id, "returned".into(), now).unwrap();
        let detail = ledger.transaction_detail_view(ledger.transaction(id).unwrap());
        let json = serde_json::to_value(&detail).unwrap();
        for key in [
            "id",
            "type",
            "is_modified",
            "sender",
            "sender_account",
            "receiver",
            "receiver_account",
            "amount",
            "money_amount",
            "point_amount",
            "raw_point_amount",
            "campaign_point_amount",
            "done_at",
            "description",
            "transfers",
        ] {
            assert!(json.get(key).is_some_and(|v| !v.is_null()), "{key}");
        }
        assert_eq!(json["type"], "payment");
        assert_eq!(json["is_modified"], true);
        assert_eq!(json["amount"], 5000);
        assert_eq!(json["point_amount"], 3000);
        assert_eq!(json["transfers"][1]["type"], "refund-payment");
        assert_eq!(json["sender"]["name"], CUSTOMER_RICH);
        let money = &json["sender_account"]["private_money"];
        assert_eq!(money["enable_topup_by_member"], false);
        assert_eq!(money["unit"], "円");
    }
}
