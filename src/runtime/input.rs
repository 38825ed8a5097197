//! Terminal input on its own thread: crossterm's blocking reader, turned into messages.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Key, Msg};

/// How long a read waits before checking whether to stop.
const POLL: Duration = Duration::from_millis(100);

/// Reads keys and resizes until stopped or the loop goes away.
pub struct InputThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl InputThread {
    pub fn spawn(tx: UnboundedSender<Msg>) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("regi-input".into())
            .spawn(move || read_events(&tx, &flag))?;
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

fn read_events(tx: &UnboundedSender<Msg>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match event::poll(POLL) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(e) => {
                let _ = tx.send(Msg::TaskFailed(format!("terminal input: {e}")));
                return;
            }
        }
        let msg = match event::read() {
            Ok(Event::Key(key)) => Key::from_event(key).map(Msg::Key),
            Ok(Event::Resize(cols, rows)) => Some(Msg::Resize { cols, rows }),
            Ok(_) => None,
            Err(e) => Some(Msg::TaskFailed(format!("terminal input: {e}"))),
        };
        if let Some(msg) = msg
            && tx.send(msg).is_err()
        {
            return;
        }
    }
}
