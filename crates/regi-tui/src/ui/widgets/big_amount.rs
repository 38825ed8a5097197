//! The big total: digits five pixels tall drawn with half blocks (three rows at scale 1), readable
//! across the counter. Falls back to plain bold text when the area cannot hold it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

const GLYPH_HEIGHT: usize = 5;

/// Pixel rows of a glyph, `#` lit; every row of one glyph has the same width.
fn glyph(c: char) -> Option<[&'static str; GLYPH_HEIGHT]> {
    Some(match c {
        '0' => ["###", "#.#", "#.#", "#.#", "###"],
        '1' => [".#.", "##.", ".#.", ".#.", "###"],
        '2' => ["###", "..#", "###", "#..", "###"],
        '3' => ["###", "..#", "###", "..#", "###"],
        '4' => ["#.#", "#.#", "###", "..#", "..#"],
        '5' => ["###", "#..", "###", "..#", "###"],
        '6' => ["###", "#..", "###", "#.#", "###"],
        '7' => ["###", "..#", "..#", "..#", "..#"],
        '8' => ["###", "#.#", "###", "#.#", "###"],
        '9' => ["###", "#.#", "###", "..#", "###"],
        ',' => ["..", "..", "..", ".#", "#."],
        '-' => ["...", "...", "###", "...", "..."],
        '¥' => ["#.#", "#.#", ".#.", "###", ".#."],
        _ => return None,
    })
}

/// A right-aligned amount in big digits, e.g. `¥1,200`.
#[derive(Debug, Clone)]
pub struct BigAmount<'a> {
    text: &'a str,
    style: Style,
}

impl<'a> BigAmount<'a> {
    /// `text` is an already formatted amount (`¥1,234`); characters without a big glyph make it
    /// fall back to plain text.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            style: Style::new(),
        }
    }

    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Cells needed at `scale`, or `None` when some character has no big glyph.
    pub fn size_at(&self, scale: usize) -> Option<(usize, usize)> {
        let mut width = 0;
        for (i, c) in self.text.chars().enumerate() {
            let rows = glyph(c)?;
            if i > 0 {
                width += scale; // one pixel of spacing between glyphs
            }
            width += rows[0].len() * scale;
        }
        Some((width, (GLYPH_HEIGHT * scale).div_ceil(2)))
    }

    fn largest_scale(&self, area: Rect) -> usize {
        (1..=4)
            .rev()
            .find(|&scale| {
                self.size_at(scale).is_some_and(|(w, h)| {
                    w <= usize::from(area.width) && h <= usize::from(area.height)
                })
            })
            .unwrap_or(0)
    }

    fn pixels(&self, scale: usize) -> Vec<Vec<bool>> {
        let mut rows = vec![Vec::new(); GLYPH_HEIGHT * scale];
        for (i, c) in self.text.chars().enumerate() {
            let Some(shape) = glyph(c) else { continue };
            for (y, pattern) in shape.iter().enumerate() {
                for row in rows.iter_mut().skip(y * scale).take(scale) {
                    if i > 0 {
                        row.extend(std::iter::repeat_n(false, scale));
                    }
                    for lit in pattern.chars().map(|p| p == '#') {
                        row.extend(std::iter::repeat_n(lit, scale));
                    }
                }
            }
        }
        rows
    }
}

impl Widget for BigAmount<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let scale = self.largest_scale(area);
        let Some((width, height)) = self.size_at(scale).filter(|_| scale > 0) else {
            Paragraph::new(Line::from(self.text))
                .style(self.style.add_modifier(Modifier::BOLD))
                .alignment(Alignment::Right)
                .render(area, buf);
            return;
        };
        let pixels = self.pixels(scale);
        let left = area.x + area.width - width as u16;
        let top = area.y + (area.height - height as u16) / 2;
        let lit = |x: usize, y: usize| {
            pixels
                .get(y)
                .and_then(|r| r.get(x))
                .copied()
                .unwrap_or(false)
        };
        for row in 0..height {
            for col in 0..width {
                let symbol = match (lit(col, row * 2), lit(col, row * 2 + 1)) {
                    (true, true) => "█",
                    (true, false) => "▀",
                    (false, true) => "▄",
                    (false, false) => " ",
                };
                if let Some(cell) = buf.cell_mut((left + col as u16, top + row as u16)) {
                    cell.set_symbol(symbol).set_style(self.style);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, width: u16, height: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        BigAmount::new(text).render(buf.area, &mut buf);
        buf
    }

    fn row(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
    }

    #[test]
    fn draws_three_rows_at_scale_one() {
        let buf = render("¥1,200", 22, 3);
        assert_eq!(row(&buf, 0), "█ █ ▄█     ▀▀█ █▀█ █▀█");
        assert_eq!(row(&buf, 1), "▄█▄  █   ▄ █▀▀ █ █ █ █");
        assert_eq!(row(&buf, 2), " ▀  ▀▀▀ ▀  ▀▀▀ ▀▀▀ ▀▀▀");
    }

    #[test]
    fn grows_when_there_is_room() {
        let amount = BigAmount::new("¥1,200");
        assert_eq!(amount.size_at(1), Some((22, 3)));
        assert_eq!(amount.largest_scale(Rect::new(0, 0, 60, 10)), 2);
    }

    #[test]
    fn falls_back_to_plain_text_when_small() {
        let buf = render("¥1,200", 20, 2);
        assert_eq!(row(&buf, 0).trim(), "¥1,200");
    }

    #[test]
    fn unknown_characters_fall_back_instead_of_vanishing() {
        let buf = render("¥1.5", 40, 5);
        assert_eq!(row(&buf, 0).trim(), "¥1.5");
    }
}
