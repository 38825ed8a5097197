//! `regi display`: the customer-facing screen. Connects to the register's socket, draws each
//! screen it sends, and connects again when the register restarts; q, Esc or Ctrl-C ends it.
//! Keys are read on their own thread, as the till does.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::mpsc;

use crate::ui::customer::{self, DisplayState};
use crate::ui::theme::Theme;
use regi_core::app::customer_view::CustomerScreen;
use regi_core::lang::Lang;

/// How long to wait before connecting again to a register that is not (yet) there.
const RETRY: Duration = Duration::from_secs(1);

/// What wakes the display up besides the register.
enum Wake {
    Quit,
    Redraw,
}

/// Runs until q, Esc or Ctrl-C. `lang` speaks while no register is connected; after that the
/// register's language is used.
pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    socket: &Path,
    lang: Lang,
    theme: &Theme,
) -> Result<(), B::Error>
where
    B::Error: From<io::Error>,
{
    let (wake_tx, mut wake) = mpsc::unbounded_channel();
    let stop = Arc::new(AtomicBool::new(false));
    let reader = spawn_key_reader(wake_tx, Arc::clone(&stop))?;
    let mut state = DisplayState::Connecting { lang };
    let result = 'outer: loop {
        draw(terminal, &state, theme)?;
        let stream = tokio::select! {
            connected = UnixStream::connect(socket) => connected.ok(),
            woke = wake.recv() => match woke {
                Some(Wake::Redraw) => continue,
                _ => break Ok(()),
            },
        };
        let Some(stream) = stream else {
            tokio::select! {
                () = tokio::time::sleep(RETRY) => {}
                woke = wake.recv() => if !matches!(woke, Some(Wake::Redraw)) { break Ok(()) },
            }
            continue;
        };
        let mut lines = BufReader::new(stream).lines();
        loop {
            tokio::select! {
                line = lines.next_line() => match line {
                    Ok(Some(line)) => match serde_json::from_str::<CustomerScreen>(&line) {
                        Ok(screen) => state = DisplayState::Showing(screen),
                        Err(e) => tracing::warn!("a display message not understood: {e}"),
                    },
                    // The register went away: show that, and connect again.
                    _ => {
                        state = DisplayState::Connecting { lang: language(&state, lang) };
                        break;
                    }
                },
                woke = wake.recv() => if !matches!(woke, Some(Wake::Redraw)) { break 'outer Ok(()) },
            }
            draw(terminal, &state, theme)?;
        }
    };
    stop.store(true, Ordering::Relaxed);
    let _ = reader.join();
    result
}

fn language(state: &DisplayState, fallback: Lang) -> Lang {
    match state {
        DisplayState::Showing(screen) => screen.lang,
        DisplayState::Connecting { .. } => fallback,
    }
}

fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &DisplayState,
    theme: &Theme,
) -> Result<(), B::Error> {
    terminal
        .draw(|frame| {
            let area = frame.area();
            customer::draw(state, theme, area, frame.buffer_mut());
        })
        .map(|_| ())
}

/// Reads keys and resizes until stopped: q, Esc and Ctrl-C quit, a resize redraws.
fn spawn_key_reader(
    wake: mpsc::UnboundedSender<Wake>,
    stop: Arc<AtomicBool>,
) -> io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("regi-display-keys".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if !event::poll(Duration::from_millis(100)).unwrap_or(false) {
                    continue;
                }
                let sent = match event::read() {
                    Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => {
                        let quit = matches!(key.code, KeyCode::Char('q') | KeyCode::Esc)
                            || (key.code == KeyCode::Char('c')
                                && key.modifiers.contains(KeyModifiers::CONTROL));
                        quit.then(|| wake.send(Wake::Quit))
                    }
                    Ok(Event::Resize(..)) => Some(wake.send(Wake::Redraw)),
                    Ok(_) => None,
                    Err(_) => Some(wake.send(Wake::Quit)),
                };
                if matches!(sent, Some(Err(_))) {
                    return;
                }
            }
        })
}
