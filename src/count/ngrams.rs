//! N-gram counts: tables from N term numbers to occurrences and documents, made for the hot loop and
//! shared by a run's threads.
//!
//! A corpus has millions of distinct bigrams and trigrams, so their tables outgrow the caches and a
//! general hash map waits on memory at every token. Each thread gathers n-grams a quarter of a
//! million at a time (whole documents), puts them in the order of their home slots, so that a table
//! is read from start to end rather than at random, and fetches each one's slot from memory a few
//! n-grams ahead of counting it, so the waits overlap. Open addressing with linear probing; a slot
//! holds the key and its figures in 32 bits each (20 bytes for a bigram, 24 for a trigram).
//!
//! One set of tables serves every thread of a run ([`Ngrams`]), so each n-gram is held once, not
//! once a thread: the tables are [`SHARDS`] shards by the first bits of the n-gram's hash, each
//! behind its own lock, and a thread takes a shard's lock once for all its waiting n-grams of that
//! shard. A document's n-grams are counted together, which keeps the count of documents exact: a
//! slot remembers the last document that counted it.
//!
//! A run's tables stay within their memory whatever the corpus ([`Ngrams::spilling_to`]): a shard
//! that would grow past [`MAX_SLOTS`] writes its counts, sorted by key, to a file on disk and starts
//! again empty; reading them back merges the shard's runs with what it holds in order of key, adding
//! up each key's figures. A document's n-grams of one shard are counted in one go, never across a
//! run's end, so its documents add up exactly.
//!
//! Invariant: every slot holds either no key ([`EMPTY`]) or one key, at most once, reachable by
//! probing from its home slot without crossing an empty one.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::radix_sort;
use crate::hashing::FastMap;

/// No term: the number no term gets, so a key made of it marks an empty slot.
const EMPTY: u32 = u32::MAX;

/// How many n-grams ahead a slot is fetched.
const PREFETCH_AHEAD: usize = 24;

/// How many n-grams a thread gathers at most before counting them, whole documents (one longer
/// than this waits alone): 4 MiB of them for trigrams. Fewer lie further apart in the table once in
/// slot order (on one copy of Reuters, settling took 34% less time than in arrival order with a
/// quarter of a million, 26% less with 65,536).
pub const PENDING: usize = 1 << 18;

/// The shards of a run's tables: the first bits of an n-gram's hash choose its shard.
const SHARD_BITS: u32 = 4;
const SHARDS: usize = 1 << SHARD_BITS;

/// How many n-grams of another table are added to a shard at a time (under one lock).
const MERGE_CHUNK: usize = 1 << 9;

/// The slots a shard of a table that spills holds at most before it writes its counts to disk: 80
/// MiB for the bigrams' 16 shards, 96 for the trigrams'. One copy of Reuters-21578 (2.7 million
/// words) needs a quarter of it; a corpus of hundreds of millions of words would need gigabytes.
pub const MAX_SLOTS: usize = 1 << 18;

/// How often an n-gram occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NgramStat {
    /// Occurrences.
    pub count: u64,
    /// Documents it occurs in.
    pub documents: u64,
}

/// An n-gram waiting to be counted, with the index of its document (mod 2^32).
pub type Pending<const N: usize> = ([u32; N], u32);

/// A key and its figures in 32 bits each: 20 bytes for a bigram, 24 for a trigram, where 64-bit
/// figures took 32 for either. What passes 2^32 goes to the table's `carried` (an n-gram seen 2^32
/// times is tens of billions of words of text).
#[derive(Debug, Clone, Copy)]
struct Slot<const N: usize> {
    key: [u32; N],
    /// The last document that counted it, by index (mod 2^32: only compared with the current one).
    last_doc: u32,
    count: u32,
    documents: u32,
}

impl<const N: usize> Slot<N> {
    const VACANT: Slot<N> = Slot { key: [EMPTY; N], last_doc: EMPTY, count: 0, documents: 0 };

    fn stat(&self) -> NgramStat {
        NgramStat { count: u64::from(self.count), documents: u64::from(self.documents) }
    }
}

