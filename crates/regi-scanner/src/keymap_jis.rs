//! JIS (109-key) layout: HID keyboard usage → character, unshifted and shifted.
//!
//! As a Japanese keyboard types with the OS set to a JIS layout (Windows "106/109", X11 `jp`):
//! the digit row shifts to `!"#$%&'()` and Shift+0 types nothing; `^~`, `@``, `[{`, `;+`, `:*`, `]}`
//! replace the US punctuation; the ろ key (0x87) types `\` and `_`, the ¥ key (0x89) `\` and `|`
//! (0x89 is the yen sign on screen in Japanese fonts, the byte is a backslash). 0x31 and 0x32 both
//! reach the `]}` key, as the OS maps them to one key. 半角/全角 (0x35), かな, 変換 and 無変換 type
//! nothing.

/// `(unshifted, shifted)` for a layout-dependent usage; `None` for a key that types nothing here.
pub fn symbol(usage: u8) -> Option<(char, Option<char>)> {
    let pair = match usage {
        0x1E => ('1', Some('!')),
        0x1F => ('2', Some('"')),
        0x20 => ('3', Some('#')),
        0x21 => ('4', Some('$')),
        0x22 => ('5', Some('%')),
        0x23 => ('6', Some('&')),
        0x24 => ('7', Some('\'')),
        0x25 => ('8', Some('(')),
        0x26 => ('9', Some(')')),
        0x27 => ('0', None),
        0x2D => ('-', Some('=')),
        0x2E => ('^', Some('~')),
        0x2F => ('@', Some('`')),
        0x30 => ('[', Some('{')),
        0x31 | 0x32 => (']', Some('}')),
        0x33 => (';', Some('+')),
        0x34 => (':', Some('*')),
        0x36 => (',', Some('<')),
        0x37 => ('.', Some('>')),
        0x38 => ('/', Some('?')),
        0x87 => ('\\', Some('_')),
        0x89 => ('\\', Some('|')),
        _ => return None,
    };
    Some(pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_digits_follow_the_jis_row() {
        let shifted: String = (0x1E..=0x26)
            .filter_map(|u| symbol(u).and_then(|(_, s)| s))
            .collect();
        assert_eq!(shifted, "!\"#$%&'()");
        assert_eq!(symbol(0x27), Some(('0', None)));
    }

    #[test]
    fn zenkaku_hankaku_types_nothing() {
        assert_eq!(symbol(0x35), None);
        assert_eq!(symbol(0x88), None);
    }
}
