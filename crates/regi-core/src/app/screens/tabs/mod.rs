//! Customers' tabs on the till: the list (open, expired, closed, with their totals; typing
//! filters by label), a tab's statement, closing it behind the manager PIN (the card is billed),
//! opening one (`opening`), and, opened from the payment screen, charging the sale to an open tab.

pub mod opening;

use chrono::{DateTime, Utc};

use crate::app::screens::{Screen, outcome, pin_entry};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PinPurpose};
use crate::domain::PaymentMethod;
use crate::records::{TabCharge, TabRecord, TabState};

/// Characters a label filter may have.
const MAX_FILTER: usize = 24;

/// A tab with the sales charged to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabView {
    pub tab: TabRecord,
    pub charges: Vec<TabCharge>,
}

/// What the tabs screen was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabsPurpose {
    /// From the sale screen: look, read a statement, close.
    Manage,
    /// From the payment screen: Enter charges the sale to the chosen open tab.
    Charge,
}

#[derive(Clone, PartialEq, Eq)]
pub enum TabsMode {
    List,
    Statement,
    /// Typing the manager PIN to close the tab on screen; only its length is ever drawn.
    Pin(String),
    CheckingPin(AttemptId),
    Closing(AttemptId),
    /// Opening a tab: waiting for the customer's app code, reading it, choosing the card,
    /// typing the label and the days; then the PIN, then the opening itself.
    ScanCode,
    Reading(AttemptId),
    ChooseCard,
    Label,
    Days,
    Opening(AttemptId),
}

