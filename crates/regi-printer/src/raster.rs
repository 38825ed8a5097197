//! 1-bit raster images for `GS v 0`: the QR code on printers without native QR.

use qrcode::{Color, EcLevel, QrCode};

/// A 1-bit image, rows packed MSB-first, 1 = black dot; width is a whole number of bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width_bytes: usize,
    height: usize,
    rows: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("QR payload does not fit in a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    #[error("a {modules}-module QR code does not fit on {paper_dots} dots of paper")]
    TooWide { modules: usize, paper_dots: usize },
}

/// Blank modules around a QR code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

impl Bitmap {
    /// An image from packed rows; `None` if the sizes disagree.
    pub fn from_rows(width_bytes: usize, height: usize, rows: Vec<u8>) -> Option<Self> {
        (width_bytes.checked_mul(height)? == rows.len()).then_some(Self {
            width_bytes,
            height,
            rows,
        })
    }

    pub fn width_bytes(&self) -> usize {
        self.width_bytes
    }

    pub fn width_dots(&self) -> usize {
        self.width_bytes * 8
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn rows(&self) -> &[u8] {
        &self.rows
    }

    pub fn is_black(&self, x: usize, y: usize) -> bool {
        if x >= self.width_dots() || y >= self.height {
            return false;
        }
        self.rows[y * self.width_bytes + x / 8] & (0x80 >> (x % 8)) != 0
    }

    fn set_black(&mut self, x: usize, y: usize) {
        self.rows[y * self.width_bytes + x / 8] |= 0x80 >> (x % 8);
    }

    /// A QR code (error level M) centred on a paper-wide image, each module `module_dots` square
    /// (smaller if the code would not fit otherwise).
    pub fn qr(payload: &str, module_dots: usize, paper_dots: usize) -> Result<Self, RasterError> {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)?;
        let modules = code.width();
        let span = modules + 2 * QUIET_ZONE;
        let module = module_dots.min(paper_dots / span);
        if module == 0 {
            return Err(RasterError::TooWide {
                modules,
                paper_dots,
            });
        }
        let width_bytes = paper_dots / 8;
        let side = span * module;
        let left = (width_bytes * 8 - side) / 2;
        let mut image = Bitmap {
            width_bytes,
            height: side,
            rows: vec![0; width_bytes * side],
        };
        for (i, colour) in code.to_colors().into_iter().enumerate() {
            if colour != Color::Dark {
                continue;
            }
            let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
            for dy in 0..module {
                for dx in 0..module {
                    image.set_black(left + mx * module + dx, my * module + dy);
                }
            }
        }
        Ok(image)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_centred_with_a_quiet_zone() {
        let image = Bitmap::qr("regi", 4, 384).expect("small payload fits");
        assert_eq!(image.width_dots(), 384);
        // Version 1 is 21 modules; with the quiet zone 29 × 4 dots.
        assert_eq!(image.height(), 29 * 4);
        let left = (384 - 29 * 4) / 2;
        assert!(!image.is_black(left + 15, 16 + 1), "quiet zone is white");
        assert!(
            image.is_black(left + 16, 16),
            "finder pattern corner is black"
        );
    }

    #[test]
    fn modules_shrink_to_fit_narrow_paper() {
        let image = Bitmap::qr("regi", 8, 120).expect("fits at 4 dots");
        assert_eq!(image.height(), 29 * 4);
        assert!(matches!(
            Bitmap::qr("regi", 8, 16),
            Err(RasterError::TooWide { .. })
        ));
    }

    #[test]
    fn from_rows_checks_sizes() {
        assert!(Bitmap::from_rows(2, 3, vec![0; 6]).is_some());
        assert!(Bitmap::from_rows(2, 3, vec![0; 5]).is_none());
        assert!(Bitmap::from_rows(usize::MAX, 3, vec![]).is_none());
    }
}
