//! `regi store migrate|status|ship|report|export|catalog`: store mode from the command line — the
//! store's schema in PostgreSQL, how far each till has shipped, shipping now, the store-wide X
//! and Z, the accountant's export, and the store's catalog. Also starts the background shipper for the commands that
//! sell (`checkout`, the till).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::anyhow;
use chrono::NaiveDate;
use regi_config::Config;
use regi_config::Lang;
use regi_core::app::records::Check;
use regi_core::domain::{Catalog, CatalogError};
use regi_core::records::ReportKind;
use regi_journal::journal_path;
use regi_store::shipper::ShipperHandle;
use regi_store::{Shipper, ShipperStatus, StoreError, StoreTarget};
use regi_tui::ui::store_cli_strings::{StoreFailure, StoreZRefusal};
use regi_tui::ui::strings::{LangStrings as _, Strings};
use serde_json::json;

use super::checkout::{exit, exit_with, runtime};
use super::journal::ReportWhich;
use super::store_catalog::Newer;
pub use super::store_catalog::{catalog_path, refresh_catalog};
use crate::services::{configured_url, store_target};
use crate::setup::GlobalOptions;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Store mode needs [store] database_url, store_id and password_file in regi.toml, and a [terminal] \
id registered in the store (see the README). Exit codes: 0 done, 2 refused (the reason is \
printed), 1 error (PostgreSQL unreachable, settings missing).")]
pub struct StoreArgs {
    #[command(subcommand)]
    pub action: StoreAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum StoreAction {
    /// Create or upgrade the store's schema in PostgreSQL (run as the database's owner).
    Migrate {
        /// The database, instead of [store] database_url (`postgres://owner@host/db`).
        #[arg(long)]
        database_url: Option<String>,
        /// The owner's password file (mode 0600), instead of [store] password_file.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Per till of the store: the last event shipped, the lag in events and seconds, the last
    /// error.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Ship what this till's journal has not shipped yet, now.
    Ship {
        #[arg(long)]
        json: bool,
    },
    /// Every till's sales of a range of shop dates for the accountant: each sale with its lines
    /// and tax per rate, each refund as a row on its own date, in shop time.
    Export {
        /// The first shop date (YYYY-MM-DD, Asia/Tokyo).
        #[arg(long)]
        from: NaiveDate,
        /// The last shop date, included (default: the first).
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
    },
    /// The store's one product catalog: push a CSV as its next version, or take the newest now
    /// (tills also take it when they start).
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// The store's X (every till's open day) or Z (closes the store's day, once) summed over
    /// every till, per till, way to pay, provider and tax rate.
    Report {
        #[arg(value_enum)]
        which: ReportWhich,
        /// The shop date (YYYY-MM-DD, Asia/Tokyo); for Z, today when not given.
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Take the Z although a till has not shipped everything or closed its day (asks for
        /// the manager PIN when one is set).
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum CatalogAction {
    /// Check FILE is a catalog a till can read (jan,name,unit_price,tax_rate) and make it the
    /// store's next version.
    Push { file: PathBuf },
    /// Take the store's catalog now when it is newer than this till's copy.
    Pull,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

pub fn run(options: &GlobalOptions, args: &StoreArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let json = match &args.action {
        StoreAction::Migrate { .. } | StoreAction::Export { .. } | StoreAction::Catalog { .. } => {
            false
        }
        StoreAction::Status { json }
        | StoreAction::Ship { json }
        | StoreAction::Report { json, .. } => *json,
    };
    let s = options.lang().strings();
    match runtime.block_on(store(options, args, s)) {
        // The store's own words stay in `--json` (for scripts); the manager reads theirs.
        Err(error) if !json => {
            eprintln!("regi: {}", failure_text(&error, s));
            ExitCode::from(exit::ERROR)
        }
        result => exit_with(result, json),
    }
}

/// A failed store command in the manager's language: the kind of failure said in their words,
/// then the detail as the store or the database gave it.
fn failure_text(error: &anyhow::Error, s: &Strings) -> String {
    let Some(store) = error.chain().find_map(|e| e.downcast_ref::<StoreError>()) else {
        return format!("{error:#}");
    };
    match store {
        StoreError::Settings(detail) => s.store_failure(StoreFailure::Settings, detail),
        StoreError::Database(detail) => s.store_failure(StoreFailure::Database, detail),
        StoreError::Journal(journal) => {
            let said = match s.lang {
                Lang::Ja => journal.clerk_message_ja(),
                Lang::En => journal.clerk_message_en(),
            };
            s.store_failure(StoreFailure::Journal, said)
        }
        StoreError::Diverged(detail) => s.store_failure(StoreFailure::Diverged, detail),
        StoreError::Refused(detail) => s.store_failure(StoreFailure::Refused, detail),
    }
}

/// Reads back a refusal of the store's Z (`close_store_day` words it in English, for the log)
/// as what the manager is told; `None` for any other wording, which is then shown as it is.
fn z_refusal(why: &str) -> Option<StoreZRefusal> {
    if let Some(rest) = why.strip_prefix("the store's Z of ") {
        let (date, at) = rest.split_once(" was already taken (at ")?;
        return Some(StoreZRefusal::AlreadyTaken {
            date: date.into(),
            at: at.strip_suffix(')')?.into(),
        });
    }
    let rest = why.strip_prefix("terminal ")?;
    if let Some((terminals, _)) = rest.split_once(" has not shipped everything") {
        return Some(StoreZRefusal::NotShipped {
            terminals: terminals.into(),
        });
    }
    let (terminals, rest) = rest.split_once(" has not closed its business day of ")?;
    let (date, _) = rest.split_once(" (its own Z first)")?;
    Some(StoreZRefusal::DayOpen {
        terminals: terminals.into(),
        date: date.into(),
    })
}

async fn store(options: &GlobalOptions, args: &StoreArgs, s: &Strings) -> anyhow::Result<u8> {
    let config = options.load_config()?;
    match &args.action {
        StoreAction::Migrate {
            database_url,
            password_file,
        } => {
            let url = match database_url {
                Some(url) => url.clone(),
                None => configured_url(&config)
                    .ok_or_else(|| anyhow!(s.store_url_missing_for_migrate()))?,
            };
            let password_file = password_file
                .clone()
                .or_else(|| config.store.password_file.clone());
            let target = StoreTarget::new(
                &url,
                password_file.as_deref(),
                config.store.tls_ca_file.clone(),
            )?;
            let mut client = target.pool(1)?.get().await.map_err(StoreError::from)?;
            let applied = regi_store::migrate(&mut client).await?;
            if applied.is_empty() {
                println!(
                    "{}",
                    s.store_schema_current(regi_store::STORE_SCHEMA_VERSION.into())
                );
            } else {
                println!("{}", s.store_schema_applied(&applied.join(", ")));
            }
            Ok(exit::PAID)
        }
        StoreAction::Status { json } => {
            let (target, store_id) = store_target(&config, s)?;
            let client = target.pool(1)?.get().await.map_err(StoreError::from)?;
            let terminals = regi_store::store_status(&client, Some(&store_id)).await?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&terminals)?);
            } else if terminals.is_empty() {
                println!("{}", s.store_no_terminal(&store_id));
            }
            if !*json {
                for t in &terminals {
                    println!(
                        "{}",
                        s.store_status_line(
                            &t.terminal_id,
                            t.shipped_seq,
                            t.journal_seq,
                            t.lag_events,
                            t.lag_secs,
                            t.last_error.as_deref(),
                        )
                    );
                }
            }
            Ok(exit::PAID)
        }
        StoreAction::Ship { json } => {
            let shipper = shipper(&options.data_dir(), &config, s)?
                .ok_or_else(|| anyhow!(s.store_key_missing("database_url")))?;
            let shipped = shipper.catch_up().await?;
            if *json {
                println!("{}", json!({ "event": "shipped", "events": shipped }));
            } else {
                println!("{}", s.store_shipped(shipped as u64));
            }
            Ok(exit::PAID)
        }
        StoreAction::Catalog { action } => match action {
            CatalogAction::Push { file } => {
                let csv = std::fs::read_to_string(file).map_err(|e| {
                    anyhow!(s.store_file_unreadable(&file.display().to_string(), &e.to_string()))
                })?;
                // Checked here too, so a refusal names the row in the manager's language.
                let unreadable = match Catalog::from_csv_reader(csv.as_bytes()) {
                    Ok(catalog) if catalog.is_empty() => Some(CatalogError::Empty),
                    Ok(_) => None,
                    Err(error) => Some(error),
                };
                if let Some(error) = unreadable {
                    let why = s.store_catalog_not_readable(&s.catalog_error(&error));
                    eprintln!("regi: {}: {why}", file.display());
                    return Ok(exit::FAILED);
                }
                let (target, store_id) = store_target(&config, s)?;
                let client = target.pool(1)?.get().await.map_err(StoreError::from)?;
                match regi_store::catalog::push_catalog(&client, &store_id, &csv).await {
                    Ok(version) => {
                        println!("{}", s.store_catalog_pushed(version, &store_id));
                        Ok(exit::PAID)
                    }
                    Err(StoreError::Refused(why)) => {
                        let why = s.store_failure(StoreFailure::Refused, &why);
                        eprintln!("regi: {}: {why}", file.display());
                        Ok(exit::FAILED)
                    }
                    Err(other) => Err(other.into()),
                }
            }
            CatalogAction::Pull => {
                match super::store_catalog::pull_catalog(&options.data_dir(), &config, s).await? {
                    Newer::Taken { version, .. } => {
                        println!("{}", s.store_catalog_pulled(version))
                    }
                    Newer::Current => println!("{}", s.store_catalog_current()),
                    Newer::Refused { version, error } => {
                        let why = s.catalog_error(&error);
                        eprintln!("regi: {}", s.store_catalog_not_taken(version, &why));
                        return Ok(exit::FAILED);
                    }
                }
                Ok(exit::PAID)
            }
        },
        StoreAction::Export { from, to, format } => {
            let (target, store_id) = store_target(&config, s)?;
            let client = target.pool(1)?.get().await.map_err(StoreError::from)?;
            let to = to.unwrap_or(*from);
            let rows = regi_store::export::store_export(&client, &store_id, *from, to).await?;
            match format {
                ExportFormat::Csv => print!("{}", regi_store::export::to_csv(&rows)),
                ExportFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
            }
            Ok(exit::PAID)
        }
        StoreAction::Report {
            which,
            date,
            force,
            json,
        } => {
            let (target, store_id) = store_target(&config, s)?;
            let client = target.pool(1)?.get().await.map_err(StoreError::from)?;
            let report = match which {
                ReportWhich::X => {
                    regi_store::store_report(&client, &store_id, ReportKind::X, *date).await?
                }
                ReportWhich::Z => {
                    if *force
                        && let Err(refused) =
                            super::drawer::confirm_manager(options, &config, "store_z").await?
                    {
                        eprintln!("regi: {refused}");
                        return Ok(exit::FAILED);
                    }
                    let date = match date {
                        Some(date) => *date,
                        None => shop_today(),
                    };
                    match regi_store::close_store_day(&client, &store_id, date, *force).await {
                        Err(StoreError::Refused(why)) => {
                            if *json {
                                println!("{}", json!({ "event": "refused", "message": why }));
                            }
                            let told = match z_refusal(&why) {
                                Some(refusal) => s.store_z_refused(&refusal),
                                None => s.store_failure(StoreFailure::Refused, &why),
                            };
                            eprintln!("regi: {told}");
                            return Ok(exit::FAILED);
                        }
                        other => other?,
                    }
                }
            };
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.total.to_text_in(s.lang));
                for t in &report.terminals {
                    println!(
                        "{}",
                        s.store_report_terminal(
                            &t.terminal_id,
                            &t.report.net_sales.to_string(),
                            t.report.payments.count,
                        )
                    );
                }
            }
            Ok(exit::PAID)
        }
    }
}

/// Today's date in the shop's time zone.
fn shop_today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive()
}

