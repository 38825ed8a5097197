//! A sale put aside before payment (保留): its cart kept in the journal until it is recalled,
//! so a customer who went back for something loses nothing, even over a restart.

use crate::domain::line_adjustments::LineAdjustments;
use crate::domain::{SaleLine, SubtotalDiscount, Yen};

/// A cart to put aside, as rung.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartToPark {
    pub lines: Vec<SaleLine>,
    pub adjustments: LineAdjustments,
    pub discount: Option<SubtotalDiscount>,
    pub total: Yen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedCart {
    pub id: i64,
    /// When it was put aside (RFC 3339, UTC).
    pub parked_at: String,
    /// What it came to when put aside.
    pub total: Yen,
    pub lines: Vec<SaleLine>,
    /// The lines' own discounts and overridden prices.
    pub adjustments: LineAdjustments,
    pub discount: Option<SubtotalDiscount>,
}

impl ParkedCart {
    /// Units in the cart (a line of 3 counts 3), as the parked list shows them.
    pub fn items(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}
