//! Where regi keeps its files: the data directory and the configuration file in it.

use std::path::{Path, PathBuf};

use crate::cli::Cli;

/// `--data-dir`/`REGI_DATA_DIR`, else the platform data directory (`~/.local/share/regi`).
pub fn data_dir(cli: &Cli) -> PathBuf {
    cli.data_dir.clone().unwrap_or_else(|| {
        directories::ProjectDirs::from("", "", "regi")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from("regi-data"))
    })
}

/// `--config`/`REGI_CONFIG`, else `DATA_DIR/regi.toml` when that file exists.
pub fn config_file(cli: &Cli, data_dir: &Path) -> Option<PathBuf> {
    cli.config.clone().or_else(|| {
        let default = data_dir.join("regi.toml");
        default.is_file().then_some(default)
    })
}