/// The shipper of this data directory's live journal, when `[store]` names a database.
fn shipper(data_dir: &Path, config: &Config, s: &Strings) -> anyhow::Result<Option<Shipper>> {
    shipper_of(&journal_path(data_dir, false), config, s)
}

/// The shipper of the journal at `path`, when `[store]` names a database.
fn shipper_of(path: &Path, config: &Config, s: &Strings) -> anyhow::Result<Option<Shipper>> {
    if config.store.database_url.is_none() {
        return Ok(None);
    }
    let (target, store_id) = store_target(config, s)?;
    Ok(Some(Shipper::new(
        path,
        &target,
        &config.terminal.id,
        &store_id,
    )?))
}

/// How long a command waits on the store when it need not: a last shipping after a checkout,
/// taking a newer catalog at start. The store being down never holds a sale up longer.
pub const STORE_WAIT: Duration = Duration::from_secs(2);

/// `regi doctor`'s check of store mode: the database answers, is at this regi's schema, and
/// knows this till under this login. `None` without `[store] database_url`.
pub async fn doctor_check(config: &Config, s: &Strings) -> Option<Check> {
    config.store.database_url.as_ref()?;
    let name = s.store_database_check_name().to_string();
    let found = tokio::time::timeout(Duration::from_secs(10), store_ready(config, s)).await;
    Some(match found {
        Ok(Ok((store, shipped))) => Check {
            name,
            ok: true,
            detail: s.store_database_ready(&store, &config.terminal.id, shipped),
            hint: None,
        },
        Ok(Err(error)) => Check {
            name,
            ok: false,
            detail: failure_text(&error, s),
            hint: Some(s.store_database_hint().to_string()),
        },
        Err(_) => Check {
            name,
            ok: false,
            detail: s.store_no_answer(10),
            hint: Some(s.store_database_hint().to_string()),
        },
    })
}

