//! `regi checkout --tender SPEC…`: one sale settled by several tenders, applied in order. Cash is
//! journaled (received, change) before the drawer opens; each electronic tender is an attempt of its
//! own for its part; the sale is paid once they sum to its total. Tenders that cannot cover the
//! total end the checkout as failed after what was taken is given back, each by its own means.

use anyhow::Context;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use super::checkout::{CheckoutArgs, Interrupts, exit, outcome_json, print_event, print_recovery};
use super::tender_spec::TenderSpec;
use regi_core::domain::{AttemptState, PaymentMethod, SaleDraft, Yen};
use regi_engine::{AttemptOutcome, Engine, EngineEvent, RefundDone, Route};
use regi_journal::{SaleDetail, SaleState};

/// Why a checkout gives back what it took.
const GIVE_BACK_REASON: &str = "checkout tenders did not cover the total";

/// How one electronic tender ended, for the loop over the tenders.
enum Step {
    Paid,
    /// Refused, cancelled or expired: nothing was taken by it.
    NotPaid,
    /// The outcome is not known yet: nothing may be concluded or given back.
    Unknown,
}

/// Rings up `draft` and pays it by the tenders of `args`; without a draft, pays the rest of
/// the partly paid sale `existing`.
pub(crate) async fn run(
    engine: &Engine,
    config: &regi_config::Config,
    draft: Option<SaleDraft>,
    existing: i64,
    args: &CheckoutArgs,
) -> anyhow::Result<u8> {
    let json = args.json;
    let report = engine.recover().await?;
    print_recovery(&report, json);
    if !report.all_resolved() {
        anyhow::bail!(
            "earlier payments could not be settled yet (their provider is unreachable); try again"
        );
    }
    let sale_id = match draft {
        Some(draft) => engine.create_sale(draft).await?.sale_id,
        None => {
            let summary = engine.journal().call(move |j| j.sale(existing)).await?.sale;
            if summary.state != SaleState::PartlyPaid {
                anyhow::bail!(
                    "sale {existing} is {}, not partly paid: there is nothing to finish",
                    summary.state.as_str()
                );
            }
            existing
        }
    };
    let mut interrupts = Interrupts::listen()?;
    for spec in &args.tender {
        let remaining = engine
            .journal()
            .call(move |j| j.remaining_to_pay(sale_id))
            .await?;
        if !remaining.is_positive() {
            warn(
                json,
                &format!("the sale is paid; tender {} is not used", spec.kind()),
            );
            continue;
        }
        let step = match spec {
            TenderSpec::Cash { received } => {
                let received = received.unwrap_or(remaining);
                let cash = engine.take_cash(sale_id, received).await?;
                emit(
                    json,
                    json!({"event": "tender", "state": "paid", "sale_id": sale_id,
                           "attempt_id": cash.attempt_id, "method": PaymentMethod::Cash,
                           "amount": cash.applied.value(), "received": cash.received.value(),
                           "change": cash.change.value(), "remaining": cash.remaining.value()}),
                    &format!(
                        "CASH received {} — applied {}, change {}, remaining {}",
                        cash.received, cash.applied, cash.change, cash.remaining
                    ),
                );
                open_drawer(config, json).await;
                Step::Paid
            }
            electronic => {
                electronic_tender(engine, args, sale_id, electronic, &mut interrupts).await?
            }
        };
        match step {
            Step::Paid => {}
            Step::Unknown => return Ok(exit::UNKNOWN),
            Step::NotPaid => break,
        }
    }
    let detail = engine.journal().call(move |j| j.sale(sale_id)).await?;
    if detail.sale.state == SaleState::Paid {
        emit(json, settled_json("paid", &detail), &paid_text(&detail));
        if args.print {
            print_receipt(engine, config, sale_id).await;
        }
        return Ok(exit::PAID);
    }
    give_back(engine, config, &detail, json).await
}

