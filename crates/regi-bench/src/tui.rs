//! `regi-bench tui`: how fast the clerk's screen is drawn and how light the running terminal is.
//!
//! - render time per frame of the sale and QR screens at 80×24, next to the floor of an empty frame
//!   through the same ratatui terminal (its own buffer diff and flush);
//! - startup to first frame of the real binary (`regi --training`) in a pseudo-terminal;
//! - resident memory, and CPU while a QR waits for payment, read from /proc.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use chrono::{TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use super::cpu::CpuMeter;
use super::stats::{Summary, summarize};
use super::table::{Output, Table, fixed};
use regi_config::Lang;
use regi_core::app::records::Startup;
use regi_core::app::{App, AppOptions, Key, Msg, PaymentEvent, update};
use regi_core::domain::Catalog;
use regi_payment::QrSession;
use regi_tui::ui::theme::Theme;

#[derive(Debug, clap::Args)]
pub struct TuiArgs {
    /// Frames drawn per screen.
    #[arg(long, default_value_t = 2000)]
    pub frames: usize,
    /// Startups of the real binary to time.
    #[arg(long, default_value_t = 5)]
    pub startups: usize,
    /// Seconds of CPU measured while the QR waits for payment.
    #[arg(long, default_value_t = 5)]
    pub wait_secs: u64,
}

const TOKEN: &str = "https://www-sandbox.pokepay.jp/cashtrays/dc204118-9e3b-493c-b396-b9259ce28663";

pub fn run(args: &TuiArgs) -> anyhow::Result<Output> {
    let frames = args.frames.max(10);
    let floor = draw_times(&App::new(options(), Utc::now()), frames, true)?;
    let sale = draw_times(&sale_app(), frames, false)?;
    let qr = draw_times(&qr_app(), frames, false)?;

    let regi = super::process::regi_binary()?;
    let dir = std::env::temp_dir().join(format!("regi-bench-tui-{}", std::process::id()));
    let live = measure_live(
        &regi,
        &dir,
        args.startups.max(1),
        Duration::from_secs(args.wait_secs.max(1)),
    );
    let _ = std::fs::remove_dir_all(&dir);
    let live = live?;

    let mut frames_table = Table::new(
        "Frame render at 80×24",
        &["screen", "p50 µs", "p99 µs", "× empty frame"],
    );
    for (name, s) in [
        ("empty frame (floor)", &floor),
        ("sale", &sale),
        ("QR wait", &qr),
    ] {
        frames_table.row([
            name.to_string(),
            s.p50_us.to_string(),
            s.p99_us.to_string(),
            fixed(s.p50_us as f64 / floor.p50_us.max(1) as f64, 1),
        ]);
    }
    let mut process_table = Table::new(
        "The real binary (regi --training) in a pty",
        &["figure", "value", "goal"],
    );
    process_table
        .row([
            "startup to first frame, median".into(),
            format!("{} ms", live.startup_p50_ms),
            "< 200 ms".to_string(),
        ])
        .row([
            "startup, slowest".into(),
            format!("{} ms", live.startup_max_ms),
            String::new(),
        ])
        .row([
            "resident memory on the QR screen".into(),
            format!("{:.1} MiB", live.rss_mib),
            "< 30 MiB".to_string(),
        ])
        .row([
            "CPU while waiting for payment".into(),
            format!("{:.2} %", live.wait_cpu_percent),
            "< 1 %".to_string(),
        ]);

    Ok(Output {
        tables: vec![frames_table, process_table],
        notes: vec![format!(
            "{frames} frames per screen; {} startups; CPU over {} s of a QR on screen (training sandbox polled in the same process).",
            args.startups.max(1),
            args.wait_secs.max(1)
        )],
        json: json!({
            "frame_floor_p50_us": floor.p50_us,
            "frame_sale_p50_us": sale.p50_us,
            "frame_sale_p99_us": sale.p99_us,
            "frame_qr_p50_us": qr.p50_us,
            "frame_qr_p99_us": qr.p99_us,
            "startup_p50_ms": live.startup_p50_ms,
            "startup_max_ms": live.startup_max_ms,
            "rss_mib": live.rss_mib,
            "wait_cpu_percent": live.wait_cpu_percent,
        }),
    })
}

fn options() -> AppOptions {
    AppOptions {
        lang: Lang::En,
        training: true,
        catalog: Catalog::default(),
        sale: Default::default(),
        pin_required: false,
        pin_lockout: Default::default(),
        startup: Startup::default(),
        customer_codes: vec![regi_pokepay::CUSTOMER_CODE],
        partial_refunds: Vec::new(),
        tab_providers: Vec::new(),
        staff_sign_in: false,
        tenders: Vec::new(),
    }
}

