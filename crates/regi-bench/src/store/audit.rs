//! The end of a run: every journal's outbox against what PostgreSQL holds in `regi.events`.
//! An event of the journal missing from the store is lost; a row of the store that is not the
//! journal's event of that number, or an event stored twice, is a duplicate.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Context;
use regi_journal::Journal;
use serde::Serialize;
use tokio_postgres::Client;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Events in the journals.
    pub journal_events: u64,
    /// Rows of these terminals in `regi.events`.
    pub store_events: u64,
    pub lost: u64,
    pub duplicated: u64,
}

/// One terminal's event as both sides know it: (seq, event id, kind).
type Key = (i64, i64, String);

pub async fn audit(client: &Client, terminals: &[(String, &Path)]) -> anyhow::Result<Audit> {
    let ids: Vec<&str> = terminals.iter().map(|(id, _)| id.as_str()).collect();
    let mut stored: HashMap<String, Vec<Key>> = HashMap::new();
    for row in client
        .query(
            "SELECT terminal_id, seq, event_id, kind FROM regi.events \
             WHERE terminal_id = ANY($1)",
            &[&ids],
        )
        .await
        .context("cannot read the store's events")?
    {
        stored
            .entry(row.get(0))
            .or_default()
            .push((row.get(1), row.get(2), row.get(3)));
    }
    let mut audit = Audit::default();
    for (terminal, path) in terminals {
        let journal = Journal::open_read_only(path)?;
        let local: Vec<Key> = journal
            .outbox_after(0, usize::MAX >> 1)?
            .into_iter()
            .map(|e| (e.seq, e.event_id, e.kind))
            .collect();
        let theirs = stored.remove(terminal).unwrap_or_default();
        let counted = compare(&local, &theirs);
        audit.journal_events += local.len() as u64;
        audit.store_events += theirs.len() as u64;
        audit.lost += counted.0;
        audit.duplicated += counted.1;
    }
    Ok(audit)
}

/// (lost, duplicated) of one terminal.
fn compare(journal: &[Key], store: &[Key]) -> (u64, u64) {
    let mine: HashSet<&Key> = journal.iter().collect();
    let theirs: HashSet<&Key> = store.iter().collect();
    let lost = mine.difference(&theirs).count() as u64;
    let mut events = HashSet::new();
    let duplicated = store
        .iter()
        .filter(|key| !mine.contains(key) || !events.insert(key.1))
        .count() as u64;
    (lost, duplicated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seq: i64, event: i64) -> Key {
        (seq, event, "sale_created".into())
    }

    #[test]
    fn the_same_events_on_both_sides_are_neither_lost_nor_duplicated() {
        let both = [key(1, 10), key(2, 11)];
        assert_eq!(compare(&both, &both), (0, 0));
    }

    #[test]
    fn an_event_missing_from_the_store_is_lost() {
        assert_eq!(compare(&[key(1, 10), key(2, 11)], &[key(1, 10)]), (1, 0));
    }

    #[test]
    fn an_event_stored_twice_or_not_the_journals_is_duplicated() {
        let journal = [key(1, 10), key(2, 11)];
        assert_eq!(
            compare(&journal, &[key(1, 10), key(2, 11), key(3, 10)]),
            (0, 1)
        );
        assert_eq!(compare(&journal, &[key(1, 10), key(2, 12)]), (1, 1));
    }
}
