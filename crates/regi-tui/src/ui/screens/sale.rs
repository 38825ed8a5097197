//! The sale screen: cart lines, subtotals per tax rate, the big total, the amount being typed.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::ui::render::{Hint, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use crate::ui::widgets::big_amount::BigAmount;
use regi_core::app::App;
use regi_core::domain::{Discount, LineKind, SaleKind, TaxRate, Yen};

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let [cart_area, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(5)]).areas(area);
    if app.mode == SaleKind::Topup {
        draw_topup_hint(s, theme, cart_area, buf);
    } else {
        draw_cart(app, s, theme, cart_area, buf);
    }
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(34)]).areas(bottom);
    draw_subtotals_and_input(app, s, theme, left, buf);
    draw_total(app, s, theme, right, buf);
}

fn draw_topup_hint(s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    Paragraph::new(vec![
        Line::default(),
        Line::styled(format!("  {}", s.title_topup), theme.title()),
        Line::styled(format!("  {}", s.topup_amount), theme.muted()),
    ])
    .block(
        Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border()),
    )
    .render(area, buf);
}

fn draw_cart(app: &App, s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let items: u32 = app.cart.lines().iter().map(|l| l.quantity).sum();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::from(format!(" {} ", s.items_count(items))))
        .title(parked_title(app, s, theme));
    if app.cart.is_empty() {
        Paragraph::new(Line::styled(format!(" {}", s.cart_empty), theme.muted()))
            .block(block)
            .render(area, buf);
        return;
    }
    let rows = app.cart.lines().iter().enumerate().flat_map(|(i, line)| {
        let marker = if app.selected == Some(i) { "▶" } else { " " };
        let name = match line.kind {
            LineKind::Manual => s.manual_amount,
            _ => line.name.as_str(),
        };
        // ※ marks reduced-rate items, as receipts do.
        let reduced = if line.tax_rate == TaxRate::Reduced8 {
            " ※"
        } else {
            ""
        };
        let amount = line.amount().unwrap_or(Yen::ZERO).to_string();
        // A price the clerk overrode is marked, as the receipt's journal keeps both.
        let overridden = if app.cart.overridden_from(i).is_some() {
            format!(" [{}]", s.carts().overridden)
        } else {
            String::new()
        };
        let row = Row::new([
            Cell::from(format!("{marker}{name}{reduced}{overridden}")),
            Cell::from(Line::from(line.quantity.to_string()).right_aligned()),
            Cell::from(Line::from(amount).right_aligned()),
        ]);
        let row = if app.selected == Some(i) {
            row.style(theme.selected())
        } else {
            row
        };
        // The line's own discount right under it.
        let discount = app.cart.line_discount(i).map(|(discount, off)| {
            Row::new([
                Cell::from(format!("   {}", discount.line_name())),
                Cell::from(""),
                Cell::from(Line::from(format!("-{off}")).right_aligned()),
            ])
            .style(theme.muted())
        });
        std::iter::once(row).chain(discount)
    });
    // Keep the newest lines visible: scanning adds at the bottom.
    let visible = usize::from(area.height.saturating_sub(3));
    let skip = match app.selected {
        Some(i) if i + 1 > visible => i + 1 - visible,
        Some(_) => 0,
        None => app.cart.lines().len().saturating_sub(visible),
    };
    let header = Row::new([
        Cell::from(format!(" {}", s.col_item)),
        Cell::from(Line::from(s.col_qty).right_aligned()),
        Cell::from(Line::from(s.col_price).right_aligned()),
    ])
    .style(theme.muted());
    Table::new(
        rows.skip(skip),
        [
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(14),
        ],
    )
    .header(header)
    .block(block)
    .render(area, buf);
}

