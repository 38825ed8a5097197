//! The chaos run's script, drawn from the seed before anything runs: what each checkout is, what
//! the customer does, and when the register is killed. Pure, so a seed always gives the same run
//! plan (the moments are relative, so the same plan can still meet different timings). Each
//! provider has its own mix of kinds: what it can do at a till.

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
    /// A hosted payment page (its URL as the QR); a customer with money pays on it.
    PagePay,
    /// A payment page a customer without enough money fails on; it stays open until the clerk
    /// cancels it.
    PageRefused,
    /// A payment page the clerk cancels (Ctrl-C) before anyone pays.
    PageCancel,
    /// Split: a third in cash, then a QR (or page) for the rest, which a customer with money pays.
    SplitQr,
    /// Split: a third in cash, then a QR (or page) a customer without enough money fails on; the
    /// cash is given back.
    SplitQrRefused,
    /// Split: a third in cash, then the customer's code for the rest.
    SplitCode,
    /// Split: a third in cash, then the code of a customer without enough money; the cash is
    /// given back.
    SplitCodeRefused,
}

/// Kinds with their shares of a run, in percent.
pub type Mix = &'static [(Kind, u32)];

/// Pokepay: QR and customer code, payments and top-ups (the order and shares of the first chaos
/// runs, so a seed still gives the plan it always gave).
pub const POKEPAY_MIX: Mix = &[
    (Kind::QrPay, 35),
    (Kind::QrTopup, 8),
    (Kind::QrRefused, 5),
    (Kind::QrCancel, 10),
    (Kind::CpmPay, 27),
    (Kind::CpmTopup, 5),
    (Kind::CpmRefused, 10),
];

/// KOMOJU: the hosted page only (no customer code, no top-up).
pub const KOMOJU_MIX: Mix = &[
    (Kind::PagePay, 70),
    (Kind::PageRefused, 12),
    (Kind::PageCancel, 18),
];

