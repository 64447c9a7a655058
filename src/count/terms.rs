//! Term -> term number, the lookup every token makes.
//!
//! An open-addressing table of 16-byte slots that hold a term's first 8 bytes themselves, so the
//! common lookup (a word of at most 8 bytes, already known) reads one slot and compares two
//! integers, where a map keyed by `Arc<str>` follows a pointer to each candidate key. A longer
//! term keeps its length and remaining bytes in one shared buffer. A vocabulary of millions of
//! terms takes 16 bytes a slot, not the 32 that also held a hash and the next 8 bytes.

use std::hash::BuildHasher;

/// Marks a slot holding no term.
const EMPTY: u32 = u32::MAX;

/// The bytes of a term a slot holds itself.
const HEAD: usize = 8;

/// In [`Slot::len_or_tail`], marks a term longer than [`HEAD`]: the other bits say where its
/// length and its bytes past the first [`HEAD`] are in [`TermIds::tails`].
const LONG: u32 = 1 << 31;

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The term's first bytes, as [`head`] packs them.
    head: u64,
    /// The term's number, or [`EMPTY`].
    id: u32,
    /// The term's length in bytes, up to [`HEAD`]; past it, [`LONG`] and where the rest of it is.
    len_or_tail: u32,
}

const EMPTY_SLOT: Slot = Slot { head: 0, id: EMPTY, len_or_tail: 0 };

/// Term -> its number, for numbers below `u32::MAX`.
#[derive(Debug, Clone, Default)]
pub struct TermIds {
    /// A power of two of them, or none before the first insert.
    slots: Vec<Slot>,
    /// Terms held.
    len: usize,
    /// Each longer term's length (4 bytes) and bytes past the first [`HEAD`], one after another.
    tails: Vec<u8>,
    /// The highest term number held, plus one.
    ids_below: u32,
    /// Seeds of the hash, random per table.
    seed: (u64, u64),
}

/// The first [`HEAD`] bytes of `bytes`, packed so that two terms of the same length up to [`HEAD`]
/// have the same head exactly when they are equal. A shorter term's bytes are read as two
/// overlapping words (the first and the last bytes of it), which is a function of its bytes for its
/// length.
fn head(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let half = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")));
    if n >= HEAD {
        u64::from_le_bytes(bytes[..HEAD].try_into().expect("8 bytes"))
    } else if n >= 4 {
        half(0) | half(n - 4) << 32
    } else {
        bytes.iter().enumerate().fold(0, |word, (i, &b)| word | u64::from(b) << (8 * i))
    }
}

/// The high and low halves of the 128-bit product, folded into one.
fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ (product >> 64) as u64
}

impl TermIds {
    /// Holds no term, keeping its room.
    pub fn clear(&mut self) {
        self.slots.fill(EMPTY_SLOT);
        self.len = 0;
        self.tails.clear();
        self.ids_below = 0;
    }

    fn hash(&self, head: u64, bytes: &[u8]) -> u64 {
        let mut h = fold_multiply(head ^ self.seed.0, self.seed.1 ^ bytes.len() as u64);
        if bytes.len() > HEAD {
            h ^= fold_multiply(h, self.seed.0 ^ fold_bytes(&bytes[HEAD..]));
        }
        h
    }

