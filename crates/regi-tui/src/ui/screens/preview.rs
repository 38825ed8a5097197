//! The training receipt preview: the slip's text in a frame, from the scrolled-to line down.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::PreviewScreen;

pub fn draw(app: &App, preview: &PreviewScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let lines: Vec<Line> = preview
        .lines
        .iter()
        .skip(preview.scroll)
        .map(|line| Line::from(line.as_str()))
        .collect();
    let title = format!(
        " {} {}/{} ",
        s.preview_not_printed,
        (preview.scroll + 1).min(preview.lines.len()),
        preview.lines.len()
    );
    // Receipts are laid out in fixed columns: no wrapping, so the layout stays as on paper.
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Line::styled(title, theme.notice())),
        )
        .render(area, buf);
}

pub fn hints(app: &App) -> Vec<Hint> {
    let s = app.lang.strings();
    vec![hint("↑↓/PgUp/PgDn", s.key_scroll), hint("Esc", s.key_back)]
}
