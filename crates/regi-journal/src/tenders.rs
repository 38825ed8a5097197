//! Tenders: a sale paid by several, each an attempt for a part of it. Cash is journaled paid
//! the moment it is handed over, with the yen received and the change; what remains to pay is the
//! total less what the paid tenders pay.

use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::rows::{self, SALE_COLUMNS};
use super::sales::{apply_event, insert_attempt, refresh_sale_state};
use regi_core::domain::{AttemptEvent, AttemptState, PaymentMethod, Yen};
use regi_core::records::{CashTender, SaleSummary};

impl Journal {
    /// Journals cash handed over for the sale, paid at once: the tender pays what the cash
    /// covers of what remains, and the rest of the cash is the change. Committed before
    /// returning: only then may the drawer open.
    pub fn record_cash_tender(
        &mut self,
        sale_id: i64,
        received: Yen,
    ) -> Result<CashTender, JournalError> {
        if !received.is_positive() {
            return Err(JournalError::Refused(format!(
                "cash received must be more than ¥0 (got {received})"
            )));
        }
        let now = self.now_text();
        let tx = self.write()?;
        let remaining = remaining_to_pay(&tx, sale_id)?;
        let applied = Yen(received.value().min(remaining.value()));
        let change = Yen(received.value() - applied.value());
        let created = insert_attempt(
            &tx,
            &now,
            sale_id,
            NewTender {
                provider: CASH_PROVIDER,
                method: PaymentMethod::Cash,
                hold: false,
                tab_id: None,
                part: Some(applied),
            },
        )?;
        tx.execute(
            "UPDATE payment_attempts SET cash_received = ?2, cash_change = ?3 WHERE id = ?1",
            params![created.attempt_id, received.value(), change.value()],
        )?;
        let state = apply_event(
            &tx,
            &now,
            created.attempt_id,
            AttemptEvent::PaidObserved {
                transaction_id: format!("cash-{}", created.request_id),
            },
            json!({ "received": received.value(), "change": change.value() }),
        )?;
        let sale_state = refresh_sale_state(&tx, sale_id, &now)?;
        tx.commit()?;
        debug_assert!(matches!(state, AttemptState::Paid { .. }));
        Ok(CashTender {
            attempt_id: created.attempt_id,
            applied,
            received,
            change,
            remaining: Yen(remaining.value() - applied.value()),
            sale_state,
        })
    }

    /// The yen of the sale still to be paid by further tenders.
    pub fn remaining_to_pay(&self, sale_id: i64) -> Result<Yen, JournalError> {
        remaining_to_pay(&self.conn, sale_id)
    }

    /// Sales some of whose tenders are paid and the rest still owed, oldest first: after a
    /// restart the clerk finishes each (or gives its tenders back) before anything else.
    pub fn partly_paid_sales(&self) -> Result<Vec<SaleSummary>, JournalError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SALE_COLUMNS} FROM sales s WHERE s.state = 'partly_paid' ORDER BY s.id"
        ))?;
        let mut rows = stmt.query([])?;
        let mut sales = Vec::new();
        while let Some(row) = rows.next()? {
            sales.push(rows::sale(row)?);
        }
        Ok(sales)
    }
}

/// The provider name cash tenders are journaled under: no provider takes part.
pub const CASH_PROVIDER: &str = "cash";

/// What a new attempt is: where it goes, how, and for how much of the sale.
pub(crate) struct NewTender<'a> {
    pub provider: &'a str,
    pub method: PaymentMethod,
    /// The store asks the provider to hold the payment for a later capture (the one tender of
    /// the sale, for all of it).
    pub hold: bool,
    /// The tab a 'tab' attempt is charged to.
    pub tab_id: Option<i64>,
    /// The yen this tender pays (`None`: all that remains).
    pub part: Option<Yen>,
}

