//! `X-KOMOJU-IDEMPOTENCY` as KOMOJU honours it (KOMOJU.md §10): the first request with a key runs
//! and its answer is kept for 24 hours; the same key with the same request gets that answer
//! again without running anything; with another request, 422; while the first still runs, 409.
//! 5xx answers are not kept, so a retry after one runs the request.

use std::collections::HashMap;

use chrono::Duration;
use regi_komoju::wire::Timestamp;
use serde::{Deserialize, Serialize};

/// How long an answer is replayed.
pub fn key_lifetime() -> Duration {
    Duration::hours(24)
}

/// A kept answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAnswer {
    /// The request it answered: method, path and body.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
    pub at: Timestamp,
}

impl StoredAnswer {
    /// The answer to keep for a request that ran; `None` for a 5xx, which frees the key.
    pub fn kept(fingerprint: String, status: u16, body: String, at: Timestamp) -> Option<Self> {
        (status < 500).then_some(Self {
            fingerprint,
            status,
            body,
            at,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Entry {
    /// Still running; `conflicts_left` is set by the test hook that holds a key busy for a
    /// number of answers.
    InFlight {
        conflicts_left: Option<u32>,
    },
    Done(StoredAnswer),
}

/// What to do with a request that carries a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Begin {
    /// Run it (the key is now in flight).
    Run,
    Replay {
        status: u16,
        body: String,
    },
    /// The key was used for another request.
    Mismatch,
    /// The first request with the key is still running.
    InProgress,
}

#[derive(Debug, Clone, Default)]
pub struct IdempotencyStore {
    entries: HashMap<String, Entry>,
}

impl IdempotencyStore {
    pub fn from_answers(answers: HashMap<String, StoredAnswer>) -> Self {
        Self {
            entries: answers
                .into_iter()
                .map(|(k, a)| (k, Entry::Done(a)))
                .collect(),
        }
    }

    /// The kept answers, for the state file (keys in flight are not kept).
    pub fn answers(&self) -> HashMap<String, StoredAnswer> {
        self.entries
            .iter()
            .filter_map(|(k, e)| match e {
                Entry::Done(answer) => Some((k.clone(), answer.clone())),
                Entry::InFlight { .. } => None,
            })
            .collect()
    }

    pub fn begin(&mut self, key: &str, fingerprint: &str, now: Timestamp) -> Begin {
        let lifetime = key_lifetime();
        self.entries.retain(|_, e| match e {
            Entry::Done(answer) => now - answer.at < lifetime,
            Entry::InFlight { .. } => true,
        });
        match self.entries.get_mut(key) {
            None => {
                self.entries.insert(
                    key.to_string(),
                    Entry::InFlight {
                        conflicts_left: None,
                    },
                );
                Begin::Run
            }
            Some(Entry::InFlight {
                conflicts_left: Some(left),
            }) => {
                *left = left.saturating_sub(1);
                if *left == 0 {
                    self.entries.remove(key);
                }
                Begin::InProgress
            }
            Some(Entry::InFlight {
                conflicts_left: None,
            }) => Begin::InProgress,
            Some(Entry::Done(answer)) if answer.fingerprint == fingerprint => Begin::Replay {
                status: answer.status,
                body: answer.body.clone(),
            },
            Some(Entry::Done(_)) => Begin::Mismatch,
        }
    }

    /// Keeps the answer of a request that ran, or frees the key (`None`, after a 5xx).
    pub fn finish(&mut self, key: &str, answer: Option<StoredAnswer>) {
        match answer {
            Some(answer) => {
                self.entries.insert(key.to_string(), Entry::Done(answer));
            }
            None => {
                self.entries.remove(key);
            }
        }
    }

    /// Frees a key whose request did not run.
    pub fn abandon(&mut self, key: &str) {
        if matches!(self.entries.get(key), Some(Entry::InFlight { .. })) {
            self.entries.remove(key);
        }
    }

    /// Test hook: the key answers 409 `conflicts` times, as if a first request with it were
    /// running, then is free (that request never finished).
    pub fn occupy(&mut self, key: &str, conflicts: u32) {
        self.entries.insert(
            key.to_string(),
            Entry::InFlight {
                conflicts_left: Some(conflicts.max(1)),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{SystemClock, komoju_now};

    #[test]
    fn a_key_runs_once_replays_its_answer_and_refuses_another_request() {
        let now = komoju_now(&SystemClock);
        let mut store = IdempotencyStore::default();
        assert_eq!(store.begin("k", "a", now), Begin::Run);
        assert_eq!(store.begin("k", "a", now), Begin::InProgress);
        store.finish("k", StoredAnswer::kept("a".into(), 200, "{}".into(), now));
        assert_eq!(
            store.begin("k", "a", now),
            Begin::Replay {
                status: 200,
                body: "{}".into()
            }
        );
        assert_eq!(store.begin("k", "b", now), Begin::Mismatch);
        assert_eq!(store.begin("k", "a", now + key_lifetime()), Begin::Run);
    }

    #[test]
    fn a_server_error_frees_the_key() {
        let now = komoju_now(&SystemClock);
        let mut store = IdempotencyStore::default();
        store.begin("k", "a", now);
        store.finish("k", StoredAnswer::kept("a".into(), 503, "{}".into(), now));
        assert_eq!(store.begin("k", "a", now), Begin::Run);
    }

    #[test]
    fn an_occupied_key_conflicts_the_given_number_of_times() {
        let now = komoju_now(&SystemClock);
        let mut store = IdempotencyStore::default();
        store.occupy("k", 2);
        assert_eq!(store.begin("k", "a", now), Begin::InProgress);
        assert_eq!(store.begin("k", "a", now), Begin::InProgress);
        assert_eq!(store.begin("k", "a", now), Begin::Run);
    }
}
