//! One view per screen: pure functions of `&App` that draw the body and list the key hints.

mod cash;
mod drawer;
mod history;
mod history_find;
mod history_return;
mod outcome;
mod parked;
mod pay_method;
mod preview;
mod qr_wait;
mod reports;
mod sale;
mod scan_wait;
mod sign_in;
mod status;
mod tabs;

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::ui::render::{Hint, amount_caption, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use crate::ui::widgets::big_amount::BigAmount;
use regi_core::app::screens::split;
use regi_core::app::{App, Checkout, Screen};

/// ` 支払い済み: 現金 ¥1,000 · QR ¥500` — the tenders of the checkout paid so far.
fn paid_tenders_line(app: &App, s: &Strings) -> String {
    if app.split.paid.is_empty() {
        return String::new();
    }
    let tenders: Vec<String> = app
        .split
        .paid
        .iter()
        .map(|t| format!("{} {}", s.tender_short(t.method), t.amount))
        .collect();
    format!(" {}: {}", s.paid_so_far, tenders.join(" · "))
}

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    match &app.screen {
        Screen::Sale => sale::draw(app, theme, area, buf),
        Screen::PayMethod => pay_method::draw(app, theme, area, buf),
        Screen::QrWait(wait) => qr_wait::draw(app, wait, theme, area, buf),
        Screen::ScanWait(wait) => scan_wait::draw(app, wait, theme, area, buf),
        Screen::Outcome(outcome) => outcome::draw(app, outcome, theme, area, buf),
        Screen::History(history) => history::draw(app, history, theme, area, buf),
        Screen::Reports(reports) => reports::draw(app, reports, theme, area, buf),
        Screen::Status => status::draw(app, theme, area, buf),
        Screen::Preview(p) => preview::draw(app, p, theme, area, buf),
        Screen::Tabs(t) => tabs::draw(app, t, theme, area, buf),
        Screen::Drawer(d) => drawer::draw(app, d, theme, area, buf),
        Screen::Cash(entry) => cash::draw(app, entry, theme, area, buf),
        Screen::Parked(list) => parked::draw(app, list, theme, area, buf),
        Screen::SignIn(form) => sign_in::draw(app, form, theme, area, buf),
    }
}

pub fn hints(app: &App) -> Vec<Hint> {
    let s = app.lang.strings();
    let mut hints = match &app.screen {
        Screen::Sale => sale::hints(app),
        Screen::PayMethod => pay_method::hints(app),
        Screen::QrWait(wait) => qr_wait::hints(app, wait),
        Screen::ScanWait(wait) => scan_wait::hints(app, wait),
        Screen::Outcome(outcome) => outcome::hints(app, outcome),
        Screen::History(history) => history::hints(app, history),
        Screen::Reports(reports) => reports::hints(app, reports),
        Screen::Status => vec![hint("F5", s.key_refresh), hint("Esc", s.key_back)],
        Screen::Preview(_) => preview::hints(app),
        Screen::Tabs(t) => tabs::hints(app, t),
        Screen::Drawer(d) => drawer::hints(app, d),
        Screen::Cash(entry) => cash::hints(app, entry),
        Screen::Parked(list) => parked::hints(app, list),
        Screen::SignIn(form) => sign_in::hints(app, form),
    };
    if matches!(app.screen, Screen::Sale | Screen::SignIn(_)) {
        hints.push(hint("Ctrl-C", s.key_quit));
    }
    hints
}

/// The amount being paid at the top of the method choice and the code prompt: its caption, then
/// the same amount in big digits. Once tenders paid part of the sale (or the clerk typed the part
/// the next tender pays), the amount is what the next tender pays, under the total and the
/// tenders paid so far.
fn draw_checkout_amount(
    app: &App,
    checkout: &Checkout,
    s: &Strings,
    theme: &Theme,
    caption: Rect,
    digits: Rect,
    buf: &mut Buffer,
) {
    let total = checkout.draft.total;
    let due = if app.split.paid.is_empty() && app.split.part.is_none() {
        Paragraph::new(Line::styled(
            format!(" {}", amount_caption(total, checkout.draft.kind, s)),
            theme.title(),
        ))
        .render(caption, buf);
        total
    } else {
        let remaining = split::remaining(app).unwrap_or(total);
        let (label, due) = split::next_part(app)
            .map_or((s.cash_left_to_pay, remaining), |part| (s.part_next, part));
        Paragraph::new(vec![
            Line::styled(
                format!(
                    " {label} {due}   ({})",
                    amount_caption(total, checkout.draft.kind, s)
                ),
                theme.title(),
            ),
            Line::from(paid_tenders_line(app, s)),
        ])
        .render(caption, buf);
        due
    };
    let text = due.to_string();
    BigAmount::new(&text)
        .style(theme.total())
        .render(digits.inner(Margin::new(2, 0)), buf);
}
