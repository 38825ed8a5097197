//! The cash count being typed: a row per denomination, the cursor on one, digits building its
//! number of pieces, and the running total against the cash expected. Pure arithmetic the count
//! screen shows live and journals on Enter.

use crate::app::Key;
use crate::domain::Yen;
use crate::records::{CashCount, DENOMINATIONS, MAX_PIECES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CountEntry {
    pub count: CashCount,
    /// The row of [`DENOMINATIONS`] being typed.
    pub cursor: usize,
}

impl CountEntry {
    /// ↑/↓ move between denominations, digits add to the pieces of the one under the cursor,
    /// Backspace takes the last digit off. Returns whether the key was the count's.
    pub fn edit(&mut self, key: Key) -> bool {
        let pieces = self.count.pieces_at(self.cursor);
        match key {
            Key::Up => self.cursor = self.cursor.saturating_sub(1),
            Key::Down => self.cursor = (self.cursor + 1).min(DENOMINATIONS.len() - 1),
            Key::Backspace => self.set(pieces / 10),
            Key::Char(c) if c.is_ascii_digit() => {
                let digit = c.to_digit(10).unwrap_or(0);
                // A count past any drawer's capacity is a typo: the extra digit is not taken.
                if let Some(next) = pieces.checked_mul(10).and_then(|p| p.checked_add(digit))
                    && next <= MAX_PIECES
                {
                    self.set(next);
                }
            }
            _ => return false,
        }
        true
    }

    fn set(&mut self, pieces: u32) {
        // Within MAX_PIECES and on a real row, so never refused.
        let _ = self.count.set_at(self.cursor, pieces);
    }

    /// The yen counted so far.
    pub fn total(&self) -> Yen {
        self.count.total()
    }

    /// Counted − expected (positive: over, negative: short).
    pub fn over_short(&self, expected: Yen) -> Yen {
        Yen(self.total().value() - expected.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(entry: &mut CountEntry, keys: &[Key]) {
        for &key in keys {
            assert!(entry.edit(key), "{key:?}");
        }
    }

    #[test]
    fn digits_count_the_pieces_of_the_denomination_under_the_cursor_and_the_total_runs() {
        let mut entry = CountEntry::default();
        // ¥10,000 × 2, then down to ¥1,000 × 15, back one digit to × 1, down to ¥500 × 3.
        typed(
            &mut entry,
            &[Key::Char('2'), Key::Down, Key::Down, Key::Down],
        );
        typed(
            &mut entry,
            &[Key::Char('1'), Key::Char('5'), Key::Backspace],
        );
        typed(&mut entry, &[Key::Down, Key::Char('3')]);
        assert_eq!(entry.count.pieces_of(10_000), Some(2));
        assert_eq!(entry.count.pieces_of(1_000), Some(1));
        assert_eq!(entry.count.pieces_of(500), Some(3));
        assert_eq!(entry.total(), Yen(22_500));
        assert_eq!(entry.over_short(Yen(22_600)), Yen(-100));
        assert_eq!(entry.over_short(Yen(22_000)), Yen(500));
    }

    #[test]
    fn the_cursor_stays_on_the_rows_and_a_count_past_any_drawer_is_not_taken() {
        let mut entry = CountEntry::default();
        typed(&mut entry, &[Key::Up]);
        assert_eq!(entry.cursor, 0);
        for _ in 0..20 {
            entry.edit(Key::Down);
        }
        assert_eq!(entry.cursor, DENOMINATIONS.len() - 1);
        for _ in 0..9 {
            entry.edit(Key::Char('9'));
        }
        assert_eq!(entry.count.pieces_of(1), Some(99_999));
        assert!(!entry.edit(Key::Char('x')));
    }
}
