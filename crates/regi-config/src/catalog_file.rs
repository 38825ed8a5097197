//! The product catalog named by `[sale] catalog`, read from its file (the core parses CSV from any
//! reader and never opens a file itself), and a product priced on the till appended to it.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use regi_core::domain::{Catalog, CatalogError, CatalogRead, Product};

/// Reads the catalog CSV at `path` in whichever encoding it was saved (UTF-8 or Shift_JIS); a bad
/// row is left out and listed in the result. A file that cannot be read names its path.
pub fn load_catalog(path: &Path) -> Result<CatalogRead, CatalogError> {
    let bytes = std::fs::read(path).map_err(|error| CatalogError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    Catalog::from_file_bytes(&bytes)
}

/// Appends `product` to the catalog CSV at `path` under its header's columns (a column regi
/// does not know is left empty), then reads the whole file back, so a line that would make it
/// unreadable is found at once. The file keeps its owner, mode and encoding (a Shift_JIS file
/// saved from Excel gets a Shift_JIS line): it is the shop's.
pub fn append_to_catalog(path: &Path, product: &Product) -> Result<Catalog, CatalogError> {
    // Only onto a file that reads, and never a second line for a JAN: either would leave a
    // catalog the next start refuses.
    if load_catalog(path)?.catalog.get(&product.jan).is_some() {
        return Err(CatalogError::AlreadyListed(product.jan.clone()));
    }
    let io = |error| CatalogError::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io)?;
    let (text, shift_jis) = match std::str::from_utf8(&bytes) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => (encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned(), true),
    };
    let header = text.lines().next().unwrap_or_default();
    let row: Vec<String> = header
        .split(',')
        .map(|column| {
            match column
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
                .as_str()
            {
                "jan" => product.jan.clone(),
                "name" => quoted(&product.name),
                "unit_price" => product.unit_price.value().to_string(),
                "tax_rate" => product.tax_rate.percent().to_string(),
                _ => String::new(),
            }
        })
        .collect();
    let mut line = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        line.push('\n');
    }
    line.push_str(&row.join(","));
    line.push('\n');
    let line = if shift_jis {
        encoding_rs::SHIFT_JIS.encode(&line).0.into_owned()
    } else {
        line.into_bytes()
    };
    file.seek(SeekFrom::End(0)).map_err(io)?;
    file.write_all(&line).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(load_catalog(path)?.catalog)
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_names_the_path() {
        let err = load_catalog(Path::new("/nonexistent/products.csv")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/products.csv"));
    }

    #[test]
    fn a_product_appended_is_read_back_under_the_files_own_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("products.csv");
        std::fs::write(
            &path,
            "name,jan,note,tax_rate,unit_price\nおにぎり 鮭,4901234567894,,8,150",
        )
        .unwrap();
        let product = Product {
            jan: "4901234567801".into(),
            name: "食品, 量り売り".into(),
            unit_price: regi_core::domain::Yen(300),
            tax_rate: regi_core::domain::TaxRate::Reduced8,
        };
        let catalog = append_to_catalog(&path, &product).unwrap();
        assert_eq!(catalog.len(), 2);
        assert_eq!(catalog.get("4901234567801"), Some(&product));
        // The same JAN again is refused, and the file still reads.
        let again = append_to_catalog(&path, &product).unwrap_err();
        assert!(
            again.to_string().contains("already in the catalog"),
            "{again}"
        );
        assert_eq!(load_catalog(&path).unwrap().catalog.len(), 2);
    }

    #[test]
    fn a_product_appended_to_a_shift_jis_catalog_is_written_in_shift_jis() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("products.csv");
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("jan,name,unit_price,tax_rate\n4901234567894,おにぎり 鮭,150,8\n");
        std::fs::write(&path, &bytes).unwrap();
        let product = Product {
            jan: "4901234567801".into(),
            name: "量り売り".into(),
            unit_price: regi_core::domain::Yen(300),
            tax_rate: regi_core::domain::TaxRate::Reduced8,
        };
        let catalog = append_to_catalog(&path, &product).unwrap();
        assert_eq!(catalog.get("4901234567801"), Some(&product));
        let written = std::fs::read(&path).unwrap();
        assert!(std::str::from_utf8(&written).is_err(), "still Shift_JIS");
        assert_eq!(load_catalog(&path).unwrap().catalog.len(), 2);
    }
}
