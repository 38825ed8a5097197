//! Every screen drawn at 80x24 and 120x40, in Japanese and English, as text snapshots; plus the QR
//! wait screen decoded back to the exact Cashtray token with a real QR decoder.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use regi::app::cart::{Catalog, Product, TaxRate};
use regi::app::records::{
    Check, PayMethod, ReportKind, ReportSummary, SaleRecord, SaleState, Startup, StatusReport,
    Tally,
};
use regi::app::{App, AppOptions, AttemptId, Key, Msg, PaymentEvent, update};
use regi::config::Lang;
use regi::config::ManagerPin;
use regi::gateway::{Direction, PaidTransaction, QrSession, Refusal};
use regi::ui::theme::Theme;
use regi::ui::widgets::qr::read_pixels;
use unicode_width::UnicodeWidthStr;

const TOKEN: &str = "https://www-sandbox.pokepay.jp/cashtrays/dc204118-9e3b-493c-b396-b9259ce28663";
const CPM: &str = "1234567890123456789012";
const ONIGIRI: &str = "4901234567894";
const TEA: &str = "4909876543214";
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0)
        .single()
        .expect("valid time")
}

fn new_app(lang: Lang, training: bool) -> App {
    let catalog = Catalog::new([
        Product {
            jan: ONIGIRI.into(),
            name: "おにぎり 鮭".into(),
            price: 150,
            tax_rate: TaxRate::Reduced,
        },
        Product {
            jan: TEA.into(),
            name: "緑茶 500ml".into(),
            price: 140,
            tax_rate: TaxRate::Reduced,
        },
    ]);
    App::new(
        AppOptions {
            lang,
            training,
            catalog,
            manager_pin: ManagerPin::try_from("1234".to_string()).ok(),
            startup: Startup {
                recovered: 1,
                unresolved: 0,
                config_summary: vec![
                    ("api.base_url".into(), "http://127.0.0.1:41234".into()),
                    (
                        "pokepay.client_id".into(),
                        "********************a1b2".into(),
                    ),
                    ("printer".into(), "none".into()),
                ],
            },
        },
        t0(),
    )
}

fn keys(app: &mut App, keys: &[Key]) {
    for key in keys {
        update(app, Msg::Key(*key));
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Msg::Key(Key::Char(c)));
    }
}

fn event(app: &mut App, event: PaymentEvent) {
    let attempt = app.live_attempt().expect("an attempt in flight");
    update(app, Msg::Payment { attempt, event });
}

fn session() -> QrSession {
    QrSession {
        id: "dc204118-9e3b-493c-b396-b9259ce28663".into(),
        token: TOKEN.into(),
        expires_at: t0() + TimeDelta::seconds(300),
    }
}

fn paid() -> PaidTransaction {
    PaidTransaction {
        transaction_id: "7f1c2e9a-5b3d-4e8f-9a01-23456789abcd".into(),
        amount: 1200,
        customer_name: Some("山田 花子".into()),
        money_name: Some("ポケペイ".into()),
        done_at: t0(),
    }
}

fn records() -> Vec<SaleRecord> {
    let at = |minutes| t0() + TimeDelta::minutes(minutes);
    vec![
        SaleRecord {
            at: at(0),
            direction: Direction::Payment,
            amount: 1200,
            state: SaleState::Paid,
            method: PayMethod::Qr,
            transaction_id: Some("7f1c2e9a-5b3d-4e8f-9a01-23456789abcd".into()),
            customer_name: Some("山田 花子".into()),
            lines: vec!["おにぎり 鮭 ×2 ¥300".into(), "手入力 ¥900".into()],
        },
        SaleRecord {
            at: at(7),
            direction: Direction::Payment,
            amount: 540,
            state: SaleState::Failed,
            method: PayMethod::Code,
            transaction_id: None,
            customer_name: None,
            lines: Vec::new(),
        },
        SaleRecord {
            at: at(12),
            direction: Direction::Topup,
            amount: 3000,
            state: SaleState::Refunded,
            method: PayMethod::Code,
            transaction_id: Some("0b9e4c1d-2222-4333-8444-555566667777".into()),
            customer_name: None,
            lines: Vec::new(),
        },
    ]
}

