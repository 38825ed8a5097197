//! Reading recorded HID report traces: what a scanner sent, saved for support cases and tests.
//!
//! Accepted (the format is detected, see [`parse_trace`]):
//! - raw binary: consecutive 8-byte boot reports (9-byte records with a report id when the length
//!   only fits that and every record starts with the same non-zero id);
//! - text, one report per line, as hex bytes in almost any spelling: `00 00 04 00 00 00 00 00`,
//!   `0000040000000000`, `0x00, 0x00, 0x04, …`, `00:00:04:…`, `00-00-04-…`, with `#` or `//`
//!   comments; labels or timestamps before the bytes and notes after them are skipped (hid-recorder `E: 0.000123 8 00 00 04 …` lines,
//!   usbmon `… C Ii:1:003:1 0:8 8 = 00000400 00000000` lines); other hid-recorder lines
//!   (`R:`, `N:`, `I:`, …) are ignored.
//!
//! In a text line the last run of hex bytes counts: 8 bytes are one report, 9 bytes a report id
//! (non-zero) and a report, a multiple of 8 several reports.

use std::fmt;

use super::hid::{BOOT_REPORT_LEN, HidScanDecoder};

/// One boot report.
pub type Report = [u8; BOOT_REPORT_LEN];

/// The reports of a trace and what was skipped on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    pub reports: Vec<Report>,
    pub warnings: Vec<TraceWarning>,
}

/// Something in a trace that was not a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceWarning {
    /// A text line with hex that does not make whole reports.
    Line { line: usize, bytes: usize },
    /// Bytes at the end of a binary trace that do not make a whole report.
    TrailingBytes(usize),
}

impl fmt::Display for TraceWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceWarning::Line { line, bytes } => write!(
                f,
                "line {line}: {bytes} hex bytes do not make an 8-byte report; skipped"
            ),
            TraceWarning::TrailingBytes(n) => {
                write!(
                    f,
                    "{n} bytes at the end do not make an 8-byte report; skipped"
                )
            }
        }
    }
}

/// Parses a trace, telling binary from text: a NUL byte or invalid UTF-8 means binary.
pub fn parse_trace(data: &[u8]) -> Trace {
    match std::str::from_utf8(data) {
        Ok(text) if !data.contains(&0) => parse_text(text),
        _ => parse_binary(data),
    }
}

/// Decodes a whole trace into codes, in order. Characters after the last terminator are returned
/// separately: they are not a scan.
pub fn decode_reports(reports: &[Report], decoder: &mut HidScanDecoder) -> (Vec<String>, String) {
    let codes = reports.iter().flat_map(|r| decoder.feed(r)).collect();
    (codes, decoder.pending().to_string())
}

fn parse_binary(data: &[u8]) -> Trace {
    let record = if !data.len().is_multiple_of(BOOT_REPORT_LEN) && has_report_id_records(data) {
        BOOT_REPORT_LEN + 1
    } else {
        BOOT_REPORT_LEN
    };
    let chunks = data.chunks_exact(record);
    let trailing = chunks.remainder().len();
    let reports = chunks
        .filter_map(|chunk| chunk[record - BOOT_REPORT_LEN..].try_into().ok())
        .collect();
    let warnings = if trailing > 0 {
        vec![TraceWarning::TrailingBytes(trailing)]
    } else {
        Vec::new()
    };
    Trace { reports, warnings }
}

/// 9-byte records each starting with the same non-zero report id.
fn has_report_id_records(data: &[u8]) -> bool {
    let record = BOOT_REPORT_LEN + 1;
    if data.is_empty() || !data.len().is_multiple_of(record) {
        return false;
    }
    let id = data[0];
    id != 0 && data.chunks_exact(record).all(|chunk| chunk[0] == id)
}

fn parse_text(text: &str) -> Trace {
    let mut trace = Trace::default();
    for (index, raw_line) in text.lines().enumerate() {
        let line = strip_comment(raw_line).trim();
        if line.is_empty() || is_hid_recorder_metadata(line) {
            continue;
        }
        match line_content(line) {
            LineContent::Nothing => {}
            LineContent::Reports(reports) => trace.reports.extend(reports),
            LineContent::Unusable(bytes) => trace.warnings.push(TraceWarning::Line {
                line: index + 1,
                bytes,
            }),
        }
    }
    trace
}

