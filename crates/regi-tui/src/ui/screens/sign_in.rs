//! Signing in (担当者): the staff code, then the PIN as dots, or a staff card scanned.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::pin_entry;
use regi_core::app::screens::sign_in::SignIn;

pub fn draw(app: &App, form: &SignIn, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let words = s.staff();
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(9),
        Constraint::Fill(1),
    ])
    .areas(area);
    let field = |label: &str, text: String, active: bool| {
        let style = if active { theme.input() } else { theme.muted() };
        Line::from(vec![
            Span::raw(format!(" {label}: ")),
            Span::styled(text, style),
        ])
    };
    let code_active = form.pin.is_none();
    let mut lines = vec![
        Line::styled(format!(" {}", words.prompt), theme.title()),
        Line::default(),
        field(
            words.code,
            format!("{}{}", form.code, if code_active { "_" } else { "" }),
            code_active,
        ),
    ];
    if let Some(pin) = &form.pin {
        lines.push(field(
            words.pin,
            format!("{}_", "*".repeat(pin.len())),
            true,
        ));
    }
    lines.push(Line::default());
    if form.checking.is_some() {
        lines.push(Line::styled(
            format!(" {}", words.checking),
            theme.pending(),
        ));
    } else if pin_entry::locked(app) {
        let wait = app
            .pin_lockout
            .remaining(app.now)
            .map_or(0, |d| d.num_seconds().max(1));
        lines.push(Line::styled(
            format!(" {}", s.pin_locked(wait)),
            theme.failure(),
        ));
    } else {
        lines.push(Line::styled(format!(" {}", words.card), theme.muted()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Line::from(format!(" {} ", words.title))),
        )
        .render(middle, buf);
}

pub fn hints(app: &App, form: &SignIn) -> Vec<Hint> {
    let s = app.lang.strings();
    let words = s.staff();
    if form.pin.is_none() {
        vec![hint("Enter", words.key_next), hint("Esc", s.key_clear)]
    } else {
        vec![hint("Enter", words.key_sign_in), hint("Esc", s.key_back)]
    }
}
