//! Store-wide X and Z: each terminal's business day reported as the till reports it (a closed
//! day's Z as the till shipped it, an open day rebuilt from what it shipped by the journal's own
//! report code), then summed — per terminal, per way to pay and provider, per
//! tax rate. The JSON is `regi report x --json`'s with the store, the date and the terminals
//! added.

use chrono::NaiveDate;
use regi_core::domain::Yen;
use regi_core::records::{CashSummary, Report, ReportKind, Totals};
use regi_journal::{Journal, ReplicaRows};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_postgres::Client;

use crate::{StoreError, store_status};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreReport {
    #[serde(flatten)]
    pub total: Report,
    pub store_id: String,
    /// The shop date (Asia/Tokyo) asked for; none for the X of the days open now.
    pub date: Option<NaiveDate>,
    pub terminals: Vec<TerminalReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerminalReport {
    pub terminal_id: String,
    #[serde(flatten)]
    pub report: Report,
}

/// The store's X (or, for a look before closing, Z figures) of `date`, or of every terminal's
/// open day when `date` is none.
///
/// A Z of a day a till has closed is that till's own Z as it shipped it (the business day's row
/// carries it), as the store's Z is the sum of its tills' in any chain: reading it costs the
/// same however much was sold. Only a day still open (an X, or a Z forced before a till closed)
/// is rebuilt from its shipped sales by the journal's own report code.
pub async fn store_report(
    client: &Client,
    store_id: &str,
    kind: ReportKind,
    date: Option<NaiveDate>,
) -> Result<StoreReport, StoreError> {
    let days = client
        .query(
            "SELECT terminal_id, business_day_id, row_data FROM regi.store_business_days \
             WHERE store_id = $1 AND CASE WHEN $2::date IS NULL THEN closed_at IS NULL \
               ELSE shop_date = $2 END \
             ORDER BY terminal_id, business_day_id",
            &[&store_id, &date],
        )
        .await?;
    let mut per_terminal: Vec<TerminalReport> = Vec::new();
    let mut reports: Vec<Report> = Vec::new();
    let mut current: Option<String> = None;
    for day in days {
        let terminal: String = day.get(0);
        if current.as_ref().is_some_and(|c| *c != terminal) {
            per_terminal.push(TerminalReport {
                terminal_id: current.take().unwrap_or_default(),
                report: sum_reports(kind, &std::mem::take(&mut reports)),
            });
        }
        let day_id: i64 = day.get(1);
        let row: Value = day.get(2);
        let report = match (kind, shipped_z(&terminal, &row)?) {
            (ReportKind::Z, Some(z)) => z,
            _ => rebuilt(client, &terminal, day_id, row, kind).await?,
        };
        reports.push(report);
        current = Some(terminal);
    }
    if let Some(terminal) = current {
        per_terminal.push(TerminalReport {
            terminal_id: terminal,
            report: sum_reports(kind, &reports),
        });
    }
    let all: Vec<Report> = per_terminal.iter().map(|t| t.report.clone()).collect();
    Ok(StoreReport {
        total: sum_reports(kind, &all),
        store_id: store_id.to_string(),
        date,
        terminals: per_terminal,
    })
}

/// The Z a till stored when it closed the day of `row` (its shipped `business_days` row), if
/// it has closed it.
fn shipped_z(terminal: &str, row: &Value) -> Result<Option<Report>, StoreError> {
    match &row["z_report_json"] {
        Value::String(json) => serde_json::from_str(json).map(Some).map_err(|e| {
            StoreError::Database(format!(
                "the Z report terminal {terminal} shipped for business day {} cannot be read: {e}",
                row["id"]
            ))
        }),
        _ => Ok(None),
    }
}

/// The report of one business day rebuilt from what its till shipped: the day, its sales (and
/// those refunded on it) and its drawer movements, put in an in-memory journal.
async fn rebuilt(
    client: &Client,
    terminal: &str,
    day_id: i64,
    day: Value,
    kind: ReportKind,
) -> Result<Report, StoreError> {
    let rows = ReplicaRows {
        business_days: vec![day],
        sales: column(
            client
                .query(
                    "SELECT snapshot FROM regi.store_sales \
                     WHERE terminal_id = $1 AND day_ids @> ARRAY[$2::bigint]",
                    &[&terminal, &day_id],
                )
                .await?,
        ),
        drawer_movements: column(
            client
                .query(
                    "SELECT row_data FROM regi.store_drawer_movements \
                     WHERE terminal_id = $1 AND business_day_id = $2",
                    &[&terminal, &day_id],
                )
                .await?,
        ),
    };
    let replica = Journal::replica(&rows)?;
    Ok(replica.report_of_day(day_id, kind)?)
}

/// Closes the store's day `date`: its Z, kept in PostgreSQL once. Refused while a terminal of
/// the store has events not yet shipped, or its business day of that date is still open (each
/// named), unless `force` (the manager's word that the figures are final).
pub async fn close_store_day(
    client: &Client,
    store_id: &str,
    date: NaiveDate,
    force: bool,
) -> Result<StoreReport, StoreError> {
    let taken = client
        .query_opt(
            "SELECT closed_at::text FROM regi.store_z_reports \
             WHERE store_id = $1 AND business_date = $2",
            &[&store_id, &date],
        )
        .await?;
    if let Some(row) = taken {
        return Err(StoreError::Refused(format!(
            "the store's Z of {date} was already taken (at {})",
            row.get::<_, String>(0)
        )));
    }
    if !force {
        let behind: Vec<String> = store_status(client, Some(store_id))
            .await?
            .into_iter()
            .filter(|t| t.lag_events > 0 || t.last_error.is_some())
            .map(|t| match t.last_error {
                Some(error) => format!("{} ({error})", t.terminal_id),
                None => format!("{} ({} events not shipped)", t.terminal_id, t.lag_events),
            })
            .collect();
        if !behind.is_empty() {
            return Err(StoreError::Refused(format!(
                "terminal {} has not shipped everything; wait for it, or --force with the \
                 manager PIN",
                behind.join(", ")
            )));
        }
        let open: Vec<String> = client
            .query(
                "SELECT terminal_id FROM regi.store_business_days \
                 WHERE store_id = $1 AND closed_at IS NULL AND shop_date = $2 \
                 ORDER BY terminal_id",
                &[&store_id, &date],
            )
            .await?
            .into_iter()
            .map(|row| row.get(0))
            .collect();
        if !open.is_empty() {
            return Err(StoreError::Refused(format!(
                "terminal {} has not closed its business day of {date} (its own Z first), or \
                 --force with the manager PIN",
                open.join(", ")
            )));
        }
    }
    let report = store_report(client, store_id, ReportKind::Z, Some(date)).await?;
    let json = serde_json::to_value(&report)
        .map_err(|e| StoreError::Database(format!("report not stored: {e}")))?;
    client
        .execute(
            "INSERT INTO regi.store_z_reports (store_id, business_date, forced, report) \
             VALUES ($1, $2, $3, $4)",
            &[&store_id, &date, &force, &json],
        )
        .await?;
    Ok(report)
}

fn column(rows: Vec<tokio_postgres::Row>) -> Vec<Value> {
    rows.into_iter().map(|row| row.get(0)).collect()
}

/// The sum of several business days' reports (several terminals', or one terminal's days of a
/// date). Receipt numbers are each till's own, so the sum has none.
pub fn sum_reports(kind: ReportKind, reports: &[Report]) -> Report {
    let mut total = Report {
        kind,
        business_day_id: 0,
        opened_at: reports
            .iter()
            .map(|r| r.opened_at.clone())
            .min()
            .unwrap_or_default(),
        generated_at: reports
            .iter()
            .map(|r| r.generated_at.clone())
            .max()
            .unwrap_or_default(),
        first_receipt_no: None,
        last_receipt_no: None,
        payments: Totals::default(),
        payments_by_method: Vec::new(),
        payments_by_rate: Vec::new(),
        payments_by_provider: Vec::new(),
        refunds: Totals::default(),
        refunds_by_method: Vec::new(),
        refunds_by_rate: Vec::new(),
        refunds_by_provider: Vec::new(),
        net_sales: Yen::ZERO,
        topups: Totals::default(),
        topups_by_method: Vec::new(),
        topup_refunds: Totals::default(),
        net_topups: Yen::ZERO,
        failed_attempts: 0,
        expired_attempts: 0,
        cancelled_attempts: 0,
        voided_sales: 0,
        voided_amount: Yen::ZERO,
        unresolved_attempts: 0,
        cash: CashSummary::default(),
        discounts: Totals::default(),
        sales_by_hour: Vec::new(),
    };
    for r in reports {
        add_totals(&mut total.payments, r.payments);
        add_totals(&mut total.refunds, r.refunds);
        add_totals(&mut total.topups, r.topups);
        add_totals(&mut total.topup_refunds, r.topup_refunds);
        add_totals(&mut total.discounts, r.discounts);
        total.net_sales = plus(total.net_sales, r.net_sales);
        total.net_topups = plus(total.net_topups, r.net_topups);
        total.failed_attempts += r.failed_attempts;
        total.expired_attempts += r.expired_attempts;
        total.cancelled_attempts += r.cancelled_attempts;
        total.voided_sales += r.voided_sales;
        total.voided_amount = Yen(total.voided_amount.value() + r.voided_amount.value());
        total.unresolved_attempts += r.unresolved_attempts;
        merge(
            &mut total.payments_by_method,
            &r.payments_by_method,
            |a, b| a.method == b.method,
            |a, b| {
                a.count += b.count;
                a.amount = plus(a.amount, b.amount);
            },
        );
        merge(
            &mut total.refunds_by_method,
            &r.refunds_by_method,
            |a, b| a.method == b.method,
            |a, b| {
                a.count += b.count;
                a.amount = plus(a.amount, b.amount);
            },
        );
        merge(
            &mut total.topups_by_method,
            &r.topups_by_method,
            |a, b| a.method == b.method,
            |a, b| {
                a.count += b.count;
                a.amount = plus(a.amount, b.amount);
            },
        );
        for (mine, theirs) in [
            (&mut total.payments_by_rate, &r.payments_by_rate),
            (&mut total.refunds_by_rate, &r.refunds_by_rate),
        ] {
            merge(
                mine,
                theirs,
                |a, b| a.rate == b.rate,
                |a, b| {
                    a.taxable = plus(a.taxable, b.taxable);
                    a.tax = plus(a.tax, b.tax);
                },
            );
        }
        for (mine, theirs) in [
            (&mut total.payments_by_provider, &r.payments_by_provider),
            (&mut total.refunds_by_provider, &r.refunds_by_provider),
        ] {
            merge(
                mine,
                theirs,
                |a, b| a.provider == b.provider,
                |a, b| {
                    a.count += b.count;
                    a.amount = plus(a.amount, b.amount);
                    merge(
                        &mut a.by_money_name,
                        &b.by_money_name,
                        |x, y| x.money_name == y.money_name,
                        |x, y| {
                            x.count += y.count;
                            x.amount = plus(x.amount, y.amount);
                        },
                    );
                },
            );
        }
        merge(
            &mut total.sales_by_hour,
            &r.sales_by_hour,
            |a, b| a.hour == b.hour,
            |a, b| {
                a.count += b.count;
                a.amount = plus(a.amount, b.amount);
            },
        );
        let cash = &mut total.cash;
        let theirs = r.cash;
        cash.float = plus(cash.float, theirs.float);
        cash.received = plus(cash.received, theirs.received);
        cash.change = plus(cash.change, theirs.change);
        cash.sales = plus(cash.sales, theirs.sales);
        cash.refunds = plus(cash.refunds, theirs.refunds);
        cash.paid_in = plus(cash.paid_in, theirs.paid_in);
        cash.paid_out = plus(cash.paid_out, theirs.paid_out);
        cash.expected = plus(cash.expected, theirs.expected);
        cash.counted = plus_some(cash.counted, theirs.counted);
        cash.over_short = plus_some(cash.over_short, theirs.over_short);
    }
    total.sales_by_hour.sort_by_key(|h| h.hour);
    total
}

fn plus(a: Yen, b: Yen) -> Yen {
    Yen(a.value().saturating_add(b.value()))
}

fn plus_some(a: Option<Yen>, b: Option<Yen>) -> Option<Yen> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(plus(a.unwrap_or(Yen::ZERO), b.unwrap_or(Yen::ZERO))),
    }
}

