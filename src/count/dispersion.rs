//! A term's occurrences in each dispersion part it occurs in. Most of a corpus's distinct terms are
//! rare and occur in one part: their figure is that part and its occurrences, inline (16 bytes, no
//! allocation). A term in several parts holds which parts, as the bits of one number, and the
//! occurrences in each, in part order, on the heap, 32 bits each until one outgrows them; a part's
//! place among the counts is the number of parts below it (one popcount), so a term spread over a
//! few parts holds a few counts, not one for every part.

use super::DISPERSION_PARTS;

const _: () = assert!(DISPERSION_PARTS <= 128, "a part is a bit of a u128");

/// A term's occurrences per dispersion part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PartCounts {
    /// No occurrence.
    #[default]
    None,
    /// Every occurrence in one part.
    One {
        /// The part.
        part: u8,
        /// The occurrences in it.
        n: u64,
    },
    /// Occurrences in several parts.
    Several(Box<Several>),
}

/// The occurrences of a term in several parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Several {
    /// Bit `p` is set when part `p` holds any occurrence.
    present: u128,
    /// The occurrences in each part present, in part order.
    counts: Occurrences,
}

/// The occurrences in each part present.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Occurrences {
    /// Each below 2^32: nearly every term's for good (a part of a corpus holding 2^32 occurrences
    /// of one term is hundreds of billions of words), in half the room.
    Narrow(Vec<u32>),
    /// Once a part reaches 2^32.
    Wide(Vec<u64>),
}

impl PartCounts {
    /// Adds `n` occurrences in `part`.
    #[inline]
    pub fn add(&mut self, part: u8, n: u64) {
        match self {
            PartCounts::None => *self = PartCounts::One { part, n },
            PartCounts::One { part: p, n: m } if *p == part => *m += n,
            PartCounts::One { part: p, n: m } => {
                let mut several = Several { present: 1u128 << *p, counts: Occurrences::Narrow(Vec::new()) };
                several.counts.insert(0, *m);
                several.add(part, n);
                *self = PartCounts::Several(Box::new(several));
            }
            PartCounts::Several(several) => several.add(part, n),
        }
    }

    /// The parts the term occurs in, with its occurrences in each, by part.
    pub fn iter(&self) -> Vec<(u8, u64)> {
        match self {
            PartCounts::None => Vec::new(),
            PartCounts::One { part, n } => vec![(*part, *n)],
            PartCounts::Several(several) => {
                let parts = (0..DISPERSION_PARTS as u8).filter(|&p| several.present >> p & 1 == 1);
                match &several.counts {
                    Occurrences::Narrow(counts) => parts.zip(counts.iter().map(|&c| u64::from(c))).collect(),
                    Occurrences::Wide(counts) => parts.zip(counts.iter().copied()).collect(),
                }
            }
        }
    }

    /// Adds the occurrences of `other`.
    pub fn merge(&mut self, other: &PartCounts) {
        for (part, n) in other.iter() {
            self.add(part, n);
        }
    }
}

impl Several {
    /// Adds `n` occurrences in `part`.
    fn add(&mut self, part: u8, n: u64) {
        let bit = 1u128 << part;
        let at = (self.present & (bit - 1)).count_ones() as usize;
        if self.present & bit == 0 {
            self.present |= bit;
            self.counts.insert(at, n);
        } else {
            self.counts.add(at, n);
        }
    }
}

impl Occurrences {
    /// Puts `n` at `at`, the counts after it one place on.
    fn insert(&mut self, at: usize, n: u64) {
        match self {
            Occurrences::Narrow(counts) => match u32::try_from(n) {
                Ok(n) => counts.insert(at, n),
                Err(_) => {
                    self.widen();
                    self.insert(at, n);
                }
            },
            Occurrences::Wide(counts) => counts.insert(at, n),
        }
    }

    /// Adds `n` to the count at `at`.
    fn add(&mut self, at: usize, n: u64) {
        match self {
            Occurrences::Narrow(counts) => match u32::try_from(n).ok().and_then(|n| counts[at].checked_add(n)) {
                Some(sum) => counts[at] = sum,
                None => {
                    self.widen();
                    self.add(at, n);
                }
            },
            Occurrences::Wide(counts) => counts[at] += n,
        }
    }

    /// The same counts, 64 bits each.
    fn widen(&mut self) {
        if let Occurrences::Narrow(counts) = self {
            *self = Occurrences::Wide(counts.iter().map(|&c| u64::from(c)).collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Occurrences by part, as an array of every part would hold them.
    fn listed(all: &[u64; DISPERSION_PARTS]) -> Vec<(u8, u64)> {
        (0..DISPERSION_PARTS as u8).zip(all.iter().copied()).filter(|p| p.1 > 0).collect()
    }

    proptest::proptest! {
        #[test]
        fn parts_added_in_any_order_hold_what_an_array_of_every_part_holds(
            adds in proptest::collection::vec((0..DISPERSION_PARTS as u8, 1..1000u64), 0..300),
        ) {
            let (mut counts, mut expected) = (PartCounts::default(), [0u64; DISPERSION_PARTS]);
            for &(part, n) in &adds {
                counts.add(part, n);
                expected[part as usize] += n;
            }
            proptest::prop_assert_eq!(counts.iter(), listed(&expected));
            // Merged, in halves, the same.
            let (mut first, mut second) = (PartCounts::default(), PartCounts::default());
            for (k, &(part, n)) in adds.iter().enumerate() {
                if k % 2 == 0 { first.add(part, n) } else { second.add(part, n) }
            }
            first.merge(&second);
            proptest::prop_assert_eq!(first.iter(), listed(&expected));
        }
    }

    #[test]
    fn one_part_stays_inline_in_16_bytes() {
        assert_eq!(std::mem::size_of::<PartCounts>(), 16);
        let mut counts = PartCounts::default();
        counts.add(64, 2);
        counts.add(64, 3);
        assert_eq!(counts, PartCounts::One { part: 64, n: 5 });
        counts.add(0, 1);
        assert!(matches!(counts, PartCounts::Several(_)));
        for part in [99u8, 63] {
            counts.add(part, 2);
        }
        assert_eq!(counts.iter(), [(0, 1), (63, 2), (64, 5), (99, 2)]);
    }

    #[test]
    fn a_part_past_two_to_the_32_widens_every_part_and_loses_nothing() {
        let mut counts = PartCounts::default();
        for part in 0..10u8 {
            counts.add(part, u64::from(part) + 1);
        }
        let narrow = |c: &PartCounts| matches!(c, PartCounts::Several(s) if matches!(s.counts, Occurrences::Narrow(_)));
        counts.add(3, u64::from(u32::MAX) - 4); // 4 + 2^32 - 5: one short of 2^32
        assert!(narrow(&counts));
        counts.add(3, 1);
        assert!(!narrow(&counts), "2^32 in part 3");
        counts.add(5, 1 << 40); // more than a u32 at once
        counts.add(70, 1); // a new part once wide
        let mut expected: Vec<(u8, u64)> = (0..10u8).map(|p| (p, u64::from(p) + 1)).collect();
        expected[3].1 = 1 << 32;
        expected[5].1 += 1 << 40;
        expected.push((70, 1));
        assert_eq!(counts.iter(), expected);
        // A term in one part past 2^32, then in a second.
        let mut big_at_once = PartCounts::default();
        big_at_once.add(9, 1 << 33);
        big_at_once.add(4, 1);
        assert!(!narrow(&big_at_once));
        assert_eq!(big_at_once.iter(), [(4, 1), (9, 1 << 33)]);
    }
}
