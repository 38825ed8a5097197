//! The product catalog, read from a CSV file: `jan,name,unit_price,tax_rate`. A file saved from
//! Excel may be UTF-8 (with or without a BOM) or Shift_JIS (CP932, Excel's Japanese default); a bad
//! row is left out with its line and reason rather than keeping the till closed.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use thiserror::Error;

use super::money::Yen;
use super::tax::TaxRate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// JAN (EAN-13 or EAN-8) code, digits only, check digit verified.
    pub jan: String,
    pub name: String,
    pub unit_price: Yen,
    pub tax_rate: TaxRate,
}

#[derive(Debug, Error)]
pub enum CatalogError {
    // The OS error is part of the message and not a `source`, so a chain of causes prints it once.
    #[error("cannot read catalog {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "catalog line {line}: the file is neither UTF-8 nor Shift_JIS (save it from Excel as \"CSV UTF-8\")"
    )]
    Encoding { line: u64 },
    #[error("catalog has no products: every row was left out")]
    Empty,
    #[error("catalog line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("catalog has no column {0:?} (expected jan,name,unit_price,tax_rate)")]
    MissingColumn(&'static str),
    #[error(
        "catalog line {line}: {jan:?} is not a valid JAN code (8 or 13 digits with check digit)"
    )]
    InvalidJan { line: u64, jan: String },
    #[error("catalog line {line}: product name is empty")]
    EmptyName { line: u64 },
    #[error("catalog line {line}: unit price {value:?} is not a whole number of yen ≥ 0")]
    InvalidPrice { line: u64, value: String },
    #[error("catalog line {line}: tax rate {value:?} is not 10 or 8 (standard / reduced)")]
    InvalidTaxRate { line: u64, value: String },
    #[error("JAN {0} is already in the catalog")]
    AlreadyListed(String),
    #[error("catalog line {line}: JAN {jan} already listed on line {first_line}")]
    DuplicateJan {
        line: u64,
        jan: String,
        first_line: u64,
    },
}

/// A JAN that is not in the catalog; the sale stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown product: JAN {jan} is not in the catalog")]
pub struct UnknownJan {
    pub jan: String,
}

impl UnknownJan {
    /// The clerk-facing message in Japanese.
    pub fn message_ja(&self) -> String {
        format!("商品が見つかりません（JAN {}）", self.jan)
    }
}

impl CatalogError {
    /// The line of the file the error is about, when it is about one.
    pub fn line(&self) -> Option<u64> {
        match self {
            CatalogError::Csv { line, .. }
            | CatalogError::Encoding { line }
            | CatalogError::InvalidJan { line, .. }
            | CatalogError::EmptyName { line }
            | CatalogError::InvalidPrice { line, .. }
            | CatalogError::InvalidTaxRate { line, .. }
            | CatalogError::DuplicateJan { line, .. } => Some(*line),
            CatalogError::Io { .. }
            | CatalogError::MissingColumn(_)
            | CatalogError::Empty
            | CatalogError::AlreadyListed(_) => None,
        }
    }

    /// The message in Japanese, for the clerk's screen and `regi doctor --lang ja`.
    pub fn message_ja(&self) -> String {
        match self {
            CatalogError::Io { path, error } => {
                format!("商品マスタ {} を読めません: {error}", path.display())
            }
            CatalogError::Encoding { line } => format!(
                "商品マスタ {line} 行目: UTF-8 でも Shift_JIS でもありません（Excel で「CSV UTF-8」として保存してください）"
            ),
            CatalogError::Empty => {
                "商品マスタに有効な商品がありません（すべての行が除外されました）".into()
            }
            CatalogError::AlreadyListed(jan) => format!("JAN {jan} は商品マスタにすでにあります"),
            CatalogError::Csv { line, message } => format!("商品マスタ {line} 行目: {message}"),
            CatalogError::MissingColumn(name) => format!(
                "商品マスタに {name} 列がありません（jan,name,unit_price,tax_rate が必要です）"
            ),
            CatalogError::InvalidJan { line, jan } => format!(
                "商品マスタ {line} 行目: {jan:?} は正しい JAN コードではありません（8桁か13桁、チェックデジット付き）"
            ),
            CatalogError::EmptyName { line } => format!("商品マスタ {line} 行目: 商品名が空です"),
            CatalogError::InvalidPrice { line, value } => format!(
                "商品マスタ {line} 行目: 単価 {value:?} は 0 以上の整数（円）ではありません"
            ),
            CatalogError::InvalidTaxRate { line, value } => {
                format!("商品マスタ {line} 行目: 税率 {value:?} は 10 か 8 ではありません")
            }
            CatalogError::DuplicateJan {
                line,
                jan,
                first_line,
            } => format!("商品マスタ {line} 行目: JAN {jan} は {first_line} 行目と重複しています"),
        }
    }
}