fn strip_comment(line: &str) -> &str {
    let end = [line.find('#'), line.find("//")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(line.len());
    &line[..end]
}

/// hid-recorder prints the device (`N:`, `P:`, `I:`), its report descriptor (`R:`) and more before
/// the events (`E:`); only the events are reports.
fn is_hid_recorder_metadata(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_uppercase() && bytes[1] == b':' && bytes[0] != b'E'
}

/// What one text line holds.
enum LineContent {
    Nothing,
    Reports(Vec<Report>),
    Unusable(usize),
}

/// Finds the report bytes in a line. Tokens are split on whitespace and `,;:=-[]{}()`; a token is
/// data when it is an even number of hex digits, optionally `0x`-prefixed. Consecutive data tokens
/// form runs; the last run that makes reports wins, so labels before and notes after the bytes
/// do no harm. A usbmon line only counts with its data words after `=`.
fn line_content(line: &str) -> LineContent {
    let data = match usbmon_data(line) {
        Some(Some(data)) => data,
        Some(None) => return LineContent::Nothing,
        None => line,
    };
    let tokens: Vec<Option<Vec<u8>>> = data
        .split(|c: char| c.is_whitespace() || ",;:=-[]{}()".contains(c))
        .filter(|t| !t.is_empty())
        .map(hex_token)
        .collect();
    let runs: Vec<&[Option<Vec<u8>>]> = tokens
        .split(Option::is_none)
        .filter(|run| !run.is_empty())
        .collect();
    let mut unusable = None;
    for run in runs.iter().rev() {
        let run: Vec<&[u8]> = run.iter().flatten().map(Vec::as_slice).collect();
        match reports_in_run(&run) {
            Ok(reports) => return LineContent::Reports(reports),
            Err(len) => unusable = unusable.or(Some(len)),
        }
    }
    unusable.map_or(LineContent::Nothing, LineContent::Unusable)
}

/// A run makes reports when it is 8 bytes, 9 bytes starting with a non-zero report id, or a
/// multiple of 8 bytes. Otherwise a leading multi-byte token (a counter or timestamp such as
/// `0012`) is taken for a label and dropped, and the rest is tried again. `Err(length)` if not.
fn reports_in_run(mut run: &[&[u8]]) -> Result<Vec<Report>, usize> {
    loop {
        let bytes: Vec<u8> = run.iter().flat_map(|t| t.iter().copied()).collect();
        match bytes.len() {
            BOOT_REPORT_LEN => return Ok(to_reports(&bytes)),
            9 if bytes[0] != 0 => return Ok(to_reports(&bytes[1..])),
            n if n > 0 && n.is_multiple_of(BOOT_REPORT_LEN) => return Ok(to_reports(&bytes)),
            n => match run.split_first() {
                Some((label, rest)) if label.len() > 1 && !rest.is_empty() => run = rest,
                _ => return Err(n),
            },
        }
    }
}

/// usbmon text lines (`URB-tag timestamp S|C|E Xy:bus:dev:ep …`): `Some(Some(data))` for the
/// words after `=`, `Some(None)` for a line without data, `None` for a line of another kind.
fn usbmon_data(line: &str) -> Option<Option<&str>> {
    let mut fields = line.split_whitespace();
    let _tag = fields.next()?;
    let _timestamp = fields.next()?;
    let event = fields.next()?;
    let address = fields.next()?;
    let is_usbmon = matches!(event, "S" | "C" | "E")
        && address.len() > 3
        && address.as_bytes()[0].is_ascii_uppercase()
        && matches!(address.as_bytes()[1], b'i' | b'o')
        && address.as_bytes()[2] == b':';
    if !is_usbmon {
        return None;
    }
    Some(line.split_once('=').map(|(_, data)| data))
}

fn hex_token(token: &str) -> Option<Vec<u8>> {
    let digits = token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"))
        .unwrap_or(token);
    if digits.is_empty()
        || !digits.len().is_multiple_of(2)
        || !digits.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    digits
        .as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

/// Splits whole reports off `bytes` (a multiple of 8 long).
fn to_reports(bytes: &[u8]) -> Vec<Report> {
    bytes
        .chunks_exact(BOOT_REPORT_LEN)
        .filter_map(|chunk| chunk.try_into().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Report = [0, 0, 4, 0, 0, 0, 0, 0];
    const UP: Report = [0; 8];

    #[test]
    fn text_in_many_spellings() {
        let text = "\
# a comment
00 00 04 00 00 00 00 00
0000000000000000   // released
0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
{0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x00},
00:00:04:00:00:00:00:00
";
        let trace = parse_trace(text.as_bytes());
        assert_eq!(trace.reports, [A, UP, A, UP, A]);
        assert!(trace.warnings.is_empty());
    }

    #[test]
    fn hid_recorder_output() {
        let text = "\
# Symbol Bar Code Scanner
N: Symbol Bar Code Scanner
I: 3 05e0 1200
R: 63 05 01 09 06 a1 01 05 07 19 e0 29 e7 15 00 25 01 75 01 95 08 81 02 95 01 75 08 81 01
E: 000000.000000 8 00 00 04 00 00 00 00 00
E: 000000.008123 8 00 00 00 00 00 00 00 00
E: 000000.016000 9 01 00 00 04 00 00 00 00 00
";
        let trace = parse_trace(text.as_bytes());
        assert_eq!(trace.reports, [A, UP, A]);
        assert!(trace.warnings.is_empty(), "{:?}", trace.warnings);
    }

    #[test]
    fn usbmon_output() {
        let text = "\
ffff8880b5f1c00 1433516336 S Ii:1:003:1 -115:8 8 <
ffff8880b5f1c00 1433524336 C Ii:1:003:1 0:8 8 = 00000400 00000000
";
        let trace = parse_trace(text.as_bytes());
        assert_eq!(trace.reports, [A]);
    }

    #[test]
    fn labels_and_timestamps_before_the_bytes() {
        let text = "0012 00 00 04 00 00 00 00 00\n[1.25] 00 00 00 00 00 00 00 00\n";
        assert_eq!(parse_trace(text.as_bytes()).reports, [A, UP]);
    }

    #[test]
    fn notes_after_the_bytes_and_dashes_between_them() {
        let text = "00 00 04 00 00 00 00 00 press a\n00-00-00-00-00-00-00-00 release\n";
        assert_eq!(parse_trace(text.as_bytes()).reports, [A, UP]);
    }

    #[test]
    fn usbmon_submissions_are_not_taken_for_data() {
        // An odd-length timestamp leaves the 8-byte URB tag alone in its run.
        let text = "ffff88003b5f1c00 143351633 S Ii:1:003:1 -115:8 8 <\n";
        let trace = parse_trace(text.as_bytes());
        assert!(trace.reports.is_empty() && trace.warnings.is_empty());
    }

    #[test]
    fn several_reports_on_one_line() {
        let text = "00 00 04 00 00 00 00 00 00 00 00 00 00 00 00 00\n";
        assert_eq!(parse_trace(text.as_bytes()).reports, [A, UP]);
    }

    #[test]
    fn short_lines_are_reported_not_guessed() {
        let text = "00 00 04\n00 00 04 00 00 00 00 00\n";
        let trace = parse_trace(text.as_bytes());
        assert_eq!(trace.reports, [A]);
        assert_eq!(trace.warnings, [TraceWarning::Line { line: 1, bytes: 3 }]);
    }

    #[test]
    fn binary_reports() {
        let mut data = A.to_vec();
        data.extend_from_slice(&UP);
        assert_eq!(parse_trace(&data).reports, [A, UP]);
        data.push(7);
        let trace = parse_trace(&data);
        assert_eq!(trace.reports, [A, UP]);
        assert_eq!(trace.warnings, [TraceWarning::TrailingBytes(1)]);
    }

    #[test]
    fn binary_reports_with_report_id() {
        let mut data = Vec::new();
        for r in [A, UP, A] {
            data.push(1);
            data.extend_from_slice(&r);
        }
        assert_eq!(parse_trace(&data).reports, [A, UP, A]);
    }

    #[test]
    fn empty_input_is_an_empty_trace() {
        assert_eq!(parse_trace(b""), Trace::default());
    }
}
