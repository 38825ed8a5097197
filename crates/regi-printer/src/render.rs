//! Print operations + printer profile → ESC/POS bytes. Fits text to the profile's columns using the
//! same encoder that produces the bytes, so widths are exactly what the printer prints.

use qrcode::{EcLevel, QrCode};

use super::charset::Charset;
use super::escpos::{Align, EscPos, QrErrorLevel, Size};
use super::layout::{PrintOp, TextStyle};
use super::profile::Profile;
use super::raster::{Bitmap, RasterError};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("QR payload of {len} bytes is too long for a QR code")]
    QrTooLong { len: usize },
    #[error(transparent)]
    Raster(#[from] RasterError),
}

pub fn render(ops: &[PrintOp], profile: &Profile) -> Result<Vec<u8>, RenderError> {
    let mut r = Renderer {
        out: EscPos::new(),
        charset: profile.charset(),
        profile,
        style: TextStyle::PLAIN,
    };
    r.out.init().charset_japan();
    if profile.kanji {
        r.out
            .code_table_katakana()
            .kanji_shift_jis()
            .kanji_mode(true);
    }
    for op in ops {
        r.op(op)?;
    }
    Ok(r.out.into_bytes())
}

struct Renderer<'a> {
    out: EscPos,
    charset: Charset,
    profile: &'a Profile,
    /// What the printer is set to now (after `ESC @`: plain).
    style: TextStyle,
}

impl Renderer<'_> {
    fn op(&mut self, op: &PrintOp) -> Result<(), RenderError> {
        match op {
            PrintOp::Text { text, style } => {
                let style = self.fit_size(text, *style);
                self.set_style(style);
                for line in wrap(self.charset, text, self.columns(style)) {
                    self.line(&line);
                }
            }
            PrintOp::Row { left, right, style } => self.row(left, right, *style),
            PrintOp::Rule => {
                self.set_style(TextStyle::PLAIN);
                self.line(&"-".repeat(self.profile.columns));
            }
            PrintOp::Blank => {
                self.out.line_feed();
            }
            PrintOp::Qr(payload) => self.qr(payload)?,
            PrintOp::Cut => {
                self.out.cut();
            }
            PrintOp::DrawerKick => {
                self.out.drawer_kick();
            }
        }
        Ok(())
    }

    fn columns(&self, style: TextStyle) -> usize {
        (self.profile.columns / style.size.width_factor()).max(1)
    }

    /// Double-width text that would wrap but fits one line at normal width keeps only double height
    /// (a long store name on 58 mm paper).
    fn fit_size(&self, text: &str, style: TextStyle) -> TextStyle {
        let width = self.charset.columns(text);
        if style.size.width_factor() == 1
            || width <= self.columns(style)
            || width > self.profile.columns
        {
            return style;
        }
        let size = if style.size.height_factor() == 2 {
            Size::DoubleHeight
        } else {
            Size::Normal
        };
        TextStyle { size, ..style }
    }

    fn line(&mut self, text: &str) {
        let encoded = self.charset.encode(text);
        self.out.text(&encoded).line_feed();
    }

    fn set_style(&mut self, style: TextStyle) {
        if style.align != self.style.align {
            self.out.align(style.align);
        }
        if style.bold != self.style.bold {
            self.out.bold(style.bold);
        }
        if style.size != self.style.size {
            self.out.size(style.size);
        }
        self.style = style;
    }

    fn row(&mut self, left: &str, right: &str, style: TextStyle) {
        self.set_style(TextStyle {
            align: Align::Left,
            ..style
        });
        let columns = self.columns(style);
        let (lw, rw) = (self.charset.columns(left), self.charset.columns(right));
        if lw + 1 + rw <= columns {
            self.line(&format!("{left}{}{right}", " ".repeat(columns - lw - rw)));
            return;
        }
        for line in wrap(self.charset, left, columns) {
            self.line(&line);
        }
        for line in wrap(self.charset, right, columns) {
            let pad = columns.saturating_sub(self.charset.columns(&line));
            self.line(&format!("{}{line}", " ".repeat(pad)));
        }
    }

    fn qr(&mut self, payload: &str) -> Result<(), RenderError> {
        // Same check for both paths, so a payload prints natively only if it could also be rasterised.
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
            .map_err(|_| RenderError::QrTooLong { len: payload.len() })?;
        self.set_style(TextStyle::CENTER);
        if self.profile.native_qr {
            self.out.qr(
                payload.as_bytes(),
                self.profile.qr_module_dots,
                QrErrorLevel::M,
            );
        } else {
            let image = Bitmap::qr(
                payload,
                usize::from(self.profile.qr_module_dots),
                self.profile.paper_dots,
            )?;
            self.out.raster(&image);
        }
        Ok(())
    }
}

