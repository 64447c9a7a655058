//! Tokens and mentions in, counts out: terms (with their spread over parts of the corpus and over
//! time), n-grams, actors, per-document figures and per-date actor counts.
//!
//! Each thread fills its own [`Counts`] one whole document at a time; [`Counts::merge`] adds two of
//! them. Every figure is a sum (or a minimum/maximum) over documents, so merging in any order gives
//! the same totals, and rows are sorted before they are reported.
//!
//! Terms are interned: each distinct term gets a number that the per-part and per-period tables use
//! as their key, so a token costs one lookup by `&str`. The counts of a run's threads
//! ([`Counts::siblings`]) share the n-gram tables, the largest of all, and so a numbering of terms
//! for their keys; each thread numbers the terms it meets itself, in its own dense table, and asks
//! the shared numbering only for a term new to it. A thread's memory thus grows with the terms it
//! has seen, not with every term of the run; the threads' terms are put in the shared numbering
//! when they are merged.

use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, TryLockError};
use std::time::{Duration, Instant};

use compact_str::CompactString;

use crate::hashing::FastMap;

use crate::actors::{fold_space, is_abbreviation, Kind, Mention, Origin};
use crate::corpus::{Date, Document, Period};
use crate::tokenize::{ends_sentence, is_hard_wrapped, term_of, Stopwords, Token};

mod dispersion;
mod ngrams;
mod resolve;
mod spread;
mod terms;

use dispersion::PartCounts;
use ngrams::Pending;
pub use ngrams::{NgramStat, Ngrams, MAX_SLOTS as NGRAM_SHARD_SLOTS};
pub use resolve::Resolution;
pub use spread::TermSpread;
use terms::{TermIds, TermNames};

/// The parts of the corpus dispersion is measured over: each document falls in one, by a hash of
/// its id.
pub const DISPERSION_PARTS: usize = 100;

/// The dispersion part of the document with id `id`: its FNV-1a hash (as shards use) mod
/// [`DISPERSION_PARTS`].
pub fn dispersion_part(id: &str) -> u8 {
    (crate::hashing::fnv1a(id.as_bytes()) % DISPERSION_PARTS as u64) as u8
}

/// What counting needs besides the documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountOptions {
    /// The span of time term and actor timelines count by.
    pub period: Period,
    /// The words flagged as stopwords.
    pub stopwords: Arc<Stopwords>,
    /// Leave stopwords out of the terms and n-grams (`--drop-stopwords`).
    pub drop_stopwords: bool,
    /// Count no n-grams (`--no-ngrams`, or no report asked for made of them).
    pub no_ngrams: bool,
    /// Look for no actors in the documents (no report asked for is made of them).
    pub no_actors: bool,
    /// Count no term's figures by period (no report asked for shows them: `term_timeline`,
    /// `period_keyness`).
    pub no_term_periods: bool,
    /// The terms whose places in context are kept (`--kwic`).
    pub kwic: Arc<crate::kwic::Query>,
    /// The Snowball stemmer terms are stemmed with (`--stem`), by its name, if any.
    pub stem: Option<&'static str>,
    /// Where a document's group is among its `meta` values (`--group-by`), if terms and actors are
    /// counted by group.
    pub group_at: Option<usize>,
    /// How many of each actor's first mentions (on each thread) keep the text around them, for the
    /// page's lines in context (0: none).
    pub contexts: usize,
    /// Whether a report asked for is made of the actors' pairs (counted once the actors are resolved,
    /// [`ResolvedFigures`]): else a document naming too many actors to pair them is no warning.
    pub pairs: bool,
}

/// The stem of `term` by the Snowball stemmer named `language` (one frostem was built with).
pub fn stem_of(language: &str, term: &str) -> String {
    let stemmer = frostem::Stemmer::try_from_name(language).expect("a stemmer tally is built with");
    stemmer.stem(term).into_owned()
}

/// How many documents a stem occurs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StemStat {
    /// Documents holding any term of the stem.
    pub documents: u64,
    last_doc: usize,
}

impl Default for StemStat {
    fn default() -> Self {
        StemStat { documents: 0, last_doc: usize::MAX }
    }
}

/// How often a term occurs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermStat {
    /// Occurrences in the corpus.
    pub count: u64,
    /// Documents it occurs in: 32 bits, as a vocabulary of millions of terms holds millions of these
    /// (a term in 2^32 documents or more stops the run: see [`TermStat::add_documents`]).
    pub documents: u32,
    /// The earliest dated document it occurs in.
    pub first_date: Option<Date>,
    /// The latest dated document it occurs in.
    pub last_date: Option<Date>,
    /// Whether it is on the stopword list.
    pub stopword: bool,
}

impl TermStat {
    /// Adds `n` documents it occurs in.
    pub fn add_documents(&mut self, n: u32) {
        self.documents = self.documents.checked_add(n).expect("fewer than 2^32 documents hold a term");
    }

    /// Adds the figures of the same term counted in other documents.
    fn add(&mut self, other: &TermStat) {
        self.count += other.count;
        self.add_documents(other.documents);
        self.first_date = min_present(self.first_date, other.first_date);
        self.last_date = self.last_date.max(other.last_date);
    }
}

/// A term's figures. Its name is in the counts' term table ([`Counts::term_name`]), not here: a
/// vocabulary of millions of terms holds millions of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Its figures.
    pub stat: TermStat,
    /// Its occurrences by dispersion part and by period, added by [`Counts::settle`] in term
    /// order, so the term's entry is fetched once for many documents.
    spread: TermSpread,
}

impl Term {
    /// A term a thread has not seen: no name, no figures.
    fn unseen() -> Term {
        Term { stat: TermStat::default(), spread: TermSpread::None }
    }

    /// Whether the counts holding it have seen it: counted it, or left it out as a stopword
    /// (`--drop-stopwords`). The counts of a thread hold a place for every term of the run, at its
    /// shared number, once they are merged (see [`Counts::siblings`]); a term only other threads
    /// saw has none of its own until theirs are merged in.
    fn is_seen(&self) -> bool {
        self.stat.count > 0 || self.stat.stopword
    }

    /// The dispersion parts it occurs in, with its occurrences in each, by part.
    pub fn parts(&self) -> Vec<(u8, u64)> {
        self.spread.parts(&self.stat)
    }

    /// The periods it occurs in (their first days), with its figures in each, by period.
    pub fn periods(&self) -> Vec<(Date, PeriodStat)> {
        self.spread.periods(&self.stat)
    }
}

/// A term's figures in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodStat {
    /// Occurrences in the period.
    pub count: u64,
    /// Documents of the period it occurs in.
    pub documents: u64,
}

/// An actor as counts know it: its canonical name and kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActorKey {
    /// The canonical name.
    pub name: Arc<str>,
    /// The kind.
    pub kind: Kind,
}

/// What counts know of an actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorStat {
    /// Mentions in the corpus.
    pub mentions: u64,
    /// Documents mentioning it.
    pub documents: u64,
    /// Earliest and latest dated document mentioning it.
    pub first_date: Option<Date>,
    /// See `first_date`.
    pub last_date: Option<Date>,
    /// Surface forms and how often each was seen.
    pub aliases: FastMap<String, u64>,
    /// Where the actor comes from (dictionary if any mention came from it).
    pub origin: Option<Origin>,
    /// Its codes (a dated code may change over the corpus) and the mentions that had each.
    pub codes: FastMap<Arc<str>, u64>,
}

/// One row of the `documents` report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Position in reading order.
    pub index: usize,
    /// The document's id.
    pub doc: String,
    /// Its date.
    pub date: Option<Date>,
    /// Its size in bytes.
    pub bytes: u64,
    /// Words in its body.
    pub tokens: u64,
    /// Distinct terms in its body.
    pub terms: u64,
    /// Actor mentions in it.
    pub mentions: u64,
    /// The values of the fields carried into `documents` (`--meta`, `--group-by`).
    pub meta: Vec<Option<String>>,
    /// Its group (`--group-by`), when it has one.
    pub group: Option<Arc<str>>,
}

impl DocumentRow {
    /// Its place in reading order (as [`MentionRow::place`]).
    pub fn place(&self) -> (usize, usize) {
        (self.index, 0)
    }
}

/// What the documents counted add up to: kept whole while their rows ([`Counts::documents`]) are
/// taken away to be written, a batch at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentTotals {
    /// Documents counted.
    pub documents: u64,
    /// Words in the documents of each dispersion part.
    pub part_tokens: [u64; DISPERSION_PARTS],
    /// The dated documents and their words, by date.
    pub dates: FastMap<Date, DateTotals>,
    /// The documents of each group and their words (`--group-by`), by group.
    pub groups: FastMap<Arc<str>, DateTotals>,
    /// How many documents have each field carried into `documents` (`--meta`, `--group-by`), in
    /// their order (a field no document has may be shorter).
    pub carried: Vec<u64>,
}

/// The documents of one date (or group) and their words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateTotals {
    /// Documents of the date.
    pub documents: u64,
    /// Words in their bodies.
    pub tokens: u64,
}

impl Default for DocumentTotals {
    fn default() -> Self {
        DocumentTotals {
            documents: 0,
            part_tokens: [0; DISPERSION_PARTS],
            dates: FastMap::default(),
            groups: FastMap::default(),
            carried: Vec::new(),
        }
    }
}

