//! `regi backup` and `regi restore`: a copy of the journal taken beside a selling till, and the
//! journal put back from one, refused over a newer journal or while a till holds it.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use regi_journal::{JournalMark, backup_journal, journal_path, restore_journal};

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The file to write (owner-only), or a directory to put `journal-YYYYMMDD-HHMMSS.sqlite` in.
    #[arg(long, value_name = "PATH")]
    pub to: PathBuf,
    /// Copy the training journal instead.
    #[arg(long)]
    pub training: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// A backup written by `regi backup`.
    #[arg(long, value_name = "PATH")]
    pub from: PathBuf,
    /// Restore the training journal instead.
    #[arg(long)]
    pub training: bool,
}

/// Writes the backup and says where and what it holds.
pub fn backup(data_dir: &Path, args: &BackupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let journal = journal_path(data_dir, args.training);
    if !journal.exists() {
        anyhow::bail!("no journal at {} to back up", journal.display());
    }
    let (written, mark) = backup_journal(&journal, &args.to)?;
    writeln!(
        out,
        "backed up to {}: {}",
        written.display(),
        describe(&mark)
    )?;
    Ok(())
}

/// Puts the journal back from a backup and says what it now holds.
pub fn restore(data_dir: &Path, args: &RestoreArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let journal = journal_path(data_dir, args.training);
    let mark = restore_journal(&journal, &args.from)?;
    writeln!(
        out,
        "restored {} from {}: {}",
        journal.display(),
        args.from.display(),
        describe(&mark)
    )?;
    Ok(())
}

fn describe(mark: &JournalMark) -> String {
    match &mark.last_event {
        Some((_, at, _)) => format!(
            "{} sales, last recorded {}",
            mark.sales,
            regi_journal::local_time(at, "%Y-%m-%d %H:%M:%S")
        ),
        None => format!("{} sales", mark.sales),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_then_a_restore_over_a_lost_journal_says_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let journal = journal_path(dir.path(), false);
        let mut j = regi_journal::Journal::open(&journal).unwrap();
        let mut cart = regi_core::domain::Cart::new(
            Default::default(),
            regi_core::domain::AmountGuard::new(regi_core::domain::Yen(10_000)),
        );
        cart.add_manual(
            regi_core::domain::Yen(500),
            regi_core::domain::TaxRate::Standard10,
            None,
        )
        .unwrap();
        j.create_sale(&cart.checkout().unwrap(), &Default::default())
            .unwrap();
        let copy = dir.path().join("copy.sqlite");
        let mut out = Vec::new();
        backup(
            dir.path(),
            &BackupArgs {
                to: copy.clone(),
                training: false,
            },
            &mut out,
        )
        .unwrap();
        let said = String::from_utf8(out).unwrap();
        assert!(said.contains("1 sales"), "{said}");
        drop(j);
        std::fs::remove_file(&journal).unwrap();
        let mut out = Vec::new();
        let args = RestoreArgs {
            from: copy,
            training: false,
        };
        restore(dir.path(), &args, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("restored"));
    }
}
