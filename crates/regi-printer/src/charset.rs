//! Text → printer bytes. One byte is one printed column, so a string's width on paper is the length of
//! its encoding: Shift_JIS double-byte characters (Kanji, ※, full-width forms) take two columns,
//! ASCII and half-width katakana one. Layout measures with the same encoder that prints, so rows line up
//! exactly as the printer renders them (East Asian "ambiguous" characters such as ※ included).

use encoding_rs::SHIFT_JIS;

use super::romaji;

/// How a profile's printer turns bytes into glyphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Kanji mode, Shift_JIS code system (`FS C 1`), Japan international set (`ESC R 8`: 0x5C is ¥)
    /// and the Katakana code table (`ESC t 1`: 0xA1–0xDF are half-width kana).
    ShiftJis,
    /// No Kanji font: printable ASCII only (Japan international set, so 0x5C still prints ¥).
    /// Japanese text is transliterated (kana → romaji); what cannot be becomes `?`.
    Ascii,
}

/// The byte a character becomes when the printer has no glyph for it.
pub const REPLACEMENT: u8 = b'?';

impl Charset {
    pub fn has_kanji(self) -> bool {
        matches!(self, Charset::ShiftJis)
    }

    /// Printer bytes for `text`. Never fails and never yields a control byte: anything the printer cannot
    /// show becomes a near equivalent or `?`, control characters become spaces.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Charset::ShiftJis => encode_shift_jis(text),
            Charset::Ascii => encode_ascii(text),
        }
    }

    /// Printed width of `text` in columns (at normal size).
    pub fn columns(self, text: &str) -> usize {
        self.encode(text).len()
    }
}

fn encode_shift_jis(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match premap_for_jis(c) {
            Premapped::Drop => {}
            Premapped::Text(s) => {
                for c in s.chars() {
                    push_jis_char(&mut out, c, &mut buf);
                }
            }
            Premapped::Char(c) => push_jis_char(&mut out, c, &mut buf),
        }
    }
    out
}

fn push_jis_char(out: &mut Vec<u8>, c: char, buf: &mut [u8; 4]) {
    if c.is_control() {
        out.push(b' ');
        return;
    }
    let (bytes, _, unmappable) = SHIFT_JIS.encode(c.encode_utf8(buf));
    match bytes.as_ref() {
        [b] if !unmappable && (matches!(b, 0x20..=0x7E | 0xA1..=0xDF)) => out.push(*b),
        [lead, trail] if !unmappable && is_jis_x0208_lead(*lead) => {
            out.push(*lead);
            out.push(*trail);
        }
        _ => out.push(REPLACEMENT),
    }
}

/// Lead bytes of JIS X 0208 rows (1–8 and 16–84). Row 13 (NEC specials, 0x87), the IBM extensions
/// (0xED–0xEE, 0xFA–0xFC) and user-defined rows are not in a JIS X 0208 printer font.
fn is_jis_x0208_lead(lead: u8) -> bool {
    matches!(lead, 0x81..=0x84 | 0x88..=0x9F | 0xE0..=0xEA)
}

