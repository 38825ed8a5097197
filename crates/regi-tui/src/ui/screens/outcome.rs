//! Paid, failed (what happened and what to do next), still checking, or not confirmable.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::ui::render::{Hint, amount_caption, hint};
use crate::ui::strings::{Explanation, Strings};
use crate::ui::theme::Theme;
use crate::ui::widgets::big_amount::BigAmount;
use regi_core::app::App;
use regi_core::app::screens::{FailReason, Outcome, OutcomeKind};
use regi_core::domain::{PaymentMethod, SaleKind, Yen};

fn explain(reason: &FailReason, s: &Strings) -> Explanation {
    if let FailReason::JournalStopped { disk_full } = reason {
        return s.explain_journal_stopped(*disk_full);
    }
    reason
        .why()
        .map_or_else(|| s.explain_not_started(), |why| s.explain_failure(why))
}

pub fn draw(app: &App, outcome: &Outcome, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let (label, headline, style) = match &outcome.kind {
        OutcomeKind::Paid { .. } => (
            s.label_paid,
            match outcome.kind_of_sale {
                SaleKind::Payment => s.paid_message,
                SaleKind::Topup => s.topped_up_message,
            },
            theme.success(),
        ),
        OutcomeKind::Held { .. } => (s.label_held, s.held_message, theme.pending()),
        OutcomeKind::Failed(reason) => (s.label_failed, explain(reason, s).reason, theme.failure()),
        OutcomeKind::Checking { .. } => (s.label_checking, s.checking_message, theme.pending()),
        OutcomeKind::Unresolved => (s.label_checking, s.unresolved_message, theme.pending()),
        OutcomeKind::Unrecorded { .. } => (s.label_unknown, s.unrecorded_message, theme.failure()),
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
    // Paid with cash: the change is what the clerk counts out, so it is the big figure.
    // (A sale whose cash was only part of it, with no change, shows its total instead.)
    let cash = outcome.tenders.iter().any(|t| t.cash.is_some())
        && (outcome.change.is_positive() || outcome.method == PaymentMethod::Cash);
    let paid = matches!(outcome.kind, OutcomeKind::Paid { .. });
    let text = if paid && cash {
        format!("{}", outcome.change)
    } else {
        outcome.amount.to_string()
    };
    BigAmount::new(&text)
        .style(theme.total())
        .render(digits, buf);

    let mut lines = Vec::new();
    if paid && cash {
        let received: i64 = outcome
            .tenders
            .iter()
            .filter_map(|t| t.cash.map(|c| c.received.value()))
            .sum();
        lines.push(Line::styled(
            format!("{} {}", s.cash_change, outcome.change),
            theme.title(),
        ));
        lines.push(Line::from(format!(
            "{}   {} {}",
            amount_caption(outcome.amount, outcome.kind_of_sale, s),
            s.cash_received,
            Yen(received)
        )));
    } else {
        lines.push(Line::from(amount_caption(
            outcome.amount,
            outcome.kind_of_sale,
            s,
        )));
    }
    if outcome.tenders.len() > 1 || (!paid && !outcome.tenders.is_empty()) {
        lines.push(Line::from(tenders_line(outcome, s)));
    }
    match &outcome.kind {
        OutcomeKind::Paid {
            transaction,
            before_cancel,
            ..
        } => {
            // Cash has no provider's transaction to name.
            if !transaction.transaction_id.is_empty() {
                lines.push(Line::from(format!(
                    "{}: {}",
                    s.transaction_id, transaction.transaction_id
                )));
            }
            if let Some(name) = &transaction.customer_name {
                lines.push(Line::from(format!("{}: {name}", s.customer)));
            }
            if *before_cancel {
                lines.push(Line::styled(s.paid_before_cancel, theme.notice()));
            }
        }
        OutcomeKind::Held { transaction, .. } => {
            lines.push(Line::from(format!(
                "{}: {}",
                s.transaction_id, transaction.transaction_id
            )));
            if let Some(method) = &transaction.money_name {
                lines.push(Line::from(method.clone()));
            }
            lines.push(Line::default());
            lines.push(Line::styled(
                format!("{}: {}", s.next_step, s.held_next),
                theme.title(),
            ));
        }
        OutcomeKind::Failed(reason) => {
            lines.push(Line::default());
            lines.push(Line::styled(
                format!("{}: {}", s.next_step, explain(reason, s).next_step),
                theme.title(),
            ));
        }
        OutcomeKind::Checking { .. } => {
            lines.push(Line::default());
            lines.push(Line::styled(s.please_wait, theme.pending()));
        }
        OutcomeKind::Unresolved => {
            lines.push(Line::default());
            lines.push(Line::styled(
                format!("{}: {}", s.next_step, s.unresolved_next),
                theme.title(),
            ));
        }
        OutcomeKind::Unrecorded { disk_full, .. } => {
            lines.push(Line::default());
            lines.push(Line::styled(s.unrecorded_do_not_retry, theme.failure()));
            lines.push(Line::styled(
                format!("{}: {}", s.next_step, s.unrecorded_next(*disk_full)),
                theme.title(),
            ));
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(details, buf);
}

/// `支払い済み: 現金 ¥1,000 (お預かり ¥1,000) · QR ¥2,000` — each tender and what it paid.
fn tenders_line(outcome: &Outcome, s: &Strings) -> String {
    let tenders: Vec<String> = outcome
        .tenders
        .iter()
        .map(|t| match t.cash {
            Some(cash) if cash.change.is_positive() => format!(
                "{} {} ({} {})",
                s.tender_short(t.method),
                t.amount,
                s.cash_received,
                cash.received
            ),
            _ => format!("{} {}", s.tender_short(t.method), t.amount),
        })
        .collect();
    let label = if matches!(outcome.kind, OutcomeKind::Paid { .. }) {
        s.col_paid_with
    } else {
        s.paid_so_far
    };
    format!("{label}: {}", tenders.join(" · "))
}

pub fn hints(app: &App, outcome: &Outcome) -> Vec<Hint> {
    let s = app.lang.strings();
    match &outcome.kind {
        OutcomeKind::Paid { sale_id, .. } => {
            let mut hints = vec![hint("Enter", s.key_new_sale)];
            if app.preview.as_ref().is_some_and(|p| p.sale_id == *sale_id) {
                hints.push(hint("F7", s.key_receipt_preview));
            }
            hints
        }
        OutcomeKind::Held { .. } => vec![hint("Enter", s.key_new_sale)],
        OutcomeKind::Failed(reason) => {
            let first = if matches!(
                reason,
                FailReason::NotStarted(_) | FailReason::JournalStopped { .. }
            ) {
                s.key_retry
            } else {
                s.key_new_qr
            };
            let mut hints = vec![hint("F1", first), hint("F2", s.key_rescan)];
            if outcome.kind_of_sale == SaleKind::Payment {
                hints.push(hint("F4", s.method_cash_short));
                hints.push(hint("F3", s.key_part));
            }
            // With tenders already paid, the other way pays only the rest.
            let other = if app.split.paid.is_empty() {
                s.key_other_method
            } else {
                s.pay_rest_other_way
            };
            hints.push(hint("Esc", other));
            hints
        }
        OutcomeKind::Checking { .. } | OutcomeKind::Unrecorded { .. } => {
            vec![hint("…", s.please_wait)]
        }
        OutcomeKind::Unresolved => vec![
            hint("Enter", s.key_new_sale),
            hint("Esc", s.key_other_method),
        ],
    }
}