/// The text encodings a catalog file is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogEncoding {
    Utf8,
    /// UTF-8 starting with a byte order mark, as Excel's "CSV UTF-8" saves it.
    Utf8Bom,
    /// Shift_JIS with Microsoft's extensions (CP932), Excel's default "CSV" in Japan.
    ShiftJis,
}

/// A catalog as read from a file: the products, the encoding the file was in, and each row left
/// out with the line and reason, to be shown and logged.
#[derive(Debug)]
pub struct CatalogRead {
    pub catalog: Catalog,
    pub encoding: CatalogEncoding,
    pub skipped: Vec<CatalogError>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: Vec<Product>,
    by_jan: HashMap<String, usize>,
}

const COLUMNS: [&str; 4] = ["jan", "name", "unit_price", "tax_rate"];

impl Catalog {
    /// Reads a UTF-8 CSV with a header row naming at least `jan,name,unit_price,tax_rate`
    /// (in any order; extra columns are ignored). Line numbers in errors count the header as 1.
    /// The first bad row is an error.
    pub fn from_csv_reader<R: Read>(reader: R) -> Result<Catalog, CatalogError> {
        let (catalog, mut skipped) = Self::read_rows(reader, true)?;
        match skipped.is_empty() {
            true => Ok(catalog),
            false => Err(skipped.remove(0)),
        }
    }

    /// Reads a catalog file's bytes in whichever encoding they are (UTF-8 with or without a BOM,
    /// else Shift_JIS/CP932). A bad row is left out and listed; only a header without the needed
    /// columns, an undecodable file or a catalog with no product left is an error.
    pub fn from_file_bytes(bytes: &[u8]) -> Result<CatalogRead, CatalogError> {
        let (text, encoding) = decode(bytes)?;
        let (catalog, skipped) = Self::read_rows(text.as_bytes(), false)?;
        if catalog.is_empty() {
            return Err(CatalogError::Empty);
        }
        Ok(CatalogRead {
            catalog,
            encoding,
            skipped,
        })
    }

    /// The rows of a CSV: the products, and the errors of the rows left out. With `stop_at_first`
    /// reading ends at the first bad row.
    fn read_rows<R: Read>(
        reader: R,
        stop_at_first: bool,
    ) -> Result<(Catalog, Vec<CatalogError>), CatalogError> {
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(reader);
        let headers = csv.headers().map_err(csv_error)?.clone();
        let mut index = [0usize; 4];
        for (slot, name) in index.iter_mut().zip(COLUMNS) {
            *slot = headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
                .ok_or(CatalogError::MissingColumn(name))?;
        }

        let mut catalog = Catalog::default();
        let mut lines: Vec<u64> = Vec::new();
        let mut skipped = Vec::new();
        for record in csv.records() {
            let row = record
                .map_err(csv_error)
                .and_then(|record| catalog.check_row(&record, index, &lines));
            match row {
                Ok((line, product)) => {
                    catalog
                        .by_jan
                        .insert(product.jan.clone(), catalog.products.len());
                    lines.push(line);
                    catalog.products.push(product);
                }
                Err(error) => {
                    skipped.push(error);
                    if stop_at_first {
                        break;
                    }
                }
            }
        }
        Ok((catalog, skipped))
    }

