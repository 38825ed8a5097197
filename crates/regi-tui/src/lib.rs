//! The terminal UI of regi: the views (pure functions of the app's state), the strings in both
//! languages, and the runtime that turns terminal input into messages and the app's commands into
//! effects through small service ports.

pub mod runtime;
pub mod ui;