async fn store_ready(config: &Config, s: &Strings) -> anyhow::Result<(String, i64)> {
    let (target, store_id) = store_target(config, s)?;
    let client = target.pool(1)?.get().await.map_err(StoreError::from)?;
    regi_store::require_current(&client).await?;
    let mine = regi_store::store_status(&client, Some(&store_id))
        .await?
        .into_iter()
        .find(|t| t.terminal_id == config.terminal.id)
        .ok_or_else(|| anyhow!(s.store_terminal_unknown(&config.terminal.id, &store_id)))?;
    Ok((store_id, mine.shipped_seq))
}

/// How long the oldest unshipped event may wait before the status screen warns.
const LAG_WARNING_SECS: i64 = 60;

/// The status screen's line for store shipping: a warning once events have waited longer than
/// [`LAG_WARNING_SECS`] or the last round failed.
pub(crate) fn shipping_check(status: &ShipperStatus, s: &Strings) -> Check {
    let ok = status.last_error.is_none() && status.lag_secs < LAG_WARNING_SECS;
    let mut detail = s.store_shipping(status.shipped_seq, status.lag_events, status.lag_secs);
    if let Some(error) = &status.last_error {
        detail = format!("{detail} — {error}");
    }
    Check {
        name: s.store_check_name().to_string(),
        ok,
        detail,
        hint: (!ok).then(|| s.store_lag_hint().to_string()),
    }
}

