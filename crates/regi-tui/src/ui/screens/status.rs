//! Diagnostics: the doctor's checks, start-up recovery, configuration without secrets.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::ui::theme::Theme;
use regi_core::app::App;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let mut lines = Vec::new();
    match &app.status {
        None => lines.push(Line::styled(
            format!(" {}", s.api_checking),
            theme.pending(),
        )),
        Some(report) => {
            for check in &report.checks {
                let (label, style) = if check.ok {
                    (s.label_ok, theme.success())
                } else {
                    (s.label_ng, theme.failure())
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {label} "), style),
                    Span::styled(check.name.clone(), theme.title()),
                    Span::raw(format!("  {}", check.detail)),
                ]));
                if let Some(hint) = &check.hint {
                    lines.push(Line::styled(format!("      → {hint}"), theme.muted()));
                }
            }
        }
    }
    lines.push(Line::default());
    let recovery = if app.startup.recovered + app.startup.unresolved == 0 {
        s.recovery_none.to_string()
    } else {
        s.recovered(app.startup.recovered, app.startup.unresolved)
    };
    lines.push(Line::from(format!(" {}: {recovery}", s.recovery)));
    lines.push(Line::default());
    lines.push(Line::styled(
        format!(" {}", s.config_summary),
        theme.title(),
    ));
    for (key, value) in &app.startup.config_summary {
        lines.push(Line::from(format!("   {key} = {value}")));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border()),
        )
        .render(area, buf);
}
