//! The member of staff on duty at this register (担当者), stamped on every sale, refund, drawer
//! movement and parked cart written while they are signed in. The stamp is made by temporary
//! triggers of this connection, so no way of writing those rows can leave it out; signing in and
//! out are journaled as events.

use rusqlite::{Connection, params};
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::sales::append_event;
use regi_core::records::StaffOnDuty;

/// This connection's member of staff on duty (one row, or none), and the triggers that copy it
/// onto each new row.
const STAMP: &str = "
CREATE TEMP TABLE IF NOT EXISTS on_duty (code TEXT NOT NULL, name TEXT NOT NULL);
CREATE TEMP TRIGGER IF NOT EXISTS sales_on_duty AFTER INSERT ON main.sales
WHEN EXISTS (SELECT 1 FROM temp.on_duty) AND NEW.origin_sale_id IS NULL
BEGIN
    UPDATE main.sales SET staff_code = (SELECT code FROM temp.on_duty),
                          staff_name = (SELECT name FROM temp.on_duty)
    WHERE id = NEW.id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS refunds_on_duty AFTER INSERT ON main.refunds
WHEN EXISTS (SELECT 1 FROM temp.on_duty)
BEGIN
    UPDATE main.refunds SET staff_code = (SELECT code FROM temp.on_duty),
                            staff_name = (SELECT name FROM temp.on_duty)
    WHERE id = NEW.id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS drawer_on_duty AFTER INSERT ON main.drawer_movements
WHEN EXISTS (SELECT 1 FROM temp.on_duty)
BEGIN
    UPDATE main.drawer_movements SET staff = (SELECT code FROM temp.on_duty) WHERE id = NEW.id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS parked_on_duty AFTER INSERT ON main.parked_carts
WHEN EXISTS (SELECT 1 FROM temp.on_duty)
BEGIN
    UPDATE main.parked_carts SET staff = (SELECT code FROM temp.on_duty) WHERE id = NEW.id;
END;
";

pub(super) fn stamp_rows_with_staff_on_duty(conn: &Connection) -> Result<(), JournalError> {
    conn.execute_batch(STAMP)?;
    Ok(())
}

impl Journal {
    /// `staff` is on duty from now on: every row written is theirs until they sign out.
    pub fn sign_in(&mut self, staff: &StaffOnDuty) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        tx.execute("DELETE FROM temp.on_duty", [])?;
        tx.execute(
            "INSERT INTO temp.on_duty (code, name) VALUES (?1, ?2)",
            params![staff.code, staff.name],
        )?;
        append_event(
            &tx,
            &now,
            None,
            None,
            "staff_signed_in",
            &json!({ "code": staff.code, "name": staff.name, "role": staff.role.as_str() }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Nobody is on duty any more (a shift ends, or the register is handed over).
    pub fn sign_out(&mut self) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let code: Option<String> = tx
            .query_row("SELECT code FROM temp.on_duty", [], |r| r.get(0))
            .ok();
        tx.execute("DELETE FROM temp.on_duty", [])?;
        if let Some(code) = code {
            append_event(
                &tx,
                &now,
                None,
                None,
                "staff_signed_out",
                &json!({ "code": code }),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{journal, sale};
    use regi_core::domain::Yen;
    use regi_core::records::{StaffOnDuty, StaffRole};

    fn yamada() -> StaffOnDuty {
        StaffOnDuty {
            code: "101".into(),
            name: "山田".into(),
            role: StaffRole::Clerk,
        }
    }

    #[test]
    fn a_sale_and_a_float_written_while_signed_in_carry_the_staff_and_none_after_sign_out() {
        let (_dir, mut journal) = journal();
        let before = sale(&mut journal, 500);
        journal.sign_in(&yamada()).unwrap();
        let during = sale(&mut journal, 700);
        journal.set_float(Yen(10_000)).unwrap();
        journal.sign_out().unwrap();
        let after = sale(&mut journal, 900);
        let staff = |id: i64| journal.sale(id).unwrap().sale.staff;
        assert_eq!(staff(before), None);
        assert_eq!(staff(during).as_deref(), Some("山田"));
        assert_eq!(staff(after), None);
        let drawer: Option<String> = journal
            .conn
            .query_row("SELECT staff FROM drawer_movements", [], |r| r.get(0))
            .unwrap();
        assert_eq!(drawer.as_deref(), Some("101"));
        let events: i64 = journal
            .conn
            .query_row(
                "SELECT COUNT(*) FROM events WHERE kind IN ('staff_signed_in', 'staff_signed_out')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(events, 2);
    }
}
