//! X and Z reports: the day's breakdown (per tender, provider and tax rate, refunds, voids),
//! scrolled where it does not fit, the drawer's cash beside it, and on the X the sales per hour;
//! the Z's PIN and its type-the-number confirmation.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table,
    TableState, Widget,
};

use crate::ui::render::{Hint, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::ReportsScreen;
use regi_core::domain::{PaymentMethod, Yen};
use regi_core::lang::Lang;
use regi_core::records::{
    CashSummary, HourMeasure, MethodTotals, ProviderTotals, RateTotals, hour_bars, provider_label,
    providers_shown, signed_yen,
};
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
        ReportsScreen::ZPin { pin, checking } => {
            let prompt = if checking.is_some() {
                Line::styled(format!("  {}", s.pin_checking), theme.pending())
            } else if let Some(left) = app.pin_lockout.remaining(app.now) {
                // Rounded up, so the wait never shows 0:00 while Enter is still refused.
                let seconds = (left.num_milliseconds() + 999) / 1000;
                Line::styled(format!("  {}", s.pin_locked(seconds)), theme.error())
            } else {
                Line::from(format!(
                    "  {}: {}_",
                    s.refund_pin_prompt,
                    "*".repeat(pin.chars().count())
                ))
            };
            Paragraph::new(vec![
                Line::default(),
                Line::styled(format!("  {}", s.report_z), theme.title()),
                Line::default(),
                prompt,
            ])
            .block(block)
            .render(area, buf)
        }
        ReportsScreen::ConfirmZ {
            day,
            typed,
            mismatch,
        } => {
            let mut lines = vec![
                Line::default(),
                Line::styled(format!("  {}", s.report_z_confirm), theme.pending()),
                Line::default(),
                Line::styled(
                    format!("  {}  {} {day}", s.report_z, s.report_day_no),
                    theme.total(),
                ),
                Line::default(),
                Line::styled(format!("  {}: {typed}_", s.report_z_type), theme.input()),
            ];
            if *mismatch {
                lines.push(Line::styled(
                    format!("  {}", s.report_z_mismatch),
                    theme.error(),
                ));
            }
            Paragraph::new(lines).block(block).render(area, buf)
        }
        ReportsScreen::Loading(_) | ReportsScreen::ZPreparing => {
            message(format!("  {}", s.report_loading), theme.pending()).render(area, buf)
        }
        ReportsScreen::NothingToReport(kind) => message(
            format!("  {}: {}", kind_name(*kind, s), s.report_nothing),
            theme.muted(),
        )
        .render(area, buf),
        ReportsScreen::Shown { report, scroll } => {
            // The drawer's cash beside the totals, where the terminal is wide enough for both;
            // on the X the sales per hour under the cash.
            if area.width >= CASH_BESIDE_FROM {
                let [totals, side] =
                    Layout::horizontal([Constraint::Length(TOTALS_WIDTH), Constraint::Min(0)])
                        .areas(area);
                draw_report(report, *scroll, s, theme, block.clone(), totals, buf);
                let chart = report.kind == ReportKind::X && !report.sales_by_hour.is_empty();
                if chart && side.height >= CASH_HEIGHT + CHART_MIN_HEIGHT {
                    let [cash, hours] =
                        Layout::vertical([Constraint::Length(CASH_HEIGHT), Constraint::Min(0)])
                            .areas(side);
                    draw_cash(&report.cash, s, theme, block.clone(), cash, buf);
                    draw_hours(app, report, theme, block, hours, buf);
                } else {
                    draw_cash(&report.cash, s, theme, block, side, buf);
                }
            } else {
                draw_report(report, *scroll, s, theme, block, area, buf);
            }
        }
    }
}

/// The rows the cash panel takes with its borders and header: eight figures at most.
const CASH_HEIGHT: u16 = 11;
/// The lowest the sales-per-hour chart is drawn: bars, hours and borders.
const CHART_MIN_HEIGHT: u16 = 6;

