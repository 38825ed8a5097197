//! `regi staff add|list|remove`: who may sign in at the register (担当者). A member's PIN is
//! typed twice without echo (or piped in) and kept in regi.toml as an argon2id hash; `list` never
//! shows a PIN or a card.

use std::path::Path;

use serde_json::json;

use regi_config::{Config, Lang, MAX_STAFF_CODE, remove_staff, write_staff};
use regi_core::records::StaffRole;

#[derive(Debug, clap::Args)]
pub struct StaffArgs {
    #[command(subcommand)]
    pub action: StaffAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum StaffAction {
    /// Add a member (or replace the one with that code), asking for their PIN (4 to 8 digits).
    Add {
        /// The staff code typed at sign-in: 1 to 8 digits.
        code: String,
        /// The name printed on receipts (担当).
        #[arg(long)]
        name: String,
        /// clerk, or manager (a manager's PIN also opens what the manager PIN guards).
        #[arg(long, default_value = "clerk", value_parser = parse_role)]
        role: StaffRole,
        /// A staff card's barcode: scanning it signs the member in.
        #[arg(long)]
        card: Option<String>,
    },
    /// The members configured (code, name, role; never a PIN or a card).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a member.
    Remove { code: String },
}

fn parse_role(text: &str) -> Result<StaffRole, String> {
    match text {
        "clerk" => Ok(StaffRole::Clerk),
        "manager" => Ok(StaffRole::Manager),
        other => Err(format!("{other}: the role is clerk or manager")),
    }
}

pub fn run(
    config_path: &Path,
    config: Option<&Config>,
    lang: Lang,
    args: &StaffArgs,
) -> anyhow::Result<()> {
    match &args.action {
        StaffAction::Add {
            code,
            name,
            role,
            card,
        } => {
            if code.is_empty()
                || code.len() > MAX_STAFF_CODE
                || !code.chars().all(|c| c.is_ascii_digit())
            {
                anyhow::bail!("the staff code must be 1 to {MAX_STAFF_CODE} digits");
            }
            if name.trim().is_empty() {
                anyhow::bail!("the name must not be empty");
            }
            let hash = regi_tui::runtime::pin_command::new_pin_hash(lang)?;
            write_staff(
                config_path,
                code,
                name.trim(),
                *role,
                &hash,
                card.as_deref(),
            )?;
            println!(
                "staff {code} ({}) saved in {}",
                name.trim(),
                config_path.display()
            );
        }
        StaffAction::List { json } => {
            let members = config.map(|c| c.staff.members()).unwrap_or_default();
            if *json {
                let list: Vec<_> = members
                    .iter()
                    .map(|m| {
                        json!({
                            "code": m.code,
                            "name": m.name,
                            "role": m.role.as_str(),
                            "card": m.card.is_some(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else if members.is_empty() {
                println!("no staff configured: the register asks nobody to sign in");
            } else {
                for m in members {
                    let card = if m.card.is_some() { "  (card)" } else { "" };
                    println!("{:>8}  {:<8} {}{card}", m.code, m.role.as_str(), m.name);
                }
            }
        }
        StaffAction::Remove { code } => {
            if remove_staff(config_path, code)? {
                println!("staff {code} removed from {}", config_path.display());
            } else {
                anyhow::bail!("no staff {code} in {}", config_path.display());
            }
        }
    }
    Ok(())
}
