//! The tenders printed on a receipt or refund slip, from the sale's journaled attempts: each
//! payment through a provider with its transaction, cash with the yen handed over and the change,
//! and on a refund slip what each refund gave back and how.

use super::error::ReceiptError;
use regi_core::domain::{AttemptState, PaymentMethod};
use regi_journal::{AttemptRecord, RefundRecord, SaleDetail};
use regi_printer::receipt::{PaymentInfo, Tender};

use super::sale::provider_payment_label;

/// The tenders that paid the sale, in the order they were taken. A sale paid by one payment
/// through a provider prints it from the sale's own record, exactly as before sales had several
/// tenders; `money_name` (the name the provider just reported) names the last provider payment.
pub(crate) fn sale_tenders(
    detail: &SaleDetail,
    money_name: Option<&str>,
    transaction_id: String,
) -> Result<Vec<Tender>, ReceiptError> {
    let sale = &detail.sale;
    let paid: Vec<&AttemptRecord> = detail
        .attempts
        .iter()
        .filter(|a| matches!(a.state, AttemptState::Paid { .. }))
        .collect();
    let one_provider_payment = match paid.as_slice() {
        [] => true,
        [only] => only.method != PaymentMethod::Cash,
        _ => false,
    };
    if one_provider_payment {
        return Ok(vec![Tender::Provider(PaymentInfo {
            method_label: provider_payment_label(
                sale.provider.as_deref(),
                money_name.or(sale.money_name.as_deref()),
            ),
            transaction_id,
            // What was taken: a held payment captured for less paid less than the total.
            amount: sale.paid_amount().value(),
        })]);
    }
    let last_provider = paid.iter().rposition(|a| a.method != PaymentMethod::Cash);
    paid.iter()
        .enumerate()
        .map(|(at, attempt)| {
            let reported = (Some(at) == last_provider).then_some(money_name).flatten();
            attempt_tender(detail, attempt, reported)
        })
        .collect()
}

/// One paid attempt as printed. `reported` is a money name the provider just reported for it.
fn attempt_tender(
    detail: &SaleDetail,
    attempt: &AttemptRecord,
    reported: Option<&str>,
) -> Result<Tender, ReceiptError> {
    if attempt.method == PaymentMethod::Cash {
        let cash = attempt.cash.ok_or_else(|| ReceiptError::BadRecord {
            sale_id: detail.sale.id,
            why: format!("cash tender {} has no yen received", attempt.id),
        })?;
        return Ok(Tender::Cash {
            amount: cash.applied().value(),
            received: cash.received.value(),
            change: cash.change.value(),
        });
    }
    let AttemptState::Paid { transaction_id } = &attempt.state else {
        return Err(ReceiptError::BadRecord {
            sale_id: detail.sale.id,
            why: format!("attempt {} is printed as paid but is not", attempt.id),
        });
    };
    Ok(Tender::Provider(PaymentInfo {
        method_label: provider_payment_label(
            Some(&attempt.provider),
            reported.or(attempt.money_name.as_deref()),
        ),
        transaction_id: transaction_id.clone(),
        amount: attempt
            .capture_amount
            .unwrap_or(attempt.amount)
            .value()
            .abs(),
    }))
}

/// What one completed refund gave back: cash from the drawer, or the provider's refund with its
/// own transaction (else the refunded payment's). A refund whose attempt the record does not
/// hold is named from the sale, as refunds were before tenders.
pub(crate) fn refund_tender(detail: &SaleDetail, refund: &RefundRecord) -> Tender {
    let attempt = detail.attempts.iter().find(|a| a.id == refund.attempt_id);
    // Cash back for a payment refunded only whole is cash from the drawer, as a cash tender's.
    if refund.cash_back || attempt.is_some_and(|a| a.method == PaymentMethod::Cash) {
        return Tender::CashRefund {
            amount: refund.amount.value(),
        };
    }
    let (provider, money_name) = match attempt {
        Some(a) => (Some(a.provider.as_str()), a.money_name.as_deref()),
        None => (
            detail.sale.provider.as_deref(),
            detail.sale.money_name.as_deref(),
        ),
    };
    let transaction_id = refund
        .refund_transaction_id
        .clone()
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| refund.transaction_id.clone());
    Tender::Provider(PaymentInfo {
        method_label: provider_payment_label(provider, money_name),
        transaction_id,
        amount: refund.amount.value(),
    })
}

#[cfg(test)]
mod tests {
    use regi_config::Config;
    use regi_core::domain::{AmountGuard, AttemptEvent, Cart, TaxPolicy, TaxRate, Yen};
    use regi_journal::{Journal, RefundOutcome, SaleMeta};

    use crate::{all_refunds_slip, preview, refund_slip, render, sale_receipt};

