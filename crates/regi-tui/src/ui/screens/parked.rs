//! The parked sales (保留): when each was parked, its items and total; Enter or its number
//! recalls it into the sale screen.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::ParkedList;

pub fn draw(app: &App, list: &ParkedList, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let words = s.carts();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::from(format!(" {} ", words.parked_title)));
    let carts = match &list.carts {
        None => {
            Paragraph::new(Line::styled(
                format!(" {}", words.parked_loading),
                theme.pending(),
            ))
            .block(block)
            .render(area, buf);
            return;
        }
        Some(carts) if carts.is_empty() => {
            Paragraph::new(Line::styled(
                format!(" {}", words.parked_none),
                theme.muted(),
            ))
            .block(block)
            .render(area, buf);
            return;
        }
        Some(carts) => carts,
    };
    let rows = carts.iter().enumerate().map(|(i, cart)| {
        let first = cart
            .lines
            .first()
            .map_or(String::new(), |line| line.name.clone());
        let row = Row::new([
            Cell::from(format!(" {}", i + 1)),
            Cell::from(s.parked_at(&cart.parked_at)),
            Cell::from(first),
            Cell::from(Line::from(cart.items().to_string()).right_aligned()),
            Cell::from(Line::from(cart.total.to_string()).right_aligned()),
        ]);
        if i == list.cursor {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let header = Row::new([
        Cell::from(""),
        Cell::from(words.col_parked_at),
        Cell::from(""),
        Cell::from(Line::from(words.col_items).right_aligned()),
        Cell::from(Line::from(words.col_total).right_aligned()),
    ])
    .style(theme.muted());
    // Keep the cursor's row in view.
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let skip = (list.cursor + 1).saturating_sub(visible);
    Table::new(
        rows.skip(skip),
        [
            Constraint::Length(3),
            Constraint::Length(12),
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(12),
        ],
    )
    .header(header)
    .block(block)
    .render(area, buf);
}

pub fn hints(app: &App, list: &ParkedList) -> Vec<Hint> {
    let s = app.lang.strings();
    let mut hints = Vec::new();
    if list.carts.as_ref().is_some_and(|c| !c.is_empty()) {
        hints.extend([
            hint("Enter/1-9", s.carts().key_recall),
            hint("↑↓", s.key_select),
        ]);
    }
    hints.push(hint("Esc", s.key_back));
    hints
}
