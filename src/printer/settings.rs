//! The `[printer]` section of regi's configuration.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::layout::LayoutOptions;
use super::profile::{DEFAULT_PROFILE, Profile};
use super::transport::{Target, TargetError, Timeouts};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrinterSettings {
    /// `usb`, `usb:VID:PID`, `tcp:HOST[:PORT]`, `device:PATH` or `file:PATH`.
    pub target: String,
    /// `tm-t20iii`, `tm-t88`, `58mm` or `generic`.
    pub profile: String,
    /// Overrides the profile's characters per line.
    pub columns: Option<usize>,
    /// Cut the paper after each receipt.
    pub cut: bool,
    /// Open the cash drawer on each receipt (off: Pokepay payments take no cash).
    pub drawer_kick: bool,
    /// In training mode, print as well as show the preview.
    pub print_on_training: bool,
    /// Ask the printer's status (`DLE EOT`) before each job, where the connection can answer.
    pub check_status: bool,
    /// How long to wait for a status answer, in milliseconds.
    pub status_timeout_ms: u64,
}

impl Default for PrinterSettings {
    fn default() -> Self {
        Self {
            target: "usb".to_owned(),
            profile: DEFAULT_PROFILE.to_owned(),
            columns: None,
            cut: true,
            drawer_kick: false,
            print_on_training: false,
            check_status: true,
            status_timeout_ms: 1500,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("unknown printer profile {0:?} (known: {known})", known = Profile::names().join(", "))]
    UnknownProfile(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// `message` never holds a secret of another section (see `config::describe_toml_error`).
    #[error("bad [printer] settings in {path}: {message}")]
    Parse { path: String, message: String },
}

impl PrinterSettings {
    pub fn target(&self) -> Result<Target, TargetError> {
        Target::parse(&self.target)
    }

    /// The profile named by `profile`, with the `columns` override applied.
    pub fn resolved_profile(&self) -> Result<Profile, SettingsError> {
        let profile = Profile::by_name(&self.profile)
            .ok_or_else(|| SettingsError::UnknownProfile(self.profile.clone()))?;
        Ok(match self.columns {
            Some(columns) => profile.with_columns(columns),
            None => profile.clone(),
        })
    }

    pub fn layout_options(&self, profile: &Profile) -> LayoutOptions {
        LayoutOptions {
            kanji: profile.kanji,
            cut: self.cut,
            drawer_kick: self.drawer_kick,
        }
    }

    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            status: Duration::from_millis(self.status_timeout_ms),
            ..Timeouts::default()
        }
    }

    /// The `[printer]` table of a regi TOML file (defaults where it is absent).
    pub fn from_config_file(path: &Path) -> Result<Self, SettingsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: shown.clone(),
            source,
        })?;
        // Other sections belong to other parts of regi; only [printer] is read here.
        let parse_error = |source: toml::de::Error| SettingsError::Parse {
            path: shown.clone(),
            message: crate::config::describe_toml_error(&source, &text),
        };
        let table: toml::Table = toml::from_str(&text).map_err(parse_error)?;
        match table.get("printer") {
            Some(printer) => printer.clone().try_into().map_err(parse_error),
            None => Ok(Self::default()),
        }
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
        let err = PrinterSettings::from_config_file(&path)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("p9trL9zzSecret"), "{err}");
        assert!(
            err.contains("client_secret") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn defaults_are_usable() {
        let settings = PrinterSettings::default();
        assert!(settings.target().is_ok());
        assert_eq!(
            settings.resolved_profile().map(|p| p.columns).ok(),
            Some(48)
        );
        assert!(!settings.drawer_kick && !settings.print_on_training && settings.cut);
    }

    #[test]
    fn parses_a_printer_section_and_rejects_unknown_keys() {
        let settings: PrinterSettings =
            toml::from_str("target = \"tcp:192.168.10.20\"\nprofile = \"58mm\"\ncolumns = 30\n")
                .expect("valid");
        assert_eq!(
            settings.resolved_profile().map(|p| p.columns).ok(),
            Some(30)
        );
        assert!(toml::from_str::<PrinterSettings>("tagret = \"usb\"").is_err());
        let bad = PrinterSettings {
            profile: "inkjet".into(),
            ..PrinterSettings::default()
        };
        assert!(matches!(
            bad.resolved_profile(),
            Err(SettingsError::UnknownProfile(_))
        ));
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
        let settings = PrinterSettings::from_config_file(&path).expect("parses");
        assert_eq!(settings.target, "file:/tmp/r.bin");
        assert!(!settings.cut);
        std::fs::write(&path, "[printer]\nbogus = 1\n").expect("write");
        assert!(matches!(
            PrinterSettings::from_config_file(&path),
            Err(SettingsError::Parse { .. })
        ));
    }
}
