//! The clerk's language (ja or en): every text a clerk or a customer reads comes in both.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The clerk's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// Reads an `Accept-Language` value: English unless Japanese is asked for (`ja`, `ja-JP`, and
    /// JAVA's `jp`).
    pub fn from_accept_language(value: Option<&str>) -> Self {
        let Some(value) = value else {
            return Lang::En;
        };
        let first = value
            .split(',')
            .next()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("ja") || first == "jp" {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The `Accept-Language` tag for this language.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language {other:?}; expected ja or en")),
        }
    }
}
