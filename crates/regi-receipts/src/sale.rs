//! Sale receipts (適格簡易請求書) and refund slips (返品) from a sale's journal record.

use chrono::{DateTime, Utc};

use super::code::receipt_code;
use super::error::ReceiptError;
use super::header::{store_header, terminal_info};
use super::tenders::{refund_tender, sale_tenders};
use regi_config::Config;
use regi_core::domain::Yen;
use regi_core::domain::{RateSummary as TaxRateSummary, SaleKind, TaxRate};
use regi_journal::{RefundRecord, RefundState, SaleDetail, SaleState, parse_timestamp};
use regi_printer::receipt::{
    RateSummary, ReceiptDoc, ReceiptKind, ReceiptLine, ReportRow, Tender, TerminalInfo,
};
use regi_scanner::ReceiptCode;

/// The receipt of a paid (or since refunded) sale. `money_name` is the provider's name for the
/// money paid with; without it the journal's recorded name is used, else just "Pokepay".
pub fn sale_receipt(
    detail: &SaleDetail,
    config: &Config,
    money_name: Option<&str>,
    reprint: bool,
) -> Result<ReceiptDoc, ReceiptError> {
    let sale = &detail.sale;
    if !matches!(sale.state, SaleState::Paid | SaleState::Refunded) {
        return Err(ReceiptError::NotPaid {
            sale_id: sale.id,
            state: sale.state.as_str(),
        });
    }
    let transaction_id = sale.transaction_id.clone().ok_or(ReceiptError::BadRecord {
        sale_id: sale.id,
        why: "it is marked paid but no payment carries a transaction id".into(),
    })?;
    let issued_at = timestamp(sale.id, &sale.created_at)?;
    // A top-up sells no goods: a plain 領収書, never a qualified simplified invoice.
    let kind = match sale.kind {
        SaleKind::Payment => ReceiptKind::Sale,
        SaleKind::Topup => ReceiptKind::Topup,
    };
    let mut doc = document(detail, config, kind, issued_at, reprint)?;
    doc.receipt_number = receipt_number(sale.receipt_no);
    if sale.released.is_positive() && sale.kind == SaleKind::Payment {
        // A held payment captured for less: the receipt is for what was taken, the reduction
        // shown as its own line and apportioned across the rates for their tax.
        doc.lines.push(ReceiptLine {
            name: RELEASED_LINE.to_owned(),
            quantity: 1,
            unit_price: -sale.released.value(),
            amount: -sale.released.value(),
            reduced_rate: false,
        });
        let paid = sale
            .tax
            .apportioned(sale.paid_amount(), config.sale.tax_policy().rounding);
        doc.rate_summaries =
            rate_summaries(sale.prices_include_tax, &[paid.standard, paid.reduced]);
        doc.total = sale.paid_amount().value();
    }
    doc.tenders = sale_tenders(detail, money_name, transaction_id)?;
    doc.report_rows = refund_marks(detail);
    Ok(doc)
}

/// Under a sale's receipt reprinted after refunds: each line returned and each refund done.
fn refund_marks(detail: &SaleDetail) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    for returned in detail.returned_lines() {
        let name = detail
            .lines
            .iter()
            .find(|l| l.line_no == returned.line_no)
            .map_or("", |l| l.name.as_str());
        rows.push(ReportRow::new(
            format!("{RETURNED_MARK} {}. {name}", returned.line_no),
            format!("x {}", returned.quantity),
        ));
    }
    for refund in detail
        .refunds
        .iter()
        .filter(|r| r.state == RefundState::Done)
    {
        let how = match refund_tender(detail, refund) {
            Tender::CashRefund { .. } => format!(" {CASH_MARK}"),
            _ => String::new(),
        };
        rows.push(ReportRow::yen(
            format!("{REFUNDED_MARK} R{}{how}", refund.id),
            -refund.amount.value(),
        ));
    }
    rows
}

/// The mark of a line given back, under a reprinted sale and on a return's slip.
pub const RETURNED_MARK: &str = "返品";
/// The mark of a refund done, under a reprinted sale.
pub const REFUNDED_MARK: &str = "返金済";
/// A refund given back in cash from the drawer.
const CASH_MARK: &str = "現金";
/// The line of a return's slip for the discount the returned goods bore.
pub const RETURN_DISCOUNT_LINE: &str = "値引按分";