impl DocumentTotals {
    /// Adds the document `row`, of dispersion part `part`.
    fn add(&mut self, row: &DocumentRow, part: u8) {
        self.documents += 1;
        self.part_tokens[part as usize] += row.tokens;
        if let Some(date) = row.date {
            let d = self.dates.entry(date).or_default();
            d.documents += 1;
            d.tokens += row.tokens;
        }
        for (at, value) in row.meta.iter().enumerate() {
            if value.is_some() {
                if self.carried.len() <= at {
                    self.carried.resize(at + 1, 0);
                }
                self.carried[at] += 1;
            }
        }
        if let Some(group) = &row.group {
            let g = match self.groups.get_mut(group) {
                Some(g) => g,
                None => self.groups.entry(Arc::clone(group)).or_default(),
            };
            g.documents += 1;
            g.tokens += row.tokens;
        }
    }

    /// Adds the documents of `other`.
    fn merge(&mut self, other: DocumentTotals) {
        self.documents += other.documents;
        for (mine, theirs) in self.part_tokens.iter_mut().zip(other.part_tokens) {
            *mine += theirs;
        }
        for (date, d) in other.dates {
            let mine = self.dates.entry(date).or_default();
            mine.documents += d.documents;
            mine.tokens += d.tokens;
        }
        if self.carried.len() < other.carried.len() {
            self.carried.resize(other.carried.len(), 0);
        }
        for (mine, theirs) in self.carried.iter_mut().zip(other.carried) {
            *mine += theirs;
        }
        for (group, d) in other.groups {
            let mine = self.groups.entry(group).or_default();
            mine.documents += d.documents;
            mine.tokens += d.tokens;
        }
    }

    /// The documents of each date, by date.
    pub fn by_date(&self) -> Vec<(Date, u64)> {
        let mut dates: Vec<(Date, u64)> = self.dates.iter().map(|(&date, d)| (date, d.documents)).collect();
        dates.sort_unstable();
        dates
    }

    /// Documents without a date.
    pub fn undated(&self) -> u64 {
        self.documents - self.dates.values().map(|d| d.documents).sum::<u64>()
    }
}

/// One row of the `mentions` report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRow {
    /// Position of the document in reading order.
    pub index: usize,
    /// The document's id.
    pub doc: Arc<str>,
    /// The mention itself.
    pub mention: Mention,
    /// `content[start..end]`.
    pub text: String,
    /// The text around it, when kept ([`CountOptions::contexts`]).
    pub context: Option<Box<Context>>,
}

/// The text on either side of a mention, on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Up to [`CONTEXT_WIDTH`] characters before it.
    pub left: String,
    /// Up to [`CONTEXT_WIDTH`] characters after it.
    pub right: String,
}

/// Characters of context on each side of a mention kept for the page.
pub const CONTEXT_WIDTH: usize = 60;

/// The mentions of each actor the page shows in context: its first, in reading order.
pub const CONTEXT_LINES: usize = 3;

impl MentionRow {
    /// Its place in reading order: its document's, then its start in the document.
    pub fn place(&self) -> (usize, usize) {
        (self.index, self.mention.start)
    }
}

/// One row of the `kwic` report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicRow {
    /// Position of the document in reading order.
    pub index: usize,
    /// The document's id.
    pub doc: Arc<str>,
    /// The match in context.
    pub line: crate::kwic::KwicLine,
}

impl KwicRow {
    /// Its place in reading order (as [`MentionRow::place`]).
    pub fn place(&self) -> (usize, usize) {
        (self.index, self.line.start)
    }
}

/// Mentions and documents of one actor on one date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimelineStat {
    /// Mentions on that date.
    pub mentions: u64,
    /// Documents of that date mentioning the actor.
    pub documents: u64,
}

/// How often two actors are mentioned together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairStat {
    /// Documents mentioning both.
    pub documents: u64,
    /// Sentences mentioning both.
    pub sentences: u64,
}

/// Marks the place before a sentence's first word in an n-gram window.
const NO_TERM: u32 = u32::MAX;

/// The files a run's n-gram tables write what outgrows their memory to: one for the bigrams, one for
/// the trigrams, removed when the tables go.
#[derive(Debug, Clone)]
pub struct NgramSpill {
    /// The bigrams' file.
    pub bigrams: std::path::PathBuf,
    /// The trigrams' file.
    pub trigrams: std::path::PathBuf,
    /// The slots a shard of either table holds at most ([`NGRAM_SHARD_SLOTS`] in a run).
    pub max_slots: usize,
}

/// What the counts of a run's threads share: term numbers and n-gram tables.
#[derive(Debug, Default)]
struct Shared {
    /// Term -> its shared number, for every term any of them has seen: the numbers the n-gram
    /// tables are keyed by.
    term_ids: Mutex<TermIds>,
    /// Two terms in a row in one sentence.
    bigrams: Ngrams<2>,
    /// Three terms in a row in one sentence.
    trigrams: Ngrams<3>,
    /// Nanoseconds threads spent waiting for another to let go of `term_ids`.
    waited: AtomicU64,
}

impl Shared {
    /// The shared number of `name`, given it when new.
    fn number(&self, name: &str) -> u32 {
        let mut ids = lock_timed(&self.term_ids, &self.waited);
        ids.get(name).unwrap_or_else(|| {
            let id = number_below_max(ids.len());
            ids.insert(name, id);
            id
        })
    }
}

/// Locks `mutex`, adding to `waited` the nanoseconds spent waiting for another thread to let go of
/// it. A lock a panicking thread held is taken as it is: that run has failed anyway.
pub(crate) fn lock_timed<'m, T>(mutex: &'m Mutex<T>, waited: &AtomicU64) -> MutexGuard<'m, T> {
    match mutex.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => {
            let start = Instant::now();
            let guard = mutex.lock().unwrap_or_else(PoisonError::into_inner);
            waited.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
            guard
        }
    }
}

/// `n` as a term number: u32::MAX marks no term in n-gram windows and tables.
fn number_below_max(n: usize) -> u32 {
    u32::try_from(n).ok().filter(|&id| id != u32::MAX).expect("fewer than 2^32 - 1 terms")
}

/// N-grams of a thread's documents waiting to be counted into the shared tables, and spare room
/// for sorting them.
#[derive(Debug, Default)]
struct Waiting<const N: usize> {
    ngrams: Vec<Pending<N>>,
    scratch: Vec<Pending<N>>,
}

impl<const N: usize> Waiting<N> {
    fn count_into(&mut self, table: &Ngrams<N>) {
        table.count(&mut self.ngrams, &mut self.scratch);
    }
}

/// Everything counted over a set of documents.
#[derive(Debug, Default)]
pub struct Counts {
    /// Term numbers and n-gram tables, shared with the other threads of a run.
    shared: Arc<Shared>,
    /// Term -> its number in `terms`, for the terms seen here: the first table a word is looked up
    /// in. In the counts of a thread of a run, it holds the [`THREAD_TERMS`] terms met last at most
    /// (the others are found in the shared table, then in `local_of`); while counts numbered as the
    /// shared table have siblings, only the terms met since (see [`Counts::term_number`]).
    term_ids: TermIds,
    /// In the counts of a thread of a run, by a term's shared number, its number here (`u32::MAX`
    /// for none): the inverse of `shared_ids`.
    local_of: Vec<u32>,
    /// Every term's name by number, made once when first asked for ([`Counts::term_name`]) and let
    /// go when a term is added or the numbers change.
    names: OnceLock<TermNames>,
    /// Every term counted, by number; in counts numbered as the shared table, a term only other
    /// threads have seen has an empty record until their counts are merged in.
    terms: Vec<Term>,
    /// By a term's number here, its shared number, when the two differ: the counts of a thread of
    /// a run number their own terms. `None` in counts numbered as the shared table (counts on their
    /// own, and a run's threads once merged).
    shared_ids: Option<Vec<u32>>,
    /// Stem -> the documents it occurs in (`--stem`).
    stems: FastMap<Arc<str>, StemStat>,
    /// Scratch (`--stem`): by term number, its stem once made, for the documents counted here.
    /// Emptied when the numbers change.
    term_stems: Vec<Option<Arc<str>>>,
    /// Bigrams and trigrams of documents counted here, not yet in the shared tables.
    bigrams_waiting: Waiting<2>,
    trigrams_waiting: Waiting<3>,
    /// Actor -> its figures.
    actors: FastMap<ActorKey, ActorStat>,
    /// (date, actor) -> mentions and documents, once the actors are resolved (as `group_actors`
    /// and `pairs`: see [`ActorTables`]).
    timeline: FastMap<(Date, ActorKey), TimelineStat>,
    /// Group (`--group-by`) -> each of its terms, by name -> occurrences and documents. Every
    /// group counted has an entry, which holds the one copy of its name.
    group_terms: FastMap<Arc<str>, FastMap<CompactString, PeriodStat>>,
    /// (group, actor) -> mentions and documents.
    group_actors: FastMap<(Arc<str>, ActorKey), TimelineStat>,
    /// Actor as found -> the places (document, start) of its earliest mentions counted here, at
    /// most [`CountOptions::contexts`]: which mentions keep their context.
    context_places: FastMap<ActorKey, smallvec::SmallVec<[(u32, u32); CONTEXT_LINES]>>,
    /// Actor, as resolved -> its first mentions kept in context ([`CountOptions::contexts`]), in
    /// reading order, at most [`CONTEXT_LINES`].
    contexts: FastMap<ActorKey, Vec<MentionRow>>,
    /// Actor -> its number in `actor_keys`, for the pairs: each actor of a document is looked up
    /// once, and its pairs by two numbers.
    actor_ids: FastMap<ActorKey, u32>,
    /// Every actor paired, by number.
    actor_keys: Vec<ActorKey>,
    /// (actor, actor), by number -> documents and sentences mentioning both; the first actor sorts
    /// before the second by name, then kind (see [`Counts::pairs`]).
    pairs: FastMap<(u32, u32), PairStat>,
    /// A row per document counted, until taken to be written (`tally run` writes them a batch at
    /// a time); what they add up to stays in `totals`.
    documents: Vec<DocumentRow>,
    /// The documents counted, in sum.
    totals: DocumentTotals,
    /// A row per mention, until taken to be written, as `documents`.
    mentions: Vec<MentionRow>,
    /// A row per place of a `--kwic` term, until taken to be written, as `documents`.
    kwic: Vec<KwicRow>,
    /// Words counted in all bodies.
    tokens: u64,
    /// Bytes of all documents counted.
    bytes: u64,
    /// Scratch: each term's occurrences in the document being counted, by number.
    in_doc: Vec<u32>,
    /// Scratch: the terms of the document being counted.
    doc_terms: Vec<u32>,
    /// Scratch: their names, when its terms are counted by group (`--group-by`).
    doc_names: Vec<CompactString>,
    /// Each term's occurrences in each document counted since the last [`Counts::settle`], not yet
    /// in its part and period figures.
    spread: Vec<Spread>,
    /// Spare room for sorting `spread`.
    spread_scratch: Vec<Spread>,
}

