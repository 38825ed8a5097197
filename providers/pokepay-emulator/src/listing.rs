//! Listings: transactions with filters and cursor paging (newest first), and the page arithmetic
//! of the page-numbered endpoints.

use uuid::Uuid;

use super::ledger::{Ledger, TransactionRec};
use regi_pokepay::wire::{Pagination, Timestamp};

/// The filters of `ListTransactionsV2`; every field narrows, `None`/empty means "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionFilter {
    pub private_money_id: Option<Uuid>,
    pub organization_code: Option<String>,
    pub shop_id: Option<Uuid>,
    pub terminal_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Partial match on the customer's name.
    pub customer_name: Option<String>,
    /// Exact match.
    pub description: Option<String>,
    /// Prefix of the transaction id.
    pub transaction_id: Option<String>,
    /// `true` keeps only refunded transactions; `false` filters nothing.
    pub only_modified: bool,
    pub types: Vec<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// Which slice of the newest-first list to return.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Cursor {
    #[default]
    First,
    /// Rows older than this one.
    After(Uuid),
    /// Rows newer than this one.
    Before(Uuid),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CursorPage<'a> {
    pub rows: Vec<&'a TransactionRec>,
    /// How many transactions match the filter in all.
    pub total: usize,
    pub next_page_cursor_id: Option<Uuid>,
    pub prev_page_cursor_id: Option<Uuid>,
}

impl Ledger {
    pub fn list_transactions(
        &self,
        filter: &TransactionFilter,
        cursor: Cursor,
        per_page: usize,
    ) -> CursorPage<'_> {
        let per_page = per_page.max(1);
        let mut matching: Vec<(usize, &TransactionRec)> = self
            .transactions
            .iter()
            .enumerate()
            .filter(|(_, tx)| self.matches(tx, filter))
            .collect();
        matching.sort_by(|(ia, a), (ib, b)| b.done_at.cmp(&a.done_at).then(ib.cmp(ia)));
        let list: Vec<&TransactionRec> = matching.into_iter().map(|(_, tx)| tx).collect();
        let position = |id: Uuid| list.iter().position(|tx| tx.id == id);
        let (start, end) = match cursor {
            Cursor::First => (0, per_page.min(list.len())),
            Cursor::After(id) => match position(id) {
                Some(p) => (p + 1, (p + 1 + per_page).min(list.len())),
                None => (0, 0),
            },
            Cursor::Before(id) => match position(id) {
                Some(p) => (p.saturating_sub(per_page), p),
                None => (0, 0),
            },
        };
        let rows = list[start..end].to_vec();
        let has_rows = !rows.is_empty();
        CursorPage {
            next_page_cursor_id: (has_rows && end < list.len())
                .then(|| rows.last().map(|tx| tx.id))
                .flatten(),
            prev_page_cursor_id: (has_rows && start > 0)
                .then(|| rows.first().map(|tx| tx.id))
                .flatten(),
            total: list.len(),
            rows,
        }
    }

    fn matches(&self, tx: &TransactionRec, f: &TransactionFilter) -> bool {
        let customer_name = self
            .user(tx.customer_user_id)
            .map(|u| u.name.as_str())
            .unwrap_or("");
        f.private_money_id.is_none_or(|id| id == self.money.id)
            && f
                .organization_code
                .as_deref()
                .is_none_or(|code| code == self.organization.code)
            && f.shop_id.is_none_or(|id| id == tx.shop_user_id)
            // No transaction here is made at a terminal.
            && f.terminal_id.is_none()
            && f.customer_id.is_none_or(|id| id == tx.customer_user_id)
            && f
                .customer_name
                .as_deref()
                .is_none_or(|name| customer_name.contains(name))
            && f
                .description
                .as_deref()
                .is_none_or(|d| d == tx.description)
            && f
                .transaction_id
                .as_deref()
                .is_none_or(|prefix| tx.id.to_string().starts_with(&prefix.to_ascii_lowercase()))
            && (!f.only_modified || tx.is_refunded())
            && (f.types.is_empty() || f.types.iter().any(|t| t == tx.kind.as_str()))
            && f.from.is_none_or(|from| tx.done_at >= from)
            && f.to.is_none_or(|to| tx.done_at <= to)
    }
}

/// The page-numbered pagination block for `total` rows.
pub fn pagination(total: usize, page: i64, per_page: i64) -> Pagination {
    let per_page = per_page.max(1);
    let page = page.max(1);
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let max_page = ((total + per_page - 1) / per_page).max(1);
    Pagination {
        current: page,
        per_page,
        max_page,
        has_prev: page > 1,
        has_next: page < max_page,
    }
}

