//! What a scanned code is: a customer's payment code (in the shape an enabled provider gives it), a
//! product JAN/EAN, one of our receipts, or unknown.

use std::fmt;

use crate::domain::catalog::has_gs1_check_digit;

/// The class of a scanned code. `as_str` gives the stable names used on the command line and in logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanKind {
    /// A customer's payment code, shown by their wallet app, in the shape of an enabled provider's
    /// [`CustomerCodeFormat`].
    CustomerCode,
    /// A product code: EAN-13, EAN-8 or UPC-A with a valid check digit.
    Jan,
    /// A regi receipt code (see [`ReceiptCode`]).
    Receipt,
    /// Anything else, including a JAN-shaped code with a wrong check digit.
    Unknown,
}

impl ScanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::CustomerCode => "customer_code",
            ScanKind::Jan => "jan",
            ScanKind::Receipt => "receipt",
            ScanKind::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ScanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The characters a customer code is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeAlphabet {
    Digits,
    /// ASCII letters and digits.
    Alphanumeric,
}

/// How one provider's customer codes look, so a scan can be told apart from a product code before
/// any request: the provider publishes it, the app only compares shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CustomerCodeFormat {
    /// The provider that charges codes of this shape, as the journal names it.
    pub provider: &'static str,
    pub length: usize,
    pub alphabet: CodeAlphabet,
}

impl CustomerCodeFormat {
    /// Whether `code`, exactly as scanned, has this shape.
    pub fn matches(&self, code: &str) -> bool {
        code.len() == self.length
            && code.bytes().all(|b| match self.alphabet {
                CodeAlphabet::Digits => b.is_ascii_digit(),
                CodeAlphabet::Alphanumeric => b.is_ascii_alphanumeric(),
            })
    }
}

/// Classifies a code exactly as scanned (no trimming: a code with a stray space is not a code).
/// Receipts and product codes win over customer codes: their check digits make them certain.
pub fn classify(code: &str, customer_codes: &[CustomerCodeFormat]) -> ScanKind {
    if ReceiptCode::parse(code).is_some() {
        ScanKind::Receipt
    } else if is_valid_jan(code) {
        ScanKind::Jan
    } else if recognise(code, customer_codes).is_some() {
        ScanKind::CustomerCode
    } else {
        ScanKind::Unknown
    }
}

/// The format (and so the provider) a customer code belongs to; the first listed wins.
pub fn recognise<'a>(
    code: &str,
    customer_codes: &'a [CustomerCodeFormat],
) -> Option<&'a CustomerCodeFormat> {
    customer_codes.iter().find(|format| format.matches(code))
}

/// EAN-13, UPC-A (12 digits) or EAN-8 with a correct check digit.
pub fn is_valid_jan(code: &str) -> bool {
    matches!(code.len(), 8 | 12 | 13) && has_gs1_check_digit(code)
}

/// regi's own receipt code, printed as a barcode on every receipt and scanned back for refunds.
///
/// Text form: `RGI-<TERMINAL>-<SALE>`, where TERMINAL is 1–16 of `[A-Z0-9]` and SALE 1–12 decimal
/// digits. Letters, digits and `-` sit on the same keys in US and JIS layouts, so a scanner in either
/// layout types it correctly. Parsing ignores letter case (a scanner with Caps Lock confusion still
/// works) and leading zeros in SALE; the parsed value is canonical (uppercase, no leading zeros).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceiptCode {
    terminal_id: String,
    sale_no: u64,
}

/// Receipt code prefix (`RGI-`).
pub const RECEIPT_PREFIX: &str = "RGI-";
/// Longest terminal part of a receipt code.
pub const RECEIPT_TERMINAL_MAX: usize = 16;
/// Most digits in the sale part of a receipt code.
pub const RECEIPT_SALE_DIGITS_MAX: usize = 12;
const SALE_NO_LIMIT: u64 = 1_000_000_000_000;