/// Runs one QR, code or tab tender to its end, printing its events; Ctrl-C cancels a QR.
async fn electronic_tender(
    engine: &Engine,
    args: &CheckoutArgs,
    sale_id: i64,
    spec: &TenderSpec,
    interrupts: &mut Interrupts,
) -> anyhow::Result<Step> {
    let json = args.json;
    let (events_tx, mut events_rx) = mpsc::unbounded_channel();
    let (cancel_tx, cancel_rx) = watch::channel(false);
    let route = |provider: &Option<String>, part: Option<Yen>| Route {
        provider: provider.clone().or_else(|| args.provider.clone()),
        wallet: args.wallet.clone(),
        hold: false,
        part,
    };
    let tab_id = match spec {
        TenderSpec::Tab { label, .. } => {
            let wanted = label.clone();
            let tab = engine
                .journal()
                .call(move |j| j.tab_by_label(&wanted))
                .await?
                .with_context(|| format!("no tab is labelled {label:?}"))?;
            Some(tab.id)
        }
        _ => None,
    };
    let flow = async {
        let events_tx = events_tx;
        match spec {
            TenderSpec::Qr { provider, part } => {
                engine
                    .pay_by_qr_routed(&route(provider, *part), sale_id, cancel_rx, &events_tx)
                    .await
            }
            TenderSpec::Code {
                token,
                provider,
                part,
            } => {
                engine
                    .pay_by_code_routed(&route(provider, *part), sale_id, token, &events_tx)
                    .await
            }
            TenderSpec::Tab { part, .. } => {
                engine
                    .charge_tab_part(sale_id, tab_id.unwrap_or_default(), *part, &events_tx)
                    .await
            }
            TenderSpec::Cash { .. } => unreachable!("cash is taken without a provider"),
        }
    };
    tokio::pin!(flow);
    let is_qr = matches!(spec, TenderSpec::Qr { .. });
    let result = loop {
        tokio::select! {
            biased;
            Some(event) = events_rx.recv() => {
                if let EngineEvent::Finished(_) = event {
                    continue;
                }
                print_event(&event, json);
                if let EngineEvent::Unrecorded { .. } = event {
                    return Ok(Step::Unknown);
                }
            }
            outcome = &mut flow => break outcome,
            () = interrupts.next() => {
                if is_qr {
                    eprintln!("regi: cancelling the QR (a payment made a moment ago still counts)");
                    let _ = cancel_tx.send(true);
                } else {
                    eprintln!("regi: the charge is already on its way; waiting for its outcome");
                }
            }
        }
    };
    while let Ok(event) = events_rx.try_recv() {
        if !matches!(event, EngineEvent::Finished(_)) {
            print_event(&event, json);
        }
    }
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(regi_engine::EngineError::Unrecorded {
            attempt_id,
            journal_error,
        }) => {
            print_event(
                &EngineEvent::Unrecorded {
                    attempt_id,
                    disk_full: journal_error.is_disk_full(),
                    reason: journal_error.to_string(),
                },
                json,
            );
            return Ok(Step::Unknown);
        }
        Err(error) => return Err(error.into()),
    };
    print_tender_outcome(&outcome, spec, json);
    Ok(if outcome.is_paid() {
        Step::Paid
    } else if outcome.is_unknown() {
        Step::Unknown
    } else {
        Step::NotPaid
    })
}

/// An electronic tender's end as a `tender` event (its `state` says how it ended).
fn print_tender_outcome(outcome: &AttemptOutcome, spec: &TenderSpec, json: bool) {
    let mut line = outcome_json(outcome);
    line["state"] = line["event"].clone();
    line["event"] = json!("tender");
    line["tender"] = json!(spec.kind());
    let text = match (&outcome.paid, &outcome.refusal) {
        (Some(paid), _) => format!(
            "{} {} — transaction {}",
            spec.kind().to_uppercase(),
            Yen(paid.amount),
            paid.transaction_id
        ),
        (None, Some(refusal)) => format!(
            "{} FAILED — {} ({})",
            spec.kind().to_uppercase(),
            refusal.message_en,
            refusal.error_type
        ),
        _ => format!(
            "{} {}",
            spec.kind().to_uppercase(),
            outcome.kind().to_uppercase()
        ),
    };
    emit(json, line, &text);
}

