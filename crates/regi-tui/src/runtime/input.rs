//! Terminal input on its own thread: crossterm's blocking reader, turned into messages. A
//! keyboard-wedge scanner types into the same terminal; its bursts are told apart from a person
//! typing by [`WedgeDetector`] and arrive as `Msg::Scan`. Without a detector (`scanner.source =
//! "none"`) every key is passed on as typed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc::UnboundedSender;

use regi_core::app::{Key, Msg};
use regi_scanner::WedgeThresholds;
use regi_scanner::hid::KeyStroke;
use regi_scanner::wedge::{WedgeDetector, WedgeOutput};

/// How long a read waits before checking whether to stop.
const POLL: Duration = Duration::from_millis(100);

/// Reads keys and resizes until stopped or the loop goes away.
pub struct InputThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl InputThread {
    /// `wedge`: the thresholds for telling scanner bursts from typing; `None` takes no key for a
    /// scan.
    pub fn spawn(
        tx: UnboundedSender<Msg>,
        wedge: Option<WedgeThresholds>,
    ) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("regi-input".into())
            .spawn(move || {
                let mut keys = KeyRouter::new(tx, wedge.map(WedgeDetector::new));
                read_events(&mut keys, &flag);
            })?;
        Ok(Self {
            stop,
            handle: Some(handle),
        })
    }
}

impl Drop for InputThread {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// Passes keys on as messages, holding back characters that may be the start of a scan (only
/// with a wedge detector).
struct KeyRouter {
    tx: UnboundedSender<Msg>,
    wedge: Option<WedgeDetector>,
}

impl KeyRouter {
    fn new(tx: UnboundedSender<Msg>, wedge: Option<WedgeDetector>) -> Self {
        Self { tx, wedge }
    }

    /// `false` once the loop has gone away.
    fn key(&mut self, key: Key, at: Instant) -> bool {
        let Some(wedge) = &mut self.wedge else {
            return self.send(Msg::Key(key));
        };
        let wedge_key = match key {
            Key::Char(c) => Some(KeyStroke::Char(c)),
            Key::Enter => Some(KeyStroke::Enter),
            Key::Tab => Some(KeyStroke::Tab),
            _ => None,
        };
        match wedge_key {
            Some(k) => {
                let output = wedge.key(k, at);
                self.emit(output)
            }
            None => {
                // Held characters were typed before this key: they go first.
                let held = wedge.flush();
                self.emit(held) && self.send(Msg::Key(key))
            }
        }
    }

    fn tick(&mut self, now: Instant) -> bool {
        let output = self.wedge.as_mut().and_then(|wedge| wedge.tick(now));
        self.emit(output)
    }

    /// How long the next read may wait before held characters must be released.
    fn wait(&self, now: Instant) -> Duration {
        self.wedge
            .as_ref()
            .and_then(WedgeDetector::deadline)
            .map_or(POLL, |deadline| {
                deadline.saturating_duration_since(now).min(POLL)
            })
    }

    fn emit(&self, output: Option<WedgeOutput>) -> bool {
        match output {
            None => true,
            Some(WedgeOutput::Scan(code)) => self.send(Msg::Scan(code.into())),
            Some(WedgeOutput::Typed(keys)) => keys.into_iter().all(|k| {
                self.send(Msg::Key(match k {
                    KeyStroke::Char(c) => Key::Char(c),
                    KeyStroke::Enter => Key::Enter,
                    KeyStroke::Tab => Key::Tab,
                }))
            }),
        }
    }

    fn send(&self, msg: Msg) -> bool {
        self.tx.send(msg).is_ok()
    }
}

fn read_events(keys: &mut KeyRouter, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        let ready = match event::poll(keys.wait(Instant::now())) {
            Ok(ready) => ready,
            Err(e) => {
                let _ = keys.send(Msg::TaskFailed(format!("terminal input: {e}")));
                return;
            }
        };
        if !ready {
            if !keys.tick(Instant::now()) {
                return;
            }
            continue;
        }
        let alive = match event::read() {
            Ok(Event::Key(key)) => match super::keys::key_from_event(key) {
                Some(key) => keys.key(key, Instant::now()),
                None => true,
            },
            Ok(Event::Resize(cols, rows)) => keys.send(Msg::Resize { cols, rows }),
            Ok(_) => true,
            Err(e) => keys.send(Msg::TaskFailed(format!("terminal input: {e}"))),
        };
        if !alive {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    fn router() -> (KeyRouter, mpsc::UnboundedReceiver<Msg>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            KeyRouter::new(tx, Some(WedgeDetector::new(WedgeThresholds::default()))),
            rx,
        )
    }

    fn drain(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Vec<Msg> {
        std::iter::from_fn(|| rx.try_recv().ok()).collect()
    }

    #[test]
    fn a_burst_ending_in_enter_is_a_scan() {
        let (mut keys, mut rx) = router();
        let t0 = Instant::now();
        for (i, c) in "4901234567894".chars().enumerate() {
            keys.key(Key::Char(c), t0 + Duration::from_millis(i as u64 * 5));
        }
        keys.key(Key::Enter, t0 + Duration::from_millis(70));
        assert_eq!(drain(&mut rx), vec![Msg::Scan("4901234567894".into())]);
    }

    #[test]
    fn without_a_detector_a_burst_stays_keys() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut keys = KeyRouter::new(tx, None);
        let t0 = Instant::now();
        for (i, c) in "4901234567894".chars().enumerate() {
            keys.key(Key::Char(c), t0 + Duration::from_millis(i as u64 * 5));
        }
        keys.key(Key::Enter, t0 + Duration::from_millis(70));
        assert!(keys.tick(t0 + Duration::from_millis(500)));
        assert_eq!(keys.wait(t0), POLL);
        let mut expected: Vec<Msg> = "4901234567894"
            .chars()
            .map(|c| Msg::Key(Key::Char(c)))
            .collect();
        expected.push(Msg::Key(Key::Enter));
        assert_eq!(drain(&mut rx), expected);
    }

    #[test]
    fn typing_at_human_speed_stays_keys_in_order() {
        let (mut keys, mut rx) = router();
        let t0 = Instant::now();
        keys.key(Key::Char('1'), t0);
        keys.tick(t0 + Duration::from_millis(200));
        keys.key(Key::Char('2'), t0 + Duration::from_millis(300));
        // Another key flushes what is held before itself.
        keys.key(Key::F(1), t0 + Duration::from_millis(310));
        assert_eq!(
            drain(&mut rx),
            vec![
                Msg::Key(Key::Char('1')),
                Msg::Key(Key::Char('2')),
                Msg::Key(Key::F(1)),
            ]
        );
    }

    #[test]
    fn held_characters_set_the_next_wait() {
        let (mut keys, _rx) = router();
        let t0 = Instant::now();
        assert_eq!(keys.wait(t0), POLL);
        keys.key(Key::Char('1'), t0);
        assert!(keys.wait(t0) <= Duration::from_millis(36));
    }
}
