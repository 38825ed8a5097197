//! Diagnostics: the doctor's checks, start-up recovery, configuration without secrets.

use crate::ui::strings::LangStrings as _;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::ui::theme::Theme;
use regi_core::app::App;
use unicode_width::UnicodeWidthChar;

/// Where a check's detail and its fix-it hint continue when they wrap: under their own text,
/// never at the left edge where the next check's label stands.
const DETAIL_INDENT: usize = 6;
const HINT_INDENT: usize = 8;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let s = app.lang.strings();
    let mut lines = Vec::new();
    match &app.status {
        None => lines.push(Line::styled(
            format!(" {}", s.api_checking),
            theme.pending(),
        )),
        Some(report) => {
            // Inside the border.
            let width = usize::from(area.width.saturating_sub(2));
            for check in &report.checks {
                // Passed with a hint is a warning, as `regi doctor` prints it.
                let (label, style) = match (check.ok, &check.hint) {
                    (true, None) => (s.label_ok, theme.success()),
                    (true, Some(_)) => (s.label_warn, theme.pending()),
                    (false, _) => (s.label_ng, theme.failure()),
                };
                let head = format!(" {label} {}  ", check.name);
                let mut detail = hanging(&check.detail, display_width(&head), DETAIL_INDENT, width);
                let first = if detail.is_empty() {
                    String::new()
                } else {
                    detail.remove(0)
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {label} "), style),
                    Span::styled(check.name.clone(), theme.title()),
                    Span::raw(format!("  {first}")),
                ]));
                lines.extend(
                    detail
                        .into_iter()
                        .map(|rest| Line::raw(format!("{}{rest}", " ".repeat(DETAIL_INDENT)))),
                );
                if let Some(hint) = &check.hint {
                    let arrow = "      → ";
                    for (i, part) in hanging(hint, display_width(arrow), HINT_INDENT, width)
                        .into_iter()
                        .enumerate()
                    {
                        let lead = if i == 0 {
                            arrow.to_string()
                        } else {
                            " ".repeat(HINT_INDENT)
                        };
                        lines.push(Line::styled(format!("{lead}{part}"), theme.muted()));
                    }
                }
            }
        }
    }
    lines.push(Line::default());
    let recovery = if app.startup.recovered + app.startup.unresolved == 0 {
        s.recovery_none.to_string()
    } else {
        s.recovered(app.startup.recovered, app.startup.unresolved)
    };
    lines.push(Line::from(format!(" {}: {recovery}", s.recovery)));
    lines.push(Line::default());
    lines.push(Line::styled(
        format!(" {}", s.config_summary),
        theme.title(),
    ));
    for (key, value) in &app.startup.config_summary {
        lines.push(Line::from(format!("   {key} = {value}")));
    }
    if let Some(file) = &app.startup.catalog_file {
        // The catalog in use, not the one read at start.
        let mut line = format!(
            "   sale.catalog = {}: {} {}",
            file.path,
            app.catalog.len(),
            s.catalog_products
        );
        if file.rows_left_out > 0 {
            line.push_str(&format!(
                ", {} {}",
                file.rows_left_out, s.catalog_rows_left_out
            ));
        }
        if let Some(version) = file.store_version {
            line.push_str(&format!(" ({} {version})", s.store_catalog_version));
        }
        lines.push(Line::from(line));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border()),
        )
        .render(area, buf);
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` cut into pieces: the first fits `width - first_used` columns, the others
/// `width - indent`. Breaks after a space where there is one, else between any two characters
/// (Japanese has no spaces).
fn hanging(text: &str, first_used: usize, indent: usize, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut room = width.saturating_sub(first_used).max(8);
    let mut rest: Vec<char> = text.chars().collect();
    while !rest.is_empty() {
        let mut used = 0;
        let mut end = 0;
        let mut last_space = None;
        while end < rest.len() {
            let w = rest[end].width().unwrap_or(0);
            if used + w > room {
                break;
            }
            if rest[end] == ' ' {
                last_space = Some(end);
            }
            used += w;
            end += 1;
        }
        let cut = match (end < rest.len(), last_space) {
            (true, Some(space)) if space > 0 => space + 1,
            _ => end.max(1),
        };
        let piece: String = rest[..cut].iter().collect();
        pieces.push(piece.trim_end().to_string());
        rest.drain(..cut);
        room = width.saturating_sub(indent).max(8);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_hint_continues_under_itself_never_at_the_left_edge() {
        let hint = "Check the scanner's cable and [scanner] in regi.toml, then try regi scan-test";
        let pieces = hanging(hint, 8, HINT_INDENT, 40);
        assert!(pieces.len() > 1, "{pieces:?}");
        assert!(pieces[0].chars().count() <= 32, "{pieces:?}");
        assert!(pieces.iter().all(|p| !p.starts_with(' ')), "{pieces:?}");
        assert_eq!(pieces.join(" "), hint);
    }

    #[test]
    fn japanese_without_spaces_is_cut_by_display_width() {
        let pieces = hanging(
            "スキャナーの接続と設定を確認してください",
            8,
            HINT_INDENT,
            28,
        );
        assert!(pieces.len() > 1, "{pieces:?}");
        assert!(pieces.iter().all(|p| display_width(p) <= 20), "{pieces:?}");
    }
}
