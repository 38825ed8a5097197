//! Relative paths in `regi.toml` are taken from the file's own folder, as the example documents,
//! so a till started from another directory (a systemd unit, a kiosk session) reads the same files
//! that `regi doctor` checked.

use std::path::{Path, PathBuf};

use crate::Config;

/// `path` as it is when absolute, else under `dir`.
pub(crate) fn resolve(dir: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    }
}

/// Rewrites every relative file path of the configuration to one under `dir` (the folder of the
/// TOML file). The files of a provider's table are resolved by the provider that reads it.
pub(crate) fn resolve_relative_paths(config: &mut Config, dir: &Path) {
    let fix = |path: &mut PathBuf| *path = resolve(dir, path);
    if let Some(catalog) = config.sale.catalog.as_mut() {
        fix(catalog);
    }
    // `-` is standard input, not a file of that name.
    if let Some(fifo) = config
        .scanner
        .fifo_path
        .as_mut()
        .filter(|p| *p != Path::new("-"))
    {
        fix(fifo);
    }
    if let Some(serial) = config.scanner.serial_path.as_mut() {
        fix(serial);
    }
    config.printer.target = resolve_printer_target(&config.printer.target, dir);
}

/// `file:PATH` and `device:PATH` name files; a relative one moves under `dir`. Anything else
/// (usb, tcp, a target that does not parse and is reported later) stays as written.
fn resolve_printer_target(target: &str, dir: &Path) -> String {
    let trimmed = target.trim();
    for scheme in ["file:", "device:"] {
        if let Some(rest) = trimmed.strip_prefix(scheme) {
            let path = Path::new(rest);
            if rest.is_empty() || path.is_absolute() {
                return target.to_owned();
            }
            return format!("{scheme}{}", resolve(dir, path).display());
        }
    }
    target.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        Config::from_toml_str(text, Path::new("/etc/regi/regi.toml")).unwrap()
    }

    #[test]
    fn a_relative_catalog_is_read_from_the_config_files_folder() {
        let config = parse("[sale]\ncatalog = \"products.csv\"\n");
        assert_eq!(
            config.sale.catalog.as_deref(),
            Some(Path::new("/etc/regi/products.csv"))
        );
    }

    #[test]
    fn an_absolute_catalog_stays_where_it_is() {
        let config = parse("[sale]\ncatalog = \"/srv/products.csv\"\n");
        assert_eq!(
            config.sale.catalog.as_deref(),
            Some(Path::new("/srv/products.csv"))
        );
    }

    #[test]
    fn relative_scanner_and_printer_files_are_read_from_the_config_files_folder() {
        let config = parse(
            "[scanner]\nsource = \"fifo\"\nfifo_path = \"scans\"\n\
             [printer]\ntarget = \"file:out/receipt.bin\"\n",
        );
        assert_eq!(
            config.scanner.fifo_path.as_deref(),
            Some(Path::new("/etc/regi/scans"))
        );
        assert_eq!(config.printer.target, "file:/etc/regi/out/receipt.bin");
    }

    #[test]
    fn stdin_and_network_targets_are_not_paths() {
        let config = parse(
            "[scanner]\nsource = \"fifo\"\nfifo_path = \"-\"\n\
             [printer]\ntarget = \"tcp:192.0.2.1:9100\"\n",
        );
        assert_eq!(config.scanner.fifo_path.as_deref(), Some(Path::new("-")));
        assert_eq!(config.printer.target, "tcp:192.0.2.1:9100");
    }
}
