//! Every screen drawn at 80x24 and 120x40, in Japanese and English, as text snapshots; plus the QR
//! wait screen decoded back to the exact Cashtray token with a real QR decoder.

use crate::tui_support::{decode_qr, screen_text, tenders};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use regi_config::Lang;
use regi_core::app::records::{CatalogFile, Check, Startup, StatusReport};
use regi_core::app::{App, AppOptions, AttemptId, Command, Key, Msg, PaymentEvent, update};
use regi_core::domain::{
    Catalog, Failure, PaymentMethod, Product, SaleKind, TaxRate, TaxSummary, Yen,
};
use regi_core::records::{MoneyNameTotals, ProviderTotals};
use regi_journal::{LineRecord, Report, ReportKind, SaleDetail, SaleState, SaleSummary, Totals};
use regi_payment::{PaidTransaction, QrSession};
use regi_tui::ui::strings::LangStrings as _;
use regi_tui::ui::theme::Theme;

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
    let csv = format!(
        "jan,name,unit_price,tax_rate\n{ONIGIRI},おにぎり 鮭,150,8\n{TEA},緑茶 500ml,140,8\n"
    );
    let catalog = Catalog::from_csv_reader(csv.as_bytes()).expect("catalog");
    App::new(
        AppOptions {
            customer_codes: vec![regi_pokepay::CUSTOMER_CODE],
            partial_refunds: Vec::new(),
            tab_providers: Vec::new(),
            staff_sign_in: false,
            tenders: Vec::new(),
            lang,
            training,
            catalog,
            sale: Default::default(),
            pin_required: true,
            pin_lockout: Default::default(),
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
                partly_paid: Vec::new(),
                parked: 0,
                training_reason: training
                    .then(|| lang.strings().training_why_no_credentials.to_string()),
                catalog_file: None,
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

/// ¥1,200 keyed in, QR chosen, and the code on screen.
fn qr_shown(lang: Lang, training: bool) -> App {
    let mut app = new_app(lang, training);
    typed(&mut app, "1200");
    keys(&mut app, &[Key::Enter, Key::F(1)]);
    event(&mut app, PaymentEvent::QrReady(session()));
    app
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

/// The engine's "paid" for sale 1.
fn paid_event() -> PaymentEvent {
    PaymentEvent::Paid {
        sale_id: 1,
        transaction: paid(),
    }
}

fn sale(id: i64, minutes: i64, kind: SaleKind, total: i64, state: SaleState) -> SaleDetail {
    let at = t0() + TimeDelta::minutes(minutes);
    SaleDetail {
        sale: SaleSummary {
            id,
            receipt_no: id,
            business_day_id: 1,
            kind,
            state,
            total: Yen(total),
            tax: TaxSummary::default(),
            method: Some(if id == 1 {
                PaymentMethod::MerchantQr
            } else {
                PaymentMethod::CustomerCode
            }),
            transaction_id: matches!(state, SaleState::Paid | SaleState::Refunded)
                .then(|| format!("7f1c2e9a-5b3d-4e8f-9a01-00000000000{id}")),
            training: false,
            terminal: "regi".into(),
            created_at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            prices_include_tax: true,
            money_name: None,
            released: regi_core::domain::Yen(0),
            refunded: regi_core::domain::Yen(0),
            tendered: if matches!(state, SaleState::Paid | SaleState::Refunded) {
                Yen(total)
            } else {
                Yen(0)
            },
            staff: None,
            origin: None,
            provider: None,
        },
        lines: Vec::new(),
        attempts: Vec::new(),
        refunds: Vec::new(),
        events: Vec::new(),
        returns: Vec::new(),
    }
}

/// Sale 4: paid on a provider's page and held for a later capture of up to ¥5,000.
fn held_sale() -> SaleDetail {
    let mut held = sale(4, 20, SaleKind::Payment, 5000, SaleState::Held);
    held.sale.method = Some(PaymentMethod::HostedPage);
    held.sale.provider = Some("komoju".into());
    held.sale.money_name = Some("PayPay".into());
    held.sale.transaction_id = Some("pay-held-4".into());
    held.attempts.push(regi_journal::AttemptRecord {
        id: 4,
        sale_id: 4,
        provider: "komoju".into(),
        method: PaymentMethod::HostedPage,
        request_id: "r-4".into(),
        amount: Yen(-5000),
        provider_ref: Some("session-4".into()),
        presented_code: None,
        state: regi_core::domain::AttemptState::Authorized {
            transaction_id: "pay-held-4".into(),
            amount: 5000,
        },
        customer_name: None,
        created_at: String::new(),
        updated_at: String::new(),
        hold: true,
        capture_amount: None,
        cash: None,
        money_name: Some("PayPay".into()),
    });
    held
}

/// Two tabs: room 301 open with two charges, table 7 closed.
fn tabs() -> Vec<regi_core::app::screens::TabView> {
    let tab = |id: i64, label: &str, state, charges: i64, total: i64| regi_journal::TabRecord {
        id,
        provider: "pokepay".into(),
        label: label.into(),
        customer_id: "c".into(),
        customer_name: Some("山田 花子".into()),
        money_id: "m".into(),
        card_id: "card".into(),
        card_masked: "411111********11".into(),
        until: t0() + TimeDelta::days(3),
        expires_at: Some(t0() + TimeDelta::days(3)),
        open_request_id: "k".into(),
        provider_ref: Some("s".into()),
        close_request_id: None,
        state,
        error_type: None,
        error_message: None,
        created_at: String::new(),
        closed_at: None,
        charges,
        total: Yen(total),
    };
    let charge = |sale_id: i64, total: i64, reduced_tax: i64| regi_journal::TabCharge {
        sale_id,
        receipt_no: sale_id,
        at: "2026-11-20T02:00:00.000Z".into(),
        total: Yen(total),
        standard_taxable: Yen(0),
        standard_tax: Yen(0),
        reduced_taxable: Yen(total),
        reduced_tax: Yen(reduced_tax),
        refunded: Yen(0),
    };
    vec![
        regi_core::app::screens::TabView {
            tab: tab(1, "301", regi_journal::TabState::Open, 2, 3240),
            charges: vec![charge(11, 1080, 80), charge(12, 2160, 160)],
        },
        regi_core::app::screens::TabView {
            tab: tab(2, "Table 7", regi_journal::TabState::Closed, 1, 540),
            charges: vec![charge(9, 540, 40)],
        },
    ]
}

fn history() -> Vec<SaleDetail> {
    let mut first = sale(1, 0, SaleKind::Payment, 1200, SaleState::Paid);
    first.lines = vec![
        LineRecord {
            line_no: 1,
            jan: Some(ONIGIRI.into()),
            name: "おにぎり 鮭".into(),
            unit_price: Yen(150),
            quantity: 2,
            amount: Yen(300),
            tax_rate: regi_core::domain::TaxRate::Reduced8,
        },
        LineRecord {
            line_no: 2,
            jan: None,
            name: "手入力".into(),
            unit_price: Yen(900),
            quantity: 1,
            amount: Yen(900),
            tax_rate: regi_core::domain::TaxRate::Standard10,
        },
    ];
    first.sale.provider = Some("komoju".into());
    first.sale.money_name = Some("PayPay".into());
    let mut topup = sale(3, 12, SaleKind::Topup, 3000, SaleState::Refunded);
    topup.sale.provider = Some("pokepay".into());
    vec![
        first,
        sale(2, 7, SaleKind::Payment, 540, SaleState::Failed),
        topup,
    ]
}

fn report() -> Report {
    let totals = |count, amount| Totals {
        count,
        amount: Yen(amount),
    };
    Report {
        kind: ReportKind::X,
        business_day_id: 1,
        opened_at: "2026-11-20T00:00:00.000Z".into(),
        generated_at: "2026-11-20T09:00:00.000Z".into(),
        first_receipt_no: Some(1),
        last_receipt_no: Some(14),
        payments: totals(12, 18_340),
        payments_by_method: Vec::new(),
        payments_by_rate: Vec::new(),
        refunds: totals(1, 1200),
        refunds_by_method: Vec::new(),
        refunds_by_rate: Vec::new(),
        payments_by_provider: Vec::new(),
        refunds_by_provider: Vec::new(),
        net_sales: Yen(17_140),
        topups: totals(1, 3000),
        topups_by_method: Vec::new(),
        topup_refunds: Totals::default(),
        net_topups: Yen(3000),
        failed_attempts: 1,
        expired_attempts: 0,
        cancelled_attempts: 2,
        voided_sales: 0,
        voided_amount: Yen::ZERO,
        unresolved_attempts: 0,
        sales_by_hour: Vec::new(),
        discounts: Totals::default(),
        cash: Default::default(),
    }
}

fn provider(name: &str, ways: &[(&str, i64, i64)]) -> ProviderTotals {
    ProviderTotals {
        provider: name.into(),
        count: ways.iter().map(|w| w.1).sum(),
        amount: Yen(ways.iter().map(|w| w.2).sum()),
        by_money_name: ways
            .iter()
            .map(|&(money_name, count, amount)| MoneyNameTotals {
                money_name: money_name.into(),
                count,
                amount: Yen(amount),
            })
            .collect(),
    }
}

/// A day three providers took payments, one of them several ways, with refunds from two.
fn report_by_provider() -> Report {
    let mut report = report();
    report.payments_by_provider = vec![
        provider("pokepay", &[("ポケペイマネー", 5, 6_340)]),
        provider("komoju", &[("PayPay", 4, 8_000), ("LINE Pay", 1, 1_000)]),
        provider("elepay", &[("d払い", 2, 3_000)]),
    ];
    report.refunds = Totals {
        count: 2,
        amount: Yen(1_700),
    };
    report.refunds_by_provider = vec![
        provider("komoju", &[("PayPay", 1, 1_200)]),
        provider("elepay", &[("d払い", 1, 500)]),
    ];
    report.net_sales = Yen(16_640);
    report
}

/// The app in each state worth a snapshot, reached through `update` as a clerk would.
/// The text training mode shows instead of printing: a sale receipt as the printer would get it.
fn receipt_preview() -> String {
    [
        "         【練習】TRAINING",
        "          テスト商店 本店",
        "        東京都千代田区1-1-1",
        "",
        "            領 収 書",
        "2026-11-20 10:00        No.0001",
        "--------------------------------",
        "おにぎり 鮭 *           ¥150",
        "  2個 x @150            ¥300",
        "緑茶 500ml *            ¥140",
        "--------------------------------",
        "合計                    ¥1,200",
        "(8%対象                 ¥1,200)",
        "(内消費税等              ¥88)",
        "お預り ポケペイ         ¥1,200",
        "取引ID",
        "7f1c2e9a-0000-4000-8000-000000000001",
        "* は軽減税率対象",
        "",
        "   ご利用ありがとうございました",
        "      この伝票は練習用です",
    ]
    .join("\n")
}

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
    update(&mut app, Msg::Scan("4900000000009".into()));
    scenes.push(("sale_cart", app));

    let mut app = base();
    keys(&mut app, &[Key::F(3)]);
    typed(&mut app, "3000");
    scenes.push(("sale_topup", app));

    let mut app = new_app(lang, true);
    typed(&mut app, "1200");
    scenes.push(("sale_training", app));

    scenes.push(("pay_method", with_total(false)));

    // Pokepay (QR and code), KOMOJU's page, PayPay and LINE Pay through elepay; PayPay highlighted.
    let with_tenders = || {
        let mut app = new_app(lang, false);
        app.tenders = tenders();
        typed(&mut app, "1200");
        keys(&mut app, &[Key::Enter]);
        app
    };
    let mut app = with_tenders();
    keys(&mut app, &[Key::Down, Key::Down, Key::Down]);
    scenes.push(("pay_method_tenders", app));

    let mut app = with_tenders();
    keys(&mut app, &[Key::Char('4')]);
    event(&mut app, PaymentEvent::QrReady(session()));
    scenes.push(("qr_showing_tender", app));

    let mut app = with_tenders();
    keys(&mut app, &[Key::Char('3')]);
    event(&mut app, PaymentEvent::QrReady(session()));
    scenes.push(("qr_showing_page", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    scenes.push(("qr_creating", app));

    let mut app = qr_shown(lang, true);
    update(&mut app, Msg::Tick(t0() + TimeDelta::seconds(61)));
    scenes.push(("qr_showing_training", app));

    let mut app = qr_shown(lang, false);
    event(&mut app, PaymentEvent::Checking);
    scenes.push(("qr_showing_checking", app));

    let mut app = qr_shown(lang, false);
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

    let mut app = qr_shown(lang, false);
    event(&mut app, paid_event());
    scenes.push(("outcome_paid", app));

    let mut app = qr_shown(lang, true);
    event(&mut app, paid_event());
    update(
        &mut app,
        Msg::Printed {
            sale_id: 1,
            shown: false,
            result: Ok(Some(receipt_preview())),
        },
    );
    scenes.push(("outcome_paid_training", app.clone()));
    keys(&mut app, &[Key::F(7)]);
    scenes.push(("receipt_preview", app.clone()));
    keys(&mut app, &[Key::PageDown, Key::Down]);
    scenes.push(("receipt_preview_scrolled", app));

    let mut app = qr_shown(lang, false);
    keys(&mut app, &[Key::Esc]);
    event(&mut app, paid_event());
    scenes.push(("outcome_paid_before_cancel", app));

    let mut app = qr_shown(lang, false);
    event(
        &mut app,
        PaymentEvent::Held {
            sale_id: 1,
            transaction: paid(),
        },
    );
    scenes.push(("outcome_held", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(2)]);
    update(&mut app, Msg::Scan(CPM.into()));
    event(
        &mut app,
        PaymentEvent::Refused(Failure::new(
            regi_core::domain::FailReason::InsufficientBalance,
            "account_balance_not_enough",
            "Insufficient balance",
        )),
    );
    scenes.push(("outcome_failed", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(2)]);
    update(&mut app, Msg::Scan(CPM.into()));
    event(&mut app, PaymentEvent::Checking);
    scenes.push(("outcome_checking", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(2)]);
    update(&mut app, Msg::Scan(CPM.into()));
    event(&mut app, PaymentEvent::Unrecorded { disk_full: true });
    scenes.push(("outcome_unrecorded_disk_full", app));

    let mut app = with_total(false);
    keys(&mut app, &[Key::F(1)]);
    event(&mut app, PaymentEvent::JournalStopped { disk_full: true });
    scenes.push(("outcome_journal_stopped_disk_full", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(history())));
    keys(&mut app, &[Key::Down]);
    scenes.push(("history_list", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(history())));
    keys(&mut app, &[Key::Enter]);
    scenes.push(("history_detail", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(history())));
    keys(&mut app, &[Key::Enter, Key::F(7)]);
    typed(&mut app, "12");
    scenes.push(("history_pin", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(history())));
    keys(&mut app, &[Key::Enter, Key::F(7)]);
    typed(&mut app, "1234");
    update(&mut app, Msg::Key(Key::Enter));
    scenes.push(("history_pin_checking", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(history())));
    keys(&mut app, &[Key::Enter, Key::F(7)]);
    for _ in 0..5 {
        typed(&mut app, "0000");
        let commands = update(&mut app, Msg::Key(Key::Enter));
        let [Command::VerifyPin { attempt, .. }] = commands.as_slice() else {
            panic!("expected a PIN check, got {commands:?}")
        };
        let answer = Msg::PinChecked {
            attempt: *attempt,
            correct: false,
            at: t0(),
        };
        update(&mut app, answer);
    }
    update(&mut app, Msg::Tick(t0() + TimeDelta::seconds(3)));
    scenes.push(("history_pin_locked", app));

    let mut app = base();
    app.tab_providers = vec!["pokepay".into()];
    keys(&mut app, &[Key::F(8)]);
    update(&mut app, Msg::TabsLoaded(Ok(tabs())));
    scenes.push(("tabs_list", app.clone()));
    keys(&mut app, &[Key::Enter]);
    scenes.push(("tabs_statement", app.clone()));
    keys(&mut app, &[Key::F(7)]);
    typed(&mut app, "12");
    scenes.push(("tabs_close_pin", app));

    let mut app = base();
    app.tab_providers = vec!["pokepay".into()];
    keys(&mut app, &[Key::F(8)]);
    update(&mut app, Msg::TabsLoaded(Ok(tabs())));
    keys(&mut app, &[Key::F(2)]);
    let commands = update(&mut app, Msg::Scan(CPM.into()));
    let [Command::FindTabCustomer { attempt, .. }] = commands.as_slice() else {
        panic!("expected a customer lookup, got {commands:?}")
    };
    let customer = regi_core::tab::TabCustomer {
        customer_id: "c".into(),
        name: Some("山田 花子".into()),
        money_id: "m".into(),
        cards: vec![
            regi_core::tab::TabCard {
                card_id: "a".into(),
                masked_number: "411111********11".into(),
            },
            regi_core::tab::TabCard {
                card_id: "b".into(),
                masked_number: "520000********07".into(),
            },
        ],
    };
    update(
        &mut app,
        Msg::TabCustomerFound {
            attempt: *attempt,
            result: Ok(customer),
        },
    );
    keys(&mut app, &[Key::Down, Key::Enter]);
    typed(&mut app, "302");
    scenes.push(("tabs_open_label", app));

    let mut app = base();
    app.partial_refunds = vec!["komoju".into()];
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(history())));
    keys(&mut app, &[Key::Enter, Key::F(7)]);
    typed(&mut app, "500");
    scenes.push(("history_refund_amount", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(vec![held_sale()])));
    keys(&mut app, &[Key::Enter]);
    scenes.push(("history_held", app.clone()));
    keys(&mut app, &[Key::Char('c')]);
    typed(&mut app, "4200");
    scenes.push(("history_capture_amount", app));

    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(Vec::new())));
    scenes.push(("history_empty", app));

    let mut app = base();
    keys(&mut app, &[Key::F(5)]);
    scenes.push(("reports_menu", app));

    // Past the manager PIN, the open day read: its number is asked.
    let mut app = base();
    app.pin_required = false;
    keys(&mut app, &[Key::F(5), Key::Char('z')]);
    update(
        &mut app,
        Msg::ReportLoaded {
            kind: ReportKind::X,
            report: Ok(Some(Box::new(report()))),
        },
    );
    scenes.push(("reports_confirm_z", app));

    let mut app = base();
    keys(&mut app, &[Key::F(5), Key::Char('x')]);
    update(
        &mut app,
        Msg::ReportLoaded {
            kind: ReportKind::X,
            report: Ok(Some(Box::new(report()))),
        },
    );
    scenes.push(("reports_x", app));

    let mut app = base();
    keys(&mut app, &[Key::F(5), Key::Char('x')]);
    update(
        &mut app,
        Msg::ReportLoaded {
            kind: ReportKind::X,
            report: Ok(Some(Box::new(report_by_provider()))),
        },
    );
    scenes.push(("reports_x_by_provider", app));

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

    // Cash: the amount received typed, and the change once the cash is journaled.
    let mut app = base();
    typed(&mut app, "1234");
    keys(&mut app, &[Key::Enter, Key::Char('0')]);
    typed(&mut app, "2000");
    scenes.push(("cash_entry", app.clone()));
    keys(&mut app, &[Key::Enter]);
    cash_taken(&mut app, 2_000, 1_234, 0);
    scenes.push(("cash_change", app));

    // Split: ¥1,000 cash of ¥3,000, back on the ways to pay with the rest to pay.
    let mut app = base();
    typed(&mut app, "3000");
    keys(&mut app, &[Key::Enter, Key::Char('0'), Key::F(1)]);
    cash_taken(&mut app, 1_000, 1_000, 2_000);
    app.notice = None;
    scenes.push(("pay_method_split", app.clone()));
    let mut paying_on = app.clone();
    keys(&mut app, &[Key::Esc]);
    scenes.push(("pay_method_split_leaving", app.clone()));
    keys(&mut app, &[Key::F(7)]);
    typed(&mut app, "12");
    scenes.push(("pay_method_split_give_back_pin", app));
    // The QR pays the rest: the result lists both tenders.
    keys(&mut paying_on, &[Key::Char('1')]);
    event(
        &mut paying_on,
        PaymentEvent::Paid {
            sale_id: 1,
            transaction: PaidTransaction {
                amount: 2_000,
                ..paid()
            },
        },
    );
    scenes.push(("outcome_split_paid", paying_on));

    // A sale the last run left partly paid, taken up at start; and in the history, its
    // tenders once the rest was paid.
    let mut left = sale(42, 5, SaleKind::Payment, 3_000, SaleState::PartlyPaid);
    left.attempts.push(cash_attempt(42, 2_000, 1_000));
    let mut app = base();
    regi_core::app::screens::split::resume(&mut app, &left);
    scenes.push(("pay_method_resumed", app));

    let mut split_sale = sale(43, 7, SaleKind::Payment, 3_000, SaleState::Paid);
    split_sale.attempts.push(cash_attempt(43, 2_000, 1_000));
    let mut qr = cash_attempt(43, 2_000, 2_000);
    qr.method = PaymentMethod::MerchantQr;
    qr.provider = "pokepay".into();
    qr.cash = None;
    split_sale.attempts.push(qr);
    let mut app = base();
    keys(&mut app, &[Key::F(4)]);
    update(&mut app, Msg::HistoryLoaded(Ok(vec![split_sale])));
    keys(&mut app, &[Key::Enter]);
    scenes.push(("history_detail_split", app));

    scenes
}