/// Splits `text` into lines of at most `columns` printed columns, never inside a character, at the
/// last space where the line has one.
pub fn wrap(charset: Charset, text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut width = 0;
    for c in text.chars() {
        let w = charset.columns(c.encode_utf8(&mut [0; 4]));
        if width + w > columns && !current.is_empty() {
            match current.rfind(' ').filter(|&at| at > 0) {
                Some(at) => {
                    let rest = current.split_off(at);
                    lines.push(std::mem::take(&mut current));
                    current = rest.trim_start().to_owned();
                    width = charset.columns(&current);
                }
                None => {
                    lines.push(std::mem::take(&mut current));
                    width = 0;
                }
            }
        }
        current.push(c);
        width += w;
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_counts_full_width_as_two_columns() {
        let lines = wrap(Charset::ShiftJis, "あいうえおabc", 5);
        assert_eq!(lines, ["あい", "うえ", "おabc"]);
        let lines = wrap(Charset::ShiftJis, "神南1-2-3 サンプルビル1F", 16);
        assert_eq!(lines, ["神南1-2-3", "サンプルビル1F"]);
        assert_eq!(wrap(Charset::ShiftJis, "", 5), [""]);
    }

    #[test]
    fn rows_pad_to_the_exact_printed_width() {
        let ops = [PrintOp::Row {
            left: "おにぎり ※".into(),
            right: "¥150".into(),
            style: TextStyle::PLAIN,
        }];
        let bytes = render(&ops, &crate::profile::PAPER_58MM).expect("renders");
        let line_start = bytes.len() - 33;
        assert_eq!(bytes[bytes.len() - 1], b'\n');
        // 32 printed bytes (= columns) before the line feed: 8+1+2 for the name, 4 for ¥150.
        let line = &bytes[line_start..bytes.len() - 1];
        assert_eq!(line.len(), 32);
        assert!(line.ends_with(b"\x5C150"));
        assert!(line.starts_with(&Charset::ShiftJis.encode("おにぎり ※ ")));
    }

    #[test]
    fn rows_too_wide_split_with_right_part_right_aligned() {
        let ops = [PrintOp::Row {
            left: "取引ID".into(),
            right: "0123456789abcdef0123456789".into(),
            style: TextStyle::PLAIN,
        }];
        let bytes = render(&ops, &crate::profile::PAPER_58MM.with_columns(30)).expect("renders");
        let text = &bytes[bytes.len() - 31..];
        assert_eq!(text, b"    0123456789abcdef0123456789\n");
    }

    #[test]
    fn double_width_text_too_wide_keeps_double_height_only() {
        let ops = [PrintOp::Text {
            text: "株式会社サンプル商店".into(),
            style: TextStyle {
                align: Align::Center,
                bold: true,
                size: Size::Double,
            },
        }];
        let bytes = render(&ops, &crate::profile::PAPER_58MM).expect("renders");
        let decoded = crate::decode(&bytes).expect("clean");
        let lines: Vec<_> = decoded.lines().collect();
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].width_factor, lines[0].height_factor), (1, 2));
    }

    #[test]
    fn over_long_qr_payload_is_an_error() {
        let ops = [PrintOp::Qr("x".repeat(5000))];
        assert!(matches!(
            render(&ops, &crate::profile::TM_T20III),
            Err(RenderError::QrTooLong { len: 5000 })
        ));
    }
}
