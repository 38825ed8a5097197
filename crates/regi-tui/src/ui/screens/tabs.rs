//! Customers' tabs: the list (filtered by the label typed), a tab's statement with every charge
//! and its tax, and the manager PIN prompt for closing it.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::ui::render::{Hint, hint};
use crate::ui::strings::Strings;
use crate::ui::theme::Theme;
use regi_core::app::screens::{TabView, TabsMode, TabsPurpose, TabsScreen};
use regi_core::app::{App, PinPurpose};
use regi_journal::{TabState, local_time};

pub fn draw(app: &App, screen: &TabsScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border());
    if screen.tabs.is_none() {
        Paragraph::new(Line::styled(
            format!(" {}", s.tabs_loading),
            theme.pending(),
        ))
        .block(block)
        .render(area, buf);
        return;
    }
    if let Some(lines) = opening_lines(app, screen, s, theme) {
        Paragraph::new(lines).block(block).render(area, buf);
        return;
    }
    match (&screen.mode, screen.selected_tab()) {
        (TabsMode::List, _) | (_, None) => draw_list(screen, s, theme, area, buf),
        (mode, Some(tab)) => draw_statement(tab, mode, app, s, theme, area, buf),
    }
}

fn is_opening(mode: &TabsMode) -> bool {
    matches!(
        mode,
        TabsMode::ScanCode
            | TabsMode::Reading(_)
            | TabsMode::ChooseCard
            | TabsMode::Label
            | TabsMode::Days
            | TabsMode::Opening(_)
    )
}

/// The steps of opening a tab, when one is being opened.
fn opening_lines(
    app: &App,
    screen: &TabsScreen,
    s: &Strings,
    theme: &Theme,
) -> Option<Vec<Line<'static>>> {
    let pin_step = matches!(screen.mode, TabsMode::Pin(_) | TabsMode::CheckingPin(_));
    let opening_pin = pin_step && screen.guarded == PinPurpose::OpenTab;
    if !(is_opening(&screen.mode) || opening_pin) {
        return None;
    }
    let mut lines = vec![Line::styled(format!(" {}", s.key_open_tab), theme.title())];
    match (&screen.mode, &screen.draft) {
        (TabsMode::ScanCode, _) => {
            lines.push(Line::default());
            lines.push(Line::from(format!(" {}", s.tab_scan_code)));
        }
        (TabsMode::Reading(_), _) => {
            lines.push(Line::default());
            lines.push(Line::styled(format!(" {}", s.tab_reading), theme.pending()));
        }
        (_, Some(draft)) => {
            lines.push(Line::from(format!(
                " {}",
                draft.customer.name.as_deref().unwrap_or("")
            )));
            lines.push(Line::default());
            lines.push(Line::from(format!(" {}", s.tab_choose_card)));
            for (i, card) in draft.customer.cards.iter().enumerate() {
                let text = format!("   {}", card.masked_number);
                lines.push(if i == draft.card {
                    Line::styled(text, theme.selected())
                } else {
                    Line::from(text)
                });
            }
            if !matches!(screen.mode, TabsMode::ChooseCard) {
                lines.push(Line::from(format!(
                    " {}: {}{}",
                    s.tab_label_prompt,
                    draft.label,
                    if screen.mode == TabsMode::Label {
                        "_"
                    } else {
                        ""
                    }
                )));
            }
            if !matches!(screen.mode, TabsMode::ChooseCard | TabsMode::Label) {
                lines.push(Line::from(format!(
                    " {}: {}{}",
                    s.tab_days_prompt,
                    draft.days,
                    if screen.mode == TabsMode::Days {
                        "_"
                    } else {
                        ""
                    }
                )));
            }
            match &screen.mode {
                TabsMode::Pin(typed) => {
                    lines.push(Line::default());
                    lines.push(Line::styled(
                        format!(" {}", s.tab_open_confirm),
                        theme.title(),
                    ));
                    if app.pin_required {
                        lines.push(Line::from(format!(
                            " {}: {}_",
                            s.refund_pin_prompt,
                            "*".repeat(typed.chars().count())
                        )));
                    }
                }
                TabsMode::CheckingPin(_) => {
                    lines.push(Line::styled(
                        format!(" {}", s.pin_checking),
                        theme.pending(),
                    ));
                }
                TabsMode::Opening(_) => {
                    lines.push(Line::styled(format!(" {}", s.tab_opening), theme.pending()));
                }
                _ => {}
            }
        }
        (_, None) => return None,
    }
    Some(lines)
}

fn state_label(state: TabState, s: &Strings) -> &'static str {
    match state {
        TabState::Opening => s.tab_state_opening,
        TabState::Open => s.tab_state_open,
        TabState::Expired => s.tab_state_expired,
        TabState::Closing => s.tab_state_closing,
        TabState::Closed => s.tab_state_closed,
        TabState::Failed => s.tab_state_failed,
    }
}

