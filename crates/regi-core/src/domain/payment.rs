//! Payment attempts and their state machine, shared by every tender: a merchant QR (the
//! customer scans our code) and a customer code (we scan the customer's).
//!
//! ```text
//! created ─▶ presented (merchant QR) | sent (customer code)
//!    │              │
//!    └──────────────┴─▶ paid | failed(reason) | expired | cancelled
//!                   └─▶ unknown (timeout, 5xx) ─▶ resolved to one of the above
//! ```
//!
//! Two rules guard the money: `paid` is absorbing (nothing turns a payment into anything
//! else, e.g. a "cancel confirmed" that lost the race), and evidence of a payment always
//! wins (a late "paid" upgrades an attempt recorded as expired, cancelled or failed, so the
//! journal never hides money that moved).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How a payment is presented: the tender kind of an attempt, whatever provider takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// A QR the merchant shows and the customer scans with their app.
    MerchantQr,
    /// A payment page of the provider, opened from a QR the merchant shows; the customer picks how
    /// to pay on their own phone.
    HostedPage,
    /// A code the customer shows and the register scans.
    CustomerCode,
    /// Charged to the customer's tab: a card authorization opened beforehand and billed when
    /// the tab is closed.
    Tab,
    /// Notes and coins handed over at the till; no provider takes part.
    Cash,
}

impl PaymentMethod {
    pub const fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::MerchantQr => "merchant_qr",
            PaymentMethod::HostedPage => "hosted_page",
            PaymentMethod::CustomerCode => "customer_code",
            PaymentMethod::Tab => "tab",
            PaymentMethod::Cash => "cash",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        match text {
            "merchant_qr" => Some(PaymentMethod::MerchantQr),
            "hosted_page" => Some(PaymentMethod::HostedPage),
            "customer_code" => Some(PaymentMethod::CustomerCode),
            "tab" => Some(PaymentMethod::Tab),
            "cash" => Some(PaymentMethod::Cash),
            _ => None,
        }
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a payment was definitely refused, grouped for the clerk's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    InsufficientBalance,
    /// Over the wallet's maximum balance or a transfer limit (mostly top-ups).
    LimitExceeded,
    TokenExpired,
    TokenUsed,
    TokenNotFound,
    TrayExpired,
    TrayCancelled,
    TrayUsed,
    /// The payment was refunded already (a refund repeated after its answer was lost).
    AlreadyRefunded,
    RejectedOther,
}

impl FailReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            FailReason::InsufficientBalance => "insufficient_balance",
            FailReason::LimitExceeded => "limit_exceeded",
            FailReason::TokenExpired => "token_expired",
            FailReason::TokenUsed => "token_used",
            FailReason::TokenNotFound => "token_not_found",
            FailReason::TrayExpired => "tray_expired",
            FailReason::TrayCancelled => "tray_cancelled",
            FailReason::TrayUsed => "tray_used",
            FailReason::AlreadyRefunded => "already_refunded",
            FailReason::RejectedOther => "rejected_other",
        }
    }

    pub const ALL: [FailReason; 10] = [
        FailReason::InsufficientBalance,
        FailReason::LimitExceeded,
        FailReason::TokenExpired,
        FailReason::TokenUsed,
        FailReason::TokenNotFound,
        FailReason::TrayExpired,
        FailReason::TrayCancelled,
        FailReason::TrayUsed,
        FailReason::AlreadyRefunded,
        FailReason::RejectedOther,
    ];

    pub fn parse(text: &str) -> Option<FailReason> {
        FailReason::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// A definite refusal: the category plus what the API said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub reason: FailReason,
    /// The provider's name for the refusal, e.g. `account_balance_not_enough` (empty if none
    /// was given).
    pub error_type: String,
    pub message: String,
}

