//! The drawer screens, reached from the reports menu: the opening float, paid-in and paid-out
//! with a reason, and the cash count by denomination. Paid-in, paid-out and the count are behind
//! the manager PIN when one is set. The runtime journals the movement, then opens the drawer (or
//! prints the count slip); a refusal comes back to the step it was asked from, nothing lost.

use chrono::{DateTime, Utc};

use crate::app::screens::drawer_count::CountEntry;
use crate::app::screens::pin_entry;
use crate::app::screens::{ReportsScreen, Screen};
use crate::app::{App, AttemptId, Command, Key, PinPurpose};
use crate::domain::Yen;
use crate::records::{CashCount, CashSummary, DrawerMovement, DrawerRefusal, MovementKind};

/// Longest reason kept for a paid-in or paid-out.
pub const MAX_REASON_CHARS: usize = 40;

/// A movement of the drawer's cash the clerk asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerRequest {
    Float(Yen),
    PaidIn { amount: Yen, reason: String },
    PaidOut { amount: Yen, reason: String },
    Count(CashCount),
}

impl DrawerRequest {
    pub fn kind(&self) -> MovementKind {
        match self {
            DrawerRequest::Float(_) => MovementKind::Float,
            DrawerRequest::PaidIn { .. } => MovementKind::PaidIn,
            DrawerRequest::PaidOut { .. } => MovementKind::PaidOut,
            DrawerRequest::Count(_) => MovementKind::Count,
        }
    }
}

/// Whether the drawer opened after a movement (a count opens nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerOpening {
    Opened,
    /// Training, or no printer: nothing was sent.
    NotSent,
    /// Why it did not open; the clerk opens it by key. The movement stays journaled.
    Failed(String),
    /// A count: the drawer is already open.
    NotAsked,
}

/// A movement journaled, with what followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerDone {
    pub movement: DrawerMovement,
    /// The day's cash after it.
    pub cash: CashSummary,
    pub drawer: DrawerOpening,
    /// A count's slip: printed (`Ok(None)`), shown instead in training (`Ok(Some(text))`), or why
    /// it was not printed.
    pub slip: Option<Result<Option<String>, String>>,
}

/// Why a movement was not journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerProblem {
    /// The clerk's to fix (a second float, a paid-out beyond the cash, no reason).
    Refused(DrawerRefusal),
    WrongPin,
    /// The journal could not take it; the text says why.
    Failed(String),
}

