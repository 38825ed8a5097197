//! Receipt tests, one binary: receipts of sales paid through the engine, and the print queue.

mod receipts_support;

mod receipts_flow;
mod receipts_queue;
