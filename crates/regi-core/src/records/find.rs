//! Finding a sale again on any day, from what a faded receipt still shows: its receipt number,
//! its amount, or when it was rung up (a date, a time, or the start of one: `10:3` is any
//! minute from 10:30 to 10:39), in the shop's local time.

use crate::domain::Yen;

use super::sales::SaleSummary;
use super::time::local_time;

/// What the sales found must have; every part given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaleQuery {
    pub receipt_no: Option<i64>,
    /// The sale's total.
    pub amount: Option<Yen>,
    /// The local date: `YYYY-MM-DD`, or `MM-DD` of any year.
    pub date: Option<String>,
    /// The local time `HH:MM`, or its start (`10`, `10:3`).
    pub time: Option<String>,
}

/// Which part of a sale the clerk types to find it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FindBy {
    #[default]
    ReceiptNo,
    Amount,
    /// A date, a time, or both: `11/20`, `10:30`, `11/20 10:30`, `2026-11-20`.
    Time,
}

impl FindBy {
    /// The next way to find, as Tab goes round them.
    pub fn next(self) -> FindBy {
        match self {
            FindBy::ReceiptNo => FindBy::Amount,
            FindBy::Amount => FindBy::Time,
            FindBy::Time => FindBy::ReceiptNo,
        }
    }
}

impl SaleQuery {
    /// The query `text` stands for when typed as `by`; `None` when it is no such thing.
    pub fn parse(by: FindBy, text: &str) -> Option<SaleQuery> {
        let text = text.trim();
        match by {
            FindBy::ReceiptNo => {
                let digits = text
                    .trim_start_matches(['#', 'R', 'r'])
                    .trim_start_matches("No.");
                let no: i64 = digits.trim().parse().ok()?;
                (no > 0).then(|| SaleQuery {
                    receipt_no: Some(no),
                    ..SaleQuery::default()
                })
            }
            FindBy::Amount => {
                let digits: String = text
                    .trim_start_matches(['¥', '\\'])
                    .trim_end_matches('円')
                    .chars()
                    .filter(|c| *c != ',')
                    .collect();
                let yen: i64 = digits.parse().ok()?;
                (yen > 0).then(|| SaleQuery {
                    amount: Some(Yen(yen)),
                    ..SaleQuery::default()
                })
            }
            FindBy::Time => {
                let mut query = SaleQuery::default();
                for part in text.split_whitespace() {
                    if part.contains(':') || (query.date.is_some() && query.time.is_none()) {
                        query.time = Some(parse_time(part)?);
                    } else if let Some(date) = parse_date(part) {
                        query.date = Some(date);
                    } else {
                        query.time = Some(parse_time(part)?);
                    }
                }
                (query.date.is_some() || query.time.is_some()).then_some(query)
            }
        }
    }

    /// Whether `sale` is one the query asks for.
    pub fn matches(&self, sale: &SaleSummary) -> bool {
        if self.receipt_no.is_some_and(|no| no != sale.receipt_no) {
            return false;
        }
        if self.amount.is_some_and(|yen| yen != sale.total) {
            return false;
        }
        let at = local_time(&sale.created_at, "%Y-%m-%d %H:%M");
        let (day, time) = at.split_once(' ').unwrap_or((&at, ""));
        if let Some(date) = &self.date
            && !(day == date || (date.len() == 5 && day.ends_with(&format!("-{date}"))))
        {
            return false;
        }
        if let Some(start) = &self.time
            && !time.starts_with(start.as_str())
        {
            return false;
        }
        true
    }
}

/// `2026-11-20`, `2026/11/20`, `11/20` or `11-20`, as `YYYY-MM-DD` or `MM-DD`.
fn parse_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '-']).collect();
    let number = |s: &str, max: u32| s.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
    match parts[..] {
        [y, m, d] if y.len() == 4 => Some(format!(
            "{:04}-{:02}-{:02}",
            y.parse::<u32>().ok()?,
            number(m, 12)?,
            number(d, 31)?
        )),
        [m, d] => Some(format!("{:02}-{:02}", number(m, 12)?, number(d, 31)?)),
        _ => None,
    }
}

/// `10:30`, `9:05`, `10:3` (its start) or `10` (the hour), as the start of `HH:MM`.
fn parse_time(text: &str) -> Option<String> {
    let (hour, minutes) = text.split_once(':').unwrap_or((text, ""));
    let hour: u32 = hour.parse().ok().filter(|h| *h < 24)?;
    if !minutes.chars().all(|c| c.is_ascii_digit())
        || minutes.len() > 2
        || minutes
            .parse::<u32>()
            .is_ok_and(|m| m > 59 && minutes.len() == 2)
    {
        return None;
    }
    Some(if minutes.is_empty() {
        format!("{hour:02}")
    } else {
        format!("{hour:02}:{minutes}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(by: FindBy, text: &str) -> Option<SaleQuery> {
        SaleQuery::parse(by, text)
    }

    #[test]
    fn a_receipt_number_is_read_as_printed_with_or_without_its_zeros_and_prefix() {
        for text in ["123", "000123", "#123", "No.000123", "R123"] {
            assert_eq!(
                query(FindBy::ReceiptNo, text).and_then(|q| q.receipt_no),
                Some(123),
                "{text}"
            );
        }
        assert_eq!(query(FindBy::ReceiptNo, "12a"), None);
    }

    #[test]
    fn an_amount_may_carry_the_yen_sign_and_commas() {
        for text in ["1350", "¥1,350", "1,350円"] {
            assert_eq!(
                query(FindBy::Amount, text).and_then(|q| q.amount),
                Some(Yen(1_350)),
                "{text}"
            );
        }
        assert_eq!(query(FindBy::Amount, "0"), None);
    }

    #[test]
    fn a_time_is_a_date_a_time_or_both_and_a_time_may_be_its_start() {
        let q = query(FindBy::Time, "11/20 10:3").unwrap();
        assert_eq!(
            (q.date.as_deref(), q.time.as_deref()),
            (Some("11-20"), Some("10:3"))
        );
        let q = query(FindBy::Time, "2026-11-20").unwrap();
        assert_eq!((q.date.as_deref(), q.time), (Some("2026-11-20"), None));
        let q = query(FindBy::Time, "9:05").unwrap();
        assert_eq!((q.date, q.time.as_deref()), (None, Some("09:05")));
        assert_eq!(query(FindBy::Time, "25:00"), None);
        assert_eq!(query(FindBy::Time, "13/40"), None);
        assert_eq!(query(FindBy::Time, ""), None);
    }
}
