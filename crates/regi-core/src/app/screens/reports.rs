//! X (read) and Z (close the day) reports. Z is guarded twice: by the manager PIN when one is
//! configured, and by typing the number of the day it closes, so `Z Enter` pressed by habit
//! cannot close the day. D opens the drawer's screens (float, paid-in/out, the cash count).

use chrono::{DateTime, Utc};

use crate::app::screens::Screen;
use crate::app::screens::pin_entry;
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PinPurpose};
use crate::records::{HourMeasure, Report, ReportKind};

/// Digits the Z number may have.
const MAX_DAY_DIGITS: usize = 9;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportsScreen {
    Menu,
    /// The manager PIN before a Z; `checking` while the runtime checks it.
    ZPin {
        pin: String,
        checking: Option<AttemptId>,
    },
    /// Reading the open day to learn its number before a Z is confirmed.
    ZPreparing,
    /// The clerk types `day` (the number of the day the Z closes, shown on screen) to close it.
    ConfirmZ {
        day: i64,
        typed: String,
        /// The last number typed was not the one shown.
        mismatch: bool,
    },
    Loading(ReportKind),
    /// A report on screen, scrolled down `scroll` rows where it does not fit.
    Shown {
        report: Box<Report>,
        scroll: u16,
    },
    /// No business day is open: nothing sold since the last Z.
    NothingToReport(ReportKind),
}

