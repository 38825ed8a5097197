//! `regi capture` and `regi release`: take a payment the provider holds for the store (a checkout
//! made with `--hold`, or under a provider configured with `capture = "hold"`) for all that is
//! held or less, or give it back untaken, through the same engine as the till's history screen.

use std::process::ExitCode;

use serde_json::json;

use super::checkout::{exit, exit_with, runtime};
use super::settled::{after_recovery, yen_arg};
use crate::setup::GlobalOptions;
use regi_engine::CaptureOutcome;

#[derive(Debug, clap::Args)]
pub struct CaptureArgs {
    /// The held sale (its id, as `regi checkout --hold` and `regi journal list` show it).
    pub sale_id: i64,
    /// Yen to take, at most what is held [default: all of it]; the rest goes back to the
    /// customer.
    #[arg(long, value_name = "YEN")]
    pub amount: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// The held sale whose payment goes back to the customer untaken.
    pub sale_id: i64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Exit 0 when released (the sale is cancelled), 3 when the payment had been captured first (the
/// sale is paid: refund it instead), 4 when it is still held (no answer; ask again), 1 on an
/// error.
pub fn run_release(options: &GlobalOptions, args: &ReleaseArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    exit_with(runtime.block_on(release(options, args)), args.json)
}

async fn release(options: &GlobalOptions, args: &ReleaseArgs) -> anyhow::Result<u8> {
    let state = after_recovery(options, args.json, async |engine, _| {
        Ok(engine.release_held(args.sale_id).await?)
    })
    .await?;
    let (event, code, text) = match state.name() {
        "cancelled" | "expired" | "failed" => (
            "released",
            exit::PAID,
            "RELEASED — nothing was taken; the sale is cancelled",
        ),
        "paid" => (
            "paid",
            exit::CANCELLED_OR_EXPIRED,
            "PAID — the payment was captured before the release; refund it if need be",
        ),
        _ => (
            "held",
            exit::UNKNOWN,
            "STILL HELD — the provider did not confirm the release; run regi release again",
        ),
    };
    if args.json {
        println!(
            "{}",
            json!({"event": event, "sale_id": args.sale_id, "state": state.name()})
        );
    } else {
        println!("{text}");
    }
    Ok(code)
}

/// Exit 0 when captured, 2 when the provider refused (nothing was taken), 4 when no answer
/// came (the capture is kept and repeated by the next `regi capture` or start), 1 on an error.
pub fn run(options: &GlobalOptions, args: &CaptureArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    exit_with(runtime.block_on(capture(options, args)), args.json)
}

async fn capture(options: &GlobalOptions, args: &CaptureArgs) -> anyhow::Result<u8> {
    let amount = yen_arg(args.amount.as_deref())?;
    let outcome = after_recovery(options, args.json, async |engine, _| {
        Ok(engine.capture_held(args.sale_id, amount).await?)
    })
    .await?;
    print_outcome(&outcome, args.json);
    Ok(match outcome {
        CaptureOutcome::Captured { .. } => exit::PAID,
        CaptureOutcome::Refused { .. } => exit::FAILED,
        CaptureOutcome::Unknown { .. } => exit::UNKNOWN,
    })
}

fn print_outcome(outcome: &CaptureOutcome, json: bool) {
    let line = match outcome {
        CaptureOutcome::Captured {
            sale_id,
            amount,
            released,
            paid,
        } => {
            if !json {
                println!(
                    "CAPTURED {amount} of sale {sale_id} — transaction {}{}",
                    paid.transaction_id,
                    if released.is_positive() {
                        format!("; {released} went back to the customer")
                    } else {
                        String::new()
                    }
                );
                return;
            }
            json!({"event": "captured", "sale_id": sale_id, "amount": amount.value(),
                   "released": released.value(), "transaction_id": paid.transaction_id})
        }
        CaptureOutcome::Refused {
            refusal,
            still_held,
        } => {
            if !json {
                println!(
                    "REFUSED — {} ({}); {}",
                    refusal.message_en,
                    refusal.error_type,
                    if *still_held {
                        "nothing was taken and the payment is still held"
                    } else {
                        "the provider no longer holds the payment"
                    }
                );
                return;
            }
            json!({"event": "refused", "error_type": refusal.error_type,
                   "message": refusal.message_en, "still_held": still_held})
        }
        CaptureOutcome::Unknown { sale_id, amount } => {
            if !json {
                println!(
                    "UNKNOWN — no answer to the capture of {amount} for sale {sale_id}; it is \
                     kept and asked again (same amount) by the next regi capture or start"
                );
                return;
            }
            json!({"event": "unknown", "sale_id": sale_id, "amount": amount.value()})
        }
    };
    println!("{line}");
}