/// A paid cash tender of `sale_id`: `received` handed over for `applied` of the sale.
fn cash_attempt(sale_id: i64, received: i64, applied: i64) -> regi_journal::AttemptRecord {
    regi_journal::AttemptRecord {
        id: sale_id * 10,
        sale_id,
        provider: "cash".into(),
        method: PaymentMethod::Cash,
        request_id: String::new(),
        money_name: None,
        amount: Yen(-applied),
        provider_ref: None,
        presented_code: None,
        state: regi_core::domain::AttemptState::Paid {
            transaction_id: format!("cash-{sale_id}"),
        },
        customer_name: None,
        created_at: t0().to_rfc3339(),
        updated_at: t0().to_rfc3339(),
        hold: false,
        capture_amount: None,
        cash: Some(regi_journal::CashTendered {
            received: Yen(received),
            change: Yen(received - applied),
        }),
    }
}

/// The journal's answer to the cash being taken: `received`, of which `applied` pays the sale,
/// and `remaining` still to pay.
fn cash_taken(app: &mut App, received: i64, applied: i64, remaining: i64) {
    let attempt = match &app.screen {
        regi_core::app::screens::Screen::Cash(entry) => entry.taking.expect("cash being taken"),
        other => panic!("not taking cash: {other:?}"),
    };
    update(
        app,
        Msg::CashTaken {
            attempt,
            result: Ok(regi_core::app::CashTaken {
                sale_id: 1,
                tender: regi_journal::CashTender {
                    attempt_id: 1,
                    applied: Yen(applied),
                    received: Yen(received),
                    change: Yen(received - applied),
                    remaining: Yen(remaining),
                    sale_state: if remaining == 0 {
                        SaleState::Paid
                    } else {
                        SaleState::PartlyPaid
                    },
                },
            }),
        },
    );
}

