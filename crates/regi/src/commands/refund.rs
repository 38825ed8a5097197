//! `regi refund`: gives back a paid sale, all that is left of it or `--amount` yen of it where
//! the provider refunds in part, through the same engine as the till's history (journaled
//! before the request, a lost answer asked again with the same key). A sale paid by several tenders
//! is given back tender by tender; cash comes from the drawer, which opens for it.

use std::process::ExitCode;

use serde_json::json;

use super::checkout::{exit, exit_with, runtime};
use super::settled::{after_recovery, yen_arg};
use crate::setup::GlobalOptions;
use regi_core::domain::{PaymentMethod, Yen};
use regi_engine::RefundDone;

#[derive(Debug, clap::Args)]
pub struct RefundArgs {
    /// The paid sale (its id, as `regi checkout` and `regi journal list` show it).
    pub sale_id: i64,
    /// Yen to give back, at most what is not yet refunded [default: all of it]; a part only
    /// where the provider refunds in part.
    #[arg(long, value_name = "YEN")]
    pub amount: Option<String>,
    /// Why, as kept in the journal and sent to the provider.
    #[arg(long, default_value = "returned at the register")]
    pub reason: String,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Exit 0 when refunded, 2 when the provider refused, 4 when no answer came (kept pending and
/// asked again by the next start), 1 on an error.
pub fn run(options: &GlobalOptions, args: &RefundArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    exit_with(runtime.block_on(refund(options, args)), args.json)
}

async fn refund(options: &GlobalOptions, args: &RefundArgs) -> anyhow::Result<u8> {
    let amount = yen_arg(args.amount.as_deref())?;
    let sale_id = args.sale_id;
    let done = after_recovery(options, args.json, async |engine, config| {
        let cash_back = |detail: &regi_journal::SaleDetail| -> i64 {
            detail
                .refunds
                .iter()
                .filter(|r| r.state == regi_journal::RefundState::Done)
                .filter(|r| {
                    detail
                        .attempts
                        .iter()
                        .any(|a| a.id == r.attempt_id && a.method == PaymentMethod::Cash)
                })
                .map(|r| r.amount.value())
                .sum()
        };
        let before = cash_back(&engine.journal().call(move |j| j.sale(sale_id)).await?);
        let done = engine.refund_of(sale_id, amount, &args.reason).await?;
        let after = cash_back(&engine.journal().call(move |j| j.sale(sale_id)).await?);
        if after > before {
            // Cash went back from the drawer: it opens for the clerk to hand it over.
            if args.json {
                println!(
                    "{}",
                    json!({"event": "cash_back", "sale_id": sale_id, "amount": after - before})
                );
            } else {
                println!("cash to give back from the drawer: {}", Yen(after - before));
            }
            if let regi_receipts::DrawerOutcome::Failed(detail) =
                regi_receipts::open_drawer(config, false).await
            {
                eprintln!("regi: the cash drawer did not open ({detail}); open it with its key");
            }
        }
        Ok(done)
    })
    .await?;
    let (event, code, detail) = match done {
        RefundDone::Refunded {
            refund_transaction_id,
        } => ("refunded", exit::PAID, refund_transaction_id),
        RefundDone::Refused(refusal) => (
            "refused",
            exit::FAILED,
            format!("{} ({})", refusal.message_en, refusal.error_type),
        ),
        RefundDone::Unknown => (
            "unknown",
            exit::UNKNOWN,
            "no answer yet; the refund is kept and asked again on the next start".into(),
        ),
    };
    if args.json {
        println!(
            "{}",
            json!({"event": event, "sale_id": args.sale_id,
                   "amount": amount.map(Yen::value), "detail": detail})
        );
    } else {
        println!("{} — {detail}", event.to_uppercase());
    }
    Ok(code)
}
