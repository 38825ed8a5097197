//! Manager PIN tries. Every wrong PIN is appended, and so is a right one (it ends the run of wrong
//! ones), so the lockout after repeated wrong PINs is rebuilt from the journal when regi starts
//! again: killing and restarting the register does not give back free guesses.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::error::JournalError;
use super::{Journal, parse_timestamp, timestamp};

use regi_core::records::PinFailures;
impl Journal {
    /// Appends one PIN try on `terminal` for `guarded` (what the PIN was asked for, e.g.
    /// `refund`); returns the time it was recorded at.
    pub fn record_pin_try(
        &mut self,
        terminal: &str,
        guarded: &str,
        correct: bool,
    ) -> Result<DateTime<Utc>, JournalError> {
        let at = timestamp(self.now());
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO pin_tries (at, terminal, guarded, correct) VALUES (?1, ?2, ?3, ?4)",
            params![at, terminal, guarded, correct],
        )?;
        tx.commit()?;
        // The time as stored (to the millisecond), so a count read back after a restart agrees.
        parse_timestamp(&at)
    }

    /// The wrong PINs recorded since the last right one.
    pub fn pin_failures(&self) -> Result<PinFailures, JournalError> {
        // An aggregate always yields one row: (0, NULL) when there is nothing to count.
        let (count, last): (i64, Option<String>) = self.conn.query_row(
            "SELECT COUNT(*), MAX(at) FROM pin_tries WHERE correct = 0 AND id > \
             COALESCE((SELECT MAX(id) FROM pin_tries WHERE correct = 1), 0)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(PinFailures {
            consecutive: u32::try_from(count).unwrap_or(u32::MAX),
            last_at: last.as_deref().map(parse_timestamp).transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use chrono::{TimeDelta, TimeZone};

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap()
    }

    /// A journal whose clock the test moves.
    fn open(path: &std::path::Path, now: &Arc<Mutex<DateTime<Utc>>>) -> Journal {
        let now = Arc::clone(now);
        Journal::open_with_clock(path, Box::new(move || *now.lock().unwrap())).unwrap()
    }

    #[test]
    fn wrong_pins_are_recorded_and_counted_again_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let now = Arc::new(Mutex::new(t0()));
        let mut journal = open(&path, &now);
        assert_eq!(journal.pin_failures().unwrap(), PinFailures::default());
        for _ in 0..3 {
            *now.lock().unwrap() += TimeDelta::seconds(2);
            journal.record_pin_try("01", "refund", false).unwrap();
        }
        drop(journal);

        let mut journal = open(&path, &now);
        let last = t0() + TimeDelta::seconds(6);
        assert_eq!(
            journal.pin_failures().unwrap(),
            PinFailures {
                consecutive: 3,
                last_at: Some(last)
            }
        );
        let (terminal, guarded): (String, String) = journal
            .conn
            .query_row(
                "SELECT terminal, guarded FROM pin_tries ORDER BY id DESC",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((terminal.as_str(), guarded.as_str()), ("01", "refund"));

        // A right PIN ends the run; the wrong ones after it start a new one.
        journal.record_pin_try("01", "refund", true).unwrap();
        assert_eq!(journal.pin_failures().unwrap().consecutive, 0);
        journal.record_pin_try("01", "refund", false).unwrap();
        drop(journal);
        assert_eq!(open(&path, &now).pin_failures().unwrap().consecutive, 1);
    }

    #[test]
    fn recorded_tries_cannot_be_changed_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(Mutex::new(t0()));
        let mut journal = open(&dir.path().join("journal.sqlite"), &now);
        journal.record_pin_try("01", "refund", false).unwrap();
        assert!(journal.conn.execute("DELETE FROM pin_tries", []).is_err());
        assert!(
            journal
                .conn
                .execute("UPDATE pin_tries SET correct = 1", [])
                .is_err()
        );
        assert_eq!(journal.pin_failures().unwrap().consecutive, 1);
    }
}