fn draw(app: &App, cols: u16, rows: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("test terminal");
    terminal
        .draw(|frame| regi_tui::ui::render(app, &Theme::default(), frame))
        .expect("draw");
    terminal.backend().buffer().clone()
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

#[test]
fn the_qr_on_screen_decodes_to_the_exact_tray_token() {
    for lang in [Lang::Ja, Lang::En] {
        let app = qr_shown(lang, true);
        for (cols, rows) in [(80, 24), (120, 40), (100, 30), (200, 60)] {
            let buf = draw(&app, cols, rows);
            assert_eq!(
                decode_qr(&buf),
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
        let app = qr_shown(lang, true);
        let buf = draw(&app, 60, 20);
        assert!(decode_qr(&buf).is_empty());
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
    let mut app = qr_shown(Lang::En, true);
    let before = screen_text(&draw(&app, 80, 24));
    update(
        &mut app,
        Msg::Payment {
            attempt: AttemptId(999),
            event: paid_event(),
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

#[test]
fn a_breakdown_too_long_for_the_screen_scrolls_to_its_last_row_and_back() {
    let mut report = report_by_provider();
    report.payments_by_provider = (1..=12)
        .map(|i| {
            provider(
                &format!("provider-{i}"),
                &[("PayPay", 1, 100), ("au PAY", 1, 100)],
            )
        })
        .collect();
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(5), Key::Char('x')]);
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(Some(Box::new(report.clone()))),
            },
        );
        let s = lang.strings();
        let top = screen_text(&draw(&app, 80, 24));
        assert!(
            top.contains(s.report_sales) && top.contains("provider-1 "),
            "{top}"
        );
        assert!(!top.contains("provider-12"), "{top}");
        // Far past the end: the last rows stand at the bottom, not past it.
        keys(&mut app, &[Key::PageDown; 9]);
        let bottom = screen_text(&draw(&app, 80, 24));
        for total in [
            s.report_refunds,
            s.report_net,
            s.report_topups,
            "1/0/2",
            s.report_voided,
        ] {
            assert!(bottom.contains(total), "{total} missing:\n{bottom}");
        }
        assert!(!bottom.contains("provider-1 "), "{bottom}");
        keys(&mut app, &[Key::PageUp; 9]);
        assert_eq!(screen_text(&draw(&app, 80, 24)), top);
    }
}

/// The cash count screen part-way through a count: ¥10,000 × 1, ¥1,000 × 2, the cursor on ¥500
/// with 3 typed, against ¥13,600 expected (¥100 short).
fn cash_count_scene(lang: Lang) -> App {
    use regi_core::records::CashSummary;
    let mut app = new_app(lang, false);
    keys(&mut app, &[Key::F(5), Key::Char('d')]);
    update(
        &mut app,
        Msg::DrawerLoaded(Ok(Some(CashSummary {
            float: Yen(10_000),
            received: Yen(5_000),
            change: Yen(1_400),
            sales: Yen(3_600),
            expected: Yen(13_600),
            ..CashSummary::default()
        }))),
    );
    keys(&mut app, &[Key::Char('4'), Key::Char('1')]);
    keys(&mut app, &[Key::Down, Key::Down, Key::Down, Key::Char('2')]);
    keys(&mut app, &[Key::Down, Key::Char('3')]);
    app
}

#[test]
fn the_cash_count_screen_shows_each_denomination_and_the_shortage_live_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let app = cash_count_scene(lang);
        for (cols, rows) in SIZES {
            let text = screen_text(&draw(&app, cols, rows));
            insta::assert_snapshot!(format!("drawer_count_{}_{cols}x{rows}", lang.tag()), text);
        }
        let text = screen_text(&draw(&app, 80, 24));
        assert!(
            text.contains("¥13,500") && text.contains("¥13,600") && text.contains("-¥100"),
            "{text}"
        );
        assert!(text.contains("¥1,500"), "the ¥500 row: {text}");
    }
}

