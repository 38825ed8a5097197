//! `regi display`: the customer-facing display, on a second terminal or a small screen facing the
//! customer. It mirrors the register running on the same data directory (training or live) over
//! the local socket beside its journal: the lines as rung, the total, the QR to scan, the change.

use std::process::ExitCode;

use regi_tui::runtime::customer_display;
use regi_tui::runtime::customer_feed::display_socket;
use regi_tui::ui::terminal::{self, TerminalGuard};
use regi_tui::ui::theme::{ColorDepth, Theme};

use crate::setup::GlobalOptions;

pub fn run(options: &GlobalOptions) -> ExitCode {
    terminal::install_panic_hook();
    // The language until the register says its own: the option, else the config's, else ja.
    let lang = options.lang();
    // The journal the till uses: training when asked or when no credentials are configured,
    // as the till decides.
    let training = options.training
        || options
            .load_config()
            .is_ok_and(|config| !config.has_credentials());
    let socket = display_socket(&regi_journal::journal_path(&options.data_dir(), training));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("regi display: {e}");
            return ExitCode::FAILURE;
        }
    };
    let theme = Theme::new(ColorDepth::from_colorterm(
        std::env::var("COLORTERM").ok().as_deref(),
    ));
    let result = runtime.block_on(async {
        let mut guard = TerminalGuard::enter()?;
        customer_display::run(guard.terminal(), &socket, lang, &theme).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("regi display: {e}");
            ExitCode::FAILURE
        }
    }
}
