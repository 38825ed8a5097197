//! The chaos run's script, drawn from the seed before anything runs: what each checkout is, what
//! the customer does, and when the register is killed. Pure, so a seed always gives the same run
//! plan (the moments are relative, so the same plan can still meet different timings).

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// What kind of checkout, and how the customer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// QR payment; a customer with money scans.
    QrPay,
    /// QR top-up; the customer scans to receive.
    QrTopup,
    /// QR payment a customer without enough money scans: refused.
    QrRefused,
    /// QR payment the clerk cancels (Ctrl-C) before anyone scans.
    QrCancel,
    /// Customer-presented code, payment.
    CpmPay,
    /// Customer-presented code, top-up.
    CpmTopup,
    /// Customer-presented code without enough money: refused.
    CpmRefused,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::QrPay,
        Kind::QrTopup,
        Kind::QrRefused,
        Kind::QrCancel,
        Kind::CpmPay,
        Kind::CpmTopup,
        Kind::CpmRefused,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::QrPay => "qr payment",
            Kind::QrTopup => "qr top-up",
            Kind::QrRefused => "qr refused",
            Kind::QrCancel => "qr cancelled",
            Kind::CpmPay => "code payment",
            Kind::CpmTopup => "code top-up",
            Kind::CpmRefused => "code refused",
        }
    }

    pub fn is_qr(self) -> bool {
        matches!(
            self,
            Kind::QrPay | Kind::QrTopup | Kind::QrRefused | Kind::QrCancel
        )
    }

    pub fn is_topup(self) -> bool {
        matches!(self, Kind::QrTopup | Kind::CpmTopup)
    }

    /// Whether the customer who acts is the one without money.
    pub fn poor_customer(self) -> bool {
        matches!(self, Kind::QrRefused | Kind::CpmRefused)
    }

    /// Share of checkouts of this kind, in percent.
    fn weight(self) -> u32 {
        match self {
            Kind::QrPay => 35,
            Kind::QrTopup => 8,
            Kind::QrRefused => 5,
            Kind::QrCancel => 10,
            Kind::CpmPay => 27,
            Kind::CpmTopup => 5,
            Kind::CpmRefused => 10,
        }
    }
}

/// The moment a kill is timed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The checkout process was started (it is recovering, creating the sale, charging...).
    Spawned,
    /// It showed its QR.
    Presented,
    /// The customer's scan went through.
    CustomerActed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kill {
    pub stage: Stage,
    pub delay: Duration,
    /// The customer scans the QR anyway, right after the register died (when it was showing one
    /// and had not been scanned yet).
    pub scan_after_kill: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Position in the whole run (0-based).
    pub index: usize,
    pub kind: Kind,
    /// Positive yen.
    pub amount: i64,
    /// How long the customer (or clerk, for a cancel) takes after the QR shows.
    pub think: Duration,
    pub kill: Option<Kill>,
}

/// A kill moment suited to `kind`, drawn from `rng` (also used when a kill is carried over to the
/// next checkout because its process had already finished).
pub fn draw_kill(rng: &mut StdRng, kind: Kind) -> Kill {
    let stage = if kind.is_qr() {
        match rng.random_range(0..3) {
            0 => Stage::Spawned,
            1 => Stage::Presented,
            _ if kind == Kind::QrCancel => Stage::Presented,
            _ => Stage::CustomerActed,
        }
    } else {
        Stage::Spawned
    };
    let max_ms = match stage {
        // Start-up, recovery and a code charge take a few hundred milliseconds.
        Stage::Spawned => 700,
        Stage::Presented => 1500,
        Stage::CustomerActed => 1200,
    };
    Kill {
        stage,
        delay: Duration::from_millis(rng.random_range(0..=max_ms)),
        scan_after_kill: rng.random_bool(0.5),
    }
}

/// `checkouts` checkouts with `kills` of them (distinct, chosen at random) killed.
pub fn plan(seed: u64, checkouts: usize, kills: usize) -> Vec<Planned> {
    let mut rng = StdRng::seed_from_u64(seed);
    let total: u32 = Kind::ALL.iter().map(|k| k.weight()).sum();
    let mut out: Vec<Planned> = (0..checkouts)
        .map(|index| {
            let mut pick = rng.random_range(0..total);
            let mut kind = Kind::QrPay;
            for k in Kind::ALL {
                if pick < k.weight() {
                    kind = k;
                    break;
                }
                pick -= k.weight();
            }
            let amount = match kind {
                Kind::QrTopup | Kind::CpmTopup => rng.random_range(10..=50) * 100,
                Kind::QrRefused | Kind::CpmRefused => rng.random_range(1_000..=3_000),
                _ => rng.random_range(100..=2_500),
            };
            Planned {
                index,
                kind,
                amount,
                think: Duration::from_millis(rng.random_range(0..=1500)),
                kill: None,
            }
        })
        .collect();
    let mut indices: Vec<usize> = (0..checkouts).collect();
    for slot in 0..kills.min(checkouts) {
        let pick = rng.random_range(slot..checkouts);
        indices.swap(slot, pick);
        let target = indices[slot];
        let kind = out[target].kind;
        out[target].kill = Some(draw_kill(&mut rng, kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_plan() {
        assert_eq!(plan(9, 300, 20), plan(9, 300, 20));
        assert_ne!(plan(9, 300, 20), plan(10, 300, 20));
    }

    #[test]
    fn exactly_the_asked_kills_and_every_kind_appears() {
        let p = plan(3, 1000, 20);
        assert_eq!(p.iter().filter(|c| c.kill.is_some()).count(), 20);
        for kind in Kind::ALL {
            assert!(p.iter().any(|c| c.kind == kind), "{kind:?}");
        }
        assert_eq!(
            plan(3, 5, 20).iter().filter(|c| c.kill.is_some()).count(),
            5
        );
        assert!(plan(3, 0, 20).is_empty());
    }

    #[test]
    fn kills_fit_the_kind_and_amounts_are_positive() {
        for c in plan(4, 2000, 400) {
            assert!(c.amount > 0);
            if let Some(kill) = c.kill {
                if !c.kind.is_qr() {
                    assert_eq!(kill.stage, Stage::Spawned);
                }
                if c.kind == Kind::QrCancel {
                    assert_ne!(kill.stage, Stage::CustomerActed);
                }
                assert!(kill.delay <= Duration::from_millis(1500));
            }
        }
    }
}
