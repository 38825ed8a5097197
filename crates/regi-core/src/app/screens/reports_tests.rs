//! The report screens' steps: X at once, Z behind the manager PIN and the day's number typed.

use super::*;
use crate::app::test_support::*;
use crate::app::{Msg, update};

fn loaded(app: &mut App, kind: ReportKind, day: i64) {
    let mut report = report(kind);
    report.business_day_id = day;
    update(
        app,
        Msg::ReportLoaded {
            kind,
            report: Ok(Some(Box::new(report))),
        },
    );
}

fn pin_answer(app: &mut App, commands: &[Command], correct: bool) {
    let [Command::VerifyPin { attempt, .. }] = commands else {
        panic!("expected a PIN check, got {commands:?}");
    };
    update(
        app,
        Msg::PinChecked {
            attempt: *attempt,
            correct,
            at: t0(),
        },
    );
}

/// An app without a manager PIN, on the reports menu.
fn no_pin_menu() -> App {
    let mut app = app();
    app.pin_required = false;
    press(&mut app, &[Key::F(5)]);
    app
}

#[test]
fn x_runs_at_once_and_scrolls() {
    let mut app = no_pin_menu();
    assert_eq!(
        press(&mut app, &[Key::Char('x')]),
        vec![Command::LoadReport(ReportKind::X)]
    );
    loaded(&mut app, ReportKind::X, 1);
    press(&mut app, &[Key::PageDown, Key::Down, Key::Up, Key::Up]);
    assert!(matches!(
        &app.screen,
        Screen::Reports(ReportsScreen::Shown { report, scroll: 9 }) if report.kind == ReportKind::X
    ));
    press(&mut app, &[Key::PageUp]);
    assert!(matches!(
        &app.screen,
        Screen::Reports(ReportsScreen::Shown { scroll: 0, .. })
    ));
}

#[test]
fn z_then_enter_by_habit_does_not_close_the_day() {
    let mut app = no_pin_menu();
    assert_eq!(
        press(&mut app, &[Key::Char('2')]),
        vec![Command::LoadReport(ReportKind::X)],
        "the open day is read to learn its number"
    );
    loaded(&mut app, ReportKind::X, 37);
    assert!(press(&mut app, &[Key::Enter]).is_empty());
    assert!(press(&mut app, &[Key::Char('2'), Key::Enter]).is_empty());
    assert_eq!(
        app.screen,
        Screen::Reports(ReportsScreen::ConfirmZ {
            day: 37,
            typed: String::new(),
            mismatch: true,
        })
    );
    assert_eq!(
        press(&mut app, &[Key::Char('3'), Key::Char('７'), Key::Enter]),
        vec![Command::LoadReport(ReportKind::Z)],
        "the number shown, full-width digits too, closes the day"
    );
    let mut closed = report(ReportKind::Z);
    closed.business_day_id = 37;
    assert_eq!(
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::Z,
                report: Ok(Some(Box::new(closed.clone()))),
            },
        ),
        vec![Command::PrintReport(Box::new(closed))],
        "the closed day's Z goes to the printer"
    );
    assert!(matches!(
        &app.screen,
        Screen::Reports(ReportsScreen::Shown { report, .. }) if report.business_day_id == 37
    ));
}

#[test]
fn a_z_being_closed_is_not_replaced_by_a_late_x_nor_left() {
    let mut app = no_pin_menu();
    press(&mut app, &[Key::Char('z')]);
    loaded(&mut app, ReportKind::X, 37);
    press(&mut app, &[Key::Char('3'), Key::Char('7'), Key::Enter]);
    // An X result arriving now does not replace the Z being closed, nor can it be left.
    loaded(&mut app, ReportKind::X, 37);
    press(&mut app, &[Key::Esc]);
    assert_eq!(
        app.screen,
        Screen::Reports(ReportsScreen::Loading(ReportKind::Z))
    );
}

#[test]
fn esc_leaves_the_z_confirmation_without_closing() {
    let mut app = no_pin_menu();
    press(&mut app, &[Key::Char('z')]);
    loaded(&mut app, ReportKind::X, 5);
    assert!(press(&mut app, &[Key::Char('5'), Key::Esc]).is_empty());
    assert_eq!(app.screen, Screen::Reports(ReportsScreen::Menu));
}

#[test]
fn z_with_a_manager_pin_asks_it_before_anything_is_read() {
    let mut app = app();
    press(&mut app, &[Key::F(5)]);
    assert!(press(&mut app, &[Key::Char('z')]).is_empty());
    assert!(
        press(&mut app, &[Key::Enter]).is_empty(),
        "no PIN typed yet"
    );
    let commands = press(&mut app, &[Key::Char('1'), Key::Char('2'), Key::Enter]);
    let [Command::VerifyPin { purpose, .. }] = commands.as_slice() else {
        panic!("expected a PIN check, got {commands:?}");
    };
    assert_eq!(*purpose, PinPurpose::CloseDay);

    pin_answer(&mut app, &commands, false);
    assert_eq!(
        app.screen,
        Screen::Reports(ReportsScreen::ZPin {
            pin: String::new(),
            checking: None
        })
    );
    assert_eq!(
        app.notice.as_ref().map(|n| &n.message),
        Some(&NoticeMessage::WrongPin)
    );

    let commands = press(&mut app, &[Key::Char('9'), Key::Enter]);
    pin_answer(&mut app, &commands, true);
    assert_eq!(app.screen, Screen::Reports(ReportsScreen::ZPreparing));
    loaded(&mut app, ReportKind::X, 2);
    assert_eq!(
        press(&mut app, &[Key::Char('2'), Key::Enter]),
        vec![Command::LoadReport(ReportKind::Z)]
    );
}

#[test]
fn z_with_no_open_day_says_so_and_a_refused_z_goes_back_to_the_menu() {
    let mut app = no_pin_menu();
    press(&mut app, &[Key::Char('z')]);
    update(
        &mut app,
        Msg::ReportLoaded {
            kind: ReportKind::X,
            report: Ok(None),
        },
    );
    assert_eq!(
        app.screen,
        Screen::Reports(ReportsScreen::NothingToReport(ReportKind::Z))
    );
    press(&mut app, &[Key::Esc, Key::Char('z')]);
    loaded(&mut app, ReportKind::X, 1);
    press(&mut app, &[Key::Char('1'), Key::Enter]);
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

#[test]
fn tab_on_a_report_switches_the_hour_chart_between_receipts_and_yen() {
    let mut app = app();
    press(&mut app, &[Key::F(5), Key::Char('x')]);
    update(
        &mut app,
        Msg::ReportLoaded {
            kind: ReportKind::X,
            report: Ok(Some(Box::new(report(ReportKind::X)))),
        },
    );
    assert_eq!(app.hour_measure, HourMeasure::Count);
    press(&mut app, &[Key::Tab]);
    assert_eq!(app.hour_measure, HourMeasure::Yen);
    press(&mut app, &[Key::Tab]);
    assert_eq!(app.hour_measure, HourMeasure::Count);
}
