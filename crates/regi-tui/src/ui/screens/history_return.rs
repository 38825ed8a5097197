//! A return of lines on the history's sale detail: the sale's goods with what was sold, what
//! came back before and what comes back now (the cursor on the line being picked), then what
//! each rate gives back and through which tender, cash from the drawer included; under it the
//! confirmation and the manager PIN once the lines are picked.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use unicode_width::UnicodeWidthChar;

use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::return_pick::{self, ReturnPick, ReturnPreview};
use regi_core::domain::{PaymentMethod, ReturnedLine, TaxRate};
use regi_core::records::{TenderPart, provider_label};
use regi_journal::{SaleDetail, local_time};

/// The return of `sale`: `pick` while lines are being picked, else the `picked` lines with
/// `prompt` (the confirmation, the PIN) under them.
pub struct ReturnView<'a> {
    pub sale: &'a SaleDetail,
    pub pick: Option<&'a ReturnPick>,
    pub picked: &'a [ReturnedLine],
    pub prompt: Vec<Line<'static>>,
}

impl ReturnView<'_> {
    pub fn draw(self, app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
        draw(app, self, theme, area, buf);
    }
}

fn draw(app: &App, view: ReturnView<'_>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let ReturnView {
        sale,
        pick,
        picked,
        prompt,
    } = view;
    let s = app.lang.strings();
    let summary = &sale.sale;
    let mut lines = vec![
        Line::from(format!(
            " {} {}  {}  {}",
            s.receipt_no,
            summary.receipt_no,
            local_time(&summary.created_at, "%Y-%m-%d %H:%M"),
            summary.total
        )),
        Line::styled(format!(" {}", s.return_title), theme.title()),
        Line::styled(
            format!(
                "  {:<24} {:>9} {} {} {}",
                "",
                "",
                right(s.return_col_sold, 6),
                right(s.return_col_returned, 6),
                right(s.return_col_back, 6)
            ),
            theme.muted(),
        ),
    ];
    // The goods lines, those around the cursor when they do not all fit.
    let goods: Vec<usize> = (0..sale.lines.len())
        .filter(|&i| sale.lines[i].amount.is_positive())
        .collect();
    let room =
        usize::from(area.height.saturating_sub(2)).saturating_sub(lines.len() + 6 + prompt.len());
    let room = room.max(1);
    let at = pick
        .and_then(|p| goods.iter().position(|&i| i == p.cursor))
        .unwrap_or(0);
    let skip = (at + 1).saturating_sub(room);
    for &i in goods.iter().skip(skip).take(room) {
        let line = &sale.lines[i];
        let back = match pick {
            Some(p) => p.quantities.get(i).copied().unwrap_or(0),
            None => picked
                .iter()
                .filter(|r| r.line_no == line.line_no)
                .map(|r| r.quantity)
                .sum(),
        };
        let cursor = pick.is_some_and(|p| p.cursor == i);
        let reduced = if line.tax_rate == TaxRate::Reduced8 {
            " ※"
        } else {
            ""
        };
        let name = format!("{}. {}{reduced}", line.line_no, line.name);
        let text = format!(
            " {}{} {:>9} {:>6} {:>6} {:>6}",
            if cursor { "▶" } else { " " },
            pad(&name, 24),
            line.unit_price.to_string(),
            line.quantity,
            sale.returned_of(line.line_no),
            if cursor {
                format!("[{back}]")
            } else {
                back.to_string()
            }
        );
        lines.push(if cursor {
            Line::styled(text, theme.selected())
        } else {
            Line::from(text)
        });
    }
    lines.push(Line::default());
    let picked_now = pick.map_or_else(|| picked.to_vec(), |p| p.picked(sale));
    if let Some(Ok(ReturnPreview { amounts, tenders })) =
        return_pick::preview(sale, &picked_now, &app.partial_refunds)
    {
        for rate in [amounts.tax.reduced, amounts.tax.standard] {
            if rate.taxable_total.is_positive() {
                lines.push(Line::from(format!(
                    "   {}",
                    s.return_rate(rate.rate.percent(), rate.taxable_total, rate.tax)
                )));
            }
        }
        lines.push(Line::styled(
            format!(" {}: {}", s.return_amount, amounts.total()),
            theme.total(),
        ));
        for part in tenders.iter().flatten() {
            lines.push(Line::from(format!(
                " {}: {} {}",
                s.return_via,
                tender_label(part, s),
                part.amount
            )));
        }
    }
    lines.extend(prompt);
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border()),
        )
        .render(area, buf);
}

/// `text` cut or padded with spaces to `width` columns as the terminal draws them, so the
/// columns after it line up at 80 columns whatever the goods are called.
fn pad(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width - used));
    out
}

/// `text` right-aligned in `width` columns as the terminal draws them.
fn right(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

/// How a tender's part goes back: cash, the provider's refund, or cash instead of a provider
/// that refunds only whole payments.
fn tender_label(part: &TenderPart, s: &Strings) -> String {
    if part.method == PaymentMethod::Cash {
        return s.tender_short(PaymentMethod::Cash).to_string();
    }
    let provider = provider_label(&part.provider, s.lang);
    if part.cash_back {
        s.return_cash_back(provider)
    } else {
        format!("{provider} {}", s.tender_short(part.method))
    }
}
