//! `regi refund`: gives back a paid sale, all that is left of it, `--amount` yen of it where
//! the provider refunds in part, or the goods of `--line N[*QTY]` (a return: each rate's share
//! computed from the sale's lines and discounts), through the same engine as the till's history
//! (journaled before the request, a lost answer asked again with the same key). A sale paid by
//! several tenders is given back tender by tender; cash comes from the drawer, which opens for
//! it, as does the part of a Pokepay payment returned (Pokepay refunds only whole payments).
//! In store mode a receipt of another till is returned here (its sale copied from the store's
//! database), and a sale given back at another till already is refused.

use std::process::ExitCode;

use serde_json::json;

use super::checkout::{exit, exit_with, runtime};
use super::settled::{after_recovery, yen_arg};
use crate::services::{OtherTills, sale_of_receipt};
use crate::setup::GlobalOptions;
use regi_core::app::records::ReceiptLookupError;
use regi_core::domain::{PaymentMethod, ReturnedLine, Yen};
use regi_engine::{RefundDone, ReturnDone};
use regi_receipts::SaleRef;
use regi_tui::ui::strings::LangStrings as _;

#[derive(Debug, clap::Args)]
pub struct RefundArgs {
    /// The paid sale: its id, as `regi checkout` and `regi journal list` show it, or the code
    /// of its receipt (`RGI-01-42`). In store mode a receipt of another till of the store is
    /// looked up in the store's database and returned here.
    #[arg(value_name = "SALE")]
    pub sale: String,
    /// Yen to give back, at most what is not yet refunded [default: all of it]; a part only
    /// where the provider refunds in part.
    #[arg(long, value_name = "YEN", conflicts_with = "line")]
    pub amount: Option<String>,
    /// A line of the receipt brought back (1 for the first line), and how many of it
    /// (`--line 2*3`; 1 when not said). Repeat for several lines.
    #[arg(long, value_name = "N[*QTY]", value_parser = parse_line)]
    pub line: Vec<ReturnedLine>,
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
    let refund_and_ship = super::store::shipping_while(options, refund(options, args));
    exit_with(runtime.block_on(refund_and_ship), args.json)
}

async fn refund(options: &GlobalOptions, args: &RefundArgs) -> anyhow::Result<u8> {
    let amount = yen_arg(args.amount.as_deref())?;
    let named = SaleRef::parse(&args.sale)?;
    let other_tills = options
        .load_config()
        .ok()
        .and_then(|config| OtherTills::for_config(&config, options.training));
    let done = after_recovery(options, args.json, async |engine, config| {
        let sale_id = match named_sale(engine, config, other_tills.as_ref(), &named).await {
            Ok(id) => id,
            Err(why) => {
                let message = options.lang().strings().receipt_not_found(&why);
                if args.json {
                    println!(
                        "{}",
                        json!({"event": "refused", "sale": args.sale, "detail": message})
                    );
                } else {
                    eprintln!("regi: {message}");
                }
                return Ok(None);
            }
        };
        if let Some(other_tills) = &other_tills
            && let Some(refusal) = other_tills
                .returned_elsewhere(engine.journal(), sale_id)
                .await
        {
            return Ok(Some((sale_id, RefundDone::Refused(refusal), amount)));
        }
        let cash_back = |detail: &regi_journal::SaleDetail| -> i64 {
            detail
                .refunds
                .iter()
                .filter(|r| r.state == regi_journal::RefundState::Done)
                .filter(|r| {
                    r.cash_back
                        || detail
                            .attempts
                            .iter()
                            .any(|a| a.id == r.attempt_id && a.method == PaymentMethod::Cash)
                })
                .map(|r| r.amount.value())
                .sum()
        };
        let before = cash_back(&engine.journal().call(move |j| j.sale(sale_id)).await?);
        let (done, amount) = if args.line.is_empty() {
            (
                engine.refund_of(sale_id, amount, &args.reason).await?,
                amount,
            )
        } else {
            let returned = engine
                .return_lines(sale_id, args.line.clone(), &args.reason)
                .await?;
            print_return(sale_id, &returned, args.json);
            (returned.outcome, Some(returned.record.total()))
        };
        let after = cash_back(&engine.journal().call(move |j| j.sale(sale_id)).await?);
        if after > before {
            cash_to_give_back(config, sale_id, Yen(after - before), args.json).await;
        }
        Ok(Some((sale_id, done, amount)))
    })
    .await?;
    let Some((sale_id, done, amount)) = done else {
        return Ok(exit::FAILED);
    };
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
            json!({"event": event, "sale_id": sale_id,
                   "amount": amount.map(Yen::value), "detail": detail})
        );
    } else {
        println!("{} — {detail}", event.to_uppercase());
    }
    Ok(code)
}

