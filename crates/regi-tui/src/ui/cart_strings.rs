//! The words of voiding a cart (取消) and parking it (保留), in the clerk's language. Kept apart
//! from `strings` so each table stays small.

use regi_core::records::local_time;

use super::strings::{Lang, Strings};

pub struct CartWords {
    pub key_void: &'static str,
    pub key_park: &'static str,
    pub key_recall: &'static str,
    pub void_title: &'static str,
    pub void_reason: &'static str,
    /// The presets on 1 and 2, as shown (the journal keeps them in Japanese).
    pub void_presets: [&'static str; 2],
    pub voiding: &'static str,
    pub nothing_to_void: &'static str,
    pub void_needs_reason: &'static str,
    pub void_failed: &'static str,
    pub park_failed: &'static str,
    pub recalled: &'static str,
    pub parked_title: &'static str,
    pub parked_none: &'static str,
    pub parked_loading: &'static str,
    pub col_parked_at: &'static str,
    pub col_items: &'static str,
    pub col_total: &'static str,
    pub after_payment: &'static str,
    pub key_override: &'static str,
    pub override_pin: &'static str,
    pub override_needs_price: &'static str,
    pub line_discount_reason: &'static str,
    /// Marks a line sold at an overridden price.
    pub overridden: &'static str,
    /// The sales-by-hour chart in yen (thousands), and the key that switches it.
    pub report_by_hour_yen: &'static str,
    pub key_hour_measure: &'static str,
}

pub static JA: CartWords = CartWords {
    key_void: "取消",
    key_park: "保留",
    key_recall: "呼出",
    void_title: "この会計をすべて取り消します",
    void_reason: "取消理由",
    void_presets: ["お客様都合", "打ち間違い"],
    voiding: "取消を記録しています…",
    nothing_to_void: "取り消す商品がありません",
    void_needs_reason: "取消理由を選ぶか入力してください（1 / 2）",
    void_failed: "取消を記録できません（カートはそのままです）",
    park_failed: "保留を記録できません（カートはそのままです）",
    recalled: "保留の会計を呼び出しました",
    parked_title: "保留中の会計",
    parked_none: "保留中の会計はありません",
    parked_loading: "読み込み中…",
    col_parked_at: "保留時刻",
    col_items: "点数",
    col_total: "合計",
    after_payment: "支払い済みの会計は履歴(F4)から返金します",
    key_override: "売価変更",
    override_pin: "売価変更: 責任者PIN",
    override_needs_price: "新しい単価を入力してから F2 を押してください",
    line_discount_reason: "単品値引の理由",
    overridden: "変",
    report_by_hour_yen: "時間帯別 売上金額（千円）",
    key_hour_measure: "件数/金額",
};

pub static EN: CartWords = CartWords {
    key_void: "Void",
    key_park: "Park",
    key_recall: "Recall",
    void_title: "Void this whole sale",
    void_reason: "Reason",
    void_presets: ["Customer changed mind", "Rang in error"],
    voiding: "Recording the void…",
    nothing_to_void: "Nothing to void",
    void_needs_reason: "Pick a reason (1 / 2) or type one",
    void_failed: "The void could not be recorded (the cart is kept)",
    park_failed: "The park could not be recorded (the cart is kept)",
    recalled: "Parked sale recalled",
    parked_title: "Parked sales",
    parked_none: "No parked sales",
    parked_loading: "Reading…",
    col_parked_at: "Parked",
    col_items: "Items",
    col_total: "Total",
    after_payment: "A paid sale is given back from the history (F4)",
    key_override: "Price",
    override_pin: "Price override: manager PIN",
    override_needs_price: "Type the new unit price, then F2",
    line_discount_reason: "Line discount reason",
    overridden: "P",
    report_by_hour_yen: "Sales per hour (¥ thousands)",
    key_hour_measure: "count/yen",
};

impl Strings {
    pub fn carts(&self) -> &'static CartWords {
        match self.lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    pub fn cart_voided(&self, receipt_no: i64) -> String {
        match self.lang {
            Lang::Ja => format!("会計を取り消しました（No.{receipt_no:04}）"),
            Lang::En => format!("Sale voided (No.{receipt_no:04})"),
        }
    }

    pub fn cart_parked(&self, waiting: usize) -> String {
        match self.lang {
            Lang::Ja => format!("会計を保留しました（保留中 {waiting}件、F9で呼出）"),
            Lang::En => format!("Sale parked ({waiting} waiting; F9 recalls)"),
        }
    }

    pub fn price_overridden(&self, price: regi_core::domain::Yen) -> String {
        match self.lang {
            Lang::Ja => format!("単価を {price} に変更しました"),
            Lang::En => format!("Unit price changed to {price}"),
        }
    }

    /// `保留 2件` / `2 parked`: the parked sales waiting, on the sale screen.
    pub fn parked_waiting(&self, waiting: usize) -> String {
        match self.lang {
            Lang::Ja => format!("保留 {waiting}件"),
            Lang::En => format!("{waiting} parked"),
        }
    }

    /// A parked cart's time on the list: the shop's clock, with the day when not today's.
    pub fn parked_at(&self, stored: &str) -> String {
        local_time(stored, "%m/%d %H:%M")
    }
}
