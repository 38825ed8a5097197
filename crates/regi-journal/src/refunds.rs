//! Refunds: journaled before the refund request, finished with its outcome.

use rusqlite::{OptionalExtension, params};
use serde_json::json;
use uuid::Uuid;

use super::Journal;
use super::error::JournalError;
use super::rows::{self, REFUND_COLUMNS};
use super::sales::{append_event, ensure_day, refresh_sale_state};
use regi_core::domain::{PaymentMethod, Yen};
use regi_core::records::{
    RefundOutcome, RefundRecord, RefundState, SaleState, StartedRefund, UnresolvedRefund,
};

/// What a refund belongs to beyond its tender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefundLink {
    /// The return of lines it gives back (a part of).
    pub return_id: Option<i64>,
    /// Cash from the drawer instead of the tender's provider.
    pub cash_back: bool,
}

impl Journal {
    /// Records the intent to refund all that is left of a paid sale. Committed before
    /// returning: only then may the caller send the refund to the provider.
    pub fn begin_refund(
        &mut self,
        sale_id: i64,
        reason: &str,
    ) -> Result<StartedRefund, JournalError> {
        self.begin_refund_of(sale_id, None, reason)
    }

    /// [`Journal::begin_refund`] of `amount` yen (`None`: all that is left), at most what was
    /// paid less what earlier refunds gave back.
    pub fn begin_refund_of(
        &mut self,
        sale_id: i64,
        amount: Option<Yen>,
        reason: &str,
    ) -> Result<StartedRefund, JournalError> {
        self.begin_tender_refund(sale_id, None, amount, reason)
    }

    /// Records the intent to give back `amount` yen (`None`: all that is left of it) of one
    /// paid tender of the sale, `attempt_id` (`None`: the latest paid tender with something
    /// left). A cash tender is given back from the drawer: its refund is done as it is
    /// journaled ([`StartedRefund::settled`]) and nothing is sent anywhere.
    pub fn begin_tender_refund(
        &mut self,
        sale_id: i64,
        attempt_id: Option<i64>,
        amount: Option<Yen>,
        reason: &str,
    ) -> Result<StartedRefund, JournalError> {
        self.begin_linked_refund(sale_id, attempt_id, amount, reason, RefundLink::default())
    }

