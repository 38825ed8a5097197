//! Running a scanner source on its own thread, and stopping it.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::event::{ScanSink, ScanSource};
use super::settings::{ScannerSettings, SettingsError, SourceKind};
use super::{fifo, serial, usb_hid};

/// A stop request shared between a source thread and its owner. Waiting on it doubles as the
/// thread's pause between retries, so a stop takes effect at once.
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<(Mutex<bool>, Condvar)>);

impl StopSignal {
    pub fn new() -> Self {
        StopSignal::default()
    }

    pub fn stop(&self) {
        let (flag, wakeup) = &*self.0;
        *flag.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wakeup.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        *self.0.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits up to `timeout` for a stop; returns whether one was requested.
    pub fn wait(&self, timeout: Duration) -> bool {
        let (flag, wakeup) = &*self.0;
        let guard = flag.lock().unwrap_or_else(PoisonError::into_inner);
        let (guard, _) = wakeup
            .wait_timeout_while(guard, timeout, |stopped| !*stopped)
            .unwrap_or_else(PoisonError::into_inner);
        *guard
    }
}

/// A running source. Dropping it stops the source and waits for its thread, except for a thread
/// blocked on stdin, which cannot be woken and is left to end with the process.
pub struct ScannerSource {
    source: ScanSource,
    stop: StopSignal,
    thread: Option<JoinHandle<()>>,
    wake: Option<Box<dyn FnOnce() + Send>>,
    join_on_stop: bool,
}

impl std::fmt::Debug for ScannerSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScannerSource")
            .field("source", &self.source)
            .field("stopped", &self.stop.is_stopped())
            .finish()
    }
}

impl ScannerSource {
    /// Starts `body` on a named thread. `wake` unblocks the thread if it may be stuck in a read
    /// that the stop signal cannot interrupt; `join_on_stop = false` leaves such a thread behind.
    pub(crate) fn spawn(
        source: ScanSource,
        wake: Option<Box<dyn FnOnce() + Send>>,
        join_on_stop: bool,
        body: impl FnOnce(StopSignal) + Send + 'static,
    ) -> std::io::Result<ScannerSource> {
        let stop = StopSignal::new();
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name(format!("scanner-{source}"))
            .spawn(move || body(thread_stop))?;
        Ok(ScannerSource {
            source,
            stop,
            thread: Some(thread),
            wake,
            join_on_stop,
        })
    }

    /// Stops the source and waits for its thread.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for ScannerSource {
    fn drop(&mut self) {
        self.stop.stop();
        if let Some(wake) = self.wake.take() {
            wake();
        }
        if let Some(thread) = self.thread.take()
            && (self.join_on_stop || thread.is_finished())
            && thread.join().is_err()
        {
            tracing::error!(source = %self.source, "scanner thread panicked");
        }
    }
}

/// Why a source could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot read scans from {path}: {source}")]
    Fifo {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} are not supported on this platform")]
    Unsupported(&'static str),
    #[error("cannot start the scanner thread: {0}")]
    Thread(#[source] std::io::Error),
}

/// Starts the source the settings ask for. `None` for `wedge` and `none`: the wedge detector runs
/// inside the TUI and needs no thread.
pub fn start(
    settings: &ScannerSettings,
    sink: impl ScanSink,
) -> Result<Option<ScannerSource>, StartError> {
    settings.validate()?;
    match settings.source {
        SourceKind::Usb => {
            let reader = usb_hid::UsbReaderConfig::from_settings(settings)?;
            usb_hid::spawn_reader(reader, sink)
                .map(Some)
                .map_err(StartError::Thread)
        }
        SourceKind::Fifo => {
            let path = settings
                .fifo_path
                .clone()
                .ok_or(SettingsError::MissingFifoPath)?;
            fifo::spawn_reader(&path, sink).map(Some)
        }
        SourceKind::Serial => start_serial(settings, sink),
        SourceKind::Wedge | SourceKind::None => Ok(None),
    }
}

#[cfg(unix)]
fn start_serial(
    settings: &ScannerSettings,
    sink: impl ScanSink,
) -> Result<Option<ScannerSource>, StartError> {
    let path = settings
        .serial_path
        .clone()
        .ok_or(SettingsError::MissingSerialPath)?;
    let config = serial::SerialConfig {
        path,
        baud: settings.serial_baud,
        prefix: settings.prefix.clone(),
        suffix: settings.suffix.clone(),
    };
    serial::spawn_reader(config, sink)
        .map(Some)
        .map_err(StartError::Thread)
}

#[cfg(not(unix))]
fn start_serial(
    _settings: &ScannerSettings,
    _sink: impl ScanSink,
) -> Result<Option<ScannerSource>, StartError> {
    Err(StartError::Unsupported("serial scanners"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_wakes_a_waiting_thread() {
        let stop = StopSignal::new();
        let waiter = stop.clone();
        let thread = std::thread::spawn(move || waiter.wait(Duration::from_secs(3600)));
        stop.stop();
        assert!(thread.join().expect("no panic"));
        assert!(stop.is_stopped());
    }

    #[test]
    fn wait_without_stop_times_out_false() {
        assert!(!StopSignal::new().wait(Duration::from_millis(1)));
    }

    #[test]
    fn dropping_a_source_stops_and_joins_it() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let source = ScannerSource::spawn(ScanSource::Fifo, None, true, move |stop| {
            stop.wait(Duration::from_secs(3600));
            let _ = tx.send(());
        })
        .expect("spawns");
        drop(source);
        // The thread ran to its end before drop returned.
        assert_eq!(rx.try_recv(), Ok(()));
    }
}
