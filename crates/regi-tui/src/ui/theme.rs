//! Styles for every screen. Colour only reinforces meaning: outcomes always carry a text label from
//! `strings` as well, so a monochrome terminal or a colour-blind clerk loses nothing.

use ratatui::style::{Color, Modifier, Style};

/// How the terminal takes colours, decided once at start-up from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorDepth {
    /// 24-bit RGB (`COLORTERM=truecolor`): exact black and white that no theme remaps.
    #[default]
    TrueColor,
    /// 256-colour palette: the fixed colour-cube black (16) and white (231), which themes leave alone.
    Indexed,
}

impl ColorDepth {
    /// Reads `COLORTERM` the way most terminal programs do.
    pub fn from_colorterm(colorterm: Option<&str>) -> Self {
        match colorterm {
            Some(v) if v.eq_ignore_ascii_case("truecolor") || v.eq_ignore_ascii_case("24bit") => {
                ColorDepth::TrueColor
            }
            _ => ColorDepth::Indexed,
        }
    }
}

/// Black and white that ignore the terminal's palette: a QR code must be dark on light everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrColors {
    pub dark: Color,
    pub light: Color,
}

impl QrColors {
    pub fn for_depth(depth: ColorDepth) -> Self {
        match depth {
            ColorDepth::TrueColor => Self {
                dark: Color::Rgb(0, 0, 0),
                light: Color::Rgb(255, 255, 255),
            },
            ColorDepth::Indexed => Self {
                dark: Color::Indexed(16),
                light: Color::Indexed(231),
            },
        }
    }
}

impl Default for QrColors {
    fn default() -> Self {
        Self::for_depth(ColorDepth::default())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub qr: QrColors,
}

impl Default for Theme {
    fn default() -> Self {
        Self::new(ColorDepth::default())
    }
}

impl Theme {
    pub fn new(depth: ColorDepth) -> Self {
        Self {
            qr: QrColors::for_depth(depth),
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        Style::new().fg(Color::DarkGray)
    }

    pub fn muted(&self) -> Style {
        Style::new().fg(Color::DarkGray)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn total(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn input(&self) -> Style {
        Style::new()
            .add_modifier(Modifier::BOLD)
            .add_modifier(Modifier::UNDERLINED)
    }

    pub fn key(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn key_label(&self) -> Style {
        Style::new()
    }

    pub fn success(&self) -> Style {
        Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn failure(&self) -> Style {
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn pending(&self) -> Style {
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn notice(&self) -> Style {
        Style::new().fg(Color::Yellow)
    }

    pub fn error(&self) -> Style {
        Style::new()
            .fg(Color::Red)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// The training banner; its text says TRAINING, the colour only makes it louder.
    pub fn training_banner(&self) -> Style {
        Style::new()
            .fg(Color::Black)
            .bg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colorterm_selects_depth() {
        assert_eq!(
            ColorDepth::from_colorterm(Some("truecolor")),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::from_colorterm(Some("24BIT")),
            ColorDepth::TrueColor
        );
        assert_eq!(ColorDepth::from_colorterm(None), ColorDepth::Indexed);
    }

    #[test]
    fn qr_colours_never_use_the_themeable_palette() {
        for depth in [ColorDepth::TrueColor, ColorDepth::Indexed] {
            let qr = QrColors::for_depth(depth);
            assert!(!matches!(qr.dark, Color::Black | Color::Reset));
            assert!(!matches!(qr.light, Color::White | Color::Reset));
            assert_ne!(qr.dark, qr.light);
        }
    }
}
