//! The customer-facing display: its screens drawn as `regi display` draws them (snapshots at the
//! smallest size it promises, 40×12, and the QR read back as a phone would at 80×24), and the
//! register's feed over a real Unix socket.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use regi_config::Lang;
use regi_core::app::customer_view::{CustomerLine, CustomerScreen, CustomerView};
use regi_core::domain::Yen;
use regi_tui::runtime::customer_feed::CustomerFeed;
use regi_tui::ui::customer::{DisplayState, draw};
use regi_tui::ui::theme::Theme;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::tui_support::{decode_qr, screen_text};

const TOKEN: &str = "https://www.pokepay.jp/cashtrays/8b0c6a8e-6d5c-4b8c-9a54-5b0f1d2e3c4a";

fn shown(lang: Lang, view: CustomerView) -> DisplayState {
    DisplayState::Showing(CustomerScreen { lang, view })
}

fn drawn(state: &DisplayState, cols: u16, rows: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            draw(state, &Theme::default(), area, frame.buffer_mut());
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

fn scenes(lang: Lang) -> Vec<(&'static str, DisplayState)> {
    let line = |name: &str, quantity, amount, reduced| CustomerLine {
        name: name.into(),
        quantity,
        amount: Yen(amount),
        reduced,
    };
    vec![
        ("connecting", DisplayState::Connecting { lang }),
        ("welcome", shown(lang, CustomerView::Welcome)),
        (
            "ringing",
            shown(
                lang,
                CustomerView::Ringing {
                    lines: vec![
                        line("おにぎり", 2, 300, true),
                        line("", 1, 500, false),
                        line("緑茶", 1, 150, true),
                    ],
                    items: 4,
                    total: Yen(950),
                },
            ),
        ),
        (
            "paying_rest",
            shown(
                lang,
                CustomerView::Paying {
                    total: Yen(3_000),
                    due: Yen(2_000),
                    qr: None,
                },
            ),
        ),
        (
            "thanks_change",
            shown(
                lang,
                CustomerView::Thanks {
                    total: Yen(1_234),
                    change: Yen(766),
                },
            ),
        ),
        (
            "failed",
            shown(lang, CustomerView::Failed { total: Yen(950) }),
        ),
    ]
}

#[test]
fn every_customer_screen_is_readable_at_40x12_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        for (name, state) in scenes(lang) {
            let text = screen_text(&drawn(&state, 40, 12));
            insta::assert_snapshot!(format!("customer_{name}_{}_40x12", lang_tag(lang)), text);
        }
    }
}

#[test]
fn the_change_and_the_rest_to_pay_are_in_big_digits_not_cut() {
    let state = shown(
        Lang::Ja,
        CustomerView::Thanks {
            total: Yen(1_234),
            change: Yen(766),
        },
    );
    let text = screen_text(&drawn(&state, 40, 12));
    assert!(text.contains("お釣り") && text.contains("¥1,234"), "{text}");
}

#[test]
fn the_qr_on_the_customer_display_reads_back_as_the_tray_at_80x24_and_up() {
    for lang in [Lang::Ja, Lang::En] {
        let state = shown(
            lang,
            CustomerView::Paying {
                total: Yen(1_200),
                due: Yen(1_200),
                qr: Some(TOKEN.into()),
            },
        );
        for (cols, rows) in [(80, 24), (100, 30), (120, 40)] {
            let buf = drawn(&state, cols, rows);
            assert_eq!(
                decode_qr(&buf),
                vec![TOKEN.to_string()],
                "{lang:?} {cols}x{rows}"
            );
        }
        // Too small for the code: the amount stays, and the customer is sent to the till's.
        let text = screen_text(&drawn(&state, 40, 12));
        assert!(decode_qr(&drawn(&state, 40, 12)).is_empty());
        let sent = match lang {
            Lang::Ja => "レジの画面",
            Lang::En => "register's screen",
        };
        assert!(text.contains(sent), "{text}");
    }
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

#[tokio::test]
async fn a_display_that_connects_gets_the_current_screen_then_each_change_once() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("display.sock");
    let welcome = CustomerScreen {
        lang: Lang::Ja,
        view: CustomerView::Welcome,
    };
    let feed = CustomerFeed::bind(&socket, welcome.clone()).unwrap();
    let mode = std::fs::metadata(&socket).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );
    let stream = tokio::net::UnixStream::connect(&socket).await.unwrap();
    let mut lines = BufReader::new(stream).lines();
    let first: CustomerScreen =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(first, welcome);
    let thanks = CustomerScreen {
        lang: Lang::Ja,
        view: CustomerView::Thanks {
            total: Yen(500),
            change: Yen::ZERO,
        },
    };
    feed.publish(welcome.clone());
    feed.publish(thanks.clone());
    let next: CustomerScreen =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(next, thanks, "an unchanged screen is not sent again");
    // A second register on the same socket is refused while the first serves it.
    assert!(CustomerFeed::bind(&socket, welcome).is_err());
    drop(feed);
    assert!(!socket.exists(), "the socket goes with the register");
}
