//! X (read) and Z (close the day) reports; Z asks for confirmation first. D opens the drawer's
//! screens (float, paid-in/out, the cash count).

use crate::app::screens::Screen;
use crate::app::{App, Command, Key, NoticeMessage};
use crate::records::{Report, ReportKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportsScreen {
    Menu,
    ConfirmZ,
    Loading(ReportKind),
    Shown(Box<Report>),
    /// No business day is open: nothing sold since the last Z.
    NothingToReport(ReportKind),
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
        // A report being made cannot be left half-way; confirmation takes only yes or no.
        (ReportsScreen::ConfirmZ | ReportsScreen::Loading(_), _) => Vec::new(),
        (_, Key::Char('x') | Key::Char('X') | Key::Char('1') | Key::F(1)) => {
            *reports = ReportsScreen::Loading(ReportKind::X);
            vec![Command::LoadReport(ReportKind::X)]
        }
        (_, Key::Char('d') | Key::Char('D') | Key::Char('3') | Key::F(3)) => {
            crate::app::screens::drawer::open(app)
        }
        (_, Key::Char('z') | Key::Char('Z') | Key::Char('2') | Key::F(2)) => {
            *reports = ReportsScreen::ConfirmZ;
            Vec::new()
        }
        (ReportsScreen::Shown(_) | ReportsScreen::NothingToReport(_), Key::Esc) => {
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

pub fn on_loaded(
    app: &mut App,
    kind: ReportKind,
    report: Result<Option<Box<Report>>, String>,
) -> Vec<Command> {
    let Screen::Reports(reports) = &mut app.screen else {
        return Vec::new();
    };
    if *reports != ReportsScreen::Loading(kind) {
        return Vec::new();
    }
    match report {
        Ok(Some(report)) => *reports = ReportsScreen::Shown(report),
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
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};

    #[test]
    fn x_runs_at_once_and_z_asks_first() {
        let mut app = app();
        press(&mut app, &[Key::F(5)]);
        assert_eq!(
            press(&mut app, &[Key::Char('x')]),
            vec![Command::LoadReport(ReportKind::X)]
        );
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(Some(Box::new(report(ReportKind::X)))),
            },
        );
        assert!(
            matches!(&app.screen, Screen::Reports(ReportsScreen::Shown(r)) if r.kind == ReportKind::X)
        );
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
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(Some(Box::new(report(ReportKind::X)))),
            },
        );
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

    #[test]
    fn no_open_day_says_so() {
        let mut app = app();
        press(&mut app, &[Key::F(5), Key::Char('x')]);
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(None),
            },
        );
        assert_eq!(
            app.screen,
            Screen::Reports(ReportsScreen::NothingToReport(ReportKind::X))
        );
        press(&mut app, &[Key::Esc, Key::Char('z'), Key::Enter]);
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::Z,
                report: Err("an outcome is still open".into()),
            },
        );
        assert_eq!(app.screen, Screen::Reports(ReportsScreen::Menu));
        assert!(app.notice.is_some());
    }
}
