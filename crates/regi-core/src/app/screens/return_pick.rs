//! Picking the lines and quantities a customer brings back, on a sale's detail in the history:
//! ↑/↓ a line, `+` one more of it, `-` one fewer, Space all of it or none, a digit that many;
//! what each rate gives back and how (which tender, cash from the drawer) is shown as they are
//! picked. Enter goes on to the manager PIN (or the confirmation); `A` gives back all that is
//! left instead, as F7 (the refund of the whole sale) does.

use crate::app::screens::Screen;
use crate::app::screens::history_state::HistoryMode;
use crate::app::{App, Command, Key, NoticeMessage, PinPurpose};
use crate::domain::returns::return_amounts;
use crate::domain::{PaymentMethod, ReturnAmounts, ReturnError, ReturnedLine, SaleKind};
use crate::records::{SaleDetail, TenderPart};

/// The lines picked so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPick {
    /// The index in the sale's lines of the line under the cursor (goods, some left).
    pub cursor: usize,
    /// How many of each of the sale's lines go back, by index in `SaleDetail::lines`.
    pub quantities: Vec<i64>,
}

/// What the picked lines give back, and through which tenders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPreview {
    pub amounts: ReturnAmounts,
    /// `None`: the tenders have less left than the return comes to (refunded by amount before).
    pub tenders: Option<Vec<TenderPart>>,
}

/// Whether a refund of the sale asks which lines: goods of several lines, or several of one,
/// are left to return.
pub fn offers_lines(sale: &SaleDetail) -> bool {
    sale.sale.kind == SaleKind::Payment
        && (0..sale.lines.len()).map(|i| left_of(sale, i)).sum::<i64>() > 1
}

/// How many of line `index` can still go back (none of a discount line).
pub fn left_of(sale: &SaleDetail, index: usize) -> i64 {
    sale.lines.get(index).map_or(0, |line| {
        if line.amount.is_positive() {
            (line.quantity - sale.returned_of(line.line_no)).max(0)
        } else {
            0
        }
    })
}

impl ReturnPick {
    /// Nothing picked, the cursor on the first line with something left.
    pub fn start(sale: &SaleDetail) -> Self {
        Self {
            cursor: (0..sale.lines.len())
                .find(|&i| left_of(sale, i) > 0)
                .unwrap_or(0),
            quantities: vec![0; sale.lines.len()],
        }
    }

    /// The picked lines, by their receipt number.
    pub fn picked(&self, sale: &SaleDetail) -> Vec<ReturnedLine> {
        sale.lines
            .iter()
            .zip(&self.quantities)
            .filter(|(_, q)| **q > 0)
            .map(|(line, &quantity)| ReturnedLine {
                line_no: line.line_no,
                quantity,
            })
            .collect()
    }
}

/// What `picked` gives back of `sale`, each tender whose provider is in `partial_refunds`
/// refunding its part, cash from the drawer for the rest. `None` when nothing is picked.
pub fn preview(
    sale: &SaleDetail,
    picked: &[ReturnedLine],
    partial_refunds: &[String],
) -> Option<Result<ReturnPreview, ReturnError>> {
    if picked.is_empty() {
        return None;
    }
    let sold: Vec<_> = sale.lines.iter().map(|l| l.sold()).collect();
    Some(
        return_amounts(&sold, &sale.sale.tax, &sale.returned_lines(), picked).map(|amounts| {
            let tenders = sale.return_tenders(amounts.total(), |provider| {
                partial_refunds.iter().any(|p| p == provider)
            });
            ReturnPreview { amounts, tenders }
        }),
    )
}

/// Whether giving the return's money back opens the drawer.
pub fn gives_cash(tenders: &[TenderPart]) -> bool {
    tenders
        .iter()
        .any(|t| t.cash_back || t.method == PaymentMethod::Cash)
}