/// The PIN being typed is a secret: Debug shows only how many digits it has.
impl std::fmt::Debug for TabsMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TabsMode::List => f.write_str("List"),
            TabsMode::Statement => f.write_str("Statement"),
            TabsMode::Pin(typed) => write!(f, "Pin(<{} digits>)", typed.chars().count()),
            TabsMode::CheckingPin(a) => f.debug_tuple("CheckingPin").field(a).finish(),
            TabsMode::Closing(a) => f.debug_tuple("Closing").field(a).finish(),
            TabsMode::ScanCode => f.write_str("ScanCode"),
            TabsMode::Reading(a) => f.debug_tuple("Reading").field(a).finish(),
            TabsMode::ChooseCard => f.write_str("ChooseCard"),
            TabsMode::Label => f.write_str("Label"),
            TabsMode::Days => f.write_str("Days"),
            TabsMode::Opening(a) => f.debug_tuple("Opening").field(a).finish(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TabsScreen {
    /// `None` while the journal is read.
    pub tabs: Option<Vec<TabView>>,
    /// Index into [`TabsScreen::shown`].
    pub selected: usize,
    /// Typed to narrow the list by label.
    pub filter: String,
    pub mode: TabsMode,
    pub purpose: TabsPurpose,
    /// What a right PIN goes on to: closing the tab on screen, or opening `draft`.
    pub guarded: PinPurpose,
    /// The tab being opened.
    pub draft: Option<opening::TabDraft>,
}

impl TabsScreen {
    fn loading(purpose: TabsPurpose) -> Self {
        Self {
            tabs: None,
            selected: 0,
            filter: String::new(),
            mode: TabsMode::List,
            purpose,
            guarded: PinPurpose::CloseTab,
            draft: None,
        }
    }

    /// The tabs the list shows: those whose label contains the filter (any case); when charging,
    /// only tabs that take a charge.
    pub fn shown(&self) -> Vec<&TabView> {
        let filter = self.filter.to_lowercase();
        self.tabs
            .iter()
            .flatten()
            .filter(|t| t.tab.label.to_lowercase().contains(&filter))
            .filter(|t| self.purpose == TabsPurpose::Manage || t.tab.state == TabState::Open)
            .collect()
    }

    pub fn selected_tab(&self) -> Option<&TabView> {
        self.shown().get(self.selected).copied()
    }
}

/// Opens the tabs list (from the sale screen).
pub fn open(app: &mut App) -> Vec<Command> {
    app.screen = Screen::Tabs(TabsScreen::loading(TabsPurpose::Manage));
    vec![Command::LoadTabs]
}

/// Opens the open tabs to charge the current checkout to (from the payment screen).
pub fn open_for_charge(app: &mut App) -> Vec<Command> {
    if app.checkout.is_none() || app.tab_providers.is_empty() {
        return Vec::new();
    }
    app.screen = Screen::Tabs(TabsScreen::loading(TabsPurpose::Charge));
    vec![Command::LoadTabs]
}

pub fn on_loaded(app: &mut App, tabs: Result<Vec<TabView>, String>) -> Vec<Command> {
    let Screen::Tabs(screen) = &mut app.screen else {
        return Vec::new();
    };
    match tabs {
        Ok(tabs) => {
            screen.tabs = Some(tabs);
            screen.selected = screen.selected.min(screen.shown().len().saturating_sub(1));
        }
        Err(reason) => {
            app.screen = back(screen.purpose);
            app.notify(NoticeMessage::TaskFailed(reason));
        }
    }
    Vec::new()
}

fn back(purpose: TabsPurpose) -> Screen {
    match purpose {
        TabsPurpose::Manage => Screen::Sale,
        TabsPurpose::Charge => Screen::PayMethod,
    }
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let Screen::Tabs(screen) = &mut app.screen else {
        return Vec::new();
    };
    let count = screen.shown().len();
    let closable = screen
        .selected_tab()
        .is_some_and(|t| matches!(t.tab.state, TabState::Open | TabState::Expired));
    match (&mut screen.mode, key) {
        (TabsMode::List, Key::Esc) if !screen.filter.is_empty() => {
            screen.filter.clear();
            screen.selected = 0;
        }
        (TabsMode::List, Key::Esc) => app.screen = back(screen.purpose),
        (TabsMode::List, Key::Up) => screen.selected = screen.selected.saturating_sub(1),
        (TabsMode::List, Key::Down) => {
            screen.selected = (screen.selected + 1).min(count.saturating_sub(1));
        }
        (TabsMode::List, Key::Backspace) => {
            screen.filter.pop();
            screen.selected = 0;
        }
        (TabsMode::List, Key::Enter) if count > 0 => match screen.purpose {
            TabsPurpose::Manage => screen.mode = TabsMode::Statement,
            TabsPurpose::Charge => return charge(app),
        },
        (TabsMode::List, Key::Char(c))
            if !c.is_control() && screen.filter.chars().count() < MAX_FILTER =>
        {
            screen.filter.push(c);
            screen.selected = 0;
        }
        (TabsMode::Statement, Key::Esc) => screen.mode = TabsMode::List,
        (TabsMode::Statement, Key::F(7)) if closable => {
            screen.guarded = PinPurpose::CloseTab;
            screen.mode = TabsMode::Pin(String::new());
        }
        (TabsMode::List, Key::F(2)) if screen.purpose == TabsPurpose::Manage => {
            screen.draft = None;
            screen.mode = TabsMode::ScanCode;
        }
        (TabsMode::ScanCode | TabsMode::ChooseCard | TabsMode::Label | TabsMode::Days, _) => {
            return opening::on_key(app, key);
        }
        (TabsMode::Pin(_), Key::Esc) if screen.guarded == PinPurpose::OpenTab => {
            screen.mode = TabsMode::Days;
        }
        (TabsMode::Pin(_), Key::Esc) => screen.mode = TabsMode::Statement,
        (TabsMode::Pin(_), Key::Enter) if !locked => return check_pin(app),
        (TabsMode::Pin(pin), key) => {
            pin_entry::edit(pin, key, locked);
        }
        _ => {}
    }
    Vec::new()
}

/// Enter on the PIN prompt: without a configured PIN it closes at once; with one, the runtime
/// checks it and answers with `Msg::PinChecked`.
fn check_pin(app: &mut App) -> Vec<Command> {
    if !app.pin_required {
        return go_on(app);
    }
    let attempt = app.new_attempt();
    let Screen::Tabs(screen) = &mut app.screen else {
        return Vec::new();
    };
    let TabsMode::Pin(typed) = &mut screen.mode else {
        return Vec::new();
    };
    let command = pin_entry::verify(typed, attempt, screen.guarded);
    screen.mode = TabsMode::CheckingPin(attempt);
    vec![command]
}

/// The runtime's answer to a PIN check for closing a tab.
pub fn on_pin_checked(
    app: &mut App,
    attempt: AttemptId,
    correct: bool,
    at: DateTime<Utc>,
) -> Vec<Command> {
    pin_entry::count(app, correct, at);
    let Screen::Tabs(screen) = &mut app.screen else {
        return Vec::new();
    };
    if screen.mode != TabsMode::CheckingPin(attempt) {
        return Vec::new();
    }
    if correct {
        return go_on(app);
    }
    screen.mode = TabsMode::Pin(String::new());
    app.notify(NoticeMessage::WrongPin);
    Vec::new()
}

/// What the PIN guarded, once it (if any) was right.
fn go_on(app: &mut App) -> Vec<Command> {
    match &app.screen {
        Screen::Tabs(screen) if screen.guarded == PinPurpose::OpenTab => opening::start(app),
        _ => start_close(app),
    }
}

fn start_close(app: &mut App) -> Vec<Command> {
    let attempt = app.new_attempt();
    let Screen::Tabs(screen) = &mut app.screen else {
        return Vec::new();
    };
    let Some(tab_id) = screen.selected_tab().map(|t| t.tab.id) else {
        return Vec::new();
    };
    screen.mode = TabsMode::Closing(attempt);
    app.notify(NoticeMessage::TabClosing);
    vec![Command::CloseTab { attempt, tab_id }]
}

/// How closing a tab ended, as the clerk is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabClosed {
    /// Billed: the tab's label and the total.
    Billed {
        label: String,
        total: crate::domain::Yen,
    },
    /// The provider refused the bill (nothing billed); its texts in both languages.
    Refused {
        message_ja: String,
        message_en: String,
    },
    /// No answer yet: the closing is kept and asked again on the next start.
    Unknown,
}

