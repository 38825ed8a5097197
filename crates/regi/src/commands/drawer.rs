//! `regi drawer float|in|out|count|status`: the drawer's cash from the command line — the opening
//! float, paid-in and paid-out (behind the manager PIN), a count by denomination with its slip,
//! and what the drawer should hold. Every movement is journaled before the drawer opens; a drawer
//! that does not open is reported and never undoes the movement.

use std::process::ExitCode;

use anyhow::{Context, anyhow};
use chrono::Utc;
use serde_json::{Value, json};

use super::checkout::{exit, exit_with, runtime};
use crate::setup::GlobalOptions;
use regi_config::Config;
use regi_core::app::pin_lockout::PinLockout;
use regi_core::domain::Yen;
use regi_core::lang::Lang;
use regi_core::records::{
    CashCount, DENOMINATIONS, DrawerMovement, DrawerRefusal, DrawerStatus, MovementKind, signed_yen,
};
use regi_journal::{Journal, JournalError, JournalHandle, journal_path};
use regi_receipts::{DrawerOutcome, PrintOutcome, open_drawer, print_drawer_count};
use regi_tui::ui::strings::{LangStrings as _, Strings};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Amounts are whole yen (1200, ¥1,200). A count names each denomination counted as FACE=PIECES, \
e.g. `regi drawer count 10000=2 5000=1 1000=8 500=3 100=12 10=5`; denominations not named count \
0. Paid-in, paid-out and count ask for the manager PIN when one is set (typed without echo, or \
the first line of standard input). With --training they use the training journal.

Exit codes: 0 done, 2 refused (the reason is printed; nothing was journaled), 1 error.")]
pub struct DrawerArgs {
    #[command(subcommand)]
    pub action: DrawerAction,
    /// Print one JSON object instead of text.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum DrawerAction {
    /// Set the opening float (釣銭準備金) of the business day, opening the day if needed, then
    /// open the drawer. One per day.
    Float {
        #[arg(value_name = "YEN")]
        amount: String,
    },
    /// Paid-in (入金): cash put into the drawer that is no sale; then open the drawer.
    In {
        #[arg(value_name = "YEN")]
        amount: String,
        /// Why, as kept in the journal.
        #[arg(long)]
        reason: String,
    },
    /// Paid-out (出金): cash taken from the drawer that is no refund; then open the drawer.
    Out {
        #[arg(value_name = "YEN")]
        amount: String,
        /// Why, as kept in the journal.
        #[arg(long)]
        reason: String,
    },
    /// Count the drawer (精算) by denomination: the count is journaled with the cash expected
    /// now and the over/short (過不足).
    Count {
        /// FACE=PIECES for each denomination counted (10000 5000 2000 1000 500 100 50 10 5 1).
        #[arg(value_name = "FACE=PIECES", required = true, value_parser = pieces_arg)]
        pieces: Vec<(i64, u32)>,
        /// Print the count slip (精算レシート); shown instead in training.
        #[arg(long)]
        print: bool,
    },
    /// What the drawer should hold: float, cash sales, refunds, paid-in/out, the last count.
    Status,
}

/// `1000=5` → (1000, 5).
fn pieces_arg(text: &str) -> Result<(i64, u32), String> {
    let (face, pieces) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not FACE=PIECES (e.g. 1000=5)"))?;
    let face: i64 = face
        .trim()
        .parse()
        .map_err(|_| format!("{face:?} is not a denomination"))?;
    if !DENOMINATIONS.contains(&face) {
        return Err(format!(
            "{face} is not a denomination (one of {})",
            DENOMINATIONS.map(|d| d.to_string()).join(", ")
        ));
    }
    let pieces: u32 = pieces
        .trim()
        .parse()
        .map_err(|_| format!("{pieces:?} is not a number of pieces"))?;
    Ok((face, pieces))
}

/// A refusal the clerk must fix: printed in their language, exit 2.
struct Refused {
    reason: &'static str,
    message: String,
}

pub fn run(options: &GlobalOptions, args: &DrawerArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    exit_with(runtime.block_on(drawer(options, args)), args.json)
}

async fn drawer(options: &GlobalOptions, args: &DrawerArgs) -> anyhow::Result<u8> {
    let config = options.load_config()?;
    let lang = options.lang.unwrap_or(config.ui.lang);
    let s = lang.strings();
    if let DrawerAction::Status = args.action {
        return status(options, args.json, s);
    }
    let (journal, writer) = crate::setup::open_journal(&options.data_dir(), options.training)?;
    let result = movement(&journal, &config, options.training, args, lang).await;
    drop(journal);
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    match result? {
        Ok(()) => Ok(exit::PAID),
        Err(refused) => {
            if args.json {
                println!(
                    "{}",
                    json!({"event": "refused", "reason": refused.reason, "message": refused.message})
                );
            }
            eprintln!("regi drawer: {}", refused.message);
            Ok(exit::FAILED)
        }
    }
}

