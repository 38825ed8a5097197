//! Sales put aside before payment (保留) and taken back: the cart is written before the till
//! clears it, and a recall hands it back once, so a parked cart is never lost nor rung twice.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Journal;
use super::error::JournalError;
use super::rows;
use regi_core::domain::line_adjustments::LineAdjustments;
use regi_core::domain::{Discount, LineKind, SaleLine, SubtotalDiscount, Yen};
use regi_core::records::{CartToPark, ParkedCart};

/// A cart line as kept in `cart_json`.
#[derive(Serialize, Deserialize)]
struct StoredLine {
    /// `product`, `manual` or `department` (a discount line is made only at checkout).
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    jan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    department: Option<u8>,
    name: String,
    unit_price: i64,
    quantity: u32,
    tax_rate: String,
    /// The line's own discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    discount: Option<StoredDiscount>,
    /// The price before the clerk overrode it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    overridden_from: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct StoredDiscount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    yen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredCart {
    lines: Vec<StoredLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    discount: Option<StoredDiscount>,
}

impl Journal {
    /// Keeps `lines` (and the subtotal discount) aside until recalled; returns its id.
    pub fn park_cart(&mut self, cart: &CartToPark) -> Result<i64, JournalError> {
        let total = cart.total;
        if cart.lines.is_empty() || !total.is_positive() {
            return Err(JournalError::Refused("an empty cart is not parked".into()));
        }
        let stored = StoredCart {
            lines: cart
                .lines
                .iter()
                .enumerate()
                .map(|(i, line)| stored_line(line, &cart.adjustments, i))
                .collect::<Result<_, _>>()?,
            discount: cart.discount.as_ref().map(stored_discount),
        };
        let json = serde_json::to_string(&stored)
            .map_err(|e| JournalError::Refused(format!("cart not storable: {e}")))?;
        let now = self.now_text();
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO parked_carts (total, cart_json, parked_at) VALUES (?1, ?2, ?3)",
            params![total.value(), json, now],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// The carts waiting to be recalled, oldest first.
    pub fn parked_carts(&self) -> Result<Vec<ParkedCart>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, parked_at, total, cart_json FROM parked_carts \
             WHERE recalled_at IS NULL ORDER BY parked_at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut carts = Vec::new();
        for row in rows {
            let (id, parked_at, total, json) = row?;
            carts.push(parked_cart(id, parked_at, total, &json)?);
        }
        Ok(carts)
    }