#[test]
fn the_drawer_menu_and_the_x_report_show_the_days_cash() {
    use regi_core::records::CashSummary;
    let cash = CashSummary {
        float: Yen(10_000),
        sales: Yen(3_600),
        paid_out: Yen(300),
        expected: Yen(13_300),
        counted: Some(Yen(13_250)),
        over_short: Some(Yen(-50)),
        ..CashSummary::default()
    };
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(5), Key::Char('d')]);
        update(&mut app, Msg::DrawerLoaded(Ok(Some(cash))));
        let menu = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("drawer_menu_{}_80x24", lang.tag()), menu);

        let mut report = report();
        report.cash = cash;
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(5), Key::Char('x')]);
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(Some(Box::new(report))),
            },
        );
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("report_x_cash_{}_80x24", lang.tag()), text);
        assert!(text.contains("¥13,300") && text.contains("-¥50"), "{text}");
    }
}

#[test]
fn a_paid_out_beyond_the_cash_comes_back_refused_with_the_reason_typed_in_both_languages() {
    use regi_core::app::screens::drawer::DrawerProblem;
    use regi_core::records::{CashSummary, DrawerRefusal};
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        app.pin_required = false;
        keys(&mut app, &[Key::F(5), Key::Char('d')]);
        update(
            &mut app,
            Msg::DrawerLoaded(Ok(Some(CashSummary {
                float: Yen(5_000),
                expected: Yen(5_000),
                ..CashSummary::default()
            }))),
        );
        keys(&mut app, &[Key::Char('3')]);
        typed(&mut app, "8000");
        keys(&mut app, &[Key::Tab]);
        typed(&mut app, "仕入れ");
        let commands = update(&mut app, Msg::Key(Key::Enter));
        let [Command::MoveDrawer { attempt, .. }] = commands[..] else {
            panic!("{commands:?}");
        };
        update(
            &mut app,
            Msg::DrawerMoved {
                attempt,
                result: Err(DrawerProblem::Refused(DrawerRefusal::PaidOutExceedsCash {
                    expected: Yen(5_000),
                })),
            },
        );
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(
            format!("drawer_paid_out_refused_{}_80x24", lang.tag()),
            text
        );
        assert!(text.contains("¥8,000") && text.contains("仕入れ"), "{text}");
        assert!(text.contains("¥5,000"), "{text}");
    }
}