    /// One row as a product, or why it cannot be one. `lines` holds the line of each product
    /// read so far, to name the first of a repeated JAN.
    fn check_row(
        &self,
        record: &csv::StringRecord,
        index: [usize; 4],
        lines: &[u64],
    ) -> Result<(u64, Product), CatalogError> {
        let [jan_at, name_at, price_at, rate_at] = index;
        {
            let line = record.position().map_or(0, |p| p.line());
            let field = |i: usize| record.get(i).unwrap_or("");

            let jan = field(jan_at);
            if !is_valid_jan(jan) {
                return Err(CatalogError::InvalidJan {
                    line,
                    jan: jan.to_string(),
                });
            }
            let name = field(name_at);
            if name.is_empty() {
                return Err(CatalogError::EmptyName { line });
            }
            let price_text = field(price_at);
            let unit_price = price_text
                .parse::<i64>()
                .ok()
                .filter(|p| *p >= 0)
                .map(Yen)
                .ok_or_else(|| CatalogError::InvalidPrice {
                    line,
                    value: price_text.to_string(),
                })?;
            let rate_text = field(rate_at);
            let tax_rate =
                TaxRate::parse(rate_text).ok_or_else(|| CatalogError::InvalidTaxRate {
                    line,
                    value: rate_text.to_string(),
                })?;
            if let Some(&first) = self.by_jan.get(jan) {
                return Err(CatalogError::DuplicateJan {
                    line,
                    jan: jan.to_string(),
                    first_line: lines[first],
                });
            }
            Ok((
                line,
                Product {
                    jan: jan.to_string(),
                    name: name.to_string(),
                    unit_price,
                    tax_rate,
                },
            ))
        }
    }

    /// The catalog of `products` as read back from its file (a later one of the same JAN is
    /// left out: the file's first line for it is the one looked up).
    pub fn from_products(products: Vec<Product>) -> Catalog {
        let mut catalog = Catalog::default();
        for product in products {
            if catalog.by_jan.contains_key(&product.jan) {
                continue;
            }
            catalog
                .by_jan
                .insert(product.jan.clone(), catalog.products.len());
            catalog.products.push(product);
        }
        catalog
    }

    pub fn get(&self, jan: &str) -> Option<&Product> {
        self.by_jan.get(jan).map(|&i| &self.products[i])
    }

    pub fn lookup(&self, jan: &str) -> Result<&Product, UnknownJan> {
        self.get(jan).ok_or_else(|| UnknownJan {
            jan: jan.to_string(),
        })
    }

    /// Products in file order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
}

/// The file's text and the encoding it was in. Valid UTF-8 is taken as UTF-8 (a Shift_JIS file of
/// Japanese text is almost never valid UTF-8); anything else is read as CP932, the Shift_JIS that
/// Windows and Excel write. A file that is neither names the line of its first bad byte.
fn decode(bytes: &[u8]) -> Result<(std::borrow::Cow<'_, str>, CatalogEncoding), CatalogError> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    let (body, encoding) = match bytes.strip_prefix(BOM) {
        Some(body) => (body, CatalogEncoding::Utf8Bom),
        None => (bytes, CatalogEncoding::Utf8),
    };
    let utf8_error = match std::str::from_utf8(body) {
        Ok(text) => return Ok((text.into(), encoding)),
        Err(e) => e,
    };
    // encoding_rs's Shift_JIS is the WHATWG one, which is CP932 (NEC and IBM extensions).
    match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) if encoding == CatalogEncoding::Utf8 => Ok((text, CatalogEncoding::ShiftJis)),
        _ => {
            let before = &body[..utf8_error.valid_up_to()];
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count() as u64;
            Err(CatalogError::Encoding { line })
        }
    }
}

fn csv_error(err: csv::Error) -> CatalogError {
    CatalogError::Csv {
        line: err.position().map_or(0, |p| p.line()),
        message: err.to_string(),
    }
}

/// True for an 8- or 13-digit code whose last digit is the GS1 check digit.
pub fn is_valid_jan(code: &str) -> bool {
    matches!(code.len(), 8 | 13) && has_gs1_check_digit(code)
}

/// True when `code` is ASCII digits and its last digit is the GS1 check digit of the others.
/// Says nothing about the length: callers decide which lengths they accept.
pub fn has_gs1_check_digit(code: &str) -> bool {
    let Some((&check, body)) = code.as_bytes().split_last() else {
        return false;
    };
    check.is_ascii_digit() && gs1_check_digit(body) == Some(check - b'0')
}

