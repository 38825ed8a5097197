//! HID boot-keyboard reports → keystrokes → scanned codes.
//!
//! A scanner in USB HID keyboard mode "types" each code: 8-byte boot reports
//! `[modifiers, reserved, key1..key6]`, one per key change. [`HidKeyboardDecoder`] turns reports into
//! keystrokes the way an OS would (a key types once when it appears, however long it stays in the
//! report), [`ScanAssembler`] collects keystrokes into codes ending at Enter or Tab, and
//! [`HidScanDecoder`] chains the two.

use serde::{Deserialize, Serialize};

use super::{keymap_jis, keymap_us};

/// Length of a boot-protocol keyboard input report.
pub const BOOT_REPORT_LEN: usize = 8;

/// Longest code kept; a longer run without a terminator is noise and is dropped.
pub const MAX_SCAN_CHARS: usize = 4096;

/// The keyboard layout the scanner is set to emulate (scanners default to US; many in Japan are
/// set to JIS so that they type correctly into Windows machines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyboardLayout {
    #[default]
    Us,
    Jis,
}

/// One decoded keystroke. Only what matters for scanning: characters and the two terminators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStroke {
    Char(char),
    Enter,
    Tab,
}

const LEFT_CTRL: u8 = 0x01;
const LEFT_SHIFT: u8 = 0x02;
const LEFT_ALT: u8 = 0x04;
const LEFT_GUI: u8 = 0x08;
const RIGHT_CTRL: u8 = 0x10;
const RIGHT_SHIFT: u8 = 0x20;
const RIGHT_ALT: u8 = 0x40;
const RIGHT_GUI: u8 = 0x80;

const USAGE_ENTER: u8 = 0x28;
const USAGE_TAB: u8 = 0x2B;
const USAGE_SPACE: u8 = 0x2C;
const USAGE_CAPS_LOCK: u8 = 0x39;
const USAGE_KEYPAD_ENTER: u8 = 0x58;

/// Decodes boot reports into keystrokes, remembering which keys are down.
#[derive(Debug, Clone)]
pub struct HidKeyboardDecoder {
    layout: KeyboardLayout,
    previous: [u8; 6],
    caps_lock: bool,
}

impl HidKeyboardDecoder {
    pub fn new(layout: KeyboardLayout) -> Self {
        HidKeyboardDecoder {
            layout,
            previous: [0; 6],
            caps_lock: false,
        }
    }

    /// Forgets held keys and Caps Lock, e.g. after the device was replugged.
    pub fn reset(&mut self) {
        self.previous = [0; 6];
        self.caps_lock = false;
    }

    /// Appends the keystrokes of one report to `out`.
    ///
    /// A key types when its usage is in this report but not in the previous one, in array order, so
    /// held keys and repeated reports type nothing more and rollover types each new key once.
    /// Phantom reports (ErrorRollOver, POSTFail, ErrorUndefined in the key array) are skipped
    /// without touching the remembered state.
    pub fn decode(&mut self, report: &[u8; BOOT_REPORT_LEN], out: &mut Vec<KeyStroke>) {
        let modifiers = report[0];
        let mut keys = [0u8; 6];
        keys.copy_from_slice(&report[2..]);
        if keys.iter().any(|k| (0x01..=0x03).contains(k)) {
            return;
        }
        for (i, &usage) in keys.iter().enumerate() {
            let newly_pressed =
                usage != 0 && !self.previous.contains(&usage) && !keys[..i].contains(&usage);
            if newly_pressed && let Some(stroke) = self.press(usage, modifiers) {
                out.push(stroke);
            }
        }
        self.previous = keys;
    }

    fn press(&mut self, usage: u8, modifiers: u8) -> Option<KeyStroke> {
        let shift = modifiers & (LEFT_SHIFT | RIGHT_SHIFT) != 0;
        if modifiers & (LEFT_ALT | RIGHT_ALT | LEFT_GUI | RIGHT_GUI) != 0 {
            return None;
        }
        if modifiers & (LEFT_CTRL | RIGHT_CTRL) != 0 {
            return control_terminator(usage);
        }
        if usage == USAGE_CAPS_LOCK {
            // On a JIS board the key alone is 英数; Shift+英数 is Caps Lock.
            if self.layout == KeyboardLayout::Us || shift {
                self.caps_lock = !self.caps_lock;
            }
            return None;
        }
        let stroke = match usage {
            0x04..=0x1D => {
                let letter = char::from(b'a' + (usage - 0x04));
                if shift != self.caps_lock {
                    KeyStroke::Char(letter.to_ascii_uppercase())
                } else {
                    KeyStroke::Char(letter)
                }
            }
            USAGE_ENTER | USAGE_KEYPAD_ENTER => KeyStroke::Enter,
            USAGE_TAB => KeyStroke::Tab,
            USAGE_SPACE => KeyStroke::Char(' '),
            _ => KeyStroke::Char(keypad(usage).or_else(|| self.layout_symbol(usage, shift))?),
        };
        Some(stroke)
    }