async fn movement(
    journal: &JournalHandle,
    config: &Config,
    training: bool,
    args: &DrawerArgs,
    lang: Lang,
) -> anyhow::Result<Result<(), Refused>> {
    let s = lang.strings();
    let guarded = match &args.action {
        DrawerAction::Float { .. } | DrawerAction::Status => None,
        DrawerAction::In { .. } => Some("drawer_paid_in"),
        DrawerAction::Out { .. } => Some("drawer_paid_out"),
        DrawerAction::Count { .. } => Some("drawer_count"),
    };
    if let Some(guarded) = guarded
        && let Err(refused) = manager_pin(journal, config, guarded, lang).await?
    {
        return Ok(Err(refused));
    }
    let done = match &args.action {
        DrawerAction::Float { amount } => {
            let amount = yen(amount)?;
            journal.call(move |j| j.set_float(amount)).await
        }
        DrawerAction::In { amount, reason } => {
            let (amount, reason) = (yen(amount)?, reason.clone());
            journal.call(move |j| j.paid_in(amount, &reason)).await
        }
        DrawerAction::Out { amount, reason } => {
            let (amount, reason) = (yen(amount)?, reason.clone());
            journal.call(move |j| j.paid_out(amount, &reason)).await
        }
        DrawerAction::Count { pieces, .. } => {
            let mut count = CashCount::default();
            for &(face, n) in pieces {
                count
                    .set(face, n)
                    .map_err(|e| anyhow!(s.drawer_refusal(&e)))?;
            }
            journal.call(move |j| j.record_count(&count)).await
        }
        DrawerAction::Status => unreachable!("status reads the journal only"),
    };
    let moved = match done {
        Ok(moved) => moved,
        Err(JournalError::Drawer(refusal)) => {
            return Ok(Err(Refused {
                reason: refusal_name(&refusal),
                message: s.drawer_refusal(&refusal),
            }));
        }
        Err(error) => return Err(error.into()),
    };
    let day = moved.business_day_id;
    let expected = journal.call(move |j| j.cash_expected(day)).await?;
    let mut event = movement_json(&moved, expected);
    let mut lines = vec![movement_text(&moved, expected, s)];
    if moved.kind == MovementKind::Count {
        if let DrawerAction::Count { print: true, .. } = args.action {
            let report = print_drawer_count(journal, config, &moved, training).await;
            let (word, detail) = match &report.outcome {
                PrintOutcome::Printed => ("printed", None),
                PrintOutcome::Preview(text) => {
                    lines.push(text.clone());
                    ("preview", None)
                }
                PrintOutcome::Queued { .. } => ("queued", Some(report.message(lang))),
                PrintOutcome::Failed(_) => ("failed", Some(report.message(lang))),
            };
            event["print"] = json!(word);
            if let Some(detail) = detail {
                event["print_detail"] = json!(detail);
                eprintln!("regi drawer: {detail}");
            }
        }
    } else {
        // Journaled first: only now may the drawer open.
        let (word, detail) = match open_drawer(config, training).await {
            DrawerOutcome::Opened => {
                lines.push(s.drawer_opened.to_string());
                ("opened", None)
            }
            DrawerOutcome::NotSent => ("not_sent", None),
            DrawerOutcome::Failed(detail) => {
                eprintln!("regi drawer: {} ({detail})", s.drawer_not_opened);
                ("failed", Some(detail))
            }
        };
        event["drawer"] = json!(word);
        if let Some(detail) = detail {
            event["drawer_detail"] = json!(detail);
        }
    }
    if args.json {
        println!("{event}");
    } else {
        println!("{}", lines.join("\n"));
    }
    Ok(Ok(()))
}

/// The manager PIN for an action guarded elsewhere (`regi store report z --force`), asked and
/// journaled as the drawer's are: `Err` with the message to show when refused.
pub(crate) async fn confirm_manager(
    options: &GlobalOptions,
    config: &Config,
    guarded: &'static str,
) -> anyhow::Result<Result<(), String>> {
    let (journal, writer) = crate::setup::open_journal(&options.data_dir(), false)?;
    let result = manager_pin(&journal, config, guarded, options.lang()).await;
    drop(journal);
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    Ok(result?.map_err(|refused| refused.message))
}

/// Asks for the manager PIN when one is set, as the till does: refused while locked out after
/// wrong PINs, and every try journaled so the lockout survives a restart.
async fn manager_pin(
    journal: &JournalHandle,
    config: &Config,
    guarded: &'static str,
    lang: Lang,
) -> anyhow::Result<Result<(), Refused>> {
    if !config.manager_pin_set() {
        return Ok(Ok(()));
    }
    let s = lang.strings();
    let failures = journal.call(|j| j.pin_failures()).await?;
    if let Some(left) = PinLockout::from(failures).remaining(Utc::now()) {
        return Ok(Err(Refused {
            reason: "pin_locked",
            message: s.pin_locked(left.num_seconds() + 1),
        }));
    }
    let entered =
        tokio::task::spawn_blocking(move || regi_tui::runtime::pin_command::ask_manager_pin(lang))
            .await
            .context("asking for the PIN")??;
    let checked = config.clone();
    let correct = tokio::task::spawn_blocking(move || checked.is_manager_pin(entered.expose()))
        .await
        .unwrap_or(false);
    let terminal = config.terminal.id.clone();
    journal
        .call(move |j| j.record_pin_try(&terminal, guarded, correct))
        .await?;
    if correct {
        Ok(Ok(()))
    } else {
        Ok(Err(Refused {
            reason: "wrong_pin",
            message: s.refund_wrong_pin.to_string(),
        }))
    }
}

