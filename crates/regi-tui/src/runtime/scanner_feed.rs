//! Scans from the configured scanner source (USB HID, serial, FIFO) into the loop as `Msg::Scan`,
//! and the source's latest state for the status screen. Keyboard-wedge scans come through the
//! terminal input instead (see `input`).

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::{self, UnboundedSender};

use crate::ui::strings::Strings;
use regi_core::app::Msg;
use regi_core::app::records::Check;
use regi_scanner::{ScanEvent, ScannerSettings, ScannerSource, SourceKind, SourceState};

/// The scanner source's last reported state, shared with the status screen.
#[derive(Debug, Clone, Default)]
pub struct ScannerState(Arc<Mutex<Option<SourceState>>>);

impl ScannerState {
    fn set(&self, state: SourceState) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(state);
    }

    fn get(&self) -> Option<SourceState> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The status screen's scanner line.
    /// Names the source in use; a USB scanner that cannot be read is a warning, not a failure,
    /// since scans arriving as keystrokes (keyboard wedge) are still taken.
    pub fn check(&self, kind: SourceKind, s: &Strings) -> Check {
        let source = s.scanner_source(kind);
        let (ok, detail, hint) = match (kind, self.get()) {
            (SourceKind::Wedge, _) => (true, s.scanner_wedge_works.to_string(), None),
            (SourceKind::None, _) => (true, String::new(), None),
            (_, Some(state @ SourceState::Connected { .. })) => {
                (true, s.scanner_state(&state), None)
            }
            (SourceKind::Usb, state) => {
                let why =
                    state.map_or_else(|| s.device_missing.to_string(), |st| s.scanner_state(&st));
                (
                    true,
                    format!("{why}; {}", s.scanner_wedge_works),
                    Some(s.hint_scanner_usb.to_string()),
                )
            }
            (_, Some(state)) => (false, s.scanner_state(&state), None),
            (_, None) => (false, s.device_missing.to_string(), None),
        };
        let detail = if detail.is_empty() {
            source
        } else {
            format!("{source}: {detail}")
        };
        Check {
            name: s.scanner.to_string(),
            ok,
            detail,
            hint,
        }
    }
}

/// The running source; stops it when dropped.
pub struct ScannerFeed {
    source: Option<ScannerSource>,
    forward: tokio::task::JoinHandle<()>,
}

impl ScannerFeed {
    /// Starts the source the settings name. A source that cannot start is reported in `state`,
    /// not fatal: the clerk can still type codes, and the status screen says what is wrong.
    pub fn start(
        settings: &ScannerSettings,
        tx: UnboundedSender<Msg>,
        state: ScannerState,
    ) -> Self {
        let (events, mut incoming) = mpsc::unbounded_channel();
        let source = match regi_scanner::start(settings, events) {
            Ok(source) => source,
            Err(e) => {
                tracing::warn!("scanner not started: {e}");
                state.set(SourceState::Failed {
                    reason: e.to_string(),
                });
                None
            }
        };
        let forward = tokio::spawn(async move {
            while let Some(event) = incoming.recv().await {
                match event {
                    ScanEvent::Scan(scan) => {
                        if tx.send(Msg::Scan(scan.code.into())).is_err() {
                            return;
                        }
                    }
                    ScanEvent::Status(status) => {
                        tracing::info!("{}", status.state);
                        state.set(status.state);
                    }
                    ScanEvent::Discarded(discarded) => {
                        tracing::warn!("scanner {}: {}", discarded.source, discarded.discard);
                    }
                }
            }
        });
        Self { source, forward }
    }
}

impl Drop for ScannerFeed {
    fn drop(&mut self) {
        self.forward.abort();
        if let Some(source) = self.source.take() {
            source.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::strings::LangStrings as _;
    use regi_config::Lang;

    #[test]
    fn the_status_line_says_what_the_source_reported() {
        let s = Lang::En.strings();
        let state = ScannerState::default();
        let nothing_yet = state.check(SourceKind::Usb, s);
        assert!(nothing_yet.hint.is_some(), "{nothing_yet:?}");
        state.set(SourceState::Connected {
            device: "0c2e:0b61".into(),
        });
        let check = state.check(SourceKind::Usb, s);
        assert!(check.ok);
        assert!(check.detail.contains("0c2e:0b61"));
        assert!(state.check(SourceKind::Wedge, s).ok);
    }

    #[test]
    fn a_usb_scanner_that_cannot_be_read_is_a_warning_naming_the_wedge_in_use() {
        let state = ScannerState::default();
        state.set(SourceState::Failed {
            reason: "starting libusb: Other error".into(),
        });
        let ja = state.check(SourceKind::Usb, Lang::Ja.strings());
        assert!(ja.ok && ja.hint.is_some(), "{ja:?}");
        assert!(
            ja.detail.contains("usb") && ja.detail.contains("ウェッジ"),
            "{ja:?}"
        );
        assert!(
            !ja.detail.contains("libusb"),
            "no English error on the ja screen: {ja:?}"
        );
        let en = state.check(SourceKind::Usb, Lang::En.strings());
        assert!(en.detail.starts_with("source usb"), "{en:?}");
        let wedge = ScannerState::default().check(SourceKind::Wedge, Lang::En.strings());
        assert!(
            wedge.ok && wedge.detail.contains("source wedge"),
            "{wedge:?}"
        );
    }
}
