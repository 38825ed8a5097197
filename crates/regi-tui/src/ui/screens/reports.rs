//! X and Z reports.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::ui::render::{Hint, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::ReportsScreen;
use regi_core::domain::Yen;
use regi_core::records::{CashSummary, ProviderTotals, providers_shown, signed_yen};
use regi_journal::{Report, ReportKind, Totals};

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
    let message = |text: String, style| {
        Paragraph::new(vec![Line::default(), Line::styled(text, style)]).block(block.clone())
    };
    match reports {
        ReportsScreen::Menu => Paragraph::new(vec![
            Line::default(),
            Line::from(format!("  [X] {}", s.report_x)),
            Line::default(),
            Line::from(format!("  [Z] {}", s.report_z)),
            Line::default(),
            Line::from(format!("  [D] {}", s.drawer_menu)),
        ])
        .block(block)
        .render(area, buf),
        ReportsScreen::ConfirmZ => {
            message(format!("  {}", s.report_z_confirm), theme.pending()).render(area, buf)
        }
        ReportsScreen::Loading(_) => {
            message(format!("  {}", s.report_loading), theme.pending()).render(area, buf)
        }
        ReportsScreen::NothingToReport(kind) => message(
            format!("  {}: {}", kind_name(*kind, s), s.report_nothing),
            theme.muted(),
        )
        .render(area, buf),
        ReportsScreen::Shown(report) => {
            // The drawer's cash beside the totals, where the terminal is wide enough for both.
            if area.width >= CASH_BESIDE_FROM {
                let [totals, cash] =
                    Layout::horizontal([Constraint::Length(TOTALS_WIDTH), Constraint::Min(0)])
                        .areas(area);
                draw_report(report, s, theme, block.clone(), totals, buf);
                draw_cash(&report.cash, s, theme, block, cash, buf);
            } else {
                draw_report(report, s, theme, block, area, buf);
            }
        }
    }
}

fn draw_report(
    report: &Report,
    s: &Strings,
    theme: &Theme,
    block: Block,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut title = kind_name(report.kind, s).to_string();
    if report.kind == ReportKind::Z {
        title = format!("{title}  {}", s.report_z_done);
    }
    let row = |label: &'static str, count: Option<i64>, amount: Yen| {
        Row::new([
            Cell::from(format!(" {label}")),
            Cell::from(
                Line::from(count.map(|c| c.to_string()).unwrap_or_default()).right_aligned(),
            ),
            Cell::from(Line::from(amount.to_string()).right_aligned()),
        ])
    };
    let tally = |label, totals: Totals| row(label, Some(totals.count), totals.amount);
    let attempts = format!(
        "{}/{}/{}",
        report.failed_attempts, report.expired_attempts, report.cancelled_attempts
    );
    // With several providers (or one paid several ways), what each took sits under the sales
    // line and what each gave back under the refunds line, each way to pay under its provider.
    let mut sales_rows = breakdown(&report.payments_by_provider, theme);
    let mut refund_rows = breakdown(&report.refunds_by_provider, theme);
    let budget = usize::from(area.height.saturating_sub(3)).saturating_sub(TOTAL_ROWS);
    if sales_rows.len() + refund_rows.len() > budget {
        // Too many to list: the totals stay whole and the list that is cut ends with "…"; the
        // printed slip carries all of it.
        let more = || Row::new([Cell::from("   …")]).style(theme.muted());
        if sales_rows.len() < budget {
            refund_rows.truncate(budget - sales_rows.len() - 1);
            refund_rows.push(more());
        } else {
            refund_rows.clear();
            sales_rows.truncate(budget.saturating_sub(1));
            if budget > 0 {
                sales_rows.push(more());
            }
        }
    }
    let mut rows = vec![tally(s.report_sales, report.payments)];
    rows.extend(sales_rows);
    rows.push(tally(s.report_refunds, report.refunds));
    rows.extend(refund_rows);
    rows.extend([
        row(s.report_net, None, report.net_sales).style(theme.total()),
        tally(s.report_topups, report.topups),
        Row::new([
            Cell::from(format!(" {}", s.report_attempts)),
            Cell::from(Line::from(attempts).right_aligned()),
            Cell::from(""),
        ]),
    ]);
    Table::new(
        rows,
        [
            Constraint::Length(22),
            Constraint::Length(10),
            Constraint::Length(14),
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

/// The width of the totals table with its borders.
const TOTALS_WIDTH: u16 = 48;
/// The narrowest terminal that shows the drawer's cash beside the totals.
const CASH_BESIDE_FROM: u16 = 78;

/// The drawer's cash: float, cash sales and refunds, paid-in/out, expected, the last count.
fn draw_cash(
    cash: &CashSummary,
    s: &Strings,
    theme: &Theme,
    block: Block,
    area: Rect,
    buf: &mut Buffer,
) {
    let w = s.cash_words();
    // The labels start at the border: "Expected in drawer" and "Not counted" fit side by side.
    let row = |label: &str, value: String| {
        Row::new([
            Cell::from(label.to_string()),
            Cell::from(Line::from(value).right_aligned()),
        ])
    };
    let mut rows = vec![
        row(w.float, cash.float.to_string()),
        row(w.sales, cash.sales.to_string()),
        row(w.refunds, cash.refunds.to_string()),
        row(w.paid_in, cash.paid_in.to_string()),
        row(w.paid_out, cash.paid_out.to_string()),
        row(w.expected, cash.expected.to_string()).style(theme.total()),
    ];
    match (cash.counted, cash.over_short) {
        (Some(counted), Some(over_short)) => {
            rows.push(row(w.counted, counted.to_string()));
            rows.push(row(w.over_short, signed_yen(over_short)));
        }
        _ => rows.push(row(w.counted, w.not_counted.to_string()).style(theme.muted())),
    }
    Table::new(rows, [Constraint::Min(10), Constraint::Length(11)])
        .header(Row::new([Cell::from("")]))
        .block(block.title(Line::styled(format!(" {} ", w.title), theme.title())))
        .render(area, buf);
}

/// The rows every shown report has: sales, refunds, net, top-ups and failed attempts.
const TOTAL_ROWS: usize = 5;

/// Each provider's row (when worth showing) with its ways to pay indented under it.
fn breakdown(totals: &[ProviderTotals], theme: &Theme) -> Vec<Row<'static>> {
    let line = |label: String, count: i64, amount: Yen| {
        Row::new([
            Cell::from(label),
            Cell::from(Line::from(count.to_string()).right_aligned()),
            Cell::from(Line::from(amount.to_string()).right_aligned()),
        ])
        .style(theme.muted())
    };
    let mut rows = Vec::new();
    for p in providers_shown(totals) {
        rows.push(line(format!("   {}", p.provider), p.count, p.amount));
        for m in &p.by_money_name {
            rows.push(line(format!("     {}", m.money_name), m.count, m.amount));
        }
    }
    rows
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
            hint("D", s.drawer_menu),
            hint("Esc", s.key_back),
        ],
    }
}
