//! Paid, failed (what happened and what to do next), or still checking.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::app::App;
use crate::app::screens::{FailReason, Outcome, OutcomeKind};
use crate::gateway::Direction;
use crate::ui::render::{Hint, amount_caption, hint};
use crate::ui::strings::yen;
use crate::ui::theme::Theme;
use crate::ui::widgets::big_amount::BigAmount;

pub fn draw(app: &App, outcome: &Outcome, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let (label, headline, style) = match &outcome.kind {
        OutcomeKind::Paid { .. } => (
            s.label_paid,
            match outcome.direction {
                Direction::Payment => s.paid_message,
                Direction::Topup => s.topped_up_message,
            },
            theme.success(),
        ),
        OutcomeKind::Failed(_) => (
            s.label_failed,
            s.explain_failure(failure_type(outcome)).reason,
            theme.failure(),
        ),
        OutcomeKind::Checking { .. } => (s.label_checking, s.checking_message, theme.pending()),
    };
    let block = Block::new().borders(Borders::ALL).border_style(style);
    let inner = block.inner(area);
    block.render(area, buf);
    let [head, digits, details] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(5),
        Constraint::Fill(1),
    ])
    .areas(inner.inner(Margin::new(1, 0)));
    Paragraph::new(vec![
        Line::default(),
        Line::styled(format!("{label} {headline}"), style),
    ])
    .wrap(Wrap { trim: true })
    .render(head, buf);
    let text = yen(outcome.amount);
    BigAmount::new(&text)
        .style(theme.total())
        .render(digits, buf);

    let mut lines = vec![Line::from(amount_caption(
        outcome.amount,
        outcome.direction,
        s,
    ))];
    match &outcome.kind {
        OutcomeKind::Paid {
            transaction,
            before_cancel,
        } => {
            lines.push(Line::from(format!(
                "{}: {}",
                s.transaction_id, transaction.transaction_id
            )));
            if let Some(name) = &transaction.customer_name {
                lines.push(Line::from(format!("{}: {name}", s.customer)));
            }
            if *before_cancel {
                lines.push(Line::styled(s.paid_before_cancel, theme.notice()));
            }
        }
        OutcomeKind::Failed(_) => {
            let why = s.explain_failure(failure_type(outcome));
            lines.push(Line::default());
            lines.push(Line::styled(
                format!("{}: {}", s.next_step, why.next_step),
                theme.title(),
            ));
        }
        OutcomeKind::Checking { .. } => {
            lines.push(Line::default());
            lines.push(Line::styled(s.please_wait, theme.pending()));
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(details, buf);
}

fn failure_type(outcome: &Outcome) -> &str {
    match &outcome.kind {
        OutcomeKind::Failed(reason) => reason.error_type(),
        _ => "",
    }
}

pub fn hints(app: &App, outcome: &Outcome) -> Vec<Hint> {
    let s = app.lang.strings();
    match &outcome.kind {
        OutcomeKind::Paid { .. } => vec![hint("Enter", s.key_new_sale)],
        OutcomeKind::Failed(reason) => {
            let mut hints = vec![hint("F1", s.key_new_qr), hint("F2", s.key_rescan)];
            if matches!(reason, FailReason::NotStarted(_)) {
                hints[0] = hint("F1", s.key_retry);
            }
            hints.push(hint("Esc", s.key_other_method));
            hints
        }
        OutcomeKind::Checking { .. } => vec![hint("…", s.please_wait)],
    }
}