fn draw_list(screen: &TabsScreen, s: &Strings, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [filter, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    Paragraph::new(Line::from(format!(
        " {}: {}_",
        s.tabs_filter, screen.filter
    )))
    .render(filter, buf);
    let shown = screen.shown();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border());
    if shown.is_empty() {
        let empty = match screen.purpose {
            TabsPurpose::Manage => s.tabs_empty,
            TabsPurpose::Charge => s.tabs_none_open,
        };
        Paragraph::new(Line::styled(format!(" {empty}"), theme.muted()))
            .block(block)
            .render(list, buf);
        return;
    }
    let rows = shown.iter().enumerate().map(|(i, view)| {
        let tab = &view.tab;
        let row = Row::new([
            Cell::from(format!(" {}", tab.label)),
            Cell::from(state_label(tab.state, s)),
            Cell::from(tab.card_masked.clone()),
            Cell::from(Line::from(tab.charges.to_string()).right_aligned()),
            Cell::from(Line::from(tab.total.to_string()).right_aligned()),
            Cell::from(
                tab.expires_at
                    .map(|at| local_time(&at.to_rfc3339(), "%m/%d %H:%M"))
                    .unwrap_or_default(),
            ),
        ]);
        if i == screen.selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let header = Row::new([
        Cell::from(format!(" {}", s.col_label)),
        Cell::from(s.col_status),
        Cell::from(s.col_card),
        Cell::from(Line::from(s.col_charges).right_aligned()),
        Cell::from(Line::from(s.col_amount).right_aligned()),
        Cell::from(s.col_until),
    ])
    .style(theme.muted());
    Table::new(
        rows,
        [
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(17),
            Constraint::Length(5),
            Constraint::Length(10),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .column_spacing(1)
    .block(block)
    .render(list, buf);
}

fn draw_statement(
    view: &TabView,
    mode: &TabsMode,
    app: &App,
    s: &Strings,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let tab = &view.tab;
    let mut lines = vec![
        Line::from(format!(
            " {}  {}  {}",
            tab.label,
            state_label(tab.state, s),
            tab.card_masked
        )),
        Line::from(format!(
            " {}{}",
            tab.customer_name.as_deref().unwrap_or(""),
            tab.expires_at
                .map(|at| format!(
                    "  {}: {}",
                    s.col_until,
                    local_time(&at.to_rfc3339(), "%Y-%m-%d %H:%M")
                ))
                .unwrap_or_default()
        )),
        Line::default(),
    ];
    if view.charges.is_empty() {
        lines.push(Line::styled(
            format!(" {}", s.tab_no_charges),
            theme.muted(),
        ));
    }
    for c in &view.charges {
        lines.push(Line::from(format!(
            " {}  {} {:<6} {:>10}  10% {} / 8% {}",
            local_time(&c.at, "%m/%d %H:%M"),
            s.receipt_no,
            c.receipt_no,
            c.total.to_string(),
            c.standard_tax,
            c.reduced_tax
        )));
    }
    lines.push(Line::styled(
        format!(" {} {}", s.tab_total, tab.total),
        theme.total(),
    ));
    lines.push(Line::default());
    match mode {
        TabsMode::Pin(typed) => {
            lines.push(Line::styled(
                format!(" {}", s.tab_close_confirm),
                theme.title(),
            ));
            if app.pin_required {
                lines.push(Line::from(format!(
                    " {}: {}_",
                    s.refund_pin_prompt,
                    "*".repeat(typed.chars().count())
                )));
            }
        }
        TabsMode::CheckingPin(_) => {
            lines.push(Line::styled(
                format!(" {}", s.tab_close_confirm),
                theme.title(),
            ));
            lines.push(Line::styled(
                format!(" {}", s.pin_checking),
                theme.pending(),
            ));
        }
        TabsMode::Closing(_) => {
            lines.push(Line::styled(format!(" {}", s.tab_closing), theme.pending()));
        }
        _ => {}
    }
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border()),
        )
        .render(area, buf);
}

pub fn hints(app: &App, screen: &TabsScreen) -> Vec<Hint> {
    let s = app.lang.strings();
    match &screen.mode {
        TabsMode::List => {
            let enter = match screen.purpose {
                TabsPurpose::Manage => s.key_statement,
                TabsPurpose::Charge => s.key_charge,
            };
            let mut hints = vec![hint("↑↓", s.key_select), hint("Enter", enter)];
            if screen.purpose == TabsPurpose::Manage {
                hints.push(hint("F2", s.key_open_tab));
            }
            hints.push(hint("A-Z 0-9", s.tabs_filter));
            hints.push(hint("Esc", s.key_back));
            hints
        }
        TabsMode::ScanCode if app.training => {
            vec![
                hint("F11", s.key_customer_shows_code),
                hint("Esc", s.key_cancel),
            ]
        }
        TabsMode::ScanCode | TabsMode::Reading(_) => vec![hint("Esc", s.key_cancel)],
        TabsMode::ChooseCard => vec![
            hint("↑↓", s.key_select),
            hint("Enter", s.key_confirm),
            hint("Esc", s.key_cancel),
        ],
        TabsMode::Label | TabsMode::Days => {
            vec![hint("Enter", s.key_confirm), hint("Esc", s.key_back)]
        }
        TabsMode::Opening(_) => vec![hint("…", s.please_wait)],
        TabsMode::Statement => {
            let mut hints = Vec::new();
            if screen
                .selected_tab()
                .is_some_and(|t| matches!(t.tab.state, TabState::Open | TabState::Expired))
            {
                hints.push(hint("F7", s.key_close_tab));
            }
            hints.push(hint("Esc", s.key_back));
            hints
        }
        TabsMode::Pin(_) => vec![hint("Enter", s.key_confirm), hint("Esc", s.key_cancel)],
        TabsMode::CheckingPin(_) | TabsMode::Closing(_) => vec![hint("…", s.please_wait)],
    }
}
