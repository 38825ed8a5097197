//! Taking cash: what is left to pay in big digits, the amount received as typed, and the quick
//! keys with the yen each takes.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::draw_checkout_amount;
use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::CashEntry;
use regi_core::app::screens::cash::quick_keys;
use regi_core::app::screens::split;
use regi_core::domain::Yen;

/// The hint key of each quick key, by its F-key number.
const QUICK: [&str; 4] = ["F1", "F2", "F3", "F4"];

pub fn draw(app: &App, entry: &CashEntry, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let Some(checkout) = &app.checkout else {
        return;
    };
    let [caption, digits, _, info] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(5),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    draw_checkout_amount(app, checkout, s, theme, caption, digits, buf);
    let remaining = split::remaining(app).unwrap_or(Yen::ZERO);
    if entry.taking.is_some() {
        Paragraph::new(Line::styled(
            format!(" {}", s.cash_recording),
            theme.pending(),
        ))
        .render(info, buf);
        return;
    }
    let mut lines = vec![
        Line::styled(format!(" {}", s.cash_prompt), theme.title()),
        Line::default(),
        Line::from(vec![
            Span::raw(format!(" {}: ", s.cash_received)),
            Span::styled(typed_amount(&entry.typed), theme.input()),
        ]),
        Line::default(),
    ];
    lines.push(Line::from(vec![
        Span::styled(" Enter ", theme.key()),
        Span::raw(format!(" {} {remaining}", s.cash_exact)),
    ]));
    let mut keys = Vec::new();
    for (n, yen) in quick_keys(remaining) {
        keys.push(Span::raw(if n == 1 { "" } else { "   " }));
        keys.push(Span::styled(
            format!(" {} ", QUICK[usize::from(n - 1)]),
            theme.key(),
        ));
        keys.push(Span::raw(format!(" {yen}")));
    }
    lines.push(Line::from(keys));
    Paragraph::new(lines).render(info, buf);
}

/// `¥2,000_` as the clerk types it; just the cursor before anything is typed.
fn typed_amount(typed: &str) -> String {
    match typed.parse::<i64>() {
        Ok(yen) => format!("{}_", Yen(yen)),
        Err(_) => "_".into(),
    }
}

pub fn hints(app: &App, entry: &CashEntry) -> Vec<Hint> {
    let s = app.lang.strings();
    if entry.taking.is_some() {
        return vec![hint("…", s.please_wait)];
    }
    vec![
        hint("0-9", s.key_amount),
        hint("Enter", s.key_confirm),
        hint("F1-F4", s.key_quick),
        hint("Esc", s.key_back),
    ]
}
