//! The product catalog, read from a CSV file: `jan,name,unit_price,tax_rate`.

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
    #[error("cannot read catalog {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
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

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: Vec<Product>,
    by_jan: HashMap<String, usize>,
}

const COLUMNS: [&str; 4] = ["jan", "name", "unit_price", "tax_rate"];

impl Catalog {
    /// Reads a UTF-8 CSV with a header row naming at least `jan,name,unit_price,tax_rate`
    /// (in any order; extra columns are ignored). Line numbers in errors count the header as 1.
    pub fn from_csv_reader<R: Read>(reader: R) -> Result<Catalog, CatalogError> {
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
        let [jan_at, name_at, price_at, rate_at] = index;

        let mut catalog = Catalog::default();
        let mut lines: Vec<u64> = Vec::new();
        for record in csv.records() {
            let record = record.map_err(csv_error)?;
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
            if let Some(&first) = catalog.by_jan.get(jan) {
                return Err(CatalogError::DuplicateJan {
                    line,
                    jan: jan.to_string(),
                    first_line: lines[first],
                });
            }
            catalog
                .by_jan
                .insert(jan.to_string(), catalog.products.len());
            lines.push(line);
            catalog.products.push(Product {
                jan: jan.to_string(),
                name: name.to_string(),
                unit_price,
                tax_rate,
            });
        }
        Ok(catalog)
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
}
