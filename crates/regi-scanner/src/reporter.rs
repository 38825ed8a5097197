//! Delivery from a source thread: scans, and status changes without repeats.

use super::event::{
    Discard, Discarded, Scan, ScanEvent, ScanSink, ScanSource, SourceState, SourceStatus,
};

/// Wraps a sink for one source. Once the receiver is gone, `listening` turns false and the source
/// thread should end.
pub(crate) struct Reporter<S> {
    sink: S,
    source: ScanSource,
    last: Option<SourceState>,
    listening: bool,
}

impl<S: ScanSink> Reporter<S> {
    pub(crate) fn new(sink: S, source: ScanSource) -> Self {
        Reporter {
            sink,
            source,
            last: None,
            listening: true,
        }
    }

    /// Sends a status change; the current state again is not sent twice.
    pub(crate) fn status(&mut self, state: SourceState) {
        if self.last.as_ref() == Some(&state) {
            return;
        }
        self.last = Some(state.clone());
        self.send(ScanEvent::Status(SourceStatus {
            source: self.source,
            state,
        }));
    }

    pub(crate) fn scan(&mut self, code: String) {
        self.send(ScanEvent::Scan(Scan::new(code, self.source)));
    }

    /// Tells that input was thrown away rather than delivered as a scan.
    pub(crate) fn discarded(&mut self, discard: Discard) {
        self.send(ScanEvent::Discarded(Discarded {
            source: self.source,
            discard,
        }));
    }

    pub(crate) fn listening(&self) -> bool {
        self.listening
    }

    fn send(&mut self, event: ScanEvent) {
        if self.listening && !self.sink.deliver(event) {
            self.listening = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_states_are_sent_once_and_a_closed_sink_stops_listening() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut reporter = Reporter::new(tx, ScanSource::Usb);
        let state = SourceState::Failed { reason: "x".into() };
        reporter.status(state.clone());
        reporter.status(state.clone());
        reporter.status(SourceState::Ended);
        reporter.status(state);
        assert_eq!(rx.try_iter().count(), 3);
        drop(rx);
        reporter.scan("1".into());
        assert!(!reporter.listening());
    }
}
