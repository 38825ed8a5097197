//! Choosing the payment method: the two fixed choices, or the ways to pay the till lists, each
//! with its number key, the highlighted one marked for the arrows and Enter.

use crate::ui::strings::{LangStrings as _, Strings};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::draw_checkout_amount;
use crate::ui::render::{Hint, hint};
use crate::ui::theme::Theme;
use regi_core::app::App;
use regi_core::app::screens::Leaving;
use regi_core::app::tenders::{first_code, first_qr};
use regi_core::domain::{SaleKind, Yen};

/// Ways to pay reachable by a number key; the rest only by the arrows.
const NUMBERED: usize = 9;

/// The hint's key for a list of 1 to 9 numbered ways to pay.
const NUMBER_KEYS: [&str; NUMBERED] = [
    "1/Enter",
    "1-2/Enter",
    "1-3/Enter",
    "1-4/Enter",
    "1-5/Enter",
    "1-6/Enter",
    "1-7/Enter",
    "1-8/Enter",
    "1-9/Enter",
];

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let Some(checkout) = &app.checkout else {
        return;
    };
    let [caption, digits, _, options] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(5),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    draw_checkout_amount(app, checkout, s, theme, caption, digits, buf);
    if let Some(leaving) = &app.split.leaving {
        Paragraph::new(leaving_lines(app, leaving, s, theme))
            .wrap(Wrap { trim: false })
            .render(options, buf);
        return;
    }
    let mut lines = Vec::new();
    if let Some(receipt_no) = app.split.resumed {
        lines.push(Line::styled(
            format!(" {} (No. {receipt_no})", s.resumed_banner),
            theme.pending(),
        ));
    }
    if let Some(typed) = &app.split.part_typed {
        let shown = typed
            .parse::<i64>()
            .map_or_else(|_| "_".to_string(), |yen| format!("{}_", Yen(yen)));
        lines.push(Line::from(vec![
            Span::styled(format!(" {}: ", s.part_prompt), theme.title()),
            Span::styled(shown, theme.input()),
        ]));
    }
    let payment = checkout.draft.kind == SaleKind::Payment;
    let extra = lines.len() + if payment { 3 } else { 0 };
    let height = options
        .height
        .saturating_sub(u16::try_from(extra).unwrap_or(0));
    lines.extend(if app.tenders.is_empty() {
        fixed_choice_lines(s, theme)
    } else {
        tender_lines(app, s, theme, height)
    });
    // Set apart like the choices above it, where the screen has the rows.
    let room = usize::from(options.height) >= lines.len() + 3;
    if payment && room {
        lines.push(Line::default());
    }
    if payment {
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<8}", " 0 / F4"), theme.key()),
            Span::raw("  "),
            Span::styled(s.method_cash, theme.title()),
        ]));
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<8}", " * / F3"), theme.key()),
            Span::raw("  "),
            Span::raw(s.key_part),
        ]));
    }
    Paragraph::new(lines).render(options, buf);
}

/// Leaving a sale with paid tenders: the question and its keys, the PIN prompt, or the refund
/// under way.
fn leaving_lines(
    app: &App,
    leaving: &Leaving,
    s: &'static Strings,
    theme: &Theme,
) -> Vec<Line<'static>> {
    match leaving {
        Leaving::Asking { quit } => {
            let mut lines = vec![
                Line::styled(format!(" {}", s.leave_question), theme.pending()),
                Line::default(),
                Line::from(vec![
                    Span::styled(" Enter/Esc ", theme.key()),
                    Span::raw("  "),
                    Span::styled(s.key_go_on, theme.title()),
                ]),
                Line::from(vec![
                    Span::styled(" F7        ", theme.key()),
                    Span::raw("  "),
                    Span::styled(s.key_give_back, theme.title()),
                ]),
            ];
            if *quit {
                lines.push(Line::default());
                lines.push(Line::styled(
                    format!(" {}", s.leave_quit_note),
                    theme.error(),
                ));
            }
            lines
        }
        Leaving::Pin(typed) => match app.pin_lockout.remaining(app.now) {
            Some(left) if app.pin_required => vec![Line::styled(
                format!(" {}", s.pin_locked(left.num_seconds())),
                theme.error(),
            )],
            _ => vec![
                Line::styled(format!(" {}", s.refund_pin_prompt), theme.title()),
                Line::default(),
                Line::styled(
                    format!(" {}_", "*".repeat(typed.chars().count())),
                    theme.input(),
                ),
            ],
        },
        Leaving::CheckingPin(_) | Leaving::GivingBack(_) => {
            vec![Line::styled(format!(" {}", s.giving_back), theme.pending())]
        }
    }
}

