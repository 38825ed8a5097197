//! Voiding the whole cart before payment (取消): F7 on the sale screen asks why (a preset on 1 or
//! 2, or typed), Enter voids it. The journal keeps it as a voided sale with the reason, counted in
//! the X/Z reports; the cart clears only once that is written. After payment it is a refund.

use crate::app::{App, Command, Key, NoticeMessage};
use crate::domain::SaleKind;

/// The reasons on the number keys, as journaled (the journal keeps the shop's language).
pub const PRESET_REASONS: [&str; 2] = ["お客様都合", "打ち間違い"];

/// The longest reason kept, in characters.
const MAX_REASON_CHARS: usize = 20;

/// The void being asked about: its reason as typed, and whether it is being written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VoidEntry {
    pub reason: String,
    /// Sent to the journal; keys wait for the answer.
    pub voiding: bool,
}

/// F7: asks to void the cart (nothing to void says so).
pub fn begin(app: &mut App) {
    if app.mode != SaleKind::Payment || app.cart.is_empty() {
        app.notify(NoticeMessage::NothingToVoid);
        return;
    }
    app.input.clear();
    app.department_key = false;
    app.void_entry = Some(VoidEntry::default());
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Some(entry) = app.void_entry.as_mut() else {
        return Vec::new();
    };
    if entry.voiding {
        return Vec::new();
    }
    match key {
        Key::Esc => app.void_entry = None,
        Key::Backspace => {
            entry.reason.pop();
        }
        Key::Enter => return confirm(app),
        key => {
            // A digit on an empty reason picks a preset; otherwise it is part of the text.
            let preset = key
                .digit()
                .filter(|_| entry.reason.is_empty())
                .and_then(|d| PRESET_REASONS.get(usize::from(d).wrapping_sub(1)));
            match (preset, key) {
                (Some(reason), _) => entry.reason = (*reason).to_owned(),
                (None, Key::Char(c))
                    if !c.is_control() && entry.reason.chars().count() < MAX_REASON_CHARS =>
                {
                    entry.reason.push(c)
                }
                _ => {}
            }
        }
    }
    Vec::new()
}

fn confirm(app: &mut App) -> Vec<Command> {
    let Some(entry) = app.void_entry.as_mut() else {
        return Vec::new();
    };
    let reason = entry.reason.trim().to_owned();
    if reason.is_empty() {
        app.notify(NoticeMessage::VoidNeedsReason);
        return Vec::new();
    }
    match app.cart.checkout() {
        Ok(draft) => {
            entry.voiding = true;
            vec![Command::VoidCart { draft, reason }]
        }
        Err(_) => {
            app.void_entry = None;
            app.notify(NoticeMessage::NothingToVoid);
            Vec::new()
        }
    }
}

/// The journal's answer: voided (receipt number), or why not — then the cart stays as it was.
pub fn on_voided(app: &mut App, result: Result<i64, String>) -> Vec<Command> {
    app.void_entry = None;
    match result {
        Ok(receipt_no) => {
            app.cart.clear();
            app.input.clear();
            app.selected = None;
            app.notify(NoticeMessage::CartVoided { receipt_no });
        }
        Err(reason) => app.notify(NoticeMessage::VoidFailed(reason)),
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use crate::app::test_support::*;
    use crate::app::{Command, Key, Msg, NoticeMessage, update};
    use crate::domain::Yen;

    fn notice(app: &crate::app::App) -> Option<&NoticeMessage> {
        app.notice.as_ref().map(|n| &n.message)
    }

    #[test]
    fn f7_then_a_preset_reason_and_enter_voids_the_whole_cart_once_journaled() {
        let mut app = app();
        type_text(&mut app, "500+300+");
        press(&mut app, &[Key::F(7), Key::Char('1')]);
        assert_eq!(
            app.void_entry.as_ref().map(|e| e.reason.as_str()),
            Some("お客様都合")
        );
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::VoidCart { draft, reason }] = &commands[..] else {
            panic!("{commands:?}");
        };
        assert_eq!((draft.total, reason.as_str()), (Yen(800), "お客様都合"));
        assert_eq!(app.cart.lines().len(), 2, "kept until the journal has it");
        update(&mut app, Msg::CartVoided(Ok(7)));
        assert!(app.cart.is_empty() && app.void_entry.is_none());
        assert_eq!(
            notice(&app),
            Some(&NoticeMessage::CartVoided { receipt_no: 7 })
        );
    }

    #[test]
    fn a_void_the_journal_refused_keeps_the_cart() {
        let mut app = app();
        type_text(&mut app, "500+");
        press(&mut app, &[Key::F(7)]);
        type_text(&mut app, "破損");
        press(&mut app, &[Key::Enter]);
        update(&mut app, Msg::CartVoided(Err("disk full".into())));
        assert_eq!(app.cart.total(), Ok(Yen(500)));
        assert!(matches!(notice(&app), Some(NoticeMessage::VoidFailed(_))));
    }

    #[test]
    fn a_void_needs_a_reason_and_esc_keeps_the_cart() {
        let mut app = app();
        type_text(&mut app, "500+");
        press(&mut app, &[Key::F(7)]);
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        assert_eq!(notice(&app), Some(&NoticeMessage::VoidNeedsReason));
        press(&mut app, &[Key::Esc]);
        assert!(app.void_entry.is_none());
        assert_eq!(app.cart.total(), Ok(Yen(500)));
    }

    #[test]
    fn nothing_to_void_says_so() {
        let mut app = app();
        press(&mut app, &[Key::F(7)]);
        assert!(app.void_entry.is_none());
        assert_eq!(notice(&app), Some(&NoticeMessage::NothingToVoid));
    }
}
