//! Returns of lines (返品): the lines and quantities a customer brings back and what each tax
//! rate gives back for them, journaled before any of its money is refunded.

use rusqlite::params;
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::sales::{append_event, ensure_day};
use regi_core::domain::returns::return_amounts;
use regi_core::domain::{RateSummary, ReturnedLine, TaxRate, TaxSummary, Yen};
use regi_core::records::{ReturnRecord, SaleState};

impl Journal {
    /// Records a return of `asked` lines of a paid sale, with what each rate gives back, never
    /// more of a line than was sold less what was already returned, nor more money than is left
    /// to refund. Its money is then refunded tender by tender, each refund naming it; a return
    /// none of whose refunds went through counts for nothing.
    pub fn begin_return(
        &mut self,
        sale_id: i64,
        asked: &[ReturnedLine],
        reason: &str,
    ) -> Result<ReturnRecord, JournalError> {
        let detail = self.sale(sale_id)?;
        match detail.sale.state {
            SaleState::Paid => {}
            SaleState::Refunded => {
                return Err(JournalError::Refused(format!(
                    "sale {sale_id} is already refunded"
                )));
            }
            other => {
                return Err(JournalError::Refused(format!(
                    "sale {sale_id} is {} and its lines cannot be returned",
                    other.as_str()
                )));
            }
        }
        if let Some(pending) = detail
            .refunds
            .iter()
            .find(|r| r.state == regi_core::records::RefundState::Pending)
        {
            return Err(JournalError::Refused(format!(
                "refund {} of sale {sale_id} is still pending",
                pending.id
            )));
        }
        let sold: Vec<_> = detail.lines.iter().map(|l| l.sold()).collect();
        let amounts = return_amounts(&sold, &detail.sale.tax, &detail.returned_lines(), asked)
            .map_err(|e| JournalError::Refused(e.to_string()))?;
        let left = detail.sale.refundable();
        if amounts.total() > left {
            return Err(JournalError::Refused(format!(
                "the return comes to {} but only {} of sale {sale_id} is left to refund",
                amounts.total(),
                left
            )));
        }
        let now = self.now_text();
        let tx = self.write()?;
        let day = ensure_day(&tx, &now)?;
        let (standard, reduced) = (amounts.tax.standard, amounts.tax.reduced);
        tx.execute(
            "INSERT INTO returns (sale_id, business_day_id, reason, standard_amount, \
               standard_tax, reduced_amount, reduced_tax, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                sale_id,
                day.id,
                reason,
                standard.taxable_total.value(),
                standard.tax.value(),
                reduced.taxable_total.value(),
                reduced.tax.value(),
                now
            ],
        )?;
        let return_id = tx.last_insert_rowid();
        for line in &amounts.lines {
            tx.execute(
                "INSERT INTO return_lines (return_id, line_no, quantity) VALUES (?1, ?2, ?3)",
                params![return_id, line.line_no, line.quantity],
            )?;
        }
        append_event(
            &tx,
            &now,
            Some(sale_id),
            None,
            "return_begun",
            &json!({
                "return_id": return_id,
                "reason": reason,
                "lines": amounts.lines.iter()
                    .map(|l| json!({"line_no": l.line_no, "quantity": l.quantity}))
                    .collect::<Vec<_>>(),
                "standard": standard.taxable_total.value(),
                "reduced": reduced.taxable_total.value(),
            }),
        )?;
        tx.commit()?;
        Ok(ReturnRecord {
            id: return_id,
            sale_id,
            reason: reason.to_string(),
            tax: amounts.tax,
            lines: amounts.lines,
            created_at: now,
        })
    }

    pub(super) fn returns_of(&self, sale_id: i64) -> Result<Vec<ReturnRecord>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, reason, standard_amount, standard_tax, reduced_amount, reduced_tax, \
               created_at FROM returns WHERE sale_id = ?1 ORDER BY id",
        )?;
        let mut lines = self.conn.prepare(
            "SELECT line_no, quantity FROM return_lines WHERE return_id = ?1 ORDER BY line_no",
        )?;
        let mut rs = stmt.query([sale_id])?;
        let mut out = Vec::new();
        while let Some(r) = rs.next()? {
            let id: i64 = r.get(0)?;
            let rate = |rate, taxable: i64, tax: i64| RateSummary {
                rate,
                taxable_total: Yen(taxable),
                tax: Yen(tax),
            };
            out.push(ReturnRecord {
                id,
                sale_id,
                reason: r.get(1)?,
                tax: TaxSummary {
                    standard: rate(TaxRate::Standard10, r.get(2)?, r.get(3)?),
                    reduced: rate(TaxRate::Reduced8, r.get(4)?, r.get(5)?),
                },
                lines: lines
                    .query_map([id], |l| {
                        Ok(ReturnedLine {
                            line_no: l.get(0)?,
                            quantity: l.get(1)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?,
                created_at: r.get(6)?,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::journal;
    use crate::{RefundLink, RefundOutcome, SaleMeta};
    use regi_core::domain::{
        AmountGuard, AttemptEvent, Cart, Department, Discount, PaymentMethod, SubtotalDiscount,
        TaxPolicy,
    };

    /// 2 × ¥500 of food (8 %) and ¥500 at 10 %, 10 % off: ¥1,350 paid by one QR of `provider`.
    fn discounted_sale(journal: &mut Journal, provider: &str) -> (i64, i64) {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        let food = Department {
            number: 2,
            name: "食品".into(),
            rate: TaxRate::Reduced8,
            price: None,
        };
        cart.add_department(&food, Some(Yen(500))).unwrap();
        cart.set_quantity(0, 2).unwrap();
        cart.add_manual(Yen(500), TaxRate::Standard10, None)
            .unwrap();
        cart.set_discount(SubtotalDiscount {
            discount: Discount::Percent(10),
            reason: None,
        })
        .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let attempt = journal
            .create_attempt(sale.sale_id, provider, PaymentMethod::MerchantQr)
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
        (sale.sale_id, attempt.attempt_id)
    }

    fn line(line_no: i64, quantity: i64) -> ReturnedLine {
        ReturnedLine { line_no, quantity }
    }

    #[test]
    fn a_return_is_journaled_with_its_lines_and_what_each_rate_gives_back() {
        let (_dir, mut journal) = journal();
        let (sale_id, _) = discounted_sale(&mut journal, "provider-a");
        let record = journal
            .begin_return(sale_id, &[line(1, 1)], "wrong size")
            .unwrap();
        assert_eq!(record.total(), Yen(450));
        assert_eq!(
            (record.tax.reduced.taxable_total, record.tax.reduced.tax),
            (Yen(450), Yen(33))
        );
        let detail = journal.sale(sale_id).unwrap();
        assert_eq!(detail.returns, [record]);
        // No refund of it went through yet: nothing counts as returned.
        assert!(detail.returned_lines().is_empty());
    }

    #[test]
    fn a_line_cannot_go_back_more_often_than_it_was_sold() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = discounted_sale(&mut journal, "provider-a");
        let record = journal.begin_return(sale_id, &[line(1, 2)], "").unwrap();
        let refund = journal
            .begin_linked_refund(
                sale_id,
                Some(attempt_id),
                Some(record.total()),
                "",
                RefundLink {
                    return_id: Some(record.id),
                    cash_back: false,
                },
            )
            .unwrap();
        journal
            .finish_refund(
                refund.refund_id,
                RefundOutcome::Done {
                    refund_transaction_id: "r-1".into(),
                },
            )
            .unwrap();
        assert_eq!(journal.sale(sale_id).unwrap().returned_of(1), 2);
        let refused = journal.begin_return(sale_id, &[line(1, 1)], "again");
        assert!(
            matches!(&refused, Err(JournalError::Refused(why)) if why.contains("already returned")),
            "{refused:?}"
        );
        // The other line still can.
        assert_eq!(
            journal
                .begin_return(sale_id, &[line(2, 1)], "")
                .unwrap()
                .total(),
            Yen(450)
        );
    }

    #[test]
    fn cash_given_back_for_a_whole_only_tender_counts_once_as_cash_at_the_returns_rate() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = discounted_sale(&mut journal, "pokepay");
        let record = journal.begin_return(sale_id, &[line(2, 1)], "").unwrap();
        let started = journal
            .begin_linked_refund(
                sale_id,
                Some(attempt_id),
                Some(record.total()),
                "",
                RefundLink {
                    return_id: Some(record.id),
                    cash_back: true,
                },
            )
            .unwrap();
        assert!(started.settled, "cash back is done as it is journaled");
        let report = journal.x_report().unwrap().unwrap();
        assert_eq!((report.refunds.count, report.refunds.amount), (1, Yen(450)));
        let by_provider: Vec<(String, i64)> = report
            .refunds_by_provider
            .iter()
            .map(|p| (p.provider.clone(), p.amount.value()))
            .collect();
        assert_eq!(by_provider, [("cash".to_string(), 450)]);
        let by_rate: Vec<(i64, i64)> = report
            .refunds_by_rate
            .iter()
            .map(|r| (r.taxable.value(), r.tax.value()))
            .collect();
        // All of it at 10 %, none at 8 %: the returned line's rate, not the sale's mix.
        assert_eq!(by_rate, [(450, 40), (0, 0)]);
        assert_eq!(report.cash.refunds, Yen(450));
        let sale = journal.sale(sale_id).unwrap();
        assert!(sale.refunds[0].cash_back);
        assert_eq!(sale.sale.refunded, Yen(450));
        // The rest refunded afterwards, without naming lines, is what the sale had left at
        // each rate: all of it at 8 %.
        let rest = journal
            .begin_linked_refund(
                sale_id,
                Some(attempt_id),
                None,
                "",
                RefundLink {
                    return_id: None,
                    cash_back: true,
                },
            )
            .unwrap();
        assert_eq!(rest.amount, Yen(900));
        let report = journal.x_report().unwrap().unwrap();
        let by_rate: Vec<(i64, i64)> = report
            .refunds_by_rate
            .iter()
            .map(|r| (r.taxable.value(), r.tax.value()))
            .collect();
        assert_eq!(by_rate, [(450, 40), (900, 66)]);
        assert_eq!(report.refunds.amount, Yen(1_350));
        // An audit against the provider's books sees nothing refunded there.
        let exported = journal.export_sales(crate::SaleFilter::All).unwrap();
        let tender = &exported[0].attempts[0];
        assert_eq!((tender.refunded, tender.cash_back), (0, 1_350));
    }

    #[test]
    fn a_store_replica_of_a_sale_with_a_return_reports_what_the_till_reports() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = discounted_sale(&mut journal, "pokepay");
        let record = journal.begin_return(sale_id, &[line(2, 1)], "").unwrap();
        journal
            .begin_linked_refund(
                sale_id,
                Some(attempt_id),
                Some(record.total()),
                "",
                RefundLink {
                    return_id: Some(record.id),
                    cash_back: true,
                },
            )
            .unwrap();
        // The cash given back is taxed at the returned line's rate (10 %), not the sale's mix:
        // the replica needs the return to say so.
        let mine = journal.x_report().unwrap().unwrap();
        let replica = crate::Journal::replica(&crate::replica::shipped_rows(&journal)).unwrap();
        let mut rebuilt = replica
            .report_of_day(mine.business_day_id, crate::ReportKind::X)
            .unwrap();
        rebuilt.generated_at = mine.generated_at.clone();
        assert_eq!(rebuilt, mine);
    }
}
