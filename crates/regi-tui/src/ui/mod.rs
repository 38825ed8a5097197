//! Drawing: read-only views of `App`, and the terminal they are drawn on.

pub mod cart_strings;
pub mod customer;
pub mod drawer_strings;
pub mod render;
pub mod screens;
pub mod staff_strings;
pub mod store_cli_strings;
pub mod store_strings;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod widgets;

pub use render::render;