/// The sale's total less what its paid tenders pay. Refused for a sale no tender may be added
/// to: paid, held, voided, or with tenders given back.
pub(super) fn remaining_to_pay(
    conn: &rusqlite::Connection,
    sale_id: i64,
) -> Result<Yen, JournalError> {
    let (total, tendered, refunds): (i64, i64, i64) = conn
        .query_row(
            "SELECT total, \
               (SELECT COALESCE(SUM(ABS(amount)), 0) FROM payment_attempts \
                  WHERE sale_id = ?1 AND state = 'paid'), \
               (SELECT COUNT(*) FROM refunds WHERE sale_id = ?1 AND state <> 'failed') \
             FROM sales WHERE id = ?1",
            [sale_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| JournalError::not_found("sale", sale_id))?;
    if refunds > 0 {
        return Err(JournalError::Refused(format!(
            "sale {sale_id} has tenders given back; ring it up again to take payment"
        )));
    }
    Ok(Yen((total - tendered).max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{journal, sale};
    use regi_core::records::{RefundOutcome, RefundState, SaleState};

    /// A QR tender for `part` (all that remains when `None`), paid.
    fn paid_qr(journal: &mut Journal, sale_id: i64, part: Option<Yen>) -> i64 {
        let attempt = journal
            .create_tender(
                sale_id,
                "provider-a",
                PaymentMethod::MerchantQr,
                false,
                part,
            )
            .unwrap();
        journal
            .record_presented(
                attempt.attempt_id,
                &format!("tray-{}", attempt.attempt_id),
                "c",
            )
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: format!("pay-{}", attempt.attempt_id),
                },
            )
            .unwrap();
        attempt.attempt_id
    }

    #[test]
    fn cash_over_the_total_pays_the_sale_and_the_rest_is_change() {
        let (_dir, mut journal) = journal();
        let sale_id = sale(&mut journal, 1_234);
        let cash = journal.record_cash_tender(sale_id, Yen(2_000)).unwrap();
        assert_eq!(
            (cash.applied, cash.change, cash.remaining, cash.sale_state),
            (Yen(1_234), Yen(766), Yen(0), SaleState::Paid)
        );
        let detail = journal.sale(sale_id).unwrap();
        assert_eq!(detail.sale.tendered, Yen(1_234));
        let tender = &detail.attempts[0];
        assert_eq!(
            (tender.method, tender.provider.as_str(), tender.amount),
            (PaymentMethod::Cash, CASH_PROVIDER, Yen(-1_234))
        );
        let cash = tender.cash.unwrap();
        assert_eq!((cash.received, cash.change), (Yen(2_000), Yen(766)));
        assert_eq!(cash.applied(), Yen(1_234));
        // Nothing more is taken for a paid sale.
        assert!(journal.record_cash_tender(sale_id, Yen(10)).is_err());
    }

    #[test]
    fn cash_short_of_the_total_leaves_the_sale_partly_paid_and_a_qr_takes_the_rest() {
        let (_dir, mut journal) = journal();
        let sale_id = sale(&mut journal, 3_000);
        let cash = journal.record_cash_tender(sale_id, Yen(1_000)).unwrap();
        assert_eq!(
            (cash.change, cash.remaining, cash.sale_state),
            (Yen(0), Yen(2_000), SaleState::PartlyPaid)
        );
        assert_eq!(journal.remaining_to_pay(sale_id).unwrap(), Yen(2_000));
        let listed: Vec<i64> = journal
            .partly_paid_sales()
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(listed, [sale_id]);
        // More than remains is refused; what remains is the default.
        assert!(matches!(
            journal.create_tender(
                sale_id,
                "provider-a",
                PaymentMethod::MerchantQr,
                false,
                Some(Yen(2_001))
            ),
            Err(JournalError::Refused(_))
        ));
        let qr = paid_qr(&mut journal, sale_id, None);
        let detail = journal.sale(sale_id).unwrap();
        assert_eq!(detail.attempts[1].id, qr);
        assert_eq!(detail.attempts[1].amount, Yen(-2_000));
        assert_eq!(
            (detail.sale.state, detail.sale.tendered),
            (SaleState::Paid, Yen(3_000))
        );
        assert!(journal.partly_paid_sales().unwrap().is_empty());
    }

    #[test]
    fn a_failed_tender_leaves_the_paid_ones_and_the_sale_partly_paid() {
        let (_dir, mut journal) = journal();
        let sale_id = sale(&mut journal, 3_000);
        journal.record_cash_tender(sale_id, Yen(500)).unwrap();
        let code = journal
            .create_tender(
                sale_id,
                "provider-a",
                PaymentMethod::CustomerCode,
                false,
                None,
            )
            .unwrap();
        assert_eq!(code.amount, Yen(-2_500));
        assert_eq!(
            journal.sale(sale_id).unwrap().sale.state,
            SaleState::Pending
        );
        journal
            .record_attempt_event(code.attempt_id, AttemptEvent::Sent)
            .unwrap();
        journal
            .record_attempt_event(
                code.attempt_id,
                AttemptEvent::FailedObserved(regi_core::domain::Failure::new(
                    regi_core::domain::FailReason::InsufficientBalance,
                    "account_balance_not_enough",
                    "short",
                )),
            )
            .unwrap();
        let summary = journal.sale(sale_id).unwrap().sale;
        assert_eq!(summary.state, SaleState::PartlyPaid);
        assert_eq!(summary.remaining(), Yen(2_500));
        // A partly paid sale is never voided silently: its tenders are given back first.
        assert!(journal.void_sale(sale_id, "customer left").is_err());
    }

    #[test]
    fn a_held_payment_is_never_one_tender_of_several_and_cash_is_more_than_nothing() {
        let (_dir, mut journal) = journal();
        let sale_id = sale(&mut journal, 3_000);
        assert!(matches!(
            journal.create_tender(
                sale_id,
                "provider-a",
                PaymentMethod::HostedPage,
                true,
                Some(Yen(1_000))
            ),
            Err(JournalError::Refused(_))
        ));
        journal.record_cash_tender(sale_id, Yen(1_000)).unwrap();
        assert!(matches!(
            journal.create_tender(sale_id, "provider-a", PaymentMethod::HostedPage, true, None),
            Err(JournalError::Refused(_))
        ));
        assert!(matches!(
            journal.record_cash_tender(sale_id, Yen(0)),
            Err(JournalError::Refused(_))
        ));
    }

    #[test]
    fn a_split_sale_is_refunded_tender_by_tender_and_cash_comes_back_at_once() {
        let (_dir, mut journal) = journal();
        let sale_id = sale(&mut journal, 3_000);
        let cash = journal.record_cash_tender(sale_id, Yen(1_000)).unwrap();
        let qr = paid_qr(&mut journal, sale_id, None);
        // The latest tender first: the QR, sent to its provider.
        let first = journal.begin_refund(sale_id, "returned").unwrap();
        assert_eq!(
            (first.amount, first.settled, first.provider.as_str()),
            (Yen(2_000), false, "provider-a")
        );
        journal
            .finish_refund(
                first.refund_id,
                RefundOutcome::Done {
                    refund_transaction_id: "r-1".into(),
                },
            )
            .unwrap();
        assert_eq!(journal.sale(sale_id).unwrap().sale.state, SaleState::Paid);
        // Then the cash, done as it is journaled.
        let second = journal
            .begin_tender_refund(sale_id, Some(cash.attempt_id), None, "returned")
            .unwrap();
        assert_eq!((second.amount, second.settled), (Yen(1_000), true));
        let detail = journal.sale(sale_id).unwrap();
        assert_eq!(detail.sale.state, SaleState::Refunded);
        let by_tender: Vec<(i64, i64, RefundState)> = detail
            .refunds
            .iter()
            .map(|r| (r.attempt_id, r.amount.value(), r.state))
            .collect();
        assert_eq!(
            by_tender,
            [
                (qr, 2_000, RefundState::Done),
                (cash.attempt_id, 1_000, RefundState::Done)
            ]
        );
    }

    #[test]
    fn a_partly_paid_sale_given_back_is_refunded_and_takes_no_further_tender() {
        let (_dir, mut journal) = journal();
        let sale_id = sale(&mut journal, 3_000);
        journal.record_cash_tender(sale_id, Yen(1_000)).unwrap();
        let back = journal.begin_refund(sale_id, "customer left").unwrap();
        assert!(back.settled);
        let summary = journal.sale(sale_id).unwrap().sale;
        assert_eq!(summary.state, SaleState::Refunded);
        assert!(matches!(
            journal.record_cash_tender(sale_id, Yen(3_000)),
            Err(JournalError::Refused(_))
        ));
    }
}