/// Rows a page key scrolls the report by.
pub const PAGE_ROWS: u16 = 10;

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let pin_required = app.pin_required;
    // Taken before the screen is borrowed; an id left unused costs nothing.
    let attempt = matches!(
        (&app.screen, key),
        (Screen::Reports(ReportsScreen::ZPin { .. }), Key::Enter)
    )
    .then(|| app.new_attempt());
    let Screen::Reports(reports) = &mut app.screen else {
        return Vec::new();
    };
    match (&mut *reports, key) {
        (ReportsScreen::ZPin { checking: None, .. }, Key::Esc)
        | (ReportsScreen::ConfirmZ { .. }, Key::Esc) => {
            *reports = ReportsScreen::Menu;
            Vec::new()
        }
        (
            ReportsScreen::ZPin {
                pin,
                checking: checking @ None,
            },
            Key::Enter,
        ) if !locked && !pin.is_empty() && attempt.is_some() => {
            let attempt = attempt.unwrap_or(AttemptId(0));
            *checking = Some(attempt);
            vec![pin_entry::verify(pin, attempt, PinPurpose::CloseDay)]
        }
        (
            ReportsScreen::ZPin {
                pin,
                checking: None,
            },
            key,
        ) => {
            pin_entry::edit(pin, key, locked);
            Vec::new()
        }
        (
            ReportsScreen::ConfirmZ {
                day,
                typed,
                mismatch,
            },
            Key::Enter,
        ) => {
            if typed.parse::<i64>().ok() == Some(*day) {
                *reports = ReportsScreen::Loading(ReportKind::Z);
                vec![Command::LoadReport(ReportKind::Z)]
            } else {
                typed.clear();
                *mismatch = true;
                Vec::new()
            }
        }
        (ReportsScreen::ConfirmZ { typed, .. }, Key::Backspace) => {
            typed.pop();
            Vec::new()
        }
        (
            ReportsScreen::ConfirmZ {
                typed, mismatch, ..
            },
            Key::Char(c),
        ) => {
            // Full-width digits (an IME left on) count as the digits they show.
            if let Some(d) = half_width_digit(c)
                && typed.len() < MAX_DAY_DIGITS
            {
                typed.push(d);
                *mismatch = false;
            }
            Vec::new()
        }
        // A report being made cannot be left half-way; a PIN being checked waits for its answer.
        (
            ReportsScreen::ConfirmZ { .. }
            | ReportsScreen::ZPin { .. }
            | ReportsScreen::ZPreparing
            | ReportsScreen::Loading(_),
            _,
        ) => Vec::new(),
        (ReportsScreen::Shown { scroll, .. }, Key::Up) => {
            *scroll = scroll.saturating_sub(1);
            Vec::new()
        }
        (ReportsScreen::Shown { scroll, .. }, Key::Down) => {
            // The view stops at the last row; the state only counts how far the clerk asked.
            *scroll = scroll.saturating_add(1);
            Vec::new()
        }
        (ReportsScreen::Shown { scroll, .. }, Key::PageUp) => {
            *scroll = scroll.saturating_sub(PAGE_ROWS);
            Vec::new()
        }
        (ReportsScreen::Shown { scroll, .. }, Key::PageDown) => {
            *scroll = scroll.saturating_add(PAGE_ROWS);
            Vec::new()
        }
        // Tab switches the sales-by-hour chart between receipts and yen.
        (ReportsScreen::Shown { .. }, Key::Tab) => {
            app.hour_measure = match app.hour_measure {
                HourMeasure::Count => HourMeasure::Yen,
                HourMeasure::Yen => HourMeasure::Count,
            };
            Vec::new()
        }
        (_, Key::Char('x') | Key::Char('X') | Key::Char('1') | Key::F(1)) => {
            *reports = ReportsScreen::Loading(ReportKind::X);
            vec![Command::LoadReport(ReportKind::X)]
        }
        (_, Key::Char('d') | Key::Char('D') | Key::Char('3') | Key::F(3)) => {
            crate::app::screens::drawer::open(app)
        }
        (_, Key::Char('z') | Key::Char('Z') | Key::Char('2') | Key::F(2)) => {
            if pin_required {
                *reports = ReportsScreen::ZPin {
                    pin: String::new(),
                    checking: None,
                };
                Vec::new()
            } else {
                prepare_z(reports)
            }
        }
        (ReportsScreen::Shown { .. } | ReportsScreen::NothingToReport(_), Key::Esc) => {
            *reports = ReportsScreen::Menu;
            Vec::new()
        }
        (_, Key::Esc) => {
            app.screen = Screen::Sale;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Reads the open day (an X) to learn the number the clerk is to type.
fn prepare_z(reports: &mut ReportsScreen) -> Vec<Command> {
    *reports = ReportsScreen::ZPreparing;
    vec![Command::LoadReport(ReportKind::X)]
}

/// `c` as an ASCII digit, also when typed full-width.
fn half_width_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

pub fn on_pin_checked(
    app: &mut App,
    attempt: AttemptId,
    correct: bool,
    at: DateTime<Utc>,
) -> Vec<Command> {
    pin_entry::count(app, correct, at);
    let Screen::Reports(reports) = &mut app.screen else {
        return Vec::new();
    };
    let ReportsScreen::ZPin {
        checking: Some(asked),
        ..
    } = reports
    else {
        return Vec::new();
    };
    if *asked != attempt {
        return Vec::new();
    }
    if correct {
        prepare_z(reports)
    } else {
        *reports = ReportsScreen::ZPin {
            pin: String::new(),
            checking: None,
        };
        app.notify(NoticeMessage::WrongPin);
        Vec::new()
    }
}

pub fn on_loaded(
    app: &mut App,
    kind: ReportKind,
    report: Result<Option<Box<Report>>, String>,
) -> Vec<Command> {
    let Screen::Reports(reports) = &mut app.screen else {
        return Vec::new();
    };
    let preparing = *reports == ReportsScreen::ZPreparing && kind == ReportKind::X;
    if *reports != ReportsScreen::Loading(kind) && !preparing {
        return Vec::new();
    }
    match report {
        Ok(Some(report)) if preparing => {
            *reports = ReportsScreen::ConfirmZ {
                day: report.business_day_id,
                typed: String::new(),
                mismatch: false,
            }
        }
        Ok(Some(report)) if kind == ReportKind::Z => {
            // The day is closed: its slip goes to the printer with the Z's number on it.
            let print = Command::PrintReport(report.clone());
            *reports = ReportsScreen::Shown { report, scroll: 0 };
            return vec![print];
        }
        Ok(Some(report)) => *reports = ReportsScreen::Shown { report, scroll: 0 },
        Ok(None) if preparing => *reports = ReportsScreen::NothingToReport(ReportKind::Z),
        Ok(None) => *reports = ReportsScreen::NothingToReport(kind),
        Err(reason) => {
            // E.g. a Z refused while an outcome is still open: say why, change nothing.
            *reports = ReportsScreen::Menu;
            app.notify(NoticeMessage::TaskFailed(reason));
        }
    }
    Vec::new()
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;
