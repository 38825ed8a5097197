//! What the journal's unit tests share: a journal in a temporary directory and a sale rung up
//! on it.

use super::{Journal, SaleMeta};
use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};

/// A fresh journal; keep the directory alive as long as the journal.
pub fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
    (dir, journal)
}

/// A sale of one ¥`yen` line at 10 %, rung up and not yet paid; its id.
pub fn sale(journal: &mut Journal, yen: i64) -> i64 {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
    cart.add_manual(Yen(yen), TaxRate::Standard10, None)
        .unwrap();
    journal
        .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
        .unwrap()
        .sale_id
}
