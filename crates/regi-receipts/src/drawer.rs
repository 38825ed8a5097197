//! Opening the cash drawer: a pulse sent straight to the printer the drawer hangs on (ESC p),
//! never queued. A drawer pulse printed later, when the printer is back, would open the drawer
//! with no one at the till; so a drawer that cannot be opened now is reported, and the clerk opens
//! it by key.

use regi_config::Config;
use regi_printer::escpos::EscPos;

/// How a request to open the drawer ended. The sale or movement it was for is already journaled,
/// whatever this says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerOutcome {
    /// The pulse reached the printer.
    Opened,
    /// Training, or no printer configured: nothing was sent.
    NotSent,
    /// The printer could not be reached; `detail` says why.
    Failed(String),
}

/// The ESC/POS bytes that open the drawer on pin 2.
pub fn drawer_pulse() -> Vec<u8> {
    let mut out = EscPos::new();
    out.drawer_kick();
    out.into_bytes()
}

/// Sends the drawer pulse to the configured printer, off the async runtime (a USB or network
/// write can block for its timeout). `training` opens nothing.
pub async fn open_drawer(config: &Config, training: bool) -> DrawerOutcome {
    if training && !config.printer.print_on_training {
        return DrawerOutcome::NotSent;
    }
    let settings = config.printer.clone();
    let task = tokio::task::spawn_blocking(move || -> Result<(), String> {
        let target = settings.target().map_err(|e| e.to_string())?;
        let mut transport = target
            .open(settings.timeouts())
            .map_err(|e| format!("{target}: {e}"))?;
        transport
            .write_all(&drawer_pulse())
            .map_err(|e| format!("{target}: {e}"))
    });
    match task.await {
        Ok(Ok(())) => DrawerOutcome::Opened,
        Ok(Err(detail)) => {
            tracing::warn!(%detail, "the cash drawer could not be opened");
            DrawerOutcome::Failed(detail)
        }
        Err(join) => DrawerOutcome::Failed(join.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pulse_is_esc_p_on_pin_2() {
        assert_eq!(drawer_pulse(), vec![0x1b, b'p', 0, 25, 250]);
    }
}
