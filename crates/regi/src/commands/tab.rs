//! `regi tab open|list|charge|close`: customers' tabs from the command line, through the same
//! engine as the terminal (each step journaled with its key first; a lost answer asked again).

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use serde_json::json;
use tokio::sync::mpsc;

use super::checkout::{exit, exit_with, runtime};
use super::settled::after_recovery;
use crate::setup::GlobalOptions;
use regi_core::domain::{Cart, TaxRate, Yen};
use regi_engine::{AttemptOutcome, Engine, TabOutcome};
use regi_journal::{TabCharge, TabRecord, TabState, local_time};

/// The longest a tab may stay open.
const MAX_TAB_DAYS: i64 = 30;

#[derive(Debug, clap::Args)]
pub struct TabArgs {
    #[command(subcommand)]
    pub action: TabAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum TabAction {
    /// Open a tab on a customer's verified card: their app's code, the card, a label, an end.
    Open(OpenArgs),
    /// List the tabs: open, expired, closed, with what was charged to each.
    List(ListArgs),
    /// Charge AMOUNT yen to the open tab LABEL.
    Charge(ChargeArgs),
    /// Close the tab LABEL: the card is billed for everything charged to it; prints the statement.
    Close(CloseArgs),
}

/// `Debug` masks the customer's code.
#[derive(clap::Args)]
pub struct OpenArgs {
    /// The code the customer's app shows.
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// The card to open it on (an id `regi tab open` lists when it is not given).
    #[arg(long, value_name = "CARD_ID")]
    pub card: Option<String>,
    /// What the clerk calls the tab: room 301, table 7, a name.
    #[arg(long)]
    pub label: String,
    /// The last day (YYYY-MM-DD, shop time: the tab ends at its midnight) or an RFC 3339 time;
    /// at most 30 days ahead.
    #[arg(long, value_name = "DATE")]
    pub until: String,
    /// The payment provider that keeps the tab [default: the first enabled that has tabs].
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl std::fmt::Debug for OpenArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenArgs")
            .field("code", &regi_core::secret::MaskedTail(self.code.as_str()))
            .field("card", &self.card)
            .field("label", &self.label)
            .field("until", &self.until)
            .field("provider", &self.provider)
            .field("json", &self.json)
            .finish()
    }
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ChargeArgs {
    pub label: String,
    /// Yen, at the standard rate (10 %).
    pub amount: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    pub label: String,
    /// Also print the statement on the configured printer (queued if it is offline).
    #[arg(long)]
    pub print: bool,
    #[arg(long)]
    pub json: bool,
}

/// Exit codes as `regi checkout`: 0 done, 2 refused, 3 the tab is expired or closed, 4 no answer
/// yet (kept and asked again on the next start), 1 an error.
pub fn run(options: &GlobalOptions, args: &TabArgs) -> ExitCode {
    let json = match &args.action {
        TabAction::Open(a) => a.json,
        TabAction::List(a) => a.json,
        TabAction::Charge(a) => a.json,
        TabAction::Close(a) => a.json,
    };
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    exit_with(runtime.block_on(tab(options, &args.action)), json)
}

async fn tab(options: &GlobalOptions, action: &TabAction) -> anyhow::Result<u8> {
    let json = match action {
        TabAction::Open(a) => a.json,
        TabAction::List(a) => a.json,
        TabAction::Charge(a) => a.json,
        TabAction::Close(a) => a.json,
    };
    after_recovery(options, json, async |engine, config| match action {
        TabAction::Open(args) => open(engine, args).await,
        TabAction::List(args) => list(engine, args).await,
        TabAction::Charge(args) => charge(engine, config, args).await,
        TabAction::Close(args) => close_tab(engine, config, args).await,
    })
    .await
}

/// The end of a tab: the midnight after DATE in shop time, or an RFC 3339 time; in the future and
/// at most 30 days ahead.
pub fn parse_until(text: &str, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    let until = match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(day) => {
            let midnight = day
                .succ_opt()
                .and_then(|next| next.and_hms_opt(0, 0, 0))
                .context("no such day")?;
            chrono_tz::Asia::Tokyo
                .from_local_datetime(&midnight)
                .single()
                .context("no such time in Japan")?
                .with_timezone(&Utc)
        }
        Err(_) => DateTime::parse_from_rfc3339(text.trim())
            .with_context(|| format!("not a day (YYYY-MM-DD) or a time (RFC 3339): {text}"))?
            .with_timezone(&Utc),
    };
    if until <= now {
        bail!("the tab's end {text} is already past");
    }
    if until > now + TimeDelta::days(MAX_TAB_DAYS) {
        bail!("a tab can stay open at most {MAX_TAB_DAYS} days; {text} is further");
    }
    Ok(until)
}