    fn layout_symbol(&self, usage: u8, shift: bool) -> Option<char> {
        let (plain, shifted) = match self.layout {
            KeyboardLayout::Us => keymap_us::symbol(usage)?,
            KeyboardLayout::Jis => keymap_jis::symbol(usage)?,
        };
        if shift { shifted } else { Some(plain) }
    }
}

/// Keypad keys type the same in every layout (Num Lock assumed on, as scanners expect).
fn keypad(usage: u8) -> Option<char> {
    let c = match usage {
        0x54 => '/',
        0x55 => '*',
        0x56 => '-',
        0x57 => '+',
        0x59..=0x61 => char::from(b'1' + (usage - 0x59)),
        0x62 => '0',
        0x63 => '.',
        0x67 => '=',
        0x85 => ',',
        _ => return None,
    };
    Some(c)
}

/// Scanners can be set to end codes with Ctrl+M (CR), Ctrl+J (LF) or Ctrl+I (HT); other control
/// chords type nothing.
fn control_terminator(usage: u8) -> Option<KeyStroke> {
    match usage {
        0x10 | 0x0D => Some(KeyStroke::Enter),
        0x0C => Some(KeyStroke::Tab),
        _ => None,
    }
}

/// Collects keystrokes into codes: a terminator ends a code, the configured prefix and suffix are
/// cut off, and an empty code (a stray Enter) is no scan.
#[derive(Debug, Clone, Default)]
pub struct ScanAssembler {
    buffer: String,
    chars: usize,
    overflowed: bool,
    prefix: String,
    suffix: String,
}

impl ScanAssembler {
    pub fn new(prefix: impl Into<String>, suffix: impl Into<String>) -> Self {
        ScanAssembler {
            prefix: prefix.into(),
            suffix: suffix.into(),
            ..ScanAssembler::default()
        }
    }

    /// Adds a keystroke; returns the finished code when it was a terminator ending a code.
    pub fn push(&mut self, stroke: KeyStroke) -> Option<String> {
        match stroke {
            KeyStroke::Char(c) => {
                if self.chars < MAX_SCAN_CHARS {
                    self.buffer.push(c);
                    self.chars += 1;
                } else {
                    self.overflowed = true;
                }
                None
            }
            KeyStroke::Enter | KeyStroke::Tab => {
                let overflowed = self.overflowed;
                let raw = self.take_pending();
                if overflowed {
                    return None;
                }
                let code = strip_affixes(&raw, &self.prefix, &self.suffix);
                (!code.is_empty()).then(|| code.to_string())
            }
        }
    }

    /// Characters typed since the last terminator.
    pub fn pending(&self) -> &str {
        &self.buffer
    }

    /// Drops and returns the characters typed since the last terminator.
    pub fn take_pending(&mut self) -> String {
        self.chars = 0;
        self.overflowed = false;
        std::mem::take(&mut self.buffer)
    }
}

/// Cuts a configured prefix and suffix off a code; a code without them is left as it is.
pub fn strip_affixes<'a>(code: &'a str, prefix: &str, suffix: &str) -> &'a str {
    let code = code.strip_prefix(prefix).unwrap_or(code);
    code.strip_suffix(suffix).unwrap_or(code)
}

/// Boot reports in, finished codes out.
#[derive(Debug, Clone)]
pub struct HidScanDecoder {
    keys: HidKeyboardDecoder,
    assembler: ScanAssembler,
    strokes: Vec<KeyStroke>,
}

impl HidScanDecoder {
    pub fn new(layout: KeyboardLayout, prefix: &str, suffix: &str) -> Self {
        HidScanDecoder {
            keys: HidKeyboardDecoder::new(layout),
            assembler: ScanAssembler::new(prefix, suffix),
            strokes: Vec::new(),
        }
    }