impl ReceiptCode {
    /// A receipt code from already valid parts; `None` if the terminal id is not 1–16 of `[A-Za-z0-9]`
    /// or the sale number has more than 12 digits.
    pub fn new(terminal_id: &str, sale_no: u64) -> Option<ReceiptCode> {
        let valid_terminal = (1..=RECEIPT_TERMINAL_MAX).contains(&terminal_id.len())
            && terminal_id.bytes().all(|b| b.is_ascii_alphanumeric());
        (valid_terminal && sale_no < SALE_NO_LIMIT).then(|| ReceiptCode {
            terminal_id: terminal_id.to_ascii_uppercase(),
            sale_no,
        })
    }

    /// The code to print for sale `sale_no` of terminal `terminal_id`.
    ///
    /// Never fails: the terminal id is reduced to its ASCII letters and digits, uppercased and cut to
    /// 16 (`"0"` if nothing is left), and the sale number is taken modulo 10^12. Configuration should
    /// validate terminal ids with [`ReceiptCode::new`] so this normalisation never changes one.
    pub fn format(terminal_id: &str, sale_no: u64) -> String {
        let mut terminal: String = terminal_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(RECEIPT_TERMINAL_MAX)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if terminal.is_empty() {
            terminal.push('0');
        }
        format!("{RECEIPT_PREFIX}{terminal}-{}", sale_no % SALE_NO_LIMIT)
    }

    /// Parses the text form; `None` for anything else.
    pub fn parse(code: &str) -> Option<ReceiptCode> {
        let prefix = code.get(..RECEIPT_PREFIX.len())?;
        if !prefix.eq_ignore_ascii_case(RECEIPT_PREFIX) {
            return None;
        }
        let rest = code.get(RECEIPT_PREFIX.len()..)?;
        let (terminal, sale) = rest.split_once('-')?;
        if sale.is_empty()
            || sale.len() > RECEIPT_SALE_DIGITS_MAX
            || !sale.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let sale_no = sale.parse().ok()?;
        ReceiptCode::new(terminal, sale_no)
    }

    /// The terminal id, uppercase.
    pub fn terminal_id(&self) -> &str {
        &self.terminal_id
    }

    pub fn sale_no(&self) -> u64 {
        self.sale_no
    }
}

