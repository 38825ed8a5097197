//! Around the history's list when a sale of any day is being found: the prompt under the list
//! (what it is found by, what was typed) and, over a found list, what it was found by.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::screens::{HistoryMode, HistoryScreen};
use regi_core::records::{FindBy, SaleQuery};

/// Draws the find prompt and the found list's heading, when there are any, and returns the
/// area left for the list itself.
pub fn draw_around(
    history: &HistoryScreen,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) -> Rect {
    let mut area = area;
    if let HistoryMode::Find { by, typed } = &history.mode {
        let [list, prompt] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(area);
        let label = match by {
            FindBy::ReceiptNo => s.find_by_no,
            FindBy::Amount => s.find_by_amount,
            FindBy::Time => s.find_by_time,
        };
        Paragraph::new(Line::styled(format!(" {label}: {typed}_"), theme.title()))
            .block(
                Block::new()
                    .borders(Borders::ALL)
                    .border_style(theme.border())
                    .title(format!(" {} ", s.key_find)),
            )
            .render(prompt, buf);
        area = list;
    }
    if let Some(query) = &history.filter
        && matches!(history.mode, HistoryMode::List | HistoryMode::Find { .. })
        && area.height > 4
    {
        let [heading, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        Line::styled(
            format!(" {}: {}", s.found_title, described(query)),
            theme.muted(),
        )
        .render(heading, buf);
        area = list;
    }
    area
}

/// What a find asked for, as typed: `No.123`, `¥1,350`, `11-20 10:3`.
fn described(query: &SaleQuery) -> String {
    let mut parts = Vec::new();
    if let Some(no) = query.receipt_no {
        parts.push(format!("No.{no}"));
    }
    if let Some(amount) = query.amount {
        parts.push(amount.to_string());
    }
    parts.extend(query.date.clone());
    parts.extend(query.time.clone());
    parts.join(" ")
}