fn add_totals(into: &mut Totals, more: Totals) {
    into.count += more.count;
    into.amount = plus(into.amount, more.amount);
}

/// Adds each of `more` to its match in `into` (by `same`), or appends it, keeping the order in
/// which each first came.
fn merge<T: Clone>(
    into: &mut Vec<T>,
    more: &[T],
    same: impl Fn(&T, &T) -> bool,
    add: impl Fn(&mut T, &T),
) {
    for item in more {
        match into.iter_mut().find(|mine| same(mine, item)) {
            Some(mine) => add(mine, item),
            None => into.push(item.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::domain::{PaymentMethod, TaxRate};
    use regi_core::records::{MethodTotals, ProviderTotals, RateTotals};

    fn report(cash_yen: i64, qr_yen: i64, provider: &str) -> Report {
        let mut r = sum_reports(ReportKind::X, &[]);
        r.payments = Totals {
            count: 2,
            amount: Yen(cash_yen + qr_yen),
        };
        r.net_sales = Yen(cash_yen + qr_yen);
        r.payments_by_method = vec![
            MethodTotals {
                method: PaymentMethod::Cash,
                count: 1,
                amount: Yen(cash_yen),
            },
            MethodTotals {
                method: PaymentMethod::MerchantQr,
                count: 1,
                amount: Yen(qr_yen),
            },
        ];
        r.payments_by_rate = vec![RateTotals {
            rate: TaxRate::Standard10,
            taxable: Yen(cash_yen + qr_yen),
            tax: Yen((cash_yen + qr_yen) / 11),
        }];
        r.payments_by_provider = vec![ProviderTotals {
            provider: provider.into(),
            count: 1,
            amount: Yen(qr_yen),
            by_money_name: Vec::new(),
        }];
        r.cash.sales = Yen(cash_yen);
        r.cash.counted = None;
        r.first_receipt_no = Some(1);
        r
    }

    #[test]
    fn reports_sum_per_way_to_pay_per_rate_and_per_provider() {
        let total = sum_reports(
            ReportKind::X,
            &[
                report(1_100, 2_200, "provider-a"),
                report(550, 0, "provider-b"),
            ],
        );
        assert_eq!(total.payments.amount, Yen(3_850));
        assert_eq!(total.payments.count, 4);
        assert_eq!(total.net_sales, Yen(3_850));
        let cash = &total.payments_by_method[0];
        assert_eq!(
            (cash.method, cash.count, cash.amount),
            (PaymentMethod::Cash, 2, Yen(1_650))
        );
        assert_eq!(total.payments_by_rate[0].taxable, Yen(3_850));
        assert_eq!(total.payments_by_rate[0].tax, Yen(300 + 50));
        let providers: Vec<&str> = total
            .payments_by_provider
            .iter()
            .map(|p| p.provider.as_str())
            .collect();
        assert_eq!(providers, ["provider-a", "provider-b"]);
        assert_eq!(total.cash.sales, Yen(1_650));
        assert_eq!(total.cash.counted, None);
        assert_eq!(total.first_receipt_no, None);
    }

    #[test]
    fn a_count_at_one_till_counts_in_the_sum() {
        let mut counted = report(100, 0, "provider-a");
        counted.cash.counted = Some(Yen(5_100));
        counted.cash.over_short = Some(Yen(-10));
        let total = sum_reports(ReportKind::X, &[counted, report(200, 0, "provider-a")]);
        assert_eq!(total.cash.counted, Some(Yen(5_100)));
        assert_eq!(total.cash.over_short, Some(Yen(-10)));
    }
}
