//! Prompt for the customer's code; typed characters are masked like any bearer token.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::draw_checkout_amount;
use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::ScanWait;
use regi_core::secret::mask_tail;

pub fn draw(app: &App, wait: &ScanWait, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let Some(checkout) = &app.checkout else {
        return;
    };
    let [caption, digits, info] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(5),
        Constraint::Fill(1),
    ])
    .areas(area);
    draw_checkout_amount(app, checkout, s, theme, caption, digits, buf);
    let lines = if wait.charging.is_some() {
        vec![
            Line::default(),
            Line::styled(format!(" {}", s.charging), theme.pending()),
        ]
    } else {
        vec![
            Line::default(),
            Line::styled(format!(" {}", s.scan_instruction), theme.title()),
            Line::default(),
            Line::from(vec![
                Span::raw(format!(" {}: ", s.scan_typed)),
                Span::styled(format!("{}_", mask_tail(&wait.typed, 4)), theme.input()),
            ]),
        ]
    };
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(info, buf);
}

pub fn hints(app: &App, wait: &ScanWait) -> Vec<Hint> {
    let s = app.lang.strings();
    if wait.charging.is_some() {
        return vec![hint("…", s.please_wait)];
    }
    let mut hints = vec![hint("Enter", s.key_confirm), hint("Esc", s.key_back)];
    if app.training {
        hints.push(hint("F11", s.key_customer_shows_code));
    }
    hints
}
