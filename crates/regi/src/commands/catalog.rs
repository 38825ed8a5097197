//! The `[sale] catalog` as the till, `regi checkout` and `regi doctor` read it: rows left out are
//! logged and shown with their line and reason, so a bad row in a file saved from Excel costs
//! that product only, not the opening of the till.

use std::path::Path;

use regi_core::app::NoticeMessage;
use regi_core::app::records::Check;
use regi_core::domain::{Catalog, CatalogEncoding, CatalogRead};
use regi_tui::ui::strings::Strings;

/// The configured catalog (an empty one without `[sale] catalog`), each row left out logged.
pub fn load(path: Option<&Path>, s: &Strings) -> anyhow::Result<(Catalog, Option<NoticeMessage>)> {
    let Some(path) = path else {
        return Ok((Catalog::default(), None));
    };
    let read = regi_config::load_catalog(path).map_err(|e| anyhow::anyhow!(s.catalog_error(&e)))?;
    for row in &read.skipped {
        tracing::warn!(catalog = %path.display(), "row left out: {row}");
    }
    let notice = read
        .skipped
        .first()
        .map(|first| NoticeMessage::CatalogRowsLeftOut {
            count: read.skipped.len(),
            first_ja: first.message_ja(),
            first_en: first.to_string(),
        });
    Ok((read.catalog, notice))
}

/// `regi doctor`'s catalog line: fails when the till would refuse the file, warns (passes with a
/// hint) naming every row it would leave out.
pub fn catalog_check(path: Option<&Path>, s: &Strings) -> Option<Check> {
    let path = path?;
    Some(match regi_config::load_catalog(path) {
        Err(e) => Check::new(
            s.check_catalog,
            false,
            format!("{}: {}", path.display(), s.catalog_error(&e)),
            Some(s.hint_catalog),
        ),
        Ok(read) => read_check(path, &read, s),
    })
}

fn read_check(path: &Path, read: &CatalogRead, s: &Strings) -> Check {
    let encoding = match read.encoding {
        CatalogEncoding::Utf8 => "UTF-8",
        CatalogEncoding::Utf8Bom => "UTF-8 BOM",
        CatalogEncoding::ShiftJis => "Shift_JIS",
    };
    let mut detail = format!(
        "{}: {} {}, {encoding}",
        path.display(),
        read.catalog.len(),
        s.catalog_products
    );
    if read.skipped.is_empty() {
        return Check::new(s.check_catalog, true, detail, None);
    }
    detail.push_str(&format!(
        "; {} {}:",
        read.skipped.len(),
        s.catalog_rows_left_out
    ));
    for row in &read.skipped {
        detail.push_str("\n       ");
        detail.push_str(&s.catalog_error(row));
    }
    Check::new(s.check_catalog, true, detail, Some(s.hint_catalog_rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_config::Lang;
    use regi_tui::ui::strings::LangStrings as _;

    #[test]
    fn doctor_names_each_row_the_till_would_leave_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("products.csv");
        std::fs::write(
            &path,
            "jan,name,unit_price,tax_rate\n4901234567894,a,100,8\n4901234567890,b,100,8\n",
        )
        .expect("write");
        let c = catalog_check(Some(&path), Lang::En.strings()).expect("a check");
        assert!(c.ok, "the till opens with the good rows: {c:?}");
        assert!(
            c.detail.contains("1 products") && c.detail.contains("line 3"),
            "{c:?}"
        );
        assert!(c.hint.is_some());
    }

    #[test]
    fn doctor_fails_a_catalog_the_till_would_refuse_and_names_the_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("products.csv");
        std::fs::write(
            &path,
            "jan,name,unit_price,tax_rate\n4901234567890,b,100,8\n",
        )
        .expect("write");
        let s = Lang::Ja.strings();
        let c = catalog_check(Some(&path), s).expect("a check");
        assert!(!c.ok, "{c:?}");
        assert_eq!(c.hint.as_deref(), Some(s.hint_catalog));
        let missing = catalog_check(Some(&dir.path().join("none.csv")), s).expect("a check");
        assert!(
            !missing.ok && missing.detail.contains("none.csv"),
            "{missing:?}"
        );
        assert!(catalog_check(None, s).is_none());
    }

    #[test]
    fn the_till_is_told_how_many_rows_were_left_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("products.csv");
        std::fs::write(
            &path,
            "jan,name,unit_price,tax_rate\n4901234567894,a,100,8\n4901234567894,b,100,8\n",
        )
        .expect("write");
        let (catalog, notice) = load(Some(&path), Lang::En.strings()).expect("loads");
        assert_eq!(catalog.len(), 1);
        match notice {
            Some(NoticeMessage::CatalogRowsLeftOut {
                count: 1, first_en, ..
            }) => {
                assert!(first_en.contains("line 3"), "{first_en}")
            }
            other => panic!("{other:?}"),
        }
    }
}
