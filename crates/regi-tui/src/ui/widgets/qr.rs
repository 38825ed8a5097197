//! A QR code drawn with half-block characters: each terminal cell holds two modules stacked
//! vertically, which makes modules roughly square on ordinary fonts. Colours are explicit (dark on
//! light from [`QrColors`]) so the terminal's theme can never invert or wash out the code, and a
//! 4-module quiet zone always surrounds it. When the area cannot hold the code at scale 1 the
//! caller gets [`QrError::TooSmall`] and shows a message instead of a broken code.

use qrcode::bits::Bits;
use std::cell::RefCell;

use qrcode::{EcLevel, QrCode, Version};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::ui::theme::QrColors;

/// Light modules around the code, as the QR specification requires for reliable scanning.
pub const QUIET_ZONE: usize = 4;

const UPPER: &str = "▀";
const LOWER: &str = "▄";
const FULL: &str = "█";
const EMPTY: &str = " ";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("the area is {have_cols}x{have_rows} cells; the QR code needs {need_cols}x{need_rows}")]
    TooSmall {
        have_cols: u16,
        have_rows: u16,
        need_cols: u16,
        need_rows: u16,
    },
    #[error("the text cannot be encoded as a QR code: {0}")]
    Encode(String),
}

/// A square grid of modules, quiet zone included; `true` is dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleGrid {
    side: usize,
    dark: Vec<bool>,
}

thread_local! {
    /// The grids encoded last. A QR stays on screen for minutes and is redrawn on every tick;
    /// encoding it again per frame (Reed–Solomon, mask choice) would be most of the frame time.
    /// Encoding is deterministic, so the view stays a pure function of the state.
    static RECENT_GRIDS: RefCell<Vec<((String, EcLevel), ModuleGrid)>> = const { RefCell::new(Vec::new()) };
}

/// How many recent grids are kept (four error-correction levels of one or two codes).
const RECENT_GRIDS_KEPT: usize = 8;

impl ModuleGrid {
    pub fn encode(text: &str, ec: EcLevel) -> Result<Self, QrError> {
        let cached = RECENT_GRIDS.with(|recent| {
            recent
                .borrow()
                .iter()
                .find(|((t, level), _)| *level == ec && t == text)
                .map(|(_, grid)| grid.clone())
        });
        if let Some(grid) = cached {
            return Ok(grid);
        }
        let grid = Self::encode_fresh(text, ec)?;
        RECENT_GRIDS.with(|recent| {
            let mut recent = recent.borrow_mut();
            if recent.len() >= RECENT_GRIDS_KEPT {
                recent.remove(0);
            }
            recent.push(((text.to_string(), ec), grid.clone()));
        });
        Ok(grid)
    }

    fn encode_fresh(text: &str, ec: EcLevel) -> Result<Self, QrError> {
        let code = smallest_code(text.as_bytes(), ec)?;
        let inner = code.width();
        let modules = code.to_colors();
        let side = inner + 2 * QUIET_ZONE;
        let mut dark = vec![false; side * side];
        for y in 0..inner {
            for x in 0..inner {
                dark[(y + QUIET_ZONE) * side + x + QUIET_ZONE] =
                    modules[y * inner + x] == qrcode::Color::Dark;
            }
        }
        Ok(Self { side, dark })
    }

    /// Modules per side, quiet zone included.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Whether module (x, y) is dark; anything outside the grid is light, like the quiet zone.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.side && y < self.side && self.dark[y * self.side + x]
    }

    /// Cells needed at `scale` modules-per-column: one column per module, two modules per row.
    pub fn cells_needed(&self, scale: usize) -> (usize, usize) {
        let pixels = self.side * scale;
        (pixels, pixels.div_ceil(2))
    }
}

