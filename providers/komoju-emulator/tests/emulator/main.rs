//! The emulator over real loopback sockets, spoken to in raw HTTP the way an independent KOMOJU
//! client would: shapes, auth, errors, idempotency, the hosted page, the customer side, faults,
//! persistence, paying a session through the API, and the regi configuration it writes.

mod api_shapes;
mod customer_side;
mod faults;
mod hosted_page;
mod idempotency;
mod persistence;
mod session_pay;
mod support;
