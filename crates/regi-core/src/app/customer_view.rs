//! What the customer-facing display shows, derived from the till's state alone (pure): the lines
//! as they are rung, the total, the QR to scan, the change, thanks or a failure. The register
//! sends it to `regi display` over a local socket whenever it changes; the clerk's admin screens
//! (history, reports, drawer) are never mirrored.

use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::app::screens::{OutcomeKind, QrPhase, Screen, split};
use crate::domain::{LineKind, SaleKind, Yen};
use crate::lang::Lang;

/// The most lines sent: the display shows the latest that fit.
pub const MAX_LINES: usize = 12;

/// One message to the display: the language to speak and what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerScreen {
    pub lang: Lang,
    #[serde(flatten)]
    pub view: CustomerView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "show", rename_all = "snake_case")]
pub enum CustomerView {
    /// Nothing rung: a greeting.
    Welcome,
    /// Items being rung: the latest lines, the item count and the total so far.
    Ringing {
        lines: Vec<CustomerLine>,
        items: u32,
        total: Yen,
    },
    /// Payment asked: what is due now (all, or what remains after a tender), the sale's total,
    /// and the QR to scan while one is shown.
    Paying {
        total: Yen,
        due: Yen,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qr: Option<String>,
    },
    /// The outcome is being settled (no answer yet): the customer waits.
    Waiting { total: Yen },
    /// Paid: thanks, with the change when cash was handed over.
    Thanks { total: Yen, change: Yen },
    /// Not paid: the clerk will help.
    Failed { total: Yen },
}

/// A rung line as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerLine {
    pub name: String,
    pub quantity: u32,
    pub amount: Yen,
    /// Taxed at the reduced rate (※ on receipts).
    pub reduced: bool,
}

pub fn customer_screen(app: &App) -> CustomerScreen {
    CustomerScreen {
        lang: app.lang,
        view: customer_view(app),
    }
}

fn customer_view(app: &App) -> CustomerView {
    let total = app.checkout.as_ref().map(|c| c.draft.total);
    let due = split::remaining(app);
    match (&app.screen, total, due) {
        (Screen::Sale, _, _) => ringing(app),
        (Screen::QrWait(wait), Some(total), Some(due)) => CustomerView::Paying {
            total,
            due,
            qr: match &wait.phase {
                QrPhase::Showing(session) => Some(session.token.clone()),
                QrPhase::Creating | QrPhase::Cancelling => None,
            },
        },
        (Screen::PayMethod | Screen::ScanWait(_) | Screen::Cash(_), Some(total), Some(due)) => {
            CustomerView::Paying {
                total,
                due,
                qr: None,
            }
        }
        (Screen::Outcome(outcome), _, _) => match &outcome.kind {
            OutcomeKind::Paid { .. } | OutcomeKind::Held { .. } => CustomerView::Thanks {
                total: total.unwrap_or(outcome.amount),
                change: outcome.change,
            },
            OutcomeKind::Failed(_) => CustomerView::Failed {
                total: outcome.amount,
            },
            OutcomeKind::Checking { .. }
            | OutcomeKind::Unresolved
            | OutcomeKind::Unrecorded { .. } => CustomerView::Waiting {
                total: outcome.amount,
            },
        },
        _ => CustomerView::Welcome,
    }
}

fn ringing(app: &App) -> CustomerView {
    if app.mode == SaleKind::Topup || app.cart.is_empty() {
        return CustomerView::Welcome;
    }
    let lines = app.cart.lines();
    let shown = lines
        .iter()
        .skip(lines.len().saturating_sub(MAX_LINES))
        .map(|line| CustomerLine {
            name: match line.kind {
                // A typed amount has no name worth showing a customer in either language.
                LineKind::Manual => String::new(),
                _ => line.name.clone(),
            },
            quantity: line.quantity,
            amount: line.amount().unwrap_or(Yen::ZERO),
            reduced: line.tax_rate == crate::domain::TaxRate::Reduced8,
        })
        .collect();
    CustomerView::Ringing {
        lines: shown,
        items: lines.iter().map(|l| l.quantity).sum(),
        total: app.cart.total().unwrap_or(Yen::ZERO),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Key, Msg, PaymentEvent, update};
    use crate::payment::QrSession;

    #[test]
    fn the_display_follows_a_sale_from_welcome_to_the_qr_to_thanks() {
        let mut app = app();
        assert_eq!(customer_screen(&app).view, CustomerView::Welcome);
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        type_text(&mut app, "500+");
        let CustomerView::Ringing {
            lines,
            items,
            total,
        } = customer_screen(&app).view
        else {
            panic!("not ringing");
        };
        assert_eq!((lines.len(), items, total), (2, 2, Yen(650)));
        assert!(lines[0].reduced && lines[1].name.is_empty());
        press(&mut app, &[Key::Enter, Key::Char('1')]);
        let attempt = app.live_attempt().expect("a QR is being made");
        let expires_at = app.now + chrono::TimeDelta::minutes(5);
        update(
            &mut app,
            Msg::Payment {
                attempt,
                event: PaymentEvent::QrReady(QrSession {
                    id: "t1".into(),
                    token: "https://pay.example/t1".into(),
                    expires_at,
                }),
            },
        );
        assert_eq!(
            customer_screen(&app).view,
            CustomerView::Paying {
                total: Yen(650),
                due: Yen(650),
                qr: Some("https://pay.example/t1".into()),
            }
        );
        update(
            &mut app,
            Msg::Payment {
                attempt,
                event: paid_event(650),
            },
        );
        assert_eq!(
            customer_screen(&app).view,
            CustomerView::Thanks {
                total: Yen(650),
                change: Yen::ZERO
            }
        );
    }

    #[test]
    fn the_clerks_admin_screens_are_never_mirrored() {
        let mut app = app();
        type_text(&mut app, "500+");
        press(&mut app, &[Key::F(5)]);
        assert_eq!(customer_screen(&app).view, CustomerView::Welcome);
    }

    #[test]
    fn a_screen_message_is_one_json_object_tagged_with_what_to_show() {
        let screen = CustomerScreen {
            lang: Lang::En,
            view: CustomerView::Thanks {
                total: Yen(1_234),
                change: Yen(766),
            },
        };
        let text = serde_json::to_string(&screen).unwrap();
        assert_eq!(
            text,
            r#"{"lang":"en","show":"thanks","total":1234,"change":766}"#
        );
        assert_eq!(
            serde_json::from_str::<CustomerScreen>(&text).unwrap(),
            screen
        );
    }
}
