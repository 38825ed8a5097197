//! The customer-facing display: what `regi display` draws from the register's messages. Big
//! digits for the total and the change, the QR to scan at 80×24 and up, and a layout that stays
//! readable at 40×12. Read-only, like every view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget, Wrap};

use crate::ui::theme::Theme;
use crate::ui::widgets::big_amount::BigAmount;
use crate::ui::widgets::qr::QrPlan;
use regi_core::app::customer_view::{CustomerLine, CustomerScreen, CustomerView};
use regi_core::domain::Yen;
use regi_core::lang::Lang;

/// What the display knows: the register's last message, or that it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisplayState {
    /// Not connected to a register (yet, or any more).
    Connecting {
        lang: Lang,
    },
    Showing(CustomerScreen),
}

struct Words {
    welcome: &'static str,
    connecting: &'static str,
    total: &'static str,
    due: &'static str,
    scan: &'static str,
    too_small: &'static str,
    pay_at_till: &'static str,
    waiting: &'static str,
    thanks: &'static str,
    change: &'static str,
    failed: &'static str,
    failed_next: &'static str,
    items: fn(u32) -> String,
    /// A price typed without a name.
    item: &'static str,
}

const JA: Words = Words {
    welcome: "いらっしゃいませ",
    connecting: "レジに接続しています…",
    total: "合計",
    due: "お支払い金額",
    scan: "QRコードを読み取ってください",
    too_small: "QRコードはレジの画面でお読み取りください",
    pay_at_till: "お支払い方法をお伝えください",
    waiting: "確認しています。少々お待ちください",
    thanks: "ありがとうございました",
    change: "お釣り",
    failed: "お支払いが完了しませんでした",
    failed_next: "係の者にお声がけください",
    items: |n| format!("{n}点"),
    item: "商品",
};

const EN: Words = Words {
    welcome: "Welcome",
    connecting: "Connecting to the register…",
    total: "Total",
    due: "To pay",
    scan: "Scan the QR code with your app",
    too_small: "Please scan the QR code on the register's screen",
    pay_at_till: "Please tell us how you would like to pay",
    waiting: "Checking your payment, one moment please",
    thanks: "Thank you",
    change: "Change",
    failed: "The payment did not go through",
    failed_next: "Please ask a member of staff",
    items: |n| {
        if n == 1 {
            "1 item".into()
        } else {
            format!("{n} items")
        }
    },
    item: "Item",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

pub fn draw(state: &DisplayState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    match state {
        DisplayState::Connecting { lang } => {
            centered(&[words(*lang).connecting], theme, area, buf, false)
        }
        DisplayState::Showing(screen) => draw_view(screen, theme, area, buf),
    }
}

fn draw_view(screen: &CustomerScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = words(screen.lang);
    match &screen.view {
        CustomerView::Welcome => centered(&[w.welcome], theme, area, buf, true),
        CustomerView::Ringing {
            lines,
            items,
            total,
        } => ringing(w, lines, *items, *total, theme, area, buf),
        CustomerView::Paying { total, due, qr } => {
            paying(w, *total, *due, qr.as_deref(), theme, area, buf)
        }
        CustomerView::Waiting { total } => {
            let [top, bottom] = split_for_amount(area);
            centered(&[w.waiting], theme, top, buf, false);
            amount(w.total, *total, theme, bottom, buf);
        }
        CustomerView::Thanks { total, change } if change.is_positive() => {
            let [top, bottom] = split_for_amount(area);
            centered(
                &[w.thanks, &format!("{} {total}", w.total)],
                theme,
                top,
                buf,
                true,
            );
            amount(w.change, *change, theme, bottom, buf);
        }
        CustomerView::Thanks { total, .. } => {
            let [top, bottom] = split_for_amount(area);
            centered(&[w.thanks], theme, top, buf, true);
            amount(w.total, *total, theme, bottom, buf);
        }
        CustomerView::Failed { total } => {
            let [top, bottom] = split_for_amount(area);
            let block = Block::new();
            let text: Vec<Line> = [w.failed, w.failed_next]
                .iter()
                .map(|t| Line::styled(*t, theme.failure()).alignment(Alignment::Center))
                .collect();
            let [_, middle, _] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(text.len() as u16),
                Constraint::Fill(1),
            ])
            .areas(top);
            Paragraph::new(text)
                .block(block)
                .wrap(Wrap { trim: true })
                .render(middle, buf);
            amount(w.total, *total, theme, bottom, buf);
        }
    }
}