/// The most terms the table a thread of a run looks its words up in holds: 2^19 slots of 16 bytes.
/// Past it, the table is emptied and holds the terms met next, as a cache: a corpus's frequent
/// words are met again at once, and a vocabulary of millions of terms is held once, in the shared
/// table, not once more by each thread.
const THREAD_TERMS: usize = 3 << 17;

/// A term's occurrences in one document, on their way to its part and period figures. They are
/// added a few hundred thousand at a time, in term order, so each term's figures are fetched from
/// memory once for all of them rather than once a document. 16 bytes: the two buffers of a batch
/// are a thread's largest but its n-grams'.
#[derive(Debug, Clone, Copy)]
struct Spread {
    term: u32,
    occurrences: u32,
    /// The first day of the document's period; none for an undated document.
    period: Option<Date>,
    part: u8,
}

/// How many [`Spread`]s wait before they are added.
const SPREAD_BATCH: usize = 1 << 18;

impl Counts {
    /// `n` empty counts, for `n` threads counting one corpus: they share term numbers and n-gram
    /// tables, and are merged into one when done. With `spill`, the n-gram tables write what outgrows
    /// their memory to its files ([`Ngrams::spilling_to`]).
    pub fn siblings(n: usize, spill: Option<NgramSpill>) -> Vec<Counts> {
        let own_numbers = || (n > 1).then(Vec::new);
        let shared = match spill {
            Some(NgramSpill { bigrams, trigrams, max_slots }) => Arc::new(Shared {
                bigrams: Ngrams::spilling_to(bigrams, max_slots),
                trigrams: Ngrams::spilling_to(trigrams, max_slots),
                ..Shared::default()
            }),
            None => Arc::default(),
        };
        let first = Counts { shared, shared_ids: own_numbers(), ..Counts::default() };
        let shared = || Counts { shared: Arc::clone(&first.shared), shared_ids: own_numbers(), ..Counts::default() };
        let mut all: Vec<Counts> = (1..n).map(|_| shared()).collect();
        all.push(first);
        all
    }

    /// Every term counted, by number (see [`Counts::term_number`]).
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Stem -> the documents it occurs in (`--stem`).
    pub fn stems(&self) -> &FastMap<Arc<str>, StemStat> {
        &self.stems
    }

    /// Actor -> its figures.
    pub fn actors(&self) -> &FastMap<ActorKey, ActorStat> {
        &self.actors
    }

    /// (date, actor) -> mentions and documents.
    pub fn timeline(&self) -> &FastMap<(Date, ActorKey), TimelineStat> {
        &self.timeline
    }

    /// Group (`--group-by`) -> its terms' occurrences and documents, by term.
    pub fn group_terms(&self) -> &FastMap<Arc<str>, FastMap<CompactString, PeriodStat>> {
        &self.group_terms
    }

    /// (group, actor) -> the actor's mentions and documents in the group (`--group-by`).
    pub fn group_actors(&self) -> &FastMap<(Arc<str>, ActorKey), TimelineStat> {
        &self.group_actors
    }

    /// Actor, as resolved -> its first mentions in context, in reading order (see
    /// [`Counts::count_resolved`]).
    pub fn actor_contexts(&self) -> &FastMap<ActorKey, Vec<MentionRow>> {
        &self.contexts
    }

    /// Adds the figures of `term` in `group`, counted elsewhere (a shard's).
    pub fn add_group_term(&mut self, group: &str, term: &str, stat: PeriodStat) {
        let group = self.group_key(group);
        let terms = self.group_terms.get_mut(&group).expect("group_key adds the group");
        let t = match terms.get_mut(term) {
            Some(t) => t,
            None => terms.entry(CompactString::new(term)).or_default(),
        };
        t.count += stat.count;
        t.documents += stat.documents;
    }

    /// The one copy of the group name `name`, kept in `group_terms` (added when new).
    fn group_key(&mut self, name: &str) -> Arc<str> {
        if let Some((key, _)) = self.group_terms.get_key_value(name) {
            return Arc::clone(key);
        }
        let key: Arc<str> = Arc::from(name);
        self.group_terms.insert(Arc::clone(&key), FastMap::default());
        key
    }

    /// The rows of the documents counted and not yet taken (see [`Counts::take_rows`]).
    pub fn documents(&self) -> &[DocumentRow] {
        &self.documents
    }

    /// The rows of the mentions counted and not yet taken.
    pub fn mentions(&self) -> &[MentionRow] {
        &self.mentions
    }

    /// The rows of the places of `--kwic` terms counted and not yet taken.
    pub fn kwic(&self) -> &[KwicRow] {
        &self.kwic
    }

    /// The documents counted, in sum.
    pub fn totals(&self) -> &DocumentTotals {
        &self.totals
    }

    /// Words counted in all bodies.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Bytes of all documents counted.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Takes the rows of documents, mentions and kwic places counted so far, to be written: what
    /// they add up to stays in the totals.
    pub fn take_rows(&mut self) -> (Vec<DocumentRow>, Vec<MentionRow>, Vec<KwicRow>) {
        (std::mem::take(&mut self.documents), std::mem::take(&mut self.mentions), std::mem::take(&mut self.kwic))
    }

    /// Adds a term's figures counted elsewhere (a shard's), without its part and period figures
    /// (see [`Counts::add_term_part`], [`Counts::add_term_period`]); says its number.
    pub fn add_term(&mut self, name: &str, stat: TermStat) -> u32 {
        let id = self.intern(name, stat.stopword);
        let term = &mut self.terms[id as usize];
        // Its parts and periods come apart from its figures: they must not follow them.
        term.spread.write_out(&term.stat);
        term.stat.add(&stat);
        id
    }

    /// Adds `n` occurrences of the term numbered `id` in dispersion part `part`.
    pub fn add_term_part(&mut self, id: u32, part: u8, n: u64) {
        let term = &mut self.terms[id as usize];
        term.spread.add_part(&term.stat, part, n);
    }

    /// Adds the figures of the term numbered `id` in the period starting on `period`.
    pub fn add_term_period(&mut self, id: u32, period: Date, stat: PeriodStat) {
        let term = &mut self.terms[id as usize];
        term.spread.add_period(&term.stat, period, stat);
    }

    /// Holds each term's parts and periods in as little room as they fit (see [`TermSpread`]), once
    /// they are added with [`Counts::add_term_part`] and [`Counts::add_term_period`].
    pub fn compact_spreads(&mut self) {
        for term in &mut self.terms {
            term.spread.compact(&term.stat);
        }
    }

    /// Adds an actor's figures counted elsewhere.
    pub fn add_actor(&mut self, key: ActorKey, stat: ActorStat) {
        let a = self.actors.entry(key).or_default();
        a.mentions += stat.mentions;
        a.documents += stat.documents;
        a.first_date = min_present(a.first_date, stat.first_date);
        a.last_date = a.last_date.max(stat.last_date);
        merge_sums(&mut a.aliases, stat.aliases);
        a.origin = min_present(a.origin, stat.origin);
        merge_sums(&mut a.codes, stat.codes);
    }

    /// Adds an actor's figures on one date, counted elsewhere.
    pub fn add_timeline(&mut self, date: Date, key: ActorKey, stat: TimelineStat) {
        let t = self.timeline.entry((date, key)).or_default();
        t.mentions += stat.mentions;
        t.documents += stat.documents;
    }

    /// Adds the documents of a stem counted elsewhere.
    pub fn add_stem(&mut self, stem: Arc<str>, documents: u64) {
        self.stems.entry(stem).or_default().documents += documents;
    }