async fn open(engine: &Engine, args: &OpenArgs) -> anyhow::Result<u8> {
    let until = parse_until(&args.until, Utc::now())?;
    let customer = engine
        .tab_customer(args.provider.as_deref(), &args.code)
        .await?;
    if customer.cards.is_empty() {
        if args.json {
            println!(
                "{}",
                json!({"event": "refused", "error_type": "no_verified_card",
                       "message": "the customer has no verified card; cards are added in their app, not at the register"})
            );
        } else {
            println!(
                "REFUSED — the customer has no verified card; cards are added in their app, not at \
                 the register"
            );
        }
        return Ok(exit::FAILED);
    }
    let Some(card_id) = args.card.as_deref() else {
        let cards: Vec<String> = customer
            .cards
            .iter()
            .map(|c| format!("{} {}", c.card_id, c.masked_number))
            .collect();
        bail!(
            "choose the card with --card; the customer's cards: {}",
            cards.join(", ")
        );
    };
    let outcome = engine
        .open_tab(
            args.provider.as_deref(),
            &args.label,
            &customer,
            card_id,
            until,
        )
        .await?;
    print_tab_outcome("opened", &outcome, args.json);
    Ok(tab_exit(&outcome))
}

async fn list(engine: &Engine, args: &ListArgs) -> anyhow::Result<u8> {
    let tabs = engine.journal().call(|j| j.tabs()).await?;
    if args.json {
        for tab in &tabs {
            println!("{}", tab_json(tab));
        }
    } else if tabs.is_empty() {
        println!("no tabs");
    } else {
        for tab in &tabs {
            println!(
                "{:<12} {:<8} {:<18} {:>3} charges {:>10}  until {}",
                tab.label,
                tab.state.as_str(),
                tab.card_masked,
                tab.charges,
                tab.total.to_string(),
                tab.expires_at
                    .map(|at| local_time(&at.to_rfc3339(), "%Y-%m-%d %H:%M"))
                    .unwrap_or_else(|| "-".into())
            );
        }
    }
    Ok(exit::PAID)
}

async fn live_tab(engine: &Engine, label: &str) -> anyhow::Result<TabRecord> {
    let wanted = label.to_string();
    engine
        .journal()
        .call(move |j| j.tab_by_label(&wanted))
        .await?
        .with_context(|| format!("no tab is labelled {label:?}"))
}

async fn charge(
    engine: &Engine,
    config: &regi_config::Config,
    args: &ChargeArgs,
) -> anyhow::Result<u8> {
    let amount: Yen = args
        .amount
        .parse()
        .with_context(|| format!("not an amount in yen: {}", args.amount))?;
    let tab = live_tab(engine, &args.label).await?;
    if tab.state != TabState::Open {
        let line = json!({"event": tab.state.as_str(), "label": tab.label,
                          "message": format!("the tab is {} and takes no charge", tab.state.as_str())});
        if args.json {
            println!("{line}");
        } else {
            println!(
                "{} — the tab takes no charge",
                tab.state.as_str().to_uppercase()
            );
        }
        return Ok(exit::CANCELLED_OR_EXPIRED);
    }
    let mut cart = Cart::new(config.sale.tax_policy(), config.sale.guard());
    cart.add_manual(amount, TaxRate::Standard10, None)?;
    let sale = engine.create_sale(cart.checkout()?).await?;
    let (events, _seen) = mpsc::unbounded_channel();
    let outcome = engine.charge_tab(sale.sale_id, tab.id, &events).await?;
    print_charge(&outcome, &tab, args.json);
    Ok(match outcome.kind() {
        "paid" => exit::PAID,
        "failed" => exit::FAILED,
        _ => exit::UNKNOWN,
    })
}

async fn close_tab(
    engine: &Engine,
    config: &regi_config::Config,
    args: &CloseArgs,
) -> anyhow::Result<u8> {
    let tab = live_tab(engine, &args.label).await?;
    let outcome = engine.close_tab(tab.id).await?;
    if args.print && matches!(outcome, TabOutcome::Done(_)) {
        let report =
            regi_receipts::print_tab_statement(engine.journal(), config, tab.id, false).await;
        if !matches!(report.outcome, regi_receipts::PrintOutcome::Printed) {
            eprintln!(
                "regi: the statement did not print: {}",
                report.message(config.ui.lang)
            );
        }
    }
    let tab_id = tab.id;
    let charges = engine
        .journal()
        .call(move |j| j.tab_charges(tab_id))
        .await?;
    if args.json {
        let mut line = tab_json(outcome.tab());
        line["event"] = json!(match outcome {
            TabOutcome::Done(_) => "closed",
            TabOutcome::Refused { .. } => "refused",
            TabOutcome::Unknown(_) => "unknown",
        });
        line["statement"] = charges
            .iter()
            .map(|c| {
                json!({"sale_id": c.sale_id, "receipt_no": c.receipt_no, "at": c.at,
                       "amount": c.total.value(), "refunded": c.refunded.value(),
                       "tax_10": c.standard_tax.value(), "tax_8": c.reduced_tax.value()})
            })
            .collect();
        if let TabOutcome::Refused { refusal, .. } = &outcome {
            line["error_type"] = json!(refusal.error_type);
            line["message"] = json!(refusal.message_en);
        }
        println!("{line}");
    } else {
        print!("{}", statement_text(outcome.tab(), &charges));
        print_tab_outcome("closed", &outcome, false);
    }
    Ok(tab_exit(&outcome))
}