/// The top part for text, the bottom five rows for a labelled amount in big digits.
fn split_for_amount(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Fill(1), Constraint::Length(5)]).areas(area)
}

fn ringing(
    w: &Words,
    lines: &[CustomerLine],
    items: u32,
    total: Yen,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let [list, bottom] = split_for_amount(area);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::from(format!(" {} ", (w.items)(items))));
    let visible = usize::from(list.height.saturating_sub(2));
    let rows = lines
        .iter()
        .skip(lines.len().saturating_sub(visible))
        .map(|line| {
            let name = if line.name.is_empty() {
                w.item
            } else {
                &line.name
            };
            let name = if line.reduced {
                format!("{name} ※")
            } else {
                name.to_owned()
            };
            let quantity = if line.quantity > 1 {
                format!("×{}", line.quantity)
            } else {
                String::new()
            };
            Row::new([
                Cell::from(name),
                Cell::from(Line::from(quantity).right_aligned()),
                Cell::from(Line::from(line.amount.to_string()).right_aligned()),
            ])
        });
    Table::new(
        rows,
        [
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(11),
        ],
    )
    .block(block)
    .render(list, buf);
    amount(w.total, total, theme, bottom, buf);
}

fn paying(
    w: &Words,
    total: Yen,
    due: Yen,
    qr: Option<&str>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    // What is due: all, or the rest after a tender; the total beside it when they differ.
    let caption = if due == total {
        w.due.to_owned()
    } else {
        format!("{} ({} {total})", w.due, w.total)
    };
    let Some(token) = qr else {
        let [top, bottom] = split_for_amount(area);
        centered(&[w.pay_at_till], theme, top, buf, false);
        amount(&caption, due, theme, bottom, buf);
        return;
    };
    // The QR on the left at the largest scale that leaves a panel for the amount; too small a
    // screen shows the amount and sends the customer to the register's screen.
    let panel_width = 30.min(area.width / 2);
    let room = Rect {
        width: area.width.saturating_sub(panel_width),
        ..area
    };
    match QrPlan::fit(token, room) {
        Ok(plan) => {
            plan.render(theme.qr, buf);
            let used = plan.area().right().saturating_sub(area.x) + 1;
            let panel = Rect {
                x: area.x + used,
                width: area.width.saturating_sub(used),
                ..area
            };
            let [top, bottom] = split_for_amount(panel);
            centered(&[w.scan], theme, top, buf, false);
            amount(&caption, due, theme, bottom, buf);
        }
        Err(_) => {
            let [top, bottom] = split_for_amount(area);
            centered(&[w.too_small], theme, top, buf, false);
            amount(&caption, due, theme, bottom, buf);
        }
    }
}

/// A caption right-aligned over an amount in the biggest digits that fit.
fn amount(caption: &str, yen: Yen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [label, digits] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    Paragraph::new(Line::from(caption.to_owned()).right_aligned())
        .style(theme.title())
        .render(label, buf);
    let text = yen.to_string();
    BigAmount::new(&text)
        .style(theme.total())
        .render(digits, buf);
}

/// Lines of text centred in `area`, wrapped at word boundaries when narrow.
fn centered(texts: &[&str], theme: &Theme, area: Rect, buf: &mut Buffer, title: bool) {
    let style = if title { theme.title() } else { theme.muted() };
    let lines: Vec<Line> = texts
        .iter()
        .map(|t| Line::styled((*t).to_owned(), style).alignment(Alignment::Center))
        .collect();
    let height = (lines.len() as u16).min(area.height);
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height.max(1) + 1),
        Constraint::Fill(1),
    ])
    .areas(area);
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(middle, buf);
}
