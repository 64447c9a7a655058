//! Term -> term number, the lookup every token makes.
//!
//! An open-addressing table of 32-byte slots that hold a term's first 16 bytes themselves, so the
//! common lookup (a word of at most 16 bytes, already known) reads one slot and compares two
//! integers, where a map keyed by `Arc<str>` follows a pointer to each candidate key. A longer
//! term keeps its remaining bytes in one shared buffer.

use std::hash::BuildHasher;

/// Marks a slot holding no term.
const EMPTY: u32 = u32::MAX;

/// The bytes of a term a slot holds itself.
const HEAD: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The term's first bytes, as [`head`] packs them.
    head: u128,
    /// The term's hash, which places it.
    hash: u32,
    /// The term's number, or [`EMPTY`].
    id: u32,
    /// The term's length in bytes.
    len: u32,
    /// Where its bytes past the first [`HEAD`] begin in [`TermIds::tails`].
    tail: u32,
}

const EMPTY_SLOT: Slot = Slot { head: 0, hash: 0, id: EMPTY, len: 0, tail: 0 };

/// Term -> its number, for numbers below `u32::MAX`.
#[derive(Debug, Clone, Default)]
pub struct TermIds {
    /// A power of two of them, or none before the first insert.
    slots: Vec<Slot>,
    /// Terms held.
    len: usize,
    /// The bytes past the first [`HEAD`] of every longer term, one after another.
    tails: Vec<u8>,
    /// Seeds of the hash, random per table.
    seed: (u64, u64),
}

/// The first [`HEAD`] bytes of `bytes`, packed so that two terms of the same length have the same
/// head exactly when those bytes are equal. A shorter term's bytes are read as two overlapping
/// words (the first and the last bytes of it), which is a function of its bytes for its length.
fn head(bytes: &[u8]) -> u128 {
    let n = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let half = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")));
    let (lo, hi) = if n >= HEAD {
        (word(0), word(8))
    } else if n >= 8 {
        (word(0), word(n - 8))
    } else if n >= 4 {
        (half(0) | half(n - 4) << 32, 0)
    } else {
        let mut lo = 0u64;
        for (i, &b) in bytes.iter().enumerate() {
            lo |= u64::from(b) << (8 * i);
        }
        (lo, 0)
    };
    u128::from(lo) | u128::from(hi) << 64
}

/// The high and low halves of the 128-bit product, folded into one.
fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ (product >> 64) as u64
}

impl TermIds {
    fn hash(&self, head: u128, bytes: &[u8]) -> u32 {
        let mut h =
            fold_multiply((head as u64) ^ self.seed.0, ((head >> 64) as u64) ^ self.seed.1 ^ bytes.len() as u64);
        if bytes.len() > HEAD {
            h ^= fold_multiply(h, self.seed.0 ^ fold_bytes(&bytes[HEAD..]));
        }
        (h ^ (h >> 32)) as u32
    }

    /// The slot holding `bytes` (`Ok`) or the empty slot where it would go (`Err`). The table has
    /// slots.
    fn find(&self, head: u128, hash: u32, bytes: &[u8]) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let s = &self.slots[at];
            if s.id == EMPTY {
                return Err(at);
            }
            if s.head == head && s.hash == hash && s.len as usize == bytes.len() && self.tail_is(s, bytes) {
                return Ok(at);
            }
            at = (at + 1) & mask;
        }
    }

    fn tail_is(&self, slot: &Slot, bytes: &[u8]) -> bool {
        bytes.len() <= HEAD || {
            let start = slot.tail as usize;
            self.tails[start..start + bytes.len() - HEAD] == bytes[HEAD..]
        }
    }

    /// The number of `term`, if held.
    pub fn get(&self, term: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let bytes = term.as_bytes();
        let head = head(bytes);
        self.find(head, self.hash(head, bytes), bytes).ok().map(|at| self.slots[at].id)
    }

    /// Terms held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Holds `term` under `id`. The term must not be held yet.
    pub fn insert(&mut self, term: &str, id: u32) {
        assert_ne!(id, EMPTY, "a term number below u32::MAX");
        if self.slots.is_empty() {
            self.seed = (rand_u64(), rand_u64());
            self.slots = vec![EMPTY_SLOT; 64];
        } else if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let bytes = term.as_bytes();
        let head = head(bytes);
        let hash = self.hash(head, bytes);
        let at = self.find(head, hash, bytes).expect_err("a term inserted once");
        let len = u32::try_from(bytes.len()).expect("a term shorter than 4 GiB");
        let tail = u32::try_from(self.tails.len()).expect("under 4 GiB of long terms");
        if bytes.len() > HEAD {
            self.tails.extend_from_slice(&bytes[HEAD..]);
        }
        self.slots[at] = Slot { head, hash, id, len, tail };
        self.len += 1;
    }

    /// Twice the slots, each term placed again by the hash it keeps.
    fn grow(&mut self) {
        let doubled = vec![EMPTY_SLOT; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.id != EMPTY) {
            let mut at = s.hash as usize & mask;
            while self.slots[at].id != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = s;
        }
    }
}

/// A hash of a long term's remaining bytes (rare: most words are shorter than [`HEAD`]).
fn fold_bytes(bytes: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(bytes)
}

fn rand_u64() -> u64 {
    foldhash::fast::RandomState::default().hash_one(0u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Inserts `terms` in order (each new one numbered next) and checks every lookup against a
    /// `HashMap` doing the same, including terms never inserted.
    fn assert_same_as_hashmap(terms: &[String], probes: &[String]) {
        let mut ids = TermIds::default();
        let mut map: HashMap<&str, u32> = HashMap::new();
        for t in terms {
            assert_eq!(ids.get(t), map.get(t.as_str()).copied(), "{t:?} before insert");
            if !map.contains_key(t.as_str()) {
                let id = map.len() as u32;
                map.insert(t, id);
                ids.insert(t, id);
            }
        }
        assert_eq!(ids.len(), map.len());
        for t in terms.iter().chain(probes) {
            assert_eq!(ids.get(t), map.get(t.as_str()).copied(), "{t:?}");
        }
    }

    #[test]
    fn terms_of_every_length_around_the_head_are_told_apart() {
        // Same length, same first and last bytes, one byte apart in each place; and prefixes.
        let mut terms = Vec::new();
        for n in 0..40 {
            let base: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            terms.push(base.clone());
            for i in 0..n {
                let mut b = base.clone().into_bytes();
                b[i] = b'Z';
                terms.push(String::from_utf8(b).unwrap());
            }
        }
        let probes: Vec<String> = terms.iter().map(|t| format!("{t}!")).collect();
        assert_same_as_hashmap(&terms, &probes);
    }

    #[test]
    fn many_terms_survive_growing() {
        let terms: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
        let probes: Vec<String> = (100_000..101_000).map(|i| format!("t{i}")).collect();
        assert_same_as_hashmap(&terms, &probes);
    }

    #[test]
    fn an_empty_table_holds_nothing() {
        assert_eq!(TermIds::default().get(""), None);
        assert_eq!(TermIds::default().get("word"), None);
    }

    proptest! {
        #[test]
        fn lookups_agree_with_a_hashmap(
            terms in prop::collection::vec("[ab\u{e9}\u{548}]{0,24}", 0..200),
            probes in prop::collection::vec("[ab\u{e9}\u{548}]{0,24}", 0..50),
        ) {
            assert_same_as_hashmap(&terms, &probes);
        }
    }
}