/// The sale `named` stands for in this journal: its id, or its receipt code looked up as the
/// till looks up a scanned one.
async fn named_sale(
    engine: &regi_engine::Engine,
    config: &regi_config::Config,
    other_tills: Option<&OtherTills>,
    named: &SaleRef,
) -> Result<i64, ReceiptLookupError> {
    match named {
        SaleRef::Id(id) => Ok(*id),
        SaleRef::Code(code) => {
            sale_of_receipt(
                engine.journal(),
                config.terminal.id.clone(),
                other_tills,
                code.clone(),
            )
            .await
        }
    }
}

/// Cash went back from the drawer: it is said, and the drawer opens for the clerk to hand it
/// over.
async fn cash_to_give_back(config: &regi_config::Config, sale_id: i64, amount: Yen, json: bool) {
    if json {
        println!(
            "{}",
            json!({"event": "cash_back", "sale_id": sale_id, "amount": amount.value()})
        );
    } else {
        println!("cash to give back from the drawer: {amount}");
    }
    if let regi_receipts::DrawerOutcome::Failed(detail) =
        regi_receipts::open_drawer(config, false).await
    {
        eprintln!("regi: the cash drawer did not open ({detail}); open it with its key");
    }
}

/// What a return gives back, per rate and per tender, before its final outcome.
fn print_return(sale_id: i64, returned: &ReturnDone, json: bool) {
    let record = &returned.record;
    let rates = [record.tax.standard, record.tax.reduced];
    if json {
        let lines: Vec<_> = record
            .lines
            .iter()
            .map(|l| json!({"line": l.line_no, "quantity": l.quantity}))
            .collect();
        let by_rate: Vec<_> = rates
            .iter()
            .filter(|r| r.taxable_total.is_positive())
            .map(|r| {
                json!({"rate": r.rate.percent(), "amount": r.taxable_total.value(),
                            "tax": r.tax.value()})
            })
            .collect();
        let tenders: Vec<_> = returned
            .parts
            .iter()
            .map(|p| {
                json!({"provider": p.provider, "method": p.method.as_str(),
                            "amount": p.amount.value(), "cash_back": p.cash_back})
            })
            .collect();
        println!(
            "{}",
            json!({"event": "returned", "sale_id": sale_id, "return_id": record.id,
                   "amount": record.total().value(), "lines": lines, "by_rate": by_rate,
                   "tenders": tenders})
        );
        return;
    }
    for line in &record.lines {
        println!("line {} × {}", line.line_no, line.quantity);
    }
    for rate in rates.iter().filter(|r| r.taxable_total.is_positive()) {
        println!("{} {} (tax {})", rate.rate, rate.taxable_total, rate.tax);
    }
    for part in &returned.parts {
        if part.cash_back {
            println!(
                "{} of the {} payment given back in cash from the drawer ({} refunds only whole payments)",
                part.amount, part.provider, part.provider
            );
        } else {
            println!(
                "{} back through {} ({})",
                part.amount,
                part.provider,
                part.method.as_str()
            );
        }
    }
}

/// `N` or `N*QTY`: a line number on the receipt and how many of it (1 when not said).
fn parse_line(text: &str) -> Result<ReturnedLine, String> {
    let bad = || format!("not a line: {text} (write N or N*QTY, e.g. 2 or 2*3)");
    let (line, quantity) = match text.trim().split_once(['*', 'x']) {
        Some((line, quantity)) => (line.trim(), quantity.trim().parse().map_err(|_| bad())?),
        None => (text.trim(), 1),
    };
    let line_no: i64 = line.parse().map_err(|_| bad())?;
    if line_no < 1 || quantity < 1 {
        return Err(bad());
    }
    Ok(ReturnedLine { line_no, quantity })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_written_as_its_number_and_an_optional_quantity() {
        let line = |line_no, quantity| ReturnedLine { line_no, quantity };
        assert_eq!(parse_line("2"), Ok(line(2, 1)));
        assert_eq!(parse_line("1*3"), Ok(line(1, 3)));
        assert!(parse_line("0").is_err());
        assert!(parse_line("1*0").is_err());
        assert!(parse_line("a*2").unwrap_err().contains("N*QTY"));
    }
}
