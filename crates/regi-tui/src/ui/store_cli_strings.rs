//! What `regi store …` prints to the manager, in their language: the schema, shipping, the
//! catalog, the store's reports, and why something was refused or failed. The store's crate
//! keeps its own (English) wording for the log; the command line says it here. Kept beside
//! `strings` so the tables stay plain data.

use super::strings::{Lang, Strings};

/// Why the store's Z was refused, as the command line tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreZRefusal {
    /// The store's Z of `date` was taken before, at `at`.
    AlreadyTaken { date: String, at: String },
    /// These tills have events the store does not hold yet.
    NotShipped { terminals: String },
    /// These tills have not closed their business day of `date` (their own Z).
    DayOpen { terminals: String, date: String },
}

/// What kind of failure of store mode the manager is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFailure {
    /// `[store]` is missing something or holds something unusable.
    Settings,
    /// PostgreSQL could not be reached or refused a statement.
    Database,
    /// The journal could not be read.
    Journal,
    /// The journal and the store disagree about what was shipped: nothing was shipped over it.
    Diverged,
    /// A rule of the store refused it.
    Refused,
}

impl Strings {
    /// `regi store migrate` found the schema current.
    pub fn store_schema_current(&self, version: i64) -> String {
        match self.lang {
            Lang::Ja => format!("ストアのスキーマは最新です（版 {version}）"),
            Lang::En => format!("the store schema is current (version {version})"),
        }
    }

    /// `regi store migrate` applied these migrations.
    pub fn store_schema_applied(&self, applied: &str) -> String {
        match self.lang {
            Lang::Ja => format!("適用しました: {applied}"),
            Lang::En => format!("applied {applied}"),
        }
    }

    pub fn store_no_terminal(&self, store: &str) -> String {
        match self.lang {
            Lang::Ja => format!("ストア {store} に登録されたレジはありません"),
            Lang::En => format!("no terminal is registered in store {store}"),
        }
    }

    /// One till's line of `regi store status`.
    pub fn store_status_line(
        &self,
        terminal: &str,
        shipped: i64,
        journal: i64,
        lag_events: i64,
        lag_secs: i64,
        error: Option<&str>,
    ) -> String {
        let error = error.map(|e| match self.lang {
            Lang::Ja => format!("  エラー: {e}"),
            Lang::En => format!("  error: {e}"),
        });
        let error = error.unwrap_or_default();
        match self.lang {
            Lang::Ja => format!(
                "{terminal:<8} 送信済み {shipped:>8}  ジャーナル {journal:>8}  遅れ {lag_events} 件、{lag_secs} 秒{error}"
            ),
            Lang::En => format!(
                "{terminal:<8} shipped {shipped:>8}  journal {journal:>8}  lag {lag_events} events, {lag_secs} s{error}"
            ),
        }
    }

    /// `regi store ship` sent this many events.
    pub fn store_shipped(&self, events: u64) -> String {
        match self.lang {
            Lang::Ja => format!("{events} 件を送信しました"),
            Lang::En => format!("shipped {events} events"),
        }
    }

    /// A catalog pushed: the store's version number it became.
    pub fn store_catalog_pushed(&self, version: i64, store: &str) -> String {
        match self.lang {
            Lang::Ja => format!("ストア {store} の商品マスタ 版 {version}"),
            Lang::En => format!("catalog version {version} of store {store}"),
        }
    }

    /// A file given to push is not a catalog a till can read (`why`: the row and reason).
    pub fn store_catalog_not_readable(&self, why: &str) -> String {
        match self.lang {
            Lang::Ja => format!("レジが読める商品マスタではありません: {why}"),
            Lang::En => format!("not a catalog a till can read: {why}"),
        }
    }

    pub fn store_file_unreadable(&self, file: &str, why: &str) -> String {
        match self.lang {
            Lang::Ja => format!("{file} を読めません: {why}"),
            Lang::En => format!("cannot read {file}: {why}"),
        }
    }

    /// `regi store catalog pull` took this version.
    pub fn store_catalog_pulled(&self, version: i64) -> String {
        match self.lang {
            Lang::Ja => format!("商品マスタ 版 {version} を取り込みました"),
            Lang::En => format!("took catalog version {version}"),
        }
    }

