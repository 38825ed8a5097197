//! `regi checkout`: one sale from the command line, through the same engine as the TUI.

use regi_tui::ui::strings::LangStrings as _;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;
use tokio::sync::{mpsc, watch};

use crate::setup::GlobalOptions;
use regi_core::domain::{Cart, Catalog, SaleDraft, TaxRate, Yen};
use regi_engine::{AttemptOutcome, Engine, EngineEvent, RecoveryReport, Route};

/// `Debug` masks the customer's code.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("method").required(true).args(["qr", "code", "tender"])))]
pub struct CheckoutArgs {
    /// Amount in yen (e.g. 1200). With `--tender`s that each give their yen it may be left out:
    /// the sale is then their sum; with `--open` or `--item` lines it is not given.
    #[arg(required_unless_present_any = ["tender", "sale", "open", "item"])]
    pub amount: Option<String>,
    /// An open-price line rung under a department of `[departments]` at its tax rate:
    /// `DEPT:PRICE[*QTY]`, e.g. `2:1000` (repeatable).
    #[arg(long, value_name = "DEPT:PRICE[*QTY]", conflicts_with_all = ["amount", "topup", "sale"])]
    pub open: Vec<super::line_spec::OpenLine>,
    /// A product of the `[sale] catalog`: `JAN[*QTY]` (repeatable).
    #[arg(long, value_name = "JAN[*QTY]", conflicts_with_all = ["amount", "topup", "sale"])]
    pub item: Vec<super::line_spec::ItemLine>,
    /// A discount on the subtotal: `PCT%` (1 to 99) or `YEN`, shared across the tax rates in
    /// proportion to their amounts (按分) before each rate's tax.
    #[arg(long, value_name = "PCT%|YEN", conflicts_with_all = ["topup", "sale"])]
    pub discount: Option<super::line_spec::DiscountSpec>,
    /// The payment provider that takes the payment [default: the first of `[tenders] enabled`].
    #[arg(long, value_parser = crate::providers::KNOWN_PROVIDERS)]
    pub provider: Option<String>,
    /// With `--qr`: the wallet within the provider (e.g. paypay for elepay or KOMOJU); without
    /// it the customer chooses on the provider's payment page where it has one.
    #[arg(long, value_name = "WALLET", conflicts_with_all = ["code", "easyqr"])]
    pub wallet: Option<String>,
    /// With `--qr`: the provider's payment page, where the customer picks the wallet (elepay's
    /// EasyQR, KOMOJU's hosted page); what `--qr` shows when no `--wallet` is given.
    #[arg(long, conflicts_with = "code")]
    pub easyqr: bool,
    /// With `--qr`: the provider holds the payment once the customer paid, and `regi capture
    /// SALE_ID [--amount N]` takes it later (an order picked up later). Exits 0 with a `held`
    /// event.
    #[arg(long, conflicts_with_all = ["code", "topup"])]
    pub hold: bool,
    /// Show a QR code for the customer to scan (`--cashtray` is the older name).
    #[arg(long, alias = "cashtray")]
    pub qr: bool,
    /// Charge the customer's code, as their app shows it (`--cpm` is the older name).
    #[arg(long, alias = "cpm", value_name = "CODE")]
    pub code: Option<String>,
    /// Load the amount onto the customer's wallet (チャージ) instead of taking a payment.
    #[arg(long, conflicts_with = "tender")]
    pub topup: bool,
    /// One tender of a sale paid in several, applied in the order given: `cash:YEN` (the yen
    /// received; the change is computed), `qr[:PROVIDER][:YEN]`, `code:TOKEN[:PROVIDER][:YEN]`,
    /// `tab:LABEL[:YEN]`. A tender without yen takes what remains. If the tenders cannot cover
    /// the total, what they took is given back and the checkout fails.
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["qr", "code", "hold"])]
    pub tender: Vec<super::tender_spec::TenderSpec>,
    /// With `--tender`: print the receipt once the sale is paid (queued while the printer is
    /// offline).
    #[arg(long, requires = "tender")]
    pub print: bool,
    /// With `--tender`: pay the rest of a sale left partly paid (a register stopped between
    /// its tenders) instead of ringing up a new one; the AMOUNT is then not given.
    #[arg(long, value_name = "SALE_ID", requires = "tender", conflicts_with_all = ["amount", "topup"])]
    pub sale: Option<i64>,
    /// Print one JSON object per line as things happen instead of text and a drawn QR.
    #[arg(long)]
    pub json: bool,
}

