//! Draws the whole screen for an `App`: header, the current screen's body, notice, key hints.
//! Read-only: nothing here changes the app or touches the outside world.

use crate::ui::strings::LangStrings as _;
use chrono_tz::Asia::Tokyo;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::ui::screens;
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::screens::HistoryMode;
use regi_core::app::{App, Notice, NoticeMessage, Screen};
use regi_core::domain::{SaleKind, Yen};

/// A key and what it does, shown at the bottom of every screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub key: &'static str,
    pub label: &'static str,
}

pub const fn hint(key: &'static str, label: &'static str) -> Hint {
    Hint { key, label }
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    draw(app, theme, area, frame.buffer_mut());
}

/// Draws into a buffer region; `render` is this on the whole frame.
pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let hints = screens::hints(app);
    let hint_lines = pack_hints(&hints, area.width, theme);
    let notice_inline = matches!(app.screen, Screen::QrWait(_));
    let notice_rows = u16::from(app.notice.is_some() && !notice_inline);
    let [header, body, notice, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(notice_rows),
        Constraint::Length(hint_lines.len() as u16),
    ])
    .areas(area);

    draw_header(app, s, theme, header, buf);
    screens::draw(app, theme, body, buf);
    if let (Some(n), false) = (&app.notice, notice_inline) {
        notice_line(n, s, theme).render(notice, buf);
    }
    Paragraph::new(hint_lines).render(footer, buf);
}

