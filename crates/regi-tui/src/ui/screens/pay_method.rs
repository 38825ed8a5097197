//! Choosing the payment method.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::draw_checkout_amount;
use crate::ui::theme::Theme;
use regi_core::app::App;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let Some(checkout) = &app.checkout else {
        return;
    };
    let [caption, digits, _, options] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(5),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    draw_checkout_amount(checkout, s, theme, caption, digits, buf);
    Paragraph::new(vec![
        Line::from(vec![
            Span::styled("  1 / F1 ", theme.key()),
            Span::raw("  "),
            Span::styled(s.method_merchant_qr, theme.title()),
        ]),
        Line::default(),
        Line::from(vec![
            Span::styled("  2 / F2 ", theme.key()),
            Span::raw("  "),
            Span::styled(s.method_customer_code, theme.title()),
        ]),
    ])
    .render(options, buf);
}
