//! The API's refusal of stale and repeated calls: a call whose encrypted `timestamp` is outside a
//! window around the sandbox's clock is 400 `partner_request_expired`, one whose
//! `partner_call_id` was seen before is 400 `partner_request_already_done` (partner.yaml's
//! `BadRequest` types; the API notes, §2.5 and §2.7).
//!
//! The API documents neither the window nor whether these answers are sealed. Assumed here: ±5
//! minutes ([`DEFAULT_WINDOW`]), and sealed like every error after the envelope opened (the
//! caller was identified and its data decrypted; the C# SDK reads a status only from sealed
//! errors). A call id is remembered for as long as its call could still be on time: a repeat
//! later than that carries a timestamp that is expired anyway, unless the caller re-sealed it
//! with a fresh one, which the sandbox then takes as a new call.

use std::collections::{HashSet, VecDeque};

use chrono::TimeDelta;

use super::envelope::parse_timestamp;
use super::errors::ApiError;
use regi_pokepay::wire::Timestamp;

/// How far a call's `timestamp` may be from the sandbox's clock, either way.
pub const DEFAULT_WINDOW: TimeDelta = TimeDelta::minutes(5);

/// Which of the API's freshness checks a sandbox makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallChecks {
    /// Refuse a call whose timestamp is further than this from the sandbox's clock.
    pub window: Option<TimeDelta>,
    /// Refuse a call whose `partner_call_id` was seen before.
    pub refuse_repeated_call_ids: bool,
}

impl CallChecks {
    /// No check: tests that send fixed timestamps or call ids (the published test vectors).
    pub const OFF: CallChecks = CallChecks {
        window: None,
        refuse_repeated_call_ids: false,
    };

    /// What the API does: the window of [`DEFAULT_WINDOW`] and no call id twice.
    pub const API: CallChecks = CallChecks {
        window: Some(DEFAULT_WINDOW),
        refuse_repeated_call_ids: true,
    };
}

impl Default for CallChecks {
    fn default() -> Self {
        CallChecks::OFF
    }
}

/// The call ids seen, oldest first, with when they were seen.
#[derive(Debug, Default)]
pub(crate) struct SeenCallIds {
    ids: HashSet<String>,
    order: VecDeque<(Timestamp, String)>,
}

impl SeenCallIds {
    /// Checks one call at `now`; remembers its id when it is accepted.
    pub(crate) fn check(
        &mut self,
        checks: CallChecks,
        timestamp: &str,
        call_id: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        if let Some(window) = checks.window {
            // The envelope was read already, so the timestamp parses; one that does not is stale.
            let on_time =
                parse_timestamp(timestamp).is_some_and(|sent| (now - sent).abs() <= window);
            if !on_time {
                return Err(ApiError::new(400, "partner_request_expired"));
            }
            self.forget_older_than(now - window * 2);
        }
        if checks.refuse_repeated_call_ids {
            if self.ids.contains(call_id) {
                return Err(ApiError::new(400, "partner_request_already_done"));
            }
            self.ids.insert(call_id.to_string());
            self.order.push_back((now, call_id.to_string()));
        }
        Ok(())
    }

    /// Ids seen before `limit` cannot come back on time: a call sent then is outside the window.
    fn forget_older_than(&mut self, limit: Timestamp) {
        while let Some((seen, _)) = self.order.front() {
            if *seen >= limit {
                break;
            }
            if let Some((_, id)) = self.order.pop_front() {
                self.ids.remove(&id);
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, SystemClock};

    fn at(now: Timestamp, seconds: i64) -> String {
        (now + TimeDelta::seconds(seconds)).to_rfc3339()
    }

    #[test]
    fn a_timestamp_within_five_minutes_either_way_is_on_time() {
        let now = SystemClock.now();
        let mut seen = SeenCallIds::default();
        for (n, offset) in [-300, -10, 0, 10, 300].into_iter().enumerate() {
            let id = format!("call-{n}");
            assert_eq!(
                seen.check(CallChecks::API, &at(now, offset), &id, now),
                Ok(())
            );
        }
        for offset in [-301, 301, -86_400] {
            let error = seen
                .check(CallChecks::API, &at(now, offset), "late", now)
                .unwrap_err();
            assert_eq!(
                (error.status, error.kind.as_str()),
                (400, "partner_request_expired")
            );
        }
    }

    #[test]
    fn a_call_id_is_accepted_once() {
        let now = SystemClock.now();
        let mut seen = SeenCallIds::default();
        let ts = at(now, 0);
        assert_eq!(seen.check(CallChecks::API, &ts, "c", now), Ok(()));
        let error = seen.check(CallChecks::API, &ts, "c", now).unwrap_err();
        assert_eq!(
            (error.status, error.kind.as_str()),
            (400, "partner_request_already_done")
        );
        assert_eq!(seen.check(CallChecks::API, &ts, "d", now), Ok(()));
    }

    #[test]
    fn an_expired_call_does_not_use_up_its_id() {
        let now = SystemClock.now();
        let mut seen = SeenCallIds::default();
        assert!(
            seen.check(CallChecks::API, &at(now, -600), "c", now)
                .is_err()
        );
        assert_eq!(seen.check(CallChecks::API, &at(now, 0), "c", now), Ok(()));
    }

    #[test]
    fn ids_are_forgotten_once_no_call_carrying_them_could_be_on_time() {
        let start = SystemClock.now();
        let mut seen = SeenCallIds::default();
        seen.check(CallChecks::API, &at(start, 0), "old", start)
            .unwrap();
        let later = start + DEFAULT_WINDOW * 2 + TimeDelta::seconds(1);
        seen.check(CallChecks::API, &at(later, 0), "new", later)
            .unwrap();
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn without_checks_anything_goes_and_nothing_is_kept() {
        let now = SystemClock.now();
        let mut seen = SeenCallIds::default();
        for _ in 0..2 {
            let old = "2024-01-01T12:00:00+09:00";
            assert_eq!(seen.check(CallChecks::OFF, old, "c", now), Ok(()));
        }
        assert_eq!(seen.len(), 0);
    }
}
