//! Today's sales (and a sale of an earlier day opened from its receipt), one sale's detail,
//! and the manager PIN prompt for a refund.

use crate::ui::strings::LangStrings as _;
use chrono::TimeDelta;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use super::history_return::ReturnView;
use crate::ui::render::{Hint, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::screens::history::{has_refund_slips, held_amount, is_paid, is_reprintable};
use regi_core::app::screens::return_pick::offers_lines;
use regi_core::app::screens::{HistoryMode, HistoryScreen};
use regi_core::app::{App, PinPurpose};
use regi_core::domain::{PaymentMethod, SaleKind, Yen};
use regi_core::records::provider_label;
use regi_journal::{SaleDetail, SaleState, local_time};

pub fn draw(app: &App, history: &HistoryScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let area = super::history_find::draw_around(history, s, theme, area, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border());
    let Some(sales) = &history.sales else {
        Paragraph::new(Line::styled(
            format!(" {}", s.history_loading),
            theme.pending(),
        ))
        .block(block)
        .render(area, buf);
        return;
    };
    if sales.is_empty() {
        let empty = if history.filter.is_some() {
            s.find_none
        } else {
            s.history_empty
        };
        Paragraph::new(Line::styled(format!(" {empty}"), theme.muted()))
            .block(block)
            .render(area, buf);
        return;
    }
    match &history.mode {
        HistoryMode::List | HistoryMode::Find { .. } => {
            draw_list(sales, history.selected, s, theme, area, buf);
        }
        HistoryMode::Return(pick) => {
            if let Some(sale) = history.selected_sale() {
                ReturnView {
                    sale,
                    pick: Some(pick),
                    picked: &[],
                    prompt: Vec::new(),
                }
                .draw(app, theme, area, buf);
            }
        }
        mode @ (HistoryMode::Pin(_) | HistoryMode::CheckingPin(_) | HistoryMode::Refunding(_))
            if history.returning.is_some() =>
        {
            if let (Some(sale), Some(picked)) = (history.selected_sale(), &history.returning) {
                let prompt = prompt_lines(
                    mode,
                    format!(" {}", s.return_confirm),
                    app.pin_required,
                    pin_locked_for(app),
                    s,
                    theme,
                );
                ReturnView {
                    sale,
                    pick: None,
                    picked,
                    prompt,
                }
                .draw(app, theme, area, buf);
            }
        }
        mode => {
            if let Some(sale) = history.selected_sale() {
                let detail = Detail {
                    sale,
                    mode,
                    pin_required: app.pin_required,
                    locked_for: pin_locked_for(app),
                    guarded: history.guarded,
                    amount: history.amount,
                };
                detail.draw(s, theme, area, buf);
            }
        }
    }
}

/// The journal's RFC 3339 time in shop time; the raw text if it does not parse.
/// A sale's state as the history shows it: a top-up given back is a cancelled charge, not a
/// refund of goods.
fn sale_state_label(sale: &regi_journal::SaleSummary, s: &Strings) -> &'static str {
    match (sale.kind, sale.state) {
        (SaleKind::Topup, SaleState::Refunded) => s.label_topup_cancelled,
        (_, state) => state_label(state, s),
    }
}

fn state_label(state: SaleState, s: &Strings) -> &'static str {
    match state {
        SaleState::Open => s.label_open,
        SaleState::Pending | SaleState::Unknown => s.label_checking,
        SaleState::Paid => s.label_paid,
        SaleState::Failed => s.label_failed,
        SaleState::Expired => s.label_expired,
        SaleState::Cancelled => s.label_cancelled,
        SaleState::Refunded => s.label_refunded,
        SaleState::Held => s.label_held,
        SaleState::PartlyPaid => s.label_partly_paid,
    }
}