impl Failure {
    pub fn new(reason: FailReason, error_type: &str, message: &str) -> Failure {
        Failure {
            reason,
            error_type: error_type.to_string(),
            message: message.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptState {
    /// Journaled, nothing sent yet (or the send was not yet recorded).
    Created,
    /// The merchant QR exists and is on screen.
    Presented,
    /// The customer-code charge has been sent.
    Sent,
    Paid {
        transaction_id: String,
    },
    /// The customer paid and the provider holds `amount` yen for the store, as the store asked
    /// (hold-then-capture): the sale is settled as held until the clerk captures it.
    Authorized {
        transaction_id: String,
        amount: i64,
    },
    Failed(Failure),
    /// The merchant QR expired without a scan.
    Expired,
    Cancelled,
    /// The outcome was lost (timeout, 5xx); must be resolved against the API.
    Unknown {
        since: DateTime<Utc>,
    },
}

/// A definite outcome, as established by reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Paid { transaction_id: String },
    Failed(Failure),
    Expired,
    Cancelled,
}

impl From<Resolution> for AttemptState {
    fn from(r: Resolution) -> Self {
        match r {
            Resolution::Paid { transaction_id } => AttemptState::Paid { transaction_id },
            Resolution::Failed(f) => AttemptState::Failed(f),
            Resolution::Expired => AttemptState::Expired,
            Resolution::Cancelled => AttemptState::Cancelled,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptEvent {
    /// The merchant QR was created and shown.
    Presented,
    /// The customer-code charge left (also on a retry with the same request_id).
    Sent,
    PaidObserved {
        transaction_id: String,
    },
    /// The customer paid and the provider holds the money until the store captures it.
    AuthorizedObserved {
        transaction_id: String,
        amount: i64,
    },
    FailedObserved(Failure),
    ExpiredObserved,
    /// The merchant QR was cancelled (or an attempt abandoned before anything was sent).
    CancelConfirmed,
    /// A timeout or 5xx: whether the payment happened is not known.
    OutcomeLost {
        at: DateTime<Utc>,
    },
    /// Reconciliation against the API settled the outcome.
    Resolved(Resolution),
}

impl AttemptEvent {
    /// A short stable name for the event log.
    pub fn name(&self) -> &'static str {
        match self {
            AttemptEvent::Presented => "presented",
            AttemptEvent::Sent => "sent",
            AttemptEvent::PaidObserved { .. } => "paid_observed",
            AttemptEvent::AuthorizedObserved { .. } => "authorized_observed",
            AttemptEvent::FailedObserved(_) => "failed_observed",
            AttemptEvent::ExpiredObserved => "expired_observed",
            AttemptEvent::CancelConfirmed => "cancel_confirmed",
            AttemptEvent::OutcomeLost { .. } => "outcome_lost",
            AttemptEvent::Resolved(_) => "resolved",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("attempt cannot go from {} on {}: {why}", from.name(), event.name())]
pub struct InvalidTransition {
    /// The state the attempt keeps.
    pub from: Box<AttemptState>,
    pub event: Box<AttemptEvent>,
    pub why: &'static str,
}

/// What an event does, once the observed/resolved distinction is set aside.
enum Step {
    Present,
    Send,
    Lose(DateTime<Utc>),
    Hold { transaction_id: String, amount: i64 },
    Cancel,
    Outcome(Resolution),
}

impl AttemptState {
    pub fn name(&self) -> &'static str {
        match self {
            AttemptState::Created => "created",
            AttemptState::Presented => "presented",
            AttemptState::Sent => "sent",
            AttemptState::Paid { .. } => "paid",
            AttemptState::Authorized { .. } => "authorized",
            AttemptState::Failed(_) => "failed",
            AttemptState::Expired => "expired",
            AttemptState::Cancelled => "cancelled",
            AttemptState::Unknown { .. } => "unknown",
        }
    }

    /// Final states need no more polling; only `Paid` can still be reached from them. A held
    /// payment (`Authorized`) is settled too: it waits for the clerk's capture, not for a poll.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            AttemptState::Paid { .. }
                | AttemptState::Authorized { .. }
                | AttemptState::Failed(_)
                | AttemptState::Expired
                | AttemptState::Cancelled
        )
    }

    /// The provider's payment: the one paid, or the one held for capture.
    pub fn transaction_id(&self) -> Option<&str> {
        match self {
            AttemptState::Paid { transaction_id }
            | AttemptState::Authorized { transaction_id, .. } => Some(transaction_id),
            _ => None,
        }
    }

    /// The yen the provider holds for a later capture.
    pub fn held_amount(&self) -> Option<i64> {
        match self {
            AttemptState::Authorized { amount, .. } => Some(*amount),
            _ => None,
        }
    }

    pub fn transition(self, event: AttemptEvent) -> Result<AttemptState, InvalidTransition> {
        use AttemptState as S;
        let step = match &event {
            AttemptEvent::Presented => Step::Present,
            AttemptEvent::Sent => Step::Send,
            AttemptEvent::OutcomeLost { at } => Step::Lose(*at),
            AttemptEvent::CancelConfirmed => Step::Cancel,
            AttemptEvent::AuthorizedObserved {
                transaction_id,
                amount,
            } => Step::Hold {
                transaction_id: transaction_id.clone(),
                amount: *amount,
            },
            AttemptEvent::PaidObserved { transaction_id } => Step::Outcome(Resolution::Paid {
                transaction_id: transaction_id.clone(),
            }),
            AttemptEvent::FailedObserved(f) => Step::Outcome(Resolution::Failed(f.clone())),
            AttemptEvent::ExpiredObserved => Step::Outcome(Resolution::Expired),
            AttemptEvent::Resolved(r) => Step::Outcome(r.clone()),
        };
        let refuse = |from: AttemptState, why: &'static str| {
            Err(InvalidTransition {
                from: Box::new(from),
                event: Box::new(event.clone()),
                why,
            })
        };
        match (self, step) {
            // Paid is absorbing; only a contradicting transaction id is worth an error.
            (
                S::Paid { transaction_id },
                Step::Outcome(Resolution::Paid {
                    transaction_id: other,
                }),
            ) if other != transaction_id => refuse(
                S::Paid { transaction_id },
                "already paid with a different transaction",
            ),
            (paid @ S::Paid { .. }, _) => Ok(paid),

            // Evidence of a payment beats any other ending.
            (_, Step::Outcome(Resolution::Paid { transaction_id })) => {
                Ok(S::Paid { transaction_id })
            }

            // A held payment is held once: a later read of it keeps the first record, and only
            // its capture (paid above) or its release (cancelled, expired, failed) ends it. An
            // unanswered capture leaves it held.
            (held @ S::Authorized { .. }, Step::Hold { .. } | Step::Lose(_)) => Ok(held),
            // Like a payment, money held for the store beats any other ending.
            (from @ S::Sent, Step::Hold { .. }) => {
                refuse(from, "a customer-code charge is not held")
            }
            (
                _,
                Step::Hold {
                    transaction_id,
                    amount,
                },
            ) => Ok(S::Authorized {
                transaction_id,
                amount,
            }),
            (from @ S::Authorized { .. }, Step::Present | Step::Send) => {
                refuse(from, "not a step of this attempt's flow")
            }

            // A repeated observation of the same ending keeps the first record of it.
            (failed @ S::Failed(_), Step::Outcome(Resolution::Failed(_))) => Ok(failed),
            (S::Expired, Step::Outcome(Resolution::Expired)) => Ok(S::Expired),
            (S::Cancelled, Step::Cancel | Step::Outcome(Resolution::Cancelled)) => Ok(S::Cancelled),
            (from @ (S::Failed(_) | S::Expired | S::Cancelled), _) => {
                refuse(from, "the attempt already ended")
            }

            (S::Created | S::Presented, Step::Present) => Ok(S::Presented),
            (S::Created | S::Sent, Step::Send) => Ok(S::Sent),
            (from, Step::Present | Step::Send) => refuse(from, "not a step of this attempt's flow"),

            (S::Unknown { since }, Step::Lose(_)) => Ok(S::Unknown { since }),
            (_, Step::Lose(at)) => Ok(S::Unknown { since: at }),

            (from @ S::Sent, Step::Cancel | Step::Outcome(Resolution::Expired)) => {
                refuse(from, "a sent request can only be paid, failed or resolved")
            }
            (_, Step::Cancel) => Ok(S::Cancelled),
            (_, Step::Outcome(resolution)) => Ok(resolution.into()),
        }
    }
}

/// An attempt with its flow, so steps of the other flow are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub method: PaymentMethod,
    pub state: AttemptState,
}

impl Attempt {
    pub fn new(method: PaymentMethod) -> Self {
        Self {
            method,
            state: AttemptState::Created,
        }
    }