impl std::fmt::Debug for CheckoutArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckoutArgs")
            .field("amount", &self.amount)
            .field("open", &self.open)
            .field("item", &self.item)
            .field("discount", &self.discount)
            .field("provider", &self.provider)
            .field("wallet", &self.wallet)
            .field("easyqr", &self.easyqr)
            .field("hold", &self.hold)
            .field("qr", &self.qr)
            .field(
                "code",
                &self.code.as_deref().map(regi_core::secret::MaskedTail),
            )
            .field("topup", &self.topup)
            .field("tender", &self.tender)
            .field("print", &self.print)
            .field("sale", &self.sale)
            .field("json", &self.json)
            .finish()
    }
}

#[derive(Debug, clap::Args)]
pub struct RecoverArgs {
    /// Print one JSON object per settled attempt instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Exit codes of `regi checkout` and `regi recover` (a command line that cannot be understood
/// exits 64, which no outcome uses).
pub mod exit {
    /// Paid, or held for a later capture (`--hold`), or captured (`regi capture`).
    pub const PAID: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const FAILED: u8 = 2;
    pub const CANCELLED_OR_EXPIRED: u8 = 3;
    pub const UNKNOWN: u8 = 4;
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("regi: cannot start: {e}");
            ExitCode::from(exit::ERROR)
        })
}

/// `regi recover`: settles what earlier runs left in flight. Exit 0 when everything is settled,
/// 4 when something is still unknown (the provider could not be reached), 1 on an error.
pub fn run_recover(options: &GlobalOptions, args: &RecoverArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let settled = runtime.block_on(async {
        let config = options.load_config()?;
        let (engine, writer) = live_engine(options, &config)?;
        let report = engine.recover().await;
        close(engine, writer).await;
        let report = report?;
        print_recovery(&report, args.json);
        anyhow::Ok(if report.all_resolved() {
            exit::PAID
        } else {
            exit::UNKNOWN
        })
    });
    exit_with(settled, args.json)
}

pub fn run(options: &GlobalOptions, args: &CheckoutArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let sell = super::store::shipping_while(options, checkout(options, args));
    exit_with(runtime.block_on(sell), args.json)
}