/// A float, paid-in or paid-out being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementEntry {
    pub kind: MovementKind,
    pub amount: String,
    pub reason: String,
    /// Typing goes to the reason (paid-in and paid-out only).
    pub on_reason: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerStep {
    Menu,
    Entry(MovementEntry),
    Count(CountEntry),
    /// The manager PIN before `request`; `checking` while the runtime checks it.
    Pin {
        request: DrawerRequest,
        pin: String,
        checking: Option<AttemptId>,
        back: Box<DrawerStep>,
    },
    /// Being journaled; `back` is where a refusal returns to.
    Saving {
        attempt: AttemptId,
        back: Box<DrawerStep>,
    },
    Done(Box<DrawerDone>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerScreen {
    pub step: DrawerStep,
    /// The open day's cash as last read; `None` until read, or when no day is open.
    pub cash: Option<CashSummary>,
    /// What went wrong with the last try, shown until the next key.
    pub problem: Option<DrawerProblem>,
}

impl DrawerScreen {
    /// The cash the drawer should hold, as far as known.
    pub fn expected(&self) -> Yen {
        self.cash.map_or(Yen::ZERO, |c| c.expected)
    }
}

/// Opens the drawer menu (from the reports menu), reading the day's cash.
pub fn open(app: &mut App) -> Vec<Command> {
    app.screen = Screen::Drawer(DrawerScreen {
        step: DrawerStep::Menu,
        cash: None,
        problem: None,
    });
    vec![Command::LoadDrawer]
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let pin_required = app.pin_required;
    let Screen::Drawer(drawer) = &mut app.screen else {
        return Vec::new();
    };
    drawer.problem = None;
    let step = std::mem::replace(&mut drawer.step, DrawerStep::Menu);
    let (step, asked) = match step {
        DrawerStep::Menu => {
            let entry = |kind| {
                DrawerStep::Entry(MovementEntry {
                    kind,
                    amount: String::new(),
                    reason: String::new(),
                    on_reason: false,
                })
            };
            match key {
                Key::Char('1') | Key::F(1) => (entry(MovementKind::Float), None),
                Key::Char('2') | Key::F(2) => (entry(MovementKind::PaidIn), None),
                Key::Char('3') | Key::F(3) => (entry(MovementKind::PaidOut), None),
                Key::Char('4') | Key::F(4) => (DrawerStep::Count(CountEntry::default()), None),
                Key::Esc => {
                    app.screen = Screen::Reports(ReportsScreen::Menu);
                    return Vec::new();
                }
                _ => (DrawerStep::Menu, None),
            }
        }
        DrawerStep::Entry(mut entry) => match key {
            Key::Esc => (DrawerStep::Menu, None),
            Key::Enter => match request_of(&entry) {
                Ok(request) => (DrawerStep::Entry(entry), Some(request)),
                Err(refusal) => {
                    drawer.problem = Some(DrawerProblem::Refused(refusal));
                    (DrawerStep::Entry(entry), None)
                }
            },
            _ => {
                edit_entry(&mut entry, key);
                (DrawerStep::Entry(entry), None)
            }
        },
        DrawerStep::Count(mut count) => match key {
            Key::Esc => (DrawerStep::Menu, None),
            Key::Enter => (
                DrawerStep::Count(count),
                Some(DrawerRequest::Count(count.count)),
            ),
            _ => {
                count.edit(key);
                (DrawerStep::Count(count), None)
            }
        },
        DrawerStep::Pin {
            request,
            mut pin,
            checking,
            back,
        } => match key {
            // Leaving the prompt: the answer of a check under way still counts toward the
            // lockout, and nothing is journaled.
            Key::Esc => (*back, None),
            Key::Enter if checking.is_none() && !locked && !pin.is_empty() => {
                let attempt = app.new_attempt();
                let command = pin_entry::verify(&mut pin, attempt, PinPurpose::Drawer);
                set_step(
                    app,
                    DrawerStep::Pin {
                        request,
                        pin,
                        checking: Some(attempt),
                        back,
                    },
                );
                return vec![command];
            }
            _ => {
                if checking.is_none() {
                    pin_entry::edit(&mut pin, key, locked);
                }
                (
                    DrawerStep::Pin {
                        request,
                        pin,
                        checking,
                        back,
                    },
                    None,
                )
            }
        },
        // Being journaled: it cannot be left half-way.
        saving @ DrawerStep::Saving { .. } => (saving, None),
        DrawerStep::Done(_) => match key {
            Key::Enter | Key::Esc => {
                set_step(app, DrawerStep::Menu);
                return vec![Command::LoadDrawer];
            }
            _ => return Vec::new(),
        },
    };
    match asked {
        Some(request) if pin_required && request.kind() != MovementKind::Float => {
            set_step(
                app,
                DrawerStep::Pin {
                    request,
                    pin: String::new(),
                    checking: None,
                    back: Box::new(step),
                },
            );
            Vec::new()
        }
        Some(request) => save(app, request, step),
        None => {
            set_step(app, step);
            Vec::new()
        }
    }
}

fn set_step(app: &mut App, step: DrawerStep) {
    if let Screen::Drawer(drawer) = &mut app.screen {
        drawer.step = step;
    }
}

/// Journals `request`; a refusal returns to `back`.
fn save(app: &mut App, request: DrawerRequest, back: DrawerStep) -> Vec<Command> {
    let attempt = app.new_attempt();
    set_step(
        app,
        DrawerStep::Saving {
            attempt,
            back: Box::new(back),
        },
    );
    vec![Command::MoveDrawer { attempt, request }]
}

fn edit_entry(entry: &mut MovementEntry, key: Key) {
    let has_reason = entry.kind != MovementKind::Float;
    match key {
        Key::Tab | Key::Up | Key::Down if has_reason => entry.on_reason = !entry.on_reason,
        Key::Backspace if entry.on_reason => {
            entry.reason.pop();
        }
        Key::Backspace => {
            entry.amount.pop();
        }
        Key::Char(c)
            if entry.on_reason
                && entry.reason.chars().count() < MAX_REASON_CHARS
                && !c.is_control() =>
        {
            entry.reason.push(c);
        }
        Key::Char(c)
            if !entry.on_reason
                && c.is_ascii_digit()
                && entry.amount.len() < crate::app::MAX_INPUT_DIGITS =>
        {
            entry.amount.push(c);
        }
        _ => {}
    }
}

/// What the typed entry asks for, or why it cannot be asked.
fn request_of(entry: &MovementEntry) -> Result<DrawerRequest, DrawerRefusal> {
    let amount: Yen = entry
        .amount
        .parse()
        .ok()
        .filter(|a: &Yen| a.is_positive())
        .ok_or(DrawerRefusal::AmountNotPositive)?;
    let reason = entry.reason.trim().to_string();
    if entry.kind != MovementKind::Float && reason.is_empty() {
        return Err(DrawerRefusal::ReasonMissing);
    }
    Ok(match entry.kind {
        MovementKind::PaidIn => DrawerRequest::PaidIn { amount, reason },
        MovementKind::PaidOut => DrawerRequest::PaidOut { amount, reason },
        _ => DrawerRequest::Float(amount),
    })
}

/// The answer to the PIN asked before a movement: right, it is journaled; wrong, the prompt
/// says so. Every answer counts toward the lockout.
pub fn on_pin_checked(
    app: &mut App,
    attempt: AttemptId,
    correct: bool,
    at: DateTime<Utc>,
) -> Vec<Command> {
    pin_entry::count(app, correct, at);
    let Screen::Drawer(drawer) = &mut app.screen else {
        return Vec::new();
    };
    let DrawerStep::Pin {
        request,
        checking: Some(asked),
        back,
        ..
    } = &drawer.step
    else {
        return Vec::new();
    };
    if *asked != attempt {
        return Vec::new();
    }
    if !correct {
        drawer.problem = Some(DrawerProblem::WrongPin);
        let (request, back) = (request.clone(), back.clone());
        drawer.step = DrawerStep::Pin {
            request,
            pin: String::new(),
            checking: None,
            back,
        };
        return Vec::new();
    }
    let (request, back) = (request.clone(), (**back).clone());
    save(app, request, back)
}

/// The movement journaled (or why not).
pub fn on_moved(
    app: &mut App,
    attempt: AttemptId,
    result: Result<DrawerDone, DrawerProblem>,
) -> Vec<Command> {
    let Screen::Drawer(drawer) = &mut app.screen else {
        return Vec::new();
    };
    let DrawerStep::Saving {
        attempt: asked,
        back,
    } = &drawer.step
    else {
        return Vec::new();
    };
    if *asked != attempt {
        return Vec::new();
    }
    match result {
        Ok(done) => {
            drawer.cash = Some(done.cash);
            let preview = match &done.slip {
                Some(Ok(Some(text))) => Some(text.clone()),
                _ => None,
            };
            drawer.step = DrawerStep::Done(Box::new(done));
            if let Some(text) = preview {
                // Training: the slip is shown instead of printed; Esc comes back here.
                crate::app::screens::preview::open(app, &text);
            }
        }
        Err(problem) => {
            drawer.step = (**back).clone();
            drawer.problem = Some(problem);
        }
    }
    Vec::new()
}

/// The open day's cash, read for the menu and the count.
pub fn on_loaded(app: &mut App, cash: Result<Option<CashSummary>, String>) -> Vec<Command> {
    let Screen::Drawer(drawer) = &mut app.screen else {
        return Vec::new();
    };
    match cash {
        Ok(cash) => drawer.cash = cash,
        Err(reason) => drawer.problem = Some(DrawerProblem::Failed(reason)),
    }
    Vec::new()
}

#[cfg(test)]
#[path = "drawer_tests.rs"]
mod tests;