fn fixed_choice_lines(s: &'static Strings, theme: &Theme) -> Vec<Line<'static>> {
    vec![
        Line::from(vec![
            Span::styled("  1 / F1 ", theme.key()),
            Span::raw("  "),
            Span::styled(s.method_merchant_qr, theme.title()),
        ]),
        Line::default(),
        Line::from(vec![
            Span::styled("  2 / F2 ", theme.key()),
            Span::raw("  "),
            Span::styled(s.method_customer_code, theme.title()),
        ]),
    ]
}

/// One line per way to pay: marker, number (and F1/F2 on the first QR and the first code), the
/// label in a column as wide as the longest, and how the customer pays. A blank line separates
/// them while the list fits that way.
fn tender_lines(app: &App, s: &'static Strings, theme: &Theme, height: u16) -> Vec<Line<'static>> {
    let (f1, f2) = (first_qr(&app.tenders), first_code(&app.tenders));
    let label_width = app.tenders.iter().map(|t| t.label.width()).max();
    let spaced = app.tenders.len() * 2 <= usize::from(height);
    let mut lines = Vec::new();
    for (i, tender) in app.tenders.iter().enumerate() {
        if spaced && i > 0 {
            lines.push(Line::default());
        }
        let chosen = i == app.tender_cursor;
        let marker = if chosen { "▶" } else { " " };
        let number = if i < NUMBERED {
            (i + 1).to_string()
        } else {
            " ".into()
        };
        let function_key = if Some(i) == f1 {
            " / F1"
        } else if Some(i) == f2 {
            " / F2"
        } else {
            ""
        };
        let padding = label_width.unwrap_or(0) - tender.label.width();
        let line = Line::from(vec![
            Span::styled(format!(" {marker}{number}{function_key:<5} "), theme.key()),
            Span::raw("  "),
            Span::styled(
                format!("{}{}", tender.label, " ".repeat(padding)),
                theme.title(),
            ),
            Span::raw("  "),
            Span::raw(s.tender_method(tender.presentation)),
        ]);
        lines.push(line.style(if chosen {
            theme.selected()
        } else {
            Style::default()
        }));
    }
    lines
}

pub fn hints(app: &App) -> Vec<Hint> {
    let s = app.lang.strings();
    match &app.split.leaving {
        Some(Leaving::Asking { quit: true }) => {
            return vec![
                hint("Enter", s.key_go_on),
                hint("F7", s.key_give_back),
                hint("Ctrl-C", s.key_quit),
            ];
        }
        Some(Leaving::Asking { .. }) => {
            return vec![hint("Enter", s.key_go_on), hint("F7", s.key_give_back)];
        }
        Some(Leaving::Pin(_)) => {
            return vec![hint("Enter", s.key_confirm), hint("Esc", s.key_back)];
        }
        Some(_) => return vec![hint("…", s.please_wait)],
        None => {}
    }
    if app.split.part_typed.is_some() {
        return vec![
            hint("0-9", s.key_amount),
            hint("Enter", s.key_confirm),
            hint("Esc", s.key_cancel),
        ];
    }
    let mut hints = method_hints(app, s);
    let payment = app
        .checkout
        .as_ref()
        .is_some_and(|c| c.draft.kind == SaleKind::Payment);
    if payment {
        // Before Esc, which stays last.
        let at = hints.len().saturating_sub(1);
        hints.insert(at, hint("0/F4", s.method_cash_short));
        hints.insert(at + 1, hint("*/F3", s.key_part));
    }
    // With tenders paid, Esc does not go back: it asks whether to give them back.
    if !app.split.paid.is_empty()
        && let Some(last) = hints.last_mut()
    {
        *last = hint("Esc", s.key_give_back);
    }
    hints
}

fn method_hints(app: &App, s: &'static Strings) -> Vec<Hint> {
    if app.tenders.is_empty() {
        let mut hints = vec![
            hint("1/F1", s.method_qr_short),
            hint("2/F2", s.method_code_short),
        ];
        if !app.tab_providers.is_empty() {
            hints.push(hint("F8", s.method_tab_short));
        }
        hints.push(hint("Esc", s.key_back));
        return hints;
    }
    let numbered = app.tenders.len().min(NUMBERED);
    let mut hints = vec![
        hint(NUMBER_KEYS[numbered - 1], s.key_pay),
        hint("↑↓", s.key_select),
    ];
    if first_qr(&app.tenders).is_some() {
        hints.push(hint("F1", s.method_qr_short));
    }
    if first_code(&app.tenders).is_some() {
        hints.push(hint("F2", s.method_code_short));
    }
    if !app.tab_providers.is_empty() {
        hints.push(hint("F8", s.method_tab_short));
    }
    hints.push(hint("Esc", s.key_back));
    hints
}