/// The smallest code for `data`: the encoder's mixed-mode segmentation, or a single byte-mode
/// segment when that needs a lower version. The encoder's optimiser is not always optimal: for
/// some payment-request URLs it needs version 5 where plain byte mode fits version 4, and version 4 is
/// what fits an 80x24 terminal.
fn smallest_code(data: &[u8], ec: EcLevel) -> Result<QrCode, QrError> {
    let auto = QrCode::with_error_correction_level(data, ec);
    let auto_width = auto.as_ref().ok().map(|code| code.width());
    let byte_mode = (1..=40).map(Version::Normal).find_map(|version| {
        let mut bits = Bits::new(version);
        (bits.push_byte_data(data).is_ok() && bits.push_terminator(ec).is_ok()).then_some(bits)
    });
    match (auto, byte_mode) {
        (_, Some(bits))
            if auto_width
                .is_none_or(|w| usize::try_from(bits.version().width()).is_ok_and(|b| b < w)) =>
        {
            QrCode::with_bits(bits, ec).map_err(|e| QrError::Encode(e.to_string()))
        }
        (auto, _) => auto.map_err(|e| QrError::Encode(e.to_string())),
    }
}

/// Where and how large a code will be drawn: the result of fitting it into an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPlan {
    grid: ModuleGrid,
    scale: usize,
    area: Rect,
}

impl QrPlan {
    /// Fits `text` into `available`, as large as possible. Among error-correction levels it prefers
    /// the biggest modules (easiest to scan from a screen), then the strongest correction.
    pub fn fit(text: &str, available: Rect) -> Result<Self, QrError> {
        let mut best: Option<(usize, ModuleGrid)> = None;
        let mut smallest_need: Option<(usize, usize)> = None;
        for ec in [EcLevel::H, EcLevel::Q, EcLevel::M, EcLevel::L] {
            let grid = ModuleGrid::encode(text, ec)?;
            let scale = largest_scale(&grid, available);
            if scale == 0 {
                let need = grid.cells_needed(1);
                if smallest_need.is_none_or(|(cols, _)| need.0 < cols) {
                    smallest_need = Some(need);
                }
                continue;
            }
            if best.as_ref().is_none_or(|(s, _)| scale > *s) {
                best = Some((scale, grid));
            }
        }
        match best {
            Some((scale, grid)) => {
                let (cols, rows) = grid.cells_needed(scale);
                let area = centered(available, cols as u16, rows as u16);
                Ok(Self { grid, scale, area })
            }
            None => {
                let (need_cols, need_rows) = smallest_need.unwrap_or((usize::MAX, usize::MAX));
                Err(QrError::TooSmall {
                    have_cols: available.width,
                    have_rows: available.height,
                    need_cols: clamp_u16(need_cols),
                    need_rows: clamp_u16(need_rows),
                })
            }
        }
    }

    /// The cells the code occupies, quiet zone included.
    pub fn area(&self) -> Rect {
        self.area
    }

    /// Terminal columns per module.
    pub fn scale(&self) -> usize {
        self.scale
    }

    pub fn grid(&self) -> &ModuleGrid {
        &self.grid
    }

    pub fn render(&self, colors: QrColors, buf: &mut Buffer) {
        let area = self.area.intersection(buf.area);
        for row in 0..area.height {
            for col in 0..area.width {
                let x = usize::from(col) / self.scale;
                let top = self.grid.is_dark(x, usize::from(row) * 2 / self.scale);
                let bottom = self
                    .grid
                    .is_dark(x, (usize::from(row) * 2 + 1) / self.scale);
                let symbol = match (top, bottom) {
                    (true, true) => FULL,
                    (true, false) => UPPER,
                    (false, true) => LOWER,
                    (false, false) => EMPTY,
                };
                if let Some(cell) = buf.cell_mut((area.x + col, area.y + row)) {
                    cell.set_symbol(symbol)
                        .set_fg(colors.dark)
                        .set_bg(colors.light);
                }
            }
        }
    }
}

/// Draws `text` as a QR code centred in `area`; the error says the area is too small.
pub fn render_qr(
    text: &str,
    colors: QrColors,
    area: Rect,
    buf: &mut Buffer,
) -> Result<Rect, QrError> {
    let plan = QrPlan::fit(text, area)?;
    plan.render(colors, buf);
    Ok(plan.area())
}

