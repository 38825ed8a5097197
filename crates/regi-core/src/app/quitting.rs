//! Quitting with something on the till never loses it silently: Ctrl-C with a cart, a checkout or
//! a payment in flight asks first; asked again, a QR on screen is withdrawn (and its end recorded,
//! a payment made a moment before still counting) before regi quits, and a charge on its way is
//! waited for. A third Ctrl-C quits at once; whatever was in flight is journaled and settled on
//! the next start. (A sale partly paid asks its own question: see `screens::leaving`.)

use super::screens::{Leaving, Screen, leaving, qr_wait, split};
use super::{App, Command, Key, NoticeMessage};

/// Where a quit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuitState {
    #[default]
    NotAsked,
    /// Ctrl-C was pressed once with something on the till; the next one goes on.
    Asked,
    /// Quitting as soon as the payment in flight has ended.
    WhenSettled,
}

/// Whether quitting now would drop what the clerk is working on.
fn something_on_the_till(app: &App) -> bool {
    app.live_attempt().is_some()
        || app.checkout.is_some()
        || !app.cart.is_empty()
        || !app.input.is_empty()
}

/// Ctrl-C (or the terminal closing the program) on a till not partly paid.
pub fn on_interrupt(app: &mut App) -> Vec<Command> {
    // A sale partly paid, nothing in flight, asks its own question (go on, or give the paid
    // tenders back); asked, or while the tenders are being given back, Ctrl-C quits: the journal
    // keeps the sale (and any refund begun) for the next start.
    if split::partly_paid(app) && app.live_attempt().is_none() {
        let asked = matches!(
            app.split.leaving,
            Some(Leaving::Asking { quit: true } | Leaving::CheckingPin(_) | Leaving::GivingBack(_))
        );
        if asked {
            return quit(app);
        }
        leaving::ask_to_leave(app, true);
        return Vec::new();
    }
    match app.quit {
        QuitState::NotAsked if something_on_the_till(app) => {
            app.quit = QuitState::Asked;
            app.notify(NoticeMessage::QuitAsks {
                qr: matches!(app.screen, Screen::QrWait(_)),
            });
            Vec::new()
        }
        QuitState::Asked if app.live_attempt().is_some() => {
            app.quit = QuitState::WhenSettled;
            app.notify(NoticeMessage::QuitWhenSettled);
            match app.screen {
                // Withdrawn as Esc would; its answer ends the wait.
                Screen::QrWait(_) => qr_wait::on_key(app, Key::Esc),
                _ => Vec::new(),
            }
        }
        _ => quit(app),
    }
}

/// After any answer of a payment: quits once nothing is in flight any more, if that was asked.
pub fn after_payment(app: &mut App, mut commands: Vec<Command>) -> Vec<Command> {
    if app.quit == QuitState::WhenSettled && app.live_attempt().is_none() {
        commands.extend(quit(app));
    }
    commands
}

/// A key other than Ctrl-C: the clerk went on working, so a later Ctrl-C asks again.
pub fn on_other_key(app: &mut App) {
    if app.quit == QuitState::Asked {
        app.quit = QuitState::NotAsked;
    }
}

fn quit(app: &mut App) -> Vec<Command> {
    app.quitting = true;
    vec![Command::Quit]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};

    #[test]
    fn an_empty_till_quits_at_once() {
        let mut app = app();
        assert_eq!(press(&mut app, &[Key::Interrupt]), vec![Command::Quit]);
        assert!(app.quitting);
    }

    #[test]
    fn a_cart_asks_first_and_a_second_ctrl_c_quits() {
        let mut app = app();
        type_text(&mut app, "100");
        assert!(press(&mut app, &[Key::Interrupt]).is_empty());
        assert!(!app.quitting);
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::QuitAsks { qr: false })
        ));
        assert_eq!(press(&mut app, &[Key::Interrupt]), vec![Command::Quit]);
        assert!(app.quitting);
    }

    #[test]
    fn going_on_working_after_the_question_asks_again() {
        let mut app = app();
        type_text(&mut app, "100");
        press(&mut app, &[Key::Interrupt]);
        type_text(&mut app, "0");
        assert!(press(&mut app, &[Key::Interrupt]).is_empty());
        assert!(!app.quitting);
    }

    #[test]
    fn a_qr_on_screen_is_withdrawn_and_its_end_awaited_before_quitting() {
        let mut app = showing_qr(false);
        let attempt = app.live_attempt().unwrap();
        assert!(press(&mut app, &[Key::Interrupt]).is_empty());
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::QuitAsks { qr: true })
        ));
        assert_eq!(
            press(&mut app, &[Key::Interrupt]),
            vec![Command::CancelQr { attempt }]
        );
        assert!(!app.quitting, "not before the QR's end is known");
        // The customer paid a moment before the cancel: it is shown and recorded, then regi quits.
        let commands = update(
            &mut app,
            Msg::Payment {
                attempt,
                event: paid_event(1_200),
            },
        );
        assert!(commands.contains(&Command::Quit), "{commands:?}");
        assert!(app.quitting);
    }

    #[test]
    fn a_third_ctrl_c_quits_without_waiting() {
        let mut app = showing_qr(false);
        press(&mut app, &[Key::Interrupt, Key::Interrupt]);
        assert_eq!(press(&mut app, &[Key::Interrupt]), vec![Command::Quit]);
    }
}
