//! A whole cart voided before payment (取消): journaled as a sale with its lines, voided at once
//! with the reason in one transaction, so the day's reports count it and the receipt numbers
//! keep no gap a tax office would ask about.

use super::Journal;
use super::error::JournalError;
use super::sales::{insert_sale, void_in};
use regi_core::domain::SaleDraft;
use regi_core::records::{CreatedSale, SaleMeta};

impl Journal {
    /// Journals `draft` as a sale voided for `reason` before any payment was asked.
    pub fn void_cart(
        &mut self,
        draft: &SaleDraft,
        meta: &SaleMeta,
        reason: &str,
    ) -> Result<CreatedSale, JournalError> {
        if reason.trim().is_empty() {
            return Err(JournalError::Refused("a void needs a reason".into()));
        }
        let now = self.now_text();
        let tx = self.write()?;
        let created = insert_sale(&tx, draft, meta, &now)?;
        void_in(&tx, created.sale_id, reason, &now)?;
        tx.commit()?;
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::journal;
    use super::super::{SaleFilter, SaleMeta, SaleState};
    use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};

    fn draft(yen: i64) -> regi_core::domain::SaleDraft {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
        cart.add_manual(Yen(yen), TaxRate::Standard10, None)
            .unwrap();
        cart.checkout().unwrap()
    }

    #[test]
    fn a_voided_cart_is_a_voided_sale_with_its_reason_counted_in_the_x_report() {
        let (_dir, mut journal) = journal();
        let created = journal
            .void_cart(&draft(1_200), &SaleMeta::default(), "お客様都合")
            .unwrap();
        let detail = journal.sale(created.sale_id).unwrap();
        assert_eq!(detail.sale.state, SaleState::Cancelled);
        assert!(
            detail
                .events
                .iter()
                .any(|e| e.kind == "sale_voided" && e.detail["reason"] == "お客様都合")
        );
        let x = journal.x_report().unwrap().unwrap();
        assert_eq!((x.voided_sales, x.voided_amount), (1, Yen(1_200)));
        assert_eq!(x.payments.count, 0);
        assert_eq!(journal.list_sales(SaleFilter::OpenDay).unwrap().len(), 1);
    }

    #[test]
    fn a_void_without_a_reason_is_refused_and_nothing_is_journaled() {
        let (_dir, mut journal) = journal();
        assert!(
            journal
                .void_cart(&draft(500), &SaleMeta::default(), "  ")
                .is_err()
        );
        assert!(journal.list_sales(SaleFilter::All).unwrap().is_empty());
    }
}