fn yen(text: &str) -> anyhow::Result<Yen> {
    text.parse()
        .with_context(|| format!("not an amount in yen: {text}"))
}

fn refusal_name(refusal: &DrawerRefusal) -> &'static str {
    match refusal {
        DrawerRefusal::FloatAlreadySet(_) => "float_already_set",
        DrawerRefusal::AmountNotPositive => "amount_not_positive",
        DrawerRefusal::ReasonMissing => "reason_missing",
        DrawerRefusal::PaidOutExceedsCash { .. } => "paid_out_exceeds_cash",
        DrawerRefusal::NoOpenDay => "no_open_day",
        DrawerRefusal::UnknownDenomination(_) => "unknown_denomination",
        DrawerRefusal::TooManyPieces => "too_many_pieces",
    }
}

fn movement_json(moved: &DrawerMovement, expected: Yen) -> Value {
    let mut event = json!({
        "event": moved.kind.as_str(),
        "movement_id": moved.id,
        "business_day_id": moved.business_day_id,
        "amount": moved.amount.value(),
        "expected": expected.value(),
    });
    if !moved.reason.is_empty() {
        event["reason"] = json!(moved.reason);
    }
    if let (Some(count), Some(then), Some(over_short)) =
        (&moved.count, moved.expected, moved.over_short())
    {
        event["counted"] = json!(moved.amount.value());
        event["expected"] = json!(then.value());
        event["over_short"] = json!(over_short.value());
        event["denominations"] = json!(count);
    }
    event
}

fn movement_text(moved: &DrawerMovement, expected: Yen, s: &Strings) -> String {
    let w = s.cash_words();
    let label = match moved.kind {
        MovementKind::Float => s.drawer_float,
        MovementKind::PaidIn => s.drawer_paid_in,
        MovementKind::PaidOut => s.drawer_paid_out,
        MovementKind::Count => s.drawer_count,
    };
    let mut out = format!("{label} {} — {}", moved.amount, s.drawer_recorded);
    if !moved.reason.is_empty() {
        out.push_str(&format!(" ({})", moved.reason));
    }
    if let (Some(count), Some(then), Some(over_short)) =
        (&moved.count, moved.expected, moved.over_short())
    {
        for (face, n, amount) in count.rows().filter(|(_, n, _)| *n > 0) {
            out.push_str(&format!("\n  {:>7} × {n:<5} {amount:>12}", Yen(face)));
        }
        out.push_str(&format!("\n{} {}", w.counted, moved.amount));
        out.push_str(&format!("\n{} {then}", w.expected));
        out.push_str(&format!("\n{} {}", w.over_short, signed_yen(over_short)));
    } else {
        out.push_str(&format!("\n{} {expected}", w.expected));
    }
    out
}

/// `regi drawer status`: read-only, so it works beside a running till.
fn status(options: &GlobalOptions, json: bool, s: &Strings) -> anyhow::Result<u8> {
    let path = journal_path(&options.data_dir(), options.training);
    let status = if path.exists() {
        Journal::open_read_only(&path)?.drawer_status()?
    } else {
        None
    };
    match (status, json) {
        (None, true) => println!("{}", json!({"event": "status", "business_day_id": null})),
        (None, false) => println!("{}", s.drawer_no_day),
        (Some(status), true) => {
            let mut event = serde_json::to_value(&status)?;
            event["event"] = json!("status");
            println!("{event}");
        }
        (Some(status), false) => println!("{}", status_text(&status, s)),
    }
    Ok(exit::PAID)
}

fn status_text(status: &DrawerStatus, s: &Strings) -> String {
    let w = s.cash_words();
    let c = &status.cash;
    let mut out = format!("{} #{}", s.drawer_menu, status.business_day_id);
    for (label, amount) in [
        (w.float, c.float),
        (w.sales, c.sales),
        (w.refunds, c.refunds),
        (w.paid_in, c.paid_in),
        (w.paid_out, c.paid_out),
        (w.expected, c.expected),
    ] {
        out.push_str(&format!("\n  {label} {amount}"));
    }
    match (c.counted, c.over_short) {
        (Some(counted), Some(over_short)) => out.push_str(&format!(
            "\n  {} {counted}\n  {} {}",
            w.counted,
            w.over_short,
            signed_yen(over_short)
        )),
        _ => out.push_str(&format!("\n  {} {}", w.counted, w.not_counted)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_argument_is_a_denomination_and_its_pieces() {
        assert_eq!(pieces_arg("1000=5"), Ok((1_000, 5)));
        assert!(pieces_arg("1000").unwrap_err().contains("FACE=PIECES"));
        assert!(
            pieces_arg("20=1")
                .unwrap_err()
                .contains("not a denomination")
        );
        assert!(pieces_arg("100=-1").is_err());
    }
}
