//! Builders shared by the app's unit tests.

use chrono::{DateTime, TimeZone, Utc};

use crate::app::{App, AppOptions, Command, Key, Msg, PaymentEvent, TenderOption, update};
use crate::domain::{Catalog, PaymentMethod, SaleKind, TaxSummary, Yen};
use crate::payment::{PaidTransaction, QrSession};
use crate::records::{Report, ReportKind, SaleDetail, SaleState, SaleSummary, Totals};
use crate::scan::{CodeAlphabet, CustomerCodeFormat};

pub const TOKEN: &str = "https://wallet.example.jp/pay/dc204118-9e3b-493c-b396-b9259ce28663";
/// A customer code in the test wallet's shape.
pub const CUSTOMER_CODE: &str = "1234567890123456789012";
/// The test wallet's customer codes: 22 letters or digits.
pub const WALLET_CODES: CustomerCodeFormat = CustomerCodeFormat {
    provider: "wallet",
    length: 22,
    alphabet: CodeAlphabet::Alphanumeric,
};
pub const ONIGIRI: &str = "4901234567894";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0)
        .single()
        .expect("valid time")
}

pub fn catalog() -> Catalog {
    let csv = format!("jan,name,unit_price,tax_rate\n{ONIGIRI},おにぎり 鮭,150,8\n");
    Catalog::from_csv_reader(csv.as_bytes()).expect("test catalog")
}

pub fn app() -> App {
    App::new(
        AppOptions {
            catalog: catalog(),
            pin_required: true,
            customer_codes: vec![WALLET_CODES],
            ..AppOptions::default()
        },
        t0(),
    )
}

/// A register taking a wallet provider (its QR and codes), another provider's payment page, and
/// PayPay and LINE Pay through a third.
pub fn tenders() -> Vec<TenderOption> {
    let option = |provider: &str, label: &str, presentation, wallet: Option<&str>| TenderOption {
        provider: provider.into(),
        label: label.into(),
        presentation,
        wallet: wallet.map(str::to_string),
    };
    vec![
        option("wallet", "Wallet", PaymentMethod::MerchantQr, None),
        option("wallet", "Wallet", PaymentMethod::CustomerCode, None),
        option("pagepay", "PagePay", PaymentMethod::HostedPage, None),
        option(
            "qrhub",
            "PayPay (qrhub)",
            PaymentMethod::MerchantQr,
            Some("paypay"),
        ),
        option(
            "qrhub",
            "LINE Pay (qrhub)",
            PaymentMethod::MerchantQr,
            Some("linepay"),
        ),
    ]
}

/// [`app`] with the ways to pay of [`tenders`], ¥1,200 keyed in and the payment screen open.
pub fn choosing_tender() -> App {
    let mut app = app();
    app.tenders = tenders();
    type_text(&mut app, "1200");
    press(&mut app, &[Key::Enter]);
    app
}

pub fn training_app() -> App {
    let mut app = app();
    app.training = true;
    app
}

/// Presses each key in turn; returns every command produced.
pub fn press(app: &mut App, keys: &[Key]) -> Vec<Command> {
    keys.iter()
        .flat_map(|key| update(app, Msg::Key(*key)))
        .collect()
}

/// Types `text` one character at a time.
pub fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| update(app, Msg::Key(Key::Char(c))))
        .collect()
}

/// Answers the attempt the screen is waiting on with `event`.
pub fn answer(app: &mut App, event: PaymentEvent) -> Vec<Command> {
    let attempt = app.live_attempt().expect("an attempt in flight");
    update(app, Msg::Payment { attempt, event })
}

/// ¥1,200 keyed in, QR chosen, and the code on screen.
pub fn showing_qr(training: bool) -> App {
    let mut app = if training { training_app() } else { app() };
    type_text(&mut app, "1200");
    press(&mut app, &[Key::Enter, Key::F(1)]);
    answer(&mut app, PaymentEvent::QrReady(session()));
    app
}

pub fn session() -> QrSession {
    QrSession {
        id: "dc204118-9e3b-493c-b396-b9259ce28663".into(),
        token: TOKEN.into(),
        expires_at: t0() + chrono::TimeDelta::seconds(300),
    }
}

pub fn paid(amount: i64) -> PaidTransaction {
    PaidTransaction {
        transaction_id: "7f1c2e9a-0000-4000-8000-000000000001".into(),
        amount,
        customer_name: Some("山田 花子".into()),
        money_name: Some("ポケペイ".into()),
        done_at: t0(),
    }
}

pub fn sale(id: i64, state: SaleState) -> SaleDetail {
    SaleDetail {
        sale: SaleSummary {
            id,
            receipt_no: id,
            business_day_id: 1,
            kind: SaleKind::Payment,
            state,
            total: Yen(1200),
            tax: TaxSummary::default(),
            method: Some(PaymentMethod::MerchantQr),
            transaction_id: (state == SaleState::Paid).then(|| format!("tx-{id}")),
            training: false,
            terminal: "regi".into(),
            created_at: "2026-11-20T01:00:00.000Z".into(),
            prices_include_tax: true,
            money_name: None,
            released: Yen::ZERO,
            refunded: Yen::ZERO,
            tendered: if matches!(state, SaleState::Paid | SaleState::Refunded) {
                Yen(1200)
            } else {
                Yen::ZERO
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

pub fn report(kind: ReportKind) -> Report {
    let totals = |count, amount| Totals {
        count,
        amount: Yen(amount),
    };
    Report {
        kind,
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

/// The engine's "paid" for sale 1.
pub fn paid_event(amount: i64) -> PaymentEvent {
    PaymentEvent::Paid {
        sale_id: 1,
        transaction: paid(amount),
    }
}

/// A refusal of `reason`, named `error_type` by the provider.
pub fn refused(reason: crate::domain::FailReason, error_type: &str) -> PaymentEvent {
    PaymentEvent::Refused(crate::domain::Failure::new(reason, error_type, "refused"))
}
