//! Bytes in, codes out, for every source that delivers text (a FIFO, a file, stdin, a serial
//! port): one line assembler, so they all end codes, drop junk and report what they throw away
//! the same way.
//!
//! - A code is finished only by its terminator. What is left when the input ends (a writer closed
//!   mid-code, a scanner was unplugged) is discarded and reported, never delivered and never
//!   glued to the next writer's first code.
//! - A line longer than [`MAX_SCAN_CHARS`] is discarded up to its terminator and reported; the
//!   code after it is intact.
//! - NUL and every other control character are removed; a code empty after that is no scan.

use super::event::Discard;
use super::hid::{MAX_SCAN_CHARS, strip_affixes};

/// UTF-8 needs at most 4 bytes a character.
const MAX_LINE_BYTES: usize = MAX_SCAN_CHARS * 4;

/// What a finished line turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Code(String),
    Discarded(Discard),
}

/// Splits a byte stream into codes (see the module documentation).
#[derive(Debug, Clone)]
pub struct LineAssembler {
    terminators: &'static [u8],
    ascii_only: bool,
    prefix: String,
    suffix: String,
    pending: Vec<u8>,
    overflowed: bool,
}

impl LineAssembler {
    /// One code per line (LF; a CR before it is a control and goes), UTF-8 text, taken as it is.
    pub fn text_lines() -> Self {
        LineAssembler {
            terminators: b"\n",
            ascii_only: false,
            prefix: String::new(),
            suffix: String::new(),
            pending: Vec::new(),
            overflowed: false,
        }
    }

    /// A scanner in serial mode: printable ASCII ending in CR, LF, Tab or ETX (STX framing before
    /// a code is a control and goes), with the configured prefix and suffix cut off.
    pub fn serial(prefix: &str, suffix: &str) -> Self {
        LineAssembler {
            terminators: b"\r\n\t\x03",
            ascii_only: true,
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
            ..LineAssembler::text_lines()
        }
    }

    /// Feeds bytes as they arrive; returns the lines they finished (empty lines are left out).
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Line> {
        let mut lines = Vec::new();
        for &byte in bytes {
            if self.terminators.contains(&byte) {
                lines.extend(self.finish_line());
            } else if byte.is_ascii_control() || (self.ascii_only && !byte.is_ascii()) {
                // NUL, STX, a stray CR, DEL...; a serial scanner sends nothing but ASCII.
            } else if self.pending.len() < MAX_LINE_BYTES {
                self.pending.push(byte);
            } else {
                self.overflowed = true;
            }
        }
        lines
    }

    /// The input ended (the last writer closed, the port went away): drops an unfinished line,
    /// returning what to report about it.
    pub fn end_of_input(&mut self) -> Option<Discard> {
        let pending = std::mem::take(&mut self.pending);
        self.overflowed = false;
        let chars = decode(&pending).chars().count();
        (chars > 0).then_some(Discard::Unfinished { chars })
    }

    fn finish_line(&mut self) -> Option<Line> {
        let pending = std::mem::take(&mut self.pending);
        if std::mem::take(&mut self.overflowed) {
            return Some(Line::Discarded(too_long()));
        }
        let text = decode(&pending);
        if text.chars().count() > MAX_SCAN_CHARS {
            return Some(Line::Discarded(too_long()));
        }
        let code = strip_affixes(&text, &self.prefix, &self.suffix);
        (!code.is_empty()).then(|| Line::Code(code.to_string()))
    }
}

fn too_long() -> Discard {
    Discard::TooLong {
        limit: MAX_SCAN_CHARS,
    }
}

/// Text from the bytes of a line, invalid UTF-8 replaced, control characters (C0 ones never got
/// here; C1 ones such as U+0085 may come encoded) removed.
fn decode(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Line {
        Line::Code(text.to_string())
    }

    #[test]
    fn lines_end_at_lf_and_a_crlf_leaves_no_cr_behind() {
        let mut lines = LineAssembler::text_lines();
        assert_eq!(
            lines.feed(b"4901234567894\r\nRGI-T1-5\n\n\r\n"),
            [code("4901234567894"), code("RGI-T1-5")]
        );
        assert_eq!(lines.end_of_input(), None);
    }

    #[test]
    fn a_line_left_unfinished_at_the_end_of_input_is_dropped_and_reported() {
        let mut lines = LineAssembler::text_lines();
        assert_eq!(lines.feed(b"4901234"), []);
        assert_eq!(lines.end_of_input(), Some(Discard::Unfinished { chars: 7 }));
        // The next writer's code stands alone.
        assert_eq!(lines.feed(b"4901234567894\n"), [code("4901234567894")]);
    }

    #[test]
    fn an_overlong_line_is_reported_and_the_next_code_is_intact() {
        let mut lines = LineAssembler::text_lines();
        let mut input = vec![b'9'; MAX_SCAN_CHARS * 5];
        input.extend_from_slice(b"\nok\n");
        // Split across feeds, as reads split it.
        let (head, tail) = input.split_at(MAX_SCAN_CHARS * 5 - 3);
        let mut seen = lines.feed(head);
        seen.extend(lines.feed(tail));
        assert_eq!(
            seen,
            [
                Line::Discarded(Discard::TooLong {
                    limit: MAX_SCAN_CHARS
                }),
                code("ok")
            ]
        );
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_a_code_and_one_more_character_is_too_long() {
        let mut lines = LineAssembler::text_lines();
        let mut input = "あ".repeat(MAX_SCAN_CHARS).into_bytes();
        input.push(b'\n');
        assert!(matches!(lines.feed(&input)[..], [Line::Code(_)]));
        let mut input = "1".repeat(MAX_SCAN_CHARS + 1).into_bytes();
        input.push(b'\n');
        assert!(matches!(lines.feed(&input)[..], [Line::Discarded(_)]));
    }

    #[test]
    fn nul_and_control_characters_are_removed_and_a_code_of_nothing_else_is_no_scan() {
        let mut lines = LineAssembler::text_lines();
        assert_eq!(
            lines.feed(b"49012\x00345\x1b[2J67894\x7f\n\x00\x07\x1b\n\xc2\x85RGI\n"),
            [code("49012345[2J67894"), code("RGI")]
        );
        assert_eq!(lines.feed(b"\x00\x00"), []);
        assert_eq!(lines.end_of_input(), None);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let mut lines = LineAssembler::text_lines();
        assert_eq!(
            lines.feed(b"\xff\xfe\nok\n"),
            [code("\u{fffd}\u{fffd}"), code("ok")]
        );
    }

    #[test]
    fn serial_codes_end_at_cr_lf_tab_or_etx_and_keep_only_printable_ascii() {
        let mut serial = LineAssembler::serial("]E0", "");
        assert_eq!(
            serial.feed(b"]E04901\xff\x00234567894\r\n\x02RGI-T1-5\x03"),
            [code("4901234567894"), code("RGI-T1-5")]
        );
        assert_eq!(serial.feed(b"12345"), []);
        assert_eq!(serial.feed(b"67\t"), [code("1234567")]);
        assert_eq!(serial.feed(b"\r\n\r\n"), []);
        serial.feed(b"partial");
        assert_eq!(
            serial.end_of_input(),
            Some(Discard::Unfinished { chars: 7 })
        );
        assert_eq!(serial.feed(b"x\n"), [code("x")]);
    }
}
