//! Kana → romaji and full-width → ASCII, for printers without a Kanji font. Kanji cannot be
//! transliterated without a dictionary and stay as they are (the ASCII encoder prints them as `?`).

/// Romaji for the katakana block U+30A1..=U+30F6; "" marks the small tsu (doubles what follows).
const KATAKANA: [&str; 86] = [
    "a", "a", "i", "i", "u", "u", "e", "e", "o", "o", // ァ..オ
    "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go", // カ..ゴ
    "sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo", // サ..ゾ
    "ta", "da", "chi", "ji", "", "tsu", "zu", "te", "de", "to", "do", // タ..ド
    "na", "ni", "nu", "ne", "no", // ナ..ノ
    "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he", "be", "pe", "ho", "bo",
    "po", // ハ..ポ
    "ma", "mi", "mu", "me", "mo", // マ..モ
    "ya", "ya", "yu", "yu", "yo", "yo", // ャ..ヨ
    "ra", "ri", "ru", "re", "ro", // ラ..ロ
    "wa", "wa", "i", "e", "o", "n", "vu", "ka", "ke", // ヮ..ヶ
];

/// Half-width katakana U+FF66..=U+FF9D as full-width katakana.
const HALF_WIDTH: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// Plain-ASCII rendering of Japanese text: kana become romaji, full-width ASCII becomes ASCII,
/// common punctuation its ASCII look-alike. Other characters pass through unchanged.
pub fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut double_next = false;
    for c in normalise_kana(text) {
        if let Some(romaji) = katakana_romaji(c) {
            if romaji.is_empty() {
                double_next = true;
                continue;
            }
            if is_small_y(c) || is_small_vowel(c) {
                attach_small_kana(&mut out, romaji);
            } else {
                if double_next {
                    out.push_str(&romaji[..1]);
                }
                out.push_str(romaji);
            }
            double_next = false;
            continue;
        }
        double_next = false;
        match c {
            'ー' | 'ｰ' | '〜' | '～' | '−' | '―' | '—' => out.push('-'),
            '\u{FF01}'..='\u{FF5E}' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or('?'));
            }
            '\u{3000}' => out.push(' '),
            '￥' => out.push('¥'),
            '※' => out.push('*'),
            '、' | '､' => out.push(','),
            '。' | '｡' | '・' | '･' => out.push('.'),
            '「' | '」' | '『' | '』' | '｢' | '｣' => out.push('"'),
            '【' | '〔' => out.push('['),
            '】' | '〕' => out.push(']'),
            '×' => out.push('x'),
            _ => out.push(c),
        }
    }
    out
}

/// Hiragana and half-width katakana as full-width katakana, voiced marks folded in.
fn normalise_kana(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            '\u{FF66}'..='\u{FF9D}' => HALF_WIDTH.chars().nth(c as usize - 0xFF66).unwrap_or(c),
            'ﾞ' | '゛' | '\u{3099}' | 'ﾟ' | '゜' | '\u{309A}' => {
                let step = if matches!(c, 'ﾞ' | '゛' | '\u{3099}') {
                    1
                } else {
                    2
                };
                if let Some(voiced) = out.last().and_then(|&prev| voiced(prev, step)) {
                    out.pop();
                    out.push(voiced);
                }
                continue;
            }
            c => c,
        };
        out.push(c);
    }
    out
}

/// The voiced (step 1, ゛) or half-voiced (step 2, ゜) form of a katakana, where it exists.
fn voiced(base: char, step: u32) -> Option<char> {
    let code = base as u32;
    let voiceable = match step {
        1 => matches!(
            base,
            'カ' | 'キ'
                | 'ク'
                | 'ケ'
                | 'コ'
                | 'サ'
                | 'シ'
                | 'ス'
                | 'セ'
                | 'ソ'
                | 'タ'
                | 'チ'
                | 'ツ'
                | 'テ'
                | 'ト'
                | 'ハ'
                | 'ヒ'
                | 'フ'
                | 'ヘ'
                | 'ホ'
        ),
        _ => matches!(base, 'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ'),
    };
    if base == 'ウ' && step == 1 {
        return Some('ヴ');
    }
    voiceable.then(|| char::from_u32(code + step)).flatten()
}

fn katakana_romaji(c: char) -> Option<&'static str> {
    let index = (c as u32).checked_sub(0x30A1)? as usize;
    KATAKANA.get(index).copied()
}

fn is_small_y(c: char) -> bool {
    matches!(c, 'ャ' | 'ュ' | 'ョ')
}

fn is_small_vowel(c: char) -> bool {
    matches!(c, 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ')
}

/// キ+ャ → kya, シ+ャ → sha, フ+ァ → fa: the small kana replaces the previous syllable's vowel.
fn attach_small_kana(out: &mut String, romaji: &str) {
    let vowel = &romaji[romaji.len() - 1..];
    let y_glide = romaji.len() == 2;
    match out.chars().last() {
        Some('i') if y_glide => {
            out.pop();
            let palatal = out.ends_with("sh") || out.ends_with("ch") || out.ends_with('j');
            if !palatal {
                out.push('y');
            }
            out.push_str(vowel);
        }
        Some('a' | 'i' | 'u' | 'e' | 'o') if !y_glide => {
            out.pop();
            out.push_str(vowel);
        }
        _ => out.push_str(romaji),
    }
}

#[cfg(test)]
mod tests {
    use super::transliterate;

    #[test]
    fn kana_become_romaji() {
        assert_eq!(transliterate("おにぎり"), "onigiri");
        assert_eq!(transliterate("コーヒー"), "ko-hi-");
        assert_eq!(transliterate("きっぷ"), "kippu");
        assert_eq!(transliterate("しゃけ ちょこ きゃら"), "shake choko kyara");
        assert_eq!(transliterate("ファミリー"), "famiri-");
        assert_eq!(transliterate("ｶﾞﾑ ﾊﾟﾝ"), "gamu pan");
        assert_eq!(transliterate("が\u{3099}"), "ga");
    }

    #[test]
    fn full_width_ascii_and_punctuation_fold() {
        assert_eq!(transliterate("ＡＢＣ　１２３"), "ABC 123");
        assert_eq!(transliterate("【再発行】"), "[再発行]");
    }
}
