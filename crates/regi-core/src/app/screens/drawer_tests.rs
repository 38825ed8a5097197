//! The drawer screens driven key by key: the count's arithmetic, the PIN before paid-in, paid-out
//! and the count, and refusals that come back with what was typed.

use super::*;
use crate::app::test_support::*;
use crate::app::{AppOptions, Msg, update};

fn cash(expected: i64) -> CashSummary {
    CashSummary {
        float: Yen(10_000),
        expected: Yen(expected),
        ..CashSummary::default()
    }
}

/// The drawer menu, reached from the reports menu, with the day's cash read.
fn at_drawer(app: &mut App, expected: i64) {
    press(app, &[Key::F(5)]);
    assert_eq!(press(app, &[Key::Char('d')]), vec![Command::LoadDrawer]);
    update(app, Msg::DrawerLoaded(Ok(Some(cash(expected)))));
}

fn drawer(app: &App) -> &DrawerScreen {
    match &app.screen {
        Screen::Drawer(drawer) => drawer,
        other => panic!("not on the drawer screen: {other:?}"),
    }
}

fn verify_attempt(commands: &[Command]) -> AttemptId {
    match commands {
        [
            Command::VerifyPin {
                attempt,
                purpose: PinPurpose::Drawer,
                ..
            },
        ] => *attempt,
        other => panic!("expected a PIN check, got {other:?}"),
    }
}

fn moved(commands: &[Command]) -> (AttemptId, DrawerRequest) {
    match commands {
        [Command::MoveDrawer { attempt, request }] => (*attempt, request.clone()),
        other => panic!("expected a drawer movement, got {other:?}"),
    }
}

#[test]
fn the_count_runs_its_total_and_is_journaled_only_after_the_right_pin() {
    let mut app = app();
    at_drawer(&mut app, 13_000);
    press(&mut app, &[Key::Char('4')]);
    // ¥10,000 × 1, ¥1,000 × 1, ¥500 × 2 (a typo 22 corrected to 2).
    press(&mut app, &[Key::Char('1'), Key::Down, Key::Down, Key::Down]);
    press(&mut app, &[Key::Char('1'), Key::Down]);
    press(&mut app, &[Key::Char('2'), Key::Char('2'), Key::Backspace]);
    let DrawerStep::Count(count) = &drawer(&app).step else {
        panic!("{:?}", drawer(&app).step);
    };
    assert_eq!(count.total(), Yen(12_000));
    assert_eq!(count.over_short(drawer(&app).expected()), Yen(-1_000));
    let typed = count.count;

    assert!(press(&mut app, &[Key::Enter]).is_empty(), "the PIN first");
    type_text(&mut app, "1111");
    let wrong = verify_attempt(&press(&mut app, &[Key::Enter]));
    let none = update(
        &mut app,
        Msg::PinChecked {
            attempt: wrong,
            correct: false,
            at: t0(),
        },
    );
    assert!(none.is_empty());
    assert_eq!(drawer(&app).problem, Some(DrawerProblem::WrongPin));
    assert_eq!(app.pin_lockout.failures(), 1);

    type_text(&mut app, "2580");
    let right = verify_attempt(&press(&mut app, &[Key::Enter]));
    let commands = update(
        &mut app,
        Msg::PinChecked {
            attempt: right,
            correct: true,
            at: t0(),
        },
    );
    let (attempt, request) = moved(&commands);
    assert_eq!(request, DrawerRequest::Count(typed));

    // Journaled: the screen shows what was counted against what was expected.
    let movement = DrawerMovement {
        id: 3,
        business_day_id: 1,
        kind: MovementKind::Count,
        amount: typed.total(),
        reason: String::new(),
        expected: Some(Yen(13_000)),
        count: Some(typed),
        created_at: "2026-11-20T01:00:00.000Z".into(),
    };
    update(
        &mut app,
        Msg::DrawerMoved {
            attempt,
            result: Ok(DrawerDone {
                movement,
                cash: cash(13_000),
                drawer: DrawerOpening::NotAsked,
                slip: Some(Ok(None)),
            }),
        },
    );
    assert!(matches!(drawer(&app).step, DrawerStep::Done(_)));
    assert_eq!(press(&mut app, &[Key::Enter]), vec![Command::LoadDrawer]);
    assert_eq!(drawer(&app).step, DrawerStep::Menu);
}

#[test]
fn the_opening_float_needs_no_pin_and_a_second_one_comes_back_refused_with_its_amount() {
    let mut app = app();
    at_drawer(&mut app, 0);
    press(&mut app, &[Key::Char('1')]);
    type_text(&mut app, "10000");
    let (attempt, request) = moved(&press(&mut app, &[Key::Enter]));
    assert_eq!(request, DrawerRequest::Float(Yen(10_000)));
    assert!(press(&mut app, &[Key::Esc]).is_empty());
    assert!(
        matches!(drawer(&app).step, DrawerStep::Saving { .. }),
        "a movement being journaled cannot be left"
    );
    let refusal = DrawerRefusal::FloatAlreadySet(Yen(5_000));
    update(
        &mut app,
        Msg::DrawerMoved {
            attempt,
            result: Err(DrawerProblem::Refused(refusal.clone())),
        },
    );
    assert_eq!(drawer(&app).problem, Some(DrawerProblem::Refused(refusal)));
    let DrawerStep::Entry(entry) = &drawer(&app).step else {
        panic!("{:?}", drawer(&app).step);
    };
    assert_eq!(entry.amount, "10000", "nothing typed is lost");
}

#[test]
fn a_paid_out_needs_a_reason_before_the_pin_is_asked() {
    let mut app = app();
    at_drawer(&mut app, 5_000);
    press(&mut app, &[Key::Char('3')]);
    type_text(&mut app, "300");
    assert!(press(&mut app, &[Key::Enter]).is_empty());
    assert_eq!(
        drawer(&app).problem,
        Some(DrawerProblem::Refused(DrawerRefusal::ReasonMissing))
    );
    press(&mut app, &[Key::Tab]);
    type_text(&mut app, "切手 84");
    assert!(press(&mut app, &[Key::Enter]).is_empty());
    assert!(matches!(drawer(&app).step, DrawerStep::Pin { .. }));
    // Esc leaves the prompt for the entry, as typed.
    press(&mut app, &[Key::Esc]);
    let DrawerStep::Entry(entry) = &drawer(&app).step else {
        panic!("{:?}", drawer(&app).step);
    };
    assert_eq!(
        (entry.amount.as_str(), entry.reason.as_str()),
        ("300", "切手 84")
    );
}

#[test]
fn without_a_manager_pin_a_paid_in_is_journaled_at_once() {
    let mut app = App::new(
        AppOptions {
            pin_required: false,
            ..AppOptions::default()
        },
        t0(),
    );
    at_drawer(&mut app, 0);
    press(&mut app, &[Key::Char('2')]);
    type_text(&mut app, "500");
    press(&mut app, &[Key::Down]);
    type_text(&mut app, "coins");
    let (_, request) = moved(&press(&mut app, &[Key::Enter]));
    assert_eq!(
        request,
        DrawerRequest::PaidIn {
            amount: Yen(500),
            reason: "coins".into()
        }
    );
}

#[test]
fn esc_from_the_drawer_menu_returns_to_the_reports_menu() {
    let mut app = app();
    at_drawer(&mut app, 0);
    press(&mut app, &[Key::Esc]);
    assert_eq!(app.screen, Screen::Reports(ReportsScreen::Menu));
}
