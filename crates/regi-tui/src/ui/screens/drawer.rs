//! The drawer's screens: the menu with the cash the drawer should hold, the float / paid-in /
//! paid-out entry, the manager PIN, and the cash count with a row per denomination and the
//! total, expected and over/short shown live. Fits 80×24.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget, Wrap};

use crate::ui::render::{Hint, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::drawer::{
    DrawerOpening, DrawerProblem, DrawerRequest, DrawerScreen, DrawerStep, MovementEntry,
};
use regi_core::app::screens::drawer_count::CountEntry;
use regi_core::app::screens::pin_entry;
use regi_core::domain::Yen;
use regi_core::records::{MovementKind, signed_yen};

fn kind_name(kind: MovementKind, s: &Strings) -> &'static str {
    match kind {
        MovementKind::Float => s.drawer_float,
        MovementKind::PaidIn => s.drawer_paid_in,
        MovementKind::PaidOut => s.drawer_paid_out,
        MovementKind::Count => s.drawer_count,
    }
}

pub fn draw(app: &App, drawer: &DrawerScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let title = match &drawer.step {
        DrawerStep::Entry(entry) => kind_name(entry.kind, s),
        DrawerStep::Count(_) => s.drawer_count,
        DrawerStep::Pin { request, .. } => kind_name(request.kind(), s),
        _ => s.drawer_menu,
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    let [body, problem] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    match &drawer.step {
        DrawerStep::Menu => menu(drawer, s, theme, body, buf),
        DrawerStep::Entry(entry) => movement_entry(entry, drawer, s, theme, body, buf),
        DrawerStep::Count(count) => count_entry(count, drawer.expected(), s, theme, body, buf),
        DrawerStep::Pin {
            request,
            pin,
            checking,
            ..
        } => {
            let mut lines = vec![
                Line::default(),
                Line::from(format!("  {}", request_line(request, s))),
                Line::default(),
                Line::styled(format!("  {}", s.refund_pin_prompt), theme.title()),
                Line::from(format!("  {}", "●".repeat(pin.len()))),
            ];
            if checking.is_some() {
                lines.push(Line::styled(
                    format!("  {}", s.pin_checking),
                    theme.pending(),
                ));
            } else if let Some(left) = app.pin_lockout.remaining(app.now)
                && pin_entry::locked(app)
            {
                lines.push(Line::styled(
                    format!("  {}", s.pin_locked(left.num_seconds() + 1)),
                    theme.error(),
                ));
            }
            Paragraph::new(lines).render(body, buf);
        }
        DrawerStep::Saving { .. } => Paragraph::new(vec![
            Line::default(),
            Line::styled(format!("  {}", s.drawer_saving), theme.pending()),
        ])
        .render(body, buf),
        DrawerStep::Done(done) => {
            let w = s.cash_words();
            let movement = &done.movement;
            let mut lines = vec![
                Line::default(),
                Line::styled(
                    format!(
                        "  {} {} — {}",
                        kind_name(movement.kind, s),
                        movement.amount,
                        s.drawer_recorded
                    ),
                    theme.success(),
                ),
                Line::default(),
            ];
            if let (Some(expected), Some(over_short)) = (movement.expected, movement.over_short()) {
                lines.push(Line::from(format!("  {} {}", w.counted, movement.amount)));
                lines.push(Line::from(format!("  {} {expected}", w.expected)));
                lines.push(Line::from(format!(
                    "  {} {}",
                    w.over_short,
                    signed_yen(over_short)
                )));
            } else {
                lines.push(Line::from(format!(
                    "  {} {}",
                    w.expected, done.cash.expected
                )));
            }
            match &done.drawer {
                DrawerOpening::Opened => {
                    lines.push(Line::styled(
                        format!("  {}", s.drawer_opened),
                        theme.muted(),
                    ));
                }
                DrawerOpening::Failed(why) => {
                    lines.push(Line::styled(
                        format!("  {}", s.drawer_not_opened),
                        theme.error(),
                    ));
                    lines.push(Line::styled(format!("  {why}"), theme.muted()));
                }
                DrawerOpening::NotSent | DrawerOpening::NotAsked => {}
            }
            if let Some(Err(why)) = &done.slip {
                lines.push(Line::styled(format!("  {why}"), theme.error()));
            }
            Paragraph::new(lines).render(body, buf);
        }
    }
    if let Some(text) = drawer.problem.as_ref().map(|p| problem_text(p, s)) {
        Paragraph::new(Line::styled(format!(" {text}"), theme.error())).render(problem, buf);
    }
}

fn problem_text(problem: &DrawerProblem, s: &Strings) -> String {
    match problem {
        DrawerProblem::Refused(refusal) => s.drawer_refusal(refusal),
        DrawerProblem::WrongPin => s.refund_wrong_pin.to_string(),
        DrawerProblem::Failed(why) => s.error(why),
    }
}

fn request_line(request: &DrawerRequest, s: &Strings) -> String {
    match request {
        DrawerRequest::Float(amount) => format!("{} {amount}", s.drawer_float),
        DrawerRequest::PaidIn { amount, reason } => {
            format!("{} {amount} ({reason})", s.drawer_paid_in)
        }
        DrawerRequest::PaidOut { amount, reason } => {
            format!("{} {amount} ({reason})", s.drawer_paid_out)
        }
        DrawerRequest::Count(count) => format!("{} {}", s.drawer_count, count.total()),
    }
}

fn menu(drawer: &DrawerScreen, s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = s.cash_words();
    let [choices, cash] =
        Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).areas(area);
    Paragraph::new(vec![
        Line::default(),
        Line::from(format!("  [1] {}", s.drawer_float)),
        Line::default(),
        Line::from(format!("  [2] {}", s.drawer_paid_in)),
        Line::default(),
        Line::from(format!("  [3] {}", s.drawer_paid_out)),
        Line::default(),
        Line::from(format!("  [4] {}", s.drawer_count)),
    ])
    .render(choices, buf);
    let Some(c) = drawer.cash else {
        return;
    };
    let row = |label: &str, value: String| {
        Row::new([
            Cell::from(label.to_string()),
            Cell::from(Line::from(value).right_aligned()),
        ])
    };
    let mut rows = vec![
        row(w.float, c.float.to_string()),
        row(w.sales, c.sales.to_string()),
        row(w.refunds, c.refunds.to_string()),
        row(w.paid_in, c.paid_in.to_string()),
        row(w.paid_out, c.paid_out.to_string()),
        row(w.expected, c.expected.to_string()).style(theme.total()),
    ];
    match (c.counted, c.over_short) {
        (Some(counted), Some(over_short)) => {
            rows.push(row(w.counted, counted.to_string()));
            rows.push(row(w.over_short, signed_yen(over_short)));
        }
        _ => rows.push(row(w.counted, w.not_counted.to_string()).style(theme.muted())),
    }
    let [_, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(cash);
    Table::new(rows, [Constraint::Length(18), Constraint::Length(12)]).render(table, buf);
}

fn movement_entry(
    entry: &MovementEntry,
    drawer: &DrawerScreen,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let field = |label: &str, value: String, active: bool| {
        let style = if active { theme.title() } else { theme.muted() };
        Line::from(vec![
            Span::styled(format!("  {label:<8} "), style),
            Span::raw(value),
            Span::styled(if active { "▏" } else { "" }, theme.title()),
        ])
    };
    let amount = entry
        .amount
        .parse::<Yen>()
        .map_or_else(|_| String::new(), |a| a.to_string());
    let mut lines = vec![
        Line::default(),
        field(s.drawer_amount, amount, !entry.on_reason),
    ];
    if entry.kind != MovementKind::Float {
        lines.push(Line::default());
        lines.push(field(
            s.drawer_reason,
            entry.reason.clone(),
            entry.on_reason,
        ));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        format!("  {} {}", s.cash_words().expected, drawer.expected()),
        theme.muted(),
    ));
    Paragraph::new(lines).render(area, buf);
}