/// The tab's statement: every charge with its day, receipt number and tax per rate, and the
/// total billed.
pub fn statement_text(tab: &TabRecord, charges: &[TabCharge]) -> String {
    let mut out = format!("明細 / Tab statement: {}  {}\n", tab.label, tab.card_masked);
    let (mut tax10, mut tax8) = (0, 0);
    for c in charges {
        tax10 += c.standard_tax.value();
        tax8 += c.reduced_tax.value();
        out.push_str(&format!(
            "  {}  No.{:<6} {:>10}  (10%税 {} / 8%税 {}){}\n",
            local_time(&c.at, "%m/%d %H:%M"),
            c.receipt_no,
            c.total.to_string(),
            c.standard_tax,
            c.reduced_tax,
            if c.refunded.is_positive() {
                format!("  返金 {}", c.refunded)
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&format!(
        "  合計 / Total billed {}  (10%税 {} / 8%税 {})\n",
        tab.total,
        Yen(tax10),
        Yen(tax8)
    ));
    out
}

fn tab_json(tab: &TabRecord) -> serde_json::Value {
    json!({
        "tab_id": tab.id, "label": tab.label, "state": tab.state.as_str(),
        "provider": tab.provider, "customer": tab.customer_name, "card": tab.card_masked,
        "expires_at": tab.expires_at, "charges": tab.charges, "total": tab.total.value(),
        "provider_ref": tab.provider_ref,
    })
}

fn tab_exit(outcome: &TabOutcome) -> u8 {
    match outcome {
        TabOutcome::Done(_) => exit::PAID,
        TabOutcome::Refused { .. } => exit::FAILED,
        TabOutcome::Unknown(_) => exit::UNKNOWN,
    }
}

fn print_tab_outcome(done: &str, outcome: &TabOutcome, json: bool) {
    let tab = outcome.tab();
    if json {
        let mut line = tab_json(tab);
        line["event"] = json!(match outcome {
            TabOutcome::Done(_) => done,
            TabOutcome::Refused { .. } => "refused",
            TabOutcome::Unknown(_) => "unknown",
        });
        if let TabOutcome::Refused { refusal, .. } = outcome {
            line["error_type"] = json!(refusal.error_type);
            line["message"] = json!(refusal.message_en);
        }
        println!("{line}");
        return;
    }
    match outcome {
        TabOutcome::Done(_) => println!(
            "{} — tab {:?} on {} ({} charges, {})",
            done.to_uppercase(),
            tab.label,
            tab.card_masked,
            tab.charges,
            tab.total
        ),
        TabOutcome::Refused { refusal, .. } => {
            println!("REFUSED — {} ({})", refusal.message_en, refusal.error_type)
        }
        TabOutcome::Unknown(_) => println!(
            "UNKNOWN — no answer yet; it is kept and asked again (same key) on the next start"
        ),
    }
}

fn print_charge(outcome: &AttemptOutcome, tab: &TabRecord, json: bool) {
    if json {
        println!(
            "{}",
            json!({
                "event": outcome.kind(), "sale_id": outcome.sale_id,
                "attempt_id": outcome.attempt_id, "label": tab.label,
                "transaction_id": outcome.state.transaction_id(),
                "amount": outcome.paid.as_ref().map(|p| p.amount),
                "error_type": outcome.refusal.as_ref().map(|r| r.error_type.clone()),
                "message": outcome.refusal.as_ref().map(|r| r.message_en.clone()),
            })
        );
        return;
    }
    match (&outcome.paid, &outcome.refusal) {
        (Some(paid), _) => println!(
            "PAID {} — charged to tab {:?} ({})",
            Yen(paid.amount),
            tab.label,
            tab.card_masked
        ),
        (None, Some(refusal)) => {
            println!("FAILED — {} ({})", refusal.message_en, refusal.error_type)
        }
        _ => println!(
            "UNKNOWN — no answer yet; the charge is kept and asked again (same key) on the next start"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_day_ends_at_its_midnight_in_japan_and_the_end_is_bounded() {
        let now = at("2026-12-06T01:00:00Z");
        assert_eq!(
            parse_until("2026-12-08", now).unwrap(),
            at("2026-12-08T15:00:00Z")
        );
        assert_eq!(
            parse_until("2026-12-10T12:00:00+09:00", now).unwrap(),
            at("2026-12-10T03:00:00Z")
        );
        assert!(parse_until("2026-12-05", now).is_err(), "past");
        assert!(parse_until("2027-01-06", now).is_err(), "more than 30 days");
        assert!(parse_until("next week", now).is_err());
    }
}
