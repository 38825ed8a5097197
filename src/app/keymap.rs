//! Keys as the app understands them, independent of the terminal library's event types.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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
    /// Maps a terminal key event; releases, repeats of modifiers and unmapped keys give `None`.
    pub fn from_event(event: KeyEvent) -> Option<Key> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        Some(match event.code {
            KeyCode::Char('c') | KeyCode::Char('C') if ctrl => Key::Interrupt,
            KeyCode::Char(_) if ctrl => return None,
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Tab => Key::Tab,
            KeyCode::F(n) => Key::F(n),
            _ => return None,
        })
    }

    /// Digits typed on the main row or the numeric keypad.
    pub fn digit(self) -> Option<u8> {
        match self {
            Key::Char(c) => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ctrl_c_to_interrupt_and_ignores_releases() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(ctrl_c), Some(Key::Interrupt));
        let mut release = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(Key::from_event(release), None);
        let f9 = KeyEvent::new(KeyCode::F(9), KeyModifiers::NONE);
        assert_eq!(Key::from_event(f9), Some(Key::F(9)));
    }

    #[test]
    fn digits_include_only_ascii_numbers() {
        assert_eq!(Key::Char('7').digit(), Some(7));
        assert_eq!(Key::Char('a').digit(), None);
        assert_eq!(Key::F(1).digit(), None);
    }
}
