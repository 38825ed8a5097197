//! The `[printer]` section of regi's configuration.

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
    /// Open the cash drawer on each receipt, through this printer (an older setting kept for
    /// stores that want it; a receipt where cash changed hands never kicks, the cash flow opens
    /// the drawer itself).
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
    /// `message` never holds a secret of another section (the reader of the file words it without values).
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