/// The app in each state worth a snapshot, reached through `update` as a clerk would.
fn scenes(lang: Lang) -> Vec<(&'static str, App)> {
    let mut scenes = Vec::new();
    let base = || new_app(lang, false);
    let with_total = |training: bool| {
        let mut app = new_app(lang, training);
        typed(&mut app, "1200");
        keys(&mut app, &[Key::Enter]);
        app
    };

    scenes.push(("sale_empty", base()));

    let mut app = base();
    update(&mut app, Msg::Scan(ONIGIRI.into()));
    update(&mut app, Msg::Scan(ONIGIRI.into()));
    update(&mut app, Msg::Scan(TEA.into()));
    typed(&mut app, "900+");
    keys(&mut app, &[Key::Up]);
    typed(&mut app, "35");
    update(&mut app, Msg::Scan("4900000000003".into()));
    scenes.push(("sale_cart", app));

    let mut app = base();
    keys(&mut app, &[Key::F(3)]);
    typed(&mut app, "3000");
    scenes.push(("sale_topup", app));

    let mut app = new_app(lang, true);
    typed(&mut app, "1200");
    scenes.push(("sale_training", app));

    scenes.push(("pay_method", with_total(false)));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    scenes.push(("qr_creating", app));

    let mut app = with_total(true);
    keys(&mut app, &[Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    update(&mut app, Msg::Tick(t0() + TimeDelta::seconds(61)));
    scenes.push(("qr_showing_training", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    event(&mut app, PaymentEvent::Checking);
    scenes.push(("qr_showing_checking", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    keys(&mut app, &[Key::Esc]);
    scenes.push(("qr_cancelling", app));

    let mut app = with_total(true);
    keys(&mut app, &[Key::F(2)]);
    typed(&mut app, "123456789");
    scenes.push(("scan_wait", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(2)]);
    update(&mut app, Msg::Scan(CPM.into()));
    scenes.push(("scan_charging", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    event(&mut app, PaymentEvent::Paid(paid()));
    scenes.push(("outcome_paid", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    keys(&mut app, &[Key::Esc]);
    event(&mut app, PaymentEvent::Paid(paid()));
    scenes.push(("outcome_paid_before_cancel", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(2)]);
    update(&mut app, Msg::Scan(CPM.into()));
    event(
        &mut app,
        PaymentEvent::Refused(Refusal {
            status: 422,
            error_type: "account_balance_not_enough".into(),
            message_ja: "残高が足りません".into(),
            message_en: "Insufficient balance".into(),
        }),
    );
    scenes.push(("outcome_failed", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(2)]);
    update(&mut app, Msg::Scan(CPM.into()));
    event(&mut app, PaymentEvent::Checking);
    scenes.push(("outcome_checking", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(records()));
    keys(&mut app, &[Key::Down]);
    scenes.push(("history_list", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(records()));
    keys(&mut app, &[Key::Enter]);
    scenes.push(("history_detail", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(records()));
    keys(&mut app, &[Key::Enter, Key::F(7)]);
    typed(&mut app, "12");
    scenes.push(("history_pin", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Vec::new()));
    scenes.push(("history_empty", app));

    let mut app = base();
    keys(&mut app, &[Key::F(5)]);
    scenes.push(("reports_menu", app));

    let mut app = base();
    keys(&mut app, &[Key::F(5), Key::Char('z')]);
    scenes.push(("reports_confirm_z", app));

    let mut app = base();
    keys(&mut app, &[Key::F(5), Key::Char('x')]);
    update(
        &mut app,
        Msg::ReportLoaded(ReportSummary {
            kind: ReportKind::X,
            payments: Tally {
                count: 12,
                amount: 18_340,
            },
            topups: Tally {
                count: 1,
                amount: 3000,
            },
            refunds: Tally {
                count: 1,
                amount: 1200,
            },
        }),
    );
    scenes.push(("reports_x", app));

    let mut app = base();
    keys(&mut app, &[Key::F(6)]);
    update(
        &mut app,
        Msg::StatusChecked(StatusReport {
            checks: vec![
                Check {
                    name: "Partner API".into(),
                    ok: true,
                    detail: "SendEcho 38 ms".into(),
                    hint: None,
                },
                Check {
                    name: "printer".into(),
                    ok: false,
                    detail: "not found".into(),
                    hint: Some("connect the printer or set [printer] in regi.toml".into()),
                },
            ],
        }),
    );
    scenes.push(("status", app));

    let mut app = base();
    update(&mut app, Msg::TaskFailed("journal: disk full".into()));
    scenes.push(("background_error", app));

    scenes
}

fn draw(app: &App, cols: u16, rows: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("test terminal");
    terminal
        .draw(|frame| regi::ui::render(app, &Theme::default(), frame))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, wide characters counted once (their trailing cell skipped).
fn screen_text(buf: &Buffer) -> String {
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

#[test]
fn every_screen_in_both_languages_and_sizes() {
    for lang in [Lang::Ja, Lang::En] {
        for (name, app) in scenes(lang) {
            for (cols, rows) in SIZES {
                let text = screen_text(&draw(&app, cols, rows));
                insta::assert_snapshot!(format!("{name}_{}_{cols}x{rows}", lang.tag()), text);
            }
        }
    }
}

#[test]
fn every_screen_shows_key_hints_on_its_last_row() {
    for lang in [Lang::Ja, Lang::En] {
        for (name, app) in scenes(lang) {
            let text = screen_text(&draw(&app, 80, 24));
            let last = text.lines().last().unwrap_or_default();
            assert!(
                !last.trim().is_empty(),
                "{name} ({lang:?}) has no key hints"
            );
        }
    }
}

fn decode_screen(buf: &Buffer) -> Vec<String> {
    let pixels = read_pixels(buf, buf.area, Theme::default().qr);
    let (w, h) = (pixels[0].len(), pixels.len());
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

fn showing(lang: Lang) -> App {
    let mut app = new_app(lang, true);
    typed(&mut app, "1200");
    keys(&mut app, &[Key::Enter, Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    app
}

#[test]
fn the_qr_on_screen_decodes_to_the_exact_tray_token() {
    for lang in [Lang::Ja, Lang::En] {
        let app = showing(lang);
        for (cols, rows) in [(80, 24), (120, 40), (100, 30), (200, 60)] {
            let buf = draw(&app, cols, rows);
            assert_eq!(
                decode_screen(&buf),
                vec![TOKEN.to_string()],
                "{lang:?} {cols}x{rows}"
            );
            let text = screen_text(&buf);
            assert!(
                text.contains("1,200"),
                "{lang:?} {cols}x{rows}: amount missing"
            );
        }
    }
}

#[test]
fn a_terminal_too_small_for_the_code_says_so_instead() {
    for lang in [Lang::Ja, Lang::En] {
        let app = showing(lang);
        let buf = draw(&app, 60, 20);
        assert!(decode_screen(&buf).is_empty());
        let text = screen_text(&buf);
        let message = lang.strings().qr_too_small;
        let first_words: String = message.chars().take(8).collect();
        assert!(text.contains(&first_words), "{lang:?}: {text}");
        let qr_light = Theme::default().qr.light;
        assert!(
            buf.content().iter().all(|cell| cell.bg != qr_light),
            "no partial code is drawn"
        );
    }
}

#[test]
fn stale_payment_results_do_not_change_the_screen() {
    let mut app = showing(Lang::En);
    let before = screen_text(&draw(&app, 80, 24));
    update(
        &mut app,
        Msg::Payment {
            attempt: AttemptId(999),
            event: PaymentEvent::Paid(paid()),
        },
    );
    assert_eq!(screen_text(&draw(&app, 80, 24)), before);
}

#[test]
fn tiny_and_odd_terminal_sizes_never_panic() {
    for lang in [Lang::Ja, Lang::En] {
        for (_, app) in scenes(lang) {
            for (cols, rows) in [(1, 1), (10, 3), (40, 10), (79, 23), (300, 5)] {
                draw(&app, cols, rows);
            }
        }
    }
}
