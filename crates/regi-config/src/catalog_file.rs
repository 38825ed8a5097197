//! The product catalog named by `[sale] catalog`, read from its file (the core parses CSV from any
//! reader and never opens a file itself), and a product priced on the till appended to it.

use std::path::Path;

use std::io::{Read, Seek, SeekFrom, Write};

use regi_core::domain::{Catalog, CatalogError, Product};

/// Reads the catalog CSV at `path`; a file that cannot be read names its path.
pub fn load_catalog(path: &Path) -> Result<Catalog, CatalogError> {
    let file = std::fs::File::open(path).map_err(|source| CatalogError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Catalog::from_csv_reader(file)
}

/// Appends `product` to the catalog CSV at `path` under its header's columns (a column regi
/// does not know is left empty), then reads the whole file back, so a line that would make it
/// unreadable is found at once. The file keeps its owner and mode: it is the shop's.
pub fn append_to_catalog(path: &Path, product: &Product) -> Result<Catalog, CatalogError> {
    // Only onto a file that reads, and never a second line for a JAN: either would leave a
    // catalog the next start refuses.
    if load_catalog(path)?.get(&product.jan).is_some() {
        return Err(CatalogError::AlreadyListed(product.jan.clone()));
    }
    let io = |source| CatalogError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(io)?;
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
    file.seek(SeekFrom::End(0)).map_err(io)?;
    file.write_all(line.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    load_catalog(path)
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
        assert_eq!(load_catalog(&path).unwrap().len(), 2);
    }
}