pub fn on_closed(
    app: &mut App,
    attempt: AttemptId,
    result: Result<TabClosed, String>,
) -> Vec<Command> {
    let Screen::Tabs(screen) = &mut app.screen else {
        return Vec::new();
    };
    if screen.mode != TabsMode::Closing(attempt) {
        return Vec::new();
    }
    screen.mode = TabsMode::Statement;
    let tab_id = screen.selected_tab().map(|t| t.tab.id);
    let billed = matches!(result, Ok(TabClosed::Billed { .. }));
    app.notify(match result {
        Ok(TabClosed::Billed { label, total }) => NoticeMessage::TabClosed { label, total },
        Ok(TabClosed::Refused {
            message_ja,
            message_en,
        }) => NoticeMessage::TabRefused {
            message_ja,
            message_en,
        },
        Ok(TabClosed::Unknown) => NoticeMessage::TabUnknown,
        Err(reason) => NoticeMessage::TaskFailed(reason),
    });
    let mut commands = vec![Command::LoadTabs];
    if let (true, Some(tab_id)) = (billed, tab_id) {
        commands.push(Command::PrintTabStatement { tab_id });
    }
    commands
}

/// Charges the checkout to the tab on screen: the answer comes as the payment's events.
fn charge(app: &mut App) -> Vec<Command> {
    let Screen::Tabs(screen) = &app.screen else {
        return Vec::new();
    };
    let Some(tab_id) = screen.selected_tab().map(|t| t.tab.id) else {
        return Vec::new();
    };
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    let attempt = app.new_attempt();
    let part = super::split::next_part(app);
    let mut commands: Vec<Command> = super::split::adopt(app).into_iter().collect();
    outcome::checking(app, PaymentMethod::Tab, attempt, false);
    commands.push(Command::ChargeTab {
        attempt,
        checkout,
        tab_id,
        part,
    });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, PaymentEvent, update};
    use crate::domain::Yen;

    fn tab(id: i64, label: &str, state: TabState, total: i64) -> TabView {
        TabView {
            tab: TabRecord {
                id,
                provider: "provider-a".into(),
                label: label.into(),
                customer_id: "c".into(),
                customer_name: None,
                money_id: "m".into(),
                card_id: "card".into(),
                card_masked: "411111********11".into(),
                until: t0(),
                expires_at: Some(t0()),
                open_request_id: "k".into(),
                provider_ref: Some("s".into()),
                close_request_id: None,
                state,
                error_type: None,
                error_message: None,
                created_at: String::new(),
                closed_at: None,
                charges: 1,
                total: Yen(total),
            },
            charges: Vec::new(),
        }
    }

    fn with_tabs() -> App {
        let mut app = app();
        app.tab_providers = vec!["provider-a".into()];
        app
    }

    fn loaded(app: &mut App) {
        update(
            app,
            Msg::TabsLoaded(Ok(vec![
                tab(1, "301", TabState::Open, 2_000),
                tab(2, "302", TabState::Expired, 500),
                tab(3, "Table 7", TabState::Open, 0),
            ])),
        );
    }

    fn mode(app: &App) -> TabsMode {
        match &app.screen {
            Screen::Tabs(t) => t.mode.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_sale_is_charged_to_the_open_tab_chosen_by_typing_its_label() {
        let mut app = with_tabs();
        type_text(&mut app, "1200");
        press(&mut app, &[Key::Enter]);
        assert_eq!(press(&mut app, &[Key::F(8)]), vec![Command::LoadTabs]);
        loaded(&mut app);
        let Screen::Tabs(screen) = &app.screen else {
            panic!()
        };
        // An expired tab takes no charge: it is not offered.
        let offered: Vec<&str> = screen
            .shown()
            .iter()
            .map(|t| t.tab.label.as_str())
            .collect();
        assert_eq!(offered, ["301", "Table 7"]);
        type_text(&mut app, "t");
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::ChargeTab {
                attempt, tab_id: 3, ..
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        let attempt = *attempt;
        // The answer comes as any payment's: paid prints the receipt.
        let after = update(
            &mut app,
            Msg::Payment {
                attempt,
                event: PaymentEvent::Paid {
                    sale_id: 9,
                    transaction: paid(1_200),
                },
            },
        );
        assert!(matches!(
            after.as_slice(),
            [Command::Print { sale_id: 9, .. }]
        ));
    }

    #[test]
    fn a_tab_is_closed_from_its_statement_behind_the_pin() {
        let mut app = with_tabs();
        assert_eq!(press(&mut app, &[Key::F(8)]), vec![Command::LoadTabs]);
        loaded(&mut app);
        press(&mut app, &[Key::Down, Key::Enter]);
        assert_eq!(mode(&app), TabsMode::Statement);
        press(&mut app, &[Key::F(7)]);
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::VerifyPin {
                attempt, purpose, ..
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        assert_eq!(*purpose, PinPurpose::CloseTab);
        let commands = update(
            &mut app,
            Msg::PinChecked {
                attempt: *attempt,
                correct: true,
                at: t0(),
            },
        );
        let [Command::CloseTab { attempt, tab_id: 2 }] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        let after = update(
            &mut app,
            Msg::TabClosed {
                attempt: *attempt,
                result: Ok(TabClosed::Billed {
                    label: "302".into(),
                    total: Yen(500),
                }),
            },
        );
        assert_eq!(
            after,
            vec![Command::LoadTabs, Command::PrintTabStatement { tab_id: 2 }]
        );
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::TabClosed { .. })
        ));
    }

    #[test]
    fn without_a_provider_that_keeps_tabs_f8_does_nothing() {
        let mut app = app();
        assert!(press(&mut app, &[Key::F(8)]).is_empty());
        assert_eq!(app.screen, Screen::Sale);
    }
}
