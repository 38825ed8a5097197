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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::records::Tally;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};

    fn summary(kind: ReportKind) -> ReportSummary {
        ReportSummary {
            kind,
            payments: Tally {
                count: 2,
                amount: 1500,
            },
            topups: Tally::default(),
            refunds: Tally {
                count: 1,
                amount: 300,
            },
        }
    }

    #[test]
    fn x_runs_at_once_and_z_asks_first() {
        let mut app = app();
        press(&mut app, &[Key::F(5)]);
        assert_eq!(
            press(&mut app, &[Key::Char('x')]),
            vec![Command::LoadReport(ReportKind::X)]
        );
        update(&mut app, Msg::ReportLoaded(summary(ReportKind::X)));
        assert!(matches!(&app.screen, Screen::Reports(ReportsScreen::Shown(s)) if s.net() == 1200));
        press(&mut app, &[Key::Esc]);
        assert!(press(&mut app, &[Key::Char('z')]).is_empty());
        assert_eq!(app.screen, Screen::Reports(ReportsScreen::ConfirmZ));
        assert!(press(&mut app, &[Key::Esc]).is_empty());
        assert_eq!(app.screen, Screen::Reports(ReportsScreen::Menu));
        press(&mut app, &[Key::Char('z')]);
        assert_eq!(
            press(&mut app, &[Key::Enter]),
            vec![Command::LoadReport(ReportKind::Z)]
        );
        // An X result arriving now does not replace the Z being closed.
        update(&mut app, Msg::ReportLoaded(summary(ReportKind::X)));
        assert_eq!(
            app.screen,
            Screen::Reports(ReportsScreen::Loading(ReportKind::Z))
        );
        press(&mut app, &[Key::Esc]);
        assert_eq!(
            app.screen,
            Screen::Reports(ReportsScreen::Loading(ReportKind::Z)),
            "a Z in progress cannot be left half-way"
        );
    }
}
