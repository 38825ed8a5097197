//! What a printer model can do: line width, Kanji font, native QR. Layout and rendering adapt to it.

use super::charset::Charset;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    pub description: &'static str,
    /// Font A columns per line at normal size.
    pub columns: usize,
    /// Printable width in dots, for raster images.
    pub paper_dots: usize,
    /// Has a Kanji (JIS X 0208) font and Shift_JIS Kanji mode; otherwise text is ASCII.
    pub kanji: bool,
    /// Understands `GS ( k` QR commands; otherwise QR codes are rasterised (`GS v 0`).
    pub native_qr: bool,
    /// QR module size in dots.
    pub qr_module_dots: u8,
}

/// Epson TM-T20III: 80 mm, 203 dpi, 576 dots, 48 columns.
pub const TM_T20III: Profile = Profile {
    name: "tm-t20iii",
    description: "Epson TM-T20III, 80 mm, 48 columns, Kanji, native QR",
    columns: 48,
    paper_dots: 576,
    kanji: true,
    native_qr: true,
    qr_module_dots: 6,
};

/// Epson TM-T88 (V/VI/VII), 80 mm, 512 dots. Counted as 48 columns like the TM-T20III; a unit that
/// prints Font A at 12 dots fits 42, so if rows wrap set `columns = 42` in `[printer]`.
pub const TM_T88: Profile = Profile {
    name: "tm-t88",
    description: "Epson TM-T88, 80 mm, 48 columns, Kanji, native QR",
    columns: 48,
    paper_dots: 512,
    kanji: true,
    native_qr: true,
    qr_module_dots: 6,
};

/// 58 mm Kanji printers (TM-T20III 58 mm setting, TM-m10 and the like): 384 dots, 32 columns.
pub const PAPER_58MM: Profile = Profile {
    name: "58mm",
    description: "58 mm, 32 columns, Kanji, native QR",
    columns: 32,
    paper_dots: 384,
    kanji: true,
    native_qr: true,
    qr_module_dots: 4,
};

/// A plain ESC/POS printer with no Kanji font and no QR command: ASCII text, raster QR.
pub const GENERIC: Profile = Profile {
    name: "generic",
    description: "generic 80 mm ESC/POS, 48 columns, ASCII text, raster QR",
    columns: 48,
    paper_dots: 576,
    kanji: false,
    native_qr: false,
    qr_module_dots: 6,
};

pub const ALL: [&Profile; 4] = [&TM_T20III, &TM_T88, &PAPER_58MM, &GENERIC];

/// The profile used when the configuration names none.
pub const DEFAULT_PROFILE: &str = "tm-t20iii";

impl Profile {
    /// A profile by name (case-insensitive); `tm-t20` and `tm-t88v`-style spellings are accepted.
    pub fn by_name(name: &str) -> Option<&'static Profile> {
        let wanted = name.trim().to_ascii_lowercase();
        ALL.into_iter()
            .find(|p| p.name == wanted)
            .or(match wanted.as_str() {
                "tm-t20" | "tm-t20ii" => Some(&TM_T20III),
                "tm-t88v" | "tm-t88vi" | "tm-t88vii" => Some(&TM_T88),
                "58" => Some(&PAPER_58MM),
                _ => None,
            })
    }

    pub fn charset(&self) -> Charset {
        if self.kanji {
            Charset::ShiftJis
        } else {
            Charset::Ascii
        }
    }

    /// This profile with another line width (a printer set to 42 or 64 columns, say).
    pub fn with_columns(&self, columns: usize) -> Profile {
        Profile {
            columns: columns.clamp(16, 96),
            ..self.clone()
        }
    }

    pub fn names() -> Vec<&'static str> {
        ALL.iter().map(|p| p.name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_found_by_name() {
        assert_eq!(Profile::by_name("TM-T20III").map(|p| p.columns), Some(48));
        assert_eq!(Profile::by_name("58mm").map(|p| p.columns), Some(32));
        assert_eq!(Profile::by_name("tm-t88vi").map(|p| p.name), Some("tm-t88"));
        assert!(Profile::by_name("generic").is_some_and(|p| !p.kanji && !p.native_qr));
        assert!(Profile::by_name("laserjet").is_none());
        assert!(Profile::by_name(DEFAULT_PROFILE).is_some());
    }

    #[test]
    fn column_override_is_bounded() {
        assert_eq!(TM_T88.with_columns(42).columns, 42);
        assert_eq!(TM_T88.with_columns(0).columns, 16);
    }
}
