//! ESC/POS bytes → what the paper would show: text lines (Shift_JIS Kanji included) with their
//! alignment, emphasis and size, QR payloads, raster images, cuts and drawer kicks. Anything it does
//! not understand is an error, so a successful decode also proves the stream is clean. Used by tests,
//! the receipt preview in training mode and `regi receipt show`.

use encoding_rs::SHIFT_JIS;

use super::escpos::{Align, DLE, ESC, FS, GS, LF};
use super::raster::Bitmap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLine {
    pub text: String,
    /// Printed width in columns, magnification included.
    pub columns: usize,
    pub align: Align,
    pub bold: bool,
    pub width_factor: u8,
    pub height_factor: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Line(PrintedLine),
    Qr(String),
    Image(Bitmap),
    Cut,
    DrawerKick,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown command {bytes:02X?} at byte {offset}")]
    UnknownCommand { offset: usize, bytes: Vec<u8> },
    #[error("command at byte {offset} is cut short")]
    Truncated { offset: usize },
    #[error("byte {byte:#04X} at byte {offset} is not printable in the current mode")]
    Unprintable { offset: usize, byte: u8 },
    #[error("QR data at byte {offset} is not UTF-8")]
    QrNotText { offset: usize },
    #[error("QR print at byte {offset} with no stored data")]
    QrWithoutData { offset: usize },
}

impl Decoded {
    pub fn lines(&self) -> impl Iterator<Item = &PrintedLine> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Line(line) => Some(line),
            _ => None,
        })
    }

    /// The printed text, one line per line, without alignment padding.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in self.lines() {
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }

    pub fn qr_payloads(&self) -> Vec<&str> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Qr(payload) => Some(payload.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn images(&self) -> Vec<&Bitmap> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Image(image) => Some(image),
                _ => None,
            })
            .collect()
    }

    pub fn cut_count(&self) -> usize {
        self.blocks.iter().filter(|b| **b == Block::Cut).count()
    }

    /// Widest printed line, in columns.
    pub fn widest_line(&self) -> usize {
        self.lines().map(|l| l.columns).max().unwrap_or(0)
    }

    /// The paper as plain text, `columns` wide, with alignment applied and markers for the rest.
    pub fn to_text(&self, columns: usize) -> String {
        let mut out = String::new();
        let mut push_aligned = |text: &str, width: usize, align: Align| {
            if text.trim().is_empty() {
                out.push('\n');
                return;
            }
            let pad = match align {
                Align::Left => 0,
                Align::Center => columns.saturating_sub(width) / 2,
                Align::Right => columns.saturating_sub(width),
            };
            out.push_str(&" ".repeat(pad));
            out.push_str(text.trim_end());
            out.push('\n');
        };
        for block in &self.blocks {
            match block {
                Block::Line(line) => push_aligned(&line.text, line.columns, line.align),
                Block::Qr(payload) => {
                    let marker = format!("[QR: {payload}]");
                    push_aligned(&marker, marker.chars().count(), Align::Center);
                }
                Block::Image(image) => {
                    let marker = format!("[image {}x{}]", image.width_dots(), image.height());
                    push_aligned(&marker, marker.len(), Align::Center);
                }
                Block::Cut => push_aligned("[cut]", 5, Align::Center),
                Block::DrawerKick => push_aligned("[drawer kick]", 13, Align::Left),
            }
        }
        out
    }
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut d = Decoder {
        bytes,
        pos: 0,
        out: Decoded::default(),
        state: PrinterState::default(),
        shift_jis: false,
        line: None,
        qr_data: None,
    };
    while d.pos < bytes.len() {
        d.step()?;
    }
    d.flush_partial_line();
    Ok(d.out)
}

/// What `ESC @` resets.
#[derive(Debug, Clone, Copy, Default)]
struct PrinterState {
    japan: bool,
    katakana: bool,
    kanji_mode: bool,
    align: Align,
    bold: bool,
    width_factor: u8,
    height_factor: u8,
}

struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    out: Decoded,
    state: PrinterState,
    /// `FS C 1` seen (kept across `ESC @`, as the printer does).
    shift_jis: bool,
    line: Option<PrintedLine>,
    qr_data: Option<String>,
}