fn draw_subtotals_and_input(app: &App, s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut lines: Vec<Line> = Vec::new();
    if let (SaleKind::Payment, Ok(tax)) = (app.mode, app.cart.tax_summary()) {
        for (label, rate) in [(s.subtotal_10, tax.standard), (s.subtotal_8, tax.reduced)] {
            if rate.taxable_total.is_positive() {
                lines.push(Line::from(format!(
                    " {label} {} ({} {})",
                    rate.taxable_total, s.tax_included, rate.tax
                )));
            }
        }
    }
    if let (Some(discount), Ok(off)) = (app.cart.discount(), app.cart.discount_yen()) {
        let what = match discount.discount {
            Discount::Percent(pct) => format!(" {pct}%"),
            Discount::Yen(_) => String::new(),
        };
        let why = discount
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})"));
        lines.push(Line::from(format!(
            " {}{what}{why} -{off}",
            s.discount_label
        )));
    }
    while lines.len() < 3 {
        lines.push(Line::default());
    }
    if let Some(entry) = &app.override_entry {
        lines.push(Line::from(vec![
            Span::raw(format!(" {} ({}): ", s.carts().override_pin, entry.price)),
            Span::styled(format!("{}_", "*".repeat(entry.pin.len())), theme.input()),
        ]));
        Paragraph::new(lines).render(area, buf);
        return;
    }
    if let Some(entry) = &app.discount_entry {
        let label = if entry.line.is_some() {
            s.carts().line_discount_reason
        } else {
            s.discount_reason
        };
        lines.push(Line::from(vec![
            Span::raw(format!(" {label}: ")),
            Span::styled(format!("{}_", entry.reason), theme.input()),
        ]));
        Paragraph::new(lines).render(area, buf);
        return;
    }
    if let Some(entry) = &app.void_entry {
        let words = s.carts();
        // The question replaces the subtotal lines: what is voided is the total on the right.
        lines.truncate(0);
        lines.push(Line::styled(
            format!(" {}", words.void_title),
            theme.failure(),
        ));
        lines.push(Line::from(format!(
            " 1 {}  2 {}",
            words.void_presets[0], words.void_presets[1]
        )));
        lines.push(Line::styled(
            format!(" {}", words.after_payment),
            theme.muted(),
        ));
        lines.push(if entry.voiding {
            Line::styled(format!(" {}", words.voiding), theme.pending())
        } else {
            Line::from(vec![
                Span::raw(format!(" {}: ", words.void_reason)),
                Span::styled(format!("{}_", entry.reason), theme.input()),
            ])
        });
        Paragraph::new(lines).render(area, buf);
        return;
    }
    if let Some(entry) = &app.unknown_jan {
        // The unknown product being priced: what was scanned, the price and department typed,
        // whether it goes into the catalog file too.
        lines.push(Line::from(vec![
            Span::raw(format!(" {} {}: ", s.unknown_jan_prompt, entry.jan)),
            Span::styled(
                format!(
                    "¥{}{}_",
                    entry.price,
                    if entry.department_key { "/" } else { "" }
                ),
                theme.input(),
            ),
            Span::raw(if entry.save {
                format!(" {}", s.unknown_jan_save)
            } else {
                String::new()
            }),
        ]));
        Paragraph::new(lines).render(area, buf);
        return;
    }
    if let Some(code) = &app.receipt_entry {
        lines.push(Line::from(vec![
            Span::raw(format!(" {}: ", s.receipt_code_prompt)),
            Span::styled(format!("{code}_"), theme.input()),
        ]));
        Paragraph::new(lines).render(area, buf);
        return;
    }
    lines.push(Line::from(vec![
        Span::raw(format!(" {}: ", s.input_label)),
        Span::styled(
            format!(
                "{}{}_",
                app.input,
                if app.department_key { "/" } else { "" }
            ),
            theme.input(),
        ),
    ]));
    Paragraph::new(lines).render(area, buf);
}

fn draw_total(app: &App, s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (label, amount) = match app.mode {
        SaleKind::Payment => (s.total, app.cart.total().unwrap_or(Yen::ZERO)),
        SaleKind::Topup => (s.topup_amount, Yen(app.input.parse().unwrap_or(0))),
    };
    let [label_area, digits] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    Paragraph::new(Line::from(label).right_aligned())
        .style(theme.title())
        .render(label_area, buf);
    let text = amount.to_string();
    BigAmount::new(&text)
        .style(theme.total())
        .render(digits, buf);
}

pub fn hints(app: &App) -> Vec<Hint> {
    let s = app.lang.strings();
    if app.void_entry.is_some() {
        return vec![
            hint("1/2", s.carts().void_reason),
            hint("Enter", s.carts().key_void),
            hint("Esc", s.key_back),
        ];
    }
    if app.unknown_jan.is_some() {
        return vec![
            hint("0-9", s.unknown_jan_price),
            hint("/1-9", s.key_department),
            hint("S", s.key_save_product),
            hint("Esc", s.key_leave_out),
        ];
    }
    let mut hints = vec![hint("Enter", s.key_pay)];
    if app.mode == SaleKind::Payment {
        hints.extend([
            hint("+", s.key_confirm),
            hint("/1-9", s.key_department),
            hint("%/-", s.key_discount),
            hint("*", s.key_qty),
            hint("Del", s.key_delete_line),
        ]);
    }
    hints.extend([
        hint("Esc", s.key_clear),
        hint(
            "F3",
            if app.mode == SaleKind::Payment {
                s.key_topup
            } else {
                s.key_sale
            },
        ),
        hint("F4", s.key_history),
        hint("F5", s.key_reports),
        hint("F6", s.key_status),
    ]);
    if app.mode == SaleKind::Payment && !app.cart.is_empty() {
        hints.extend([
            hint("F2", s.carts().key_override),
            hint("F7", s.carts().key_void),
            hint("F9", s.carts().key_park),
        ]);
    } else if app.parked_count > 0 {
        hints.push(hint("F9", s.carts().key_recall));
    }
    if !app.tab_providers.is_empty() {
        hints.push(hint("F8", s.key_tabs));
    }
    if app.on_duty.is_some() && app.cart.is_empty() {
        hints.push(hint("F12", s.staff().key_sign_out));
    }
    hints
}

/// `保留 2件` on the cart's frame, right, while parked sales wait (F9 recalls them).
fn parked_title(app: &App, s: &Strings, theme: &Theme) -> Line<'static> {
    if app.parked_count == 0 {
        return Line::default();
    }
    Line::styled(
        format!(" {} ", s.parked_waiting(app.parked_count)),
        theme.pending(),
    )
    .right_aligned()
}
