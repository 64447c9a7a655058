//! A term's occurrences in each dispersion part it occurs in. Most of a corpus's distinct terms are
//! rare and occur in one part: their figure is that part and its occurrences, inline (16 bytes, no
//! allocation). A term in several parts holds which parts, as the bits of one number, and the
//! occurrences in each, in part order, on the heap; a part's place among the counts is the number
//! of parts below it (one popcount), so a term spread over a few parts holds a few counts, not one
//! for every part.

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
    counts: Vec<u64>,
}

impl PartCounts {
    /// Adds `n` occurrences in `part`.
    #[inline]
    pub fn add(&mut self, part: u8, n: u64) {
        match self {
            PartCounts::None => *self = PartCounts::One { part, n },
            PartCounts::One { part: p, n: m } if *p == part => *m += n,
            PartCounts::One { part: p, n: m } => {
                let (first, second) = if *p < part { ((*p, *m), (part, n)) } else { ((part, n), (*p, *m)) };
                let present = 1u128 << first.0 | 1u128 << second.0;
                *self = PartCounts::Several(Box::new(Several { present, counts: vec![first.1, second.1] }));
            }
            PartCounts::Several(several) => {
                let bit = 1u128 << part;
                let at = (several.present & (bit - 1)).count_ones() as usize;
                if several.present & bit == 0 {
                    several.present |= bit;
                    several.counts.insert(at, n);
                } else {
                    several.counts[at] += n;
                }
            }
        }
    }

    /// The parts the term occurs in, with its occurrences in each, by part.
    pub fn iter(&self) -> Vec<(u8, u64)> {
        match self {
            PartCounts::None => Vec::new(),
            PartCounts::One { part, n } => vec![(*part, *n)],
            PartCounts::Several(several) => (0..DISPERSION_PARTS as u8)
                .filter(|&p| several.present >> p & 1 == 1)
                .zip(several.counts.iter().copied())
                .collect(),
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
}