    /// Adds the row of a place of a `--kwic` term counted elsewhere.
    pub fn add_kwic_row(&mut self, row: KwicRow) {
        self.kwic.push(row);
    }

    /// The bigrams counted (complete once settled, and once every sibling is merged in).
    pub fn bigrams(&self) -> &Ngrams<2> {
        &self.shared.bigrams
    }

    /// The trigrams counted (as [`Counts::bigrams`]).
    pub fn trigrams(&self) -> &Ngrams<3> {
        &self.shared.trigrams
    }

    /// Every pair of actors mentioned in one document, the first sorting before the second by name,
    /// then kind, with the documents and sentences mentioning both; in no particular order.
    pub fn pairs(&self) -> impl Iterator<Item = (&ActorKey, &ActorKey, &PairStat)> {
        let key = |id: u32| &self.actor_keys[id as usize];
        self.pairs.iter().map(move |(&(a, b), stat)| (key(a), key(b), stat))
    }

    /// The figures of the pair `a`, `b` (`a` sorting first), if counted.
    pub fn pair(&self, a: &ActorKey, b: &ActorKey) -> Option<&PairStat> {
        self.pairs.get(&(*self.actor_ids.get(a)?, *self.actor_ids.get(b)?))
    }

    /// Distinct pairs of actors counted.
    pub fn pair_count(&self) -> usize {
        self.pairs.len()
    }

    /// Adds figures counted elsewhere for the pair `a`, `b` (`a` sorting first).
    pub fn add_pair(&mut self, a: &ActorKey, b: &ActorKey, stat: PairStat) {
        let ids = (self.actor_number(a), self.actor_number(b));
        self.add_pair_of(ids, stat);
    }

    fn add_pair_of(&mut self, ids: (u32, u32), stat: PairStat) {
        let pair = self.pairs.entry(ids).or_default();
        pair.documents += stat.documents;
        pair.sentences += stat.sentences;
    }

    /// The number of the actor `key` in the pairs, given it when new.
    fn actor_number(&mut self, key: &ActorKey) -> u32 {
        if let Some(&id) = self.actor_ids.get(key) {
            return id;
        }
        let id = u32::try_from(self.actor_keys.len()).expect("fewer than 2^32 actors");
        self.actor_keys.push(key.clone());
        self.actor_ids.insert(key.clone(), id);
        id
    }

    /// Puts the n-grams that outgrew their tables' memory together on disk, the rest of them with
    /// them, so that their reports read each table straight through (see [`Ngrams::compact`]).
    pub fn compact_ngrams(&mut self) {
        self.settle();
        let (bigrams, trigrams) = (&self.shared.bigrams, &self.shared.trigrams);
        rayon::join(|| bigrams.compact(), || trigrams.compact());
    }

    /// Lets go of the n-grams counted, the largest tables counts hold, once their reports are made.
    pub fn drop_ngrams(&mut self) {
        self.settle();
        self.shared.bigrams.clear();
        self.shared.trigrams.clear();
    }

    /// The number of `name`, added with `stopword` as its flag when new.
    pub fn intern(&mut self, name: &str, stopword: bool) -> u32 {
        if let Some(id) = self.term_ids.get(name) {
            return id;
        }
        self.names.take();
        let id = match self.shared_ids.is_some() {
            // A thread's table holds the terms it met last; the others, it finds by their shared
            // number.
            true => {
                let shared = self.shared.number(name);
                let at = shared as usize;
                if self.local_of.len() <= at {
                    self.local_of.resize(at + 1, u32::MAX);
                }
                if self.local_of[at] == u32::MAX {
                    self.local_of[at] = self.push_term(stopword);
                    self.shared_ids.as_mut().expect("a thread's counts").push(shared);
                }
                if self.term_ids.len() >= THREAD_TERMS {
                    self.term_ids.clear();
                }
                self.local_of[at]
            }
            false if self.has_siblings() => {
                // Numbered as the shared table: the term's place may be held empty for it.
                let id = self.shared.number(name);
                let at = id as usize;
                if self.terms.len() <= at {
                    self.terms.resize_with(at + 1, Term::unseen);
                    self.in_doc.resize(at + 1, 0);
                }
                self.terms[at].stat.stopword = stopword;
                id
            }
            // On their own, counts number their terms as they come: the shared table is theirs.
            false => self.push_term(stopword),
        };
        self.term_ids.insert(name, id);
        id
    }

    /// A new term's record, with `stopword` as its flag, numbered next.
    fn push_term(&mut self, stopword: bool) -> u32 {
        let id = number_below_max(self.terms.len());
        self.terms.push(Term { stat: TermStat { stopword, ..TermStat::default() }, spread: TermSpread::None });
        self.in_doc.push(0);
        id
    }

    /// Whether other counts share the n-gram tables and term numbers of these.
    fn has_siblings(&self) -> bool {
        Arc::strong_count(&self.shared) > 1
    }

    /// The shared number of the term numbered `id` here.
    fn shared_id(&self, id: u32) -> u32 {
        self.shared_ids.as_ref().map_or(id, |ids| ids[id as usize])
    }

    /// Puts the terms in the shared numbering, each at its shared number, the numbers no term
    /// here has held empty: counts of a run's threads are merged that way.
    fn number_as_shared(&mut self) {
        let Some(mut to) = self.shared_ids.take() else {
            return;
        };
        let n = self.shared.term_ids.lock().unwrap_or_else(PoisonError::into_inner).len();
        let own = self.terms.len();
        // Its numbers change: until the siblings are merged in, terms are looked up in the shared
        // table (see `term_number`). Its own table goes before the terms grow.
        self.term_ids = TermIds::default();
        self.local_of = Vec::new();
        self.term_stems = Vec::new();
        self.names.take();
        // In place, the vector grown to every shared number: a second one would hold the run's
        // every term twice at once. Following cycles, each swap puts one term in its place for good;
        // `EMPTY_PLACE` marks a place that holds no term to move.
        const EMPTY_PLACE: u32 = u32::MAX;
        self.terms.reserve_exact(n.saturating_sub(own));
        self.terms.resize_with(n.max(own), Term::unseen);
        for i in 0..own {
            loop {
                let at = to[i];
                if at == EMPTY_PLACE || at as usize == i {
                    break;
                }
                let at = at as usize;
                self.terms.swap(i, at);
                if at < own {
                    to.swap(i, at);
                } else {
                    to[i] = EMPTY_PLACE;
                }
            }
        }
        self.in_doc = vec![0; n];
    }

    /// Why the n-gram tables could not write what outgrew their memory to disk, when they could not
    /// (they then kept it in memory): a file and the error, for each table.
    pub fn ngram_spill_failures(&self) -> Vec<String> {
        let spills = [self.shared.bigrams.spill(), self.shared.trigrams.spill()];
        spills.into_iter().flatten().filter_map(|s| s.failure()).collect()
    }

    /// The time the threads counting with these counts spent waiting for one another to let go of
    /// the tables they share (term numbers, n-grams), summed over threads.
    pub fn shared_waits(&self) -> Duration {
        let nanos =
            self.shared.waited.load(Ordering::Relaxed) + self.shared.bigrams.waited() + self.shared.trigrams.waited();
        Duration::from_nanos(nanos)
    }

    /// Distinct terms counted (a stopword left out is known but not counted).
    pub fn distinct_terms(&self) -> u64 {
        self.terms.iter().filter(|t| t.stat.count > 0).count() as u64
    }

    /// The number of the term `name`, if counted.
    pub fn term_number(&self, name: &str) -> Option<u32> {
        self.term_ids.get(name).or_else(|| {
            if self.shared_ids.is_none() && !self.has_siblings() {
                return None;
            }
            let id = self.shared.term_ids.lock().unwrap_or_else(PoisonError::into_inner).get(name)?;
            match self.shared_ids {
                // A thread's: its table holds the terms it met last.
                Some(_) => self.local_of.get(id as usize).copied().filter(|&id| id != u32::MAX),
                None => self.terms.get(id as usize).filter(|t| t.is_seen()).map(|_| id),
            }
        })
    }

    /// The name of the term numbered `id` (see [`Counts::terms`]). The first call reads every
    /// term's name at once, for the reports that name millions of terms.
    pub fn term_name(&self, id: u32) -> &str {
        let names = self.names.get_or_init(|| {
            let shared = || self.shared.term_ids.lock().unwrap_or_else(PoisonError::into_inner);
            match &self.shared_ids {
                // A thread's: by their shared numbers.
                Some(ids) => {
                    let all = shared().names();
                    TermNames::of(ids.iter().map(|&id| all.get(id)))
                }
                None if self.has_siblings() => shared().names(),
                None => self.term_ids.names(),
            }
        });
        names.get(id)
    }

    /// The stem of the term `name`, numbered `id`, in `language`, made once for the documents counted
    /// here.
    fn stem_of_term(&mut self, id: u32, name: &str, language: &str) -> Arc<str> {
        let at = id as usize;
        if self.term_stems.len() <= at {
            self.term_stems.resize(at + 1, None);
        }
        if let Some(stem) = &self.term_stems[at] {
            return Arc::clone(stem);
        }
        let stem: Arc<str> = Arc::from(stem_of(language, name));
        self.term_stems[at] = Some(Arc::clone(&stem));
        stem
    }

    /// The figures of the term `name`, if counted.
    pub fn term(&self, name: &str) -> Option<&TermStat> {
        self.term_number(name).map(|id| &self.terms[id as usize].stat)
    }