/// The GS1 mod-10 check digit of `body` (ASCII digits): weights 3,1,3,… from the right.
/// One rule covers EAN-8, UPC-A and EAN-13. `None` if `body` holds a non-digit.
pub fn gs1_check_digit(body: &[u8]) -> Option<u8> {
    let mut sum: u32 = 0;
    for (i, &b) in body.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let weight = if i % 2 == 0 { 3 } else { 1 };
        sum += weight * u32::from(b - b'0');
    }
    // `sum % 10` is below 10, so the result fits a digit.
    Some(((10 - sum % 10) % 10) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "jan,name,unit_price,tax_rate\n";

    fn parse(body: &str) -> Result<Catalog, CatalogError> {
        Catalog::from_csv_reader(format!("{HEADER}{body}").as_bytes())
    }

    #[test]
    fn check_digits() {
        assert!(is_valid_jan("4901234567894"));
        assert!(!is_valid_jan("4901234567890"));
        assert!(is_valid_jan("49123456"));
        assert!(!is_valid_jan("49123457"));
        assert!(!is_valid_jan(""));
        assert!(!is_valid_jan("490123456789"));
        assert!(!is_valid_jan("49012345678９4"));
        assert!(!is_valid_jan("490123456789a"));
    }

    #[test]
    fn check_digit_rule_matches_known_codes() {
        assert_eq!(gs1_check_digit(b"490123456789"), Some(4));
        assert_eq!(gs1_check_digit(b"03600029145"), Some(2));
        assert_eq!(gs1_check_digit(b"4912345"), Some(6));
        assert_eq!(gs1_check_digit(b"49a"), None);
    }

    #[test]
    fn reads_products_and_looks_up_by_jan() {
        let c = parse("4901234567894,おにぎり 鮭,150,8\n4512345678906, ライター ,120,standard\n")
            .unwrap();
        assert_eq!(c.len(), 2);
        let p = c.lookup("4512345678906").unwrap();
        assert_eq!(p.name, "ライター");
        assert_eq!(p.unit_price, Yen(120));
        assert_eq!(p.tax_rate, TaxRate::Standard10);
        assert_eq!(c.get("4901234567894").unwrap().tax_rate, TaxRate::Reduced8);
        let err = c.lookup("4900000000003").unwrap_err();
        assert_eq!(err.jan, "4900000000003");
        assert!(err.message_ja().contains("4900000000003"));
    }

    #[test]
    fn columns_may_come_in_any_order_with_extras() {
        let csv = "\u{feff}name,tax_rate,jan,unit_price,note\nお茶,8,4901234567894,140,x\n";
        let c = Catalog::from_csv_reader(csv.as_bytes()).unwrap();
        assert_eq!(c.lookup("4901234567894").unwrap().unit_price, Yen(140));
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("4901234567894,a,100,8\n4901234567890,b,100,8\n").unwrap_err();
        assert!(
            matches!(&err, CatalogError::InvalidJan { line: 3, jan } if jan == "4901234567890"),
            "{err:?}"
        );
        assert!(err.to_string().contains("line 3"));

        let err = parse("4901234567894,,100,8\n").unwrap_err();
        assert!(
            matches!(err, CatalogError::EmptyName { line: 2 }),
            "{err:?}"
        );

        for price in ["-1", "1.5", "abc", ""] {
            let err = parse(&format!("4901234567894,a,{price},8\n")).unwrap_err();
            assert!(
                matches!(&err, CatalogError::InvalidPrice { line: 2, value } if value == price),
                "{err:?}"
            );
        }

        let err = parse("4901234567894,a,100,5\n").unwrap_err();
        assert!(
            matches!(err, CatalogError::InvalidTaxRate { line: 2, .. }),
            "{err:?}"
        );

        let err = parse("4901234567894,a,100,8\n4901234567894,b,100,8\n").unwrap_err();
        assert!(
            matches!(
                err,
                CatalogError::DuplicateJan {
                    line: 3,
                    first_line: 2,
                    ..
                }
            ),
            "{err:?}"
        );

        let err = parse("4901234567894,a,100\n").unwrap_err();
        assert!(matches!(err, CatalogError::Csv { line: 2, .. }), "{err:?}");

        let err = Catalog::from_csv_reader("jan,name,price,tax_rate\n".as_bytes()).unwrap_err();
        assert!(matches!(err, CatalogError::MissingColumn("unit_price")));
    }

    #[test]
    fn garbage_input_is_an_error_not_a_panic() {
        let inputs: [&[u8]; 4] = [
            b"",
            b"\xff\xfe\x00",
            b"jan\n\"unterminated",
            b",,,,\n,,,,\n",
        ];
        for input in inputs {
            assert!(Catalog::from_csv_reader(input).is_err());
        }
    }

    fn shift_jis(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn a_shift_jis_catalog_from_excel_is_read_with_its_japanese_names() {
        let bytes =
            shift_jis("jan,name,unit_price,tax_rate\r\n4901234567894,おにぎり 鮭,150,8\r\n");
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the test needs non-UTF-8 bytes"
        );
        let read = Catalog::from_file_bytes(&bytes).unwrap();
        assert_eq!(read.encoding, CatalogEncoding::ShiftJis);
        assert_eq!(
            read.catalog.lookup("4901234567894").unwrap().name,
            "おにぎり 鮭"
        );
        assert!(read.skipped.is_empty());
    }

    #[test]
    fn utf8_with_and_without_a_bom_is_read_as_utf8() {
        let text = "jan,name,unit_price,tax_rate\n4901234567894,お茶,140,8\n";
        let plain = Catalog::from_file_bytes(text.as_bytes()).unwrap();
        assert_eq!(plain.encoding, CatalogEncoding::Utf8);
        let with_bom = [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat();
        let bom = Catalog::from_file_bytes(&with_bom).unwrap();
        assert_eq!(bom.encoding, CatalogEncoding::Utf8Bom);
        assert_eq!(bom.catalog.lookup("4901234567894").unwrap().name, "お茶");
    }

    #[test]
    fn bad_rows_are_left_out_with_their_line_and_reason_and_the_rest_load() {
        let bytes = shift_jis(
            "jan,name,unit_price,tax_rate\n4901234567894,お茶,140,8\n4901234567890,水,100,8\n\
             4512345678906,ライター,１２０,10\n49123456,ガム,100,8\n",
        );
        let read = Catalog::from_file_bytes(&bytes).unwrap();
        assert_eq!(read.catalog.len(), 2);
        assert!(read.catalog.get("49123456").is_some());
        let lines: Vec<_> = read.skipped.iter().map(CatalogError::line).collect();
        assert_eq!(lines, [Some(3), Some(4)]);
        assert!(
            read.skipped[0].to_string().contains("line 3"),
            "{:?}",
            read.skipped
        );
        assert!(
            read.skipped[1].message_ja().contains("4 行目"),
            "{:?}",
            read.skipped
        );
    }

    #[test]
    fn a_row_with_too_few_fields_is_left_out_and_reading_goes_on() {
        let text = "jan,name,unit_price,tax_rate\n4901234567894,a,100\n49123456,b,100,8\n";
        let read = Catalog::from_file_bytes(text.as_bytes()).unwrap();
        assert_eq!(read.catalog.len(), 1);
        assert_eq!(read.skipped.len(), 1);
        assert_eq!(read.skipped[0].line(), Some(2));
    }

    #[test]
    fn only_a_catalog_with_no_product_left_is_refused() {
        let text = "jan,name,unit_price,tax_rate\n4901234567890,a,100,8\n";
        let err = Catalog::from_file_bytes(text.as_bytes()).unwrap_err();
        assert!(matches!(err, CatalogError::Empty), "{err:?}");
        let err = Catalog::from_file_bytes(b"jan,name\n").unwrap_err();
        assert!(matches!(err, CatalogError::MissingColumn(_)), "{err:?}");
    }

    #[test]
    fn a_file_in_neither_encoding_names_the_line_of_its_first_bad_byte() {
        // 0x81 0x20 is no Shift_JIS character, and not UTF-8 either.
        let bytes = b"jan,name,unit_price,tax_rate\n4901234567894,a,100,8\n49123456,\x81 ,100,8\n";
        let err = Catalog::from_file_bytes(bytes).unwrap_err();
        assert!(matches!(err, CatalogError::Encoding { line: 3 }), "{err:?}");
    }

    #[test]
    fn a_read_error_names_the_os_error_once_in_its_chain() {
        let err = CatalogError::Io {
            path: "/x/products.csv".into(),
            error: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(std::error::Error::source(&err).is_none());
        assert!(err.to_string().contains("/x/products.csv"));
    }

    #[test]
    fn windows_extensions_of_shift_jis_are_read_too() {
        // ① (NEC special, 0x8740) and 髙 (IBM extension, 0xFBFC) exist only in CP932.
        let mut bytes = b"jan,name,unit_price,tax_rate\n4901234567894,".to_vec();
        bytes.extend_from_slice(&[0x87, 0x40, 0xFB, 0xFC]);
        bytes.extend_from_slice(b",100,8\n");
        let read = Catalog::from_file_bytes(&bytes).unwrap();
        assert_eq!(read.encoding, CatalogEncoding::ShiftJis);
        assert_eq!(read.catalog.lookup("4901234567894").unwrap().name, "①髙");
    }
}