/// Reads cells back into a pixel grid, one pixel per column and half-row, `true` where dark: what a
/// camera would see. Cells that are not blocks count as their background. Used by tests that decode
/// the rendered screen, and handy for checking a code by eye.
pub fn read_pixels(buf: &Buffer, area: Rect, colors: QrColors) -> Vec<Vec<bool>> {
    let area = area.intersection(buf.area);
    let mut pixels = vec![vec![false; usize::from(area.width)]; usize::from(area.height) * 2];
    for row in 0..area.height {
        for col in 0..area.width {
            let cell = &buf[(area.x + col, area.y + row)];
            let (top_is_fg, bottom_is_fg) = match cell.symbol() {
                FULL => (true, true),
                UPPER => (true, false),
                LOWER => (false, true),
                _ => (false, false),
            };
            let shade = |is_fg: bool| {
                let color = if is_fg { cell.fg } else { cell.bg };
                color == colors.dark
            };
            pixels[usize::from(row) * 2][usize::from(col)] = shade(top_is_fg);
            pixels[usize::from(row) * 2 + 1][usize::from(col)] = shade(bottom_is_fg);
        }
    }
    pixels
}

fn largest_scale(grid: &ModuleGrid, available: Rect) -> usize {
    let by_cols = usize::from(available.width) / grid.side();
    let by_rows = usize::from(available.height) * 2 / grid.side();
    by_cols.min(by_rows)
}

fn centered(outer: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(outer.width);
    let height = height.min(outer.height);
    Rect {
        x: outer.x + (outer.width - width) / 2,
        y: outer.y + (outer.height - height) / 2,
        width,
        height,
    }
}

