//! What receipts need beyond the sale itself: finding a sale by its receipt number, and the money
//! name of the payment (reported by the provider when the payment is seen, printed on receipts).

use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::sales::append_event;

impl Journal {
    /// The sale printed with receipt number `receipt_no`, if any.
    pub fn sale_id_by_receipt_no(&self, receipt_no: i64) -> Result<Option<i64>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM sales WHERE receipt_no = ?1 AND origin_sale_id IS NULL",
                [receipt_no],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps the money name of the sale's latest payment through a provider (the one that was
    /// just seen paid; cash has no money name). The first name recorded stays: a receipt
    /// reprinted later shows what the original showed.
    pub fn record_money_name(
        &mut self,
        sale_id: i64,
        money_name: &str,
    ) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let (attempt_id, current): (i64, Option<String>) = tx
            .query_row(
                "SELECT id, money_name FROM payment_attempts \
                 WHERE sale_id = ?1 AND state IN ('paid', 'authorized') AND tender != 'cash' \
                 ORDER BY id DESC LIMIT 1",
                [sale_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                JournalError::Refused(format!("sale {sale_id} has no paid payment attempt"))
            })?;
        if current.is_some() {
            return Ok(());
        }
        tx.execute(
            "UPDATE payment_attempts SET money_name = ?2 WHERE id = ?1",
            params![attempt_id, money_name],
        )?;
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "money_name",
            &json!({ "money_name": money_name }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SaleMeta;
    use regi_core::domain::{
        AmountGuard, AttemptEvent, Cart, PaymentMethod, TaxPolicy, TaxRate, Yen,
    };

    fn sale(journal: &mut Journal, paid: bool) -> (i64, i64) {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(10_000)));
        cart.add_manual(Yen(500), TaxRate::Reduced8, None).unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        if paid {
            let attempt = journal
                .create_attempt(sale.sale_id, "wallet", PaymentMethod::CustomerCode)
                .unwrap();
            journal
                .record_attempt_event(attempt.attempt_id, AttemptEvent::Sent)
                .unwrap();
            journal
                .record_attempt_event(
                    attempt.attempt_id,
                    AttemptEvent::PaidObserved {
                        transaction_id: "tx".into(),
                    },
                )
                .unwrap();
        }
        (sale.sale_id, sale.receipt_no)
    }

    #[test]
    fn receipt_numbers_find_their_sale() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let (first, _) = sale(&mut journal, false);
        let (second, receipt_no) = sale(&mut journal, false);
        assert_ne!(first, second);
        assert_eq!(
            journal.sale_id_by_receipt_no(receipt_no).unwrap(),
            Some(second)
        );
        assert_eq!(journal.sale_id_by_receipt_no(999).unwrap(), None);
    }

    #[test]
    fn the_first_money_name_stays_and_unpaid_sales_have_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let (unpaid, _) = sale(&mut journal, false);
        assert!(matches!(
            journal.record_money_name(unpaid, "x"),
            Err(JournalError::Refused(_))
        ));
        let (paid, _) = sale(&mut journal, true);
        assert_eq!(journal.sale(paid).unwrap().sale.money_name, None);
        journal.record_money_name(paid, "ポケペイマネー").unwrap();
        journal.record_money_name(paid, "other").unwrap();
        let detail = journal.sale(paid).unwrap();
        assert_eq!(detail.sale.money_name.as_deref(), Some("ポケペイマネー"));
        let recorded = detail.events.iter().filter(|e| e.kind == "money_name");
        assert_eq!(recorded.count(), 1);
    }

    #[test]
    fn the_money_name_of_a_split_sale_goes_to_its_provider_payment_not_the_cash() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let (sale_id, _) = sale(&mut journal, false);
        journal.record_cash_tender(sale_id, Yen(200)).unwrap();
        let attempt = journal
            .create_tender(sale_id, "wallet", PaymentMethod::MerchantQr, false, None)
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "tx".into(),
                },
            )
            .unwrap();
        journal
            .record_money_name(sale_id, "ポケペイマネー")
            .unwrap();
        let names: Vec<_> = journal
            .sale(sale_id)
            .unwrap()
            .attempts
            .into_iter()
            .map(|a| (a.provider, a.money_name))
            .collect();
        assert_eq!(
            names,
            [
                ("cash".to_owned(), None),
                ("wallet".to_owned(), Some("ポケペイマネー".to_owned()))
            ]
        );
    }
}
