//! Widgets shared by several screens.

pub mod big_amount;
pub mod qr;