    /// [`Journal::begin_tender_refund`] as part of a return of lines, or given back in cash
    /// from the drawer for a tender whose provider refunds only whole payments (settled as it
    /// is journaled, like a cash tender's refund).
    pub fn begin_linked_refund(
        &mut self,
        sale_id: i64,
        attempt_id: Option<i64>,
        amount: Option<Yen>,
        reason: &str,
        link: RefundLink,
    ) -> Result<StartedRefund, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let state: String = tx
            .query_row("SELECT state FROM sales WHERE id = ?1", [sale_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| JournalError::not_found("sale", sale_id))?;
        match rows::sale_state(&state)? {
            SaleState::Paid | SaleState::PartlyPaid => {}
            SaleState::Refunded => {
                return Err(JournalError::Refused(format!(
                    "sale {sale_id} is already refunded"
                )));
            }
            other => {
                return Err(JournalError::Refused(format!(
                    "sale {sale_id} is {} and cannot be refunded",
                    other.as_str()
                )));
            }
        }
        let pending: Option<i64> = tx
            .query_row(
                "SELECT id FROM refunds WHERE sale_id = ?1 AND state = 'pending'",
                [sale_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = pending {
            return Err(JournalError::Refused(format!(
                "refund {id} of sale {sale_id} is still pending"
            )));
        }
        // What each paid tender has left to give back: what it paid (a held payment captured
        // for less, what was captured) less its done refunds.
        let tenders: Vec<(i64, String, String, String, i64)> = {
            let mut stmt = tx.prepare(
                "SELECT a.id, a.transaction_id, a.provider, a.tender, \
                   COALESCE(a.capture_amount, ABS(a.amount)) \
                     - (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r \
                          WHERE r.attempt_id = a.id AND r.state = 'done') \
                 FROM payment_attempts a WHERE a.sale_id = ?1 AND a.state = 'paid' \
                 ORDER BY a.id DESC",
            )?;
            stmt.query_map([sale_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?
        };
        let chosen = match attempt_id {
            Some(id) => tenders.iter().find(|t| t.0 == id).ok_or_else(|| {
                JournalError::Refused(format!(
                    "attempt {id} is not a paid tender of sale {sale_id}"
                ))
            })?,
            None => tenders
                .iter()
                .find(|t| t.4 > 0)
                .or(tenders.first())
                .ok_or_else(|| {
                    JournalError::Refused(format!("sale {sale_id} has no paid tender"))
                })?,
        };
        let (attempt_id, transaction_id, provider, tender, left) = chosen.clone();
        let total = amount.map_or(left, Yen::value);
        if total <= 0 || total > left {
            return Err(JournalError::Refused(format!(
                "a refund of sale {sale_id} must be between ¥1 and the ¥{left} not yet refunded \
                 (got ¥{total})"
            )));
        }
        let settled = tender == PaymentMethod::Cash.as_str() || link.cash_back;
        let day = ensure_day(&tx, &now)?;
        let request_id = Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO refunds (sale_id, attempt_id, business_day_id, transaction_id, \
               request_id, amount, reason, state, created_at, updated_at, return_id, cash_back) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?8, ?9, ?10)",
            params![
                sale_id,
                attempt_id,
                day.id,
                transaction_id,
                request_id,
                total,
                reason,
                now,
                link.return_id,
                link.cash_back,
            ],
        )?;
        let refund_id = tx.last_insert_rowid();
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "refund_begun",
            &json!({ "refund_id": refund_id, "transaction_id": transaction_id, "reason": reason,
                     "amount": total, "left_before": left, "return_id": link.return_id,
                     "cash_back": link.cash_back }),
        )?;
        if settled {
            // Cash goes back from the drawer as the clerk hands it over: nothing to ask anyone.
            let refund_transaction_id = format!("cash-refund-{request_id}");
            tx.execute(
                "UPDATE refunds SET state = 'done', refund_transaction_id = ?2 WHERE id = ?1",
                params![refund_id, refund_transaction_id],
            )?;
            append_event(
                &tx,
                &now,
                Some(sale_id),
                Some(attempt_id),
                "refund_done",
                &json!({ "refund_id": refund_id, "refund_transaction_id": refund_transaction_id, "cash": true }),
            )?;
            refresh_sale_state(&tx, sale_id, &now)?;
        }
        tx.commit()?;
        Ok(StartedRefund {
            refund_id,
            provider,
            transaction_id,
            request_id,
            amount: Yen(total),
            settled,
        })
    }

    /// Records how a begun refund ended; a `Done` refund marks the sale refunded.
    pub fn finish_refund(
        &mut self,
        refund_id: i64,
        outcome: RefundOutcome,
    ) -> Result<RefundState, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let (sale_id, state): (i64, String) = tx
            .query_row(
                "SELECT sale_id, state FROM refunds WHERE id = ?1",
                [refund_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("refund", refund_id))?;
        if rows::refund_state(&state)? != RefundState::Pending {
            return Err(JournalError::Refused(format!(
                "refund {refund_id} already ended ({state})"
            )));
        }
        let (new_state, detail) = match &outcome {
            RefundOutcome::Done {
                refund_transaction_id,
            } => {
                tx.execute(
                    "UPDATE refunds SET state = 'done', refund_transaction_id = ?2, \
                       updated_at = ?3 WHERE id = ?1",
                    params![refund_id, refund_transaction_id, now],
                )?;
                (
                    RefundState::Done,
                    json!({ "refund_id": refund_id, "refund_transaction_id": refund_transaction_id }),
                )
            }
            RefundOutcome::Failed {
                error_type,
                message,
            } => {
                tx.execute(
                    "UPDATE refunds SET state = 'failed', error_type = ?2, error_message = ?3, \
                       updated_at = ?4 WHERE id = ?1",
                    params![refund_id, error_type, message, now],
                )?;
                (
                    RefundState::Failed,
                    json!({ "refund_id": refund_id, "error_type": error_type, "message": message }),
                )
            }
        };
        let kind = match new_state {
            RefundState::Done => "refund_done",
            _ => "refund_failed",
        };
        append_event(&tx, &now, Some(sale_id), None, kind, &detail)?;
        refresh_sale_state(&tx, sale_id, &now)?;
        tx.commit()?;
        Ok(new_state)
    }

    /// Refunds begun but never finished; look each transaction up before refunding again.
    pub fn unresolved_refunds(&self) -> Result<Vec<UnresolvedRefund>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.sale_id, a.provider, r.transaction_id, r.request_id, r.reason, \
               r.amount \
             FROM refunds r JOIN payment_attempts a ON a.id = r.attempt_id \
             WHERE r.state = 'pending' ORDER BY r.id",
        )?;
        let out = stmt
            .query_map([], |r| {
                Ok(UnresolvedRefund {
                    refund_id: r.get(0)?,
                    sale_id: r.get(1)?,
                    provider: r.get(2)?,
                    transaction_id: r.get(3)?,
                    request_id: r.get(4)?,
                    reason: r.get(5)?,
                    amount: Yen(r.get(6)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(out)
    }

    pub(super) fn refunds_of(&self, sale_id: i64) -> Result<Vec<RefundRecord>, JournalError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REFUND_COLUMNS} FROM refunds WHERE sale_id = ?1 ORDER BY id"
        ))?;
        let mut rs = stmt.query([sale_id])?;
        let mut out = Vec::new();
        while let Some(r) = rs.next()? {
            out.push(rows::refund(r)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SaleMeta;
    use regi_core::domain::{AmountGuard, AttemptEvent, Cart, PaymentMethod, TaxPolicy, TaxRate};

    /// A ¥1,100 (10 %) + ¥1,080 (8 %) sale, paid.
    fn paid_sale(journal: &mut Journal) -> i64 {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(1_100), TaxRate::Standard10, None)
            .unwrap();
        cart.add_manual(Yen(1_080), TaxRate::Reduced8, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let attempt = journal
            .create_attempt(sale.sale_id, "provider-a", PaymentMethod::HostedPage)
            .unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "pay-1".into(),
                },
            )
            .unwrap();
        sale.sale_id
    }

    fn done(journal: &mut Journal, refund_id: i64) {
        journal
            .finish_refund(
                refund_id,
                RefundOutcome::Done {
                    refund_transaction_id: format!("r-{refund_id}"),
                },
            )
            .unwrap();
    }

    #[test]
    fn a_sale_refunded_in_parts_stays_paid_until_all_of_it_is_given_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let sale_id = paid_sale(&mut journal);
        let first = journal
            .begin_refund_of(sale_id, Some(Yen(500)), "one item back")
            .unwrap();
        assert_eq!(first.amount, Yen(500));
        // One refund at a time: a second waits for the first's answer.
        assert!(matches!(
            journal.begin_refund_of(sale_id, Some(Yen(100)), "again"),
            Err(JournalError::Refused(_))
        ));
        done(&mut journal, first.refund_id);
        let sale = journal.sale(sale_id).unwrap().sale;
        assert_eq!((sale.state, sale.refunded), (SaleState::Paid, Yen(500)));
        assert_eq!(sale.refundable(), Yen(1_680));
        assert!(matches!(
            journal.begin_refund_of(sale_id, Some(Yen(1_681)), "too much"),
            Err(JournalError::Refused(_))
        ));
        // The rest, without naming it.
        let rest = journal.begin_refund(sale_id, "the rest").unwrap();
        assert_eq!(rest.amount, Yen(1_680));
        done(&mut journal, rest.refund_id);
        let sale = journal.sale(sale_id).unwrap().sale;
        assert_eq!(
            (sale.state, sale.refunded),
            (SaleState::Refunded, Yen(2_180))
        );
        assert!(journal.begin_refund(sale_id, "more").is_err());
    }

    #[test]
    fn a_partial_refund_counts_its_own_amount_and_tax_in_the_report() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let sale_id = paid_sale(&mut journal);
        let refund = journal
            .begin_refund_of(sale_id, Some(Yen(1_090)), "half")
            .unwrap();
        done(&mut journal, refund.refund_id);
        let report = journal.x_report().unwrap().unwrap();
        assert_eq!(report.refunds.amount, Yen(1_090));
        let taxable: i64 = report
            .refunds_by_rate
            .iter()
            .map(|r| r.taxable.value())
            .sum();
        assert_eq!(taxable, 1_090);
        // Half of each rate: ¥550 at 10 % (tax 50), ¥540 at 8 % (tax 40).
        let by_rate: Vec<(i64, i64)> = report
            .refunds_by_rate
            .iter()
            .map(|r| (r.taxable.value(), r.tax.value()))
            .collect();
        assert_eq!(by_rate, [(550, 50), (540, 40)]);
    }
}
