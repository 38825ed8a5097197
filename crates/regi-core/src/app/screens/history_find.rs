//! Finding a sale of any day in the history: `/` on the list asks what to find it by (Tab goes
//! round the receipt number, the amount and the date or time), Enter lists what matches, the one
//! sale found opening at once; Esc on a found list goes back to the open day's sales.

use crate::app::screens::Screen;
use crate::app::screens::history_state::HistoryMode;
use crate::app::{App, Command, Key, NoticeMessage};
use crate::records::{FindBy, SaleQuery};

/// Characters a query may have (a date and a time with room to spare).
const MAX_CHARS: usize = 20;

/// `/` on the list: what to find by, the receipt number first.
pub fn start(app: &mut App) -> Vec<Command> {
    if let Screen::History(history) = &mut app.screen {
        history.mode = HistoryMode::Find {
            by: FindBy::ReceiptNo,
            typed: String::new(),
        };
    }
    Vec::new()
}

/// Opens the history on the sales of any day `query` finds (a receipt number typed on the
/// sale screen).
pub fn open(app: &mut App, query: SaleQuery) -> Vec<Command> {
    app.screen = Screen::History(crate::app::screens::HistoryScreen::loading());
    find(app, query)
}

/// Lists the sales of any day `query` finds (a receipt number typed on the sale screen, say),
/// opening the sale when it is the only one.
pub fn find(app: &mut App, query: SaleQuery) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    history.filter = Some(query);
    history.open_found = true;
    history.selected = 0;
    history.mode = HistoryMode::List;
    vec![history.reload()]
}

/// Back to the open day's sales from a found list.
pub fn clear(app: &mut App) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    history.filter = None;
    history.selected = 0;
    vec![history.reload()]
}

/// A key while the clerk types what to find.
pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let HistoryMode::Find { by, typed } = &mut history.mode else {
        return Vec::new();
    };
    match key {
        Key::Esc => history.mode = HistoryMode::List,
        Key::Tab => *by = by.next(),
        Key::Backspace => {
            typed.pop();
        }
        Key::Enter => match SaleQuery::parse(*by, typed) {
            Some(query) => return find(app, query),
            None => app.notify(NoticeMessage::BadFind),
        },
        key => {
            let c = match key {
                Key::Char(c) if matches!(c, ':' | '/' | '-' | ' ' | ',' | '¥' | '.') => Some(c),
                // A colon typed with an input method left on is a colon.
                Key::Char('：') => Some(':'),
                Key::Char('／') => Some('/'),
                other => other.digit().map(|d| char::from(b'0' + d)),
            };
            if let Some(c) = c
                && typed.chars().count() < MAX_CHARS
            {
                typed.push(c);
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::screens::HistoryScreen;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::domain::Yen;
    use crate::records::SaleState;

    fn history(app: &App) -> &HistoryScreen {
        match &app.screen {
            Screen::History(h) => h,
            other => panic!("not history: {other:?}"),
        }
    }

    fn in_list() -> App {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(7, SaleState::Paid), sale(8, SaleState::Paid)])),
        );
        app
    }

    #[test]
    fn an_amount_typed_after_tab_finds_the_sales_of_any_day_and_the_one_found_opens() {
        let mut app = in_list();
        press(&mut app, &[Key::Char('/'), Key::Tab]);
        type_text(&mut app, "1,200");
        let commands = press(&mut app, &[Key::Enter]);
        assert_eq!(
            commands,
            vec![Command::FindSales {
                query: SaleQuery {
                    amount: Some(Yen(1_200)),
                    ..SaleQuery::default()
                }
            }]
        );
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(3, SaleState::Paid)])),
        );
        assert_eq!(history(&app).mode, HistoryMode::Detail);
        // A refund reloads the found list, not the open day's.
        assert!(matches!(
            history(&app).load_command(),
            Command::FindSales { .. }
        ));
        // Esc goes back to the list found, and Esc again to the open day's sales.
        press(&mut app, &[Key::Esc]);
        let back = press(&mut app, &[Key::Esc]);
        assert_eq!(back, vec![Command::LoadHistory { also: None }]);
        assert_eq!(history(&app).filter, None);
    }

    #[test]
    fn what_is_no_number_amount_or_time_says_so_and_stays_to_be_corrected() {
        let mut app = in_list();
        press(&mut app, &[Key::Char('/'), Key::Tab, Key::Tab]);
        type_text(&mut app, "25:99");
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::BadFind)
        );
        assert_eq!(
            history(&app).mode,
            HistoryMode::Find {
                by: FindBy::Time,
                typed: "25:99".into()
            }
        );
    }

    #[test]
    fn nothing_found_says_so() {
        let mut app = in_list();
        press(&mut app, &[Key::Char('/')]);
        type_text(&mut app, "42");
        press(&mut app, &[Key::Enter]);
        update(&mut app, Msg::HistoryLoaded(Ok(Vec::new())));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NoSaleFound)
        );
    }
}
