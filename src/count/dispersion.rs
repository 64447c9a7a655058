//! A term's occurrences in each dispersion part it occurs in: which parts, as the bits of one
//! number, and the occurrences in each, in part order. Counting adds to it once per document the
//! term occurs in; a part's place among the counts is the number of parts below it (one popcount),
//! so a term spread over a few parts holds a few counts, not one for every part, and a rare term's
//! stay inline, with no allocation.

use smallvec::SmallVec;

use super::DISPERSION_PARTS;

const _: () = assert!(DISPERSION_PARTS <= 128, "a part is a bit of a u128");

/// A term's occurrences per dispersion part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartCounts {
    /// Bit `p` is set when part `p` holds any occurrence.
    present: u128,
    /// The occurrences in each part present, in part order.
    counts: Occurrences,
}

/// The occurrences in each part present.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Occurrences {
    /// Each below 2^32: nearly every term's for good (a part of a corpus holding 2^32 occurrences
    /// of one term is hundreds of billions of words). Four parts fit without allocating.
    Narrow(SmallVec<[u32; 4]>),
    /// Once a part reaches 2^32.
    Wide(Vec<u64>),
}

impl Default for Occurrences {
    fn default() -> Self {
        Occurrences::Narrow(SmallVec::new())
    }
}

impl PartCounts {
    /// Adds `n` occurrences in `part`.
    #[inline]
    pub fn add(&mut self, part: u8, n: u64) {
        let bit = 1u128 << part;
        let at = (self.present & (bit - 1)).count_ones() as usize;
        let new = self.present & bit == 0;
        self.present |= bit;
        match &mut self.counts {
            Occurrences::Narrow(counts) => {
                let sum = u32::try_from(n).ok().and_then(|n| if new { Some(n) } else { counts[at].checked_add(n) });
                match (sum, new) {
                    (Some(sum), false) => counts[at] = sum,
                    (Some(sum), true) => counts.insert(at, sum),
                    (None, _) => {
                        let mut wide: Vec<u64> = counts.iter().map(|&c| u64::from(c)).collect();
                        match new {
                            true => wide.insert(at, n),
                            false => wide[at] += n,
                        }
                        self.counts = Occurrences::Wide(wide);
                    }
                }
            }
            Occurrences::Wide(counts) if new => counts.insert(at, n),
            Occurrences::Wide(counts) => counts[at] += n,
        }
    }

    /// The parts the term occurs in, with its occurrences in each, by part.
    pub fn iter(&self) -> Vec<(u8, u64)> {
        let parts = (0..DISPERSION_PARTS as u8).filter(|&p| self.present >> p & 1 == 1);
        match &self.counts {
            Occurrences::Narrow(counts) => parts.zip(counts.iter().map(|&c| u64::from(c))).collect(),
            Occurrences::Wide(counts) => parts.zip(counts.iter().copied()).collect(),
        }
    }

    /// Adds the occurrences of `other`.
    pub fn merge(&mut self, other: &PartCounts) {
        for (part, n) in other.iter() {
            self.add(part, n);
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
    fn few_parts_stay_inline() {
        let mut counts = PartCounts::default();
        for part in [99u8, 0, 64, 63] {
            counts.add(part, 2);
        }
        assert!(matches!(&counts.counts, Occurrences::Narrow(c) if !c.spilled()), "{counts:?}");
        counts.add(1, 1);
        assert!(matches!(&counts.counts, Occurrences::Narrow(c) if c.spilled()));
        assert_eq!(counts.iter(), [(0, 2), (1, 1), (63, 2), (64, 2), (99, 2)]);
    }

    #[test]
    fn a_part_past_two_to_the_32_widens_every_part_and_loses_nothing() {
        let mut counts = PartCounts::default();
        for part in 0..10u8 {
            counts.add(part, u64::from(part) + 1);
        }
        counts.add(3, u64::from(u32::MAX) - 4); // 4 + 2^32 - 5: one short of 2^32
        assert!(matches!(counts.counts, Occurrences::Narrow(_)));
        counts.add(3, 1);
        assert!(matches!(counts.counts, Occurrences::Wide(_)), "2^32 in part 3");
        counts.add(5, 1 << 40); // more than a u32 at once
        counts.add(70, 1); // a new part once wide
        let mut expected: Vec<(u8, u64)> = (0..10u8).map(|p| (p, u64::from(p) + 1)).collect();
        expected[3].1 = 1 << 32;
        expected[5].1 += 1 << 40;
        expected.push((70, 1));
        assert_eq!(counts.iter(), expected);
        let mut big_at_once = PartCounts::default();
        big_at_once.add(9, 1);
        big_at_once.add(4, 1 << 33); // a new part, too big for 32 bits
        assert!(matches!(big_at_once.counts, Occurrences::Wide(_)));
        assert_eq!(big_at_once.iter(), [(4, 1 << 33), (9, 1)]);
    }
}