/// The one line of a slip that gives back part of a payment.
pub const PARTIAL_REFUND_LINE: &str = "一部返金";

/// The line of a receipt whose held payment was captured for less than the goods rung up.
pub const RELEASED_LINE: &str = "お渡し時減額";

/// The slip of one of the sale's completed refunds, dated when the refund went through and
/// naming the original sale's date. A refund of a return of lines given back by several tenders
/// is on one slip with the others of its return.
pub fn refund_slip(
    detail: &SaleDetail,
    refund: &RefundRecord,
    config: &Config,
    reprint: bool,
) -> Result<ReceiptDoc, ReceiptError> {
    let Some(return_id) = refund.return_id else {
        return refunds_document(detail, &[refund], config, reprint);
    };
    let of_return: Vec<&RefundRecord> = detail
        .refunds
        .iter()
        .filter(|r| r.return_id == Some(return_id) && r.state == RefundState::Done)
        .collect();
    refunds_document(detail, &of_return, config, reprint)
}

/// One slip for every completed refund of the sale, each tender given back on its own line: a
/// sale refunded whole across its tenders (cash from the drawer, the rest through providers).
pub fn all_refunds_slip(
    detail: &SaleDetail,
    config: &Config,
    reprint: bool,
) -> Result<ReceiptDoc, ReceiptError> {
    let done: Vec<&RefundRecord> = detail
        .refunds
        .iter()
        .filter(|r| r.state == RefundState::Done)
        .collect();
    refunds_document(detail, &done, config, reprint)
}

/// The sale's latest completed refund, if it has one.
pub fn completed_refund(detail: &SaleDetail) -> Option<&RefundRecord> {
    detail
        .refunds
        .iter()
        .rev()
        .find(|r| r.state == RefundState::Done)
}

/// A refund slip for `refunds` (completed refunds of the sale, oldest first), dated when the
/// last went through; numbered after the sale's receipt and the refunds.
fn refunds_document(
    detail: &SaleDetail,
    refunds: &[&RefundRecord],
    config: &Config,
    reprint: bool,
) -> Result<ReceiptDoc, ReceiptError> {
    let sale = &detail.sale;
    let Some(last) = refunds.last() else {
        return Err(ReceiptError::NoRefund { sale_id: sale.id });
    };
    if refunds
        .iter()
        .any(|r| r.sale_id != sale.id || r.state != RefundState::Done)
    {
        return Err(ReceiptError::NoRefund { sale_id: sale.id });
    }
    let original_issued_at = timestamp(sale.id, &sale.created_at)?;
    let issued_at = timestamp(sale.id, &last.updated_at)?;
    // Giving a top-up back cancels the charge; it returns no goods.
    let kind = match sale.kind {
        SaleKind::Payment => ReceiptKind::Refund { original_issued_at },
        SaleKind::Topup => ReceiptKind::TopupCancel { original_issued_at },
    };
    let mut doc = document(detail, config, kind, issued_at, reprint)?;
    let ids: Vec<String> = refunds.iter().map(|r| r.id.to_string()).collect();
    doc.receipt_number = format!("{}-R{}", receipt_number(sale.receipt_no), ids.join(","));
    let amount = Yen(refunds.iter().map(|r| r.amount.value()).sum());
    doc.total = amount.value();
    if let Some((lines, rates)) = returned_goods(detail, refunds, amount, config) {
        // A return of lines: the goods given back, the discount they bore, each rate's part.
        doc.lines = lines;
        doc.rate_summaries = rate_summaries(sale.prices_include_tax, &rates);
    } else if amount < sale.paid_amount() && sale.kind == SaleKind::Payment {
        // A part of the payment given back: one line for it, its tax apportioned across the
        // sale's rates (the goods listed would claim more than was refunded).
        doc.lines = vec![ReceiptLine {
            name: PARTIAL_REFUND_LINE.to_owned(),
            quantity: 1,
            unit_price: amount.value(),
            amount: amount.value(),
            reduced_rate: false,
        }];
        // What the sale has left at each rate after its returned lines went back.
        let part =
            left_after_returns(detail).apportioned(amount, config.sale.tax_policy().rounding);
        doc.rate_summaries =
            rate_summaries(sale.prices_include_tax, &[part.standard, part.reduced]);
    }
    doc.tenders = refunds.iter().map(|r| refund_tender(detail, r)).collect();
    Ok(doc)
}

