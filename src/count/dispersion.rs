//! A term's occurrences in each dispersion part: a few parts inline, all of them in an array once
//! the term is spread wider. Counting adds to it once per document the term occurs in, so a rare term
//! costs no allocation and a frequent one a direct index.

use super::DISPERSION_PARTS;

/// Parts a term holds inline before it gets an array of all parts.
const INLINE: usize = 4;

/// A term's occurrences per dispersion part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartCounts {
    /// At most [`INLINE`] parts, in the order first seen.
    Few {
        /// How many of the arrays' entries are used.
        len: u8,
        /// The parts.
        parts: [u8; INLINE],
        /// Occurrences in each.
        counts: [u64; INLINE],
    },
    /// Occurrences in every part, each below 2^32: half the memory of [`PartCounts::Wide`], and
    /// nearly every spread term's for good (a part of a corpus holding 2^32 occurrences of one
    /// term is hundreds of billions of words).
    All(Box<[u32; DISPERSION_PARTS]>),
    /// Occurrences in every part, once one of them reached 2^32.
    Wide(Box<[u64; DISPERSION_PARTS]>),
}

impl Default for PartCounts {
    fn default() -> Self {
        PartCounts::Few { len: 0, parts: [0; INLINE], counts: [0; INLINE] }
    }
}

impl PartCounts {
    /// Adds `n` occurrences in `part`.
    #[inline]
    pub fn add(&mut self, part: u8, n: u64) {
        match self {
            PartCounts::Wide(all) => all[part as usize] += n,
            PartCounts::All(all) => match u32::try_from(n).ok().and_then(|n| all[part as usize].checked_add(n)) {
                Some(sum) => all[part as usize] = sum,
                None => {
                    let mut wide = Box::new([0u64; DISPERSION_PARTS]);
                    for (w, &c) in wide.iter_mut().zip(all.iter()) {
                        *w = u64::from(c);
                    }
                    wide[part as usize] += n;
                    *self = PartCounts::Wide(wide);
                }
            },
            PartCounts::Few { len, parts, counts } => {
                let used = *len as usize;
                if let Some(i) = parts[..used].iter().position(|&p| p == part) {
                    counts[i] += n;
                } else if used < INLINE {
                    parts[used] = part;
                    counts[used] = n;
                    *len += 1;
                } else {
                    let (parts, counts) = (*parts, *counts);
                    *self = PartCounts::All(Box::new([0u32; DISPERSION_PARTS]));
                    for (p, c) in parts.into_iter().zip(counts) {
                        self.add(p, c);
                    }
                    self.add(part, n);
                }
            }
        }
    }

    /// The parts the term occurs in, with its occurrences in each, by part.
    pub fn iter(&self) -> Vec<(u8, u64)> {
        let all = |counts: &mut dyn Iterator<Item = u64>| -> Vec<(u8, u64)> {
            (0..DISPERSION_PARTS as u8).zip(counts).filter(|p| p.1 > 0).collect()
        };
        match self {
            PartCounts::Wide(wide) => all(&mut wide.iter().copied()),
            PartCounts::All(narrow) => all(&mut narrow.iter().map(|&c| u64::from(c))),
            PartCounts::Few { len, parts, counts } => {
                let mut few: Vec<(u8, u64)> =
                    parts.iter().copied().zip(counts.iter().copied()).take(*len as usize).collect();
                few.sort_unstable();
                few
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_parts_inline_then_all_with_the_same_totals() {
        let mut counts = PartCounts::default();
        let mut expected = [0u64; DISPERSION_PARTS];
        for (k, part) in [7u8, 3, 7, 99, 0, 3, 50, 50, 1].into_iter().enumerate() {
            counts.add(part, k as u64 + 1);
            expected[part as usize] += k as u64 + 1;
            if k == 3 {
                assert!(matches!(counts, PartCounts::Few { len: 3, .. }), "{counts:?}");
            }
        }
        assert!(matches!(counts, PartCounts::All(_)));
        let listed: Vec<(u8, u64)> = (0..DISPERSION_PARTS as u8).zip(expected).filter(|p| p.1 > 0).collect();
        assert_eq!(counts.iter(), listed, "by part, empty parts left out");
        let mut few = PartCounts::default();
        few.add(9, 1);
        few.add(2, 5);
        assert_eq!(few.iter(), [(2, 5), (9, 1)]);
        few.merge(&counts);
        assert_eq!(few.iter().iter().map(|p| p.1).sum::<u64>(), expected.iter().sum::<u64>() + 6);
    }

    #[test]
    fn a_part_past_two_to_the_32_widens_every_part_and_loses_nothing() {
        let mut counts = PartCounts::default();
        for part in 0..10u8 {
            counts.add(part, u64::from(part) + 1);
        }
        assert!(matches!(counts, PartCounts::All(_)));
        counts.add(3, u64::from(u32::MAX) - 4); // 4 + 2^32 - 5: one short of 2^32
        assert!(matches!(counts, PartCounts::All(_)));
        counts.add(3, 1);
        assert!(matches!(counts, PartCounts::Wide(_)), "2^32 in part 3");
        counts.add(5, 1 << 40); // more than a u32 at once
        let mut expected: Vec<(u8, u64)> = (0..10u8).map(|p| (p, u64::from(p) + 1)).collect();
        expected[3].1 = 1 << 32;
        expected[5].1 += 1 << 40;
        assert_eq!(counts.iter(), expected);
        let mut big_at_once = PartCounts::default();
        for part in 0..5u8 {
            big_at_once.add(part, 1 << 33);
        }
        assert!(matches!(big_at_once, PartCounts::Wide(_)));
        assert_eq!(big_at_once.iter(), (0..5u8).map(|p| (p, 1 << 33)).collect::<Vec<_>>());
    }
}