/// A key while the clerk picks lines.
pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let partial_refunds = app.partial_refunds.clone();
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let Some(sale) = history.sales.as_ref().and_then(|s| s.get(history.selected)) else {
        return Vec::new();
    };
    let HistoryMode::Return(pick) = &mut history.mode else {
        return Vec::new();
    };
    // The list was read again meanwhile and the sale under the cursor is another: start over.
    if pick.quantities.len() != sale.lines.len() || pick.cursor >= sale.lines.len() {
        *pick = ReturnPick::start(sale);
        if sale.lines.is_empty() {
            history.mode = HistoryMode::Detail;
            return Vec::new();
        }
    }
    let left = left_of(sale, pick.cursor);
    let quantity = &mut pick.quantities[pick.cursor];
    match key {
        Key::Esc => history.mode = HistoryMode::Detail,
        Key::Up => {
            if let Some(i) = (0..pick.cursor).rev().find(|&i| left_of(sale, i) > 0) {
                pick.cursor = i;
            }
        }
        Key::Down => {
            if let Some(i) = (pick.cursor + 1..sale.lines.len()).find(|&i| left_of(sale, i) > 0) {
                pick.cursor = i;
            }
        }
        Key::Char('+') => *quantity = (*quantity + 1).min(left),
        Key::Char('-') | Key::Backspace => *quantity = (*quantity - 1).max(0),
        Key::Char(' ') => *quantity = if *quantity == 0 { left } else { 0 },
        Key::Char('a' | 'A') => {
            history.mode = HistoryMode::Detail;
            return super::history::ask_refund(app);
        }
        Key::Enter => {
            let picked = pick.picked(sale);
            match preview(sale, &picked, &partial_refunds) {
                None => app.notify(NoticeMessage::NothingToReturn),
                Some(Ok(ReturnPreview {
                    tenders: Some(_), ..
                })) => {
                    history.returning = Some(picked);
                    history.guarded = PinPurpose::Refund;
                    history.amount = None;
                    history.mode = HistoryMode::Pin(String::new());
                }
                Some(Ok(ReturnPreview { tenders: None, .. })) | Some(Err(_)) => {
                    let left = sale.sale.refundable();
                    app.notify(NoticeMessage::RefundOutOfRange { left });
                }
            }
        }
        key => {
            if let Some(digit) = key.digit() {
                *quantity = i64::from(digit).min(left);
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, SlipRequest, update};
    use crate::domain::{AttemptState, RateSummary, TaxRate, TaxSummary, Yen};
    use crate::payment::RefundDone;
    use crate::records::{AttemptRecord, LineRecord, SaleState};

    fn line(line_no: i64, name: &str, price: i64, quantity: i64, rate: TaxRate) -> LineRecord {
        LineRecord {
            line_no,
            jan: None,
            name: name.into(),
            unit_price: Yen(price),
            quantity,
            tax_rate: rate,
            amount: Yen(price * quantity),
        }
    }

    /// Sale 7: two food items at ¥500 (8 %) and one ¥500 item at 10 %, 10 % off the subtotal
    /// (¥1,350), paid by one QR of `provider`.
    fn discounted_sale(provider: &str) -> SaleDetail {
        let mut detail = sale(7, SaleState::Paid);
        detail.sale.total = Yen(1_350);
        detail.sale.tendered = Yen(1_350);
        detail.sale.tax = TaxSummary {
            standard: RateSummary {
                rate: TaxRate::Standard10,
                taxable_total: Yen(450),
                tax: Yen(40),
            },
            reduced: RateSummary {
                rate: TaxRate::Reduced8,
                taxable_total: Yen(900),
                tax: Yen(66),
            },
        };
        detail.lines = vec![
            line(1, "食品", 500, 2, TaxRate::Reduced8),
            line(2, "一般", 500, 1, TaxRate::Standard10),
            line(3, "値引 10%", -50, 1, TaxRate::Standard10),
            line(4, "値引 10%", -100, 1, TaxRate::Reduced8),
        ];
        detail.attempts.push(AttemptRecord {
            id: 1,
            sale_id: 7,
            provider: provider.into(),
            method: PaymentMethod::MerchantQr,
            request_id: "r".into(),
            amount: Yen(-1_350),
            provider_ref: None,
            presented_code: None,
            state: AttemptState::Paid {
                transaction_id: "tx-7".into(),
            },
            customer_name: None,
            created_at: String::new(),
            updated_at: String::new(),
            hold: false,
            capture_amount: None,
            cash: None,
            money_name: None,
        });
        detail
    }

    /// The history on the detail of `detail`, no manager PIN configured, `partial` providers
    /// refunding by amount.
    fn in_detail_of(detail: SaleDetail, partial: &[&str]) -> App {
        let mut app = app();
        app.pin_required = false;
        app.partial_refunds = partial.iter().map(|p| p.to_string()).collect();
        press(&mut app, &[Key::F(4)]);
        update(&mut app, Msg::HistoryLoaded(Ok(vec![detail])));
        press(&mut app, &[Key::Enter]);
        app
    }

    fn history(app: &App) -> &crate::app::screens::HistoryScreen {
        match &app.screen {
            Screen::History(h) => h,
            other => panic!("not history: {other:?}"),
        }
    }

    fn picking(app: &App) -> ReturnPick {
        match &history(app).mode {
            HistoryMode::Return(pick) => pick.clone(),
            other => panic!("not picking lines: {other:?}"),
        }
    }

    #[test]
    fn r_on_a_sale_of_several_lines_asks_which_and_enter_returns_them_after_the_confirmation() {
        let mut app = in_detail_of(discounted_sale("provider-a"), &[]);
        press(&mut app, &[Key::Char('r')]);
        assert_eq!(picking(&app).cursor, 0);
        press(&mut app, &[Key::Char('+'), Key::Down, Key::Char(' ')]);
        assert_eq!(picking(&app).quantities, [1, 1, 0, 0]);
        press(&mut app, &[Key::Enter]);
        assert_eq!(history(&app).mode, HistoryMode::Pin(String::new()));
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::ReturnLines {
                attempt,
                sale_id: 7,
                lines,
            },
        ] = commands.as_slice()
        else {
            panic!("expected a return, got {commands:?}")
        };
        assert_eq!(
            lines,
            &[
                ReturnedLine {
                    line_no: 1,
                    quantity: 1
                },
                ReturnedLine {
                    line_no: 2,
                    quantity: 1
                }
            ]
        );
        // A provider that refunds only whole payments: the part goes back from the drawer, which opens,
        // and the slip prints.
        let after = update(
            &mut app,
            Msg::Refund {
                attempt: *attempt,
                result: RefundDone::Refunded {
                    refund_transaction_id: String::new(),
                },
            },
        );
        assert!(after.contains(&Command::OpenDrawer), "{after:?}");
        assert!(after.contains(&Command::Print {
            sale_id: 7,
            slip: SlipRequest::Refund
        }));
        assert_eq!(history(&app).returning, None);
    }

    #[test]
    fn the_picked_lines_show_each_rates_part_and_a_provider_refunding_by_amount_gives_it_back() {
        let sale = discounted_sale("provider-b");
        let picked = [ReturnedLine {
            line_no: 2,
            quantity: 1,
        }];
        let shown = preview(&sale, &picked, &["provider-b".to_string()])
            .unwrap()
            .unwrap();
        assert_eq!(shown.amounts.tax.standard.taxable_total, Yen(450));
        assert_eq!(shown.amounts.tax.reduced.taxable_total, Yen(0));
        let tenders = shown.tenders.unwrap();
        assert_eq!(tenders.len(), 1);
        assert!(!tenders[0].cash_back);
        assert!(!gives_cash(&tenders));
        // A whole-only provider's part of the same return is cash from the drawer.
        let whole_only = preview(&discounted_sale("provider-a"), &picked, &[])
            .unwrap()
            .unwrap();
        assert!(gives_cash(&whole_only.tenders.unwrap()));
    }

    #[test]
    fn a_list_read_again_under_the_picker_starts_the_pick_over_instead_of_failing() {
        let mut app = in_detail_of(discounted_sale("provider-a"), &[]);
        press(&mut app, &[Key::Char('r'), Key::Down]);
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(8, SaleState::Paid)])),
        );
        press(&mut app, &[Key::Char('+')]);
        assert_eq!(history(&app).mode, HistoryMode::Detail);
    }

    #[test]
    fn the_rest_of_a_whole_only_sale_after_a_cash_back_return_opens_the_drawer_too() {
        let mut detail = discounted_sale("provider-a");
        detail.refunds.push(crate::records::RefundRecord {
            id: 1,
            sale_id: 7,
            attempt_id: 1,
            transaction_id: "tx-7".into(),
            request_id: "q".into(),
            amount: Yen(450),
            reason: String::new(),
            state: crate::records::RefundState::Done,
            error_type: None,
            error_message: None,
            refund_transaction_id: None,
            created_at: String::new(),
            updated_at: String::new(),
            cash_back: true,
            return_id: Some(1),
        });
        let mut app = in_detail_of(detail, &[]);
        let commands = press(&mut app, &[Key::F(7), Key::Enter]);
        let [Command::Refund { attempt, .. }] = commands.as_slice() else {
            panic!("expected a refund, got {commands:?}");
        };
        let after = update(
            &mut app,
            Msg::Refund {
                attempt: *attempt,
                result: RefundDone::Refunded {
                    refund_transaction_id: String::new(),
                },
            },
        );
        assert!(after.contains(&Command::OpenDrawer), "{after:?}");
    }

    #[test]
    fn enter_with_nothing_picked_says_so_and_stays_on_the_lines() {
        let mut app = in_detail_of(discounted_sale("provider-a"), &[]);
        press(&mut app, &[Key::Char('r'), Key::Enter]);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NothingToReturn)
        );
        assert!(matches!(history(&app).mode, HistoryMode::Return(_)));
    }

    #[test]
    fn a_line_never_takes_more_than_is_left_and_the_discount_lines_are_not_offered() {
        let mut detail = discounted_sale("provider-a");
        // One of the food items came back before.
        detail.returns.push(crate::records::ReturnRecord {
            id: 1,
            sale_id: 7,
            reason: String::new(),
            tax: TaxSummary::default(),
            lines: vec![ReturnedLine {
                line_no: 1,
                quantity: 1,
            }],
            created_at: String::new(),
        });
        detail.refunds.push(crate::records::RefundRecord {
            id: 1,
            sale_id: 7,
            attempt_id: 1,
            transaction_id: "tx-7".into(),
            request_id: "q".into(),
            amount: Yen(450),
            reason: String::new(),
            state: crate::records::RefundState::Done,
            error_type: None,
            error_message: None,
            refund_transaction_id: None,
            created_at: String::new(),
            updated_at: String::new(),
            cash_back: true,
            return_id: Some(1),
        });
        let mut app = in_detail_of(detail, &[]);
        press(&mut app, &[Key::Char('r')]);
        press(&mut app, &[Key::Char('+'), Key::Char('+'), Key::Char('9')]);
        assert_eq!(picking(&app).quantities[0], 1);
        press(&mut app, &[Key::Down, Key::Down, Key::Down]);
        assert_eq!(
            picking(&app).cursor,
            1,
            "the cursor stops at the last goods line"
        );
    }

    #[test]
    fn a_gives_back_all_that_is_left_the_way_a_refund_of_the_whole_sale_does() {
        let mut app = in_detail_of(discounted_sale("provider-a"), &[]);
        press(&mut app, &[Key::Char('r'), Key::Char('a')]);
        assert_eq!(history(&app).mode, HistoryMode::Pin(String::new()));
        let commands = press(&mut app, &[Key::Enter]);
        assert!(
            matches!(
                commands.as_slice(),
                [Command::Refund {
                    sale_id: 7,
                    amount: None,
                    ..
                }]
            ),
            "{commands:?}"
        );
    }
}
