//! The carts port: a cart voided before payment (取消) and carts parked aside (保留), each
//! journaled before the till lets go of the cart.

use std::future::Future;

use regi_core::domain::SaleDraft;
use regi_core::records::{CartToPark, ParkedCart};

pub trait Carts: Send + Sync + 'static {
    /// Journals the cart as a sale voided for `reason`; its receipt number.
    fn void_cart(
        &self,
        draft: SaleDraft,
        reason: String,
    ) -> impl Future<Output = Result<i64, String>> + Send;

    /// Keeps the cart aside until recalled; its id.
    fn park_cart(&self, cart: CartToPark) -> impl Future<Output = Result<i64, String>> + Send;

    /// The carts parked and not yet recalled, oldest first.
    fn parked_carts(&self) -> impl Future<Output = Result<Vec<ParkedCart>, String>> + Send;

    /// Takes parked cart `id` back (once).
    fn recall_cart(&self, id: i64) -> impl Future<Output = Result<ParkedCart, String>> + Send;
}