    /// The slot holding `bytes` (`Ok`) or the empty slot where it would go (`Err`). The table has
    /// slots.
    fn find(&self, head: u64, hash: u64, bytes: &[u8]) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let s = &self.slots[at];
            if s.id == EMPTY {
                return Err(at);
            }
            if s.head == head && self.rest_is(s, bytes) {
                return Ok(at);
            }
            at = (at + 1) & mask;
        }
    }

    /// Whether the slot's term, whose head is that of `bytes`, is `bytes`.
    fn rest_is(&self, slot: &Slot, bytes: &[u8]) -> bool {
        match bytes.len() <= HEAD {
            true => slot.len_or_tail == bytes.len() as u32,
            false => slot.len_or_tail & LONG != 0 && self.tail(slot) == Some(&bytes[HEAD..]),
        }
    }

    /// A longer term's bytes past the first [`HEAD`]; `None` for a term of up to [`HEAD`] bytes.
    fn tail(&self, slot: &Slot) -> Option<&[u8]> {
        (slot.len_or_tail & LONG != 0).then(|| {
            let start = (slot.len_or_tail & !LONG) as usize;
            let len = u32::from_le_bytes(self.tails[start..start + 4].try_into().expect("4 bytes")) as usize;
            &self.tails[start + 4..start + 4 + len - HEAD]
        })
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
        let at = self.find(head, self.hash(head, bytes), bytes).expect_err("a term inserted once");
        let len_or_tail = match bytes.len() <= HEAD {
            true => bytes.len() as u32,
            false => {
                let start = u32::try_from(self.tails.len()).ok().filter(|&s| s & LONG == 0);
                let start = start.expect("under 2 GiB of long terms");
                let len = u32::try_from(bytes.len()).expect("a term shorter than 4 GiB");
                self.tails.extend_from_slice(&len.to_le_bytes());
                self.tails.extend_from_slice(&bytes[HEAD..]);
                start | LONG
            }
        };
        self.slots[at] = Slot { head, id, len_or_tail };
        self.len += 1;
        self.ids_below = self.ids_below.max(id + 1);
    }

    /// Every term held, by number, in one buffer: a term's name is read back from its slot, so the
    /// records of terms hold none. The slots are read in their order, where reading each term by its
    /// number would visit them at random.
    pub fn names(&self) -> TermNames {
        let mut starts = vec![0usize; self.ids_below as usize + 1];
        for slot in self.slots.iter().filter(|s| s.id != EMPTY) {
            starts[slot.id as usize + 1] = self.len_of(slot);
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut text = vec![0u8; starts[starts.len() - 1]];
        let mut bytes = Vec::new();
        for slot in self.slots.iter().filter(|s| s.id != EMPTY) {
            bytes.clear();
            self.bytes_of(slot, &mut bytes);
            let start = starts[slot.id as usize];
            text[start..start + bytes.len()].copy_from_slice(&bytes);
        }
        TermNames { text: String::from_utf8(text).expect("terms are text"), starts }
    }

    /// The length in bytes of the term in `slot`.
    fn len_of(&self, slot: &Slot) -> usize {
        match self.tail(slot) {
            Some(tail) => HEAD + tail.len(),
            None => slot.len_or_tail as usize,
        }
    }

    /// Appends the bytes of the term in `slot` to `out`: its head and tail, or, for a term of up to
    /// [`HEAD`] bytes, its bytes as [`head`] packed them (the first four and the last four, or each).
    fn bytes_of(&self, slot: &Slot, out: &mut Vec<u8>) {
        let head = slot.head.to_le_bytes();
        if let Some(tail) = self.tail(slot) {
            out.extend_from_slice(&head);
            out.extend_from_slice(tail);
            return;
        }
        let n = slot.len_or_tail as usize;
        let mut bytes = [0u8; HEAD];
        if n >= 4 {
            bytes[..4].copy_from_slice(&head[..4]);
            bytes[n - 4..n].copy_from_slice(&head[4..]);
        } else {
            bytes[..n].copy_from_slice(&head[..n]);
        }
        out.extend_from_slice(&bytes[..n]);
    }

    /// Twice the slots, each term placed again by its hash, made again from its bytes.
    fn grow(&mut self) {
        let doubled = vec![EMPTY_SLOT; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        let mut bytes = Vec::new();
        for s in old.into_iter().filter(|s| s.id != EMPTY) {
            // The head of a longer term is its first bytes; a shorter one's is a function of its bytes,
            // and of the head and the length the hash is made.
            bytes.clear();
            let hash = match self.tail(&s) {
                Some(tail) => {
                    bytes.extend_from_slice(&s.head.to_le_bytes());
                    bytes.extend_from_slice(tail);
                    self.hash(s.head, &bytes)
                }
                None => {
                    bytes.resize(s.len_or_tail as usize, 0);
                    self.hash(s.head, &bytes)
                }
            };
            let mut at = hash as usize & mask;
            while self.slots[at].id != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = s;
        }
    }
}

/// The terms of a [`TermIds`] by number, in one buffer.
#[derive(Debug, Clone, Default)]
pub struct TermNames {
    text: String,
    /// Where each term starts in `text`, by number, and where the last one ends; a number no term
    /// has is an empty term.
    starts: Vec<usize>,
}

impl TermNames {
    /// Terms numbered in order.
    pub fn of<'a>(terms: impl Iterator<Item = &'a str>) -> TermNames {
        let (mut text, mut starts) = (String::new(), vec![0]);
        for term in terms {
            text.push_str(term);
            starts.push(text.len());
        }
        TermNames { text, starts }
    }

    /// The term numbered `id`; empty for a number no term has.
    pub fn get(&self, id: u32) -> &str {
        let at = id as usize;
        match self.starts.get(at + 1) {
            Some(&end) => &self.text[self.starts[at]..end],
            None => "",
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
        let names = ids.names();
        for (t, &id) in &map {
            assert_eq!(names.get(id), *t, "the name of {id}");
        }
        assert_eq!(names.get(map.len() as u32), "");
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
    fn a_slot_takes_16_bytes() {
        // A vocabulary of millions of terms: the tables of a run and its threads hold a slot for
        // each, and a third more empty.
        assert_eq!(std::mem::size_of::<Slot>(), 16);
    }

    #[test]
    fn a_table_cleared_holds_nothing_and_takes_terms_again() {
        let mut ids = TermIds::default();
        for (i, t) in ["alpha", "a much longer term than eight bytes", "b"].iter().enumerate() {
            ids.insert(t, i as u32);
        }
        ids.clear();
        assert_eq!((ids.len(), ids.get("alpha"), ids.get("b")), (0, None, None));
        assert_eq!(ids.names().get(0), "");
        ids.insert("b", 7);
        assert_eq!((ids.get("b"), ids.get("alpha")), (Some(7), None));
        assert_eq!((ids.names().get(7), ids.names().get(0)), ("b", ""));
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
