//! Training mode prints nothing: the text the printer would have received is shown here instead,
//! scrollable, and Esc returns to the screen it was opened from.

use crate::app::screens::Screen;
use crate::app::{App, Command, Key};

/// Lines PgUp/PgDn move. `update` does not know the terminal's height, so a page is a fixed
/// number of lines that fits the smallest supported terminal.
pub const PAGE_LINES: usize = 10;

/// The text of the last slip training mode would have printed, and the sale it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptPreview {
    pub sale_id: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreviewScreen {
    pub lines: Vec<String>,
    /// Index of the first line drawn.
    pub scroll: usize,
    /// Where Esc goes back to.
    pub back: Box<Screen>,
}

impl PreviewScreen {
    pub fn new(text: &str, back: Screen) -> Self {
        Self {
            lines: text.lines().map(str::to_owned).collect(),
            scroll: 0,
            back: Box::new(back),
        }
    }

    fn last_start(&self) -> usize {
        self.lines.len().saturating_sub(1)
    }
}

/// Opens the preview over the current screen.
pub fn open(app: &mut App, text: &str) {
    let back = std::mem::replace(&mut app.screen, Screen::Sale);
    app.screen = Screen::Preview(PreviewScreen::new(text, back));
}

/// Opens the stored preview of `sale_id`, if training produced one for it.
pub fn open_for_sale(app: &mut App, sale_id: i64) {
    let Some(text) = app
        .preview
        .as_ref()
        .filter(|p| p.sale_id == sale_id)
        .map(|p| p.text.clone())
    else {
        return;
    };
    open(app, &text);
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::Preview(preview) = &mut app.screen else {
        return Vec::new();
    };
    let last = preview.last_start();
    match key {
        Key::Esc | Key::Enter => {
            let back = std::mem::replace(&mut preview.back, Box::new(Screen::Sale));
            app.screen = *back;
        }
        Key::Up => preview.scroll = preview.scroll.saturating_sub(1),
        Key::Down => preview.scroll = (preview.scroll + 1).min(last),
        Key::PageUp => preview.scroll = preview.scroll.saturating_sub(PAGE_LINES),
        Key::PageDown => preview.scroll = (preview.scroll + PAGE_LINES).min(last),
        _ => {}
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::screens::{HistoryMode, OutcomeKind};
    use crate::app::test_support::*;
    use crate::app::{Msg, NoticeMessage, PaymentEvent, update};
    use crate::records::SaleState;

    /// 30 numbered lines, like a long receipt.
    fn receipt() -> String {
        (1..=30).map(|n| format!("line {n}\n")).collect()
    }

    /// A training sale paid on the QR screen; sale 1's receipt preview has arrived.
    fn paid_with_preview() -> App {
        let mut app = showing_qr(true);
        answer(&mut app, paid_event(1200));
        update(
            &mut app,
            Msg::Printed {
                sale_id: 1,
                shown: false,
                result: Ok(Some(receipt())),
            },
        );
        app
    }

    fn scroll(app: &App) -> usize {
        match &app.screen {
            Screen::Preview(p) => p.scroll,
            other => panic!("not the preview: {other:?}"),
        }
    }

    #[test]
    fn f7_on_the_paid_screen_opens_the_preview_and_esc_returns() {
        let mut app = paid_with_preview();
        let before = app.screen.clone();
        assert!(press(&mut app, &[Key::F(7)]).is_empty());
        let Screen::Preview(preview) = &app.screen else {
            panic!("not the preview: {:?}", app.screen)
        };
        assert_eq!(preview.lines.len(), 30);
        assert_eq!(preview.lines[0], "line 1");
        assert_eq!(preview.scroll, 0);
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, before);
    }

    #[test]
    fn arrows_and_pages_scroll_within_the_text() {
        let mut app = paid_with_preview();
        press(&mut app, &[Key::F(7), Key::Up]);
        assert_eq!(scroll(&app), 0);
        press(&mut app, &[Key::Down, Key::Down]);
        assert_eq!(scroll(&app), 2);
        press(&mut app, &[Key::PageDown]);
        assert_eq!(scroll(&app), 2 + PAGE_LINES);
        press(&mut app, &[Key::PageDown, Key::PageDown, Key::PageDown]);
        assert_eq!(scroll(&app), 29);
        press(&mut app, &[Key::Down]);
        assert_eq!(scroll(&app), 29);
        press(&mut app, &[Key::PageUp]);
        assert_eq!(scroll(&app), 29 - PAGE_LINES);
        press(&mut app, &[Key::PageUp, Key::PageUp, Key::PageUp]);
        assert_eq!(scroll(&app), 0);
    }

    #[test]
    fn without_a_preview_for_this_sale_f7_does_nothing() {
        let mut app = paid_with_preview();
        app.preview = Some(ReceiptPreview {
            sale_id: 99,
            text: receipt(),
        });
        press(&mut app, &[Key::F(7)]);
        assert!(matches!(
            &app.screen,
            Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Paid { .. })
        ));
        app.preview = None;
        press(&mut app, &[Key::F(7)]);
        assert!(matches!(app.screen, Screen::Outcome(_)));
    }

    #[test]
    fn an_empty_preview_cannot_scroll_and_still_goes_back() {
        let mut app = training_app();
        open(&mut app, "");
        press(&mut app, &[Key::Down, Key::PageDown]);
        assert_eq!(scroll(&app), 0);
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.screen, Screen::Sale);
    }

    #[test]
    fn a_training_reprint_from_history_opens_the_preview_over_the_detail() {
        let mut app = training_app();
        press(&mut app, &[Key::F(4)]);
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(7, SaleState::Paid)])),
        );
        let commands = press(&mut app, &[Key::Enter, Key::F(8)]);
        assert_eq!(commands.len(), 1);
        update(
            &mut app,
            Msg::Printed {
                sale_id: 7,
                shown: true,
                result: Ok(Some("再発行\nreceipt".into())),
            },
        );
        let Screen::Preview(preview) = &app.screen else {
            panic!("not the preview: {:?}", app.screen)
        };
        assert_eq!(
            preview.lines,
            vec!["再発行".to_string(), "receipt".to_string()]
        );
        assert_eq!(app.notice, None);
        press(&mut app, &[Key::Esc]);
        assert!(matches!(
            &app.screen,
            Screen::History(h) if h.mode == HistoryMode::Detail
        ));
    }

    #[test]
    fn a_reprint_on_paper_is_only_reported() {
        let mut app = app();
        update(
            &mut app,
            Msg::Printed {
                sale_id: 7,
                shown: true,
                result: Ok(None),
            },
        );
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.preview, None);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::Reprinted)
        );
    }

    #[test]
    fn a_new_payment_forgets_the_previous_preview() {
        let mut app = paid_with_preview();
        press(&mut app, &[Key::Enter]);
        type_text(&mut app, "300");
        press(&mut app, &[Key::Enter, Key::F(1)]);
        answer(
            &mut app,
            PaymentEvent::Paid {
                sale_id: 2,
                transaction: paid(300),
            },
        );
        assert_eq!(app.preview, None);
    }
}
