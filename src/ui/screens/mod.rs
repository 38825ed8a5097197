//! One view per screen: pure functions of `&App` that draw the body and list the key hints.

mod history;
mod outcome;
mod pay_method;
mod preview;
mod qr_wait;
mod reports;
mod sale;
mod scan_wait;
mod status;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{App, Screen};
use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;

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
    }
}

pub fn hints(app: &App) -> Vec<Hint> {
    let s = app.lang.strings();
    let mut hints = match &app.screen {
        Screen::Sale => sale::hints(app),
        Screen::PayMethod => vec![
            hint("1/F1", s.method_qr_short),
            hint("2/F2", s.method_code_short),
            hint("Esc", s.key_back),
        ],
        Screen::QrWait(wait) => qr_wait::hints(app, wait),
        Screen::ScanWait(wait) => scan_wait::hints(app, wait),
        Screen::Outcome(outcome) => outcome::hints(app, outcome),
        Screen::History(history) => history::hints(app, history),
        Screen::Reports(reports) => reports::hints(app, reports),
        Screen::Status => vec![hint("F5", s.key_refresh), hint("Esc", s.key_back)],
        Screen::Preview(_) => preview::hints(app),
    };
    if matches!(app.screen, Screen::Sale) {
        hints.push(hint("Ctrl-C", s.key_quit));
    }
    hints
}
