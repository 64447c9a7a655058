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
    /// Occurrences in every part, by part.
    All(Box<[u64; DISPERSION_PARTS]>),
}

impl Default for PartCounts {
    fn default() -> Self {
        PartCounts::Few { len: 0, parts: [0; INLINE], counts: [0; INLINE] }
    }
}

impl PartCounts {
    /// Adds `n` occurrences in `part` (below [`DISPERSION_PARTS`]).
    #[inline]
    pub fn add(&mut self, part: u8, n: u64) {
        match self {
            PartCounts::All(all) => all[part as usize] += n,
            PartCounts::Few { len, parts, counts } => {
                let used = *len as usize;
                if let Some(i) = parts[..used].iter().position(|&p| p == part) {
                    counts[i] += n;
                } else if used < INLINE {
                    parts[used] = part;
                    counts[used] = n;
                    *len += 1;
                } else {
                    let mut all = Box::new([0u64; DISPERSION_PARTS]);
                    for (&p, &c) in parts.iter().zip(counts.iter()) {
                        all[p as usize] += c;
                    }
                    all[part as usize] += n;
                    *self = PartCounts::All(all);
                }
            }
        }
    }

    /// The parts the term occurs in and its occurrences in each, by part.
    pub fn iter(&self) -> Vec<(u8, u64)> {
        match self {
            PartCounts::All(all) => (0..DISPERSION_PARTS as u8).zip(all.iter().copied()).filter(|p| p.1 > 0).collect(),
            PartCounts::Few { len, parts, counts } => {
                let mut few: Vec<(u8, u64)> =
                    parts.iter().copied().zip(counts.iter().copied()).take(*len as usize).collect();
                few.sort_unstable();
                few
            }
        }
    }

    /// Adds another count of the same term (in other documents).
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
}