    /// Counts one document: `index` is its position in reading order, `tokens` its body's words,
    /// `mentions` its actor mentions, which are moved into the mention rows (the vector is left
    /// empty for reuse). `term_buf` is scratch space reused across calls. Says what was left out.
    pub fn add_document(
        &mut self,
        index: usize,
        doc: &Document,
        tokens: &[Token],
        mentions: &mut Vec<Mention>,
        term_buf: &mut String,
        options: &CountOptions,
    ) -> Counted {
        // What waits is counted before this document's n-grams and terms would take it past its
        // batch, so the buffers keep their size (a document longer than a batch waits alone).
        if self.bigrams_waiting.ngrams.len() + tokens.len() > ngrams::PENDING {
            self.bigrams_waiting.count_into(&self.shared.bigrams);
        }
        if self.trigrams_waiting.ngrams.len() + tokens.len() > ngrams::PENDING {
            self.trigrams_waiting.count_into(&self.shared.trigrams);
        }
        if self.spread.len() + tokens.len() > SPREAD_BATCH {
            self.settle_spread();
        }
        let group = options.group_at.and_then(|at| doc.meta.get(at)?.as_deref()).map(|g| self.group_key(g));
        // The terms before this one in its sentence, older first.
        let mut window = [NO_TERM; 2];
        let mut previous: Option<&Token> = None;
        // Where sentences end matters to the n-grams alone (none runs across one).
        let wrapped = !options.no_ngrams && tokens.first().is_some_and(|t| is_hard_wrapped(&doc.content[t.start..]));
        // Per word only what must be: the term's number, its count in this document, its n-grams;
        // the term's own figures once a document, below.
        for token in tokens {
            let word = token.text(&doc.content);
            if let Some(p) = previous.filter(|_| !options.no_ngrams) {
                if ends_sentence(&doc.content[p.end..token.start], p.text(&doc.content), is_abbreviation, wrapped) {
                    window = [NO_TERM; 2];
                }
            }
            previous = Some(token);
            let term = term_of(word, term_buf);
            let id = match self.term_ids.get(term) {
                Some(id) => id,
                None => self.intern(term, options.stopwords.contains(term)),
            };
            if options.drop_stopwords && self.terms[id as usize].stat.stopword {
                // Left out, and no n-gram runs across it.
                window = [NO_TERM; 2];
                continue;
            }
            let in_doc = &mut self.in_doc[id as usize];
            *in_doc += 1;
            if *in_doc == 1 {
                // First in this document: its stem's documents, and its name for its group's terms.
                self.doc_terms.push(id);
                if let Some(language) = options.stem {
                    let stem = self.stem_of_term(id, term, language);
                    let s = self.stems.entry(stem).or_default();
                    if s.last_doc != index {
                        s.last_doc = index;
                        s.documents += 1;
                    }
                }
                if group.is_some() {
                    self.doc_names.push(CompactString::new(term));
                }
            }
            if options.no_ngrams {
                continue;
            }
            // The n-gram tables are keyed by shared numbers.
            let key = self.shared_ids.as_ref().map_or(id, |ids| ids[id as usize]);
            if window[1] != NO_TERM {
                // A document's index mod 2^32 tells it from the documents counted around it.
                self.bigrams_waiting.ngrams.push(([window[1], key], index as u32));
                if window[0] != NO_TERM {
                    self.trigrams_waiting.ngrams.push(([window[0], window[1], key], index as u32));
                }
            }
            window = [window[1], key];
        }
        // Each of the document's terms once: its figures, and its part and period.
        let part = dispersion_part(&doc.id);
        let period = doc.date.filter(|_| !options.no_term_periods).map(|d| options.period.start(d));
        let distinct = self.doc_terms.len() as u64;
        let doc_terms = std::mem::take(&mut self.doc_terms);
        let mut doc_names = std::mem::take(&mut self.doc_names);
        let mut names = doc_names.drain(..);
        for &id in &doc_terms {
            let occurrences = std::mem::take(&mut self.in_doc[id as usize]);
            let stat = &mut self.terms[id as usize].stat;
            stat.count += u64::from(occurrences);
            stat.add_documents(1);
            if doc.date.is_some() {
                stat.first_date = min_present(stat.first_date, doc.date);
                stat.last_date = stat.last_date.max(doc.date);
            }
            if let Some(group) = &group {
                let name = names.next().expect("a name for each term of the document");
                let terms = self.group_terms.get_mut(group).expect("group_key adds the group");
                let t = terms.entry(name).or_default();
                t.count += u64::from(occurrences);
                t.documents += 1;
            }
            self.spread.push(Spread { term: id, occurrences, part, period });
            // A document of more distinct terms than a batch adds them a batch at a time.
            if self.spread.len() >= SPREAD_BATCH {
                self.settle_spread();
            }
        }
        drop(names);
        self.doc_terms = doc_terms;
        self.doc_terms.clear();
        self.doc_names = doc_names;

        let mut in_context = Vec::new();
        let pairs_left_out = self.count_actors(
            ActorTables::Found,
            doc.date,
            group.as_ref(),
            mentions,
            |m| (m, &doc.content[m.start..m.end]),
            Some((options.contexts, index, &mut in_context)).filter(|c| c.0 > 0),
        );
        in_context.sort_unstable();
        let mention_count = mentions.len() as u64;
        let doc_id: Arc<str> = Arc::from(doc.id.as_str());
        if !options.kwic.is_empty() {
            let mut lines = Vec::new();
            options.kwic.find(&doc.content, doc.body_start, tokens, &mut lines);
            self.kwic.extend(lines.into_iter().map(|line| KwicRow { index, doc: Arc::clone(&doc_id), line }));
        }
        self.mentions.extend(mentions.drain(..).enumerate().map(|(i, m)| {
            let text = doc.content[m.start..m.end].to_string();
            let context = in_context.binary_search(&i).is_ok().then(|| {
                // From the body: a document file's date header is not context.
                let (body, at) = (doc.body(), doc.body_start);
                let (left, right) =
                    crate::kwic::around(body, m.start.saturating_sub(at), m.end.saturating_sub(at), CONTEXT_WIDTH);
                Box::new(Context { left, right })
            });
            MentionRow { index, doc: Arc::clone(&doc_id), mention: m, text, context }
        }));

        let bytes = doc.content.len() as u64;
        self.add_row_of_part(
            DocumentRow {
                index,
                doc: doc.id.clone(),
                date: doc.date,
                bytes,
                tokens: tokens.len() as u64,
                terms: distinct,
                mentions: mention_count,
                meta: doc.meta.clone(),
                group,
            },
            part,
        );
        Counted { pairs_left_out }
    }

    /// Counts the actors of one document of `date` and `group` into `tables`: `items` hold its
    /// mentions (`mention` gives each and its text). `in_context` is (n, index, out), `index` the
    /// document's place in reading order: the items among the first n mentions of their actor in
    /// reading order of those counted here so far are put in `out`, by their places in `items`, so
    /// that every one of an actor's first n mentions in the corpus is, whatever order documents are
    /// counted in. Says how many distinct actors it had when too many to pair.
    fn count_actors<'t, M>(
        &mut self,
        tables: ActorTables,
        date: Option<Date>,
        doc_group: Option<&Arc<str>>,
        items: &'t [M],
        mention: impl Fn(&'t M) -> (&'t Mention, &'t str),
        mut in_context: Option<(usize, usize, &mut Vec<usize>)>,
    ) -> Option<usize> {
        // Mentions grouped by actor, so each actor's figures are looked up once per document.
        let actor_of = |i: usize| {
            let m = mention(&items[i]).0;
            (&*m.actor, m.kind)
        };
        // By actor, and within an actor in document order.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_unstable_by(|&a, &b| actor_of(a).cmp(&actor_of(b)).then(a.cmp(&b)));
        let same_actor = |&a: &usize, &b: &usize| actor_of(a) == actor_of(b);
        // The document's actors in (name, kind) order, each with the sentences it stands in.
        let mut doc_actors: Vec<(ActorKey, Vec<u32>)> = Vec::new();
        let mut distinct = 0;
        for group in order.chunk_by(same_actor) {
            distinct += 1;
            let first = mention(&items[group[0]]).0;
            let key = ActorKey { name: first.actor.clone(), kind: first.kind };
            let n = group.len() as u64;
            if let ActorTables::Resolved(figures) = tables {
                if figures.pairs {
                    let mut sentences: Vec<u32> = group.iter().map(|&i| mention(&items[i]).0.sentence).collect();
                    sentences.sort_unstable();
                    sentences.dedup();
                    doc_actors.push((key.clone(), sentences));
                }
                if let Some(date) = date.filter(|_| figures.timeline) {
                    let t = self.timeline.entry((date, key.clone())).or_default();
                    t.mentions += n;
                    t.documents += 1;
                }
                if let Some(doc_group) = doc_group {
                    let g = self.group_actors.entry((Arc::clone(doc_group), key.clone())).or_default();
                    g.mentions += n;
                    g.documents += 1;
                }
            }
            if let Some((wanted, index, out)) = in_context.as_mut() {
                // The places of the actor's earliest mentions counted here: a mention with fewer
                // than `wanted` before it may be one of the corpus's first.
                let earliest = self.context_places.entry(key.clone()).or_default();
                for &i in group {
                    // A document's place mod 2^32 and a start within 4 GiB: the order of the places
                    // of one corpus (16 MiB documents by default) as (index, start) orders them.
                    let start = mention(&items[i]).0.start;
                    let place = (*index as u32, u32::try_from(start).unwrap_or(u32::MAX));
                    if earliest.iter().filter(|&&p| p < place).count() >= *wanted {
                        break;
                    }
                    out.push(i);
                    let at = earliest.partition_point(|&p| p < place);
                    earliest.insert(at, place);
                    earliest.truncate(*wanted);
                }
            }
            let stat = self.actors.entry(key).or_default();
            stat.mentions += n;
            stat.documents += 1;
            stat.first_date = min_present(stat.first_date, date);
            stat.last_date = stat.last_date.max(date);
            for item in group.iter().map(|&i| &items[i]) {
                let (m, text) = mention(item);
                match stat.aliases.get_mut(text) {
                    Some(count) => *count += 1,
                    None => *stat.aliases.entry(fold_space(text).into_owned()).or_default() += 1,
                }
                stat.origin = min_present(stat.origin, Some(m.origin));
                if let Some(code) = &m.code {
                    match stat.codes.get_mut(code) {
                        Some(n) => *n += 1,
                        None => {
                            stat.codes.insert(Arc::clone(code), 1);
                        }
                    }
                }
            }
        }
        // Pairs grow with the square of a document's actors: past a bound (a whole book or archive
        // in one document) they are left out, and the caller says so.
        let pairs_left_out = (distinct > MAX_PAIRED_ACTORS).then_some(distinct);
        if pairs_left_out.is_none() && doc_actors.len() > 1 {
            let ids: Vec<u32> = doc_actors.iter().map(|(key, _)| self.actor_number(key)).collect();
            for (i, (_, a_sentences)) in doc_actors.iter().enumerate() {
                for (j, (_, b_sentences)) in doc_actors.iter().enumerate().skip(i + 1) {
                    let pair = self.pairs.entry((ids[i], ids[j])).or_default();
                    pair.documents += 1;
                    pair.sentences += shared_count(a_sentences, b_sentences);
                }
            }
        }
        pairs_left_out
    }

