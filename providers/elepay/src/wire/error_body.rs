//! elepay's error answer. Its SDKs do not declare one; the documented codes are 7 characters
//! (`M002007`) and older answers used `{code, message}`, some `errorCode`, so both are read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default, alias = "errorCode", skip_serializing_if = "String::is_empty")]
    pub code: String,
    #[serde(
        default,
        alias = "errorMessage",
        skip_serializing_if = "String::is_empty"
    )]
    pub message: String,
}