impl fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{RECEIPT_PREFIX}{}-{}", self.terminal_id, self.sale_no)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wallet whose codes are 22 letters or digits.
    const WALLET: CustomerCodeFormat = CustomerCodeFormat {
        provider: "wallet",
        length: 22,
        alphabet: CodeAlphabet::Alphanumeric,
    };

    #[test]
    fn valid_ean13_is_jan() {
        assert_eq!(classify("4901234567894", &[WALLET]), ScanKind::Jan);
        assert_eq!(classify("4902102072618", &[WALLET]), ScanKind::Jan);
    }

    #[test]
    fn wrong_check_digit_is_unknown() {
        assert_eq!(classify("4901234567890", &[WALLET]), ScanKind::Unknown);
        assert_eq!(classify("4901234567895", &[WALLET]), ScanKind::Unknown);
    }

    #[test]
    fn ean8_and_upca_are_jan() {
        assert_eq!(classify("49123456", &[WALLET]), ScanKind::Jan);
        assert_eq!(classify("49123457", &[WALLET]), ScanKind::Unknown);
        assert_eq!(classify("036000291452", &[WALLET]), ScanKind::Jan);
        assert_eq!(classify("036000291453", &[WALLET]), ScanKind::Unknown);
    }

    #[test]
    fn other_digit_lengths_are_not_jan() {
        for code in ["4", "4901234", "490123456", "49012345678", "49012345678945"] {
            assert_eq!(classify(code, &[WALLET]), ScanKind::Unknown, "{code}");
        }
    }

    #[test]
    fn codes_in_an_enabled_providers_shape_are_customer_codes() {
        assert_eq!(
            classify("1234567890123456789012", &[WALLET]),
            ScanKind::CustomerCode
        );
        assert_eq!(
            classify("aB3dE5gH7jK9mN1pQ3sT5v", &[WALLET]),
            ScanKind::CustomerCode
        );
    }

    #[test]
    fn near_customer_code_shapes_are_unknown() {
        assert_eq!(
            classify("123456789012345678901", &[WALLET]),
            ScanKind::Unknown
        );
        assert_eq!(
            classify("12345678901234567890123", &[WALLET]),
            ScanKind::Unknown
        );
        assert_eq!(
            classify("1234567890-23456789012", &[WALLET]),
            ScanKind::Unknown
        );
        assert_eq!(
            classify(" 234567890123456789012", &[WALLET]),
            ScanKind::Unknown
        );
        // 22 characters but not all ASCII: a full-width digit.
        assert_eq!(
            classify("１23456789012345678901", &[WALLET]),
            ScanKind::Unknown
        );
    }

    #[test]
    fn empty_and_odd_input_is_unknown() {
        assert_eq!(classify("", &[WALLET]), ScanKind::Unknown);
        assert_eq!(classify("RGI-", &[WALLET]), ScanKind::Unknown);
        assert_eq!(classify("ｒｅｇｉ", &[WALLET]), ScanKind::Unknown);
    }

    #[test]
    fn receipt_code_round_trips() {
        let text = ReceiptCode::format("t01", 4711);
        assert_eq!(text, "RGI-T01-4711");
        let parsed = ReceiptCode::parse(&text).expect("parses");
        assert_eq!(parsed.terminal_id(), "T01");
        assert_eq!(parsed.sale_no(), 4711);
        assert_eq!(parsed.to_string(), text);
        assert_eq!(classify(&text, &[WALLET]), ScanKind::Receipt);
    }

    #[test]
    fn receipt_code_parse_is_case_insensitive_and_canonical() {
        let parsed = ReceiptCode::parse("rgi-shop7-000042").expect("parses");
        assert_eq!(parsed.to_string(), "RGI-SHOP7-42");
    }

    #[test]
    fn receipt_code_rejects_malformed() {
        for code in [
            "RGI--1",
            "RGI-T1-",
            "RGI-T1",
            "RGI-T_1-5",
            "RGI-T1-5-6",
            "RGI-T1-1234567890123",
            "RGI-ABCDEFGHIJKLMNOPQ-1",
            "RGX-T1-5",
            "RGI-T1-+5",
            "RGI-T1- 5",
        ] {
            assert_eq!(ReceiptCode::parse(code), None, "{code}");
        }
        assert!(ReceiptCode::parse("RGI-ABCDEFGHIJKLMNOP-999999999999").is_some());
    }

    #[test]
    fn receipt_format_normalises_bad_parts() {
        assert_eq!(ReceiptCode::format("レジ 2-b", 7), "RGI-2B-7");
        assert_eq!(ReceiptCode::format("", 7), "RGI-0-7");
        assert_eq!(ReceiptCode::format("T", 1_000_000_000_001), "RGI-T-1");
        assert!(ReceiptCode::new("T-1", 1).is_none());
        assert!(ReceiptCode::new("T", 1_000_000_000_000).is_none());
    }

    #[test]
    fn without_an_enabled_provider_no_code_is_a_customer_code() {
        assert_eq!(classify("1234567890123456789012", &[]), ScanKind::Unknown);
    }

    #[test]
    fn the_first_format_that_matches_names_the_provider() {
        let digits = CustomerCodeFormat {
            provider: "digits",
            length: 22,
            alphabet: CodeAlphabet::Digits,
        };
        let formats = [digits, WALLET];
        assert_eq!(
            recognise("1234567890123456789012", &formats).map(|f| f.provider),
            Some("digits")
        );
        assert_eq!(
            recognise("aB3dE5gH7jK9mN1pQ3sT5v", &formats).map(|f| f.provider),
            Some("wallet")
        );
    }
}