    /// Adds the row of a document counted (here, or by a shard) to the rows, and its words and bytes
    /// to the totals.
    pub fn add_row(&mut self, row: DocumentRow) {
        let part = dispersion_part(&row.doc);
        self.add_row_of_part(row, part);
    }

    /// [`Counts::add_row`], the document's dispersion part known.
    fn add_row_of_part(&mut self, row: DocumentRow, part: u8) {
        self.tokens += row.tokens;
        self.bytes += row.bytes;
        self.totals.add(&row, part);
        self.documents.push(row);
    }

    /// Adds what [`Counts::add_document`] left waiting into the n-gram tables and the terms' part
    /// and period figures: call it before reading them. [`Counts::merge`] settles both sides.
    pub fn settle(&mut self) {
        self.bigrams_waiting.count_into(&self.shared.bigrams);
        self.trigrams_waiting.count_into(&self.shared.trigrams);
        self.settle_spread();
    }

    /// Adds what [`Counts::add_document`] left waiting into the terms' part and period figures.
    fn settle_spread(&mut self) {
        let mut spread = std::mem::take(&mut self.spread);
        sort_by_term(&mut spread, &mut self.spread_scratch);
        // Sorted stably, a term's documents stay in reading order.
        for documents in spread.chunk_by(|a, b| a.term == b.term) {
            let term = &mut self.terms[documents[0].term as usize];
            // Its figures before these documents, which counting has added already.
            let occurrences: u64 = documents.iter().map(|s| u64::from(s.occurrences)).sum();
            let mut before = TermStat {
                count: term.stat.count - occurrences,
                documents: term.stat.documents - documents.len() as u32,
                ..term.stat
            };
            for s in documents {
                term.spread.add(&before, s.part, s.period, u64::from(s.occurrences));
                before.count += u64::from(s.occurrences);
                before.documents += 1;
            }
        }
        spread.clear();
        self.spread = spread;
    }

    /// Whether the n-grams and every term's part and period figures are complete (see
    /// [`Counts::settle`]).
    pub fn is_settled(&self) -> bool {
        self.spread.is_empty() && self.bigrams_waiting.ngrams.is_empty() && self.trigrams_waiting.ngrams.is_empty()
    }

    /// Adds `other` into `self`. Each document must have been counted in only one of the two. Either
    /// they are siblings ([`Counts::siblings`]), or neither shares its n-grams with counts that are
    /// not merged in.
    pub fn merge(mut self, mut other: Counts) -> Counts {
        self.settle();
        other.settle();
        let siblings = Arc::ptr_eq(&self.shared, &other.shared);
        // The side with more terms takes the other in, unless it is the other that shares its
        // n-gram tables with counts not merged yet: those tables take the other's n-grams.
        let (mut big, mut small) = match (siblings, self.has_siblings(), other.has_siblings()) {
            (false, false, true) => (other, self),
            (false, true, false) => (self, other),
            _ if self.terms.len() >= other.terms.len() => (self, other),
            _ => (other, self),
        };
        assert!(siblings || !small.has_siblings(), "counts merged into others hold only their own n-grams");
        if !siblings {
            small.number_as_shared();
        }
        let small_terms = std::mem::take(&mut small.terms);
        let small_shared_ids = small.shared_ids.take();
        // Its lookup tables are done with (counts of another run are read by name, from theirs): let
        // them go before the big side grows.
        if siblings {
            small.term_ids = TermIds::default();
        }
        small.in_doc = Vec::new();
        small.local_of = Vec::new();
        small.term_stems = Vec::new();
        // The small side's term numbers, as the big side's n-gram tables number them; siblings
        // number them alike.
        let mut ids: Vec<u32> = Vec::with_capacity(if siblings { 0 } else { small_terms.len() });
        if siblings {
            big.number_as_shared();
        }
        for (own, term) in small_terms.into_iter().enumerate() {
            // Its shared number: the n-gram tables' (and, between siblings, the merged terms').
            let small_id = small_shared_ids.as_ref().map_or(own, |ids| ids[own] as usize);
            if !term.is_seen() {
                // Seen only by a sibling, which counted it. (Counts merged into counts of another
                // run have their siblings in them: none of their terms is unseen.)
                if !siblings {
                    ids.push(u32::MAX);
                }
                continue;
            }
            let id = if siblings {
                if big.terms.len() <= small_id {
                    big.terms.resize_with(small_id + 1, Term::unseen);
                    big.in_doc.resize(small_id + 1, 0);
                }
                if !big.terms[small_id].is_seen() {
                    big.terms[small_id] = term;
                    continue;
                }
                small_id as u32
            } else {
                let id = big.intern(small.term_name(own as u32), term.stat.stopword);
                ids.push(big.shared_id(id));
                id
            };
            let Term { stat: s, spread } = term;
            let term = &mut big.terms[id as usize];
            term.spread.merge(&term.stat, spread, &s);
            term.stat.add(&s);
            term.spread.compact(&term.stat);
        }
        for (stem, s) in small.stems {
            big.add_stem(stem, s.documents);
        }
        if !siblings {
            // On the current rayon pool, the two tables at once.
            let id = |small_id: u32| ids[small_id as usize];
            let (bigrams, trigrams) = (&big.shared.bigrams, &big.shared.trigrams);
            rayon::join(|| bigrams.add_all(&small.shared.bigrams, id), || trigrams.add_all(&small.shared.trigrams, id));
        }
        for (key, s) in small.actors {
            big.add_actor(key, s);
        }
        let actor_ids: Vec<u32> = small.actor_keys.iter().map(|key| big.actor_number(key)).collect();
        for ((a, b), s) in small.pairs {
            big.add_pair_of((actor_ids[a as usize], actor_ids[b as usize]), s);
        }
        for ((date, key), s) in small.timeline {
            big.add_timeline(date, key, s);
        }
        for (group, terms) in small.group_terms {
            match big.group_terms.entry(group) {
                std::collections::hash_map::Entry::Vacant(place) => {
                    place.insert(terms);
                }
                std::collections::hash_map::Entry::Occupied(mut place) => {
                    for (term, s) in terms {
                        let t = place.get_mut().entry(term).or_default();
                        t.count += s.count;
                        t.documents += s.documents;
                    }
                }
            }
        }
        for (key, s) in small.group_actors {
            let g = big.group_actors.entry(key).or_default();
            g.mentions += s.mentions;
            g.documents += s.documents;
        }
        big.documents.extend(small.documents);
        big.totals.merge(small.totals);
        big.mentions.extend(small.mentions);
        big.kwic.extend(small.kwic);
        big.tokens += small.tokens;
        big.bytes += small.bytes;
        if siblings {
            drop(small.shared);
            if let Some(shared) = Arc::get_mut(&mut big.shared) {
                // The last of a run's threads: every term is here, at its shared number, and the
                // shared table becomes these counts' own.
                big.term_ids = std::mem::take(shared.term_ids.get_mut().unwrap_or_else(PoisonError::into_inner));
            }
        }
        big.names.take();
        big
    }
}

/// The most distinct actors a document may have for its pairs of actors to be counted.
pub const MAX_PAIRED_ACTORS: usize = 2_000;

