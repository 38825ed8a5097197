//! Status and diagnostics: the same checks as `regi doctor`, plus what start-up recovered.

use crate::app::screens::Screen;
use crate::app::{App, Command, Key};

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    match key {
        Key::Esc => {
            app.screen = Screen::Sale;
            Vec::new()
        }
        Key::F(5) | Key::Char('r') => {
            app.status = None;
            vec![Command::CheckStatus]
        }
        _ => Vec::new(),
    }
}
