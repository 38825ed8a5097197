//! Aligned text tables for the figures, and the single JSON line that follows them.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

/// A titled table of text cells; columns after the first are right-aligned (they hold numbers).
#[derive(Debug, Clone, Default)]
pub struct Table {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Self {
            title: title.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<I, S>(&mut self, cells: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: ToString,
    {
        self.rows
            .push(cells.into_iter().map(|c| c.to_string()).collect());
        self
    }

    pub fn render(&self) -> String {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0usize; columns];
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, cell) in line.iter().enumerate() {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::new();
        if !self.title.is_empty() {
            let _ = writeln!(out, "{}", self.title);
        }
        let format_line = |line: &[String]| {
            let mut text = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = line.get(i).map(String::as_str).unwrap_or("");
                let pad = " ".repeat(width.saturating_sub(cell.width()));
                if i > 0 {
                    text.push_str("  ");
                }
                if i == 0 {
                    text.push_str(cell);
                    text.push_str(&pad);
                } else {
                    text.push_str(&pad);
                    text.push_str(cell);
                }
            }
            text.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", format_line(&self.headers));
        let rule: usize = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
        let _ = writeln!(out, "{}", "-".repeat(rule));
        for row in &self.rows {
            let _ = writeln!(out, "{}", format_line(row));
        }
        out
    }
}

/// What a subcommand prints: tables and notes for people, one JSON object for programs.
#[derive(Debug, Clone)]
pub struct Output {
    pub tables: Vec<Table>,
    pub notes: Vec<String>,
    pub json: serde_json::Value,
}

impl Output {
    /// The text, then (with `json`) the JSON object as the very last line.
    pub fn render(&self, json: bool) -> String {
        let mut out = String::new();
        for table in &self.tables {
            out.push_str(&table.render());
            out.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(out, "{note}");
        }
        if json {
            let _ = writeln!(out, "{}", self.json);
        }
        out
    }
}

/// A number with `digits` decimals, for table cells.
pub fn fixed(value: f64, digits: usize) -> String {
    format!("{value:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_with_wide_characters() {
        let mut t = Table::new("T", &["figure", "value"]);
        t.row(["p50", "12"]).row(["レジ", "3456"]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "T");
        assert_eq!(lines[1], "figure  value");
        assert_eq!(lines[3], "p50        12");
        assert_eq!(lines[4], "レジ     3456");
    }

    #[test]
    fn json_comes_last_and_only_when_asked() {
        let out = Output {
            tables: vec![Table::new("", &["a"])],
            notes: vec!["note".into()],
            json: serde_json::json!({"p50_us": 1}),
        };
        assert_eq!(out.render(true).lines().last(), Some(r#"{"p50_us":1}"#));
        assert!(!out.render(false).contains("p50_us"));
    }

    #[test]
    fn ragged_rows_do_not_panic() {
        let mut t = Table::new("", &["a"]);
        t.row(["1", "2", "3"]).row(Vec::<String>::new());
        assert!(t.render().contains("1  2  3"));
    }
}
