//! The `[printer]` table read alone from a regi TOML file, for commands that need only the printer
//! (`regi print-test`): other tables are not validated, and a syntax error is worded without values.

use std::path::Path;

use regi_printer::PrinterSettings;
use regi_printer::settings::SettingsError;

use crate::toml_error::describe_toml_error;

/// The `[printer]` table of a regi TOML file (defaults where it is absent).
pub fn printer_settings_from_file(path: &Path) -> Result<PrinterSettings, SettingsError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
        path: shown.clone(),
        source,
    })?;
    // Other sections belong to other parts of regi; only [printer] is read here.
    let parse_error = |source: toml::de::Error| SettingsError::Parse {
        path: shown.clone(),
        message: describe_toml_error(&source, &text),
    };
    let table: toml::Table = toml::from_str(&text).map_err(parse_error)?;
    match table.get("printer") {
        Some(printer) => printer.clone().try_into().map_err(parse_error),
        None => Ok(PrinterSettings::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_on_a_secret_line_of_the_file_does_not_show_the_secret() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("regi.toml");
        std::fs::write(&path, "[api]\nclient_secret = p9trL9zzSecret\n[printer]\n").expect("write");
        let err = printer_settings_from_file(&path).unwrap_err().to_string();
        assert!(!err.contains("p9trL9zzSecret"), "{err}");
        assert!(
            err.contains("client_secret") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn reads_only_the_printer_table_of_a_config_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("regi.toml");
        std::fs::write(
            &path,
            "[store]\nname = \"x\"\n\n[printer]\ntarget = \"file:/tmp/r.bin\"\ncut = false\n",
        )
        .expect("write");
        let settings = printer_settings_from_file(&path).expect("parses");
        assert_eq!(settings.target, "file:/tmp/r.bin");
        assert!(!settings.cut);
        std::fs::write(&path, "[printer]\nbogus = 1\n").expect("write");
        assert!(matches!(
            printer_settings_from_file(&path),
            Err(SettingsError::Parse { .. })
        ));
    }
}
