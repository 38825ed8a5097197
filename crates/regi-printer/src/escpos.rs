//! A small ESC/POS command builder. It only emits commands that Epson TM printers and the decoder in
//! `decode.rs` both understand; text must arrive already encoded by `Charset` (no control bytes).

use super::raster::Bitmap;

pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const FS: u8 = 0x1C;
pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const LF: u8 = 0x0A;

/// `ESC a n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

impl Align {
    pub fn code(self) -> u8 {
        match self {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 | b'0' => Some(Align::Left),
            1 | b'1' => Some(Align::Center),
            2 | b'2' => Some(Align::Right),
            _ => None,
        }
    }
}

/// Character magnification (`GS ! n`), limited to the sizes a receipt uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    #[default]
    Normal,
    DoubleWidth,
    DoubleHeight,
    Double,
}

impl Size {
    pub fn width_factor(self) -> usize {
        match self {
            Size::DoubleWidth | Size::Double => 2,
            Size::Normal | Size::DoubleHeight => 1,
        }
    }

    pub fn height_factor(self) -> usize {
        match self {
            Size::DoubleHeight | Size::Double => 2,
            Size::Normal | Size::DoubleWidth => 1,
        }
    }

    /// The `GS !` argument: width factor − 1 in the high nibble, height factor − 1 in the low one.
    pub fn code(self) -> u8 {
        (((self.width_factor() - 1) as u8) << 4) | ((self.height_factor() - 1) as u8)
    }
}

/// QR error correction level (`GS ( k` function 169).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrErrorLevel {
    L,
    M,
    Q,
    H,
}

impl QrErrorLevel {
    fn code(self) -> u8 {
        match self {
            QrErrorLevel::L => 48,
            QrErrorLevel::M => 49,
            QrErrorLevel::Q => 50,
            QrErrorLevel::H => 51,
        }
    }
}

/// Longest QR payload one `GS ( k` store command can carry (pL/pH count the 3 header bytes too).
pub const QR_MAX_PAYLOAD: usize = 7089;

#[derive(Debug, Default)]
pub struct EscPos {
    bytes: Vec<u8>,
}

impl EscPos {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn push(&mut self, bytes: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// `ESC @`: back to power-on settings.
    pub fn init(&mut self) -> &mut Self {
        self.push(&[ESC, b'@'])
    }

    /// `ESC R 8`: Japan international character set (0x5C prints ¥).
    pub fn charset_japan(&mut self) -> &mut Self {
        self.push(&[ESC, b'R', 8])
    }

    /// `ESC t 1`: Katakana code table, so 0xA1–0xDF print half-width kana.
    pub fn code_table_katakana(&mut self) -> &mut Self {
        self.push(&[ESC, b't', 1])
    }

    /// `FS C 1`: Kanji code system Shift_JIS.
    pub fn kanji_shift_jis(&mut self) -> &mut Self {
        self.push(&[FS, b'C', 1])
    }

    /// `FS &` / `FS .`: Kanji mode on / off.
    pub fn kanji_mode(&mut self, on: bool) -> &mut Self {
        self.push(&[FS, if on { b'&' } else { b'.' }])
    }

    /// `ESC E n`.
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.push(&[ESC, b'E', u8::from(on)])
    }

    /// `GS ! n`.
    pub fn size(&mut self, size: Size) -> &mut Self {
        self.push(&[GS, b'!', size.code()])
    }

    /// `ESC a n`; takes effect for the line that starts next.
    pub fn align(&mut self, align: Align) -> &mut Self {
        self.push(&[ESC, b'a', align.code()])
    }

    /// Already-encoded text (see `Charset::encode`).
    pub fn text(&mut self, encoded: &[u8]) -> &mut Self {
        self.push(encoded)
    }

    pub fn line_feed(&mut self) -> &mut Self {
        self.push(&[LF])
    }

    /// Native QR code: model 2, the given module size (dots) and error level, store then print.
    /// Payloads longer than `QR_MAX_PAYLOAD` are cut to it (the layout never sends such).
    pub fn qr(&mut self, data: &[u8], module_dots: u8, level: QrErrorLevel) -> &mut Self {
        let data = &data[..data.len().min(QR_MAX_PAYLOAD)];
        let [pl, ph] = ((data.len() + 3) as u16).to_le_bytes();
        self.push(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]) // fn 165: model 2
            .push(&[GS, b'(', b'k', 3, 0, 49, 67, module_dots.clamp(1, 16)]) // fn 167: module size
            .push(&[GS, b'(', b'k', 3, 0, 49, 69, level.code()]) // fn 169: error level
            .push(&[GS, b'(', b'k', pl, ph, 49, 80, 48]) // fn 180: store
            .push(data)
            .push(&[GS, b'(', b'k', 3, 0, 49, 81, 48]) // fn 181: print
    }

    /// `GS v 0`: a raster bit image at normal density.
    pub fn raster(&mut self, image: &Bitmap) -> &mut Self {
        let [xl, xh] = (image.width_bytes() as u16).to_le_bytes();
        let [yl, yh] = (image.height() as u16).to_le_bytes();
        self.push(&[GS, b'v', b'0', 0, xl, xh, yl, yh])
            .push(image.rows())
    }

    /// `GS V 66 0`: feed to the cutter and cut (partial cut, which every TM model supports).
    pub fn cut(&mut self) -> &mut Self {
        self.push(&[GS, b'V', 66, 0])
    }

    /// `ESC p 0 t1 t2`: pulse drawer pin 2 for 50 ms on, 500 ms off.
    pub fn drawer_kick(&mut self) -> &mut Self {
        self.drawer_pulse(0, 25, 250)
    }

    /// `ESC p m t1 t2`: a pulse on connector pin 2 (`m` = 0) or 5 (`m` = 1), on for `t1` × 2 ms
    /// and off for `t2` × 2 ms.
    pub fn drawer_pulse(&mut self, pin: u8, on: u8, off: u8) -> &mut Self {
        self.push(&[ESC, b'p', pin, on, off])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_command_sequence_matches_the_epson_layout() {
        let mut b = EscPos::new();
        b.qr(b"AB", 6, QrErrorLevel::M);
        let bytes = b.into_bytes();
        assert_eq!(&bytes[..9], &[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]);
        assert_eq!(&bytes[9..17], &[GS, b'(', b'k', 3, 0, 49, 67, 6]);
        assert_eq!(&bytes[17..25], &[GS, b'(', b'k', 3, 0, 49, 69, 49]);
        assert_eq!(
            &bytes[25..35],
            &[GS, b'(', b'k', 5, 0, 49, 80, 48, b'A', b'B']
        );
        assert_eq!(&bytes[35..], &[GS, b'(', b'k', 3, 0, 49, 81, 48]);
    }

    #[test]
    fn sizes_encode_width_and_height_nibbles() {
        assert_eq!(Size::Normal.code(), 0x00);
        assert_eq!(Size::DoubleWidth.code(), 0x10);
        assert_eq!(Size::DoubleHeight.code(), 0x01);
        assert_eq!(Size::Double.code(), 0x11);
    }

    #[test]
    fn japanese_setup_commands() {
        let mut b = EscPos::new();
        b.init()
            .charset_japan()
            .code_table_katakana()
            .kanji_shift_jis()
            .kanji_mode(true);
        assert_eq!(
            b.into_bytes(),
            [ESC, b'@', ESC, b'R', 8, ESC, b't', 1, FS, b'C', 1, FS, b'&']
        );
    }
}
