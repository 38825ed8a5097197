//! Signing in at the register (担当者): the staff code, then the PIN (or a staff card scanned),
//! checked by the runtime against `[[staff]]` and journaled. Nothing is sold until someone is on
//! duty; F12 on an empty sale screen signs them out and brings this screen back.

use chrono::{DateTime, Utc};

use crate::app::screens::{Screen, pin_entry};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage};
use crate::records::StaffOnDuty;
use crate::secret::Secret;

/// The longest staff code typed.
const MAX_CODE: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignIn {
    pub code: String,
    /// The PIN as typed; `None` while the code is typed.
    pub pin: Option<String>,
    /// The check sent, waiting for its answer.
    pub checking: Option<AttemptId>,
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefused {
    /// No such code, or not its PIN (the two are not told apart).
    WrongCodeOrPin,
    /// A scanned card that belongs to nobody.
    UnknownCard,
    /// The check or the journal failed (why).
    Failed(String),
}

pub fn open(app: &mut App) {
    app.screen = Screen::SignIn(SignIn::default());
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let attempt = app.new_attempt();
    let Screen::SignIn(form) = &mut app.screen else {
        return Vec::new();
    };
    if form.checking.is_some() {
        return Vec::new();
    }
    match (&mut form.pin, key) {
        (None, Key::Enter) if !form.code.is_empty() => form.pin = Some(String::new()),
        (None, Key::Backspace) => {
            form.code.pop();
        }
        (None, Key::Esc) => form.code.clear(),
        (None, key) => {
            if let Some(digit) = key.digit()
                && form.code.len() < MAX_CODE
            {
                form.code.push(char::from(b'0' + digit));
            }
        }
        (Some(_), Key::Esc) => form.pin = None,
        (Some(pin), Key::Enter) if !locked && !pin.is_empty() => {
            let entered = Secret::new(std::mem::take(pin));
            form.checking = Some(attempt);
            return vec![Command::SignIn {
                attempt,
                code: form.code.clone(),
                pin: entered,
            }];
        }
        (Some(pin), key) => {
            // Full-width digits too: an input method left on.
            let key = key.digit().map_or(key, |d| Key::Char(char::from(b'0' + d)));
            pin_entry::edit(pin, key, locked);
        }
    }
    Vec::new()
}

/// A staff card scanned signs its holder in without the PIN.
pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    let attempt = app.new_attempt();
    let Screen::SignIn(form) = &mut app.screen else {
        return Vec::new();
    };
    if form.checking.is_some() {
        return Vec::new();
    }
    form.checking = Some(attempt);
    vec![Command::SignInByCard {
        attempt,
        card: code.trim().into(),
    }]
}

pub fn on_signed_in(
    app: &mut App,
    attempt: AttemptId,
    result: Result<StaffOnDuty, SignInRefused>,
    at: DateTime<Utc>,
) -> Vec<Command> {
    let Screen::SignIn(form) = &mut app.screen else {
        return Vec::new();
    };
    if form.checking != Some(attempt) {
        return Vec::new();
    }
    form.checking = None;
    match result {
        Ok(staff) => {
            pin_entry::count(app, true, at);
            app.notify(NoticeMessage::SignedIn(staff.name.clone()));
            app.on_duty = Some(staff);
            app.screen = Screen::Sale;
        }
        Err(SignInRefused::WrongCodeOrPin) => {
            form.pin = None;
            form.code.clear();
            pin_entry::count(app, false, at);
            app.notify(NoticeMessage::SignInRefused);
        }
        Err(SignInRefused::UnknownCard) => app.notify(NoticeMessage::UnknownStaffCard),
        Err(SignInRefused::Failed(why)) => app.notify(NoticeMessage::TaskFailed(why)),
    }
    Vec::new()
}

/// F12 on the sale screen: the member on duty signs out, once nothing is being sold.
pub fn sign_out(app: &mut App) -> Vec<Command> {
    if app.on_duty.is_none() {
        return Vec::new();
    }
    if !app.cart.is_empty() || !app.input.is_empty() || app.checkout.is_some() {
        app.notify(NoticeMessage::FinishSaleFirst);
        return Vec::new();
    }
    app.on_duty = None;
    open(app);
    vec![Command::SignOut]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::records::StaffRole;

    fn staffed() -> App {
        let mut app = app();
        open(&mut app);
        app
    }

    fn yamada() -> StaffOnDuty {
        StaffOnDuty {
            code: "101".into(),
            name: "山田".into(),
            role: StaffRole::Clerk,
        }
    }

    #[test]
    fn code_enter_pin_enter_signs_in_once_the_runtime_confirms() {
        let mut app = staffed();
        type_text(&mut app, "101");
        press(&mut app, &[Key::Enter]);
        type_text(&mut app, "2468");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::SignIn { attempt, code, pin }] = &commands[..] else {
            panic!("{commands:?}");
        };
        assert_eq!((code.as_str(), pin.expose().as_str()), ("101", "2468"));
        assert!(
            !format!("{commands:?}").contains("2468"),
            "the PIN is masked"
        );
        update(
            &mut app,
            Msg::SignedIn {
                attempt: *attempt,
                result: Ok(yamada()),
                at: t0(),
            },
        );
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.on_duty, Some(yamada()));
    }

    #[test]
    fn a_wrong_pin_starts_over_and_counts_toward_the_lockout() {
        let mut app = staffed();
        type_text(&mut app, "101");
        press(&mut app, &[Key::Enter]);
        type_text(&mut app, "1111");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::SignIn { attempt, .. }] = &commands[..] else {
            panic!("{commands:?}");
        };
        update(
            &mut app,
            Msg::SignedIn {
                attempt: *attempt,
                result: Err(SignInRefused::WrongCodeOrPin),
                at: t0(),
            },
        );
        assert_eq!(app.screen, Screen::SignIn(SignIn::default()));
        assert!(app.on_duty.is_none());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::SignInRefused)
        );
    }

    #[test]
    fn f12_signs_out_only_with_nothing_on_the_till() {
        let mut app = app();
        app.on_duty = Some(yamada());
        type_text(&mut app, "500+");
        assert!(press(&mut app, &[Key::F(12)]).is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::FinishSaleFirst)
        );
        press(&mut app, &[Key::F(7), Key::Char('1'), Key::Enter]);
        update(&mut app, Msg::CartVoided(Ok(1)));
        assert_eq!(press(&mut app, &[Key::F(12)]), vec![Command::SignOut]);
        assert!(matches!(app.screen, Screen::SignIn(_)));
        assert!(app.on_duty.is_none());
    }

    #[test]
    fn a_staff_card_scanned_asks_the_runtime_by_card() {
        let mut app = staffed();
        let commands = update(&mut app, Msg::Scan("S0007".into()));
        assert!(matches!(&commands[..], [Command::SignInByCard { .. }]));
        assert!(
            !format!("{commands:?}").contains("S0007"),
            "the card is masked"
        );
    }
}