/// The sales of each hour as bars, labelled with the hour; the latest hours where not all fit.
fn draw_hours(
    app: &App,
    report: &Report,
    theme: &Theme,
    block: Block,
    area: Rect,
    buf: &mut Buffer,
) {
    let s = app.lang.strings();
    let measure = app.hour_measure;
    let bars = hour_bars(&report.sales_by_hour, measure);
    let inner = usize::from(area.width.saturating_sub(2));
    // Two columns a bar (an hour's two digits) and one between, wider where there is room.
    let width: u16 = if bars.len() * 4 <= inner { 3 } else { 2 };
    let fits = (inner + 1) / usize::from(width + 1);
    let shown = &bars[bars.len().saturating_sub(fits)..];
    let group: Vec<Bar> = shown
        .iter()
        .map(|&(hour, value)| {
            // Yen are shown in thousands (rounded), so a bar's figure fits its width.
            let shown = match measure {
                HourMeasure::Count => value.to_string(),
                HourMeasure::Yen => value.div_ceil(1_000).to_string(),
            };
            Bar::default()
                .value(value)
                .text_value(shown)
                .label(Line::from(format!("{hour:02}")))
                .style(theme.title())
                .value_style(theme.selected())
        })
        .collect();
    BarChart::default()
        .block(block.title(Line::styled(
            format!(
                " {} ",
                match measure {
                    HourMeasure::Count => s.report_by_hour,
                    HourMeasure::Yen => s.carts().report_by_hour_yen,
                }
            ),
            theme.title(),
        )))
        .data(BarGroup::default().bars(&group))
        .bar_width(width)
        .bar_gap(1)
        .render(area, buf);
}

fn draw_report(
    report: &Report,
    scroll: u16,
    s: &Strings,
    theme: &Theme,
    block: Block,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut title = format!(
        "{} {} {}",
        kind_name(report.kind, s),
        s.report_day_no,
        report.business_day_id
    );
    if report.kind == ReportKind::Z {
        title = format!("{title}  {}", s.report_z_done);
    }
    let row = |label: &str, count: Option<i64>, amount: Option<Yen>| {
        Row::new([
            Cell::from(format!(" {label}")),
            Cell::from(
                Line::from(count.map(|c| c.to_string()).unwrap_or_default()).right_aligned(),
            ),
            Cell::from(
                Line::from(amount.map(|a| a.to_string()).unwrap_or_default()).right_aligned(),
            ),
        ])
    };
    let tally = |label, totals: Totals| row(label, Some(totals.count), Some(totals.amount));
    let attempts = format!(
        "{}/{}/{}",
        report.failed_attempts, report.expired_attempts, report.cancelled_attempts
    );
    // What each provider took sits under the sales line, each way to pay under its provider,
    // then each kind of tender and each tax rate; refunds likewise under theirs.
    let mut rows = vec![tally(s.report_sales, report.payments)];
    rows.extend(breakdown(&report.payments_by_provider, s.lang, theme));
    rows.extend(methods(&report.payments_by_method, s, theme));
    if report.discounts.count > 0 {
        rows.push(
            row(
                s.report_discounts,
                Some(report.discounts.count),
                Some(Yen(-report.discounts.amount.value())),
            )
            .style(theme.muted()),
        );
    }
    rows.extend(rates(&report.payments_by_rate, s, theme));
    rows.push(tally(s.report_refunds, report.refunds));
    rows.extend(breakdown(&report.refunds_by_provider, s.lang, theme));
    rows.extend(methods(&report.refunds_by_method, s, theme));
    rows.extend(rates(&report.refunds_by_rate, s, theme));
    rows.extend([
        row(s.report_net, None, Some(report.net_sales)).style(theme.total()),
        tally(s.report_topups, report.topups),
        Row::new([
            Cell::from(format!(" {}", s.report_attempts)),
            Cell::from(Line::from(attempts).right_aligned()),
            Cell::from(""),
        ]),
        row(
            s.report_voided,
            Some(report.voided_sales),
            (report.voided_sales > 0).then_some(report.voided_amount),
        ),
    ]);
    // Borders and the header take three rows; the rest scroll, never past the last row.
    let visible = usize::from(area.height.saturating_sub(3));
    let offset = usize::from(scroll).min(rows.len().saturating_sub(visible));
    let mut state = TableState::default().with_offset(offset);
    StatefulWidget::render(
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
        .block(block.title(Line::styled(format!(" {title} "), theme.title()))),
        area,
        buf,
        &mut state,
    );
}

