//! US (ANSI 104) layout: HID keyboard usage → character, unshifted and shifted.
//!
//! Letters, keypad and control keys are shared with JIS and handled in `hid.rs`; this table holds
//! only what differs between layouts: the digit row's shifted symbols and the punctuation keys.

/// `(unshifted, shifted)` for a layout-dependent usage; `None` for a key that types nothing here.
pub fn symbol(usage: u8) -> Option<(char, Option<char>)> {
    let pair = match usage {
        0x1E => ('1', '!'),
        0x1F => ('2', '@'),
        0x20 => ('3', '#'),
        0x21 => ('4', '$'),
        0x22 => ('5', '%'),
        0x23 => ('6', '^'),
        0x24 => ('7', '&'),
        0x25 => ('8', '*'),
        0x26 => ('9', '('),
        0x27 => ('0', ')'),
        0x2D => ('-', '_'),
        0x2E => ('=', '+'),
        0x2F => ('[', '{'),
        0x30 => (']', '}'),
        0x31 => ('\\', '|'),
        // Non-US `#`: absent on ANSI boards; Linux and Windows treat it as the backslash key.
        0x32 => ('\\', '|'),
        0x33 => (';', ':'),
        0x34 => ('\'', '"'),
        0x35 => ('`', '~'),
        0x36 => (',', '<'),
        0x37 => ('.', '>'),
        0x38 => ('/', '?'),
        _ => return None,
    };
    Some((pair.0, Some(pair.1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_digits_follow_the_us_row() {
        let shifted: String = (0x1E..=0x27)
            .filter_map(|u| symbol(u).and_then(|(_, s)| s))
            .collect();
        assert_eq!(shifted, "!@#$%^&*()");
    }

    #[test]
    fn japanese_keys_type_nothing() {
        assert_eq!(symbol(0x87), None);
        assert_eq!(symbol(0x89), None);
    }
}