fn clamp_u16(value: usize) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    const TRAY_URL: &str =
        "https://qr.sandbox.example.jp/payrequest/dc204118-9e3b-493c-b396-b9259ce28663";

    /// Decodes whatever QR code is visible in `area` of the buffer, like a phone camera would.
    fn decode(buf: &Buffer, area: Rect, colors: QrColors) -> Vec<String> {
        let pixels = read_pixels(buf, area, colors);
        let (w, h) = (pixels[0].len(), pixels.len());
        // Upsample so the detector's thresholding has some room around each module.
        const UP: usize = 3;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * UP, h * UP, |x, y| {
            if pixels[y / UP][x / UP] { 0 } else { 255 }
        });
        image
            .detect_grids()
            .into_iter()
            .map(|grid| grid.decode().map(|(_, text)| text).unwrap_or_default())
            .collect()
    }

    fn draw(text: &str, cols: u16, rows: u16, colors: QrColors) -> (Buffer, Result<Rect, QrError>) {
        let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("test backend");
        let mut result = None;
        terminal
            .draw(|frame| {
                let area = frame.area();
                result = Some(render_qr(text, colors, area, frame.buffer_mut()));
            })
            .expect("draw");
        let result = result.expect("draw ran");
        (terminal.backend().buffer().clone(), result)
    }

    #[test]
    fn decodes_back_to_the_exact_text_at_several_sizes() {
        for (cols, rows) in [(80, 24), (41, 21), (120, 40), (200, 60), (60, 40)] {
            for colors in [
                QrColors::default(),
                QrColors::for_depth(crate::ui::theme::ColorDepth::Indexed),
            ] {
                let (buf, drawn) = draw(TRAY_URL, cols, rows, colors);
                let drawn = drawn.unwrap_or_else(|e| panic!("{cols}x{rows}: {e}"));
                assert_eq!(
                    decode(&buf, buf.area, colors),
                    vec![TRAY_URL.to_string()],
                    "{cols}x{rows}"
                );
                assert!(drawn.width <= cols && drawn.height <= rows);
            }
        }
    }

    #[test]
    fn grows_by_integer_scale_when_there_is_room() {
        let small = QrPlan::fit(TRAY_URL, Rect::new(0, 0, 80, 24)).expect("fits 80x24");
        let large = QrPlan::fit(TRAY_URL, Rect::new(0, 0, 240, 80)).expect("fits 240x80");
        assert_eq!(small.scale(), 1);
        assert!(large.scale() >= 2);
        let (buf, _) = draw(TRAY_URL, 240, 80, QrColors::default());
        assert_eq!(
            decode(&buf, buf.area, QrColors::default()),
            vec![TRAY_URL.to_string()]
        );
    }

    #[test]
    fn quiet_zone_is_light_on_every_side() {
        let (buf, drawn) = draw(TRAY_URL, 80, 24, QrColors::default());
        let drawn = drawn.expect("fits");
        let pixels = read_pixels(&buf, drawn, QrColors::default());
        let plan = QrPlan::fit(TRAY_URL, Rect::new(0, 0, 80, 24)).expect("fits");
        let margin = QUIET_ZONE * plan.scale();
        let side = plan.grid().side() * plan.scale();
        for (y, line) in pixels.iter().enumerate().take(side) {
            for (x, &dark) in line.iter().enumerate().take(side) {
                let in_margin =
                    x < margin || y < margin || x >= side - margin || y >= side - margin;
                if in_margin {
                    assert!(!dark, "quiet zone pixel ({x},{y}) is dark");
                }
            }
        }
        // Every drawn cell carries the explicit colours, never the terminal's defaults.
        for row in drawn.rows() {
            for pos in row.positions() {
                assert_eq!(buf[pos].bg, QrColors::default().light);
                assert_eq!(buf[pos].fg, QrColors::default().dark);
            }
        }
    }

    #[test]
    fn too_small_is_reported_not_drawn() {
        let (buf, drawn) = draw(TRAY_URL, 30, 12, QrColors::default());
        match drawn {
            Err(QrError::TooSmall {
                need_cols,
                need_rows,
                have_cols,
                have_rows,
            }) => {
                assert_eq!((have_cols, have_rows), (30, 12));
                assert!(need_cols > 30 || need_rows > 12);
            }
            other => panic!("expected TooSmall, got {other:?}"),
        }
        assert!(buf.content().iter().all(|c| c.symbol() == " "));
    }

    #[test]
    fn offset_areas_stay_inside_the_buffer() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 100, 30));
        let area = Rect::new(50, 5, 50, 25);
        let drawn = render_qr(TRAY_URL, QrColors::default(), area, &mut buf).expect("fits");
        assert!(area.contains(drawn.as_position()));
        assert_eq!(
            decode(&buf, buf.area, QrColors::default()),
            vec![TRAY_URL.to_string()]
        );
    }

    #[test]
    fn every_payment_request_url_fits_the_80x24_layout_and_decodes() {
        // Fixed pseudo-random request ids, so the test is repeatable.
        let mut state = 0x2545_f491_4f6c_dd1d_u128;
        let urls: Vec<String> = (0..40)
            .map(|_| {
                state = state
                    .wrapping_mul(0x5851_f42d_4c95_7f2d)
                    .wrapping_add(0x1405_7b7e_f767_814f);
                format!(
                    "https://qr.sandbox.example.jp/payrequest/{}",
                    uuid::Uuid::from_u128(state)
                )
            })
            .collect();
        // Among them are urls the encoder's own segmentation puts in version 5 (too tall for
        // 80x24), which byte mode fits in version 4.
        assert!(urls.iter().any(|url| {
            QrCode::with_error_correction_level(url.as_bytes(), EcLevel::L)
                .is_ok_and(|code| code.width() > 33)
        }));
        // The QR wait screen at 80x24 leaves 44x22 cells for the code.
        for url in urls {
            let mut buf = Buffer::empty(Rect::new(0, 0, 44, 22));
            render_qr(&url, QrColors::default(), buf.area, &mut buf)
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(decode(&buf, buf.area, QrColors::default()), vec![url]);
        }
    }

    #[test]
    fn text_too_long_for_any_qr_is_an_error_not_a_panic() {
        let huge = "x".repeat(8000);
        assert!(matches!(
            QrPlan::fit(&huge, Rect::new(0, 0, 400, 200)),
            Err(QrError::Encode(_))
        ));
    }
}
