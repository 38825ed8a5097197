//! X (read) and Z (close the day) reports; Z asks for confirmation first.

use crate::app::records::{ReportKind, ReportSummary};
use crate::app::screens::Screen;
use crate::app::{App, Command, Key};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportsScreen {
    Menu,
    ConfirmZ,
    Loading(ReportKind),
    Shown(ReportSummary),
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::Reports(reports) = &mut app.screen else {
        return Vec::new();
    };
    match (&reports, key) {
        (ReportsScreen::ConfirmZ, Key::Enter | Key::Char('y') | Key::Char('Y')) => {
            *reports = ReportsScreen::Loading(ReportKind::Z);
            vec![Command::LoadReport(ReportKind::Z)]
        }
        (ReportsScreen::ConfirmZ, Key::Esc | Key::Char('n') | Key::Char('N')) => {
            *reports = ReportsScreen::Menu;
            Vec::new()
        }
        (ReportsScreen::ConfirmZ, _) => Vec::new(),
        (ReportsScreen::Loading(_), _) => Vec::new(),
        (_, Key::Char('x') | Key::Char('X') | Key::Char('1') | Key::F(1)) => {
            *reports = ReportsScreen::Loading(ReportKind::X);
            vec![Command::LoadReport(ReportKind::X)]
        }
        (_, Key::Char('z') | Key::Char('Z') | Key::Char('2') | Key::F(2)) => {
            *reports = ReportsScreen::ConfirmZ;
            Vec::new()
        }
        (ReportsScreen::Shown(_), Key::Esc) => {
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

pub fn on_loaded(app: &mut App, summary: ReportSummary) -> Vec<Command> {
    if let Screen::Reports(reports) = &mut app.screen
        && *reports == ReportsScreen::Loading(summary.kind)
    {
        *reports = ReportsScreen::Shown(summary);
    }
    Vec::new()
}
