//! The manager PIN prompt as the screens it guards share it (refunds, captures, tabs): digits up
//! to a length, nothing typed while tries are locked out after wrong PINs, the check asked of the
//! runtime with the typed PIN taken out of the screen, and every answer counted toward the
//! lockout.

use chrono::{DateTime, Utc};

use crate::app::{App, AttemptId, Command, Key, PinPurpose};
use crate::secret::Secret;

/// Digits a PIN may have.
pub const MAX_PIN: usize = 12;

/// Whether PIN tries are refused now after repeated wrong PINs.
pub fn locked(app: &App) -> bool {
    app.pin_required && app.pin_lockout.remaining(app.now).is_some()
}

/// A key on the prompt other than Enter and Esc: Backspace and digits edit `pin`; while
/// `locked` nothing is typed. Returns whether the key was the prompt's.
pub fn edit(pin: &mut String, key: Key, locked: bool) -> bool {
    match key {
        Key::Backspace => {
            pin.pop();
            true
        }
        // Nothing to type while locked: the prompt shows how long to wait instead.
        _ if locked => true,
        Key::Char(c) if c.is_ascii_digit() => {
            if pin.len() < MAX_PIN {
                pin.push(c);
            }
            true
        }
        _ => false,
    }
}

/// The check of the PIN typed so far, for `purpose`; the prompt is left empty.
pub fn verify(typed: &mut String, attempt: AttemptId, purpose: PinPurpose) -> Command {
    Command::VerifyPin {
        attempt,
        entered: Secret::new(std::mem::take(typed)),
        purpose,
    }
}

/// Counts the answer to a PIN check toward the lockout: every answer, also one for a prompt the
/// clerk has since left.
pub fn count(app: &mut App, correct: bool, at: DateTime<Utc>) {
    if correct {
        app.pin_lockout.right();
    } else {
        app.pin_lockout.wrong(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_up_to_the_length_are_typed_and_nothing_while_locked() {
        let mut pin = String::new();
        for c in "12345678901234".chars() {
            assert!(edit(&mut pin, Key::Char(c), false));
        }
        assert_eq!(pin.len(), MAX_PIN);
        assert!(!edit(&mut pin, Key::Char('a'), false));
        assert!(edit(&mut pin, Key::Backspace, false));
        assert_eq!(pin.len(), MAX_PIN - 1);
        assert!(edit(&mut pin, Key::Char('9'), true));
        assert_eq!(pin.len(), MAX_PIN - 1, "nothing typed while locked");
    }
}