/// Which actor tables a document's mentions are counted into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActorTables {
    /// As the document names them, while the corpus is read: the actors, their aliases, codes and
    /// first mentions, which is what resolving them across the corpus goes by.
    Found,
    /// Once resolved ([`Counts::count_resolved`]): the actors again, their groups and, as asked,
    /// timeline and pairs, which are counted from the mention rows only then, as two names of one
    /// document may resolve to one actor.
    Resolved(ResolvedFigures),
}

/// Which of the actors' figures across documents are counted once they are resolved: those the
/// reports asked for are made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedFigures {
    /// Mentions and documents by date (`actor_timeline`, `period_keyness`).
    pub timeline: bool,
    /// Documents and sentences naming two actors (`actor_pairs`).
    pub pairs: bool,
}

impl ResolvedFigures {
    /// Every figure.
    pub const ALL: ResolvedFigures = ResolvedFigures { timeline: true, pairs: true };
}

/// What counting a document left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Counted {
    /// The document's distinct actors, when they were too many for its pairs to be counted.
    pub pairs_left_out: Option<usize>,
}

/// Sorts `spread` by term number, stably. A long one takes a radix sort: one pass while the terms
/// are fewer than 2^18, two otherwise; linear in its length where a comparison sort is not.
fn sort_by_term(spread: &mut Vec<Spread>, scratch: &mut Vec<Spread>) {
    if spread.len() < 1 << 12 {
        spread.sort_by_key(|s| s.term);
        return;
    }
    let most = spread.iter().map(|s| s.term).max().unwrap_or(0);
    radix_sort(spread, scratch, 32 - most.leading_zeros(), |s| s.term);
}

/// Sorts `items` stably by `key`, whose values are below 2^`bits`: a least-significant-digit radix
/// sort, one pass up to 2^18, two (of half the bits each) up to 2^36; `scratch` is its spare buffer.
pub(crate) fn radix_sort<T: Copy>(items: &mut Vec<T>, scratch: &mut Vec<T>, bits: u32, key: impl Fn(&T) -> u32) {
    if items.is_empty() {
        return;
    }
    let passes = bits.div_ceil(18).max(1);
    let digit_bits = bits.div_ceil(passes).max(1);
    let mut starts = vec![0usize; 1 << digit_bits];
    for pass in 0..passes {
        let shift = pass * digit_bits;
        let digit = |t: &T| (key(t) >> shift) as usize & ((1 << digit_bits) - 1);
        starts.fill(0);
        for t in items.iter() {
            starts[digit(t)] += 1;
        }
        let mut sum = 0;
        for start in &mut starts {
            (*start, sum) = (sum, sum + *start);
        }
        // Every place is written below: a length is all it needs, and its old one mostly serves.
        // The two buffers trade places, so the spare one gets the room `items` has: with exactly its
        // length, the next batch pushed would outgrow it and double it (and room doubled would stay
        // with both).
        scratch.reserve_exact(items.capacity().saturating_sub(scratch.len()));
        scratch.resize(items.len(), items[0]);
        for t in items.iter() {
            let at = &mut starts[digit(t)];
            scratch[*at] = *t;
            *at += 1;
        }
        std::mem::swap(items, scratch);
    }
}

fn merge_sums<K: Eq + Hash>(into: &mut FastMap<K, u64>, from: FastMap<K, u64>) {
    for (k, n) in from {
        *into.entry(k).or_default() += n;
    }
}

