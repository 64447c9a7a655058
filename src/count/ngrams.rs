//! N-gram counts: a table from N term numbers to occurrences and documents, made for the hot loop.
//!
//! A corpus has millions of distinct bigrams and trigrams, so their tables outgrow the caches and a
//! general hash map waits on memory at every token. This table takes n-grams a quarter of a million
//! at a time (across documents), puts them in the order of their home slots, so that the table is
//! read from start to end rather than at random, and fetches each one's slot from memory a few
//! n-grams ahead of counting it, so the waits overlap. Open addressing with linear probing; a slot is
//! 32 bytes for bigrams and trigrams alike.
//!
//! Invariant: every slot holds either no key ([`EMPTY`]) or one key, at most once, reachable by
//! probing from its home slot without crossing an empty one.

/// No term: the number no term gets, so a key made of it marks an empty slot.
const EMPTY: u32 = u32::MAX;

/// How many n-grams ahead a slot is fetched.
const PREFETCH_AHEAD: usize = 24;

/// How many n-grams wait to be counted at most: 4 MiB of them for trigrams. Fewer lie further apart
/// in the table once in slot order (on one copy of Reuters, settling took 34% less time than in
/// arrival order with a quarter of a million, 26% less with 65,536).
const PENDING: usize = 1 << 18;

/// How many n-grams of another table are added at a time: room is made for each chunk as if its
/// keys were all new.
const MERGE_CHUNK: usize = 1 << 13;

/// How often an n-gram occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NgramStat {
    /// Occurrences.
    pub count: u64,
    /// Documents it occurs in.
    pub documents: u64,
}

#[derive(Debug, Clone, Copy)]
struct Slot<const N: usize> {
    key: [u32; N],
    /// The last document that counted it, by index (mod 2^32: only compared with the current one).
    last_doc: u32,
    stat: NgramStat,
}

impl<const N: usize> Slot<N> {
    const VACANT: Slot<N> = Slot { key: [EMPTY; N], last_doc: EMPTY, stat: NgramStat { count: 0, documents: 0 } };
}

/// Counts of n-grams of N terms, keyed by the terms' numbers.
#[derive(Debug, Clone)]
pub struct NgramTable<const N: usize> {
    slots: Vec<Slot<N>>,
    len: usize,
    /// Where this table's hash starts, its own: one table's keys in slot order fall in another's
    /// slots at random, not in runs that make its probes long (as when tables are merged).
    seed: u64,
    /// N-grams not yet counted, each with the index of its document (mod 2^32), in document order.
    pending: Vec<([u32; N], u32)>,
    /// Spare room for putting n-grams in slot order.
    scratch: Vec<([u32; N], u32)>,
}