impl Decoder<'_> {
    fn arg(&self, index: usize) -> Result<u8, DecodeError> {
        self.bytes
            .get(self.pos + index)
            .copied()
            .ok_or(DecodeError::Truncated { offset: self.pos })
    }

    fn unknown(&self, len: usize) -> DecodeError {
        let end = (self.pos + len).min(self.bytes.len());
        DecodeError::UnknownCommand {
            offset: self.pos,
            bytes: self.bytes[self.pos..end].to_vec(),
        }
    }

    fn step(&mut self) -> Result<(), DecodeError> {
        let byte = self.bytes[self.pos];
        match byte {
            LF => {
                self.end_line();
                self.pos += 1;
            }
            b'\r' => self.pos += 1,
            ESC => self.esc()?,
            FS => self.fs()?,
            GS => self.gs()?,
            DLE => self.dle()?,
            0x00..=0x1F | 0x7F => return Err(self.unknown(1)),
            _ => self.printable()?,
        }
        Ok(())
    }

    fn esc(&mut self) -> Result<(), DecodeError> {
        let len = match self.arg(1)? {
            b'@' => {
                self.flush_partial_line();
                self.state = PrinterState::default();
                2
            }
            b'R' => {
                self.state.japan = self.arg(2)? == 8;
                3
            }
            b't' => {
                self.state.katakana = self.arg(2)? == 1;
                3
            }
            b'E' => {
                self.state.bold = self.arg(2)? & 1 == 1;
                3
            }
            b'a' => {
                self.state.align = Align::from_code(self.arg(2)?).ok_or_else(|| self.unknown(3))?;
                3
            }
            b'!' => {
                let n = self.arg(2)?;
                self.state.bold = n & 0x08 != 0;
                self.state.height_factor = if n & 0x10 != 0 { 2 } else { 1 };
                self.state.width_factor = if n & 0x20 != 0 { 2 } else { 1 };
                3
            }
            b'd' => {
                for _ in 0..self.arg(2)? {
                    self.end_line();
                }
                3
            }
            // Underline, font, line spacing, dot feed: no effect on the text.
            b'-' | b'M' | b'3' | b'J' => {
                self.arg(2)?;
                3
            }
            b'2' => 2,
            b'p' => {
                self.arg(4)?;
                self.out.blocks.push(Block::DrawerKick);
                5
            }
            _ => return Err(self.unknown(2)),
        };
        self.pos += len;
        Ok(())
    }

    fn fs(&mut self) -> Result<(), DecodeError> {
        let len = match self.arg(1)? {
            b'C' => {
                self.shift_jis = matches!(self.arg(2)?, 1 | b'1');
                3
            }
            b'&' => {
                self.state.kanji_mode = true;
                2
            }
            b'.' => {
                self.state.kanji_mode = false;
                2
            }
            b'!' | b'-' => {
                self.arg(2)?;
                3
            }
            _ => return Err(self.unknown(2)),
        };
        self.pos += len;
        Ok(())
    }

    fn gs(&mut self) -> Result<(), DecodeError> {
        let len = match self.arg(1)? {
            b'!' => {
                let n = self.arg(2)?;
                self.state.width_factor = (n >> 4) + 1;
                self.state.height_factor = (n & 0x0F) + 1;
                3
            }
            b'B' => {
                self.arg(2)?;
                3
            }
            b'V' => {
                let len = match self.arg(2)? {
                    0 | 1 | 48 | 49 => 3,
                    65 | 66 | 97 | 98 | 103 | 104 => {
                        self.arg(3)?;
                        4
                    }
                    _ => return Err(self.unknown(3)),
                };
                self.flush_partial_line();
                self.out.blocks.push(Block::Cut);
                len
            }
            b'(' if self.arg(2)? == b'k' => self.qr_command()?,
            b'v' if self.arg(2)? == b'0' => self.raster()?,
            _ => return Err(self.unknown(3)),
        };
        self.pos += len;
        Ok(())
    }

    /// `GS ( k pL pH cn fn …` for QR (cn = 49); returns the command length.
    fn qr_command(&mut self) -> Result<usize, DecodeError> {
        let params = usize::from(self.arg(3)?) | usize::from(self.arg(4)?) << 8;
        let end = self.pos + 5 + params;
        if end > self.bytes.len() {
            return Err(DecodeError::Truncated { offset: self.pos });
        }
        if params < 2 || self.arg(5)? != 49 {
            return Err(self.unknown(6));
        }
        match (self.arg(6)?, params) {
            (65, 4) | (67, 3) | (69, 3) | (82, 3) => {}
            (80, 3..) => {
                let data = &self.bytes[self.pos + 8..end];
                let text = std::str::from_utf8(data)
                    .map_err(|_| DecodeError::QrNotText { offset: self.pos })?;
                self.qr_data = Some(text.to_owned());
            }
            (81, 3) => {
                let payload = self
                    .qr_data
                    .clone()
                    .ok_or(DecodeError::QrWithoutData { offset: self.pos })?;
                self.flush_partial_line();
                self.out.blocks.push(Block::Qr(payload));
            }
            _ => return Err(self.unknown(7)),
        }
        Ok(5 + params)
    }

    /// `GS v 0 m xL xH yL yH d…`; returns the command length.
    fn raster(&mut self) -> Result<usize, DecodeError> {
        if self.arg(3)? > 3 && !(48..=51).contains(&self.arg(3)?) {
            return Err(self.unknown(4));
        }
        let width_bytes = usize::from(self.arg(4)?) | usize::from(self.arg(5)?) << 8;
        let height = usize::from(self.arg(6)?) | usize::from(self.arg(7)?) << 8;
        let start = self.pos + 8;
        let end = start + width_bytes * height;
        if end > self.bytes.len() {
            return Err(DecodeError::Truncated { offset: self.pos });
        }
        let image = Bitmap::from_rows(width_bytes, height, self.bytes[start..end].to_vec())
            .ok_or(DecodeError::Truncated { offset: self.pos })?;
        self.flush_partial_line();
        self.out.blocks.push(Block::Image(image));
        Ok(8 + width_bytes * height)
    }

    /// `DLE EOT n`: a status request, prints nothing.
    fn dle(&mut self) -> Result<(), DecodeError> {
        if self.arg(1)? == 0x04 && (1..=4).contains(&self.arg(2)?) {
            self.pos += 3;
            Ok(())
        } else {
            Err(self.unknown(3))
        }
    }

    fn printable(&mut self) -> Result<(), DecodeError> {
        let byte = self.bytes[self.pos];
        let (c, columns, len) = match byte {
            0x5C if self.state.japan => ('¥', 1, 1),
            0x7E if self.state.japan => ('‾', 1, 1),
            0x20..=0x7E => (char::from(byte), 1, 1),
            0x81..=0x9F | 0xE0..=0xFC if self.state.kanji_mode && self.shift_jis => {
                let pair = [byte, self.arg(1)?];
                let decoded = SHIFT_JIS
                    .decode_without_bom_handling_and_without_replacement(&pair)
                    .and_then(|s| s.chars().next())
                    .ok_or(DecodeError::Unprintable {
                        offset: self.pos,
                        byte,
                    })?;
                (decoded, 2, 2)
            }
            0xA1..=0xDF if self.state.katakana => (
                char::from_u32(0xFF61 + u32::from(byte - 0xA1)).unwrap_or('?'),
                1,
                1,
            ),
            _ => {
                return Err(DecodeError::Unprintable {
                    offset: self.pos,
                    byte,
                });
            }
        };
        let state = self.state;
        let line = self.line.get_or_insert_with(|| new_line(&state));
        line.text.push(c);
        line.columns += columns * usize::from(state.width_factor.max(1));
        self.pos += len;
        Ok(())
    }

    fn end_line(&mut self) {
        let state = self.state;
        let line = self.line.take().unwrap_or_else(|| new_line(&state));
        self.out.blocks.push(Block::Line(line));
    }

    /// Text not yet ended by a line feed is printed before a QR code, image or cut.
    fn flush_partial_line(&mut self) {
        if self.line.is_some() {
            self.end_line();
        }
    }
}

