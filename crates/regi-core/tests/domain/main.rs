//! Domain tests, one binary: the catalog and properties of the pure checkout core.

mod domain_catalog;
mod domain_props;