/// The exit code of a command's result; an error is printed (also as a JSON event) and exits 1.
pub(crate) fn exit_with(result: anyhow::Result<u8>, json: bool) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if json {
                println!("{}", json!({"event": "error", "message": format!("{e:#}")}));
            }
            eprintln!("regi: {e:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}

async fn checkout(options: &GlobalOptions, args: &CheckoutArgs) -> anyhow::Result<u8> {
    let config = options.load_config()?;
    if let Some(sale_id) = args.sale {
        let (engine, writer) = live_engine(options, &config)?;
        let code = super::split_checkout::run(&engine, &config, None, sale_id, args).await;
        close(engine, writer).await;
        return code;
    }
    let lines_given = !args.open.is_empty() || !args.item.is_empty();
    let amount: Yen = match &args.amount {
        _ if lines_given => Yen::ZERO,
        Some(text) => text
            .parse()
            .with_context(|| format!("not an amount in yen: {text}"))?,
        None => args
            .tender
            .iter()
            .map(|t| t.yen().map(Yen::value))
            .sum::<Option<i64>>()
            .map(Yen)
            .context("give the AMOUNT, or yen with every --tender")?,
    };
    let draft = if args.topup {
        SaleDraft::topup(amount, &config.sale.guard(), config.sale.tax_policy())?
    } else {
        let mut cart = Cart::new(config.sale.tax_policy(), config.sale.guard());
        if lines_given {
            let data_dir = options.data_dir();
            if !args.item.is_empty() && config.store.database_url.is_some() {
                super::store::refresh_catalog(&data_dir, &config, super::store::STORE_WAIT).await;
            }
            let catalog_file = super::store::catalog_path(&data_dir, &config, false);
            let catalog = match (&catalog_file, args.item.is_empty()) {
                (Some(path), false) => {
                    let s = options.lang.unwrap_or(config.ui.lang).strings();
                    let (catalog, left_out) = super::catalog::load(Some(path), s)?;
                    if let Some(notice) = left_out {
                        eprintln!("{}", regi_tui::ui::render::notice_text(&notice, s));
                    }
                    catalog
                }
                (None, false) => anyhow::bail!("--item needs a catalog: set [sale] catalog"),
                (_, true) => Catalog::default(),
            };
            let departments = &config.sale.departments;
            super::line_spec::ring(&mut cart, departments, &catalog, &args.item, &args.open)?;
        } else {
            cart.add_manual(amount, TaxRate::Standard10, None)?;
        }
        if let Some(discount) = &args.discount {
            discount.apply(&mut cart)?;
        }
        cart.checkout()?
    };
    // A new sale prints a receipt; settling earlier ones (recover, --sale) does not.
    crate::setup::require_store_for_live_selling(&config)?;
    let (engine, writer) = live_engine(options, &config)?;
    let code = if args.tender.is_empty() {
        run_checkout(&engine, draft, args).await
    } else {
        super::split_checkout::run(&engine, &config, Some(draft), 0, args).await
    };
    close(engine, writer).await;
    code
}

/// The engine on the enabled providers and the live journal (whose lock it takes), with the
/// journal's writer thread.
pub(crate) fn live_engine(
    options: &GlobalOptions,
    config: &crate::config_file::LoadedConfig,
) -> anyhow::Result<(Engine, std::thread::JoinHandle<()>)> {
    let gateways = crate::providers::live_gateways(config, options.lang.unwrap_or(config.ui.lang))?;
    let (journal, writer) = crate::setup::open_journal(&options.data_dir(), false)?;
    let engine = Engine::with_gateways(
        gateways,
        journal,
        crate::setup::engine_settings(config, false),
    );
    Ok((engine, writer))
}

/// Lets go of the engine and waits until its journal is written and closed.
pub(crate) async fn close(engine: Engine, writer: std::thread::JoinHandle<()>) {
    drop(engine);
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
}

async fn run_checkout(
    engine: &Engine,
    draft: SaleDraft,
    args: &CheckoutArgs,
) -> anyhow::Result<u8> {
    let report = engine.recover().await?;
    print_recovery(&report, args.json);
    if !report.all_resolved() {
        anyhow::bail!(
            "earlier payments could not be settled yet (their provider is unreachable); try again"
        );
    }
    let sale = engine.create_sale(draft).await?;
    let (events_tx, mut events_rx) = mpsc::unbounded_channel();
    let (cancel_tx, cancel_rx) = watch::channel(false);
    let json = args.json;
    let route = Route {
        provider: args.provider.clone(),
        wallet: args.wallet.clone(),
        hold: args.hold,
        part: None,
    };
    let flow = async move {
        let events_tx = events_tx;
        match &args.code {
            Some(token) => engine.pay_by_code(sale.sale_id, token, &events_tx).await,
            None => {
                engine
                    .pay_by_qr_routed(&route, sale.sale_id, cancel_rx, &events_tx)
                    .await
            }
        }
    };
    tokio::pin!(flow);
    // One listener for the whole checkout, made before anything is shown: a Ctrl-C that comes
    // while an event is being printed is kept for the next turn instead of lost (a listener
    // made anew each turn misses a signal that arrives between two turns).
    let mut interrupts = Interrupts::listen()?;
    let result = loop {
        tokio::select! {
            biased;
            Some(event) = events_rx.recv() => {
                print_event(&event, json);
                if let EngineEvent::Unrecorded { .. } = event {
                    // The charge may have gone through and cannot be recorded now: the attempt is
                    // kept as sent and settled by the next start. Never a failure.
                    return Ok(exit::UNKNOWN);
                }
            }
            outcome = &mut flow => break outcome,
            () = interrupts.next() => {
                if args.code.is_some() {
                    eprintln!("regi: the charge is already on its way; waiting for its outcome");
                } else {
                    eprintln!("regi: cancelling the QR (a payment made a moment ago still counts)");
                    let _ = cancel_tx.send(true);
                }
            }
        }
    };
    while let Ok(event) = events_rx.try_recv() {
        print_event(&event, json);
    }
    match result {
        Ok(outcome) => Ok(exit_code(&outcome)),
        Err(regi_engine::EngineError::Unrecorded {
            attempt_id,
            journal_error,
        }) => {
            // Told the same way as an outcome the engine was still holding.
            let held = EngineEvent::Unrecorded {
                attempt_id,
                disk_full: journal_error.is_disk_full(),
                reason: journal_error.to_string(),
            };
            print_event(&held, json);
            Ok(exit::UNKNOWN)
        }
        Err(error) => Err(error.into()),
    }
}

/// Ctrl-C presses, from a listener that stays registered between them.
pub(crate) struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    pub(crate) fn listen() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .context("cannot listen for Ctrl-C")?;
            Ok(Self { signal })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    pub(crate) async fn next(&mut self) {
        #[cfg(unix)]
        {
            if self.signal.recv().await.is_none() {
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn exit_code(outcome: &AttemptOutcome) -> u8 {
    match outcome.kind() {
        "paid" | "held" => exit::PAID,
        "failed" => exit::FAILED,
        "cancelled" | "expired" => exit::CANCELLED_OR_EXPIRED,
        _ => exit::UNKNOWN,
    }
}

pub(crate) fn print_recovery(report: &RecoveryReport, json: bool) {
    for sale in &report.partly_paid {
        if json {
            println!(
                "{}",
                json!({"event": "partly_paid", "sale_id": sale.id, "total": sale.total.value(),
                       "tendered": sale.tendered.value(), "remaining": sale.remaining().value()})
            );
        } else {
            eprintln!(
                "sale {} is partly paid: {} of {} taken, {} still owed (finish it with \
                 regi checkout --sale {} --tender …, or give it back with regi refund {})",
                sale.id,
                sale.tendered,
                sale.total,
                sale.remaining(),
                sale.id,
                sale.id
            );
        }
    }
    for attempt in &report.attempts {
        if json {
            println!(
                "{}",
                json!({"event": "recovered", "sale_id": attempt.sale_id, "attempt_id": attempt.attempt_id,
                       "state": attempt.state.name()})
            );
        } else {
            eprintln!(
                "recovered sale {} attempt {}: {}",
                attempt.sale_id,
                attempt.attempt_id,
                attempt.state.name()
            );
        }
    }
}

pub(crate) fn print_event(event: &EngineEvent, json: bool) {
    let mut out = std::io::stdout().lock();
    let line = match event {
        EngineEvent::Started {
            sale_id,
            attempt_id,
            method,
        } => {
            json!({"event": "started", "sale_id": sale_id, "attempt_id": attempt_id, "method": method})
        }
        EngineEvent::Presented {
            attempt_id,
            token,
            expires_at,
        } => {
            if !json {
                let _ = writeln!(out, "{}", render_qr(token));
                let _ = writeln!(
                    out,
                    "{token}\nexpires at {}",
                    expires_at.with_timezone(&chrono_tz::Asia::Tokyo)
                );
                return;
            }
            json!({"event": "presented", "attempt_id": attempt_id, "token": token, "expires_at": expires_at})
        }
        EngineEvent::Checking { attempt_id, reason } => {
            json!({"event": "checking", "attempt_id": attempt_id, "reason": reason})
        }
        EngineEvent::Unrecorded {
            attempt_id,
            disk_full,
            reason,
        } => {
            let message = unrecorded_text(*disk_full, reason);
            if !json {
                let _ = writeln!(out, "UNKNOWN — {message}");
                let _ = out.flush();
                return;
            }
            json!({"event": "unknown", "attempt_id": attempt_id, "reason": "journal",
                   "disk_full": disk_full, "message": message})
        }
        EngineEvent::Finished(outcome) => outcome_json(outcome),
    };
    if json {
        let _ = writeln!(out, "{line}");
    } else if let EngineEvent::Finished(outcome) = event {
        let _ = writeln!(out, "{}", outcome_text(outcome));
    }
    let _ = out.flush();
}

/// What a clerk or a script must know when an outcome cannot be recorded.
fn unrecorded_text(disk_full: bool, reason: &str) -> String {
    let cause = if disk_full {
        "the disk is full".to_string()
    } else {
        format!("the journal cannot be written ({reason})")
    };
    format!(
        "the payment may have gone through but cannot be recorded: {cause}. Do not take it again. \
         The attempt is kept in the journal as sent; free disk space, then run regi again and it \
         settles the payment with the provider before anything else."
    )
}

pub(crate) fn outcome_json(outcome: &AttemptOutcome) -> serde_json::Value {
    json!({
        "event": outcome.kind(),
        "sale_id": outcome.sale_id,
        "attempt_id": outcome.attempt_id,
        "method": outcome.method,
        "transaction_id": outcome.state.transaction_id(),
        "amount": outcome.paid.as_ref().map(|p| p.amount),
        "customer": outcome.paid.as_ref().and_then(|p| p.customer_name.clone()),
        "error_type": outcome.refusal.as_ref().map(|r| r.error_type.clone()),
        "message": outcome.refusal.as_ref().map(|r| r.message_en.clone()),
    })
}

fn outcome_text(outcome: &AttemptOutcome) -> String {
    match (&outcome.paid, &outcome.refusal) {
        (Some(held), _) if outcome.is_held() => format!(
            "HELD {} — payment {} is held; take it with: regi capture {} [--amount N]",
            Yen(held.amount),
            held.transaction_id,
            outcome.sale_id
        ),
        (Some(paid), _) => format!(
            "PAID {} — transaction {}{}",
            Yen(paid.amount),
            paid.transaction_id,
            paid.customer_name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ),
        (None, Some(refusal)) => {
            format!("FAILED — {} ({})", refusal.message_en, refusal.error_type)
        }
        _ if outcome.is_unknown() => {
            "UNKNOWN — no answer from the provider yet; the sale is kept and settled on the next start"
                .to_string()
        }
        _ => outcome.kind().to_uppercase(),
    }
}

/// The QR as text, two modules per character row, dark on light whatever the terminal theme.
fn render_qr(token: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(token.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::CheckoutArgs;

    /// `regi checkout`'s arguments on their own command line.
    #[derive(Debug, Parser)]
    struct CheckoutLine {
        #[command(flatten)]
        args: CheckoutArgs,
    }

    #[test]
    fn debug_of_the_command_line_masks_the_customer_code() {
        let token = "1234567890123456789012";
        let line = CheckoutLine::try_parse_from(["checkout", "500", "--cpm", token]).unwrap();
        let shown = format!("{line:?}");
        assert!(
            shown.contains("CheckoutArgs") && shown.contains("9012"),
            "{shown}"
        );
        assert!(!shown.contains(token), "{shown}");
    }

    #[test]
    fn qr_and_code_name_the_presentation_and_the_older_flags_still_work() {
        let qr = CheckoutLine::try_parse_from(["checkout", "500", "--qr"]).unwrap();
        assert!(qr.args.qr && qr.args.code.is_none());
        assert_eq!(qr.args.provider, None);
        let page = CheckoutLine::try_parse_from([
            "checkout",
            "500",
            "--qr",
            "--provider",
            "elepay",
            "--wallet",
            "paypay",
        ])
        .unwrap();
        assert_eq!(page.args.provider.as_deref(), Some("elepay"));
        assert_eq!(page.args.wallet.as_deref(), Some("paypay"));
        assert!(
            CheckoutLine::try_parse_from(["checkout", "500", "--code", "X1", "--wallet", "paypay"])
                .is_err()
        );
        let old = CheckoutLine::try_parse_from(["checkout", "500", "--cashtray"]).unwrap();
        assert!(old.args.qr);
        let code = CheckoutLine::try_parse_from(["checkout", "500", "--code", "X1"]).unwrap();
        assert_eq!(code.args.code.as_deref(), Some("X1"));
        assert!(CheckoutLine::try_parse_from(["checkout", "500", "--qr", "--code", "X1"]).is_err());
    }

    #[test]
    fn a_provider_regi_does_not_have_is_refused_by_name() {
        let err = CheckoutLine::try_parse_from(["checkout", "500", "--qr", "--provider", "acme"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("acme") && err.contains("komoju"), "{err}");
    }
}