/// A row per denomination, the cursor on one; the total, expected and over/short under them.
fn count_entry(
    count: &CountEntry,
    expected: Yen,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let w = s.cash_words();
    let [table, totals] =
        Layout::horizontal([Constraint::Length(40), Constraint::Min(20)]).areas(area);
    let rows: Vec<Row> = count
        .count
        .rows()
        .enumerate()
        .map(|(i, (face, pieces, amount))| {
            let mark = if i == count.cursor { "▶" } else { " " };
            let row = Row::new([
                Cell::from(format!("{mark}{:>9}", Yen(face).to_string())),
                Cell::from(Line::from(pieces.to_string()).right_aligned()),
                Cell::from(Line::from(amount.to_string()).right_aligned()),
            ]);
            if i == count.cursor {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    Table::new(
        rows,
        [
            Constraint::Length(13),
            Constraint::Length(7),
            Constraint::Length(14),
        ],
    )
    .header(
        Row::new([
            Cell::from(format!(" {}", s.drawer_denomination)),
            Cell::from(Line::from(s.drawer_pieces).right_aligned()),
            Cell::from(Line::from(s.amount).right_aligned()),
        ])
        .style(theme.muted()),
    )
    .render(table, buf);
    let over_short = count.over_short(expected);
    let style = if over_short.value() == 0 {
        theme.success()
    } else {
        theme.error()
    };
    let row = |label: &str, value: String| {
        Row::new([
            Cell::from(label.to_string()),
            Cell::from(Line::from(value).right_aligned()),
        ])
    };
    let [figures, help] =
        Layout::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(totals);
    Table::new(
        [
            Row::new([Cell::from("")]),
            row(w.counted, count.total().to_string()).style(theme.total()),
            row(w.expected, expected.to_string()),
            row(w.over_short, signed_yen(over_short)).style(style),
        ],
        [Constraint::Length(18), Constraint::Length(12)],
    )
    .render(figures, buf);
    Paragraph::new(Line::styled(s.drawer_count_hint, theme.muted()))
        .wrap(Wrap { trim: true })
        .render(help, buf);
}

pub fn hints(app: &App, drawer: &DrawerScreen) -> Vec<Hint> {
    let s = app.lang.strings();
    match &drawer.step {
        DrawerStep::Menu => vec![hint("1-4", s.key_select), hint("Esc", s.key_back)],
        DrawerStep::Entry(entry) if entry.kind != MovementKind::Float => vec![
            hint("Tab", s.drawer_reason),
            hint("Enter", s.key_confirm),
            hint("Esc", s.key_back),
        ],
        DrawerStep::Entry(_) | DrawerStep::Pin { .. } => {
            vec![hint("Enter", s.key_confirm), hint("Esc", s.key_back)]
        }
        DrawerStep::Count(_) => vec![
            hint("↑↓", s.drawer_denomination),
            hint("Enter", s.key_confirm),
            hint("Esc", s.key_back),
        ],
        DrawerStep::Saving { .. } => vec![hint("…", s.please_wait)],
        DrawerStep::Done(_) => vec![hint("Enter", s.key_back)],
    }
}
