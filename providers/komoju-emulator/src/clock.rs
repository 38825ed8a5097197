//! Time as the KOMOJU emulator reads it: the emulator kit's clock (re-exported here, so a test
//! moves a [`ManualClock`] instead of waiting), cut to the millisecond KOMOJU writes. Session
//! expiry and idempotency-key lifetimes read it through [`komoju_now`].

use chrono::SubsecRound;

pub use regi_emulator_kit::clock::{Clock, ManualClock, Step, SystemClock, jst};
use regi_komoju::wire::Timestamp;

/// The clock's time to the millisecond (what KOMOJU writes, so a time reads back as it was).
pub fn komoju_now(clock: &(impl Clock + ?Sized)) -> Timestamp {
    clock.now().trunc_subsecs(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emulators_time_is_whole_milliseconds() {
        let clock = ManualClock::starting_now();
        clock.advance(std::time::Duration::from_micros(1_234));
        assert_eq!(komoju_now(&clock).timestamp_subsec_nanos() % 1_000_000, 0);
        assert!(komoju_now(&clock) <= clock.now());
    }
}
