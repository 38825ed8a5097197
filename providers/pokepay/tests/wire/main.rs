//! The Pokepay envelope codec and wire types under generated input: whatever arrives is decoded
//! or refused, never a panic, and what is sealed opens to the same text.

mod fuzz_envelope;
mod fuzz_wire;
