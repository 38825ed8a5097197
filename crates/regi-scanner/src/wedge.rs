//! Telling a keyboard-wedge scanner from a person typing, by timing alone.
//!
//! A scanner set up as a keyboard "types" a whole code in a burst — a few milliseconds between
//! keys — and ends it with Enter or Tab; people cannot keep that pace. The detector holds
//! characters while they could still be the start of a scan and hands them back as typed text as
//! soon as a gap shows they are not, so nothing a clerk types is lost or reordered.
//!
//! The TUI feeds every plain character and Enter/Tab with its arrival time, calls [`WedgeDetector::tick`]
//! when [`WedgeDetector::deadline`] passes, and calls [`WedgeDetector::flush`] before handling any
//! other key (arrows, Esc, shortcuts) so held characters are processed first. Pure: no clock, no I/O.

use std::time::Instant;

use super::hid::{KeyStroke, MAX_SCAN_CHARS};
use super::settings::WedgeThresholds;

/// What the TUI should do with the keys fed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WedgeOutput {
    /// A scanner burst: the code, without its terminator. The keys are consumed.
    Scan(String),
    /// Keys a person typed, in order: process them as ordinary input.
    Typed(Vec<KeyStroke>),
}

/// The burst detector. See the module documentation.
#[derive(Debug, Clone)]
pub struct WedgeDetector {
    thresholds: WedgeThresholds,
    held: Vec<char>,
    last_at: Option<Instant>,
}

impl WedgeDetector {
    pub fn new(thresholds: WedgeThresholds) -> Self {
        WedgeDetector {
            thresholds,
            held: Vec::new(),
            last_at: None,
        }
    }

    /// Feeds one key that arrived at `at`.
    pub fn key(&mut self, key: KeyStroke, at: Instant) -> Option<WedgeOutput> {
        let in_burst = self.last_at.is_some_and(|last| {
            !self.held.is_empty() && at.saturating_duration_since(last) <= self.thresholds.max_gap()
        });
        match key {
            KeyStroke::Char(c) => {
                let released = if in_burst && self.held.len() < MAX_SCAN_CHARS {
                    None
                } else {
                    self.release()
                };
                self.held.push(c);
                self.last_at = Some(at);
                released
            }
            KeyStroke::Enter | KeyStroke::Tab => {
                let held = std::mem::take(&mut self.held);
                self.last_at = None;
                if in_burst && held.len() >= self.thresholds.min_chars {
                    return Some(WedgeOutput::Scan(held.into_iter().collect()));
                }
                let mut keys: Vec<KeyStroke> = held.into_iter().map(KeyStroke::Char).collect();
                keys.push(key);
                Some(WedgeOutput::Typed(keys))
            }
        }
    }

    /// Releases held characters as typed text once the gap since the last key shows they are not
    /// a scan. Call it when [`deadline`](Self::deadline) has passed.
    pub fn tick(&mut self, now: Instant) -> Option<WedgeOutput> {
        let expired = self
            .last_at
            .is_some_and(|last| now.saturating_duration_since(last) > self.thresholds.max_gap());
        if expired { self.release() } else { None }
    }

    /// When the held characters must be released if no key comes before; `None` when none are held.
    pub fn deadline(&self) -> Option<Instant> {
        if self.held.is_empty() {
            return None;
        }
        let after = self.thresholds.max_gap() + std::time::Duration::from_millis(1);
        self.last_at.and_then(|last| last.checked_add(after))
    }

    /// Releases everything held as typed text (before handling a key the detector does not see).
    pub fn flush(&mut self) -> Option<WedgeOutput> {
        self.release()
    }

