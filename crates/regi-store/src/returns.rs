//! Returns at any till: a receipt of another till looked up among the sales the store holds,
//! and whether a sale was already given back at a till other than the one asking.
//!
//! A sale is given back at one till only: its own, or the one that copied it to return it. What
//! the store knows is what the tills shipped; a return made a moment ago at a till whose events
//! are not shipped yet is not seen (the provider still refuses a second refund of a payment).

use serde_json::Value;
use tokio_postgres::Client;

use crate::StoreError;

/// A sale as its own till shipped it, to be copied into the journal of the till returning it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShippedSale {
    pub terminal_id: String,
    pub sale_id: i64,
    /// `{"sale": {...}, "lines": [...], "attempts": [...], "refunds": [...], ...}`.
    pub snapshot: Value,
}

/// What the store says of a receipt of another till.
#[derive(Debug, Clone, PartialEq)]
pub enum ReceiptInStore {
    /// The sale, never given back anywhere.
    Found(ShippedSale),
    /// Given back (in full or in part) at this till of the store.
    ReturnedAt(String),
    /// The till is not one of this store's.
    NotOurTill,
    /// The till has not shipped a sale with that receipt number (yet).
    NotShipped,
}

/// The sale printed as receipt `receipt_no` by till `terminal_id` of store `store_id`, looked up
/// for till `here` to return it.
pub async fn receipt_in_store(
    client: &Client,
    store_id: &str,
    terminal_id: &str,
    receipt_no: i64,
    here: &str,
) -> Result<ReceiptInStore, StoreError> {
    let ours = client
        .query_opt(
            "SELECT 1 FROM regi.terminal_status WHERE terminal_id = $1 AND store_id = $2",
            &[&terminal_id, &store_id],
        )
        .await?;
    if ours.is_none() {
        return Ok(ReceiptInStore::NotOurTill);
    }
    let Some(row) = client
        .query_opt(
            "SELECT sale_id, snapshot FROM regi.store_sales \
             WHERE store_id = $1 AND terminal_id = $2 AND receipt_no = $3 \
               AND origin_terminal_id IS NULL",
            &[&store_id, &terminal_id, &receipt_no],
        )
        .await?
    else {
        return Ok(ReceiptInStore::NotShipped);
    };
    let sale_id: i64 = row.get(0);
    if let Some(till) = returned_elsewhere(client, terminal_id, sale_id, here).await? {
        return Ok(ReceiptInStore::ReturnedAt(till));
    }
    Ok(ReceiptInStore::Found(ShippedSale {
        terminal_id: terminal_id.to_string(),
        sale_id,
        snapshot: row.get(1),
    }))
}

/// The till other than `here` where sale `sale_id` of till `terminal_id` was given back, in
/// full or in part (a refund done or still pending there), if any: the sale's own till, or one
/// that copied it to return it.
pub async fn returned_elsewhere(
    client: &Client,
    terminal_id: &str,
    sale_id: i64,
    here: &str,
) -> Result<Option<String>, StoreError> {
    let row = client
        .query_opt(
            "SELECT terminal_id FROM regi.store_sales \
             WHERE ((terminal_id = $1 AND sale_id = $2 AND origin_terminal_id IS NULL) \
                 OR (origin_terminal_id = $1 AND origin_sale_id = $2)) \
               AND terminal_id <> $3 \
               AND EXISTS (SELECT 1 FROM jsonb_array_elements( \
                               COALESCE(snapshot -> 'refunds', '[]')) r \
                           WHERE r ->> 'state' IN ('pending', 'done')) \
             ORDER BY terminal_id LIMIT 1",
            &[&terminal_id, &sale_id, &here],
        )
        .await?;
    Ok(row.map(|row| row.get(0)))
}