fn sale_app() -> App {
    let mut app = App::new(options(), Utc::now());
    for c in "1200+350+".chars() {
        update(&mut app, Msg::Key(Key::Char(c)));
    }
    app
}

fn qr_app() -> App {
    let now = Utc::now();
    let mut app = App::new(options(), now);
    for c in "1200".chars() {
        update(&mut app, Msg::Key(Key::Char(c)));
    }
    update(&mut app, Msg::Key(Key::Enter));
    update(&mut app, Msg::Key(Key::F(1)));
    if let Some(attempt) = app.live_attempt() {
        let session = QrSession {
            id: "dc204118-9e3b-493c-b396-b9259ce28663".into(),
            token: TOKEN.into(),
            expires_at: now + TimeDelta::seconds(300),
        };
        update(
            &mut app,
            Msg::Payment {
                attempt,
                event: PaymentEvent::QrReady(session),
            },
        );
    }
    app
}

/// Times `frames` draws of `app` (or of nothing, for the floor) on an 80×24 terminal.
fn draw_times(app: &App, frames: usize, empty: bool) -> anyhow::Result<Summary> {
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(80, 24))?;
    let mut samples = Vec::with_capacity(frames);
    for i in 0..frames {
        // Alternate with a blank frame so every draw has real cells to diff and write.
        if i % 2 == 0 {
            terminal.draw(|_| {})?;
        }
        let start = Instant::now();
        if empty {
            terminal.draw(|_| {})?;
        } else {
            terminal.draw(|frame| regi_tui::ui::render(app, &theme, frame))?;
        }
        samples.push(start.elapsed());
    }
    Ok(summarize(&samples))
}

struct LiveFigures {
    startup_p50_ms: u64,
    startup_max_ms: u64,
    rss_mib: f64,
    wait_cpu_percent: f64,
}

fn measure_live(
    regi: &Path,
    dir: &Path,
    startups: usize,
    wait: Duration,
) -> anyhow::Result<LiveFigures> {
    let mut startup_ms = Vec::new();
    let mut rss_mib = 0.0;
    let mut wait_cpu_percent = 0.0;
    for round in 0..startups {
        let mut tui = PtyTui::spawn(regi, dir)?;
        let started = Instant::now();
        tui.wait_for("TRAINING", Duration::from_secs(30))?;
        startup_ms.push(started.elapsed().as_millis() as u64);
        if round + 1 == startups {
            tui.send(b"1200\r\x1bOP")?;
            tui.wait_for("Expires", Duration::from_secs(30))?;
            let meter = CpuMeter::start(Some(tui.pid()));
            tui.drain_for(wait);
            wait_cpu_percent = meter.read().1;
            rss_mib = resident_mib(tui.pid()).unwrap_or(0.0);
        }
        tui.quit();
    }
    startup_ms.sort_unstable();
    Ok(LiveFigures {
        startup_p50_ms: startup_ms[startup_ms.len() / 2],
        startup_max_ms: *startup_ms.last().unwrap_or(&0),
        rss_mib,
        wait_cpu_percent,
    })
}

fn resident_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// `regi --training --lang en` running in an 80×24 pseudo-terminal.
struct PtyTui {
    child: Child,
    master: std::fs::File,
    output: mpsc::Receiver<Vec<u8>>,
    seen: String,
}

impl PtyTui {
    fn spawn(regi: &Path, dir: &Path) -> anyhow::Result<Self> {
        let size = nix::pty::Winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(Some(&size), None).context("opening a pseudo-terminal")?;
        let slave: OwnedFd = pty.slave;
        let stdio = |fd: &OwnedFd| -> anyhow::Result<Stdio> { Ok(Stdio::from(fd.try_clone()?)) };
        let child = Command::new(regi)
            .args(["--training", "--lang", "en"])
            .env("REGI_DATA_DIR", dir)
            .env("TERM", "xterm-256color")
            .stdin(stdio(&slave)?)
            .stdout(stdio(&slave)?)
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", regi.display()))?;
        drop(slave);
        let master = std::fs::File::from(pty.master);
        let mut reader = master.try_clone()?;
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            child,
            master,
            output,
            seen: String::new(),
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn send(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.master.write_all(bytes)?;
        Ok(())
    }

    fn wait_for(&mut self, text: &str, limit: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + limit;
        while !self.seen.contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = self
                .output
                .recv_timeout(left)
                .map_err(|_| anyhow!("the terminal never showed {text:?}"))?;
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        self.seen.clear();
        Ok(())
    }

    fn drain_for(&mut self, span: Duration) {
        let deadline = Instant::now() + span;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let _ = self.output.recv_timeout(left);
        }
    }

    fn quit(mut self) {
        let _ = self.send(b"\x03");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            let _ = self.output.recv_timeout(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