/// The lines and rates of a slip whose refunds all give back returns of lines: each returned
/// line at its price, the share of the discount it bore, and each rate's part (of what these
/// refunds gave back, where they are a part of their returns).
fn returned_goods(
    detail: &SaleDetail,
    refunds: &[&RefundRecord],
    amount: Yen,
    config: &Config,
) -> Option<(Vec<ReceiptLine>, [TaxRateSummary; 2])> {
    let mut return_ids: Vec<i64> = refunds.iter().map(|r| r.return_id).collect::<Option<_>>()?;
    return_ids.dedup();
    let returns: Vec<_> = detail
        .returns
        .iter()
        .filter(|r| return_ids.contains(&r.id))
        .collect();
    if returns.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    for returned in returns.iter().flat_map(|r| &r.lines) {
        let sold = detail
            .lines
            .iter()
            .find(|l| l.line_no == returned.line_no)?;
        let quantity = u32::try_from(returned.quantity).ok()?;
        let part = sold.amount.value() * returned.quantity / sold.quantity.max(1);
        lines.push(ReceiptLine {
            name: format!("{RETURNED_MARK} {}. {}", sold.line_no, sold.name),
            quantity,
            unit_price: sold.unit_price.value(),
            amount: part,
            reduced_rate: sold.tax_rate == TaxRate::Reduced8,
        });
    }
    let sum = |rate: fn(&regi_core::records::ReturnRecord) -> TaxRateSummary| TaxRateSummary {
        rate: rate(returns[0]).rate,
        taxable_total: Yen(returns.iter().map(|r| rate(r).taxable_total.value()).sum()),
        tax: Yen(returns.iter().map(|r| rate(r).tax.value()).sum()),
    };
    let whole = regi_core::domain::TaxSummary {
        standard: sum(|r| r.tax.standard),
        reduced: sum(|r| r.tax.reduced),
    };
    let goods: i64 = lines.iter().map(|l| l.amount).sum();
    let returned_total = whole.standard.taxable_total.value() + whole.reduced.taxable_total.value();
    if detail.sale.prices_include_tax && goods > returned_total {
        lines.push(ReceiptLine {
            name: RETURN_DISCOUNT_LINE.to_owned(),
            quantity: 1,
            unit_price: returned_total - goods,
            amount: returned_total - goods,
            reduced_rate: false,
        });
    }
    let part = whole.apportioned(amount, config.sale.tax_policy().rounding);
    Some((lines, [part.standard, part.reduced]))
}

/// The sale's rates less what its returns (those given back) took from each.
fn left_after_returns(detail: &SaleDetail) -> regi_core::domain::TaxSummary {
    let mut left = detail.sale.tax;
    let counted = detail.returns.iter().filter(|ret| {
        detail
            .refunds
            .iter()
            .any(|r| r.return_id == Some(ret.id) && r.state == RefundState::Done)
    });
    for ret in counted {
        for (rate, back) in [
            (&mut left.standard, ret.tax.standard),
            (&mut left.reduced, ret.tax.reduced),
        ] {
            rate.taxable_total = Yen(rate.taxable_total.value() - back.taxable_total.value());
            rate.tax = Yen(rate.tax.value() - back.tax.value());
        }
    }
    left
}

/// `Pokepay (ポケペイマネー)`, or `Pokepay` when the money's name is not known.
pub fn payment_label(money_name: Option<&str>) -> String {
    provider_payment_label(None, money_name)
}