fn screen_title(app: &App, s: &'static Strings) -> &'static str {
    match &app.screen {
        Screen::Sale if app.mode == SaleKind::Topup => s.title_topup,
        Screen::Sale => s.title_sale,
        Screen::PayMethod => s.title_pay_method,
        Screen::QrWait(_) => s.title_qr_wait,
        Screen::ScanWait(_) => s.title_scan_wait,
        Screen::Outcome(_) => s.title_result,
        Screen::History(h) if !matches!(h.mode, HistoryMode::List | HistoryMode::Find { .. }) => {
            s.title_detail
        }
        Screen::History(h) if h.filter.is_some() => s.title_found,
        Screen::History(_) => s.title_history,
        Screen::Reports(_) => s.title_reports,
        Screen::Status => s.title_status,
        Screen::Preview(_) => s.title_preview,
        Screen::Tabs(_) => s.title_tabs,
        Screen::Drawer(_) => s.drawer_menu,
        Screen::Cash(_) => s.title_cash,
        Screen::Parked(_) => s.carts().parked_title,
        Screen::SignIn(_) => s.staff().title,
    }
}

/// One row: app name and screen title, the training banner when training, the local time.
fn draw_header(app: &App, s: &'static Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let clock = app
        .now
        .with_timezone(&Tokyo)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let mut spans = vec![Span::styled(
        format!(" {} │ {} ", s.app_name, screen_title(app, s)),
        theme.title(),
    )];
    if app.training {
        spans.push(Span::raw(format!(" {} ", s.training_banner)));
        // Why it trains, where the row has room for it beside the clock.
        if let Some(why) = &app.startup.training_reason {
            let reason = format!("({why}) ");
            let used: usize = spans.iter().map(|span| span.content.width()).sum();
            if used + reason.width() + clock.width() < usize::from(area.width) {
                spans.push(Span::raw(reason));
            }
        }
    }
    if let Some(staff) = &app.on_duty {
        spans.push(Span::raw(format!(" {} {} ", s.staff().on_duty, staff.name)));
    }
    let used: usize = spans.iter().map(|span| span.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + 1);
    if room >= clock.width() {
        spans.push(Span::raw(" ".repeat(room - clock.width())));
        spans.push(Span::raw(clock));
    }
    // In training the whole row is the banner, so it cannot be missed.
    let row_style = if app.training {
        theme.training_banner()
    } else {
        Style::new()
    };
    Paragraph::new(Line::from(spans))
        .style(row_style)
        .render(area, buf);
}

pub fn notice_text(message: &NoticeMessage, s: &'static Strings) -> String {
    match message {
        NoticeMessage::UnknownProduct(code) => format!("{} ({code})", s.unknown_product),
        NoticeMessage::AmountTooLarge => s.amount_too_large.to_string(),
        NoticeMessage::OverLimit(max) => s.over_limit(*max),
        NoticeMessage::BadQuantity => s.bad_quantity.to_string(),
        NoticeMessage::NotAProductCode => s.not_a_product_code.to_string(),
        NoticeMessage::NotAReceiptCode => s.not_a_receipt_code.to_string(),
        NoticeMessage::ReceiptNotFound(why) => s.receipt_not_found(why),
        NoticeMessage::NothingToPay => s.nothing_to_pay.to_string(),
        NoticeMessage::NotAPaymentCode => s.scan_not_a_payment_code.to_string(),
        NoticeMessage::Cancelled => format!("{} {}", s.label_cancelled, s.cancelled_message),
        NoticeMessage::StillChecking => s.still_checking.to_string(),
        NoticeMessage::WrongPin => s.refund_wrong_pin.to_string(),
        NoticeMessage::Refunding => s.refund_in_progress.to_string(),
        NoticeMessage::Refunded => format!("{} {}", s.label_refunded, s.refund_done),
        NoticeMessage::RefundUnknown => format!("{} {}", s.label_checking, s.refund_unknown),
        NoticeMessage::TabClosing => s.tab_closing.to_string(),
        NoticeMessage::TabOpening => s.tab_opening.to_string(),
        NoticeMessage::TabOpened { label } => format!("{} {label}: {}", s.label_paid, s.tab_opened),
        NoticeMessage::NoVerifiedCard => format!("{} {}", s.label_failed, s.tab_no_card),
        NoticeMessage::TabDaysOutOfRange => format!("{} {}", s.label_failed, s.tab_days_range),
        NoticeMessage::TabClosed { label, total } => {
            format!("{} {label}: {} {total}", s.label_paid, s.tab_billed)
        }
        NoticeMessage::TabUnknown => format!("{} {}", s.label_checking, s.tab_unknown),
        NoticeMessage::CatalogRowsLeftOut {
            count,
            first_ja,
            first_en,
        } => {
            let first = match s.lang {
                regi_core::lang::Lang::Ja => first_ja,
                regi_core::lang::Lang::En => first_en,
            };
            s.catalog_left_out(*count, first)
        }
        NoticeMessage::TabRefused {
            message_ja,
            message_en,
        } => {
            let message = match s.lang {
                regi_core::lang::Lang::Ja => message_ja,
                regi_core::lang::Lang::En => message_en,
            };
            format!("{} {message} {}", s.label_failed, s.tab_not_billed)
        }
        NoticeMessage::Capturing => s.capture_in_progress.to_string(),
        NoticeMessage::Captured { amount, released } if released.is_positive() => format!(
            "{} {amount} ({}: {released})",
            s.label_paid, s.capture_released
        ),
        NoticeMessage::Captured { amount, .. } => format!("{} {amount}", s.label_paid),
        NoticeMessage::CaptureUnknown => format!("{} {}", s.label_checking, s.capture_unknown),
        NoticeMessage::CaptureOutOfRange { held } => {
            format!(
                "{} {}: ¥1 – {held}",
                s.label_failed, s.capture_amount_prompt
            )
        }
        NoticeMessage::RefundOutOfRange { left } => {
            format!("{} {}: ¥1 – {left}", s.label_failed, s.refund_amount_prompt)
        }
        NoticeMessage::CaptureRefused {
            refusal,
            still_held,
        } => {
            let why = s.explain_refund_refusal(refusal.reason);
            let after = if *still_held {
                s.capture_still_held
            } else {
                why.next_step
            };
            format!("{} {} {after}", s.label_failed, why.reason)
        }
        NoticeMessage::RefundRefused(refusal) => {
            let why = s.explain_refund_refusal(refusal.reason);
            format!("{} {} {}", s.label_failed, why.reason, why.next_step)
        }
        NoticeMessage::Reprinted => s.reprint_sent.to_string(),
        NoticeMessage::PrinterUnavailable(detail) => format!("{}: {detail}", s.printer_unavailable),
        NoticeMessage::TaskFailed(detail) => s.error(detail),
        NoticeMessage::PartPaid { paid, remaining } => s.part_paid(*paid, *remaining),
        NoticeMessage::PartOutOfRange { remaining } => {
            format!("{} {}", s.label_failed, s.part_out_of_range(*remaining))
        }
        NoticeMessage::CashNotTaken(detail) => {
            format!("{} {}: {detail}", s.label_failed, s.cash_not_taken)
        }
        NoticeMessage::DrawerNotOpened(detail) => format!("{}: {detail}", s.cash_drawer_not_opened),
        NoticeMessage::GivenBack => format!("{} {}", s.label_refunded, s.given_back),
        NoticeMessage::NoSuchDepartment(key) => format!("{} ({key})", s.no_such_department),
        NoticeMessage::BadDiscount => s.bad_discount.to_string(),
        NoticeMessage::KeyNotUsed(key) => format!("「{key}」{}", s.key_not_used),
        NoticeMessage::QuitAsks { qr: false } => s.quit_asks.to_string(),
        NoticeMessage::QuitAsks { qr: true } => s.quit_asks_qr.to_string(),
        NoticeMessage::QuitWhenSettled => s.quit_when_settled.to_string(),
        NoticeMessage::NothingToVoid => s.carts().nothing_to_void.to_string(),
        NoticeMessage::VoidNeedsReason => s.carts().void_needs_reason.to_string(),
        NoticeMessage::CartVoided { receipt_no } => s.cart_voided(*receipt_no),
        NoticeMessage::VoidFailed(detail) => format!("{}: {detail}", s.carts().void_failed),
        NoticeMessage::CartParked { waiting } => s.cart_parked(*waiting),
        NoticeMessage::ParkFailed(detail) => format!("{}: {detail}", s.carts().park_failed),
        NoticeMessage::CartRecalled => s.carts().recalled.to_string(),
        NoticeMessage::OverrideNeedsPrice => s.carts().override_needs_price.to_string(),
        NoticeMessage::PriceOverridden(price) => s.price_overridden(*price),
        NoticeMessage::SignedIn(name) => s.signed_in(name),
        NoticeMessage::SignInRefused => s.staff().refused.to_string(),
        NoticeMessage::UnknownStaffCard => s.staff().unknown_card.to_string(),
        NoticeMessage::FinishSaleFirst => s.staff().finish_first.to_string(),
        NoticeMessage::NothingToReturn => s.return_nothing.to_string(),
        NoticeMessage::BadFind => s.find_bad.to_string(),
        NoticeMessage::NoSaleFound => s.find_none.to_string(),
        NoticeMessage::PriceNeedsDepartment => s.price_needs_department.to_string(),
        NoticeMessage::ProductSaved(jan) => format!("{} (JAN {jan})", s.product_saved),
        NoticeMessage::ProductNotSaved(why) => format!("{}: {why}", s.product_not_saved),
        NoticeMessage::StoreCatalogTaken { version, products } => {
            s.store_catalog_taken(*version, *products)
        }
        NoticeMessage::StoreCatalogRefused { version, why } => {
            s.store_catalog_refused(*version, why)
        }
    }
}

pub fn notice_line(notice: &Notice, s: &'static Strings, theme: &Theme) -> Line<'static> {
    let style = if notice.message.is_error() {
        theme.error()
    } else {
        theme.notice()
    };
    Line::from(Span::styled(
        format!(" {} ", notice_text(&notice.message, s)),
        style,
    ))
}

/// Packs hints into as few lines as the width allows, never splitting one hint.
pub fn pack_hints(hints: &[Hint], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for h in hints {
        let key = format!(" {} ", h.key);
        let label = format!(" {} ", h.label);
        let need = key.width() + label.width();
        if used > 0 && used + need > width {
            lines.push(Line::from(std::mem::take(&mut current)));
            used = 0;
        }
        current.push(Span::styled(key, theme.key()));
        current.push(Span::styled(label, theme.key_label()));
        used += need;
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

/// `合計 ¥1,200` for payments, with the top-up label for top-ups.
pub fn amount_caption(amount: Yen, kind: SaleKind, s: &Strings) -> String {
    match kind {
        SaleKind::Payment => format!("{} {amount}", s.total),
        SaleKind::Topup => format!("{} {amount}", s.topup_amount),
    }
}
