//! The drawer's cash as plain records: the opening float, paid-in and paid-out, counts by
//! denomination, and the day's cash summary (what the drawer should hold). The journal fills them;
//! the reports, the slips and the till read them, so the count arithmetic lives here, once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::Yen;

/// The yen notes and coins a drawer holds, largest first (the order a count is taken in).
pub const DENOMINATIONS: [i64; 10] = [10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10, 5, 1];

/// More pieces of one denomination than any drawer holds: a typo, not a count.
pub const MAX_PIECES: u32 = 99_999;

/// What a drawer movement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// The change the day starts with (釣銭準備金).
    Float,
    /// Cash put in that is no sale (入金).
    PaidIn,
    /// Cash taken out that is no refund (出金).
    PaidOut,
    /// The cash counted by denomination (精算).
    Count,
}

impl MovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Float => "float",
            MovementKind::PaidIn => "paid_in",
            MovementKind::PaidOut => "paid_out",
            MovementKind::Count => "count",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            MovementKind::Float,
            MovementKind::PaidIn,
            MovementKind::PaidOut,
            MovementKind::Count,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// Pieces counted per denomination, in [`DENOMINATIONS`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CashCount {
    pieces: [u32; DENOMINATIONS.len()],
}

impl CashCount {
    /// The pieces of the denomination `face` yen; `None` for a face value no drawer holds.
    pub fn pieces_of(&self, face: i64) -> Option<u32> {
        let at = DENOMINATIONS.iter().position(|&d| d == face)?;
        Some(self.pieces[at])
    }

    /// The pieces at row `index` of [`DENOMINATIONS`].
    pub fn pieces_at(&self, index: usize) -> u32 {
        self.pieces.get(index).copied().unwrap_or(0)
    }

    /// Sets the pieces of `face` yen; refused for an unknown face value or an absurd count.
    pub fn set(&mut self, face: i64, pieces: u32) -> Result<(), DrawerRefusal> {
        let at = DENOMINATIONS
            .iter()
            .position(|&d| d == face)
            .ok_or(DrawerRefusal::UnknownDenomination(face))?;
        self.set_at(at, pieces)
    }

    /// Sets the pieces at row `index` of [`DENOMINATIONS`].
    pub fn set_at(&mut self, index: usize, pieces: u32) -> Result<(), DrawerRefusal> {
        if pieces > MAX_PIECES {
            return Err(DrawerRefusal::TooManyPieces);
        }
        if let Some(slot) = self.pieces.get_mut(index) {
            *slot = pieces;
        }
        Ok(())
    }

    /// The yen counted: every denomination times its pieces (at most ~¥1.9 billion, so exact).
    pub fn total(&self) -> Yen {
        Yen(DENOMINATIONS
            .iter()
            .zip(self.pieces)
            .map(|(face, n)| face * i64::from(n))
            .sum())
    }

    /// Each denomination with its pieces and their yen, largest first.
    pub fn rows(&self) -> impl Iterator<Item = (i64, u32, Yen)> + '_ {
        DENOMINATIONS
            .iter()
            .zip(self.pieces)
            .map(|(&face, n)| (face, n, Yen(face * i64::from(n))))
    }

    /// As journaled: face value to pieces (`{"10000": 2, "1000": 5}`), every denomination.
    pub fn to_json(&self) -> String {
        let map: BTreeMap<String, u32> = self
            .rows()
            .map(|(face, n, _)| (face.to_string(), n))
            .collect();
        serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
    }

    /// Reads [`CashCount::to_json`] back; `None` when it is not such an object.
    pub fn from_json(text: &str) -> Option<Self> {
        let map: BTreeMap<String, u32> = serde_json::from_str(text).ok()?;
        let mut count = CashCount::default();
        for (face, pieces) in map {
            count.set(face.parse().ok()?, pieces).ok()?;
        }
        Some(count)
    }
}

impl Serialize for CashCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let map: BTreeMap<String, u32> = self
            .rows()
            .map(|(face, n, _)| (face.to_string(), n))
            .collect();
        map.serialize(s)
    }
}