/// The provider that took the payment, as journaled (`wallet` → `Wallet`), with the money or
/// wallet paid with: `Wallet (PayPay)`. Sales journaled before providers were named were all
/// Pokepay's.
pub fn provider_payment_label(provider: Option<&str>, money_name: Option<&str>) -> String {
    let provider = provider.map(str::trim).filter(|p| !p.is_empty());
    let mut label: String = match provider {
        Some(p) => {
            let mut chars = p.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => "Pokepay".to_owned(),
    };
    if let Some(name) = money_name.map(str::trim).filter(|n| !n.is_empty()) {
        label = format!("{label} ({name})");
    }
    label
}

fn receipt_number(receipt_no: i64) -> String {
    format!("{receipt_no:06}")
}

fn timestamp(sale_id: i64, text: &str) -> Result<DateTime<Utc>, ReceiptError> {
    parse_timestamp(text).map_err(|e| ReceiptError::BadRecord {
        sale_id,
        why: e.to_string(),
    })
}

/// What sale receipts and refund slips share: header, lines, per-rate totals, code and marks.
fn document(
    detail: &SaleDetail,
    config: &Config,
    kind: ReceiptKind,
    issued_at: DateTime<Utc>,
    reprint: bool,
) -> Result<ReceiptDoc, ReceiptError> {
    let sale = &detail.sale;
    let (lines, rate_summaries) = match sale.kind {
        SaleKind::Payment => (
            receipt_lines(detail)?,
            rate_summaries(
                sale.prices_include_tax,
                &[sale.tax.standard, sale.tax.reduced],
            ),
        ),
        // Loading money is not a sale of goods: one line, no consumption tax.
        SaleKind::Topup => (
            vec![ReceiptLine {
                name: "チャージ".to_owned(),
                quantity: 1,
                unit_price: sale.total.value(),
                amount: sale.total.value(),
                reduced_rate: false,
            }],
            Vec::new(),
        ),
    };
    Ok(ReceiptDoc {
        store: store_header(config),
        terminal: match &sale.origin {
            // A sale of another till returned here: its receipt is that till's.
            Some(origin) => TerminalInfo {
                staff: sale.staff.clone(),
                id: origin.terminal_id.clone(),
                ..terminal_info(config, &sale.terminal)
            },
            None => TerminalInfo {
                staff: sale.staff.clone(),
                ..terminal_info(config, &sale.terminal)
            },
        },
        receipt_number: receipt_number(sale.receipt_no),
        issued_at,
        kind,
        training: sale.training,
        reprint,
        lines,
        tax_included: sale.prices_include_tax,
        rate_summaries,
        total: sale.total.value(),
        tenders: Vec::new(),
        receipt_code: Some(match &sale.origin {
            Some(origin) => {
                ReceiptCode::format(&origin.terminal_id, sale.receipt_no.unsigned_abs())
            }
            None => receipt_code(config, sale.receipt_no),
        }),
        report_rows: Vec::new(),
    })
}

fn receipt_lines(detail: &SaleDetail) -> Result<Vec<ReceiptLine>, ReceiptError> {
    detail
        .lines
        .iter()
        .map(|line| {
            let quantity = u32::try_from(line.quantity).map_err(|_| ReceiptError::BadRecord {
                sale_id: detail.sale.id,
                why: format!("line {} has quantity {}", line.line_no, line.quantity),
            })?;
            Ok(ReceiptLine {
                name: line.name.clone(),
                quantity,
                unit_price: line.unit_price.value(),
                amount: line.amount.value(),
                reduced_rate: line.tax_rate == TaxRate::Reduced8,
            })
        })
        .collect()
}

/// Standard rate first, then reduced; rates without goods are left out. The journal keeps each
/// rate's total with tax; on a tax-added (外税) receipt the rate's goods are shown before tax.
fn rate_summaries(prices_include_tax: bool, rates: &[TaxRateSummary]) -> Vec<RateSummary> {
    rates
        .iter()
        .filter(|r| r.taxable_total.value() != 0)
        .map(|r| RateSummary {
            rate_percent: u8::try_from(r.rate.percent()).unwrap_or(u8::MAX),
            taxable_total: if prices_include_tax {
                r.taxable_total.value()
            } else {
                r.taxable_total.value().saturating_sub(r.tax.value())
            },
            tax: r.tax.value(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::domain::{PaymentMethod, TaxSummary};
    use regi_journal::{LineRecord, SaleSummary};
    use regi_printer::receipt::{PaymentInfo, Tender};

    /// The one payment through a provider the document lists.
    fn only_payment(doc: &ReceiptDoc) -> &PaymentInfo {
        match &doc.tenders[..] {
            [Tender::Provider(payment)] => payment,
            other => panic!("expected one provider payment, got {other:?}"),
        }
    }

    fn summary(state: SaleState) -> SaleSummary {
        SaleSummary {
            id: 5,
            receipt_no: 12,
            business_day_id: 1,
            kind: SaleKind::Payment,
            state,
            total: Yen(1_180),
            tax: TaxSummary {
                standard: TaxRateSummary {
                    rate: TaxRate::Standard10,
                    taxable_total: Yen(1_100),
                    tax: Yen(100),
                },
                reduced: TaxRateSummary {
                    rate: TaxRate::Reduced8,
                    taxable_total: Yen(80),
                    tax: Yen(5),
                },
            },
            method: Some(PaymentMethod::MerchantQr),
            transaction_id: Some("tx-1".into()),
            training: false,
            terminal: "レジ2".into(),
            created_at: "2025-01-15T05:32:00.000Z".into(),
            prices_include_tax: true,
            money_name: Some("ポケペイマネー".into()),
            released: Yen(0),
            refunded: Yen(0),
            tendered: Yen(1_180),
            staff: None,
            origin: None,
            provider: None,
        }
    }

    fn detail(state: SaleState) -> SaleDetail {
        let line = |line_no, name: &str, price, quantity, tax_rate| LineRecord {
            line_no,
            jan: None,
            name: name.into(),
            unit_price: Yen(price),
            quantity,
            tax_rate,
            amount: Yen(price * quantity),
        };
        SaleDetail {
            sale: summary(state),
            lines: vec![
                line(1, "弁当", 550, 2, TaxRate::Standard10),
                line(2, "お茶", 80, 1, TaxRate::Reduced8),
            ],
            attempts: Vec::new(),
            refunds: Vec::new(),
            events: Vec::new(),
            returns: Vec::new(),
        }
    }

    #[test]
    fn a_held_payment_captured_for_less_prints_what_was_taken_with_its_tax() {
        let mut detail = detail(SaleState::Paid);
        detail.sale.released = Yen(180);
        detail.sale.provider = Some("wallet".into());
        detail.sale.money_name = Some("PayPay".into());
        let doc = sale_receipt(&detail, &Config::default(), None, false).unwrap();
        assert_eq!(doc.total, 1_000);
        let last = doc.lines.last().unwrap();
        assert_eq!((last.name.as_str(), last.amount), (RELEASED_LINE, -180));
        assert_eq!(doc.lines.iter().map(|l| l.amount).sum::<i64>(), 1_000);
        let rates: Vec<_> = doc
            .rate_summaries
            .iter()
            .map(|r| (r.rate_percent, r.taxable_total))
            .collect();
        // ¥1,100 and ¥80 of ¥1,180 paid as ¥1,000: 932 + 67, the yen left over to the larger.
        assert_eq!(rates, [(10, 933), (8, 67)]);
        let payment = only_payment(&doc);
        assert_eq!(payment.amount, 1_000);
        assert_eq!(payment.method_label, "Wallet (PayPay)");
    }

    #[test]
    fn a_partial_refund_slip_lists_the_part_given_back_with_its_apportioned_tax() {
        let mut detail = detail(SaleState::Paid);
        detail.refunds.push(RefundRecord {
            id: 3,
            sale_id: 5,
            attempt_id: 1,
            transaction_id: "tx-1".into(),
            request_id: "r".into(),
            amount: Yen(590),
            reason: "one back".into(),
            state: RefundState::Done,
            error_type: None,
            error_message: None,
            refund_transaction_id: Some("rf-3".into()),
            created_at: "2025-01-15T06:00:00.000Z".into(),
            updated_at: "2025-01-15T06:00:00.000Z".into(),
            cash_back: false,
            return_id: None,
        });
        let refund = detail.refunds[0].clone();
        let doc = refund_slip(&detail, &refund, &Config::default(), false).unwrap();
        assert_eq!(doc.total, 590);
        assert_eq!(doc.lines.len(), 1);
        assert_eq!(
            (doc.lines[0].name.as_str(), doc.lines[0].amount),
            (PARTIAL_REFUND_LINE, 590)
        );
        let taxable: i64 = doc.rate_summaries.iter().map(|r| r.taxable_total).sum();
        assert_eq!(taxable, 590);
    }

    #[test]
    fn a_sale_of_another_till_returned_here_keeps_that_tills_receipt_code() {
        let mut config = Config::default();
        config.terminal.id = "02".into();
        let mut copy = detail(SaleState::Paid);
        copy.sale.origin = Some(regi_core::records::SaleOrigin {
            terminal_id: "01".into(),
            sale_id: 40,
        });
        let doc = sale_receipt(&copy, &config, None, false).expect("doc");
        assert_eq!(
            doc.receipt_code.as_deref(),
            Some(ReceiptCode::format("01", copy.sale.receipt_no.unsigned_abs()).as_str())
        );
        assert_eq!(doc.terminal.id, "01");
    }

    #[test]
    fn paid_sale_maps_every_item() {
        let mut config = Config::default();
        config.terminal.id = "07".into();
        let doc = sale_receipt(&detail(SaleState::Paid), &config, None, false).expect("doc");
        assert_eq!(doc.receipt_number, "000012");
        assert_eq!(doc.terminal.name, "レジ2");
        assert_eq!(doc.receipt_code.as_deref(), Some("RGI-07-12"));
        assert_eq!(doc.lines.len(), 2);
        assert!(doc.lines[1].reduced_rate && !doc.lines[0].reduced_rate);
        assert_eq!(doc.lines[0].quantity, 2);
        let rates: Vec<_> = doc
            .rate_summaries
            .iter()
            .map(|r| (r.rate_percent, r.taxable_total, r.tax))
            .collect();
        assert_eq!(rates, [(10, 1_100, 100), (8, 80, 5)]);
        let payment = only_payment(&doc);
        assert_eq!(payment.method_label, "Pokepay (ポケペイマネー)");
        assert_eq!(payment.transaction_id, "tx-1");
        assert!(!doc.reprint && !doc.training);
    }

    #[test]
    fn money_name_argument_wins_and_falls_back_to_pokepay() {
        let mut d = detail(SaleState::Paid);
        let doc = sale_receipt(&d, &Config::default(), Some("ポイント"), true).expect("doc");
        assert_eq!(
            Some(only_payment(&doc).method_label.as_str()),
            Some("Pokepay (ポイント)")
        );
        assert!(doc.reprint);
        d.sale.money_name = None;
        let doc = sale_receipt(&d, &Config::default(), None, false).expect("doc");
        assert_eq!(
            Some(only_payment(&doc).method_label.as_str()),
            Some("Pokepay")
        );
    }

    #[test]
    fn only_paid_or_refunded_sales_have_receipts() {
        for state in [
            SaleState::Open,
            SaleState::Pending,
            SaleState::Unknown,
            SaleState::Failed,
            SaleState::Expired,
            SaleState::Cancelled,
        ] {
            let err = sale_receipt(&detail(state), &Config::default(), None, false)
                .expect_err("no receipt");
            assert!(err.to_string().contains(state.as_str()), "{err}");
        }
        assert!(
            sale_receipt(
                &detail(SaleState::Refunded),
                &Config::default(),
                None,
                false
            )
            .is_ok()
        );
    }

    #[test]
    fn tax_added_receipts_show_goods_before_tax() {
        let mut d = detail(SaleState::Paid);
        d.sale.prices_include_tax = false;
        let doc = sale_receipt(&d, &Config::default(), None, false).expect("doc");
        assert!(!doc.tax_included);
        assert_eq!(doc.rate_summaries[0].taxable_total, 1_000);
        assert_eq!(doc.rate_summaries[1].taxable_total, 75);
    }

    #[test]
    fn garbage_records_are_errors_not_panics() {
        let mut d = detail(SaleState::Paid);
        d.lines[0].quantity = -1;
        assert!(matches!(
            sale_receipt(&d, &Config::default(), None, false),
            Err(ReceiptError::BadRecord { .. })
        ));
        let mut d = detail(SaleState::Paid);
        d.sale.created_at = "yesterday".into();
        assert!(sale_receipt(&d, &Config::default(), None, false).is_err());
        let mut d = detail(SaleState::Paid);
        d.sale.transaction_id = None;
        assert!(sale_receipt(&d, &Config::default(), None, false).is_err());
    }

    #[test]
    fn refund_slip_needs_a_completed_refund_and_names_the_original_date() {
        let mut d = detail(SaleState::Refunded);
        let mut refund = RefundRecord {
            id: 3,
            sale_id: 5,
            attempt_id: 1,
            transaction_id: "tx-1".into(),
            request_id: "req".into(),
            amount: Yen(1_180),
            reason: "返品".into(),
            state: RefundState::Failed,
            error_type: None,
            error_message: None,
            refund_transaction_id: Some("tx-r".into()),
            created_at: "2025-01-16T01:00:00.000Z".into(),
            updated_at: "2025-01-16T01:00:01.000Z".into(),
            cash_back: false,
            return_id: None,
        };
        assert!(refund_slip(&d, &refund, &Config::default(), false).is_err());
        refund.state = RefundState::Done;
        d.refunds.push(refund.clone());
        assert_eq!(completed_refund(&d), Some(&refund));
        let doc = refund_slip(&d, &refund, &Config::default(), false).expect("slip");
        assert_eq!(
            doc.kind,
            ReceiptKind::Refund {
                original_issued_at: parse_timestamp("2025-01-15T05:32:00.000Z").expect("time")
            }
        );
        assert_eq!(doc.receipt_number, "000012-R3");
        assert_eq!(
            Some(only_payment(&doc).transaction_id.as_str()),
            Some("tx-r")
        );
    }

    #[test]
    fn topup_receipt_has_one_untaxed_line() {
        let mut d = detail(SaleState::Paid);
        d.sale.kind = SaleKind::Topup;
        d.sale.tax = TaxSummary::default();
        d.lines.clear();
        let doc = sale_receipt(&d, &Config::default(), None, false).expect("doc");
        assert_eq!(doc.lines.len(), 1);
        assert_eq!(doc.lines[0].amount, 1_180);
        assert!(doc.rate_summaries.is_empty());
    }

    fn printed(doc: &ReceiptDoc) -> String {
        let profile = regi_printer::profile::Profile::by_name("tm-t20iii").expect("profile");
        let bytes =
            regi_printer::receipt_bytes(doc, profile, &regi_printer::PrinterSettings::default())
                .expect("bytes");
        regi_printer::preview_text(&bytes).expect("text")
    }

    #[test]
    fn a_topup_receipt_is_a_plain_receipt_not_a_qualified_invoice() {
        let mut d = detail(SaleState::Paid);
        d.sale.kind = SaleKind::Topup;
        d.sale.tax = TaxSummary::default();
        d.lines.clear();
        let doc = sale_receipt(&d, &Config::default(), None, false).expect("doc");
        assert_eq!(doc.kind, ReceiptKind::Topup);
        let text = printed(&doc);
        assert!(
            text.contains("領収書") && text.contains("チャージ控え"),
            "{text}"
        );
        assert!(!text.contains("適格簡易請求書"), "{text}");
    }

    #[test]
    fn a_refunded_topup_prints_a_charge_cancellation() {
        let mut d = detail(SaleState::Refunded);
        d.sale.kind = SaleKind::Topup;
        d.sale.tax = TaxSummary::default();
        d.lines.clear();
        let refund = RefundRecord {
            id: 3,
            sale_id: 5,
            attempt_id: 1,
            transaction_id: "tx-1".into(),
            request_id: "req".into(),
            amount: Yen(1_180),
            reason: "取消".into(),
            state: RefundState::Done,
            error_type: None,
            error_message: None,
            refund_transaction_id: Some("tx-r".into()),
            created_at: "2025-01-16T01:00:00.000Z".into(),
            updated_at: "2025-01-16T01:00:01.000Z".into(),
            cash_back: false,
            return_id: None,
        };
        d.refunds.push(refund.clone());
        let doc = refund_slip(&d, &refund, &Config::default(), false).expect("slip");
        assert!(
            matches!(doc.kind, ReceiptKind::TopupCancel { .. }),
            "{:?}",
            doc.kind
        );
        let text = printed(&doc);
        assert!(text.contains("チャージ取消"), "{text}");
        assert!(
            !text.contains("返品") && !text.contains("適格返還請求書"),
            "{text}"
        );
    }

    #[test]
    fn only_a_store_with_a_registration_number_prints_a_qualified_invoice() {
        let d = detail(SaleState::Paid);
        let not_issuer = Config::from_toml_str(
            "[store]\nname = \"八百屋\"\ninvoice_issuer = false\n",
            std::path::Path::new("/etc/regi/regi.toml"),
        )
        .expect("config");
        let text = printed(&sale_receipt(&d, &not_issuer, None, false).expect("doc"));
        assert!(text.contains("領収書") && text.contains("八百屋"), "{text}");
        assert!(!text.contains("適格簡易請求書"), "{text}");
        let issuer = Config::from_toml_str(
            "[store]\nname = \"八百屋\"\nregistration_number = \"T7000012050002\"\n",
            std::path::Path::new("/etc/regi/regi.toml"),
        )
        .expect("config");
        let text = printed(&sale_receipt(&d, &issuer, None, false).expect("doc"));
        assert!(
            text.contains("適格簡易請求書") && text.contains("T7000012050002"),
            "{text}"
        );
    }
}