/// The hash of `key` from `seed`: multiplicative, mixed once more at the end (its high half into
/// its low, then multiplied). Its first [`SHARD_BITS`] bits choose the shard, the next ones the
/// home slot (Fibonacci hashing), so n-grams in hash order are in the order of their shards and,
/// within one, of their home slots, whatever the table's size. Without the last mix, one table's
/// homes followed another's closely for some pairs of seeds, and keys added in the other's slot
/// order made probes 3 to 30 times longer.
#[inline]
fn hash<const N: usize>(seed: u64, key: &[u32; N]) -> u64 {
    let mut h: u64 = seed;
    for &term in key {
        h = (h.rotate_left(26) ^ u64::from(term)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    h ^= h >> 32;
    h.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The shard of a key of hash `h`.
#[inline]
fn shard_of(h: u64) -> usize {
    (h >> (64 - SHARD_BITS)) as usize
}

/// One shard: counts of n-grams of N terms, keyed by the terms' numbers.
#[derive(Debug, Clone)]
struct NgramTable<const N: usize> {
    slots: Vec<Slot<N>>,
    len: usize,
    /// Figures carried out of a slot when one of them would pass 2^32, by key: the slot's and these
    /// add up to the n-gram's. Nearly always empty.
    carried: FastMap<[u32; N], NgramStat>,
    /// The seed of the hash, its tables' own: one set of tables' keys in slot order fall in
    /// another's slots at random, not in runs that make its probes long (as when tables are merged).
    seed: u64,
    /// The counts it wrote to disk, each sorted by key, to be added to what it holds.
    runs: Vec<Run>,
}

/// Counts a shard wrote to its table set's spill file: where, and how many keys.
#[derive(Debug, Clone, Copy)]
struct Run {
    offset: u64,
    keys: u64,
}

impl<const N: usize> NgramTable<N> {
    /// The home slot of `key`: the bits of its hash after the shard's.
    #[inline]
    fn home(&self, key: &[u32; N]) -> usize {
        let bits = self.slots.len().trailing_zeros();
        ((hash(self.seed, key) << SHARD_BITS) >> (64 - bits)) as usize
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

    /// Slots the table needs to hold `more` keys besides its own at most 3/4 full.
    fn needed(&self, more: usize) -> usize {
        (self.len + more) * 4 / 3 + 1
    }

    /// Whether the table holds `more` keys besides its own without growing.
    fn has_room(&self, more: usize) -> bool {
        self.needed(more) <= self.slots.len()
    }

    /// Makes room for `more` keys, keeping the table at most 3/4 full: linear probing slows fast
    /// past that when most keys are new (two million new random trigrams, growing tables included:
    /// 24.7 slots looked at per n-gram with 7/8, 10.3 with 3/4).
    fn make_room(&mut self, more: usize) {
        if self.has_room(more) {
            return;
        }
        let size = self.needed(more).next_power_of_two().max(1024);
        let mut slots = Vec::with_capacity(size);
        ask_for_huge_pages(&slots);
        slots.resize(size, Slot::VACANT);
        let old = std::mem::replace(&mut self.slots, slots);
        for slot in old.into_iter().filter(|s| s.key[0] != EMPTY) {
            let i = self.find(&slot.key);
            self.slots[i] = slot;
        }
    }

    /// Counts each occurrence in `items`, which are in the order of their hashes and, for each key,
    /// of their documents, a document's occurrences together.
    fn count(&mut self, items: &[Pending<N>]) {
        self.update(
            items,
            |(key, _)| key,
            |last_doc, stat, &(_, doc), new| {
                if new {
                    *last_doc = doc.wrapping_add(1);
                }
                stat.count += 1;
                if *last_doc != doc {
                    *last_doc = doc;
                    stat.documents += 1;
                }
            },
        );
    }

    /// Adds each key's figures, counted elsewhere (in other documents).
    fn add_each(&mut self, items: &[([u32; N], NgramStat)]) {
        self.update(
            items,
            |(key, _)| key,
            |_, sum, (_, stat), _| {
                sum.count += stat.count;
                sum.documents += stat.documents;
            },
        );
    }

    /// Calls `apply` on the last document and the figures of each item's key (`new` when the key
    /// was just put in), the figures widened to 64 bits and carried when they pass 32; fetching
    /// slots [`PREFETCH_AHEAD`] items ahead. The table grows when a new key would fill it past 3/4,
    /// not before: most keys counted are known, so room made for all of them would grow it for
    /// nothing. When it grows, it makes room for every key still to come as if new: the items come
    /// in hash order, so the keys it holds then have their homes in the first part of the table,
    /// and a table grown only to hold them would pack them there in long runs (on one copy of
    /// Reuters, a shard's first tables had runs of hundreds of slots: 66 slots looked at per
    /// n-gram counted in all).
    #[inline]
    fn update<T>(
        &mut self,
        items: &[T],
        key_of: impl Fn(&T) -> &[u32; N],
        mut apply: impl FnMut(&mut u32, &mut NgramStat, &T, bool),
    ) {
        if items.is_empty() {
            return;
        }
        // Keys in sorted runs: the distinct ones among `items`, at most.
        let keys = |items: &[T]| 1 + items.windows(2).filter(|w| key_of(&w[0]) != key_of(&w[1])).count();
        // A batch large against the table could pack its first part before the table grows (see
        // below): room is made first for all its keys, at most a batch's worth of slots more than
        // needed, and never on a table four times the batch's size or more.
        self.make_room(if self.slots.len() < 4 * items.len() { keys(items) } else { 0 });
        for item in items.iter().take(PREFETCH_AHEAD) {
            prefetch(&self.slots[self.home(key_of(item))]);
        }
        for (k, item) in items.iter().enumerate() {
            if let Some(ahead) = items.get(k + PREFETCH_AHEAD) {
                prefetch(&self.slots[self.home(key_of(ahead))]);
            }
            let key = key_of(item);
            let mut i = self.find(key);
            let new = self.slots[i].key[0] == EMPTY;
            if new {
                if !self.has_room(1) {
                    self.make_room(keys(&items[k..]));
                    i = self.find(key);
                }
                self.slots[i] = Slot { key: *key, ..Slot::VACANT };
                self.len += 1;
            }
            let slot = &mut self.slots[i];
            let mut stat = slot.stat();
            apply(&mut slot.last_doc, &mut stat, item, new);
            match (u32::try_from(stat.count), u32::try_from(stat.documents)) {
                (Ok(count), Ok(documents)) => (slot.count, slot.documents) = (count, documents),
                _ => {
                    let carried = self.carried.entry(*key).or_default();
                    carried.count += stat.count;
                    carried.documents += stat.documents;
                    (slot.count, slot.documents) = (0, 0);
                }
            }
        }
    }

    /// The figures of `key`, if counted.
    fn get(&self, key: &[u32; N]) -> Option<NgramStat> {
        if self.slots.is_empty() {
            return None;
        }
        let slot = &self.slots[self.find(key)];
        (slot.key[0] != EMPTY).then(|| self.with_carried(slot))
    }

    /// The figures of the key in `slot`, with what was carried out of it.
    fn with_carried(&self, slot: &Slot<N>) -> NgramStat {
        let stat = slot.stat();
        if self.carried.is_empty() {
            return stat;
        }
        match self.carried.get(&slot.key) {
            None => stat,
            Some(c) => NgramStat { count: stat.count + c.count, documents: stat.documents + c.documents },
        }
    }

    fn iter(&self) -> impl Iterator<Item = ([u32; N], NgramStat)> + '_ {
        self.slots.iter().filter(|s| s.key[0] != EMPTY).map(|s| (s.key, self.with_carried(s)))
    }

    /// Writes what it holds to `spill`, sorted by key, and empties itself (keeping its slots' room);
    /// when the file cannot be written, keeps it all and stops spilling (see [`Spill::failure`]).
    fn spill(&mut self, spill: &Spill) {
        let mut held: Vec<([u32; N], NgramStat)> = self.iter().collect();
        held.sort_unstable_by_key(|r| r.0);
        if let Some(run) = spill.append(held.into_iter()) {
            self.runs.push(run);
            self.slots.fill(Slot::VACANT);
            self.len = 0;
            self.carried.clear();
        }
    }

    /// Puts its runs and what it holds together in one run, in memory no more: read back, it is
    /// then read straight through. Left as it is when the file cannot be written.
    fn compact(&mut self, spill: &Spill) {
        if self.runs.is_empty() {
            return;
        }
        let merged = self.entries(Some(spill));
        if let Some(run) = spill.append(merged) {
            *self = NgramTable { runs: vec![run], ..NgramTable::empty(self.seed) };
        }
    }

    /// Every key and its figures: in slot order when it never spilled, else in key order, its runs
    /// and what it holds added up.
    fn entries(&self, spill: Option<&Spill>) -> Entries<N> {
        let held: Vec<([u32; N], NgramStat)> = self.iter().collect();
        match spill.filter(|_| !self.runs.is_empty()) {
            None => Entries::One(Source::Held(held.into_iter())),
            Some(spill) if held.is_empty() && self.runs.len() == 1 => {
                Entries::One(Source::Run(RunReader::open(&spill.path, self.runs[0])))
            }
            Some(spill) => {
                let mut held = held;
                held.sort_unstable_by_key(|r| r.0);
                let mut sources: Vec<Source<N>> = vec![Source::Held(held.into_iter())];
                sources.extend(self.runs.iter().map(|run| Source::Run(RunReader::open(&spill.path, *run))));
                Entries::Merged(Merge::new(sources))
            }
        }
    }
}

/// Bytes of an n-gram written to a spill file: its N terms' numbers, then its count and documents,
/// little-endian.
const fn record_bytes<const N: usize>() -> usize {
    4 * N + 16
}

/// The file a table set writes the counts of its shards to, run after run, as they outgrow
/// [`MAX_SLOTS`]; removed when the tables go.
#[derive(Debug)]
pub struct Spill {
    path: PathBuf,
    /// The slots a shard holds at most before it writes its counts out.
    max_slots: usize,
    /// The file, once made, and its length; or why it could not be written, after which nothing
    /// more spills.
    file: Mutex<Result<Option<(File, u64)>, String>>,
}

impl Spill {
    fn new(path: PathBuf, max_slots: usize) -> Spill {
        Spill { path, max_slots, file: Mutex::new(Ok(None)) }
    }

    /// Appends `entries` (in order of key) to the file, made when first needed, as a run; `None`
    /// when the file cannot be written (the first failure is kept, and spilling stops).
    fn append<const N: usize>(&self, entries: impl Iterator<Item = ([u32; N], NgramStat)>) -> Option<Run> {
        let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let open = file.as_mut().ok()?;
        let written = (|| -> std::io::Result<Run> {
            if open.is_none() {
                *open = Some((File::create(&self.path)?, 0));
            }
            let (f, len) = open.as_mut().expect("made above");
            let mut out = std::io::BufWriter::with_capacity(1 << 16, &*f);
            let mut keys = 0;
            for (key, stat) in entries {
                for term in key {
                    out.write_all(&term.to_le_bytes())?;
                }
                out.write_all(&stat.count.to_le_bytes())?;
                out.write_all(&stat.documents.to_le_bytes())?;
                keys += 1;
            }
            out.flush()?;
            let run = Run { offset: *len, keys };
            *len += keys * record_bytes::<N>() as u64;
            Ok(run)
        })();
        match written {
            Ok(run) => Some(run),
            Err(e) => {
                // What a failed run wrote is past the file's known length: the next run, if any,
                // would start there, so none is made.
                *file = Err(format!("{}: {e}", self.path.display()));
                None
            }
        }
    }

    /// Why the file could not be written, if it could not: the n-grams then stayed in memory.
    pub fn failure(&self) -> Option<String> {
        self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref().err().cloned()
    }

    /// Whether anything was written.
    fn is_used(&self) -> bool {
        matches!(*self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner), Ok(Some(_)))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if self.is_used() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A run read back from the spill file, key by key.
struct RunReader<const N: usize> {
    reader: BufReader<std::io::Take<File>>,
    left: u64,
    path: PathBuf,
}

impl<const N: usize> RunReader<N> {
    fn open(path: &Path, run: Run) -> RunReader<N> {
        let opened = File::open(path).and_then(|mut f| f.seek(SeekFrom::Start(run.offset)).map(|_| f));
        let file = opened.unwrap_or_else(|e| panic!("reading back the n-grams written to {}: {e}", path.display()));
        let reader = BufReader::with_capacity(1 << 16, file.take(run.keys * record_bytes::<N>() as u64));
        RunReader { reader, left: run.keys, path: path.to_path_buf() }
    }
}

impl<const N: usize> Iterator for RunReader<N> {
    type Item = ([u32; N], NgramStat);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // The file is tally's own, written in this run: failing to read it back is a failure of the
        // disk, not of the input.
        let mut record = [0u8; 28];
        let record = &mut record[..record_bytes::<N>()];
        self.reader
            .read_exact(record)
            .unwrap_or_else(|e| panic!("reading back the n-grams written to {}: {e}", self.path.display()));
        let word = |at: usize| u32::from_le_bytes(record[at..at + 4].try_into().expect("4 bytes"));
        let wide = |at: usize| u64::from_le_bytes(record[at..at + 8].try_into().expect("8 bytes"));
        let key = std::array::from_fn(|i| word(4 * i));
        Some((key, NgramStat { count: wide(4 * N), documents: wide(4 * N + 8) }))
    }
}

/// Where a shard's entries come from: what it holds (sorted, when merged with runs), or a run.
enum Source<const N: usize> {
    Held(std::vec::IntoIter<([u32; N], NgramStat)>),
    Run(RunReader<N>),
}

impl<const N: usize> Iterator for Source<N> {
    type Item = ([u32; N], NgramStat);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Source::Held(held) => held.next(),
            Source::Run(run) => run.next(),
        }
    }
}

/// Sources sorted by key, merged in order of key, each key's figures added up.
struct Merge<const N: usize> {
    sources: Vec<Source<N>>,
    /// Each source's next entry.
    next: Vec<Option<([u32; N], NgramStat)>>,
    /// The sources' next keys, smallest first.
    heads: BinaryHeap<Reverse<([u32; N], usize)>>,
}

impl<const N: usize> Merge<N> {
    fn new(mut sources: Vec<Source<N>>) -> Merge<N> {
        let next: Vec<_> = sources.iter_mut().map(Iterator::next).collect();
        let heads = next.iter().enumerate().filter_map(|(i, e)| e.map(|(key, _)| Reverse((key, i)))).collect();
        Merge { sources, next, heads }
    }
}

impl<const N: usize> Iterator for Merge<N> {
    type Item = ([u32; N], NgramStat);

    fn next(&mut self) -> Option<Self::Item> {
        let Reverse((key, _)) = *self.heads.peek()?;
        let mut sum = NgramStat::default();
        while let Some(&Reverse((k, i))) = self.heads.peek() {
            if k != key {
                break;
            }
            self.heads.pop();
            let (_, stat) = self.next[i].take().expect("a head has its entry");
            sum.count += stat.count;
            sum.documents += stat.documents;
            self.next[i] = self.sources[i].next();
            if let Some((k, _)) = self.next[i] {
                self.heads.push(Reverse((k, i)));
            }
        }
        Some((key, sum))
    }
}

/// A shard's entries: one source, or several merged.
enum Entries<const N: usize> {
    One(Source<N>),
    Merged(Merge<N>),
}

impl<const N: usize> Iterator for Entries<N> {
    type Item = ([u32; N], NgramStat);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::One(source) => source.next(),
            Entries::Merged(merged) => merged.next(),
        }
    }
}

