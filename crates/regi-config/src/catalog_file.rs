//! The product catalog named by `[sale] catalog`, read from its file: the core parses CSV from any
//! reader and never opens a file itself.

use std::path::Path;

use regi_core::domain::{Catalog, CatalogError};

/// Reads the catalog CSV at `path`; a file that cannot be read names its path.
pub fn load_catalog(path: &Path) -> Result<Catalog, CatalogError> {
    let file = std::fs::File::open(path).map_err(|source| CatalogError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Catalog::from_csv_reader(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_names_the_path() {
        let err = load_catalog(Path::new("/nonexistent/products.csv")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/products.csv"));
    }
}
