//! Schema migrations, embedded from the crate's `migrations/` and tracked in `PRAGMA user_version`.

use rusqlite::{Connection, OptionalExtension};

use super::error::JournalError;

/// Migration `n` (1-based) brings the schema to version `n`. Append only; never edit one
/// that has shipped.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_initial",
        include_str!("../migrations/0001_initial.sql"),
    ),
    (
        "0002_money_name",
        include_str!("../migrations/0002_money_name.sql"),
    ),
    (
        "0003_pin_failures",
        include_str!("../migrations/0003_pin_failures.sql"),
    ),
    (
        "0004_neutral_tenders",
        include_str!("../migrations/0004_neutral_tenders.sql"),
    ),
    (
        "0005_held_payments",
        include_str!("../migrations/0005_held_payments.sql"),
    ),
    (
        "0006_partial_refunds",
        include_str!("../migrations/0006_partial_refunds.sql"),
    ),
    ("0007_tabs", include_str!("../migrations/0007_tabs.sql")),
    (
        "0008_tenders",
        include_str!("../migrations/0008_tenders.sql"),
    ),
    (
        "0009_parked_carts",
        include_str!("../migrations/0009_parked_carts.sql"),
    ),
    ("0010_staff", include_str!("../migrations/0010_staff.sql")),
    ("0011_outbox", include_str!("../migrations/0011_outbox.sql")),
    (
        "0012_line_returns",
        include_str!("../migrations/0012_line_returns.sql"),
    ),
    (
        "0013_other_tills_sales",
        include_str!("../migrations/0013_other_tills_sales.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn schema_version(conn: &Connection) -> Result<i64, JournalError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies every migration newer than the file, each in its own transaction with its
/// version bump, so a crash leaves the file at a whole version.
///
/// Foreign keys are off while migrations run (a table rebuilt under its references, as SQLite
/// documents for schema changes), every reference is checked before each commit, and they are
/// on again afterwards.
pub fn migrate(conn: &mut Connection) -> Result<(), JournalError> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(JournalError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = apply_from(conn, found);
    conn.pragma_update(None, "foreign_keys", enforced)?;
    result
}

fn apply_from(conn: &mut Connection, found: i64) -> Result<(), JournalError> {
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= found {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(JournalError::Corrupt(format!(
                "migration {name} would leave a broken reference in {table}"
            )));
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// Read-only openers cannot migrate; they need the file to be exactly current.
pub fn require_current(conn: &Connection) -> Result<(), JournalError> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(JournalError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        return Err(JournalError::Refused(format!(
            "journal schema {found} needs upgrading; run regi once to migrate it"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        for (index, (name, _)) in MIGRATIONS.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", index + 1)), "{name}");
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_newer_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(JournalError::TooNew { .. })
        ));
    }
}