impl<const N: usize> Default for NgramTable<N> {
    fn default() -> Self {
        static TABLES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        // SplitMix64 of a count of tables: seeds far apart.
        let n = TABLES.fetch_add(1, std::sync::atomic::Ordering::Relaxed).wrapping_add(1);
        let mut seed = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        seed = (seed ^ (seed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        seed = (seed ^ (seed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        NgramTable { slots: Vec::new(), len: 0, seed: seed ^ (seed >> 31), pending: Vec::new(), scratch: Vec::new() }
    }
}

impl<const N: usize> NgramTable<N> {
    /// Distinct n-grams counted (those waiting aside).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no n-gram is counted or waiting.
    pub fn is_empty(&self) -> bool {
        self.len == 0 && self.pending.is_empty()
    }

    /// The home slot of `key`: a multiplicative hash of its terms from the table's seed, its top
    /// bits (Fibonacci hashing). The hash is mixed once more at the end (its high half into its low,
    /// then multiplied): without it, one table's homes followed another's closely for some pairs of
    /// seeds, and keys added in the other's slot order made probes 3 to 30 times longer.
    #[inline]
    fn home(&self, key: &[u32; N]) -> usize {
        let mut h: u64 = self.seed;
        for &term in key {
            h = (h.rotate_left(26) ^ u64::from(term)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        h ^= h >> 32;
        h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let bits = self.slots.len().trailing_zeros();
        (h >> (64 - bits)) as usize
    }

    /// The slot holding `key`, or the empty one where it goes.
    #[inline]
    fn find(&self, key: &[u32; N]) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            #[cfg(test)]
            tests::PROBES.with(|p| p.set(p.get() + 1));
            let slot = &self.slots[i];
            if slot.key == *key || slot.key[0] == EMPTY {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `more` keys, keeping the table at most 7/8 full.
    fn reserve(&mut self, more: usize) {
        let needed = (self.len + more) * 8 / 7 + 1;
        if needed <= self.slots.len() {
            return;
        }
        let size = needed.next_power_of_two().max(1024);
        let mut slots = Vec::with_capacity(size);
        ask_for_huge_pages(&slots);
        slots.resize(size, Slot::VACANT);
        let old = std::mem::replace(&mut self.slots, slots);
        for slot in old.into_iter().filter(|s| s.key[0] != EMPTY) {
            let i = self.find(&slot.key);
            self.slots[i] = slot;
        }
    }

    /// Counts one occurrence of `key` in the document with index `doc`; documents come in order, each
    /// one's n-grams together. It may wait until [`NgramTable::settle`].
    #[inline]
    pub fn count(&mut self, key: [u32; N], doc: usize) {
        self.pending.push((key, doc as u32));
        if self.pending.len() >= PENDING {
            self.settle();
        }
    }

    /// Counts the n-grams left waiting; call it before reading the table.
    pub fn settle(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        self.reserve(pending.len());
        let mut scratch = std::mem::take(&mut self.scratch);
        self.in_slot_order(&mut pending, &mut scratch, |(key, _)| key);
        self.scratch = scratch;
        self.update(
            &pending,
            |(key, _)| key,
            |slot, &(_, doc), new| {
                if new {
                    slot.last_doc = doc.wrapping_add(1);
                }
                slot.stat.count += 1;
                if slot.last_doc != doc {
                    slot.last_doc = doc;
                    slot.stat.documents += 1;
                }
            },
        );
        self.pending = pending;
        self.pending.clear();
    }

    /// Adds every n-gram of `other`, counted in other documents, its terms renumbered by `renumber`.
    pub fn add_all(&mut self, other: &NgramTable<N>, renumber: impl Fn(u32) -> u32) {
        self.settle();
        let mut chunk = Vec::with_capacity(MERGE_CHUNK);
        for (key, stat) in other.iter() {
            chunk.push((key.map(&renumber), stat));
            if chunk.len() == MERGE_CHUNK {
                self.add_each(&chunk);
                chunk.clear();
            }
        }
        self.add_each(&chunk);
    }

    /// Adds figures counted elsewhere (in other documents) for `key`.
    pub fn add(&mut self, key: [u32; N], stat: NgramStat) {
        self.settle();
        self.add_each(&[(key, stat)]);
    }

    /// Adds each key's figures. Room is made a chunk at a time, for all of it as if new: tables
    /// merged mostly share their keys, and room for the sum of both would double a table for nothing.
    fn add_each(&mut self, items: &[([u32; N], NgramStat)]) {
        self.reserve(items.len());
        self.update(
            items,
            |(key, _)| key,
            |slot, (_, stat), _| {
                slot.stat.count += stat.count;
                slot.stat.documents += stat.documents;
            },
        );
    }

    /// Calls `apply` on the slot of each item's key (`new` when the key was just put in), fetching
    /// slots [`PREFETCH_AHEAD`] items ahead. The table has room for every key.
    #[inline]
    fn update<T>(
        &mut self,
        items: &[T],
        key_of: impl Fn(&T) -> &[u32; N],
        mut apply: impl FnMut(&mut Slot<N>, &T, bool),
    ) {
        for item in items.iter().take(PREFETCH_AHEAD) {
            prefetch(&self.slots[self.home(key_of(item))]);
        }
        for (k, item) in items.iter().enumerate() {
            if let Some(ahead) = items.get(k + PREFETCH_AHEAD) {
                prefetch(&self.slots[self.home(key_of(ahead))]);
            }
            let key = key_of(item);
            let i = self.find(key);
            let slot = &mut self.slots[i];
            let new = slot.key[0] == EMPTY;
            if new {
                *slot = Slot { key: *key, ..Slot::VACANT };
                self.len += 1;
            }
            apply(slot, item, new);
        }
    }

    /// Puts `items` in the order of their home slots, stably (an n-gram's occurrences stay in
    /// document order): the table is then read from its first slot to its last, a slot near the one
    /// before, rather than each at random.
    fn in_slot_order<T: Copy>(&self, items: &mut Vec<T>, scratch: &mut Vec<T>, key_of: impl Fn(&T) -> &[u32; N]) {
        let bits = self.slots.len().trailing_zeros();
        super::radix_sort(items, scratch, bits, |item| self.home(key_of(item)) as u32);
    }

    /// Whether no n-gram waits to be counted.
    pub fn is_settled(&self) -> bool {
        self.pending.is_empty()
    }

    /// The figures of `key`, if counted.
    pub fn get(&self, key: &[u32; N]) -> Option<NgramStat> {
        assert!(self.pending.is_empty(), "the table is settled before it is read");
        if self.slots.is_empty() {
            return None;
        }
        let slot = &self.slots[self.find(key)];
        (slot.key[0] != EMPTY).then_some(slot.stat)
    }

    /// Every n-gram and its figures, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = ([u32; N], NgramStat)> + '_ {
        assert!(self.pending.is_empty(), "the table is settled before it is read");
        self.slots.iter().filter(|s| s.key[0] != EMPTY).map(|s| (s.key, s.stat))
    }
}

/// Asks the kernel to back the (not yet touched) memory of `slots` with 2 MiB pages where it can: a
/// large table read at random otherwise misses the TLB at nearly every access. A hint only.
fn ask_for_huge_pages<T>(slots: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = slots.as_ptr() as usize;
        let end = start + slots.capacity() * std::mem::size_of::<T>();
        let (first, last) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
        if first < last {
            // SAFETY: the range lies inside the vector's own allocation, and MADV_HUGEPAGE changes
            // only how the kernel backs it, never its contents; a failure is harmless.
            unsafe {
                libc::madvise(first as *mut libc::c_void, last - first, libc::MADV_HUGEPAGE);
            }
        }
    }
}

/// Asks the CPU to bring `slot` into the cache; a hint only, which never faults.
#[inline(always)]
fn prefetch<T>(slot: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint that reads nothing and cannot fault; the pointer comes from a
    // reference, so it is valid anyway.
    #[allow(unused_unsafe)]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((slot as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = slot;
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Slots looked at by `find` on this thread.
        pub(super) static PROBES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn counts_occurrences_and_documents_like_a_map() {
        let mut table = NgramTable::<2>::default();
        let mut expected: std::collections::HashMap<[u32; 2], (u64, std::collections::HashSet<usize>)> =
            Default::default();
        // Enough distinct keys to grow the table several times, with repeats inside documents.
        for doc in 0..300usize {
            let keys: Vec<[u32; 2]> = (0..50u32).map(|k| [(doc as u32 * 7 + k) % 400, k % 13]).collect();
            for &key in &keys {
                table.count(key, doc);
            }
            for key in keys {
                let e = expected.entry(key).or_default();
                e.0 += 1;
                e.1.insert(doc);
            }
        }
        table.settle();
        assert_eq!(table.len(), expected.len());
        for (key, (count, docs)) in &expected {
            assert_eq!(table.get(key), Some(NgramStat { count: *count, documents: docs.len() as u64 }), "{key:?}");
        }
        assert_eq!(table.iter().count(), expected.len());
        assert_eq!(table.get(&[401, 0]), None);
    }

    #[test]
    fn keys_added_in_another_tables_slot_order_keep_probes_short() {
        // Keys come in another table's slot order when tables merge, or when a shard's n-grams are
        // read back. Were both tables hashed alike, the keys a growing table gets first would all
        // have their homes in its first slots, and probes would grow with the table.
        let mut other = NgramTable::<2>::default();
        for k in 0..50_000u32 {
            other.count([k, k % 7], 0);
        }
        other.settle();
        let mut table = NgramTable::<2>::default();
        PROBES.with(|p| p.set(0));
        for (key, stat) in other.iter() {
            table.add(key, stat);
        }
        assert_eq!(table.len(), 50_000);
        // Growing rehashes count too: a few slots a key in all.
        let probes = PROBES.with(|p| p.get());
        assert!(probes < 10 * 50_000, "{probes} slots looked at");
    }

    #[test]
    fn merging_tables_that_share_their_keys_does_not_grow_the_table() {
        let fill = |table: &mut NgramTable<2>, doc| {
            for k in 0..40_000u32 {
                table.count([k, k % 7], doc);
            }
            table.settle();
        };
        let (mut table, mut other) = (NgramTable::<2>::default(), NgramTable::<2>::default());
        fill(&mut table, 0);
        fill(&mut other, 1);
        let slots = table.slots.len();
        table.add_all(&other, |id| id);
        assert_eq!(table.len(), 40_000);
        assert_eq!(table.slots.len(), slots, "room made for keys already there");
        assert_eq!(table.get(&[7, 0]), Some(NgramStat { count: 2, documents: 2 }));
    }

    #[test]
    fn the_first_document_counts_even_at_index_zero_and_tables_add_renumbered() {
        let mut table = NgramTable::<3>::default();
        table.count([1, 2, 3], 0);
        table.count([1, 2, 3], 0);
        table.settle();
        assert_eq!(table.get(&[1, 2, 3]), Some(NgramStat { count: 2, documents: 1 }));
        table.count([1, 2, 3], 1);
        // Another table numbers the same terms 10, 20, 30, and has 40, 50, 60 besides.
        let mut other = NgramTable::<3>::default();
        for doc in [0, 1] {
            other.count([10, 20, 30], doc);
            other.count([10, 20, 30], doc);
        }
        other.count([40, 50, 60], 2);
        other.settle();
        table.add_all(&other, |id| id / 10);
        assert_eq!(table.get(&[1, 2, 3]), Some(NgramStat { count: 3 + 4, documents: 2 + 2 }));
        assert_eq!(table.get(&[4, 5, 6]), Some(NgramStat { count: 1, documents: 1 }));
        assert_eq!(table.len(), 2);
    }
}
