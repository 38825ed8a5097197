//! Builders shared by the app's unit tests.

use chrono::{DateTime, TimeZone, Utc};

use crate::app::cart::{Catalog, Product, TaxRate};
use crate::app::{App, AppOptions, Command, Key, Msg, update};
use crate::config::ManagerPin;
use crate::gateway::{PaidTransaction, QrSession, Refusal};

pub const TOKEN: &str =
    "https://www-sandbox.pokepay.jp/cashtrays/dc204118-9e3b-493c-b396-b9259ce28663";
pub const CPM: &str = "1234567890123456789012";
pub const ONIGIRI: &str = "4901234567894";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0)
        .single()
        .expect("valid time")
}

pub fn catalog() -> Catalog {
    Catalog::new([Product {
        jan: ONIGIRI.into(),
        name: "おにぎり 鮭".into(),
        price: 150,
        tax_rate: TaxRate::Reduced,
    }])
}

pub fn app() -> App {
    App::new(
        AppOptions {
            catalog: catalog(),
            manager_pin: ManagerPin::try_from("1234".to_string()).ok(),
            ..AppOptions::default()
        },
        t0(),
    )
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

pub fn refusal(error_type: &str) -> Refusal {
    Refusal {
        status: 422,
        error_type: error_type.into(),
        message_ja: "残高が足りません".into(),
        message_en: "Insufficient balance".into(),
    }
}
