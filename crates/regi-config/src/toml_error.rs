//! Wording for a TOML error in `regi.toml`. The parser's own report quotes the offending line,
//! and its message often the value (``invalid type: integer `2580` ``): a leak for an unquoted
//! client secret or PIN, and for a secret under a misspelt key. So the line is never quoted: an
//! error names the line, the column and the key; on a secret-bearing key it leaves out every
//! quoted excerpt of the message too.

use std::ops::Range;

use super::secret_keys::is_secret_key;

/// The message for `err`, raised while parsing `text` (the file's name is added by the caller).
pub fn describe_toml_error(err: &toml::de::Error, text: &str) -> String {
    let message = err.message().trim_end();
    let Some(span) = err.span() else {
        return message.to_string();
    };
    if let Some(found) = secret_key_in(text, span.clone()) {
        return format!(
            "line {}, {}: {} (the value is not shown: it is secret)",
            found.line,
            found.key,
            without_quoted_values(message)
        );
    }
    let start = span.start.min(text.len());
    let line_begins = line_start(text, start);
    let line = text[..line_begins].matches('\n').count() + 1;
    let column = text[line_begins..start].chars().count() + 1;
    let this_line = text[line_begins..].lines().next().unwrap_or_default();
    match key_on(this_line) {
        Some(key) => format!(
            "line {line}, column {column}, {}: {message}",
            with_table(text, line_begins, key)
        ),
        None => format!("line {line}, column {column}: {message}"),
    }
}

/// The key assigned at the start of `line`, if it is an assignment.
fn key_on(line: &str) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || key.starts_with(['#', '[']) {
        return None;
    }
    Some(key.trim_matches(|c| c == '"' || c == '\'').to_string())
}

fn with_table(text: &str, line_begins: usize, key: String) -> String {
    match table_above(text, line_begins) {
        Some(table) => format!("[{table}] {key}"),
        None => key,
    }
}

/// A secret-bearing key on one of the lines `span` covers.
struct SecretLine {
    /// 1-based, as editors count.
    line: usize,
    /// As written in messages elsewhere: `[ui] manager_pin`.
    key: String,
}

fn secret_key_in(text: &str, span: Range<usize>) -> Option<SecretLine> {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let first_line = line_start(text, start);
    let first_line_no = text[..first_line].matches('\n').count() + 1;
    let mut offset = first_line;
    for (line_no, line) in (first_line_no..).zip(text[first_line..].split_inclusive('\n')) {
        if offset > end {
            break;
        }
        if let Some(key) = secret_key_on(line) {
            let key = with_table(text, offset, key);
            return Some(SecretLine { line: line_no, key });
        }
        offset += line.len();
    }
    None
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The secret key assigned on `line`, also inside an inline table (`api = { client_secret = x }`).
fn secret_key_on(line: &str) -> Option<String> {
    let mut rest = line;
    while let Some(eq) = rest.find('=') {
        let before = &rest[..eq];
        let key = before
            .rsplit(['{', ',', '.'])
            .next()
            .unwrap_or(before)
            .trim();
        if is_secret_key(key) {
            return Some(key.trim_matches(|c| c == '"' || c == '\'').to_string());
        }
        rest = &rest[eq + 1..];
    }
    None
}

/// The `[table]` header governing the line starting at `offset`, if any.
fn table_above(text: &str, offset: usize) -> Option<String> {
    text[..offset].lines().rev().find_map(|line| {
        let line = line.trim();
        let inner = line.strip_prefix('[')?.split(']').next()?;
        Some(inner.trim_matches('[').trim().to_string())
    })
}

/// The parser's message with every back-quoted excerpt dropped: `invalid type: integer `2580`,
/// expected a string` becomes `invalid type: integer, expected a string`.
pub(crate) fn without_quoted_values(message: &str) -> String {
    let mut out = String::new();
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    // Odd parts were inside back quotes.
    for (i, part) in parts.enumerate() {
        if i % 2 == 1 {
            out.push_str(part);
        }
    }
    let joined: Vec<&str> = out.split_whitespace().collect();
    joined
        .join(" ")
        .replace(" ,", ",")
        .trim_end_matches([',', ' '])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_for(text: &str) -> String {
        let err = toml::from_str::<toml::Table>(text)
            .err()
            .or_else(|| {
                #[derive(serde::Deserialize, Debug)]
                #[allow(dead_code)]
                struct Ui {
                    manager_pin: Option<String>,
                }
                #[derive(serde::Deserialize, Debug)]
                #[allow(dead_code)]
                struct File {
                    ui: Option<Ui>,
                }
                toml::from_str::<File>(text).err()
            })
            .expect("an error");
        describe_toml_error(&err, text)
    }

    #[test]
    fn an_unquoted_secret_is_named_by_line_and_key_without_its_value() {
        let message = error_for("[api]\nclient_id = \"x\"\nclient_secret = p9trL9xYzSecretValue\n");
        assert!(!message.contains("p9trL9xYzSecretValue"), "{message}");
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("[api] client_secret"), "{message}");
    }

    #[test]
    fn a_pin_of_the_wrong_type_is_named_without_its_value() {
        let message = error_for("[ui]\nmanager_pin = 2580\n");
        assert!(!message.contains("2580"), "{message}");
        assert!(
            message.contains("line 2") && message.contains("[ui] manager_pin"),
            "{message}"
        );
        assert!(message.contains("integer"), "{message}");
    }

    #[test]
    fn other_errors_name_line_column_and_key_without_quoting_the_line() {
        let message = error_for("[ui]\nlang = ja\n");
        assert!(!message.contains("lang = ja"), "{message}");
        assert!(
            message.starts_with("line 2, column 8, [ui] lang: "),
            "{message}"
        );
    }

    #[test]
    fn a_secret_under_a_misspelt_key_is_not_shown() {
        let message = error_for("[api]\nclient_secert = p9trL9xYzSecretValue\n");
        assert!(!message.contains("p9trL9xYzSecretValue"), "{message}");
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn quoted_excerpts_are_dropped_from_the_message() {
        assert_eq!(
            without_quoted_values("invalid type: integer `2580`, expected a string"),
            "invalid type: integer, expected a string"
        );
    }
}
