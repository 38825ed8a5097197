//! The store's words on the status screen: how far this till has shipped its journal to the
//! store's PostgreSQL, and what to do when it lags. Kept beside `strings` so the tables stay
//! plain data.

use super::strings::{Lang, Strings};

impl Strings {
    /// The name of the store shipping check.
    pub fn store_check_name(&self) -> &'static str {
        match self.lang {
            Lang::Ja => "ストア送信",
            Lang::En => "store",
        }
    }

    /// How far this till has shipped: the last event the store holds and what waits.
    pub fn store_shipping(&self, shipped: i64, lag_events: i64, lag_secs: i64) -> String {
        match (self.lang, lag_events) {
            (Lang::Ja, 0) => format!("送信済み #{shipped}（未送信なし）"),
            (Lang::En, 0) => format!("shipped up to #{shipped}, nothing waiting"),
            (Lang::Ja, _) => {
                format!("送信済み #{shipped}、未送信 {lag_events} 件（{lag_secs} 秒前から）")
            }
            (Lang::En, _) => {
                format!("shipped up to #{shipped}, {lag_events} events waiting for {lag_secs} s")
            }
        }
    }

    /// The name of `regi doctor`'s store database check.
    pub fn store_database_check_name(&self) -> &'static str {
        match self.lang {
            Lang::Ja => "ストアDB",
            Lang::En => "store database",
        }
    }

    /// The store database answered, is at this regi's schema, and knows this till.
    pub fn store_database_ready(&self, store: &str, terminal: &str, shipped: i64) -> String {
        match self.lang {
            Lang::Ja => format!("ストア {store} のレジ {terminal}（送信済み #{shipped}）"),
            Lang::En => format!("till {terminal} of store {store} (shipped up to #{shipped})"),
        }
    }

    /// What to do when the store database cannot be used.
    pub fn store_database_hint(&self) -> &'static str {
        match self.lang {
            Lang::Ja => {
                "[store] の database_url・password_file（権限 600）と、レジIDの登録（regi.add_terminal）、regi store migrate を確認してください。販売はこのまま続けられます"
            }
            Lang::En => {
                "Check [store] database_url and password_file (mode 600), that this till's id is \
                 registered (regi.add_terminal) and that regi store migrate has run. Selling goes \
                 on meanwhile"
            }
        }
    }

    /// The store's newer catalog is sold from now (the till's notice).
    pub fn store_catalog_taken(&self, version: i64, products: usize) -> String {
        match self.lang {
            Lang::Ja => format!("商品マスタを更新しました（版 {version}、{products}品目）"),
            Lang::En => format!("Catalog updated (version {version}, {products} products)"),
        }
    }

    /// The store's newer catalog could not be used; the till keeps the one it has.
    pub fn store_catalog_refused(&self, version: i64, why: &str) -> String {
        let why = if why.is_empty() {
            match self.lang {
                Lang::Ja => "商品がありません",
                Lang::En => "it has no product",
            }
        } else {
            why
        };
        match self.lang {
            Lang::Ja => {
                format!("商品マスタ（版 {version}）を読めません: {why}。今の商品マスタで続けます")
            }
            Lang::En => {
                format!(
                    "Catalog version {version} does not read: {why}. Selling on with the one in use"
                )
            }
        }
    }

    /// What to do while the store lags or cannot be reached: selling goes on regardless.
    pub fn store_lag_hint(&self) -> &'static str {
        match self.lang {
            Lang::Ja => {
                "販売は続けられます。ストアのデータベース（PostgreSQL）とネットワークを確認してください。戻りしだい送信します"
            }
            Lang::En => {
                "Selling goes on. Check the store's database (PostgreSQL) and the network; \
                 everything waiting ships when it is back"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ui::strings::{Lang, LangStrings};

    #[test]
    fn shipping_is_told_in_both_languages_with_what_waits() {
        let ja = Lang::Ja.strings().store_shipping(40, 3, 75);
        assert!(
            ja.contains("#40") && ja.contains("3 件") && ja.contains("75 秒"),
            "{ja}"
        );
        let en = Lang::En.strings().store_shipping(40, 0, 0);
        assert_eq!(en, "shipped up to #40, nothing waiting");
    }
}