/// A day with sales at both rates, in cash and by QR, a refund, a void and sales from 9 to 13
/// o'clock (none at 11).
fn report_in_full() -> Report {
    use regi_core::domain::TaxRate;
    use regi_core::records::{HourTotals, MethodTotals, RateTotals};
    let mut report = report();
    let method = |method, count, amount| MethodTotals {
        method,
        count,
        amount: Yen(amount),
    };
    report.payments_by_method = vec![
        method(PaymentMethod::MerchantQr, 8, 14_740),
        method(PaymentMethod::CustomerCode, 0, 0),
        method(PaymentMethod::Cash, 4, 3_600),
    ];
    report.payments_by_rate = vec![
        RateTotals {
            rate: TaxRate::Standard10,
            taxable: Yen(11_000),
            tax: Yen(1_000),
        },
        RateTotals {
            rate: TaxRate::Reduced8,
            taxable: Yen(7_340),
            tax: Yen(543),
        },
    ];
    report.refunds_by_method = vec![method(PaymentMethod::MerchantQr, 1, 1_200)];
    report.refunds_by_rate = vec![RateTotals {
        rate: TaxRate::Standard10,
        taxable: Yen(1_200),
        tax: Yen(109),
    }];
    report.voided_sales = 2;
    report.voided_amount = Yen(1_500);
    let hour = |hour, count, amount| HourTotals {
        hour,
        count,
        amount: Yen(amount),
    };
    report.sales_by_hour = vec![
        hour(9, 3, 4_000),
        hour(10, 5, 9_000),
        hour(12, 1, 340),
        hour(13, 3, 5_000),
    ];
    report
}

