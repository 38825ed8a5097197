//! Finding sales of any day from what a receipt still shows: its number, its amount, when it
//! was rung up. The newest first, at most as many as a screen or a script needs.

use regi_core::records::{SaleQuery, SaleSummary};

use super::Journal;
use super::error::JournalError;
use super::rows::{self, SALE_COLUMNS};

impl Journal {
    /// The sales of every day `query` matches, newest first, at most `limit`.
    pub fn find_sales(
        &self,
        query: &SaleQuery,
        limit: usize,
    ) -> Result<Vec<SaleSummary>, JournalError> {
        // Number and amount narrow the rows in SQL; the shop's local date and time are matched
        // on each row, as the journal keeps UTC.
        let sql = format!(
            "SELECT {SALE_COLUMNS} FROM sales s \
             WHERE s.origin_sale_id IS NULL \
               AND (?1 IS NULL OR s.receipt_no = ?1) AND (?2 IS NULL OR s.total = ?2) \
             ORDER BY s.id DESC"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rs = stmt.query(rusqlite::params![
            query.receipt_no,
            query.amount.map(|a| a.value())
        ])?;
        let mut found = Vec::new();
        while let Some(row) = rs.next()? {
            let sale = rows::sale(row)?;
            if query.matches(&sale) {
                found.push(sale);
                if found.len() >= limit {
                    break;
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{journal, sale};
    use regi_core::domain::Yen;
    use regi_core::records::FindBy;

    #[test]
    fn sales_are_found_by_number_amount_or_local_time_newest_first() {
        let (_dir, mut journal) = journal();
        let first = sale(&mut journal, 1_350);
        let _other = sale(&mut journal, 500);
        let second = sale(&mut journal, 1_350);
        let by_amount = journal
            .find_sales(&SaleQuery::parse(FindBy::Amount, "¥1,350").unwrap(), 10)
            .unwrap();
        let ids: Vec<i64> = by_amount.iter().map(|s| s.id).collect();
        assert_eq!(ids, [second, first]);
        let receipt_no = journal.sale(first).unwrap().sale.receipt_no;
        let by_no = journal
            .find_sales(
                &SaleQuery::parse(FindBy::ReceiptNo, &receipt_no.to_string()).unwrap(),
                10,
            )
            .unwrap();
        assert_eq!(by_no.len(), 1);
        assert_eq!(by_no[0].id, first);
        // The time the sale was rung up, in the shop's time.
        let at = regi_core::records::local_time(&by_no[0].created_at, "%m/%d %H:%M");
        let by_time = journal
            .find_sales(&SaleQuery::parse(FindBy::Time, &at).unwrap(), 2)
            .unwrap();
        assert_eq!(by_time.len(), 2, "at most the limit");
        let none = SaleQuery {
            amount: Some(Yen(9_999)),
            ..SaleQuery::default()
        };
        assert!(journal.find_sales(&none, 10).unwrap().is_empty());
    }
}