fn kind_label(sale: &SaleDetail, s: &Strings) -> String {
    let kind = match sale.sale.kind {
        SaleKind::Payment => s.kind_payment,
        SaleKind::Topup => s.kind_topup,
    };
    match sale.sale.method {
        Some(PaymentMethod::MerchantQr) => format!("{kind}/{}", s.method_qr_short),
        Some(PaymentMethod::HostedPage) => format!("{kind}/{}", s.method_page_short),
        Some(PaymentMethod::CustomerCode) => format!("{kind}/{}", s.method_code_short),
        Some(PaymentMethod::Tab) => format!("{kind}/{}", s.method_tab_short),
        Some(PaymentMethod::Cash) => format!("{kind}/{}", s.method_cash_short),
        None => kind.to_string(),
    }
}

/// The provider and the way the sale's payment was made, as the provider named it
/// (`provider/PayPay`); just the provider when it named none, nothing before a payment.
fn paid_with(sale: &SaleDetail, s: &Strings) -> Option<String> {
    let provider = provider_label(sale.sale.provider.as_deref()?, s.lang);
    Some(match sale.sale.money_name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("{provider}/{name}"),
        _ => provider.to_string(),
    })
}

fn draw_list(
    sales: &[SaleDetail],
    selected: usize,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let skip = (selected + 1).saturating_sub(visible);
    // A sale of an earlier day (opened from its receipt) shows its date instead of seconds.
    let open_day = sales.iter().map(|s| s.sale.business_day_id).max();
    let earlier = |sale: &SaleDetail| Some(sale.sale.business_day_id) < open_day;
    let time_width = if sales.iter().any(earlier) { 12 } else { 10 };
    let rows = sales.iter().enumerate().skip(skip).map(|(i, sale)| {
        let marker = if i == selected { "▶" } else { " " };
        let format = if earlier(sale) {
            "%m/%d %H:%M"
        } else {
            "%H:%M:%S"
        };
        let row = Row::new([
            Cell::from(format!(
                "{marker}{}",
                local_time(&sale.sale.created_at, format)
            )),
            Cell::from(Line::from(sale.sale.receipt_no.to_string()).right_aligned()),
            Cell::from(kind_label(sale, s)),
            Cell::from(Line::from(sale.sale.total.to_string()).right_aligned()),
            Cell::from(sale_state_label(&sale.sale, s)),
            Cell::from(paid_with(sale, s).unwrap_or_default()),
        ]);
        if i == selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let header = Row::new([
        Cell::from(format!(" {}", s.col_time)),
        Cell::from(Line::from("No.").right_aligned()),
        Cell::from(s.col_kind),
        Cell::from(Line::from(s.col_amount).right_aligned()),
        Cell::from(s.col_status),
        Cell::from(s.col_paid_with),
    ])
    .style(theme.muted());
    // The status has a width of its own (its longest label), so what the sale was paid with
    // gets the rest: at 80 columns the provider and most of the name.
    Table::new(
        rows,
        [
            Constraint::Length(time_width),
            Constraint::Length(5),
            Constraint::Length(16),
            Constraint::Length(10),
            Constraint::Length(12),
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

/// How long the PIN prompt still refuses tries after repeated wrong PINs.
fn pin_locked_for(app: &App) -> Option<TimeDelta> {
    app.pin_lockout
        .remaining(app.now)
        .filter(|_| app.pin_required)
}

struct Detail<'a> {
    sale: &'a SaleDetail,
    mode: &'a HistoryMode,
    pin_required: bool,
    locked_for: Option<TimeDelta>,
    /// What the PIN prompt is for, and the capture asked for.
    guarded: PinPurpose,
    amount: Option<Yen>,
}

impl Detail<'_> {
    fn draw(&self, s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
        let summary = &self.sale.sale;
        let mut lines = vec![
            Line::from(format!(
                " {}  {} {}  {}",
                local_time(&summary.created_at, "%Y-%m-%d %H:%M:%S"),
                s.receipt_no,
                summary.receipt_no,
                sale_state_label(summary, s)
            )),
            Line::from(format!(" {}: {}", s.col_kind, kind_label(self.sale, s))),
            Line::styled(format!(" {}: {}", s.amount, summary.total), theme.total()),
        ];
        if let Some(origin) = &summary.origin {
            lines.insert(
                1,
                Line::from(format!(" {}", s.sold_at_other_till(&origin.terminal_id))),
            );
        }
        if let Some(via) = paid_with(self.sale, s) {
            lines.push(Line::from(format!(" {}: {via}", s.col_paid_with)));
        }
        // A sale paid by several tenders, or in cash, lists each with what it paid.
        let tenders = regi_core::app::screens::split::paid_tenders(self.sale);
        if tenders.len() > 1 || tenders.iter().any(|t| t.cash.is_some()) {
            for tender in &tenders {
                let cash = tender.cash.map_or_else(String::new, |c| {
                    format!(
                        "  ({} {} {} {})",
                        s.cash_received, c.received, s.cash_change, c.change
                    )
                });
                lines.push(Line::from(format!(
                    "   {} {}{cash}",
                    s.tender_short(tender.method),
                    tender.amount
                )));
            }
        }
        if let Some(id) = &summary.transaction_id {
            lines.push(Line::from(format!(" {}: {id}", s.transaction_id)));
        }
        if let Some(name) = self
            .sale
            .attempts
            .iter()
            .find_map(|a| a.customer_name.as_ref())
        {
            lines.push(Line::from(format!(" {}: {name}", s.customer)));
        }
        for line in &self.sale.lines {
            // The journal keeps a manual line under its Japanese name; the reader gets theirs.
            let name = if line.name == regi_core::domain::cart::MANUAL_LINE_NAME {
                s.manual_amount
            } else {
                line.name.as_str()
            };
            lines.push(Line::from(format!(
                "   {name} ×{} {}",
                line.quantity, line.amount
            )));
        }
        let held = held_amount(self.sale);
        if let Some(held) = held {
            lines.push(Line::from(format!(" {}: {held}", s.held_amount)));
        }
        if summary.refunded.is_positive() && summary.state == SaleState::Paid {
            lines.push(Line::from(format!(
                " {}: {}",
                s.refunded_so_far, summary.refunded
            )));
        }
        if summary.released.is_positive() {
            lines.push(Line::from(format!(
                " {}: {}",
                s.capture_released, summary.released
            )));
        }
        lines.push(Line::default());
        let confirm = match self.guarded {
            PinPurpose::Capture => {
                format!(
                    " {} ({})",
                    s.capture_confirm,
                    self.amount.or(held).unwrap_or(summary.total)
                )
            }
            PinPurpose::Refund
            | PinPurpose::CloseTab
            | PinPurpose::OpenTab
            | PinPurpose::Drawer
            | PinPurpose::CloseDay
            | PinPurpose::PriceOverride => match self.amount {
                Some(part) => format!(" {} ({part})", s.refund_confirm),
                None => format!(" {}", s.refund_confirm),
            },
        };
        match self.mode {
            HistoryMode::Pin(_) | HistoryMode::CheckingPin(_) | HistoryMode::Refunding(_) => {
                lines.extend(prompt_lines(
                    self.mode,
                    confirm,
                    self.pin_required,
                    self.locked_for,
                    s,
                    theme,
                ));
            }
            HistoryMode::Amount(typed) => {
                let (title, prompt) = match self.guarded {
                    PinPurpose::Capture => (s.capture_confirm, s.capture_amount_prompt),
                    PinPurpose::Refund
                    | PinPurpose::CloseTab
                    | PinPurpose::OpenTab
                    | PinPurpose::Drawer
                    | PinPurpose::CloseDay
                    | PinPurpose::PriceOverride => (s.refund_confirm, s.refund_amount_prompt),
                };
                lines.push(Line::styled(format!(" {title}"), theme.title()));
                lines.push(Line::from(format!(" {prompt}: ¥{typed}_")));
            }
            HistoryMode::Capturing(_) => {
                lines.push(Line::styled(
                    format!(" {}", s.capture_in_progress),
                    theme.pending(),
                ));
            }
            HistoryMode::List
            | HistoryMode::Detail
            | HistoryMode::Return(_)
            | HistoryMode::Find { .. } => {}
        }
        Paragraph::new(lines)
            .block(
                Block::new()
                    .borders(Borders::ALL)
                    .border_style(theme.border()),
            )
            .render(area, buf);
    }
}

/// What the refund's confirmation shows under the sale: `confirm` and the PIN being typed (or
/// how long the prompt still refuses tries), the PIN being checked, or the refund under way.
fn prompt_lines(
    mode: &HistoryMode,
    confirm: String,
    pin_required: bool,
    locked_for: Option<TimeDelta>,
    s: &Strings,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match mode {
        HistoryMode::Pin(typed) => {
            lines.push(Line::styled(confirm, theme.title()));
            if let Some(left) = locked_for {
                // Rounded up, so the wait never shows 0:00 while Enter is still refused.
                let seconds = (left.num_milliseconds() + 999) / 1000;
                lines.push(Line::styled(
                    format!(" {}", s.pin_locked(seconds)),
                    theme.error(),
                ));
            } else if pin_required {
                lines.push(Line::from(format!(
                    " {}: {}_",
                    s.refund_pin_prompt,
                    "*".repeat(typed.chars().count())
                )));
            }
        }
        HistoryMode::CheckingPin(_) => {
            lines.push(Line::styled(confirm, theme.title()));
            lines.push(Line::styled(
                format!(" {}", s.pin_checking),
                theme.pending(),
            ));
        }
        HistoryMode::Refunding(_) => {
            lines.push(Line::styled(
                format!(" {}", s.refund_in_progress),
                theme.pending(),
            ));
        }
        _ => {}
    }
    lines
}

pub fn hints(app: &App, history: &HistoryScreen) -> Vec<Hint> {
    let s = app.lang.strings();
    match &history.mode {
        HistoryMode::List => {
            let mut hints = vec![hint("↑↓", s.key_select), hint("Enter", s.key_detail)];
            if history.selected_sale().is_some_and(is_paid) {
                hints.push(hint("R", s.key_refund));
            }
            hints.extend([
                hint("/", s.key_find),
                hint("F5", s.key_refresh),
                hint("Esc", s.key_back),
            ]);
            hints
        }
        HistoryMode::Find { .. } => vec![
            hint("Tab", s.key_find_by),
            hint("Enter", s.key_find),
            hint("Esc", s.key_cancel),
        ],
        HistoryMode::Detail => {
            let mut hints = Vec::new();
            if history.selected_sale().and_then(held_amount).is_some() {
                hints.push(hint("F6/C", s.key_capture));
            }
            if history.selected_sale().is_some_and(is_paid) {
                if history.selected_sale().is_some_and(offers_lines) {
                    hints.push(hint("F7", s.key_refund));
                    hints.push(hint("R", s.key_return));
                } else {
                    hints.push(hint("F7/R", s.key_refund));
                }
            }
            if history.selected_sale().is_some_and(is_reprintable) {
                // Training prints nothing: the reprint key shows the receipt on screen.
                let reprint = if app.training {
                    s.key_receipt_preview
                } else {
                    s.key_reprint
                };
                hints.push(hint("F8/P", reprint));
            }
            if history.selected_sale().is_some_and(has_refund_slips) {
                hints.push(hint("S", s.key_refund_slip));
            }
            hints.push(hint("Esc", s.key_back));
            hints
        }
        HistoryMode::Pin(_) if pin_locked_for(app).is_some() => vec![hint("Esc", s.key_cancel)],
        HistoryMode::Pin(_) => vec![hint("Enter", s.key_confirm), hint("Esc", s.key_cancel)],
        HistoryMode::Amount(_) => {
            vec![hint("Enter", s.key_confirm), hint("Esc", s.key_cancel)]
        }
        HistoryMode::Return(_) => vec![
            hint("↑↓", s.key_select),
            hint("+-/Space", s.key_pick_qty),
            hint("Enter", s.key_confirm),
            hint("A", s.key_refund_all),
            hint("Esc", s.key_back),
        ],
        HistoryMode::CheckingPin(_) | HistoryMode::Refunding(_) | HistoryMode::Capturing(_) => {
            vec![hint("…", s.please_wait)]
        }
    }
}