/// The rows of one page.
pub fn page_slice<T: Clone>(rows: &[T], page: i64, per_page: i64) -> Vec<T> {
    let per_page = usize::try_from(per_page.max(1)).unwrap_or(usize::MAX);
    let page = usize::try_from(page.max(1)).unwrap_or(usize::MAX);
    let start = (page - 1).saturating_mul(per_page);
    rows.iter().skip(start).take(per_page).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::tests::{fresh, ids};
    use crate::ledger::{CUSTOMER_POOR, CUSTOMER_RICH, PaymentOrder, Strategy};
    use chrono::Duration;

    fn pay(ledger: &mut Ledger, customer: &str, amount: i64, at: Timestamp) -> Uuid {
        let (shop_account_id, customer_account_id) = ids(ledger, customer);
        ledger
            .pay(
                PaymentOrder {
                    customer_account_id,
                    shop_account_id,
                    amount,
                    strategy: Strategy::MoneyOnly,
                    description: format!("d{amount}"),
                    metadata: None,
                },
                at,
            )
            .unwrap()
    }

    #[test]
    fn newest_first_with_cursor_paging_both_ways() {
        let (mut ledger, now) = fresh();
        let ids: Vec<Uuid> = (1..=5)
            .map(|i| pay(&mut ledger, CUSTOMER_RICH, i, now + Duration::seconds(i)))
            .collect();
        let all = TransactionFilter::default();
        let first = ledger.list_transactions(&all, Cursor::First, 2);
        let got: Vec<Uuid> = first.rows.iter().map(|t| t.id).collect();
        assert_eq!(got, vec![ids[4], ids[3]]);
        assert_eq!(first.total, 5);
        assert_eq!(first.prev_page_cursor_id, None);
        assert_eq!(first.next_page_cursor_id, Some(ids[3]));

        let second = ledger.list_transactions(&all, Cursor::After(ids[3]), 2);
        let got: Vec<Uuid> = second.rows.iter().map(|t| t.id).collect();
        assert_eq!(got, vec![ids[2], ids[1]]);
        assert_eq!(second.prev_page_cursor_id, Some(ids[2]));
        assert_eq!(second.next_page_cursor_id, Some(ids[1]));

        let last = ledger.list_transactions(&all, Cursor::After(ids[1]), 2);
        assert_eq!(last.rows.len(), 1);
        assert_eq!(last.next_page_cursor_id, None);

        let back = ledger.list_transactions(&all, Cursor::Before(ids[2]), 2);
        let got: Vec<Uuid> = back.rows.iter().map(|t| t.id).collect();
        assert_eq!(got, vec![ids[4], ids[3]]);
        assert_eq!(back.prev_page_cursor_id, None);

        let unknown = ledger.list_transactions(&all, Cursor::After(Uuid::new_v4()), 2);
        assert!(unknown.rows.is_empty());
    }

    #[test]
    fn filters_narrow_the_list() {
        let (mut ledger, now) = fresh();
        let a = pay(&mut ledger, CUSTOMER_RICH, 10, now);
        let b = pay(&mut ledger, CUSTOMER_POOR, 20, now + Duration::seconds(10));
        ledger.refund(a, String::new(), now).unwrap();
        let count = |f: TransactionFilter| ledger.list_transactions(&f, Cursor::First, 50).total;
        let poor = ledger.customer_by_name(CUSTOMER_POOR).unwrap().id;
        assert_eq!(count(TransactionFilter::default()), 2);
        assert_eq!(
            count(TransactionFilter {
                customer_id: Some(poor),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(TransactionFilter {
                customer_name: Some("ric".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(TransactionFilter {
                only_modified: true,
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(TransactionFilter {
                description: Some("d20".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(TransactionFilter {
                transaction_id: Some(b.to_string()[..8].to_string()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(TransactionFilter {
                types: vec!["topup".into()],
                ..Default::default()
            }),
            0
        );
        assert_eq!(
            count(TransactionFilter {
                from: Some(now + Duration::seconds(5)),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(TransactionFilter {
                from: Some(now + Duration::seconds(5)),
                to: Some(now),
                ..Default::default()
            }),
            0
        );
        assert_eq!(
            count(TransactionFilter {
                private_money_id: Some(Uuid::new_v4()),
                ..Default::default()
            }),
            0
        );
    }

    #[test]
    fn page_arithmetic() {
        let p = pagination(0, 1, 50);
        assert_eq!((p.max_page, p.has_prev, p.has_next), (1, false, false));
        let p = pagination(101, 2, 50);
        assert_eq!((p.max_page, p.has_prev, p.has_next), (3, true, true));
        let rows: Vec<i32> = (0..7).collect();
        assert_eq!(page_slice(&rows, 2, 3), vec![3, 4, 5]);
        assert!(page_slice(&rows, 9, 9445).is_empty());
    }
}
