//! The member of staff on duty at a register (担当者): who rang each sale, gave each refund,
//! voided a cart or moved the drawer's cash. A manager may do what the manager PIN guards.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    #[default]
    Clerk,
    Manager,
}

impl StaffRole {
    pub const fn as_str(self) -> &'static str {
        match self {
            StaffRole::Clerk => "clerk",
            StaffRole::Manager => "manager",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffOnDuty {
    /// The staff code (digits), as configured and journaled.
    pub code: String,
    /// As printed on receipts (担当).
    pub name: String,
    pub role: StaffRole,
}
