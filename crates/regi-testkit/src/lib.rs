//! Fixtures the workspace's tests share, and nothing else: a checkout engine wired to a Pokepay
//! emulator on loopback with a journal in a temporary directory (`engine`), and the four ways the
//! official Pokepay SDKs put a call on the wire (`envelope_style`), and a throwaway PostgreSQL
//! cluster for store mode (`postgres`). A dev-dependency only: no
//! shipped crate links it.

pub mod engine;
pub mod envelope_style;
pub mod postgres;