enum Premapped {
    Char(char),
    Text(&'static str),
    Drop,
}

/// Characters Shift_JIS (or a JIS X 0208 font) lacks, mapped to what a reader expects instead.
fn premap_for_jis(c: char) -> Premapped {
    use Premapped::*;
    match c {
        // Japan international set prints 0x5C as ¥ and 0x7E as ‾: keep the ASCII meaning visible.
        '\\' => Char('＼'),
        '~' => Char('～'),
        '〜' => Char('～'),
        '−' => Char('－'),
        '—' => Char('―'),
        '‖' => Char('∥'),
        '¢' => Char('￠'),
        '£' => Char('￡'),
        '¬' => Char('￢'),
        '\u{3099}' => Char('゛'),
        '\u{309A}' => Char('゜'),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' => Drop,
        // NEC row 13 and IBM extensions: common in names, missing from JIS X 0208 fonts.
        '①'..='⑳' => Text(CIRCLED[(c as usize) - ('①' as usize)]),
        '㈱' => Text("(株)"),
        '㈲' => Text("(有)"),
        '№' => Text("No."),
        '℡' => Text("TEL"),
        '髙' => Char('高'),
        '﨑' => Char('崎'),
        '德' => Char('徳'),
        '栁' => Char('柳'),
        '邊' | '邉' => Char('辺'),
        _ => Char(c),
    }
}

const CIRCLED: [&str; 20] = [
    "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)",
    "(14)", "(15)", "(16)", "(17)", "(18)", "(19)", "(20)",
];

fn encode_ascii(text: &str) -> Vec<u8> {
    romaji::transliterate(text)
        .chars()
        .map(|c| match c {
            '¥' => 0x5C,
            '\\' | '~' => REPLACEMENT,
            c if c.is_control() => b' ',
            c if c.is_ascii() => c as u8,
            _ => REPLACEMENT,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sjis(text: &str) -> Vec<u8> {
        Charset::ShiftJis.encode(text)
    }

    #[test]
    fn kanji_and_kana_encode_as_shift_jis() {
        assert_eq!(sjis("領収書"), [0x97, 0xCC, 0x8E, 0xFB, 0x8F, 0x91]);
        assert_eq!(sjis("※"), [0x81, 0xA6]);
        assert_eq!(Charset::ShiftJis.columns("※は軽減税率"), 12);
    }

    #[test]
    fn yen_sign_is_the_japan_set_backslash_byte() {
        assert_eq!(sjis("¥1,234"), b"\x5C1,234");
        assert_eq!(sjis("￥"), [0x81, 0x8F]);
        // A real backslash would print as ¥, so it goes full-width.
        assert_eq!(sjis("\\"), [0x81, 0x5F]);
    }

    #[test]
    fn wave_dash_and_minus_map_to_full_width_forms() {
        assert_eq!(sjis("〜"), sjis("～"));
        assert_eq!(sjis("〜"), [0x81, 0x60]);
        assert_eq!(sjis("−"), sjis("－"));
        assert_eq!(sjis("~"), [0x81, 0x60]);
    }

    #[test]
    fn half_width_kana_are_single_bytes() {
        assert_eq!(sjis("ｱｲｳ"), [0xB1, 0xB2, 0xB3]);
        assert_eq!(sjis("ｶﾞ"), [0xB6, 0xDE]);
        assert_eq!(Charset::ShiftJis.columns("ｺｰﾋｰ"), 4);
    }

    #[test]
    fn emoji_and_characters_outside_jis_x0208_become_question_marks() {
        assert_eq!(sjis("🍙"), b"?");
        assert_eq!(sjis("👍🏽"), b"??");
        assert_eq!(sjis("❤️"), b"?");
        assert_eq!(sjis("𠮷"), b"?");
        assert_eq!(sjis("Ä"), b"?");
        assert_eq!(sjis("\u{E000}"), b"?");
        assert_eq!(sjis("㍉"), b"?");
    }

    #[test]
    fn common_extension_characters_get_near_equivalents() {
        assert_eq!(sjis("髙橋"), sjis("高橋"));
        assert_eq!(sjis("㈱"), sjis("(株)"));
        assert_eq!(sjis("②"), b"(2)");
    }

    #[test]
    fn control_characters_never_reach_the_printer() {
        assert_eq!(sjis("a\x1b@b\nc\td"), b"a @b c d");
        assert_eq!(Charset::Ascii.encode("a\x1b@\x10"), b"a @ ");
    }

    #[test]
    fn every_encoded_byte_is_printable() {
        let nasty = "\u{0}\u{7f}\u{80}\u{9f}ｰ｡ﾟ\u{FFFF}\u{10FFFF}漢字※¥\\~〜";
        for b in Charset::ShiftJis.encode(nasty) {
            assert!(b >= 0x20 && b != 0x7F, "byte {b:#04x}");
        }
        for b in Charset::Ascii.encode(nasty) {
            assert!((0x20..0x7F).contains(&b), "byte {b:#04x}");
        }
    }

    #[test]
    fn ascii_charset_transliterates_kana_and_keeps_yen() {
        assert_eq!(Charset::Ascii.encode("おにぎり ¥150"), b"onigiri \x5C150");
        assert_eq!(Charset::Ascii.encode("鮭"), b"?");
        assert_eq!(Charset::Ascii.encode("ＡＢＣ１"), b"ABC1");
    }
}