/// The tenders could not cover the total: what they took is given back, each by its own means,
/// and the checkout fails. What could not be given back is reported with the sale to finish.
async fn give_back(
    engine: &Engine,
    config: &regi_config::Config,
    detail: &SaleDetail,
    json: bool,
) -> anyhow::Result<u8> {
    let sale_id = detail.sale.id;
    let taken = detail.sale.tendered;
    if !taken.is_positive() {
        emit(
            json,
            settled_json("failed", detail),
            &format!(
                "FAILED — nothing was taken; {} remains to pay",
                detail.sale.remaining()
            ),
        );
        return Ok(exit::FAILED);
    }
    let cash_taken = detail
        .attempts
        .iter()
        .any(|a| a.method == PaymentMethod::Cash && matches!(a.state, AttemptState::Paid { .. }));
    let done = engine.refund_of(sale_id, None, GIVE_BACK_REASON).await;
    let after = engine.journal().call(move |j| j.sale(sale_id)).await?;
    if cash_taken {
        open_drawer(config, json).await;
    }
    let given_back = match &done {
        Ok(RefundDone::Refunded { .. }) => "given_back",
        Ok(RefundDone::Unknown) => "give_back_unknown",
        Ok(RefundDone::Refused(_)) | Err(_) => "give_back_refused",
    };
    let mut line = settled_json("failed", &after);
    line["reason"] = json!("tenders_short");
    line["given_back"] = json!(given_back);
    line["refunded"] = json!(after.sale.refunded.value());
    if let Err(error) = &done {
        line["message"] = json!(format!("{error:#}"));
    }
    if let Ok(RefundDone::Refused(refusal)) = &done {
        line["message"] = json!(refusal.message_en);
    }
    emit(
        json,
        line,
        &format!(
            "FAILED — the tenders did not cover {}; {} taken, {} given back ({given_back}){}",
            detail.sale.total,
            taken,
            after.sale.refunded,
            if given_back == "given_back" {
                String::new()
            } else {
                format!("; finish sale {sale_id} from the till's history")
            }
        ),
    );
    Ok(match done {
        Ok(RefundDone::Unknown) => exit::UNKNOWN,
        _ => exit::FAILED,
    })
}

/// The sale with every tender: what each paid, cash received and change, and the change in all.
fn settled_json(event: &str, detail: &SaleDetail) -> Value {
    let tenders: Vec<Value> = detail
        .attempts
        .iter()
        .filter(|a| matches!(a.state, AttemptState::Paid { .. }))
        .map(|a| {
            json!({"attempt_id": a.id, "method": a.method, "provider": a.provider,
                   "amount": a.amount.value().abs(), "transaction_id": a.state.transaction_id(),
                   "received": a.cash.map(|c| c.received.value()),
                   "change": a.cash.map(|c| c.change.value())})
        })
        .collect();
    json!({"event": event, "sale_id": detail.sale.id, "receipt_no": detail.sale.receipt_no,
           "total": detail.sale.total.value(), "tendered": detail.sale.tendered.value(),
           "remaining": detail.sale.remaining().value(), "change": change_of(detail).value(),
           "tenders": tenders})
}

fn change_of(detail: &SaleDetail) -> Yen {
    Yen(detail
        .attempts
        .iter()
        .filter(|a| matches!(a.state, AttemptState::Paid { .. }))
        .filter_map(|a| a.cash.map(|c| c.change.value()))
        .sum())
}

fn paid_text(detail: &SaleDetail) -> String {
    format!(
        "PAID {} — sale {} in {} tender(s); change {}",
        detail.sale.total,
        detail.sale.id,
        detail
            .attempts
            .iter()
            .filter(|a| matches!(a.state, AttemptState::Paid { .. }))
            .count(),
        change_of(detail)
    )
}

/// Opens the drawer for cash just journaled; one that does not open is said, never undoes it.
async fn open_drawer(config: &regi_config::Config, json: bool) {
    match regi_receipts::open_drawer(config, false).await {
        regi_receipts::DrawerOutcome::Opened => emit(
            json,
            json!({"event": "drawer", "state": "opened"}),
            "drawer opened",
        ),
        regi_receipts::DrawerOutcome::NotSent => {}
        regi_receipts::DrawerOutcome::Failed(detail) => warn(
            json,
            &format!("the cash drawer did not open ({detail}); open it with its key"),
        ),
    }
}

async fn print_receipt(engine: &Engine, config: &regi_config::Config, sale_id: i64) {
    let report = regi_receipts::print_sale(engine.journal(), config, sale_id, None).await;
    if !matches!(report.outcome, regi_receipts::PrintOutcome::Printed) {
        eprintln!(
            "regi: the receipt did not print: {}",
            report.message(config.ui.lang)
        );
    }
}

fn emit(json: bool, line: Value, text: &str) {
    if json {
        println!("{line}");
    } else {
        println!("{text}");
    }
}

fn warn(json: bool, message: &str) {
    if json {
        println!("{}", json!({"event": "warning", "message": message}));
    }
    eprintln!("regi: {message}");
}