#[test]
fn the_x_report_shows_each_tender_rate_and_void_and_the_sales_per_hour() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        for (cols, rows) in [(80, 24), (120, 40)] {
            let mut app = new_app(lang, false);
            keys(&mut app, &[Key::F(5), Key::Char('x')]);
            update(
                &mut app,
                Msg::ReportLoaded {
                    kind: ReportKind::X,
                    report: Ok(Some(Box::new(report_in_full()))),
                },
            );
            let text = screen_text(&draw(&app, cols, rows));
            insta::assert_snapshot!(
                format!("reports_x_in_full_{}_{cols}x{rows}", lang.tag()),
                text
            );
            assert!(text.contains(s.report_by_hour), "{text}");
            assert!(
                text.contains("09") && text.contains("11") && text.contains("13"),
                "{text}"
            );
            assert!(text.contains("¥7,340") && text.contains("¥543"), "{text}");
            if rows == 40 {
                assert!(text.contains(s.report_voided), "{text}");
            }
        }
    }
}

#[test]
fn the_z_asks_the_manager_pin_then_the_days_number_and_says_when_it_is_wrong() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        let mut app = new_app(lang, false);
        keys(
            &mut app,
            &[Key::F(5), Key::Char('z'), Key::Char('1'), Key::Char('2')],
        );
        let pin = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("reports_z_pin_{}_80x24", lang.tag()), pin);
        assert!(
            pin.contains(s.refund_pin_prompt) && pin.contains("**_"),
            "{pin}"
        );
        assert!(!pin.contains("12"), "the PIN is never shown: {pin}");

        let commands = update(&mut app, Msg::Key(Key::Enter));
        let [Command::VerifyPin { attempt, .. }] = commands[..] else {
            panic!("{commands:?}");
        };
        update(
            &mut app,
            Msg::PinChecked {
                attempt,
                correct: true,
                at: t0(),
            },
        );
        let mut open_day = report_in_full();
        open_day.business_day_id = 37;
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(Some(Box::new(open_day))),
            },
        );
        keys(&mut app, &[Key::Char('2'), Key::Enter]);
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("reports_z_wrong_number_{}_80x24", lang.tag()), text);
        assert!(
            text.contains("37") && text.contains(s.report_z_mismatch),
            "{text}"
        );
    }
}

#[test]
fn open_prices_rung_under_departments_show_their_names_and_rates_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        typed(&mut app, "1000/2");
        typed(&mut app, "500/1");
        typed(&mut app, "300/");
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_departments_{}_80x24", lang.tag()), text);
        assert!(text.contains("食品 ※") && text.contains("一般"), "{text}");
        assert!(text.contains("300/_"), "{text}");
    }
}

#[test]
fn a_subtotal_discount_asks_its_reason_then_shows_each_rate_after_it_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        typed(&mut app, "1000/2");
        typed(&mut app, "500/1");
        typed(&mut app, "10%");
        typed(&mut app, "会員");
        let asking = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_discount_reason_{}_80x24", lang.tag()), asking);
        assert!(asking.contains("会員_"), "{asking}");
        keys(&mut app, &[Key::Enter]);
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_discount_{}_80x24", lang.tag()), text);
        assert!(text.contains("¥900") && text.contains("¥450"), "{text}");
        assert!(text.contains("-¥150"), "{text}");
        assert_eq!(app.cart.total(), Ok(Yen(1_350)));
    }
}

#[test]
fn voiding_the_cart_asks_why_with_two_presets_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        typed(&mut app, "1000/2");
        typed(&mut app, "500+");
        keys(&mut app, &[Key::F(7), Key::Char('2')]);
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_void_reason_{}_80x24", lang.tag()), text);
        let words = lang.strings().carts();
        assert!(text.contains(words.void_title), "{text}");
        assert!(text.contains("打ち間違い_"), "{text}");
        assert_eq!(
            app.cart.total(),
            Ok(Yen(1_500)),
            "nothing voided until Enter"
        );
    }
}

#[test]
fn parked_sales_are_listed_with_their_time_items_and_total_in_both_languages() {
    use regi_core::records::ParkedCart;
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        let mut rung = app.cart.clone();
        rung.add_manual(
            Yen(1_200),
            regi_core::domain::TaxRate::Standard10,
            Some("傘"),
        )
        .unwrap();
        let cart = |id: i64, minute: u32| ParkedCart {
            id,
            parked_at: format!("2026-12-06T01:{minute:02}:00Z"),
            total: Yen(1_200),
            lines: rung.lines().to_vec(),
            adjustments: Default::default(),
            discount: None,
        };
        app.parked_count = 2;
        let sale_screen = screen_text(&draw(&app, 80, 24));
        assert!(
            sale_screen.contains(&lang.strings().parked_waiting(2)),
            "{sale_screen}"
        );
        keys(&mut app, &[Key::F(9)]);
        update(
            &mut app,
            Msg::ParkedLoaded(Ok(vec![cart(1, 5), cart(2, 40)])),
        );
        keys(&mut app, &[Key::Down]);
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("parked_list_{}_80x24", lang.tag()), text);
        assert!(
            text.contains("12/06 10:40") && text.contains("傘"),
            "{text}"
        );
    }
}

#[test]
fn a_line_discount_shows_under_its_line_and_an_overridden_price_is_marked_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        app.pin_required = false;
        typed(&mut app, "1000/2");
        typed(&mut app, "500/1");
        keys(&mut app, &[Key::Up, Key::Up]);
        typed(&mut app, "20%");
        typed(&mut app, "見切り");
        keys(&mut app, &[Key::Enter, Key::Esc]);
        typed(&mut app, "450");
        keys(&mut app, &[Key::F(2)]);
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_line_discount_{}_80x24", lang.tag()), text);
        assert!(
            text.contains("値引 20% (見切り)") && text.contains("-¥200"),
            "{text}"
        );
        assert!(
            text.contains(&format!("[{}]", lang.strings().carts().overridden)),
            "{text}"
        );
        assert_eq!(app.cart.total(), Ok(Yen(1_250)));
    }
}

#[test]
fn a_price_override_asks_the_manager_pin_with_the_new_price_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        app.pin_required = true;
        typed(&mut app, "500+");
        typed(&mut app, "300");
        keys(&mut app, &[Key::F(2)]);
        typed(&mut app, "25");
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_override_pin_{}_80x24", lang.tag()), text);
        assert!(
            text.contains(lang.strings().carts().override_pin) && text.contains("**_"),
            "{text}"
        );
    }
}

