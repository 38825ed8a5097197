//! A size limit on each day's log file: a loop that logs the same failure thousands of times a
//! second must not fill the disk the journal needs. Past the limit the day's further lines are
//! dropped, after one line saying so; the next day's file starts afresh. With the appender
//! keeping 31 daily files, the logs never take more than 31 × the limit.

use std::io::{self, Write};

use chrono::NaiveDate;

/// The most one day's log file grows to.
pub const DAILY_LOG_LIMIT: u64 = 32 * 1024 * 1024;

/// What is written once a day's file is full.
pub const LIMIT_NOTICE: &str =
    "regi: today's log reached its size limit; further lines of the day are dropped\n";

/// Wraps the daily appender; `today` says which day's file the appender is writing (UTC, as
/// the appender rolls).
pub struct CappedWriter<W, T> {
    inner: W,
    today: T,
    limit: u64,
    day: NaiveDate,
    written: u64,
    noticed: bool,
}

impl<W: Write, T: Fn() -> NaiveDate> CappedWriter<W, T> {
    /// `already` is what today's file held before this process started.
    pub fn new(inner: W, today: T, limit: u64, already: u64) -> Self {
        let day = today();
        CappedWriter {
            inner,
            today,
            limit,
            day,
            written: already,
            noticed: false,
        }
    }
}

impl<W: Write, T: Fn() -> NaiveDate> Write for CappedWriter<W, T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let day = (self.today)();
        if day != self.day {
            self.day = day;
            self.written = 0;
            self.noticed = false;
        }
        if self.written + buf.len() as u64 > self.limit {
            if !self.noticed {
                self.noticed = true;
                self.inner.write_all(LIMIT_NOTICE.as_bytes())?;
                self.written += LIMIT_NOTICE.len() as u64;
            }
            // Taken as written: a dropped line is no error for the code that logged it.
            return Ok(buf.len());
        }
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn lines_past_the_days_limit_are_dropped_after_one_notice() {
        let mut out = Vec::new();
        {
            let mut w = CappedWriter::new(&mut out, || day(6), 100, 0);
            for _ in 0..50 {
                w.write_all(b"0123456789\n").unwrap();
            }
        }
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("0123456789").count(), 9, "{text}");
        assert_eq!(text.matches(LIMIT_NOTICE).count(), 1, "{text}");
    }

    #[test]
    fn the_next_day_starts_afresh_and_a_restart_counts_what_the_file_holds() {
        let today = Rc::new(Cell::new(day(6)));
        let clock = {
            let today = Rc::clone(&today);
            move || today.get()
        };
        let mut out = Vec::new();
        {
            let mut w = CappedWriter::new(&mut out, clock, 30, 25);
            w.write_all(b"0123456789\n").unwrap();
            today.set(day(7));
            w.write_all(b"abcdefghij\n").unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains("0123456789"),
            "the file was nearly full: {text}"
        );
        assert!(text.contains("abcdefghij"), "{text}");
    }
}