/// How many values two sorted, deduplicated lists share.
fn shared_count(a: &[u32], b: &[u32]) -> u64 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The smaller of two optional values, ignoring a missing one. For origins, dictionary wins over
/// inferred: an actor the dictionary knows is reported as such.
fn min_present<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::Form;
    use crate::tokenize::tokenize_into;

    fn doc(id: &str, date: &str, text: &str) -> Document {
        Document { id: id.into(), content: text.into(), body_start: 0, date: Date::parse(date).ok(), meta: Vec::new() }
    }

    fn count_one(counts: &mut Counts, index: usize, d: &Document) {
        let mut tokens = Vec::new();
        tokenize_into(d.body(), d.body_start, &mut tokens);
        let mut mentions = vec![Mention {
            start: 0,
            end: 3,
            actor: "Foo".into(),
            kind: Kind::Person,
            form: Form::Name,
            origin: Origin::Inferred,
            code: None,
            sentence: 0,
        }];
        let _ = counts.add_document(index, d, &tokens, &mut mentions, &mut String::new(), &CountOptions::default());
    }

    /// Resolves the actors of `counts` across its documents and counts the actor tables again from
    /// the mention rows, as a run does once every document is counted.
    fn resolve(counts: &mut Counts) {
        let (documents, mut rows, _) = counts.take_rows();
        let resolution = counts.resolve_actors(0, ResolvedFigures::ALL);
        for rows in rows.chunk_by_mut(|a, b| a.index == b.index) {
            let date = documents.iter().find(|d| d.index == rows[0].index).and_then(|d| d.date);
            counts.count_resolved(&resolution, date, None, rows);
        }
    }

    fn assert_term(counts: &Counts, term: &str, count: u64, documents: u32) {
        let stat = counts.term(term).unwrap();
        assert_eq!((stat.count, stat.documents), (count, documents), "term {term}");
    }

    #[test]
    fn a_threads_table_forgets_terms_past_its_size_and_finds_them_again() {
        // More distinct words than a thread's own table holds, then the first and the last of them
        // again: each is one term with all its occurrences, as counts on their own give.
        let words: Vec<String> = (0..THREAD_TERMS + 1_000).map(|i| format!("w{i}")).collect();
        let again: Vec<&str> = words[..2_000].iter().chain(&words[words.len() - 10..]).map(String::as_str).collect();
        let docs = [doc("a", "2022-10-01", &words.join(" ")), doc("b", "2022-11-01", &again.join(" "))];
        let mut threads = Counts::siblings(2, None);
        let mut alone = Counts::default();
        for (i, d) in docs.iter().enumerate() {
            count_one(&mut threads[0], i, d);
            count_one(&mut alone, i, d);
        }
        assert!(threads[0].term_ids.len() <= THREAD_TERMS, "{} terms in a thread's table", threads[0].term_ids.len());
        assert_eq!(threads[0].terms.len(), words.len(), "a term met again is not numbered again");
        let other = threads.pop().unwrap();
        let mut merged = threads.pop().unwrap().merge(other);
        merged.settle();
        alone.settle();
        assert_eq!(merged.distinct_terms(), words.len() as u64);
        for w in [&words[0], &words[1_999], &words[2_000], &words[words.len() - 1]] {
            assert_eq!(merged.term(w), alone.term(w), "{w}");
        }
        assert_eq!(merged.term(&words[0]).map(|s| (s.count, s.documents)), Some((2, 2)));
        assert_eq!(merged.term(&words[2_000]).map(|s| (s.count, s.documents)), Some((1, 1)));
        let id = merged.term_number(&words[0]).unwrap();
        assert_eq!(merged.terms()[id as usize].periods().len(), 2, "one period a document");
    }

    #[test]
    fn the_ngrams_of_a_document_longer_than_a_batch_are_counted_whole() {
        // One document of more words than wait for the n-gram tables at once: its n-grams are
        // sorted in place, apart from the batches of many documents. Counted by hand beside.
        let words: Vec<String> =
            (0..ngrams::PENDING + 5_000).map(|i| format!("w{}", (i as u64 * 2_654_435_761) % 500)).collect();
        let mut counts = Counts::default();
        count_one(&mut counts, 0, &doc("a", "2022-10-01", &words.join(" ")));
        counts.settle();
        let mut expected: FastMap<(&str, &str), u64> = FastMap::default();
        for pair in words.windows(2) {
            *expected.entry((&pair[0], &pair[1])).or_default() += 1;
        }
        let mut got: FastMap<(&str, &str), u64> = FastMap::default();
        for (key, stat) in counts.bigrams().iter() {
            assert_eq!(stat.documents, 1);
            got.insert((counts.term_name(key[0]), counts.term_name(key[1])), stat.count);
        }
        assert_eq!(got, expected);
    }

    #[test]
    fn a_terms_record_stays_small() {
        // Millions of distinct terms each take one: 24 bytes of figures, 16 of parts and periods
        // (one of each inline); the name is in the term table.
        assert!(std::mem::size_of::<Term>() <= 40, "{} bytes", std::mem::size_of::<Term>());
    }

    #[test]
    fn counts_terms_and_documents() {
        let docs = [doc("a", "2020-01-02", "Foo the THE the’s"), doc("b", "2020-01-01", "Foo and the")];
        let mut counts = Counts::default();
        for (i, d) in docs.iter().enumerate() {
            count_one(&mut counts, i, d);
        }
        assert_term(&counts, "the", 4, 2);
        assert_term(&counts, "foo", 2, 2);
        assert_term(&counts, "and", 1, 1);
        let dates = |term: &str| {
            let t = counts.term(term).unwrap();
            (t.first_date.map(|d| d.to_string()), t.last_date.map(|d| d.to_string()))
        };
        assert_eq!(dates("the"), (Some("2020-01-01".into()), Some("2020-01-02".into())));
        assert_eq!(dates("and"), (Some("2020-01-01".into()), Some("2020-01-01".into())));
        assert_eq!(counts.tokens, 7);
        assert_eq!(counts.documents[0].terms, 2);
        let foo = &counts.actors[&ActorKey { name: "Foo".into(), kind: Kind::Person }];
        assert_eq!((foo.mentions, foo.documents), (2, 2));
        assert_eq!(
            (foo.first_date.unwrap().to_string(), foo.last_date.unwrap().to_string()),
            ("2020-01-01".into(), "2020-01-02".into())
        );
    }

    fn mention(actor: &str, sentence: u32) -> Mention {
        Mention {
            start: 0,
            end: 1,
            actor: actor.into(),
            kind: Kind::Place,
            form: Form::Name,
            origin: Origin::Dictionary,
            code: None,
            sentence,
        }
    }

    #[test]
    fn pairs_count_documents_and_shared_sentences() {
        let d = doc("a", "2020-01-01", "x");
        let mut counts = Counts::default();
        // Armenia and Russia share sentences 0 and 2; Azerbaijan shares none with Russia.
        let mut first = vec![
            mention("Russia", 0),
            mention("Armenia", 0),
            mention("Armenia", 2),
            mention("Russia", 2),
            mention("Russia", 2),
            mention("Azerbaijan", 1),
            mention("Armenia", 1),
        ];
        let counted = counts.add_document(0, &d, &[], &mut first, &mut String::new(), &CountOptions::default());
        assert_eq!(counted, Counted { pairs_left_out: None });
        let mut second = vec![mention("Armenia", 0), mention("Russia", 5)];
        let _ = counts.add_document(1, &d, &[], &mut second, &mut String::new(), &CountOptions::default());
        assert_eq!(counts.pair_count(), 0, "pairs wait for the actors to be resolved");
        resolve(&mut counts);
        let key = |name: &str| ActorKey { name: name.into(), kind: Kind::Place };
        assert_eq!(counts.pair(&key("Armenia"), &key("Russia")), Some(&PairStat { documents: 2, sentences: 2 }));
        assert_eq!(counts.pair(&key("Armenia"), &key("Azerbaijan")), Some(&PairStat { documents: 1, sentences: 1 }));
        assert_eq!(counts.pair(&key("Azerbaijan"), &key("Russia")), Some(&PairStat { documents: 1, sentences: 0 }));
        assert_eq!(counts.pair(&key("Russia"), &key("Armenia")), None, "the first sorts first");
        assert_eq!(counts.pair_count(), 3);
        assert!(first.is_empty(), "mentions are moved into the rows");
    }

    #[test]
    fn a_document_with_too_many_actors_counts_them_but_not_their_pairs() {
        let d = doc("a", "2020-01-01", "x");
        let mut counts = Counts::default();
        let mut many: Vec<Mention> = (0..=MAX_PAIRED_ACTORS).map(|i| mention(&format!("Place {i}"), 0)).collect();
        let counted = counts.add_document(0, &d, &[], &mut many, &mut String::new(), &CountOptions::default());
        assert_eq!(counted, Counted { pairs_left_out: Some(MAX_PAIRED_ACTORS + 1) });
        resolve(&mut counts);
        assert_eq!(counts.pair_count(), 0);
        assert_eq!(counts.actors.len(), MAX_PAIRED_ACTORS + 1, "the actors themselves are counted");
        // At the bound, pairs are counted: n(n-1)/2 of them.
        let mut counts = Counts::default();
        let mut fewer: Vec<Mention> = (0..MAX_PAIRED_ACTORS).map(|i| mention(&format!("Place {i}"), 0)).collect();
        let counted = counts.add_document(1, &d, &[], &mut fewer, &mut String::new(), &CountOptions::default());
        assert_eq!(counted.pairs_left_out, None);
        resolve(&mut counts);
        assert_eq!(counts.pair_count(), MAX_PAIRED_ACTORS * (MAX_PAIRED_ACTORS - 1) / 2);
    }

    #[test]
    fn merging_in_any_order_gives_the_same_totals() {
        let docs: Vec<_> = (0..6).map(|i| doc(&i.to_string(), "2021-05-05", &"w x y z ".repeat(i + 1))).collect();
        let part = |range: std::ops::Range<usize>| {
            let mut c = Counts::default();
            for i in range {
                count_one(&mut c, i, &docs[i]);
            }
            c
        };
        let mut whole = part(0..6);
        let mut merged = part(4..6).merge(part(0..2)).merge(part(2..4));
        resolve(&mut whole);
        resolve(&mut merged);
        let sorted = |c: &Counts| {
            let mut v: Vec<_> = (0..)
                .zip(&c.terms)
                .map(|(id, t)| (c.term_name(id).to_string(), t.stat.count, t.stat.documents))
                .collect();
            v.sort();
            v
        };
        assert_eq!(sorted(&whole), sorted(&merged));
        assert_eq!(whole.timeline.len(), merged.timeline.len());
        let key = (Date::parse("2021-05-05").unwrap(), ActorKey { name: "Foo".into(), kind: Kind::Person });
        assert_eq!(merged.timeline[&key], TimelineStat { mentions: 6, documents: 6 });
    }

    #[test]
    fn the_radix_sort_of_spreads_sorts_by_term_stably() {
        // Long enough for the radix sort (terms under 2^18: one pass).
        let mut spread: Vec<Spread> = (0..10_000u32)
            .map(|i| Spread { term: i.wrapping_mul(2_654_435_761) % 200_000, occurrences: i, part: 0, period: None })
            .collect();
        // Stable: entries of one term keep their order (occurrences rise with the index here).
        let mut expected: Vec<(u32, u32)> = spread.iter().map(|s| (s.term, s.occurrences)).collect();
        expected.sort_unstable();
        // Room for a whole batch, part of it used: the buffers trade places, and each must keep that
        // room, or the next batch would double the one it got.
        spread.reserve_exact(16_384 - spread.len());
        sort_by_term(&mut spread, &mut Vec::new());
        let got: Vec<(u32, u32)> = spread.iter().map(|s| (s.term, s.occurrences)).collect();
        assert_eq!(got, expected);
        assert!(spread.capacity() >= 16_384, "room kept: {}", spread.capacity());
        // Terms below 2^18 take one pass; these past 2^24, two.
        for most in [1_000u32, 100_000_000] {
            let mut spread: Vec<Spread> = (0..10_000u32)
                .map(|i| Spread { term: i.wrapping_mul(2_654_435_761) % most, occurrences: i, part: 0, period: None })
                .collect();
            let mut expected: Vec<(u32, u32)> = spread.iter().map(|s| (s.term, s.occurrences)).collect();
            expected.sort_unstable();
            sort_by_term(&mut spread, &mut Vec::new());
            assert_eq!(spread.iter().map(|s| (s.term, s.occurrences)).collect::<Vec<_>>(), expected, "{most}");
        }
    }

    /// Counts `docs` with the real finder: the documents whose `part[i]` is `p` into part `p`; the
    /// parts are siblings, as a run's threads are, or each on its own.
    fn count_parts(docs: &[Document], part: &[usize], parts: usize, siblings: bool) -> Vec<Counts> {
        let finder = crate::actors::ActorFinder::default();
        let mut out: Vec<Counts> =
            if siblings { Counts::siblings(parts, None) } else { (0..parts).map(|_| Counts::default()).collect() };
        let (mut tokens, mut mentions, mut buf) = (Vec::new(), Vec::new(), String::new());
        for (i, d) in docs.iter().enumerate() {
            tokens.clear();
            mentions.clear();
            tokenize_into(d.body(), d.body_start, &mut tokens);
            finder.find(&d.content, &tokens, d.date, &mut mentions);
            let _ = out[part[i] % parts].add_document(i, d, &tokens, &mut mentions, &mut buf, &CountOptions::default());
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn merging_parts_in_any_order_gives_the_same_totals(
            words in proptest::collection::vec(
                proptest::collection::vec("the|Armenia|Russia's|Lavrov|Sergei Lavrov|met|CSTO|\\.|,", 1..12),
                1..10,
            ),
            part in proptest::collection::vec(0usize..3, 10),
            order in proptest::strategy::Strategy::prop_shuffle(proptest::strategy::Just(vec![0usize, 1, 2])),
            siblings: bool,
        ) {
            let docs: Vec<Document> = words
                .iter()
                .enumerate()
                .map(|(i, w)| doc(&format!("d{i}"), &format!("2022-10-{:02}", 1 + i % 3), &w.join(" ")))
                .collect();
            let mut whole = count_parts(&docs, &vec![0; docs.len()], 1, false).pop().unwrap();
            whole.settle();
            whole.mentions.sort_by_key(|r| (r.index, r.mention.start));
            let mut parts: Vec<Option<Counts>> = count_parts(&docs, &part, 3, siblings).into_iter().map(Some).collect();
            let mut merged = Counts::default();
            for &k in &order {
                merged = merged.merge(parts[k].take().unwrap());
            }
            merged.mentions.sort_by_key(|r| (r.index, r.mention.start));
            let (a, b) = (crate::frames::build_totals(&whole, &Default::default()).unwrap(), crate::frames::build_totals(&merged, &Default::default()).unwrap());
            for ((name, x), (_, y)) in a.iter().zip(&b) {
                proptest::prop_assert!(x.equals_missing(y), "{} differs:\n{:?}\n{:?}", name, x, y);
            }
            proptest::prop_assert_eq!(&whole.mentions, &merged.mentions);
            proptest::prop_assert_eq!((whole.tokens, whole.bytes), (merged.tokens, merged.bytes));
        }
    }
}
