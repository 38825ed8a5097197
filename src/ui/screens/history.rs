//! Today's sales, one sale's detail, and the manager PIN prompt for a refund.

use chrono_tz::Asia::Tokyo;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::app::App;
use crate::app::records::{PayMethod, SaleRecord, SaleState};
use crate::app::screens::{HistoryMode, HistoryScreen};
use crate::gateway::Direction;
use crate::ui::render::{Hint, hint};
use crate::ui::strings::{Strings, yen};
use crate::ui::theme::Theme;

pub fn draw(app: &App, history: &HistoryScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let pin_required = app.manager_pin.is_some();
    let s = app.lang.strings();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border());
    let Some(records) = &history.records else {
        Paragraph::new(Line::styled(
            format!(" {}", s.history_loading),
            theme.pending(),
        ))
        .block(block)
        .render(area, buf);
        return;
    };
    if records.is_empty() {
        Paragraph::new(Line::styled(format!(" {}", s.history_empty), theme.muted()))
            .block(block)
            .render(area, buf);
        return;
    }
    match &history.mode {
        HistoryMode::List => draw_list(records, history.selected, s, theme, area, buf),
        mode => {
            if let Some(record) = history.selected_record() {
                draw_detail(record, mode, pin_required, s, theme, area, buf);
            }
        }
    }
}

fn state_label(state: &SaleState, s: &Strings) -> &'static str {
    match state {
        SaleState::Paid => s.label_paid,
        SaleState::Refunded => s.label_refunded,
        SaleState::Failed => s.label_failed,
        SaleState::Pending => s.label_checking,
        SaleState::Cancelled => s.label_cancelled,
    }
}

fn kind_label(record: &SaleRecord, s: &Strings) -> String {
    let kind = match record.direction {
        Direction::Payment => s.kind_payment,
        Direction::Topup => s.kind_topup,
    };
    let method = match record.method {
        PayMethod::Qr => s.method_qr_short,
        PayMethod::Code => s.method_code_short,
    };
    format!("{kind}/{method}")
}

fn draw_list(
    records: &[SaleRecord],
    selected: usize,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let skip = (selected + 1).saturating_sub(visible);
    let rows = records.iter().enumerate().skip(skip).map(|(i, record)| {
        let marker = if i == selected { "▶" } else { " " };
        let row = Row::new([
            Cell::from(format!(
                "{marker}{}",
                record.at.with_timezone(&Tokyo).format("%H:%M:%S")
            )),
            Cell::from(kind_label(record, s)),
            Cell::from(Line::from(yen(record.amount)).right_aligned()),
            Cell::from(state_label(&record.state, s)),
        ]);
        if i == selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let header = Row::new([
        Cell::from(format!(" {}", s.col_time)),
        Cell::from(s.col_kind),
        Cell::from(Line::from(s.col_amount).right_aligned()),
        Cell::from(s.col_status),
    ])
    .style(theme.muted());
    Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(16),
            Constraint::Length(14),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .column_spacing(2)
    .block(
        Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border()),
    )
    .render(area, buf);
}

fn draw_detail(
    record: &SaleRecord,
    mode: &HistoryMode,
    pin_required: bool,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut lines = vec![
        Line::from(format!(
            " {}  {}",
            record.at.with_timezone(&Tokyo).format("%Y-%m-%d %H:%M:%S"),
            state_label(&record.state, s)
        )),
        Line::from(format!(" {}: {}", s.col_kind, kind_label(record, s))),
        Line::styled(
            format!(" {}: {}", s.amount, yen(record.amount)),
            theme.total(),
        ),
    ];
    if let Some(id) = &record.transaction_id {
        lines.push(Line::from(format!(" {}: {id}", s.transaction_id)));
    }
    if let Some(name) = &record.customer_name {
        lines.push(Line::from(format!(" {}: {name}", s.customer)));
    }
    for item in &record.lines {
        lines.push(Line::from(format!("   {item}")));
    }
    lines.push(Line::default());
    match mode {
        HistoryMode::Pin(typed) => {
            lines.push(Line::styled(
                format!(" {}", s.refund_confirm),
                theme.title(),
            ));
            if pin_required {
                lines.push(Line::from(format!(
                    " {}: {}_",
                    s.refund_pin_prompt,
                    "*".repeat(typed.chars().count())
                )));
            }
        }
        HistoryMode::Refunding(_) => {
            lines.push(Line::styled(
                format!(" {}", s.refund_in_progress),
                theme.pending(),
            ));
        }
        HistoryMode::List | HistoryMode::Detail => {}
    }
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border()),
        )
        .render(area, buf);
}

pub fn hints(app: &App, history: &HistoryScreen) -> Vec<Hint> {
    let s = app.lang.strings();
    match &history.mode {
        HistoryMode::List => vec![
            hint("↑↓", s.key_select),
            hint("Enter", s.key_detail),
            hint("F5", s.key_refresh),
            hint("Esc", s.key_back),
        ],
        HistoryMode::Detail => {
            let mut hints = Vec::new();
            if history
                .selected_record()
                .is_some_and(|r| r.state == SaleState::Paid)
            {
                hints.push(hint("F7/R", s.key_refund));
                hints.push(hint("F8/P", s.key_reprint));
            }
            hints.push(hint("Esc", s.key_back));
            hints
        }
        HistoryMode::Pin(_) => vec![hint("Enter", s.key_confirm), hint("Esc", s.key_cancel)],
        HistoryMode::Refunding(_) => vec![hint("…", s.please_wait)],
    }
}