    /// Takes parked cart `id` back (once: a second recall is refused).
    pub fn recall_cart(&mut self, id: i64) -> Result<ParkedCart, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let found: Option<(String, i64, String, Option<String>)> = tx
            .query_row(
                "SELECT parked_at, total, cart_json, recalled_at FROM parked_carts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (parked_at, total, json, recalled) =
            found.ok_or_else(|| JournalError::not_found("parked cart", id))?;
        if recalled.is_some() {
            return Err(JournalError::Refused(format!(
                "parked cart {id} was already recalled"
            )));
        }
        let cart = parked_cart(id, parked_at, total, &json)?;
        tx.execute(
            "UPDATE parked_carts SET recalled_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        tx.commit()?;
        Ok(cart)
    }
}

fn stored_discount(d: &SubtotalDiscount) -> StoredDiscount {
    StoredDiscount {
        percent: match d.discount {
            Discount::Percent(p) => Some(p),
            Discount::Yen(_) => None,
        },
        yen: match d.discount {
            Discount::Yen(y) => Some(y.value()),
            Discount::Percent(_) => None,
        },
        reason: d.reason.clone(),
    }
}

fn discount_of(d: StoredDiscount) -> Option<SubtotalDiscount> {
    let discount = match (d.percent, d.yen) {
        (Some(p), None) => Discount::Percent(p),
        (None, Some(y)) => Discount::Yen(Yen(y)),
        _ => return None,
    };
    Some(SubtotalDiscount {
        discount,
        reason: d.reason,
    })
}

fn stored_line(
    line: &SaleLine,
    adjustments: &LineAdjustments,
    index: usize,
) -> Result<StoredLine, JournalError> {
    let (kind, jan, department) = match &line.kind {
        LineKind::Product { jan } => ("product", Some(jan.clone()), None),
        LineKind::Manual => ("manual", None, None),
        LineKind::Department { number } => ("department", None, Some(*number)),
        LineKind::Discount => {
            return Err(JournalError::Refused(
                "a discount line is made at checkout, not parked".into(),
            ));
        }
    };
    Ok(StoredLine {
        kind: kind.to_owned(),
        jan,
        department,
        name: line.name.clone(),
        unit_price: line.unit_price.value(),
        quantity: line.quantity,
        tax_rate: line.tax_rate.as_str().to_owned(),
        discount: adjustments.discount(index).map(stored_discount),
        overridden_from: adjustments.overridden_from(index).map(Yen::value),
    })
}

fn parked_cart(
    id: i64,
    parked_at: String,
    total: i64,
    json: &str,
) -> Result<ParkedCart, JournalError> {
    let broken = |why: String| JournalError::Refused(format!("parked cart {id}: {why}"));
    let stored: StoredCart = serde_json::from_str(json).map_err(|e| broken(e.to_string()))?;
    let mut lines = Vec::with_capacity(stored.lines.len());
    let mut adjustments = Vec::with_capacity(stored.lines.len());
    for line in stored.lines {
        let own = match line.discount {
            Some(d) => Some(discount_of(d).ok_or_else(|| broken("a bad line discount".into()))?),
            None => None,
        };
        adjustments.push((own, line.overridden_from.map(Yen)));
        let kind = match (line.kind.as_str(), line.jan, line.department) {
            ("product", Some(jan), _) => LineKind::Product { jan },
            ("manual", _, _) => LineKind::Manual,
            ("department", _, Some(number)) => LineKind::Department { number },
            (other, _, _) => return Err(broken(format!("unknown line kind {other}"))),
        };
        lines.push(SaleLine {
            kind,
            name: line.name,
            unit_price: Yen(line.unit_price),
            quantity: line.quantity,
            tax_rate: rows::tax_rate(&line.tax_rate)?,
        });
    }
    let discount = match stored.discount {
        Some(d) => {
            Some(discount_of(d).ok_or_else(|| broken("a discount needs percent or yen".into()))?)
        }
        None => None,
    };
    Ok(ParkedCart {
        id,
        parked_at,
        total: Yen(total),
        lines,
        adjustments: LineAdjustments::from_lines(adjustments),
        discount,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::journal;
    use regi_core::domain::line_adjustments::LineAdjustments;
    use regi_core::domain::{Discount, LineKind, SaleLine, SubtotalDiscount, TaxRate, Yen};
    use regi_core::records::CartToPark;

    fn lines() -> Vec<SaleLine> {
        vec![
            SaleLine {
                kind: LineKind::Product {
                    jan: "4901234567894".into(),
                },
                name: "おにぎり".into(),
                unit_price: Yen(150),
                quantity: 2,
                tax_rate: TaxRate::Reduced8,
            },
            SaleLine {
                kind: LineKind::Department { number: 1 },
                name: "一般".into(),
                unit_price: Yen(500),
                quantity: 1,
                tax_rate: TaxRate::Standard10,
            },
        ]
    }

    #[test]
    fn a_parked_cart_comes_back_as_rung_with_its_discount_and_only_once() {
        let (_dir, mut journal) = journal();
        let discount = SubtotalDiscount {
            discount: Discount::Percent(10),
            reason: Some("会員".into()),
        };
        let mut adjustments = LineAdjustments::default();
        adjustments.fit(2);
        adjustments.set_discount(
            0,
            Some(SubtotalDiscount {
                discount: Discount::Yen(Yen(50)),
                reason: None,
            }),
        );
        adjustments.note_override(1, Yen(550));
        let id = journal
            .park_cart(&CartToPark {
                lines: lines(),
                adjustments: adjustments.clone(),
                discount: Some(discount.clone()),
                total: Yen(720),
            })
            .unwrap();
        let waiting = journal.parked_carts().unwrap();
        assert_eq!(waiting.len(), 1);
        assert_eq!(
            (waiting[0].id, waiting[0].total, waiting[0].items()),
            (id, Yen(720), 3)
        );
        let recalled = journal.recall_cart(id).unwrap();
        assert_eq!(recalled.lines, lines());
        assert_eq!(recalled.adjustments, adjustments);
        assert_eq!(recalled.discount, Some(discount));
        assert!(journal.parked_carts().unwrap().is_empty());
        assert!(journal.recall_cart(id).is_err(), "a cart is recalled once");
    }

    #[test]
    fn an_empty_cart_is_not_parked() {
        let (_dir, mut journal) = journal();
        let empty = CartToPark {
            lines: Vec::new(),
            adjustments: LineAdjustments::default(),
            discount: None,
            total: Yen(0),
        };
        assert!(journal.park_cart(&empty).is_err());
        assert!(journal.parked_carts().unwrap().is_empty());
    }
}
