//! X and Z reports.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::app::App;
use crate::app::records::{ReportKind, ReportSummary};
use crate::app::screens::ReportsScreen;
use crate::ui::render::{Hint, hint};
use crate::ui::strings::{Strings, yen};
use crate::ui::theme::Theme;

fn kind_name(kind: ReportKind, s: &Strings) -> &'static str {
    match kind {
        ReportKind::X => s.report_x,
        ReportKind::Z => s.report_z,
    }
}

pub fn draw(app: &App, reports: &ReportsScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border());
    match reports {
        ReportsScreen::Menu => Paragraph::new(vec![
            Line::default(),
            Line::from(format!("  [X] {}", s.report_x)),
            Line::default(),
            Line::from(format!("  [Z] {}", s.report_z)),
        ])
        .block(block)
        .render(area, buf),
        ReportsScreen::ConfirmZ => Paragraph::new(vec![
            Line::default(),
            Line::styled(format!("  {}", s.report_z_confirm), theme.pending()),
        ])
        .block(block)
        .render(area, buf),
        ReportsScreen::Loading(_) => Paragraph::new(Line::styled(
            format!("  {}", s.report_loading),
            theme.pending(),
        ))
        .block(block)
        .render(area, buf),
        ReportsScreen::Shown(summary) => draw_summary(summary, s, theme, block, area, buf),
    }
}

fn draw_summary(
    summary: &ReportSummary,
    s: &Strings,
    theme: &Theme,
    block: Block,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut title = kind_name(summary.kind, s).to_string();
    if summary.kind == ReportKind::Z {
        title = format!("{title}  {}", s.report_z_done);
    }
    let row = |label: &'static str, count: Option<u32>, amount: i64| {
        Row::new([
            Cell::from(format!(" {label}")),
            Cell::from(
                Line::from(count.map(|c| c.to_string()).unwrap_or_default()).right_aligned(),
            ),
            Cell::from(Line::from(yen(amount)).right_aligned()),
        ])
    };
    let rows = vec![
        row(
            s.report_sales,
            Some(summary.payments.count),
            summary.payments.amount,
        ),
        row(
            s.report_topups,
            Some(summary.topups.count),
            summary.topups.amount,
        ),
        row(
            s.report_refunds,
            Some(summary.refunds.count),
            summary.refunds.amount,
        ),
        row(s.report_net, None, summary.net()).style(theme.total()),
    ];
    Table::new(
        rows,
        [
            Constraint::Length(16),
            Constraint::Length(8),
            Constraint::Length(16),
        ],
    )
    .header(
        Row::new([
            Cell::from(""),
            Cell::from(Line::from(s.report_count).right_aligned()),
            Cell::from(Line::from(s.amount).right_aligned()),
        ])
        .style(theme.muted()),
    )
    .block(block.title(Line::styled(format!(" {title} "), theme.title())))
    .render(area, buf);
}

pub fn hints(app: &App, reports: &ReportsScreen) -> Vec<Hint> {
    let s = app.lang.strings();
    match reports {
        ReportsScreen::ConfirmZ => {
            vec![hint("Enter/Y", s.key_confirm), hint("Esc/N", s.key_cancel)]
        }
        ReportsScreen::Loading(_) => vec![hint("…", s.please_wait)],
        _ => vec![
            hint("X", s.report_x),
            hint("Z", s.report_z),
            hint("Esc", s.key_back),
        ],
    }
}
