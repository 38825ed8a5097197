//! The Partner API's published error table (`error-response.csv` beside this crate): one row per
//! endpoint and error `type`, with a Japanese and an English message for the clerk.
//!
//! The file lists each endpoint once (method + path template such as `/cashtrays/:uuid`) and leaves
//! method and path empty on the rows that follow for the same endpoint.

use std::sync::LazyLock;

use crate::endpoints::Endpoint;
use regi_config::Lang;

const CSV: &str = include_str!("../error-response.csv");

/// One message pair of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMessage {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub kind: String,
    pub ja: String,
    pub en: String,
}

impl ErrorMessage {
    /// The message in `lang`, falling back to the other language when the table leaves it empty.
    pub fn text(&self, lang: Lang) -> Option<&str> {
        let (first, second) = match lang {
            Lang::Ja => (&self.ja, &self.en),
            Lang::En => (&self.en, &self.ja),
        };
        [first, second]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
}

static TABLE: LazyLock<Vec<ErrorMessage>> = LazyLock::new(|| parse(CSV));

/// Error types any endpoint may answer that the published file gives no text for.
const GENERIC_TEXTS: &[(u16, &str, &str, &str)] = &[
    (404, "notfound", "見つかりません", "Not found"),
    // A money set up for tabs (CreditSession) refuses an ordinary payment or top-up with these.
    (
        422,
        "credit_session_money_topup_requires_credit_card",
        "このマネーはクレジットカードでのみチャージできます",
        "This money can only be topped up by credit card",
    ),
    (
        422,
        "credit_session_not_found",
        "オーソリセッションが見つかりません",
        "Credit session not found",
    ),
    (
        422,
        "invalid_credit_session_expires_at",
        "有効期限は現在から30日以内で指定してください",
        "The end must be in the future and at most 30 days ahead",
    ),
    (
        400,
        "invalid_parameters",
        "項目が無効です",
        "Invalid parameters",
    ),
    (
        503,
        "temporarily_unavailable",
        "一時的に利用できません",
        "Service Unavailable",
    ),
    (
        400,
        "partner_request_expired",
        "リクエストの有効期限が切れています",
        "This request is expired.",
    ),
    // partner.yaml names the type without an example message; this text is regi's.
    (
        400,
        "partner_request_already_done",
        "このリクエストは処理済みです",
        "This request is already done.",
    ),
];

static GENERIC: LazyLock<Vec<ErrorMessage>> = LazyLock::new(|| {
    GENERIC_TEXTS
        .iter()
        .map(|&(status, kind, ja, en)| ErrorMessage {
            method: String::new(),
            path: String::new(),
            status,
            kind: kind.to_string(),
            ja: ja.to_string(),
            en: en.to_string(),
        })
        .collect()
});

/// Texts for the generic error types (no endpoint), used where the table has none.
pub fn generic() -> &'static [ErrorMessage] {
    &GENERIC
}

/// Every row of the embedded table.
pub fn all() -> &'static [ErrorMessage] {
    &TABLE
}

/// The table row for an error `kind`: the row of `endpoint` when it lists that type, otherwise the
/// first row of any endpoint that has a message for it.
pub fn lookup(kind: &str, endpoint: Option<Endpoint>) -> Option<&'static ErrorMessage> {
    if kind.is_empty() {
        return None;
    }
    let same_endpoint = endpoint.and_then(|ep| {
        TABLE.iter().find(|row| {
            row.kind == kind && row.method == ep.method && row.path == ep.template && has_text(row)
        })
    });
    same_endpoint
        .or_else(|| TABLE.iter().find(|row| row.kind == kind && has_text(row)))
        .or_else(|| GENERIC.iter().find(|row| row.kind == kind))
}