/// One journaled movement of the drawer's cash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrawerMovement {
    pub id: i64,
    pub business_day_id: i64,
    pub kind: MovementKind,
    /// The yen moved; for a count, the yen counted.
    pub amount: Yen,
    pub reason: String,
    /// A count's: the cash expected in the drawer when it was counted.
    pub expected: Option<Yen>,
    /// A count's pieces per denomination.
    pub count: Option<CashCount>,
    pub created_at: String,
}

impl DrawerMovement {
    /// A count's over (positive) or short (negative): counted − expected.
    pub fn over_short(&self) -> Option<Yen> {
        self.expected.map(|e| Yen(self.amount.value() - e.value()))
    }
}

/// The cash of one business day: where the drawer's money came from and went, what it should
/// hold, and what the last count found. Stored in Z reports; reports made before it existed read
/// it as all zero with no count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CashSummary {
    /// The opening float (釣銭準備金).
    pub float: Yen,
    /// Cash handed over by customers for sales and top-ups.
    pub received: Yen,
    /// Change given back.
    pub change: Yen,
    /// What cash paid of the sales: received − change.
    pub sales: Yen,
    /// Cash given back from the drawer for refunds done this day.
    pub refunds: Yen,
    pub paid_in: Yen,
    pub paid_out: Yen,
    /// float + sales − refunds − paid-out + paid-in.
    pub expected: Yen,
    /// The yen found by the day's last count, if it was counted.
    pub counted: Option<Yen>,
    /// That count's counted − expected (過不足), as expected was when it was counted.
    pub over_short: Option<Yen>,
}

impl CashSummary {
    /// The drawer's expected cash from its parts.
    pub fn expected_from_parts(&self) -> Yen {
        Yen(
            self.float.value() + self.sales.value() - self.refunds.value() + self.paid_in.value()
                - self.paid_out.value(),
        )
    }
}

/// A drawer summary for a day, as `regi drawer status` and the till show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrawerStatus {
    pub business_day_id: i64,
    pub cash: CashSummary,
    pub movements: Vec<DrawerMovement>,
}

/// Why the journal refused a movement of the drawer. Each is the clerk's to fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DrawerRefusal {
    #[error(
        "the opening float of this business day is already set ({0}); use paid-in or paid-out to change the cash"
    )]
    FloatAlreadySet(Yen),
    #[error("the amount must be more than ¥0")]
    AmountNotPositive,
    #[error("a reason is required")]
    ReasonMissing,
    #[error("the drawer should hold only {expected}; a paid-out cannot take more")]
    PaidOutExceedsCash { expected: Yen },
    #[error("no business day is open: the last one was closed by its Z report")]
    NoOpenDay,
    #[error("no drawer holds ¥{0} pieces")]
    UnknownDenomination(i64),
    #[error("too many pieces of one denomination")]
    TooManyPieces,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_totals_every_denomination_times_its_pieces() {
        let mut count = CashCount::default();
        count.set(10_000, 2).unwrap();
        count.set(1_000, 5).unwrap();
        count.set(5, 3).unwrap();
        count.set(1, 4).unwrap();
        assert_eq!(count.total(), Yen(25_019));
        assert_eq!(count.pieces_of(1_000), Some(5));
    }

    #[test]
    fn a_face_value_no_drawer_holds_and_an_absurd_count_are_refused() {
        let mut count = CashCount::default();
        assert_eq!(
            count.set(20, 1),
            Err(DrawerRefusal::UnknownDenomination(20))
        );
        assert_eq!(
            count.set(100, MAX_PIECES + 1),
            Err(DrawerRefusal::TooManyPieces)
        );
        assert_eq!(count, CashCount::default());
    }

    #[test]
    fn a_count_reads_back_from_its_json() {
        let mut count = CashCount::default();
        count.set(2_000, 1).unwrap();
        count.set(50, 7).unwrap();
        let json = count.to_json();
        assert!(json.contains("\"2000\":1"), "{json}");
        assert_eq!(CashCount::from_json(&json), Some(count));
        assert_eq!(CashCount::from_json("{\"3\": 1}"), None);
    }
}
