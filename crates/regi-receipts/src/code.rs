//! The receipt code in a receipt's QR (`RGI-<terminal id>-<receipt number>`), and finding the sale
//! again from it or from a sale number typed by the clerk.

use super::error::ReceiptError;
use regi_config::Config;
use regi_journal::Journal;
use regi_scanner::ReceiptCode;

/// The code printed on the receipt with number `receipt_no` at this terminal.
pub fn receipt_code(config: &Config, receipt_no: i64) -> String {
    ReceiptCode::format(&config.terminal.id, receipt_no.unsigned_abs())
}

/// The terminal id `terminal_id` as it appears in receipt codes.
fn code_terminal(terminal_id: &str) -> String {
    let code = ReceiptCode::format(terminal_id, 0);
    ReceiptCode::parse(&code)
        .map(|c| c.terminal_id().to_owned())
        .unwrap_or(code)
}

/// The sale a scanned or typed receipt code stands for, at the terminal `terminal_id`
/// (`[terminal] id`). Codes of other terminals are refused: their receipt numbers belong to
/// another journal.
pub fn find_sale_by_code(
    journal: &Journal,
    terminal_id: &str,
    code: &str,
) -> Result<i64, ReceiptError> {
    let parsed = ReceiptCode::parse(code.trim())
        .ok_or_else(|| ReceiptError::BadReference(code.to_owned()))?;
    let own = code_terminal(terminal_id);
    if parsed.terminal_id() != own {
        return Err(ReceiptError::OtherTerminal {
            code: parsed.to_string(),
            code_terminal: parsed.terminal_id().to_owned(),
            own_terminal: own,
        });
    }
    let receipt_no = i64::try_from(parsed.sale_no())
        .map_err(|_| ReceiptError::UnknownReceipt(parsed.sale_no()))?;
    journal
        .sale_id_by_receipt_no(receipt_no)?
        .ok_or(ReceiptError::UnknownReceipt(parsed.sale_no()))
}

/// How the clerk names a sale: its number in the journal (`12`, `#12`) or a receipt code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleRef {
    Id(i64),
    Code(String),
}

impl SaleRef {
    pub fn parse(text: &str) -> Result<SaleRef, ReceiptError> {
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix('#').unwrap_or(trimmed);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return digits
                .parse()
                .map(SaleRef::Id)
                .map_err(|_| ReceiptError::BadReference(text.to_owned()));
        }
        match ReceiptCode::parse(trimmed) {
            Some(code) => Ok(SaleRef::Code(code.to_string())),
            None => Err(ReceiptError::BadReference(text.to_owned())),
        }
    }

    /// The sale id, looking a receipt code up in `journal`.
    pub fn resolve(&self, journal: &Journal, config: &Config) -> Result<i64, ReceiptError> {
        match self {
            SaleRef::Id(id) => Ok(*id),
            SaleRef::Code(code) => find_sale_by_code(journal, &config.terminal.id, code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(terminal_id: &str) -> Config {
        let mut config = Config::default();
        config.terminal.id = terminal_id.into();
        config
    }

    #[test]
    fn code_carries_terminal_and_receipt_number() {
        let code = receipt_code(&config("pos-1"), 42);
        assert_eq!(code, "RGI-POS1-42");
        let parsed = ReceiptCode::parse(&code).expect("parses");
        assert_eq!(parsed.sale_no(), 42);
    }

    #[test]
    fn references_parse_as_ids_or_codes() {
        assert_eq!(SaleRef::parse("12").ok(), Some(SaleRef::Id(12)));
        assert_eq!(SaleRef::parse(" #7 ").ok(), Some(SaleRef::Id(7)));
        assert_eq!(
            SaleRef::parse("rgi-01-0042").ok(),
            Some(SaleRef::Code("RGI-01-42".into()))
        );
        for bad in [
            "",
            "#",
            "-3",
            "12a",
            "RGI-01-",
            "99999999999999999999",
            "領収書",
        ] {
            assert!(SaleRef::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn codes_of_other_terminals_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = Journal::open(&dir.path().join("j.sqlite")).expect("journal");
        let err = find_sale_by_code(&journal, "01", "RGI-02-1").expect_err("refused");
        assert!(matches!(err, ReceiptError::OtherTerminal { .. }), "{err}");
        let err = find_sale_by_code(&journal, "01", "RGI-01-1").expect_err("none");
        assert!(matches!(err, ReceiptError::UnknownReceipt(1)), "{err}");
        let err = find_sale_by_code(&journal, "01", "garbage").expect_err("bad");
        assert!(matches!(err, ReceiptError::BadReference(_)), "{err}");
    }
}