/// How often a running shipper looks for new events when nothing nudges it.
const POLL: Duration = Duration::from_millis(250);

/// The background shipper of a command that sells, while it runs; `None` without `[store]`
/// database_url (or in training: training sales never reach the store).
pub struct StoreLink {
    shipper: Shipper,
    handle: ShipperHandle,
}

impl StoreLink {
    /// Starts shipping in the background (inside a tokio runtime). A store that cannot be set up
    /// (a password file others can read) is reported and selling goes on without it.
    pub fn start(data_dir: &Path, config: &Config, training: bool) -> Option<StoreLink> {
        StoreLink::start_for_journal(&journal_path(data_dir, false), config, training)
    }

    /// [`StoreLink::start`] for the journal at `path`.
    pub fn start_for_journal(path: &Path, config: &Config, training: bool) -> Option<StoreLink> {
        if training {
            return None;
        }
        let s = config.ui.lang.strings();
        match shipper_of(path, config, s) {
            Ok(Some(shipper)) => Some(StoreLink {
                handle: shipper.clone().spawn(POLL),
                shipper,
            }),
            Ok(None) => None,
            Err(error) => {
                tracing::error!("store mode is off: {error:#}");
                eprintln!("regi: {}", s.store_mode_off(&failure_text(&error, s)));
                None
            }
        }
    }

    /// [`StoreLink::start`] for a command's options (`None` when the configuration does not
    /// load: the command itself reports that).
    pub fn for_options(options: &GlobalOptions) -> Option<StoreLink> {
        let config = options.load_config().ok()?;
        StoreLink::start(&options.data_dir(), &config, options.training)
    }

    /// Every new status of the shipper, for the till's status screen.
    pub fn watch(&self) -> tokio::sync::watch::Receiver<ShipperStatus> {
        self.handle.watch()
    }