#[test]
fn the_sign_in_screen_asks_the_staff_code_then_the_pin_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        regi_core::app::screens::sign_in::open(&mut app);
        typed(&mut app, "101");
        keys(&mut app, &[Key::Enter]);
        typed(&mut app, "24");
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sign_in_pin_{}_80x24", lang.tag()), text);
        let words = lang.strings().staff();
        assert!(text.contains(words.title) && text.contains("101"), "{text}");
        assert!(text.contains("**_") && !text.contains("24_"), "{text}");
        app.on_duty = Some(regi_core::records::StaffOnDuty {
            code: "101".into(),
            name: "山田".into(),
            role: regi_core::records::StaffRole::Clerk,
        });
        app.screen = regi_core::app::screens::Screen::Sale;
        let sale = screen_text(&draw(&app, 80, 24));
        assert!(
            sale.lines()
                .next()
                .unwrap()
                .contains(&format!("{} 山田", words.on_duty)),
            "{sale}"
        );
        assert!(sale.contains(words.key_sign_out), "{sale}");
    }
}

#[test]
fn tab_shows_the_sales_per_hour_in_thousands_of_yen_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(5), Key::Char('x')]);
        update(
            &mut app,
            Msg::ReportLoaded {
                kind: ReportKind::X,
                report: Ok(Some(Box::new(report_in_full()))),
            },
        );
        keys(&mut app, &[Key::Tab]);
        let text = screen_text(&draw(&app, 120, 40));
        insta::assert_snapshot!(format!("reports_x_hours_yen_{}_120x40", lang.tag()), text);
        let words = lang.strings().carts();
        assert!(text.contains(words.report_by_hour_yen), "{text}");
        // ¥9,000 in the 10 o'clock bar reads 9 (thousand).
        assert!(text.contains("█9█"), "{text}");
    }
}

#[test]
fn a_qr_too_big_for_the_terminal_gives_the_size_needed_and_is_no_failure_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let app = qr_shown(lang, true);
        let text = screen_text(&draw(&app, 60, 20));
        insta::assert_snapshot!(format!("qr_too_small_{}_60x20", lang.tag()), text);
        let s = lang.strings();
        assert!(!text.contains(s.label_failed), "{text}");
        assert!(!text.contains("41"), "{text}");
        let fits = screen_text(&draw(&app, 80, 24));
        assert!(
            !fits.contains(s.qr_too_small),
            "the 80x24 terminal fits it: {fits}"
        );
    }
}

#[test]
fn the_english_history_names_a_manual_line_in_english() {
    let scenes = scenes(Lang::En);
    let (_, app) = scenes
        .iter()
        .find(|(name, _)| *name == "history_detail")
        .expect("the history detail scene");
    let text = screen_text(&draw(app, 80, 24));
    assert!(!text.contains("手入力"), "{text}");
    assert!(text.contains(Lang::En.strings().manual_amount), "{text}");
}

#[test]
fn the_status_screen_counts_the_products_of_the_catalog_in_use_after_a_store_catalog_is_taken() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        let mut app = new_app(lang, false);
        app.startup.catalog_file = Some(CatalogFile {
            path: "/var/lib/regi/store-catalog.csv".into(),
            rows_left_out: 1,
            store_version: None,
        });
        keys(&mut app, &[Key::F(6)]);
        let at_start = screen_text(&draw(&app, 120, 40));
        let line = format!(
            "sale.catalog = /var/lib/regi/store-catalog.csv: 2 {}, 1 {}",
            s.catalog_products, s.catalog_rows_left_out
        );
        assert!(at_start.contains(&line), "{at_start}");
        update(
            &mut app,
            Msg::StoreCatalog {
                version: 7,
                products: Ok(vec![Product {
                    jan: ONIGIRI.into(),
                    name: "おにぎり 鮭".into(),
                    unit_price: Yen(160),
                    tax_rate: TaxRate::Reduced8,
                }]),
            },
        );
        let swapped = screen_text(&draw(&app, 120, 40));
        let line = format!(
            "sale.catalog = /var/lib/regi/store-catalog.csv: 1 {} ({} 7)",
            s.catalog_products, s.store_catalog_version
        );
        assert!(swapped.contains(&line), "{swapped}");
    }
}

#[test]
fn the_status_screen_names_the_scanner_source_and_long_hints_stay_indented_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(6)]);
        update(
            &mut app,
            Msg::StatusChecked(StatusReport {
                checks: vec![Check {
                    name: s.scanner.into(),
                    ok: true,
                    detail: format!(
                        "{}: {}",
                        s.scanner_source(regi_scanner::SourceKind::Usb),
                        s.scanner_wedge_works
                    ),
                    hint: Some(s.hint_scanner_usb.into()),
                }],
            }),
        );
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("status_scanner_{}_80x24", lang.tag()), text);
        assert!(
            text.contains(s.label_warn) && !text.contains(s.label_ng),
            "{text}"
        );
        // The check's own lines: its label line, then what wraps, up to the blank line.
        let check: Vec<&str> = text
            .lines()
            .skip_while(|line| !line.contains(s.label_warn))
            .skip(1)
            .map(|line| line.trim_start_matches('│'))
            .take_while(|inside| !inside.trim_end_matches('│').trim().is_empty())
            .collect();
        assert!(check.len() >= 2, "the detail and the hint wrap: {text}");
        for inside in check {
            assert!(
                inside.starts_with("      "),
                "a line at the left edge: {inside}"
            );
        }
    }
}

#[test]
fn the_training_banner_says_why_where_the_row_has_room_and_keeps_the_clock() {
    for lang in [Lang::Ja, Lang::En] {
        let why = lang.strings().training_why_no_credentials;
        let app = new_app(lang, true);
        let wide = screen_text(&draw(&app, 120, 40));
        let header = wide.lines().next().unwrap_or_default();
        assert!(header.contains(why) && header.contains("10:00"), "{header}");
        let narrow = screen_text(&draw(&app, 80, 24));
        let header = narrow.lines().next().unwrap_or_default();
        assert!(header.contains("10:00"), "the clock stays: {header}");
    }
}

