//! The merchant QR as large as the terminal allows, with amount, the way to pay it is for,
//! countdown and live status.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::ui::render::{Hint, amount_caption, hint, notice_line};
use crate::ui::theme::Theme;
use crate::ui::widgets::big_amount::BigAmount;
use crate::ui::widgets::qr::{QrError, QrPlan};
use regi_core::app::App;
use regi_core::app::screens::{QrPhase, QrWait};
use regi_core::domain::PaymentMethod;

/// Narrowest useful side panel (amount, countdown, status).
const PANEL_MIN: u16 = 36;

pub fn draw(app: &App, wait: &QrWait, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let panel = match &wait.phase {
        QrPhase::Showing(session) => {
            let room = Rect {
                width: area.width.saturating_sub(PANEL_MIN),
                ..area
            };
            match QrPlan::fit(&session.token, room) {
                Ok(plan) => {
                    plan.render(theme.qr, buf);
                    let used = plan.area().right() - area.x + 1;
                    Rect {
                        x: area.x + used,
                        width: area.width.saturating_sub(used),
                        ..area
                    }
                }
                Err(error) => {
                    let [message, rest] =
                        Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(area);
                    // The QR is still payable (the customer may pay from another screen), so
                    // this is no failure: it says the size the terminal needs, side panel included.
                    let (headline, style) = match error {
                        QrError::TooSmall {
                            need_cols,
                            need_rows,
                            ..
                        } => (
                            // The header and the key hints take a row each.
                            s.qr_needs_size(need_cols + PANEL_MIN, need_rows + 2),
                            theme.pending(),
                        ),
                        QrError::Encode(e) => (format!("{} {e}", s.label_failed), theme.failure()),
                    };
                    Paragraph::new(vec![Line::styled(headline, style)])
                        .wrap(Wrap { trim: true })
                        .render(message, buf);
                    rest
                }
            }
        }
        _ => area,
    };
    draw_panel(app, wait, theme, panel, buf);
}

fn draw_panel(app: &App, wait: &QrWait, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let Some(checkout) = &app.checkout else {
        return;
    };
    let [caption, digits, info] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(area);
    // A QR for part of a sale asks for that part, not the total.
    let total = checkout.draft.total;
    let (caption_text, due) = match regi_core::app::screens::split::next_part(app) {
        Some(part) => (format!("{} {part}", s.part_next), part),
        None if !app.split.paid.is_empty() => {
            let left = regi_core::app::screens::split::remaining(app).unwrap_or(total);
            (format!("{} {left}", s.cash_left_to_pay), left)
        }
        None => (amount_caption(total, checkout.draft.kind, s), total),
    };
    Paragraph::new(Line::styled(caption_text, theme.title())).render(caption, buf);
    let text = due.to_string();
    BigAmount::new(&text)
        .style(theme.total())
        .render(digits, buf);

    let mut lines = vec![Line::default()];
    if let Some(tender) = &wait.tender {
        // Several providers may be enabled: the clerk sees which one the customer pays.
        lines.push(Line::styled(
            format!("{} {}", s.qr_pay_with, tender.label),
            theme.title(),
        ));
        lines.push(Line::default());
    }
    match &wait.phase {
        QrPhase::Creating => lines.push(Line::styled(s.qr_creating, theme.pending())),
        QrPhase::Cancelling => lines.push(Line::styled(s.status_cancelling, theme.pending())),
        QrPhase::Showing(session) => {
            let left = (session.expires_at - app.now).num_seconds();
            lines.push(Line::from(s.expires_in(left)));
            lines.push(Line::default());
            let status = if wait.checking {
                Line::styled(
                    format!("{} {}", s.label_checking, s.checking_message),
                    theme.pending(),
                )
            } else {
                Line::styled(s.status_waiting, theme.pending())
            };
            lines.push(status);
            lines.push(Line::default());
            let page = wait
                .tender
                .as_ref()
                .is_some_and(|t| t.presentation == PaymentMethod::HostedPage);
            let instruction = if page {
                s.qr_page_instruction
            } else {
                s.qr_instruction
            };
            // One line per phrase, so a narrow panel never breaks a Japanese word in two.
            lines.extend(instruction.lines().map(Line::from));
        }
    }
    if let Some(notice) = &app.notice {
        lines.push(Line::default());
        lines.push(notice_line(notice, s, theme));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(info, buf);
}

pub fn hints(app: &App, wait: &QrWait) -> Vec<Hint> {
    let s = app.lang.strings();
    if wait.phase == QrPhase::Cancelling {
        return vec![hint("…", s.please_wait)];
    }
    let mut hints = vec![hint("Esc", s.key_cancel)];
    if app.training && wait.session().is_some() {
        hints.push(hint("F9", s.key_customer_pays));
        hints.push(hint("F10", s.key_customer_fails));
    }
    hints
}
