//! Receipt data → print operations. Decides what goes on paper and in which order; knows nothing about
//! bytes or line width (rendering fits rows and wraps text to the printer's columns).

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Asia::Tokyo;

use super::escpos::{Align, Size};
use super::labels::{self, Labels};
use super::receipt::{ReceiptDoc, ReceiptKind, Tender, format_yen};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    pub align: Align,
    pub bold: bool,
    pub size: Size,
}

impl TextStyle {
    pub const PLAIN: TextStyle = TextStyle {
        align: Align::Left,
        bold: false,
        size: Size::Normal,
    };
    pub const CENTER: TextStyle = TextStyle {
        align: Align::Center,
        ..Self::PLAIN
    };

    const fn big(align: Align) -> TextStyle {
        TextStyle {
            align,
            bold: true,
            size: Size::Double,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintOp {
    /// A paragraph; wrapped to the line width.
    Text {
        text: String,
        style: TextStyle,
    },
    /// `left` and `right` on one line, padded apart; on two lines if they do not fit.
    Row {
        left: String,
        right: String,
        style: TextStyle,
    },
    /// A full-width dashed line.
    Rule,
    Blank,
    Qr(String),
    Cut,
    DrawerKick,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Japanese labels (Kanji printer) or English ones.
    pub kanji: bool,
    pub cut: bool,
    pub drawer_kick: bool,
}

pub fn layout(doc: &ReceiptDoc, options: LayoutOptions) -> Vec<PrintOp> {
    let labels = labels::for_kanji(options.kanji);
    let mut ops = Ops::default();
    if options.drawer_kick {
        ops.push(PrintOp::DrawerKick);
    }
    stamps(&mut ops, doc, labels);
    store_header(&mut ops, doc, labels);
    match &doc.kind {
        ReceiptKind::Sale => {
            // Without a registration number a receipt is no qualified invoice, and must not
            // say it is one (a store that is not an invoice issuer prints plain 領収書).
            let invoice = !doc.store.registration_number.is_empty();
            title(
                &mut ops,
                labels.receipt_title,
                invoice.then_some(labels.receipt_subtitle),
            );
            meta(&mut ops, doc, labels);
            transaction_body(&mut ops, doc, labels, labels.total);
        }
        ReceiptKind::Refund { original_issued_at } => {
            let invoice = !doc.store.registration_number.is_empty();
            title(
                &mut ops,
                labels.refund_title,
                invoice.then_some(labels.refund_subtitle),
            );
            meta(&mut ops, doc, labels);
            ops.row(
                labels.original_sale,
                &format_date_time(*original_issued_at, labels),
                TextStyle::PLAIN,
            );
            transaction_body(&mut ops, doc, labels, labels.refund_total);
        }
        ReceiptKind::Topup => {
            title(&mut ops, labels.receipt_title, Some(labels.topup_subtitle));
            meta(&mut ops, doc, labels);
            transaction_body(&mut ops, doc, labels, labels.total);
        }
        ReceiptKind::TopupCancel { original_issued_at } => {
            title(&mut ops, labels.topup_cancel_title, None);
            meta(&mut ops, doc, labels);
            ops.row(
                labels.original_topup,
                &format_date_time(*original_issued_at, labels),
                TextStyle::PLAIN,
            );
            transaction_body(&mut ops, doc, labels, labels.refund_total);
        }
        ReceiptKind::XReport
        | ReceiptKind::ZReport
        | ReceiptKind::TabStatement
        | ReceiptKind::DrawerCount => {
            let heading = match doc.kind {
                ReceiptKind::XReport => labels.x_report_title,
                ReceiptKind::ZReport => labels.z_report_title,
                ReceiptKind::DrawerCount => labels.drawer_count_title,
                _ => labels.tab_statement_title,
            };
            title(&mut ops, heading, None);
            meta(&mut ops, doc, labels);
            ops.push(PrintOp::Rule);
            for row in &doc.report_rows {
                ops.row(&row.label, &row.value, TextStyle::PLAIN);
            }
            ops.push(PrintOp::Rule);
        }
    }
    for line in &doc.store.footer {
        ops.text(line, TextStyle::CENTER);
    }
    stamps(&mut ops, doc, labels);
    if options.cut {
        ops.push(PrintOp::Cut);
    }
    ops.0
}

#[derive(Default)]
struct Ops(Vec<PrintOp>);

impl Ops {
    fn push(&mut self, op: PrintOp) {
        self.0.push(op);
    }

    fn text(&mut self, text: &str, style: TextStyle) {
        self.push(PrintOp::Text {
            text: text.to_owned(),
            style,
        });
    }

    fn row(&mut self, left: &str, right: &str, style: TextStyle) {
        self.push(PrintOp::Row {
            left: left.to_owned(),
            right: right.to_owned(),
            style,
        });
    }
}

/// Training and reprint marks, at the top and again at the bottom so a torn-off half still shows them.
fn stamps(ops: &mut Ops, doc: &ReceiptDoc, labels: &Labels) {
    if doc.training {
        ops.text(labels.training_banner, TextStyle::big(Align::Center));
        ops.text(labels.training_note, TextStyle::CENTER);
    }
    if doc.reprint {
        ops.text(
            labels.reprint,
            TextStyle {
                bold: true,
                size: Size::DoubleWidth,
                ..TextStyle::CENTER
            },
        );
    }
}

fn store_header(ops: &mut Ops, doc: &ReceiptDoc, labels: &Labels) {
    let store = &doc.store;
    ops.text(&store.name, TextStyle::big(Align::Center));
    for line in &store.address {
        ops.text(line, TextStyle::CENTER);
    }
    if !store.phone.is_empty() {
        ops.text(
            &format!("{} {}", labels.phone, store.phone),
            TextStyle::CENTER,
        );
    }
    ops.push(PrintOp::Blank);
}

fn title(ops: &mut Ops, heading: &str, subtitle: Option<&str>) {
    ops.text(heading, TextStyle::big(Align::Center));
    if let Some(subtitle) = subtitle {
        ops.text(subtitle, TextStyle::CENTER);
    }
}

/// Registration number, date, terminal and receipt number.
fn meta(ops: &mut Ops, doc: &ReceiptDoc, labels: &Labels) {
    if !doc.store.registration_number.is_empty() {
        ops.text(
            &format!("{} {}", labels.registration, doc.store.registration_number),
            TextStyle::CENTER,
        );
    }
    ops.push(PrintOp::Rule);
    ops.text(&format_date_time(doc.issued_at, labels), TextStyle::PLAIN);
    ops.row(
        &format!(
            "{} {} ({})",
            labels.terminal, doc.terminal.name, doc.terminal.id
        ),
        &format!("{}{}", labels.receipt_number, doc.receipt_number),
        TextStyle::PLAIN,
    );
    if let Some(staff) = &doc.terminal.staff {
        ops.text(&format!("{} {staff}", labels.staff), TextStyle::PLAIN);
    }
}

fn transaction_body(ops: &mut Ops, doc: &ReceiptDoc, labels: &Labels, total_label: &str) {
    ops.push(PrintOp::Rule);
    for line in &doc.lines {
        let name = if line.reduced_rate {
            format!("{} {}", line.name, labels.reduced_mark)
        } else {
            line.name.clone()
        };
        if line.quantity == 1 {
            ops.row(&name, &format_yen(line.amount), TextStyle::PLAIN);
        } else {
            ops.text(&name, TextStyle::PLAIN);
            ops.row(
                &format!("  {} x {}", line.quantity, format_yen(line.unit_price)),
                &format_yen(line.amount),
                TextStyle::PLAIN,
            );
        }
    }
    ops.push(PrintOp::Rule);
    ops.row(
        &format!(
            "{} {}{}",
            labels.subtotal,
            doc.item_count(),
            labels.items_suffix
        ),
        &format_yen(doc.lines.iter().map(|l| l.amount).sum()),
        TextStyle::PLAIN,
    );
    for rate in &doc.rate_summaries {
        ops.row(
            &format!("{}%{}", rate.rate_percent, labels.rate_target_suffix),
            &format_yen(rate.taxable_total),
            TextStyle::PLAIN,
        );
        let tax_label = if doc.tax_included {
            labels.tax_included
        } else {
            labels.tax_added
        };
        ops.row(
            &format!("  ({tax_label}"),
            &format!("{})", format_yen(rate.tax)),
            TextStyle::PLAIN,
        );
    }
    ops.row(
        total_label,
        &format_yen(doc.total),
        TextStyle::big(Align::Left),
    );
    ops.push(PrintOp::Rule);
    if !doc.tenders.is_empty() {
        for tender in &doc.tenders {
            tender_rows(ops, tender, labels);
        }
        ops.push(PrintOp::Rule);
    }
    if !doc.report_rows.is_empty() {
        // Notes under a sale or a slip: a reprinted sale's refunds, a return's lines.
        for row in &doc.report_rows {
            ops.row(&row.label, &row.value, TextStyle::PLAIN);
        }
        ops.push(PrintOp::Rule);
    }
    if doc.has_reduced_rate_items() {
        ops.text(labels.reduced_legend, TextStyle::PLAIN);
    }
    if let Some(code) = &doc.receipt_code {
        ops.push(PrintOp::Blank);
        ops.push(PrintOp::Qr(code.clone()));
        ops.text(code, TextStyle::CENTER);
    }
    ops.push(PrintOp::Blank);
}

/// A provider's payment with its transaction; cash with the yen handed over and the change.
fn tender_rows(ops: &mut Ops, tender: &Tender, labels: &Labels) {
    match tender {
        Tender::Provider(payment) => {
            ops.row(
                &payment.method_label,
                &format_yen(payment.amount),
                TextStyle::PLAIN,
            );
            ops.row(
                labels.transaction_id,
                &payment.transaction_id,
                TextStyle::PLAIN,
            );
        }
        Tender::Cash {
            amount,
            received,
            change,
        } => {
            ops.row(labels.cash, &format_yen(*amount), TextStyle::PLAIN);
            ops.row(
                labels.cash_received,
                &format_yen(*received),
                TextStyle::PLAIN,
            );
            ops.row(labels.cash_change, &format_yen(*change), TextStyle::PLAIN);
        }
        Tender::CashRefund { amount } => {
            ops.row(labels.cash_refund, &format_yen(*amount), TextStyle::PLAIN);
        }
    }
}

/// `2025年01月15日(水) 14:32` or `2025-01-15 (Wed) 14:32`, in Tokyo time.
pub fn format_date_time(at: DateTime<Utc>, labels: &Labels) -> String {
    let local = at.with_timezone(&Tokyo);
    let weekday = labels.weekdays[local.weekday().num_days_from_monday() as usize];
    if labels.japanese_dates {
        format!(
            "{:04}年{:02}月{:02}日({weekday}) {:02}:{:02}",
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute()
        )
    } else {
        format!(
            "{:04}-{:02}-{:02} ({weekday}) {:02}:{:02}",
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute()
        )
    }
}