    /// A journal with one sale of `total` yen (one item at the standard rate).
    fn journal_with_sale(total: i64) -> (tempfile::TempDir, Journal, i64) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).expect("journal");
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(total), TaxRate::Standard10, None)
            .expect("item");
        let sale = journal
            .create_sale(&cart.checkout().expect("checkout"), &SaleMeta::default())
            .expect("sale");
        (dir, journal, sale.sale_id)
    }

    /// A payment of `part` yen (all that remains when `None`) through `provider`, seen paid.
    fn pay(journal: &mut Journal, sale_id: i64, provider: &str, part: Option<i64>, tx: &str) {
        let attempt = journal
            .create_tender(
                sale_id,
                provider,
                regi_core::domain::PaymentMethod::MerchantQr,
                false,
                part.map(Yen),
            )
            .expect("tender");
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: tx.into(),
                },
            )
            .expect("paid");
    }

    fn receipt_text(journal: &Journal, sale_id: i64, config: &Config) -> String {
        let detail = journal.sale(sale_id).expect("detail");
        let doc = sale_receipt(&detail, config, None, false).expect("receipt");
        preview(&render(&doc, &config.printer).expect("bytes")).expect("text")
    }

    /// The printed line holding `label`, squeezed to single spaces.
    fn line<'a>(text: &'a str, label: &str) -> String {
        let found: Vec<&'a str> = text.lines().filter(|l| l.contains(label)).collect();
        assert_eq!(found.len(), 1, "{label:?} once in:\n{text}");
        found[0].split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn position(text: &str, label: &str) -> usize {
        text.find(label)
            .unwrap_or_else(|| panic!("{label:?} in:\n{text}"))
    }

    #[test]
    fn a_cash_sale_prints_the_yen_received_and_the_change_after_the_total() {
        let (_dir, mut journal, sale_id) = journal_with_sale(1_234);
        journal
            .record_cash_tender(sale_id, Yen(2_000))
            .expect("cash");
        let text = receipt_text(&journal, sale_id, &Config::default());
        assert_eq!(line(&text, "現金"), "現金 ¥1,234");
        assert_eq!(line(&text, "お預かり"), "お預かり ¥2,000");
        assert_eq!(line(&text, "お釣り"), "お釣り ¥766");
        assert!(position(&text, "合計") < position(&text, "現金"), "{text}");
        assert!(
            !text.contains("取引ID"),
            "cash has no transaction to show:\n{text}"
        );
    }

    #[test]
    fn a_sale_paid_part_in_cash_and_the_rest_by_qr_prints_both_tenders_in_order() {
        let (_dir, mut journal, sale_id) = journal_with_sale(3_000);
        journal
            .record_cash_tender(sale_id, Yen(1_000))
            .expect("cash");
        pay(&mut journal, sale_id, "pokepay", None, "tx-qr-1");
        journal
            .record_money_name(sale_id, "ポケペイマネー")
            .expect("name");
        let text = receipt_text(&journal, sale_id, &Config::default());
        assert_eq!(line(&text, "現金"), "現金 ¥1,000");
        assert_eq!(line(&text, "お預かり"), "お預かり ¥1,000");
        assert_eq!(line(&text, "お釣り"), "お釣り ¥0");
        assert_eq!(
            line(&text, "Pokepay (ポケペイマネー)"),
            "Pokepay (ポケペイマネー) ¥2,000"
        );
        assert_eq!(line(&text, "取引ID"), "取引ID tx-qr-1");
        assert!(
            position(&text, "お釣り") < position(&text, "Pokepay"),
            "{text}"
        );
    }

    #[test]
    fn a_sale_paid_by_three_tenders_lists_each_with_what_it_paid() {
        let (_dir, mut journal, sale_id) = journal_with_sale(5_000);
        pay(&mut journal, sale_id, "provider-a", Some(1_500), "pay-k");
        journal
            .record_cash_tender(sale_id, Yen(2_000))
            .expect("cash");
        pay(&mut journal, sale_id, "pokepay", None, "tx-p");
        let text = receipt_text(&journal, sale_id, &Config::default());
        assert_eq!(line(&text, "Provider-a"), "Provider-a ¥1,500");
        assert_eq!(line(&text, "現金"), "現金 ¥2,000");
        assert_eq!(line(&text, "お釣り"), "お釣り ¥0");
        assert_eq!(line(&text, "Pokepay"), "Pokepay ¥1,500");
        let ids: Vec<_> = text.lines().filter(|l| l.contains("取引ID")).collect();
        assert_eq!(ids.len(), 2, "{text}");
        assert!(
            ids[0].ends_with("pay-k") && ids[1].ends_with("tx-p"),
            "{text}"
        );
        assert!(
            position(&text, "Provider-a") < position(&text, "現金")
                && position(&text, "現金") < position(&text, "Pokepay"),
            "{text}"
        );
    }

    #[test]
    fn a_cash_receipt_on_an_english_printer_says_cash_tendered_and_change() {
        let (_dir, mut journal, sale_id) = journal_with_sale(1_234);
        journal
            .record_cash_tender(sale_id, Yen(5_000))
            .expect("cash");
        let mut config = Config::default();
        config.printer.profile = "generic".into();
        let text = receipt_text(&journal, sale_id, &config);
        assert_eq!(line(&text, "Cash tendered"), "Cash tendered ¥5,000");
        assert_eq!(line(&text, "Change"), "Change ¥3,766");
    }

    #[test]
    fn the_receipt_of_a_cash_sale_never_kicks_the_drawer_a_second_time() {
        let kicks = |bytes: &[u8]| bytes.windows(2).filter(|w| w == b"\x1bp").count();
        let mut config = Config::default();
        config.printer.drawer_kick = true;
        let (_dir, mut journal, cash_sale) = journal_with_sale(1_234);
        journal
            .record_cash_tender(cash_sale, Yen(2_000))
            .expect("cash");
        let detail = journal.sale(cash_sale).expect("detail");
        let doc = sale_receipt(&detail, &config, None, false).expect("receipt");
        assert_eq!(kicks(&render(&doc, &config.printer).expect("bytes")), 0);
        let (_dir, mut journal, qr_sale) = journal_with_sale(1_234);
        pay(&mut journal, qr_sale, "pokepay", None, "tx");
        let detail = journal.sale(qr_sale).expect("detail");
        let doc = sale_receipt(&detail, &config, None, false).expect("receipt");
        assert_eq!(kicks(&render(&doc, &config.printer).expect("bytes")), 1);
    }

    /// Sale of ¥3,000 paid ¥1,000 cash and ¥2,000 by Pokepay, then both refunded.
    fn refunded_split_sale() -> (tempfile::TempDir, Journal, i64) {
        let (dir, mut journal, sale_id) = journal_with_sale(3_000);
        journal
            .record_cash_tender(sale_id, Yen(1_000))
            .expect("cash");
        pay(&mut journal, sale_id, "pokepay", None, "tx-qr-1");
        journal
            .record_money_name(sale_id, "ポケペイマネー")
            .expect("name");
        let attempts = journal.sale(sale_id).expect("detail").attempts;
        for attempt in attempts.iter().rev() {
            let started = journal
                .begin_tender_refund(sale_id, Some(attempt.id), None, "返品")
                .expect("refund");
            if !started.settled {
                journal
                    .finish_refund(
                        started.refund_id,
                        RefundOutcome::Done {
                            refund_transaction_id: "rf-qr-1".into(),
                        },
                    )
                    .expect("done");
            }
        }
        (dir, journal, sale_id)
    }

    #[test]
    fn a_split_sale_refunded_whole_prints_one_slip_listing_every_tender_given_back() {
        let (_dir, journal, sale_id) = refunded_split_sale();
        let detail = journal.sale(sale_id).expect("detail");
        let config = Config::default();
        let doc = all_refunds_slip(&detail, &config, false).expect("slip");
        let text = preview(&render(&doc, &config.printer).expect("bytes")).expect("text");
        assert_eq!(line(&text, "返金合計"), "返金合計 ¥3,000");
        assert_eq!(
            line(&text, "Pokepay (ポケペイマネー)"),
            "Pokepay (ポケペイマネー) ¥2,000"
        );
        assert_eq!(line(&text, "取引ID"), "取引ID rf-qr-1");
        assert_eq!(line(&text, "現金返金"), "現金返金 ¥1,000");
        assert!(
            !text.contains("一部返金"),
            "the whole sale came back:\n{text}"
        );
        let ids: Vec<String> = detail.refunds.iter().map(|r| r.id.to_string()).collect();
        assert!(
            doc.receipt_number
                .ends_with(&format!("-R{}", ids.join(",")))
        );
    }

    #[test]
    fn each_tender_refunded_on_its_own_gets_a_slip_naming_how_it_went_back() {
        let (_dir, journal, sale_id) = refunded_split_sale();
        let detail = journal.sale(sale_id).expect("detail");
        let config = Config::default();
        let texts: Vec<String> = detail
            .refunds
            .iter()
            .map(|refund| {
                let doc = refund_slip(&detail, refund, &config, false).expect("slip");
                preview(&render(&doc, &config.printer).expect("bytes")).expect("text")
            })
            .collect();
        // The Pokepay payment went back first (the latest tender), then the cash.
        assert_eq!(line(&texts[0], "返金合計"), "返金合計 ¥2,000");
        assert_eq!(line(&texts[0], "取引ID"), "取引ID rf-qr-1");
        assert!(!texts[0].contains("現金返金"), "{}", texts[0]);
        assert_eq!(line(&texts[1], "現金返金"), "現金返金 ¥1,000");
        assert_eq!(line(&texts[1], "一部返金"), "一部返金 ¥1,000");
        assert!(!texts[1].contains("取引ID"), "{}", texts[1]);
    }
}