    pub fn store_catalog_current(&self) -> &'static str {
        match self.lang {
            Lang::Ja => "このレジの商品マスタはストアの最新版です",
            Lang::En => "this till has the store's newest catalog",
        }
    }

    /// The store's newest catalog does not read: this till keeps its copy.
    pub fn store_catalog_not_taken(&self, version: i64, why: &str) -> String {
        match self.lang {
            Lang::Ja => format!(
                "ストアの商品マスタ 版 {version} は読めないため取り込みませんでした（今の商品マスタを使います）: {why}"
            ),
            Lang::En => format!(
                "the store's catalog version {version} does not read, so it was not taken (the one in use stays): {why}"
            ),
        }
    }

    /// One till's line under the store's report: its net sales and how many sales.
    pub fn store_report_terminal(&self, terminal: &str, net_sales: &str, sales: i64) -> String {
        match self.lang {
            Lang::Ja => format!("  {terminal:<8} {net_sales:>12}  （{sales} 件）"),
            Lang::En => format!("  {terminal:<8} {net_sales:>12}  ({sales} sales)"),
        }
    }

    /// Why the store's Z was refused, and what to do.
    pub fn store_z_refused(&self, refusal: &StoreZRefusal) -> String {
        match (self.lang, refusal) {
            (Lang::Ja, StoreZRefusal::AlreadyTaken { date, at }) => {
                format!("ストアの {date} のZ精算は取得済みです（{at}）")
            }
            (Lang::En, StoreZRefusal::AlreadyTaken { date, at }) => {
                format!("the store's Z of {date} was already taken (at {at})")
            }
            (Lang::Ja, StoreZRefusal::NotShipped { terminals }) => format!(
                "レジ {terminals} の送信が終わっていません。送信を待つか、--force（店長暗証番号）で取得してください"
            ),
            (Lang::En, StoreZRefusal::NotShipped { terminals }) => format!(
                "terminal {terminals} has not shipped everything; wait for it, or --force with the manager PIN"
            ),
            (Lang::Ja, StoreZRefusal::DayOpen { terminals, date }) => format!(
                "レジ {terminals} が {date} の営業日を閉じていません（先にそのレジのZ精算を）。または --force（店長暗証番号）で取得してください"
            ),
            (Lang::En, StoreZRefusal::DayOpen { terminals, date }) => format!(
                "terminal {terminals} has not closed its business day of {date} (its own Z first), or --force with the manager PIN"
            ),
        }
    }

    /// A `[store]` key that must be set.
    pub fn store_key_missing(&self, key: &str) -> String {
        match self.lang {
            Lang::Ja => format!("regi.toml の [store] {key} が設定されていません"),
            Lang::En => format!("[store] {key} is not set"),
        }
    }

    /// `regi store migrate` without a database to migrate.
    pub fn store_url_missing_for_migrate(&self) -> &'static str {
        match self.lang {
            Lang::Ja => {
                "regi.toml の [store] database_url が設定されていません（または --database-url で指定してください）"
            }
            Lang::En => "[store] database_url is not set (or give --database-url)",
        }
    }

    /// This till's id is not one the store knows under this login.
    pub fn store_terminal_unknown(&self, terminal: &str, store: &str) -> String {
        match self.lang {
            Lang::Ja => format!("レジ {terminal} はストア {store} に登録されていません"),
            Lang::En => format!("till {terminal:?} is not registered in store {store:?}"),
        }
    }

    /// A command that sells goes on without store mode (why).
    pub fn store_mode_off(&self, why: &str) -> String {
        match self.lang {
            Lang::Ja => format!("ストア連携なしで続けます: {why}"),
            Lang::En => format!("store mode is off: {why}"),
        }
    }

    /// The store did not answer within `secs`.
    pub fn store_no_answer(&self, secs: u64) -> String {
        match self.lang {
            Lang::Ja => format!("{secs} 秒待っても応答がありません"),
            Lang::En => format!("no answer in {secs} s"),
        }
    }

    /// A failure of store mode: its kind in the manager's words, then the detail as the store
    /// or the database said it.
    pub fn store_failure(&self, kind: StoreFailure, detail: &str) -> String {
        let what = match (self.lang, kind) {
            (Lang::Ja, StoreFailure::Settings) => "[store] の設定が使えません",
            (Lang::En, StoreFailure::Settings) => "the [store] settings cannot be used",
            (Lang::Ja, StoreFailure::Database) => {
                "ストアのデータベース（PostgreSQL）に接続できないか、処理を断られました"
            }
            (Lang::En, StoreFailure::Database) => {
                "the store's database (PostgreSQL) could not be reached or refused the request"
            }
            (Lang::Ja, StoreFailure::Journal) => "ジャーナルを読めません",
            (Lang::En, StoreFailure::Journal) => "the journal cannot be read",
            (Lang::Ja, StoreFailure::Diverged) => {
                "このレジのジャーナルとストアの記録が一致しません（古いバックアップから戻しましたか）。ストアの記録には何も上書きしていません"
            }
            (Lang::En, StoreFailure::Diverged) => {
                "this till's journal and the store's records disagree (restored from an older backup?); nothing was shipped over the store's records"
            }
            (Lang::Ja, StoreFailure::Refused) => "ストアに断られました",
            (Lang::En, StoreFailure::Refused) => "the store refused",
        };
        format!("{what}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::strings::LangStrings;

    #[test]
    fn a_z_refusal_names_the_tills_in_both_languages() {
        let refusal = StoreZRefusal::NotShipped {
            terminals: "01, 02".into(),
        };
        let ja = Lang::Ja.strings().store_z_refused(&refusal);
        assert!(ja.contains("レジ 01, 02") && ja.contains("--force"), "{ja}");
        let en = Lang::En.strings().store_z_refused(&refusal);
        assert!(en.starts_with("terminal 01, 02 has not shipped"), "{en}");
    }

    #[test]
    fn a_failure_says_its_kind_before_the_detail() {
        let ja = Lang::Ja
            .strings()
            .store_failure(StoreFailure::Database, "connection refused");
        assert!(ja.starts_with("ストアのデータベース"), "{ja}");
        assert!(ja.ends_with(": connection refused"), "{ja}");
    }
}