fn new_line(state: &PrinterState) -> PrintedLine {
    PrintedLine {
        text: String::new(),
        columns: 0,
        align: state.align,
        bold: state.bold,
        width_factor: state.width_factor.max(1),
        height_factor: state.height_factor.max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset::Charset;
    use crate::escpos::{EscPos, QrErrorLevel, Size};

    fn japanese() -> EscPos {
        let mut b = EscPos::new();
        b.init()
            .charset_japan()
            .code_table_katakana()
            .kanji_shift_jis()
            .kanji_mode(true);
        b
    }

    #[test]
    fn decodes_kanji_yen_and_half_width_kana() {
        let mut b = japanese();
        b.text(&Charset::ShiftJis.encode("合計 ¥1,234 ｺｰﾋｰ ※"))
            .line_feed();
        let decoded = decode(&b.into_bytes()).expect("clean stream");
        let line = decoded.lines().next().expect("one line");
        assert_eq!(line.text, "合計 ¥1,234 ｺｰﾋｰ ※");
        assert_eq!(line.columns, 4 + 1 + 6 + 1 + 4 + 1 + 2);
    }

    #[test]
    fn tracks_style_per_line() {
        let mut b = japanese();
        b.align(Align::Center)
            .bold(true)
            .size(Size::Double)
            .text(b"BIG")
            .line_feed()
            .align(Align::Left)
            .bold(false)
            .size(Size::Normal)
            .text(b"small")
            .line_feed();
        let decoded = decode(&b.into_bytes()).expect("clean");
        let lines: Vec<_> = decoded.lines().collect();
        assert_eq!(lines[0].align, Align::Center);
        assert!(lines[0].bold);
        assert_eq!((lines[0].width_factor, lines[0].columns), (2, 6));
        assert_eq!(lines[1].align, Align::Left);
        assert!(!lines[1].bold);
    }

    #[test]
    fn extracts_qr_payload_cut_and_drawer_kick() {
        let mut b = japanese();
        b.drawer_kick()
            .qr("regi:r:1".as_bytes(), 6, QrErrorLevel::M)
            .cut();
        let decoded = decode(&b.into_bytes()).expect("clean");
        assert_eq!(decoded.qr_payloads(), ["regi:r:1"]);
        assert_eq!(decoded.cut_count(), 1);
        assert_eq!(decoded.blocks[0], Block::DrawerKick);
    }

    #[test]
    fn raster_images_are_kept() {
        let image = Bitmap::qr("x", 2, 64).expect("fits");
        let mut b = EscPos::new();
        b.raster(&image);
        let decoded = decode(&b.into_bytes()).expect("clean");
        assert_eq!(decoded.images(), [&image]);
        assert!(decoded.to_text(32).contains("[image 64x58]"));
    }

    #[test]
    fn unknown_and_truncated_commands_are_errors() {
        assert!(matches!(
            decode(&[ESC, b'Z', 1]),
            Err(DecodeError::UnknownCommand { offset: 0, .. })
        ));
        assert!(matches!(
            decode(b"ok\x07"),
            Err(DecodeError::UnknownCommand { offset: 2, .. })
        ));
        assert!(matches!(
            decode(&[GS, b'(', b'k', 200, 0, 49]),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(decode(&[ESC]), Err(DecodeError::Truncated { .. })));
    }

    #[test]
    fn kanji_bytes_outside_kanji_mode_are_unprintable() {
        let mut b = EscPos::new();
        b.init().text(&Charset::ShiftJis.encode("漢"));
        assert!(matches!(
            decode(&b.into_bytes()),
            Err(DecodeError::Unprintable { offset: 2, .. })
        ));
    }

    #[test]
    fn garbage_never_panics() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed >> 24) as u8
                })
                .collect();
            let _ = decode(&bytes);
        }
    }

    #[test]
    fn preview_applies_alignment() {
        let mut b = japanese();
        b.align(Align::Right).text(b"abc").line_feed();
        let decoded = decode(&b.into_bytes()).expect("clean");
        assert_eq!(decoded.to_text(8), "     abc\n");
    }
}
