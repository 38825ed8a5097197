//! Finding a charge by its order number. elepay cannot filter by `orderNo`, so the charges
//! created in a time window are listed page by page and matched here. This is how a create
//! whose answer was lost is resolved before any new create.

use super::ElepayClient;
use crate::error::ElepayError;
use crate::wire::{ChargeDto, EpochMillis, ListChargesQuery};

/// elepay's largest page.
const PAGE: i64 = 100;
/// A bound on the pages read, so a busy account cannot keep a recovery going for ever.
const MAX_PAGES: i64 = 50;

impl ElepayClient {
    /// Every charge with `order_no` created at or after `created_from` (epoch milliseconds: take
    /// the time the first create for the sale was sent, less a margin for the difference between
    /// this machine's clock and elepay's, e.g. a minute), oldest first.
    pub async fn find_charges_by_order_no(
        &self,
        order_no: &str,
        created_from: EpochMillis,
    ) -> Result<Vec<ChargeDto>, ElepayError> {
        let mut found = Vec::new();
        for page in 0..MAX_PAGES {
            let query = ListChargesQuery {
                from: Some(created_from),
                date_field: Some("create_time".into()),
                sort: Some("create_time".into()),
                order: Some("asc".into()),
                limit: Some(PAGE),
                offset: Some(page * PAGE),
                ..Default::default()
            };
            let answer = self.list_charges(&query).await?;
            let charges = answer.charges.unwrap_or_default();
            let seen = (page + 1) * PAGE;
            let last_page =
                charges.len() < PAGE as usize || answer.total.is_some_and(|total| seen >= total);
            found.extend(
                charges
                    .into_iter()
                    .filter(|c| c.order_no.as_deref() == Some(order_no)),
            );
            if last_page {
                break;
            }
        }
        Ok(found)
    }

    /// The charge that settles `order_no`, if any: the one that took or holds money when there is
    /// one (elepay lets only one do so), else the newest. `None` means no charge was created
    /// in the window, so a new create with the same order number is safe.
    pub async fn find_charge_by_order_no(
        &self,
        order_no: &str,
        created_from: EpochMillis,
    ) -> Result<Option<ChargeDto>, ElepayError> {
        let charges = self
            .find_charges_by_order_no(order_no, created_from)
            .await?;
        Ok(pick_settling_charge(charges))
    }
}

fn pick_settling_charge(charges: Vec<ChargeDto>) -> Option<ChargeDto> {
    let moved = charges
        .iter()
        .position(|c| c.status.is_some_and(|s| s.moved_money()));
    match moved {
        Some(index) => charges.into_iter().nth(index),
        None => charges.into_iter().max_by_key(|c| c.create_time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ChargeStatus;

    fn charge(id: &str, status: ChargeStatus, created: i64) -> ChargeDto {
        ChargeDto {
            id: Some(id.into()),
            status: Some(status),
            create_time: Some(created),
            ..Default::default()
        }
    }

    #[test]
    fn a_paid_charge_wins_over_newer_unpaid_ones() {
        let picked = pick_settling_charge(vec![
            charge("a", ChargeStatus::Revoked, 1),
            charge("b", ChargeStatus::Captured, 2),
            charge("c", ChargeStatus::Pending, 3),
        ]);
        assert_eq!(picked.unwrap().id.as_deref(), Some("b"));
    }

    #[test]
    fn without_a_paid_charge_the_newest_is_picked() {
        let picked = pick_settling_charge(vec![
            charge("a", ChargeStatus::Pending, 5),
            charge("b", ChargeStatus::Revoked, 9),
        ]);
        assert_eq!(picked.unwrap().id.as_deref(), Some("b"));
        assert!(pick_settling_charge(vec![]).is_none());
    }
}