    pub fn apply(self, event: AttemptEvent) -> Result<Attempt, InvalidTransition> {
        let foreign = match (self.method, &event) {
            (PaymentMethod::CustomerCode, AttemptEvent::Presented) => {
                Some("a customer-code attempt shows no QR")
            }
            (
                PaymentMethod::CustomerCode,
                AttemptEvent::ExpiredObserved | AttemptEvent::Resolved(Resolution::Expired),
            ) => Some("a customer-code attempt does not expire; an expired code is a failure"),
            (PaymentMethod::MerchantQr, AttemptEvent::Sent) => {
                Some("a merchant-QR attempt is presented, not sent")
            }
            _ => None,
        };
        if let Some(why) = foreign {
            return Err(InvalidTransition {
                from: Box::new(self.state),
                event: Box::new(event),
                why,
            });
        }
        Ok(Attempt {
            method: self.method,
            state: self.state.transition(event)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + seconds, 0)
            .single()
            .unwrap()
    }

    fn failure(error_type: &str) -> Failure {
        Failure::new(FailReason::RejectedOther, error_type, "message")
    }

    /// One sample of every state; the match makes a new variant fail to compile here.
    fn all_states() -> Vec<AttemptState> {
        let states = vec![
            AttemptState::Created,
            AttemptState::Presented,
            AttemptState::Sent,
            AttemptState::Paid {
                transaction_id: "T1".into(),
            },
            AttemptState::Failed(failure("qr_expired")),
            AttemptState::Expired,
            AttemptState::Cancelled,
            AttemptState::Unknown { since: t(0) },
            AttemptState::Authorized {
                transaction_id: "T1".into(),
                amount: 100,
            },
        ];
        for s in &states {
            match s {
                AttemptState::Created
                | AttemptState::Presented
                | AttemptState::Sent
                | AttemptState::Authorized { .. }
                | AttemptState::Paid { .. }
                | AttemptState::Failed(_)
                | AttemptState::Expired
                | AttemptState::Cancelled
                | AttemptState::Unknown { .. } => {}
            }
        }
        states
    }

    fn all_events() -> Vec<AttemptEvent> {
        let events = vec![
            AttemptEvent::Presented,
            AttemptEvent::Sent,
            AttemptEvent::PaidObserved {
                transaction_id: "T1".into(),
            },
            AttemptEvent::PaidObserved {
                transaction_id: "T2".into(),
            },
            AttemptEvent::FailedObserved(failure("account_balance_not_enough")),
            AttemptEvent::ExpiredObserved,
            AttemptEvent::CancelConfirmed,
            AttemptEvent::OutcomeLost { at: t(1) },
            AttemptEvent::Resolved(Resolution::Paid {
                transaction_id: "T1".into(),
            }),
            AttemptEvent::Resolved(Resolution::Failed(failure("account_balance_not_enough"))),
            AttemptEvent::Resolved(Resolution::Expired),
            AttemptEvent::Resolved(Resolution::Cancelled),
            AttemptEvent::AuthorizedObserved {
                transaction_id: "T1".into(),
                amount: 100,
            },
        ];
        for e in &events {
            match e {
                AttemptEvent::Presented
                | AttemptEvent::Sent
                | AttemptEvent::PaidObserved { .. }
                | AttemptEvent::AuthorizedObserved { .. }
                | AttemptEvent::FailedObserved(_)
                | AttemptEvent::ExpiredObserved
                | AttemptEvent::CancelConfirmed
                | AttemptEvent::OutcomeLost { .. }
                | AttemptEvent::Resolved(_) => {}
            }
        }
        events
    }

    /// Short codes for expected outcomes in the table.
    fn expected(code: &str, from: &AttemptState) -> Option<AttemptState> {
        Some(match code {
            "Cr" => AttemptState::Created,
            "Pr" => AttemptState::Presented,
            "Se" => AttemptState::Sent,
            "P1" => AttemptState::Paid {
                transaction_id: "T1".into(),
            },
            "P2" => AttemptState::Paid {
                transaction_id: "T2".into(),
            },
            "F2" => AttemptState::Failed(failure("account_balance_not_enough")),
            "Ex" => AttemptState::Expired,
            "Xx" => AttemptState::Cancelled,
            "U1" => AttemptState::Unknown { since: t(1) },
            "H1" => AttemptState::Authorized {
                transaction_id: "T1".into(),
                amount: 100,
            },
            "==" => from.clone(),
            "!!" => return None,
            other => panic!("bad code {other}"),
        })
    }

    #[test]
    fn transition_table_covers_every_state_and_event() {
        // Columns: Presented, Sent, Paid T1, Paid T2, Failed, Expired, Cancel, Lost,
        //          Resolved: Paid T1, Failed, Expired, Cancelled; Held T1.
        // "==" keeps the state as it was (including its original data), "!!" is refused.
        let table: [[&str; 13]; 9] = [
            /* created   */
            [
                "Pr", "Se", "P1", "P2", "F2", "Ex", "Xx", "U1", "P1", "F2", "Ex", "Xx", "H1",
            ],
            /* presented */
            [
                "Pr", "!!", "P1", "P2", "F2", "Ex", "Xx", "U1", "P1", "F2", "Ex", "Xx", "H1",
            ],
            /* sent      */
            [
                "!!", "Se", "P1", "P2", "F2", "!!", "!!", "U1", "P1", "F2", "!!", "Xx", "!!",
            ],
            /* paid T1   */
            [
                "==", "==", "==", "!!", "==", "==", "==", "==", "==", "==", "==", "==", "==",
            ],
            /* failed    */
            [
                "!!", "!!", "P1", "P2", "==", "!!", "!!", "!!", "P1", "==", "!!", "!!", "H1",
            ],
            /* expired   */
            [
                "!!", "!!", "P1", "P2", "!!", "==", "!!", "!!", "P1", "!!", "==", "!!", "H1",
            ],
            /* cancelled */
            [
                "!!", "!!", "P1", "P2", "!!", "!!", "==", "!!", "P1", "!!", "!!", "==", "H1",
            ],
            /* unknown   */
            [
                "!!", "!!", "P1", "P2", "F2", "Ex", "Xx", "==", "P1", "F2", "Ex", "Xx", "H1",
            ],
            /* held T1   */
            [
                "!!", "!!", "P1", "P2", "F2", "Ex", "Xx", "==", "P1", "F2", "Ex", "Xx", "==",
            ],
        ];
        let states = all_states();
        let events = all_events();
        assert_eq!(states.len(), table.len());
        let mut checked = 0;
        for (state, row) in states.iter().zip(table) {
            assert_eq!(events.len(), row.len());
            for (event, code) in events.iter().zip(row) {
                let got = state.clone().transition(event.clone());
                match expected(code, state) {
                    Some(want) => assert_eq!(
                        got.as_ref().ok(),
                        Some(&want),
                        "{} + {event:?}: {got:?}",
                        state.name()
                    ),
                    None => {
                        let err = got.expect_err(&format!("{} + {event:?}", state.name()));
                        assert_eq!(&*err.from, state, "a refused event keeps the state");
                        assert_eq!(&*err.event, event);
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 117);
    }

    #[test]
    fn cancel_confirmed_after_paid_keeps_paid() {
        let paid = AttemptState::Presented
            .transition(AttemptEvent::PaidObserved {
                transaction_id: "T1".into(),
            })
            .unwrap();
        let after = paid.transition(AttemptEvent::CancelConfirmed).unwrap();
        assert_eq!(after.transaction_id(), Some("T1"));
    }

    #[test]
    fn final_states() {
        let finals: Vec<&str> = all_states()
            .iter()
            .filter(|s| s.is_final())
            .map(|s| s.name())
            .collect();
        assert_eq!(
            finals,
            ["paid", "failed", "expired", "cancelled", "authorized"]
        );
    }

    #[test]
    fn unknown_keeps_when_it_began() {
        let s = AttemptState::Sent
            .transition(AttemptEvent::OutcomeLost { at: t(5) })
            .unwrap()
            .transition(AttemptEvent::OutcomeLost { at: t(9) })
            .unwrap();
        assert_eq!(s, AttemptState::Unknown { since: t(5) });
    }

    #[test]
    fn flows_refuse_each_others_steps() {
        let cases = [
            (PaymentMethod::MerchantQr, AttemptEvent::Presented, true),
            (PaymentMethod::MerchantQr, AttemptEvent::Sent, false),
            (
                PaymentMethod::MerchantQr,
                AttemptEvent::ExpiredObserved,
                true,
            ),
            (PaymentMethod::CustomerCode, AttemptEvent::Sent, true),
            (PaymentMethod::CustomerCode, AttemptEvent::Presented, false),
            (
                PaymentMethod::CustomerCode,
                AttemptEvent::ExpiredObserved,
                false,
            ),
            (
                PaymentMethod::CustomerCode,
                AttemptEvent::Resolved(Resolution::Expired),
                false,
            ),
            (
                PaymentMethod::CustomerCode,
                AttemptEvent::CancelConfirmed,
                true,
            ),
        ];
        for (method, event, allowed) in cases {
            let result = Attempt::new(method).apply(event.clone());
            assert_eq!(result.is_ok(), allowed, "{method} {event:?}");
            if let Err(e) = result {
                assert_eq!(*e.from, AttemptState::Created);
            }
        }
    }

    #[test]
    fn full_flows() {
        let merchant_qr = Attempt::new(PaymentMethod::MerchantQr)
            .apply(AttemptEvent::Presented)
            .and_then(|a| {
                a.apply(AttemptEvent::PaidObserved {
                    transaction_id: "T9".into(),
                })
            })
            .unwrap();
        assert_eq!(merchant_qr.state.transaction_id(), Some("T9"));

        let customer_code = Attempt::new(PaymentMethod::CustomerCode)
            .apply(AttemptEvent::Sent)
            .and_then(|a| a.apply(AttemptEvent::OutcomeLost { at: t(3) }))
            .and_then(|a| {
                a.apply(AttemptEvent::Resolved(Resolution::Failed(Failure::new(
                    FailReason::TokenUsed,
                    "code_already_used",
                    "message",
                ))))
            })
            .unwrap();
        match customer_code.state {
            AttemptState::Failed(f) => assert_eq!(f.reason, FailReason::TokenUsed),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reasons_round_trip_through_their_words() {
        for reason in FailReason::ALL {
            assert_eq!(FailReason::parse(reason.as_str()), Some(reason));
        }
    }

    #[test]
    fn method_words_round_trip() {
        for m in [
            PaymentMethod::MerchantQr,
            PaymentMethod::CustomerCode,
            PaymentMethod::Cash,
        ] {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
        }
        assert_eq!(PaymentMethod::parse("cheque"), None);
    }
}