/// Counts of n-grams of N terms, keyed by the terms' numbers, in `SHARDS` shards that threads
/// count into at once.
#[derive(Debug)]
pub struct Ngrams<const N: usize> {
    seed: u64,
    shards: Box<[Mutex<NgramTable<N>>]>,
    /// Nanoseconds threads spent waiting for another to let go of a shard.
    waited: std::sync::atomic::AtomicU64,
    /// Where shards write their counts as they outgrow [`MAX_SLOTS`]; none: they grow in memory.
    spill: Option<Spill>,
}

impl<const N: usize> Default for Ngrams<N> {
    fn default() -> Self {
        static TABLES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        // SplitMix64 of a count of tables: seeds far apart.
        let n = TABLES.fetch_add(1, std::sync::atomic::Ordering::Relaxed).wrapping_add(1);
        let mut seed = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        seed = (seed ^ (seed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        seed = (seed ^ (seed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        let seed = seed ^ (seed >> 31);
        let shards = (0..SHARDS).map(|_| Mutex::new(NgramTable::empty(seed))).collect();
        Ngrams { seed, shards, waited: Default::default(), spill: None }
    }
}

impl<const N: usize> NgramTable<N> {
    fn empty(seed: u64) -> NgramTable<N> {
        NgramTable { slots: Vec::new(), len: 0, carried: FastMap::default(), seed, runs: Vec::new() }
    }
}

impl<const N: usize> Ngrams<N> {
    /// Empty tables whose shards write their counts to the file `path` (made when first needed,
    /// removed when the tables go) rather than grow past `max_slots` ([`MAX_SLOTS`] in a run).
    pub fn spilling_to(path: PathBuf, max_slots: usize) -> Ngrams<N> {
        Ngrams { spill: Some(Spill::new(path, max_slots)), ..Ngrams::default() }
    }

    /// The file shards spill to, when they may.
    pub fn spill(&self) -> Option<&Spill> {
        self.spill.as_ref()
    }

    fn shard(&self, i: usize) -> MutexGuard<'_, NgramTable<N>> {
        // A table is whole between two calls: a panic while counting leaves the run failed anyway.
        super::lock_timed(&self.shards[i], &self.waited)
    }

    /// Nanoseconds threads spent waiting for another to let go of a shard.
    pub fn waited(&self) -> u64 {
        self.waited.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Distinct n-grams counted (read back from disk, when the shards spilled).
    pub fn len(&self) -> usize {
        match self.spill.as_ref().is_some_and(Spill::is_used) {
            true => self.iter().count(),
            false => (0..SHARDS).map(|i| self.shard(i).len).sum(),
        }
    }

    /// Whether no n-gram is counted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Counts the n-grams of `items` and empties it. They come from whole documents, in document
    /// order, each with its document's index; another thread may count other documents at once.
    /// `scratch` is spare room for sorting them.
    pub fn count(&self, items: &mut Vec<Pending<N>>, scratch: &mut Vec<Pending<N>>) {
        // In hash order, so in shard order and, in each shard, in slot order, stably: each key's
        // occurrences stay in document order. The hash's first bits are enough for the shard and
        // the home slot in the largest table (more would make the sort's passes slower: with 16
        // bits a pass, its counts outgrow the first-level cache); a table that grows meanwhile is
        // read nearly in order.
        let seed = self.seed;
        let slot_bits = (0..SHARDS).map(|i| self.shard(i).slots.len().trailing_zeros()).max().unwrap_or(0);
        let bits = (SHARD_BITS + slot_bits).min(32);
        let bits_of = |key: &[u32; N]| (hash(seed, key) >> (64 - bits)) as u32;
        match (items.first(), items.last()) {
            // One long document alone: its n-grams' order among themselves does not matter, and
            // sorting them in place spares a second buffer as large as the document.
            (Some(first), Some(last)) if items.len() > PENDING && first.1 == last.1 => {
                items.sort_unstable_by_key(|(key, _)| bits_of(key));
            }
            _ => radix_sort(items, scratch, bits, |(key, _)| bits_of(key)),
        }
        let mut rest = &items[..];
        while let Some((first, _)) = rest.first() {
            let shard = shard_of(hash(seed, first));
            let end = rest.partition_point(|(key, _)| shard_of(hash(seed, key)) == shard);
            let mut table = self.shard(shard);
            // Before the items, never among them: a document's n-grams are counted on one side of a
            // run's end.
            if let Some(spill) = &self.spill {
                if table.len > 0 && table.needed(end) > spill.max_slots {
                    table.spill(spill);
                }
            }
            table.count(&rest[..end]);
            drop(table);
            rest = &rest[end..];
        }
        items.clear();
    }

    /// Adds every n-gram of `other`, counted in other documents, its terms renumbered by `renumber`.
    pub fn add_all(&self, other: &Ngrams<N>, renumber: impl Fn(u32) -> u32) {
        let mut chunks: Vec<Vec<([u32; N], NgramStat)>> = vec![Vec::new(); SHARDS];
        for (key, stat) in other.iter() {
            let key = key.map(&renumber);
            let shard = shard_of(hash(self.seed, &key));
            chunks[shard].push((key, stat));
            if chunks[shard].len() == MERGE_CHUNK {
                self.shard(shard).add_each(&chunks[shard]);
                chunks[shard].clear();
            }
        }
        for (shard, chunk) in chunks.iter().enumerate() {
            self.shard(shard).add_each(chunk);
        }
    }

    /// Adds figures counted elsewhere (in other documents) for `key`. Counts read back as a shard's
    /// tables ([`Ngrams::default`]) never spill.
    pub fn add(&self, key: [u32; N], stat: NgramStat) {
        self.shard(shard_of(hash(self.seed, &key))).add_each(&[(key, stat)]);
    }

    /// The figures of `key`, if counted.
    pub fn get(&self, key: &[u32; N]) -> Option<NgramStat> {
        let table = self.shard(shard_of(hash(self.seed, key)));
        match table.runs.is_empty() {
            true => table.get(key),
            false => {
                drop(table);
                self.iter().find(|(k, _)| k == key).map(|(_, stat)| stat)
            }
        }
    }

    /// Puts each shard that spilled into one run on disk, holding none of it in memory: read once
    /// counting is done, before the n-grams are read (more than once) for their reports.
    pub fn compact(&self) {
        if let Some(spill) = &self.spill {
            for i in 0..SHARDS {
                self.shard(i).compact(spill);
            }
        }
    }

    /// Lets go of every n-gram counted, and of the tables' memory (the spill file stays until the
    /// tables go).
    pub fn clear(&self) {
        for i in 0..SHARDS {
            let mut table = self.shard(i);
            *table = NgramTable::empty(table.seed);
        }
    }

    /// Every n-gram and its figures, in no particular order, a shard at a time (a shard that spilled
    /// read back from disk in order of key as it goes).
    pub fn iter(&self) -> impl Iterator<Item = ([u32; N], NgramStat)> + '_ {
        (0..SHARDS).flat_map(|i| self.shard(i).entries(self.spill.as_ref()))
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

    type Expected<const N: usize> = std::collections::HashMap<[u32; N], (u64, std::collections::HashSet<u32>)>;

    /// The n-grams of document `doc`: enough distinct keys over 300 documents to grow the tables
    /// several times, with repeats inside a document.
    fn document(doc: u32) -> Vec<[u32; 2]> {
        (0..50u32).map(|k| [(doc * 7 + k) % 400, k % 13]).collect()
    }

    fn expect<const N: usize>(expected: &mut Expected<N>, doc: u32, keys: &[[u32; N]]) {
        for &key in keys {
            let e = expected.entry(key).or_default();
            e.0 += 1;
            e.1.insert(doc);
        }
    }

    fn assert_counts_like<const N: usize>(table: &Ngrams<N>, expected: &Expected<N>) {
        assert_eq!(table.len(), expected.len());
        for (key, (count, docs)) in expected {
            assert_eq!(table.get(key), Some(NgramStat { count: *count, documents: docs.len() as u64 }), "{key:?}");
        }
        assert_eq!(table.iter().count(), expected.len());
    }

    #[test]
    fn counts_occurrences_and_documents_like_a_map() {
        let table = Ngrams::<2>::default();
        let mut expected = Expected::default();
        let (mut pending, mut scratch) = (Vec::new(), Vec::new());
        for doc in 0..300u32 {
            let keys = document(doc);
            pending.extend(keys.iter().map(|&key| (key, doc)));
            expect(&mut expected, doc, &keys);
            // Counted a few documents at a time, as a thread does.
            if doc % 7 == 6 {
                table.count(&mut pending, &mut scratch);
                assert!(pending.is_empty());
            }
        }
        table.count(&mut pending, &mut scratch);
        assert_counts_like(&table, &expected);
        assert_eq!(table.get(&[401, 0]), None);
    }

    /// A spill file's path in a folder of its own, removed with it.
    fn spill_path() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bigrams.spill");
        (dir, path)
    }

    #[test]
    fn tables_that_spill_to_disk_count_as_tables_that_do_not() {
        let (_dir, path) = spill_path();
        // 64 slots a shard: the 5,000-odd keys spill many runs in every shard.
        let table = Ngrams::<2>::spilling_to(path.clone(), 64);
        let mut expected = Expected::default();
        let (mut pending, mut scratch) = (Vec::new(), Vec::new());
        for doc in 0..300u32 {
            let keys = document(doc);
            pending.extend(keys.iter().map(|&key| (key, doc)));
            expect(&mut expected, doc, &keys);
            if doc % 7 == 6 {
                table.count(&mut pending, &mut scratch);
            }
        }
        table.count(&mut pending, &mut scratch);
        assert!(table.spill().is_some_and(|s| s.failure().is_none()));
        assert!(path.exists(), "the shards spilled");
        // The smallest table a shard makes is 1,024 slots: it never grew.
        assert!((0..SHARDS).all(|i| table.shard(i).slots.len() <= 1024), "no shard grew");
        assert_counts_like(&table, &expected);
        // Put together on disk, nothing held in memory, the same again.
        table.compact();
        assert!((0..SHARDS).all(|i| table.shard(i).slots.is_empty() && table.shard(i).runs.len() <= 1));
        assert_counts_like(&table, &expected);
        drop(table);
        assert!(!path.exists(), "the spill file goes with the tables");
    }

    #[test]
    fn tables_that_cannot_spill_keep_their_counts_in_memory_and_say_why() {
        let (dir, _) = spill_path();
        let path = dir.path().join("no such folder").join("bigrams.spill");
        let table = Ngrams::<2>::spilling_to(path, 64);
        let mut expected = Expected::default();
        let (mut pending, mut scratch) = (Vec::new(), Vec::new());
        for doc in 0..300u32 {
            let keys = document(doc);
            pending.extend(keys.iter().map(|&key| (key, doc)));
            expect(&mut expected, doc, &keys);
            table.count(&mut pending, &mut scratch);
        }
        let why = table.spill().and_then(Spill::failure).expect("a failure told");
        assert!(why.contains("no such folder"), "{why}");
        assert_counts_like(&table, &expected);
    }

    #[test]
    fn threads_counting_other_documents_at_once_count_each_document_once() {
        // Two threads take turns of documents, so a key's documents reach its shard out of order.
        let table = Ngrams::<2>::default();
        std::thread::scope(|scope| {
            for thread in 0..2u32 {
                let table = &table;
                scope.spawn(move || {
                    let (mut pending, mut scratch) = (Vec::new(), Vec::new());
                    for doc in (thread..300).step_by(2) {
                        pending.extend(document(doc).into_iter().map(|key| (key, doc)));
                        if doc % 5 == thread {
                            table.count(&mut pending, &mut scratch);
                        }
                    }
                    table.count(&mut pending, &mut scratch);
                });
            }
        });
        let mut expected = Expected::default();
        for doc in 0..300 {
            expect(&mut expected, doc, &document(doc));
        }
        assert_counts_like(&table, &expected);
    }

    /// Slots the tables of `ngrams` hold, empty or not.
    fn slots<const N: usize>(ngrams: &Ngrams<N>) -> usize {
        (0..SHARDS).map(|i| ngrams.shard(i).slots.len()).sum()
    }

    #[test]
    fn keys_added_in_another_tables_slot_order_keep_probes_short() {
        // Keys come in another table's slot order when tables merge, or when a shard's n-grams are
        // read back. Were both tables hashed alike, the keys a growing table gets first would all
        // have their homes in its first slots, and probes would grow with the table.
        let other = Ngrams::<2>::default();
        let mut pending: Vec<Pending<2>> = (0..50_000u32).map(|k| ([k, k % 7], 0)).collect();
        other.count(&mut pending, &mut Vec::new());
        let table = Ngrams::<2>::default();
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
        let fill = |table: &Ngrams<2>, doc| {
            let mut pending: Vec<Pending<2>> = (0..40_000u32).map(|k| ([k, k % 7], doc)).collect();
            table.count(&mut pending, &mut Vec::new());
        };
        let (table, other) = (Ngrams::<2>::default(), Ngrams::<2>::default());
        fill(&table, 0);
        fill(&other, 1);
        let before = slots(&table);
        table.add_all(&other, |id| id);
        assert_eq!(table.len(), 40_000);
        assert_eq!(slots(&table), before, "room made for keys already there");
        assert_eq!(table.get(&[7, 0]), Some(NgramStat { count: 2, documents: 2 }));
    }

    #[test]
    fn counting_known_ngrams_does_not_grow_the_table() {
        let table = Ngrams::<3>::default();
        let batch = |doc| (0..50_000u32).map(|k| ([k, k % 7, 1], doc)).collect::<Vec<Pending<3>>>();
        table.count(&mut batch(0), &mut Vec::new());
        let before = slots(&table);
        // Known keys, in batches small against the tables (a large one makes room for its keys).
        for chunk in batch(1).chunks(2_000) {
            table.count(&mut chunk.to_vec(), &mut Vec::new());
        }
        assert_eq!(slots(&table), before);
        assert_eq!(table.get(&[9, 2, 1]), Some(NgramStat { count: 2, documents: 2 }));
        // A table grows as new keys fill it, and finds every key after.
        table.count(&mut (0..50_000u32).map(|k| ([k, 8, 8], 2)).collect(), &mut Vec::new());
        assert!(slots(&table) > before);
        assert_eq!(table.len(), 100_000);
        assert_eq!(table.get(&[9, 2, 1]), Some(NgramStat { count: 2, documents: 2 }));
        assert_eq!(table.get(&[49_999, 8, 8]), Some(NgramStat { count: 1, documents: 1 }));
    }

    #[test]
    fn a_batch_of_new_ngrams_larger_than_the_table_keeps_probes_short() {
        // The items come in hash order: a table grown only as each new key needs would hold, at
        // each growth, keys whose homes are all in its first part, packed in long runs.
        let table = Ngrams::<2>::default();
        let mut pending: Vec<Pending<2>> = (0..200_000u32).map(|k| ([k / 7, k % 7], 0)).collect();
        PROBES.with(|p| p.set(0));
        table.count(&mut pending, &mut Vec::new());
        let probes = PROBES.with(|p| p.get());
        assert_eq!(table.len(), 200_000);
        assert!(probes < 4 * 200_000, "{probes} slots looked at for 200,000 n-grams");
    }

    #[test]
    fn figures_past_two_to_the_32_are_carried_whole() {
        let table = Ngrams::<2>::default();
        let near = u64::from(u32::MAX) - 1;
        table.add([1, 2], NgramStat { count: near, documents: 7 });
        table.add([3, 4], NgramStat { count: 5 << 32, documents: 3 });
        // Three more occurrences of [1, 2], in two documents: its count passes 2^32 on the second.
        let (mut items, mut scratch) = (vec![([1, 2], 10), ([1, 2], 10), ([1, 2], 11), ([3, 4], 11)], Vec::new());
        table.count(&mut items, &mut scratch);
        assert_eq!(table.get(&[1, 2]), Some(NgramStat { count: near + 3, documents: 9 }));
        assert_eq!(table.get(&[3, 4]), Some(NgramStat { count: (5 << 32) + 1, documents: 4 }));
        let mut all: Vec<_> = table.iter().collect();
        all.sort_unstable_by_key(|r| r.0);
        assert_eq!(
            all,
            [
                ([1, 2], NgramStat { count: near + 3, documents: 9 }),
                ([3, 4], NgramStat { count: (5 << 32) + 1, documents: 4 })
            ]
        );
        // Counted on after the carry, and merged into another table, nothing is lost.
        let (mut items, mut scratch) = (vec![([1, 2], 12)], Vec::new());
        table.count(&mut items, &mut scratch);
        let other = Ngrams::<2>::default();
        other.add_all(&table, |t| t);
        other.add_all(&table, |t| t);
        assert_eq!(other.get(&[1, 2]), Some(NgramStat { count: 2 * (near + 4), documents: 20 }));
    }

    #[test]
    fn the_first_document_counts_even_at_index_zero_and_tables_add_renumbered() {
        let table = Ngrams::<3>::default();
        let mut scratch = Vec::new();
        table.count(&mut vec![([1, 2, 3], 0), ([1, 2, 3], 0)], &mut scratch);
        assert_eq!(table.get(&[1, 2, 3]), Some(NgramStat { count: 2, documents: 1 }));
        table.count(&mut vec![([1, 2, 3], 1)], &mut scratch);
        // Another table numbers the same terms 10, 20, 30, and has 40, 50, 60 besides.
        let other = Ngrams::<3>::default();
        let mut pending = Vec::new();
        for doc in [0, 1] {
            pending.extend([([10, 20, 30], doc), ([10, 20, 30], doc)]);
        }
        pending.push(([40, 50, 60], 2));
        other.count(&mut pending, &mut scratch);
        table.add_all(&other, |id| id / 10);
        assert_eq!(table.get(&[1, 2, 3]), Some(NgramStat { count: 3 + 4, documents: 2 + 2 }));
        assert_eq!(table.get(&[4, 5, 6]), Some(NgramStat { count: 1, documents: 1 }));
        assert_eq!(table.len(), 2);
    }
}
