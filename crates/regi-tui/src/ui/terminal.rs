//! Taking over the terminal and always giving it back: on normal exit (guard drop), on panic (hook),
//! and on SIGTERM/SIGHUP/Ctrl-C (the runtime turns those into a quit, which drops the guard).

use std::io::{self, Stdout, Write};
use std::sync::Once;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the TUI runs; dropping it restores the clerk's shell.
pub struct TerminalGuard {
    terminal: Tui,
}

impl TerminalGuard {
    /// Raw mode, alternate screen, hidden cursor. Restores again if any step fails half-way.
    pub fn enter() -> io::Result<Self> {
        enable_raw_mode()?;
        let setup = (|| {
            // Clearing through crossterm, not `Terminal::clear`, which first asks the terminal
            // for the cursor position and fails on terminals that do not answer.
            execute!(io::stdout(), EnterAlternateScreen, Clear(ClearType::All))?;
            let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
            terminal.hide_cursor()?;
            Ok(terminal)
        })();
        match setup {
            Ok(terminal) => Ok(Self { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    pub fn terminal(&mut self) -> &mut Tui {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen and shows the cursor. Safe to call more than once and
/// from a panic hook: every step is attempted and failures are ignored (there is nobody to tell).
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
}

/// Installs, once, a panic hook that restores the terminal, records the panic in the log, prints it
/// the usual way, then ends the process: a half-dead checkout with a frozen screen is worse than a
/// clean exit and a restart (the journal recovers any attempt in flight).
pub fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(%location, %payload, "panic");
            previous(info);
            std::process::exit(101);
        }));
    });
}

/// Resolves when the process is asked to stop from outside: SIGTERM (systemd), SIGHUP (terminal
/// closed) or SIGINT (Ctrl-C while not in raw mode; in raw mode Ctrl-C arrives as a key).
pub async fn shutdown_signal() -> io::Result<&'static str> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = term.recv() => Ok("SIGTERM"),
            _ = hup.recv() => Ok("SIGHUP"),
            _ = int.recv() => Ok("SIGINT"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok("Ctrl-C")
    }
}