/// Each kind of tender that was used, indented under its line.
fn methods(totals: &[MethodTotals], s: &Strings, theme: &Theme) -> Vec<Row<'static>> {
    totals
        .iter()
        .filter(|m| m.count > 0)
        .map(|m| {
            Row::new([
                Cell::from(format!("   {}", method_name(m.method, s))),
                Cell::from(Line::from(m.count.to_string()).right_aligned()),
                Cell::from(Line::from(m.amount.to_string()).right_aligned()),
            ])
            .style(theme.muted())
        })
        .collect()
}

/// A kind of tender as a report row names it: short, and a payment page apart from a QR.
fn method_name(method: PaymentMethod, s: &Strings) -> &'static str {
    match method {
        PaymentMethod::HostedPage => s.method_page_short,
        other => s.tender_short(other),
    }
}

/// Each tax rate with goods: the tax-inclusive amount, and the tax in it.
fn rates(totals: &[RateTotals], s: &Strings, theme: &Theme) -> Vec<Row<'static>> {
    let mut rows = Vec::new();
    for r in totals.iter().filter(|r| r.taxable != Yen::ZERO) {
        let line = |label: String, amount: Yen| {
            Row::new([
                Cell::from(label),
                Cell::from(""),
                Cell::from(Line::from(amount.to_string()).right_aligned()),
            ])
            .style(theme.muted())
        };
        rows.push(line(
            format!("   {} {}", r.rate, s.report_rate_taxable),
            r.taxable,
        ));
        rows.push(line(format!("     {}", s.report_rate_tax), r.tax));
    }
    rows
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
    Widget::render(
        Table::new(rows, [Constraint::Min(10), Constraint::Length(11)])
            .header(Row::new([Cell::from("")]))
            .block(block.title(Line::styled(format!(" {} ", w.title), theme.title()))),
        area,
        buf,
    );
}

/// Each provider's row (when worth showing) with its ways to pay indented under it.
fn breakdown(totals: &[ProviderTotals], lang: Lang, theme: &Theme) -> Vec<Row<'static>> {
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
        rows.push(line(
            format!("   {}", provider_label(&p.provider, lang)),
            p.count,
            p.amount,
        ));
        for m in &p.by_money_name {
            rows.push(line(format!("     {}", m.money_name), m.count, m.amount));
        }
    }
    rows
}

pub fn hints(app: &App, reports: &ReportsScreen) -> Vec<Hint> {
    let s = app.lang.strings();
    match reports {
        ReportsScreen::ConfirmZ { .. } | ReportsScreen::ZPin { checking: None, .. } => {
            vec![hint("Enter", s.key_confirm), hint("Esc", s.key_cancel)]
        }
        ReportsScreen::Loading(_) | ReportsScreen::ZPreparing | ReportsScreen::ZPin { .. } => {
            vec![hint("…", s.please_wait)]
        }
        ReportsScreen::Shown { .. } => vec![
            hint("↑↓ PgUp/PgDn", s.key_scroll),
            hint("Tab", s.carts().key_hour_measure),
            hint("X", s.report_x),
            hint("Z", s.report_z),
            hint("D", s.drawer_menu),
            hint("Esc", s.key_back),
        ],
        _ => vec![
            hint("X", s.report_x),
            hint("Z", s.report_z),
            hint("D", s.drawer_menu),
            hint("Esc", s.key_back),
        ],
    }
}