    /// A last try to ship what this command wrote, for at most `within`; whatever is left goes
    /// with the next command or till that runs here.
    pub async fn flush(&self, within: Duration) {
        if let Ok(Err(error)) = tokio::time::timeout(within, self.shipper.catch_up()).await {
            tracing::warn!("store shipping left for later: {error}");
        }
    }
}

/// Ships what a command without a runtime of its own wrote (a Z taken by `regi report z`), for
/// at most [`STORE_WAIT`]; nothing without store mode or in training.
pub fn ship_now(options: &GlobalOptions, training: bool) {
    if training {
        return;
    }
    if let Ok(runtime) = runtime() {
        runtime.block_on(shipping_while(options, async {}));
    }
}

/// Runs a command that writes the journal with store mode shipping in the background, and once
/// more at its end (never longer than [`STORE_WAIT`]: what is left goes with the next run).
pub async fn shipping_while<T>(options: &GlobalOptions, command: impl Future<Output = T>) -> T {
    let store = StoreLink::for_options(options);
    let result = command.await;
    if let Some(store) = store {
        store.flush(STORE_WAIT).await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::lang::Lang;

    fn status(lag_events: i64, lag_secs: i64, error: Option<&str>) -> ShipperStatus {
        ShipperStatus {
            terminal_id: "01".into(),
            shipped_seq: 40,
            journal_seq: 40 + lag_events,
            lag_events,
            lag_secs,
            last_error: error.map(String::from),
        }
    }

    #[test]
    fn shipping_within_the_threshold_is_fine() {
        let check = shipping_check(&status(2, 3, None), Lang::En.strings());
        assert!(check.ok, "{check:?}");
        assert!(check.detail.contains("2 events"), "{check:?}");
        assert_eq!(check.hint, None);
    }

    #[test]
    fn a_lag_past_the_threshold_or_an_error_is_a_warning_with_what_to_do() {
        let late = shipping_check(&status(30, LAG_WARNING_SECS, None), Lang::Ja.strings());
        assert!(!late.ok);
        assert!(late.hint.unwrap().contains("販売は続けられます"));
        let down = shipping_check(
            &status(1, 1, Some("PostgreSQL: connection refused")),
            Lang::En.strings(),
        );
        assert!(!down.ok);
        assert!(down.detail.contains("connection refused"), "{down:?}");
    }

    #[test]
    fn each_refusal_of_the_stores_z_is_read_back_and_told_in_japanese() {
        // Worded as `close_store_day` words them.
        let taken = "the store's Z of 2026-11-20 was already taken (at 2026-11-20 23:01:02+09)";
        let behind = "terminal 01, 03 has not shipped everything; wait for it, or --force with the \
                      manager PIN";
        let open = "terminal 02 has not closed its business day of 2026-11-20 (its own Z first), \
                    or --force with the manager PIN";
        let ja = Lang::Ja.strings();
        let told: Vec<String> = [taken, behind, open]
            .iter()
            .map(|why| ja.store_z_refused(&z_refusal(why).expect("read back")))
            .collect();
        assert!(
            told[0].contains("2026-11-20 のZ精算は取得済み") && told[0].contains("23:01:02"),
            "{told:?}"
        );
        assert!(told[1].starts_with("レジ 01, 03 の送信"), "{told:?}");
        assert!(
            told[2].starts_with("レジ 02 が 2026-11-20 の営業日"),
            "{told:?}"
        );
        assert_eq!(
            Lang::En
                .strings()
                .store_z_refused(&z_refusal(behind).unwrap()),
            behind
        );
        assert_eq!(z_refusal("something else"), None);
    }

    #[test]
    fn a_store_failure_is_told_by_its_kind_in_the_managers_language() {
        let down = anyhow::Error::from(StoreError::Database("connection refused".into()))
            .context("reading the store's status");
        let ja = failure_text(&down, Lang::Ja.strings());
        assert!(
            ja.starts_with("ストアのデータベース") && ja.ends_with("connection refused"),
            "{ja}"
        );
        let en = failure_text(
            &StoreError::Settings("password_file x can be read by others; chmod 600 it".into())
                .into(),
            Lang::En.strings(),
        );
        assert!(
            en.starts_with("the [store] settings cannot be used: password_file"),
            "{en}"
        );
    }
}