    fn release(&mut self) -> Option<WedgeOutput> {
        self.last_at = None;
        if self.held.is_empty() {
            return None;
        }
        let keys = self.held.drain(..).map(KeyStroke::Char).collect();
        Some(WedgeOutput::Typed(keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Feeds `text` (`\n` = Enter, `\t` = Tab) with the given gaps in ms (one per key after the
    /// first), ticking when a deadline passes, and returns everything that came out.
    fn run(text: &str, gaps_ms: &[u64]) -> Vec<WedgeOutput> {
        let mut detector = WedgeDetector::new(WedgeThresholds::default());
        let start = Instant::now();
        let mut now = start;
        let mut out = Vec::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 {
                let gap = gaps_ms.get(i - 1).copied().unwrap_or(5);
                let next = now + Duration::from_millis(gap);
                if let Some(deadline) = detector.deadline()
                    && deadline <= next
                {
                    out.extend(detector.tick(deadline));
                }
                now = next;
            }
            let key = match c {
                '\n' => KeyStroke::Enter,
                '\t' => KeyStroke::Tab,
                c => KeyStroke::Char(c),
            };
            out.extend(detector.key(key, now));
        }
        if let Some(deadline) = detector.deadline() {
            out.extend(detector.tick(deadline));
        }
        out
    }

    fn typed(text: &str) -> WedgeOutput {
        WedgeOutput::Typed(
            text.chars()
                .map(|c| match c {
                    '\n' => KeyStroke::Enter,
                    '\t' => KeyStroke::Tab,
                    c => KeyStroke::Char(c),
                })
                .collect(),
        )
    }

    #[test]
    fn scanner_burst_is_a_scan() {
        let out = run("4901234567894\n", &[8; 13]);
        assert_eq!(out, [WedgeOutput::Scan("4901234567894".into())]);
        let out = run("RGI-T1-5\t", &[0; 8]);
        assert_eq!(out, [WedgeOutput::Scan("RGI-T1-5".into())]);
    }

    #[test]
    fn fast_typist_is_typing() {
        // ~120 ms a key with a quick rollover pair in the middle.
        let out = run("1200\n", &[110, 30, 140, 130]);
        assert_eq!(out, [typed("1"), typed("20"), typed("0"), typed("\n")]);
    }

    #[test]
    fn short_fast_burst_is_typing() {
        let out = run("12345\n", &[5; 5]);
        assert_eq!(out, [typed("12345\n")]);
    }

    #[test]
    fn slow_terminator_makes_it_typing() {
        let out = run(
            "4901234567894\n",
            &[5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 200],
        );
        assert_eq!(flatten(&out), "4901234567894\n");
        assert!(out.iter().all(|o| matches!(o, WedgeOutput::Typed(_))));
    }

    #[test]
    fn typing_right_before_a_scan_is_kept_apart() {
        let mut gaps = vec![300];
        gaps.extend([5; 14]);
        let out = run("x4901234567894\n", &gaps);
        assert_eq!(out, [typed("x"), WedgeOutput::Scan("4901234567894".into())]);
    }

    #[test]
    fn held_characters_come_back_on_tick_and_flush() {
        let mut detector = WedgeDetector::new(WedgeThresholds::default());
        let t0 = Instant::now();
        assert_eq!(detector.key(KeyStroke::Char('a'), t0), None);
        assert_eq!(detector.held, ['a']);
        assert_eq!(detector.tick(t0 + Duration::from_millis(35)), None);
        let deadline = detector.deadline().expect("holding");
        assert_eq!(detector.tick(deadline), Some(typed("a")));
        assert_eq!(detector.deadline(), None);
        detector.key(KeyStroke::Char('b'), t0);
        assert_eq!(detector.flush(), Some(typed("b")));
        assert_eq!(detector.flush(), None);
    }

    #[test]
    fn lone_enter_is_typing() {
        assert_eq!(run("\n", &[]), [typed("\n")]);
    }

    fn flatten(out: &[WedgeOutput]) -> String {
        out.iter()
            .flat_map(|o| match o {
                WedgeOutput::Scan(code) => format!("{code}⏎").chars().collect::<Vec<_>>(),
                WedgeOutput::Typed(keys) => keys
                    .iter()
                    .map(|k| match k {
                        KeyStroke::Char(c) => *c,
                        KeyStroke::Enter => '\n',
                        KeyStroke::Tab => '\t',
                    })
                    .collect(),
            })
            .collect()
    }
}
