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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::records::{Check, StatusReport};
    use crate::app::test_support::*;
    use crate::app::{Msg, update};

    #[test]
    fn refresh_clears_and_rechecks() {
        let mut app = app();
        press(&mut app, &[Key::F(6)]);
        let report = StatusReport {
            checks: vec![Check {
                name: "api".into(),
                ok: true,
                detail: "12 ms".into(),
                hint: None,
            }],
        };
        update(&mut app, Msg::StatusChecked(report));
        assert!(app.status.is_some());
        assert_eq!(
            press(&mut app, &[Key::Char('r')]),
            vec![Command::CheckStatus]
        );
        assert!(app.status.is_none());
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
    }
}