/// The clerk-facing text for an error `kind` in `lang`: the table's row (this endpoint's first),
/// then the generic text in `lang` where the row has none in that language (the file gives many
/// `notfound` rows in English only), then the row's other language.
pub fn text_for(kind: &str, endpoint: Option<Endpoint>, lang: Lang) -> Option<&'static str> {
    let row = lookup(kind, endpoint)?;
    let in_lang = |row: &'static ErrorMessage| {
        let text = match lang {
            Lang::Ja => row.ja.trim(),
            Lang::En => row.en.trim(),
        };
        (!text.is_empty()).then_some(text)
    };
    in_lang(row)
        .or_else(|| GENERIC.iter().find(|g| g.kind == kind).and_then(in_lang))
        .or_else(|| row.text(lang))
}

fn has_text(row: &ErrorMessage) -> bool {
    !row.ja.trim().is_empty() || !row.en.trim().is_empty()
}

/// Parses the table, carrying each section's method and path down to its rows. Malformed rows are
/// skipped: the file is embedded and checked by tests, so skipping only guards against a bad edit.
fn parse(text: &str) -> Vec<ErrorMessage> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let (mut method, mut path) = (String::new(), String::new());
    for record in reader.records().flatten() {
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        if !field(0).is_empty() {
            method = field(0);
            path = field(1);
        }
        let Ok(status) = field(2).parse::<u16>() else {
            continue;
        };
        rows.push(ErrorMessage {
            method: method.clone(),
            path: path.clone(),
            status,
            kind: field(3),
            ja: field(4),
            en: field(5),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;

    const CPM: Endpoint = Operation::CreateCpmTransaction.endpoint();

    #[test]
    fn the_whole_table_is_read() {
        // The published file has 1 071 data rows, and the CreditSession and customer-card rows of
        // the newer Node SDK table 6 more.
        assert_eq!(all().len(), 1077);
        assert!(
            all()
                .iter()
                .all(|r| !r.method.is_empty() && !r.path.is_empty())
        );
    }

    #[test]
    fn generic_types_have_texts_in_both_languages() {
        // The published rows for `notfound` are English only.
        let get_cashtray = Operation::GetCashtray.endpoint();
        for endpoint in [None, Some(get_cashtray)] {
            assert_eq!(
                text_for("notfound", endpoint, Lang::Ja),
                Some("見つかりません")
            );
            assert_eq!(text_for("notfound", endpoint, Lang::En), Some("Not found"));
        }
        // A row with its own Japanese keeps it.
        assert_eq!(
            text_for("cpm_unacceptable_amount", Some(CPM), Lang::Ja),
            Some("このCPMトークンに対して許可されていない金額です。")
        );
        for row in generic() {
            assert!(!row.ja.is_empty() && !row.en.is_empty(), "{}", row.kind);
        }
    }

    #[test]
    fn sections_carry_their_endpoint_down() {
        let row = all()
            .iter()
            .find(|r| r.kind == "shop_user_not_found" && r.path == "/dashboard")
            .expect("row following GET /dashboard");
        assert_eq!(row.method, "GET");
        assert_eq!(row.status, 422);
    }

    #[test]
    fn looks_up_japanese_and_english_messages() {
        let row = lookup("cpm_unacceptable_amount", Some(CPM)).unwrap();
        assert_eq!(
            row.text(Lang::Ja),
            Some("このCPMトークンに対して許可されていない金額です。")
        );
        assert_eq!(
            row.text(Lang::En),
            Some("The amount is unacceptable for the CPM token")
        );
    }

    #[test]
    fn falls_back_to_english_when_japanese_is_missing() {
        let row = lookup("temporarily_unavailable", None).unwrap();
        assert_eq!(row.text(Lang::Ja), Some("Service Unavailable"));
    }

    #[test]
    fn prefers_the_row_of_the_same_endpoint() {
        let ep = Operation::GetCashtray.endpoint();
        let row = lookup("unpermitted_admin_user", Some(ep)).unwrap();
        assert_eq!(
            (row.method.as_str(), row.path.as_str()),
            (ep.method, ep.template)
        );
        let any = lookup("unpermitted_admin_user", None).unwrap();
        assert_eq!(any.path, "/user");
    }

    #[test]
    fn unknown_and_empty_types_find_nothing() {
        assert!(lookup("no_such_error_type", Some(CPM)).is_none());
        assert!(lookup("", Some(CPM)).is_none());
    }
}
