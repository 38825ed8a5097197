//! Reading a drawn screen back (as text, and as a phone camera would read its QR code), and a till
//! that drives the real event loop with scripted keys on a headless terminal.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use regi_config::Lang;
use regi_core::app::screens::{OutcomeKind, Screen};
use regi_core::app::{App, AppOptions, Key, Msg, TenderOption};
use regi_core::domain::PaymentMethod;
use regi_tui::runtime::{EventLoop, Services};
use regi_tui::ui::theme::Theme;
use regi_tui::ui::widgets::qr::read_pixels;
use unicode_width::UnicodeWidthStr;

/// The screen as text, one line per row with trailing blanks trimmed; a wide character's trailing
/// cell is skipped.
pub fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        let mut line = String::new();
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Every QR code a phone camera pointed at the screen would read.
pub fn decode_qr(buf: &Buffer) -> Vec<String> {
    let pixels = read_pixels(buf, buf.area, Theme::default().qr);
    let (w, h) = (pixels[0].len(), pixels.len());
    // Upsample so the detector's thresholding has some room around each module.
    const UP: usize = 3;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * UP, h * UP, |x, y| {
        if pixels[y / UP][x / UP] { 0 } else { 255 }
    });
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// A till in training, as the scripted sessions run it: nothing they do moves real money.
pub fn training_app(lang: Lang) -> App {
    App::new(
        AppOptions {
            customer_codes: vec![regi_pokepay::CUSTOMER_CODE],
            partial_refunds: Vec::new(),
            tab_providers: Vec::new(),
            staff_sign_in: false,
            lang,
            training: true,
            ..AppOptions::default()
        },
        Utc::now(),
    )
}

/// A register taking Pokepay (its QR and codes), KOMOJU's page, and PayPay and LINE Pay through
/// elepay, as the till lists them from `[tenders]`.
pub fn tenders() -> Vec<TenderOption> {
    let option = |provider: &str, label: &str, presentation, wallet: Option<&str>| TenderOption {
        provider: provider.into(),
        label: label.into(),
        presentation,
        wallet: wallet.map(str::to_string),
    };
    vec![
        option("pokepay", "Pokepay", PaymentMethod::MerchantQr, None),
        option("pokepay", "Pokepay", PaymentMethod::CustomerCode, None),
        option("komoju", "KOMOJU", PaymentMethod::HostedPage, None),
        option(
            "elepay",
            "PayPay (elepay)",
            PaymentMethod::MerchantQr,
            Some("paypay"),
        ),
        option(
            "elepay",
            "LINE Pay (elepay)",
            PaymentMethod::MerchantQr,
            Some("linepay"),
        ),
    ]
}

/// The real event loop over `services`, drawn on a headless 80x24 terminal.
pub struct Till<S> {
    pub event_loop: EventLoop<S>,
    pub terminal: Terminal<TestBackend>,
}

impl<S: Services> Till<S> {
    pub fn new(app: App, services: S) -> Self {
        Self {
            event_loop: EventLoop::new(app, Theme::default(), Arc::new(services)),
            terminal: Terminal::new(TestBackend::new(80, 24)).expect("terminal"),
        }
    }

    pub fn app(&self) -> &App {
        self.event_loop.app()
    }

    pub fn keys(&mut self, keys: &[Key]) {
        for key in keys {
            self.event_loop.handle(Msg::Key(*key));
        }
    }

    /// A code read by the scanner.
    pub fn scan(&mut self, code: &str) {
        self.event_loop.handle(Msg::Scan(code.into()));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.event_loop.handle(Msg::Key(Key::Char(c)));
        }
    }

    /// Runs the loop until `done` holds for the app, drawing as it goes.
    pub async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let run = self.event_loop.run_until(&mut self.terminal, done);
        // Guards against a hang only; the run ends as soon as the state is reached.
        tokio::time::timeout(Duration::from_secs(30), run)
            .await
            .unwrap_or_else(|_| panic!("never reached: {what}"))
            .expect("draw");
    }

    /// The screen as last drawn.
    pub fn screen_text(&self) -> String {
        screen_text(self.terminal.backend().buffer())
    }

    /// What a phone camera pointed at the screen as last drawn would read.
    pub fn photograph(&self) -> Vec<String> {
        decode_qr(self.terminal.backend().buffer())
    }
}

// States a scripted session waits for.

pub fn showing_qr(app: &App) -> bool {
    matches!(&app.screen, Screen::QrWait(w) if w.session().is_some())
}

/// The token of the code on screen, if one is.
pub fn qr_token(app: &App) -> Option<String> {
    match &app.screen {
        Screen::QrWait(wait) => wait.session().map(|s| s.token.clone()),
        _ => None,
    }
}

pub fn paid(app: &App) -> bool {
    matches!(&app.screen, Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Paid { .. }))
}

pub fn failed(app: &App) -> bool {
    matches!(&app.screen, Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Failed(_)))
}

pub fn checking(app: &App) -> bool {
    matches!(&app.screen, Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Checking { .. }))
}
