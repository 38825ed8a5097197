//! The carts port over the engine and journal: a cart voided before payment, and carts parked
//! aside and recalled, each written on the journal's thread before the till lets go of it.

use regi_core::domain::SaleDraft;
use regi_core::records::{CartToPark, ParkedCart};
use regi_journal::JournalError;
use regi_tui::runtime::ports::Carts;

use super::EngineServices;

impl Carts for EngineServices {
    async fn void_cart(&self, draft: SaleDraft, reason: String) -> Result<i64, String> {
        self.engine
            .void_cart(draft, reason)
            .await
            .map(|voided| voided.receipt_no)
            .map_err(|e| e.to_string())
    }

    async fn park_cart(&self, cart: CartToPark) -> Result<i64, String> {
        let total = cart.total.value();
        let parked = self
            .engine
            .journal()
            .call(move |j| j.park_cart(&cart))
            .await
            .map_err(|e: JournalError| e.to_string())?;
        tracing::info!(parked, total, "cart parked");
        Ok(parked)
    }

    async fn parked_carts(&self) -> Result<Vec<ParkedCart>, String> {
        self.engine
            .journal()
            .call(|j| j.parked_carts())
            .await
            .map_err(|e: JournalError| e.to_string())
    }

    async fn recall_cart(&self, id: i64) -> Result<ParkedCart, String> {
        let cart = self
            .engine
            .journal()
            .call(move |j| j.recall_cart(id))
            .await
            .map_err(|e: JournalError| e.to_string())?;
        tracing::info!(parked = id, "parked cart recalled");
        Ok(cart)
    }
}
