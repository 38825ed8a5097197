//! The product catalog named by `[sale] catalog`, read from its file: the core parses CSV from any
//! reader and never opens a file itself.

use std::path::Path;

use regi_core::domain::{Catalog, CatalogError, CatalogRead};

/// Reads the catalog CSV at `path` in whichever encoding it was saved (UTF-8 or Shift_JIS); a bad
/// row is left out and listed in the result. A file that cannot be read names its path.
pub fn load_catalog(path: &Path) -> Result<CatalogRead, CatalogError> {
    let bytes = std::fs::read(path).map_err(|error| CatalogError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    Catalog::from_file_bytes(&bytes)
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