/// elepay: a wallet's own QR and the EasyQR page, about half each.
pub const ELEPAY_MIX: Mix = &[
    (Kind::QrPay, 35),
    (Kind::QrRefused, 6),
    (Kind::QrCancel, 9),
    (Kind::PagePay, 35),
    (Kind::PageRefused, 6),
    (Kind::PageCancel, 9),
];

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::QrPay,
        Kind::QrTopup,
        Kind::QrRefused,
        Kind::QrCancel,
        Kind::CpmPay,
        Kind::CpmTopup,
        Kind::CpmRefused,
        Kind::PagePay,
        Kind::PageRefused,
        Kind::PageCancel,
        Kind::SplitQr,
        Kind::SplitQrRefused,
        Kind::SplitCode,
        Kind::SplitCodeRefused,
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
            Kind::PagePay => "page payment",
            Kind::PageRefused => "page refused",
            Kind::PageCancel => "page cancelled",
            Kind::SplitQr => "cash + qr",
            Kind::SplitQrRefused => "cash + qr refused",
            Kind::SplitCode => "cash + code",
            Kind::SplitCodeRefused => "cash + code refused",
        }
    }

    /// Whether it is a sale paid by cash and then another tender.
    pub fn is_split(self) -> bool {
        matches!(
            self,
            Kind::SplitQr | Kind::SplitQrRefused | Kind::SplitCode | Kind::SplitCodeRefused
        )
    }

    /// The same checkout with a third of it paid in cash first, for the kinds that pay; the
    /// others (top-ups, cancels) as they are.
    pub fn with_cash_first(self) -> Kind {
        match self {
            Kind::QrPay | Kind::PagePay => Kind::SplitQr,
            Kind::QrRefused | Kind::PageRefused => Kind::SplitQrRefused,
            Kind::CpmPay => Kind::SplitCode,
            Kind::CpmRefused => Kind::SplitCodeRefused,
            other => other,
        }
    }

    /// A QR the register draws for the wallet to scan (not a page).
    pub fn is_qr(self) -> bool {
        matches!(
            self,
            Kind::QrPay | Kind::QrTopup | Kind::QrRefused | Kind::QrCancel
        )
    }

    pub fn is_page(self) -> bool {
        matches!(self, Kind::PagePay | Kind::PageRefused | Kind::PageCancel)
    }

    /// Whether the register shows something to scan (a QR or a page's URL) and waits.
    pub fn presents(self) -> bool {
        self.is_qr() || self.is_page() || matches!(self, Kind::SplitQr | Kind::SplitQrRefused)
    }

    /// Whether the clerk cancels before anyone pays.
    pub fn is_cancel(self) -> bool {
        matches!(self, Kind::QrCancel | Kind::PageCancel)
    }

    pub fn is_topup(self) -> bool {
        matches!(self, Kind::QrTopup | Kind::CpmTopup)
    }

    /// Whether the customer who acts is the one without money.
    pub fn poor_customer(self) -> bool {
        matches!(
            self,
            Kind::QrRefused
                | Kind::CpmRefused
                | Kind::PageRefused
                | Kind::SplitQrRefused
                | Kind::SplitCodeRefused
        )
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
    let stage = if kind.presents() {
        match rng.random_range(0..3) {
            0 => Stage::Spawned,
            1 => Stage::Presented,
            _ if kind.is_cancel() => Stage::Presented,
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

/// `checkouts` checkouts of the kinds of `mix` with `kills` of them (distinct, chosen at random)
/// killed.
pub fn plan(seed: u64, checkouts: usize, kills: usize, mix: Mix) -> Vec<Planned> {
    let mut rng = StdRng::seed_from_u64(seed);
    let total: u32 = mix.iter().map(|(_, weight)| weight).sum();
    let mut out: Vec<Planned> = (0..checkouts)
        .map(|index| {
            let mut pick = rng.random_range(0..total.max(1));
            let mut kind = mix.first().map_or(Kind::QrPay, |(k, _)| *k);
            for &(k, weight) in mix {
                if pick < weight {
                    kind = k;
                    break;
                }
                pick -= weight;
            }
            let amount = match kind {
                Kind::QrTopup | Kind::CpmTopup => rng.random_range(10..=50) * 100,
                Kind::QrRefused | Kind::CpmRefused | Kind::PageRefused => {
                    rng.random_range(1_000..=3_000)
                }
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

/// Turns `percent` of the paying checkouts of `planned` into split sales (a third in cash
/// first), drawn from their own stream of `seed` so the rest of the plan stays as the seed gives
/// it.
pub fn split_some(planned: &mut [Planned], seed: u64, percent: u32) {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5b11_7ca5);
    for checkout in planned.iter_mut() {
        if rng.random_range(0..100) < percent {
            checkout.kind = checkout.kind.with_cash_first();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_paying_checkouts_become_split_and_the_rest_of_the_plan_stays() {
        let before = plan(3, 400, 10, POKEPAY_MIX);
        let mut after = before.clone();
        split_some(&mut after, 3, 25);
        let split = after.iter().filter(|c| c.kind.is_split()).count();
        assert!((60..=140).contains(&split), "{split}");
        for (b, a) in before.iter().zip(&after) {
            assert_eq!((b.amount, b.think, b.kill), (a.amount, a.think, a.kill));
            assert!(a.kind == b.kind || a.kind == b.kind.with_cash_first());
            assert!(!b.kind.is_topup() || a.kind == b.kind);
        }
        let mut none = before.clone();
        split_some(&mut none, 3, 0);
        assert_eq!(none, before);
    }

    const MIXES: [Mix; 3] = [POKEPAY_MIX, KOMOJU_MIX, ELEPAY_MIX];

    #[test]
    fn the_same_seed_gives_the_same_plan() {
        for mix in MIXES {
            assert_eq!(plan(9, 300, 20, mix), plan(9, 300, 20, mix));
            assert_ne!(plan(9, 300, 20, mix), plan(10, 300, 20, mix));
        }
    }

    #[test]
    fn a_pokepay_seed_gives_the_plan_it_gave_before_providers_had_mixes() {
        let p = plan(1, 12, 3, POKEPAY_MIX);
        let drawn: Vec<(Kind, i64, u128)> = p
            .iter()
            .map(|c| (c.kind, c.amount, c.think.as_millis()))
            .collect();
        use Kind::*;
        assert_eq!(
            drawn,
            [
                (CpmPay, 2013, 294),
                (QrTopup, 1700, 382),
                (QrCancel, 2001, 1497),
                (CpmPay, 1349, 578),
                (QrCancel, 1087, 1215),
                (CpmRefused, 1865, 291),
                (QrTopup, 1800, 746),
                (QrTopup, 4600, 64),
                (QrCancel, 855, 368),
                (CpmRefused, 2175, 949),
                (QrPay, 1000, 775),
                (QrPay, 1579, 527),
            ]
        );
        let kills: Vec<(usize, Stage, u128, bool)> = p
            .iter()
            .filter_map(|c| {
                c.kill
                    .map(|k| (c.index, k.stage, k.delay.as_millis(), k.scan_after_kill))
            })
            .collect();
        assert_eq!(
            kills,
            [
                (8, Stage::Spawned, 56, true),
                (9, Stage::Spawned, 207, true),
                (11, Stage::Presented, 352, false),
            ]
        );
    }

    #[test]
    fn exactly_the_asked_kills_and_every_kind_of_the_mix_appears_and_no_other() {
        for mix in MIXES {
            let p = plan(3, 1000, 20, mix);
            assert_eq!(p.iter().filter(|c| c.kill.is_some()).count(), 20);
            for (kind, _) in mix {
                assert!(p.iter().any(|c| c.kind == *kind), "{kind:?}");
            }
            assert!(p.iter().all(|c| mix.iter().any(|(k, _)| *k == c.kind)));
            assert_eq!(
                plan(3, 5, 20, mix)
                    .iter()
                    .filter(|c| c.kill.is_some())
                    .count(),
                5
            );
            assert!(plan(3, 0, 20, mix).is_empty());
        }
    }

    #[test]
    fn kills_fit_the_kind_and_amounts_are_positive() {
        for mix in MIXES {
            for c in plan(4, 2000, 400, mix) {
                assert!(c.amount > 0);
                if let Some(kill) = c.kill {
                    if !c.kind.presents() {
                        assert_eq!(kill.stage, Stage::Spawned);
                    }
                    if c.kind.is_cancel() {
                        assert_ne!(kill.stage, Stage::CustomerActed);
                    }
                    assert!(kill.delay <= Duration::from_millis(1500));
                }
            }
        }
    }

    #[test]
    fn komoju_and_elepay_plans_have_no_customer_codes_or_top_ups_and_elepay_mixes_qr_and_page() {
        for mix in [KOMOJU_MIX, ELEPAY_MIX] {
            let p = plan(5, 500, 0, mix);
            assert!(p.iter().all(|c| c.kind.presents() && !c.kind.is_topup()));
        }
        let elepay = plan(5, 500, 0, ELEPAY_MIX);
        assert!(elepay.iter().any(|c| c.kind.is_qr()));
        assert!(elepay.iter().any(|c| c.kind.is_page()));
        assert!(plan(5, 500, 0, KOMOJU_MIX).iter().all(|c| c.kind.is_page()));
    }
}