    /// Feeds one report; returns the codes it finished (usually none, at most a few).
    pub fn feed(&mut self, report: &[u8; BOOT_REPORT_LEN]) -> Vec<String> {
        self.strokes.clear();
        self.keys.decode(report, &mut self.strokes);
        self.strokes
            .iter()
            .filter_map(|&stroke| self.assembler.push(stroke))
            .collect()
    }

    /// Characters typed but not yet terminated.
    pub fn pending(&self) -> &str {
        self.assembler.pending()
    }

    /// Forgets held keys and any unterminated code (after a reconnect).
    pub fn reset(&mut self) {
        self.keys.reset();
        self.assembler.take_pending();
    }
}

/// The boot report inside one interrupt transfer: 8 bytes as is; 9 bytes are a report id followed
/// by the report; longer transfers are padded to the endpoint size and start with the report.
pub fn frame_boot_report(transfer: &[u8]) -> Option<&[u8; BOOT_REPORT_LEN]> {
    let report = match transfer.len() {
        9 => &transfer[1..],
        n if n >= BOOT_REPORT_LEN => &transfer[..BOOT_REPORT_LEN],
        _ => return None,
    };
    report.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(modifiers: u8, keys: &[u8]) -> [u8; 8] {
        let mut r = [0u8; 8];
        r[0] = modifiers;
        r[2..2 + keys.len()].copy_from_slice(keys);
        r
    }

    fn typed(layout: KeyboardLayout, reports: &[[u8; 8]]) -> String {
        let mut decoder = HidKeyboardDecoder::new(layout);
        let mut out = Vec::new();
        for r in reports {
            decoder.decode(r, &mut out);
        }
        out.iter()
            .map(|s| match s {
                KeyStroke::Char(c) => *c,
                KeyStroke::Enter => '⏎',
                KeyStroke::Tab => '⇥',
            })
            .collect()
    }

    /// Each key pressed then released, with the given modifiers.
    fn taps(keys: &[(u8, u8)]) -> Vec<[u8; 8]> {
        keys.iter()
            .flat_map(|&(m, k)| [report(m, &[k]), report(0, &[])])
            .collect()
    }

    #[test]
    fn letters_digits_and_shift() {
        let r = taps(&[
            (0, 0x04),
            (LEFT_SHIFT, 0x05),
            (RIGHT_SHIFT, 0x1D),
            (0, 0x1E),
            (0, 0x27),
        ]);
        assert_eq!(typed(KeyboardLayout::Us, &r), "aBZ10");
    }

    #[test]
    fn held_key_and_repeated_reports_type_once() {
        let r = [
            report(0, &[0x04]),
            report(0, &[0x04]),
            report(0, &[0x04]),
            report(0, &[]),
        ];
        assert_eq!(typed(KeyboardLayout::Us, &r), "a");
    }

    #[test]
    fn rollover_types_each_new_key_once_in_array_order() {
        let r = [
            report(0, &[0x04]),
            report(0, &[0x04, 0x05]),
            report(0, &[0x05]),
            report(0, &[0x05, 0x06, 0x07]),
            report(0, &[]),
        ];
        assert_eq!(typed(KeyboardLayout::Us, &r), "abcd");
    }

    #[test]
    fn phantom_report_is_ignored_and_keeps_state() {
        let r = [
            report(0, &[0x04]),
            report(0, &[1, 1, 1, 1, 1, 1]),
            report(0, &[0x04]),
            report(0, &[0x04, 0x05]),
        ];
        assert_eq!(typed(KeyboardLayout::Us, &r), "ab");
    }

    #[test]
    fn terminators() {
        let r = taps(&[(0, USAGE_ENTER), (0, USAGE_KEYPAD_ENTER), (0, USAGE_TAB)]);
        assert_eq!(typed(KeyboardLayout::Us, &r), "⏎⏎⇥");
        let r = taps(&[(LEFT_CTRL, 0x10), (RIGHT_CTRL, 0x0C), (LEFT_CTRL, 0x04)]);
        assert_eq!(typed(KeyboardLayout::Us, &r), "⏎⇥");
    }

    #[test]
    fn us_and_jis_differ_on_symbols() {
        let keys: Vec<(u8, u8)> = [
            0x1F, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2D, 0x2E, 0x2F, 0x33, 0x34,
        ]
        .iter()
        .map(|&k| (LEFT_SHIFT, k))
        .collect();
        assert_eq!(typed(KeyboardLayout::Us, &taps(&keys)), "@^&*()_+{:\"");
        assert_eq!(typed(KeyboardLayout::Jis, &taps(&keys)), "\"&'()=~`+*");
        let plain: Vec<(u8, u8)> = [0x2E, 0x2F, 0x30, 0x32, 0x33, 0x34, 0x87, 0x89]
            .iter()
            .map(|&k| (0, k))
            .collect();
        assert_eq!(typed(KeyboardLayout::Jis, &taps(&plain)), "^@[];:\\\\");
        assert_eq!(
            typed(
                KeyboardLayout::Jis,
                &taps(&[(LEFT_SHIFT, 0x87), (LEFT_SHIFT, 0x89)])
            ),
            "_|"
        );
    }

    #[test]
    fn keypad_types_digits_and_operators() {
        let keys: Vec<(u8, u8)> = (0x54..=0x63).map(|k| (0, k)).collect();
        assert_eq!(typed(KeyboardLayout::Jis, &taps(&keys)), "/*-+⏎1234567890.");
    }

    #[test]
    fn caps_lock_inverts_letters_only() {
        let r = taps(&[
            (0, USAGE_CAPS_LOCK),
            (0, 0x04),
            (LEFT_SHIFT, 0x05),
            (0, 0x1E),
        ]);
        assert_eq!(typed(KeyboardLayout::Us, &r), "Ab1");
        // JIS: the key alone is 英数 and leaves letters alone.
        let r = taps(&[(0, USAGE_CAPS_LOCK), (0, 0x04)]);
        assert_eq!(typed(KeyboardLayout::Jis, &r), "a");
    }

    #[test]
    fn alt_and_gui_chords_type_nothing() {
        let r = taps(&[(LEFT_ALT, 0x04), (RIGHT_GUI, 0x05), (RIGHT_ALT, 0x06)]);
        assert_eq!(typed(KeyboardLayout::Us, &r), "");
    }

    #[test]
    fn assembler_strips_affixes_and_skips_empty_codes() {
        let mut a = ScanAssembler::new("]E0", "X");
        assert_eq!(a.push(KeyStroke::Enter), None);
        for c in "]E04901234567894X".chars() {
            assert_eq!(a.push(KeyStroke::Char(c)), None);
        }
        assert_eq!(a.push(KeyStroke::Tab), Some("4901234567894".into()));
        for c in "]E0X".chars() {
            a.push(KeyStroke::Char(c));
        }
        assert_eq!(a.push(KeyStroke::Enter), None);
        for c in "abc".chars() {
            a.push(KeyStroke::Char(c));
        }
        assert_eq!(a.push(KeyStroke::Enter), Some("abc".into()));
    }

    #[test]
    fn assembler_drops_overlong_runs() {
        let mut a = ScanAssembler::new("", "");
        for _ in 0..=MAX_SCAN_CHARS {
            a.push(KeyStroke::Char('1'));
        }
        assert_eq!(a.push(KeyStroke::Enter), None);
        a.push(KeyStroke::Char('1'));
        assert_eq!(a.push(KeyStroke::Enter), Some("1".into()));
    }

    #[test]
    fn scan_decoder_emits_codes_at_terminators() {
        let mut d = HidScanDecoder::new(KeyboardLayout::Us, "", "");
        let mut codes = Vec::new();
        for r in taps(&[
            (0, 0x1E),
            (0, 0x1F),
            (0, USAGE_ENTER),
            (0, 0x20),
            (0, USAGE_TAB),
        ]) {
            codes.extend(d.feed(&r));
        }
        assert_eq!(codes, ["12", "3"]);
        d.feed(&report(0, &[0x04]));
        assert_eq!(d.pending(), "a");
        d.reset();
        assert_eq!(d.pending(), "");
    }

    #[test]
    fn framing_of_interrupt_transfers() {
        let r = report(0, &[0x04]);
        assert_eq!(frame_boot_report(&r), Some(&r));
        let mut with_id = vec![1u8];
        with_id.extend_from_slice(&r);
        assert_eq!(frame_boot_report(&with_id), Some(&r));
        let mut padded = r.to_vec();
        padded.resize(64, 0);
        assert_eq!(frame_boot_report(&padded), Some(&r));
        assert_eq!(frame_boot_report(&r[..7]), None);
    }
}