/// Sale 6: two onigiri (8 %) and a towel (10 %), 10 % off the subtotal (¥1,350), paid by a
/// Pokepay QR, which refunds only whole payments.
fn discounted_sale_of_lines() -> SaleDetail {
    let mut detail = sale(6, 30, SaleKind::Payment, 1_350, SaleState::Paid);
    detail.sale.provider = Some("pokepay".into());
    let rate = |rate, taxable, tax| regi_core::domain::RateSummary {
        rate,
        taxable_total: Yen(taxable),
        tax: Yen(tax),
    };
    detail.sale.tax = TaxSummary {
        standard: rate(regi_core::domain::TaxRate::Standard10, 450, 40),
        reduced: rate(regi_core::domain::TaxRate::Reduced8, 900, 66),
    };
    let line = |line_no, name: &str, price: i64, quantity: i64, rate| LineRecord {
        line_no,
        jan: None,
        name: name.into(),
        unit_price: Yen(price),
        quantity,
        tax_rate: rate,
        amount: Yen(price * quantity),
    };
    use regi_core::domain::TaxRate::{Reduced8, Standard10};
    detail.lines = vec![
        line(1, "おにぎり 鮭", 500, 2, Reduced8),
        line(2, "タオル", 500, 1, Standard10),
        line(3, "値引 10%", -50, 1, Standard10),
        line(4, "値引 10%", -100, 1, Reduced8),
    ];
    detail.attempts.push(regi_journal::AttemptRecord {
        id: 6,
        sale_id: 6,
        provider: "pokepay".into(),
        method: PaymentMethod::MerchantQr,
        request_id: "r-6".into(),
        amount: Yen(-1_350),
        provider_ref: None,
        presented_code: None,
        state: regi_core::domain::AttemptState::Paid {
            transaction_id: "pay-6".into(),
        },
        customer_name: None,
        created_at: String::new(),
        updated_at: String::new(),
        hold: false,
        capture_amount: None,
        cash: None,
        money_name: None,
    });
    detail
}

#[test]
fn a_partial_return_picks_lines_shows_each_rates_part_and_the_cash_back_then_asks_the_pin() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(4)]);
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![discounted_sale_of_lines()])),
        );
        keys(&mut app, &[Key::Enter, Key::Char('r'), Key::Char('+')]);
        let picking = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("history_return_pick_{}_80x24", lang.tag()), picking);
        assert!(picking.contains(s.return_title), "{picking}");
        // One onigiri, less its share of the discount, all at 8 %; given back from the drawer.
        assert!(
            picking.contains("¥450") && picking.contains("¥33"),
            "{picking}"
        );
        assert!(
            picking.contains(&s.return_cash_back("pokepay")),
            "{picking}"
        );
        assert!(
            !picking.contains("値引 10%"),
            "discounts are not offered: {picking}"
        );
        keys(&mut app, &[Key::Enter]);
        let confirming = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(
            format!("history_return_pin_{}_80x24", lang.tag()),
            confirming
        );
        assert!(
            confirming.contains(s.return_confirm) && confirming.contains(s.refund_pin_prompt),
            "{confirming}"
        );
    }
}

#[test]
fn a_sale_of_any_day_is_found_by_its_amount_from_the_history_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        let mut app = new_app(lang, false);
        keys(&mut app, &[Key::F(4)]);
        update(&mut app, Msg::HistoryLoaded(Ok(history())));
        keys(&mut app, &[Key::Char('/'), Key::Tab]);
        typed(&mut app, "1,350");
        let asking = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("history_find_{}_80x24", lang.tag()), asking);
        assert!(
            asking.contains(&format!("{}: 1,350_", s.find_by_amount)),
            "{asking}"
        );
        let commands = update(&mut app, Msg::Key(Key::Enter));
        assert!(
            matches!(commands[..], [Command::FindSales { .. }]),
            "{commands:?}"
        );
        let mut earlier = discounted_sale_of_lines();
        earlier.sale.business_day_id = 0;
        let mut again = sale(9, 50, SaleKind::Payment, 1_350, SaleState::Refunded);
        again.sale.business_day_id = 1;
        update(&mut app, Msg::HistoryLoaded(Ok(vec![again, earlier])));
        let found = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("history_found_{}_80x24", lang.tag()), found);
        assert!(
            found.contains(s.found_title) && found.contains("¥1,350"),
            "{found}"
        );
    }
}

#[test]
fn an_unknown_jan_asks_its_price_and_department_instead_of_a_dead_end_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let s = lang.strings();
        let mut app = new_app(lang, false);
        update(&mut app, Msg::Scan("4901234567801".to_string().into()));
        typed(&mut app, "300s/");
        let text = screen_text(&draw(&app, 80, 24));
        insta::assert_snapshot!(format!("sale_unknown_jan_{}_80x24", lang.tag()), text);
        assert!(
            text.contains("4901234567801") && text.contains("¥300/_"),
            "{text}"
        );
        assert!(text.contains(s.unknown_jan_save), "{text}");
        let commands = update(&mut app, Msg::Key(Key::Char('2')));
        assert!(
            matches!(commands[..], [Command::SaveProduct { .. }]),
            "{commands:?}"
        );
        let rung = screen_text(&draw(&app, 80, 24));
        assert!(rung.contains("食品 ※") && rung.contains("¥300"), "{rung}");
    }
}

#[test]
fn returns_finds_and_unknown_jans_draw_at_tiny_and_odd_sizes_without_panicking() {
    for lang in [Lang::Ja, Lang::En] {
        let mut picking = new_app(lang, false);
        keys(&mut picking, &[Key::F(4)]);
        update(
            &mut picking,
            Msg::HistoryLoaded(Ok(vec![discounted_sale_of_lines()])),
        );
        keys(&mut picking, &[Key::Enter, Key::Char('r'), Key::Char(' ')]);
        let mut confirming = picking.clone();
        keys(&mut confirming, &[Key::Enter]);
        let mut finding = new_app(lang, false);
        keys(&mut finding, &[Key::F(4)]);
        update(&mut finding, Msg::HistoryLoaded(Ok(history())));
        keys(&mut finding, &[Key::Char('/'), Key::Tab, Key::Tab]);
        typed(&mut finding, "11/20 10:3");
        let mut found = finding.clone();
        keys(&mut found, &[Key::Enter]);
        update(&mut found, Msg::HistoryLoaded(Ok(history())));
        let mut pricing = new_app(lang, false);
        update(&mut pricing, Msg::Scan("4901234567801".to_string().into()));
        typed(&mut pricing, "12345678s/");
        for app in [&picking, &confirming, &finding, &found, &pricing] {
            for (cols, rows) in [(1, 1), (10, 3), (40, 10), (79, 23), (300, 5), (80, 24)] {
                draw(app, cols, rows);
            }
        }
    }
}
