//! Keys as the app understands them, independent of the terminal library's event types.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Up,
    Down,
    PageUp,
    PageDown,
    Tab,
    F(u8),
    /// Ctrl-C: in raw mode it arrives as a key, not as SIGINT.
    Interrupt,
}

impl Key {
    /// Digits typed on the main row or the numeric keypad.
    /// The digit a key types: an ASCII digit, or a full-width one (０–９), which a Japanese input
    /// method left on sends for the same keys.
    pub fn digit(self) -> Option<u8> {
        match self {
            Key::Char(c @ '０'..='９') => u8::try_from(c as u32 - '０' as u32).ok(),
            Key::Char(c) => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_ascii_or_full_width_numbers() {
        assert_eq!(Key::Char('7').digit(), Some(7));
        assert_eq!(Key::Char('０').digit(), Some(0));
        assert_eq!(Key::Char('９').digit(), Some(9));
        assert_eq!(Key::Char('a').digit(), None);
        assert_eq!(Key::Char('٣').digit(), None);
        assert_eq!(Key::F(1).digit(), None);
    }
}
