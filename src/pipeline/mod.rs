//! Runs the stages in order: check the output folder, discover the documents, then read, tokenize,
//! find actors and count in parallel, a batch of documents at a time, and write the reports.
//!
//! A reader thread hands out batches ([`corpus::batches`]: document files to open, JSON Lines read
//! in large blocks) while the rayon pool works on the batch before, so reading overlaps the work.
//! Each batch's mentions, document rows and kwic lines are written as soon as the batch is done
//! (`RowStream`); everything else kept is a count that grows with the vocabulary and the number of
//! actors and dates, never with the text or the number of documents. A run's mentions go first to a
//! spool beside the reports (as a shard's go to its `part_mentions`): once the whole corpus is
//! counted its actors are resolved ([`Counts::resolve_actors`]), and the `mentions` report is written
//! from the spool naming the resolved actors, the actor tables counted again as it goes.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use polars::prelude::{DataFrame, PolarsResult};
use rayon::prelude::*;

use crate::actors::{ActorFinder, Mention};
use crate::config::Config;
use crate::corpus::Date;
use crate::corpus::{self, CorpusError, Document, Fields, Item, Skipped};
use crate::count::{CountOptions, Counts, DocumentRow, KwicRow, MentionRow, NgramSpill, ResolvedFigures};
use crate::frames::registry::{self, When, COLLOCATIONS, MENTIONS, NGRAMS, TERMS};
use crate::frames::{self, Report};
use crate::parts::{self, MergeError, Shard};
use crate::report::manifest::{ReferenceInfo, Settings, Throughput, Warning};
use crate::report::{self, Manifest, ReportError, ReportSet, ReportStream};
use crate::tokenize::{split_unspaced_runs, words_into, Token};

mod merge;
mod run;
mod spool;
mod state;

pub use merge::{merge, MergeSettings};
pub use run::run;

/// Documents per batch: enough to keep every thread busy, few enough that a batch's texts and
/// mentions stay small.
const BATCH_ITEMS: usize = 4096;
/// Bytes of JSON Lines or CSV text per batch.
const BATCH_BYTES: usize = 16 << 20;

/// Why a run could not be done.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// An input PATH is missing or unreadable.
    #[error(transparent)]
    Input(#[from] CorpusError),
    /// The output folder cannot be created or written.
    #[error("output folder {path}: {source}")]
    Output {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A user's actor dictionary cannot be read or is wrong.
    #[error(transparent)]
    Dictionary(#[from] crate::actors::DictionaryError),
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        /// How many were asked for.
        threads: usize,
        /// Why not.
        source: rayon::ThreadPoolBuildError,
    },
    /// What a command prints could not be written (standard output closed, among others).
    #[error("writing the output: {0}")]
    Print(#[source] std::io::Error),
    /// Shards' results could not be merged.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A run's mention spool could not be written or read back.
    #[error("the mention spool {path}: {source}")]
    Spool {
        /// The spool, in the output folder's staging folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// Building or writing the reports failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// An input is the output folder, or lies inside it.
    #[error(
        "input {input} is the output folder {out} or inside it: tally never reads its output folder nor \
         writes over its input; give --out another folder"
    )]
    InputInOutput {
        /// The input PATH, as given.
        input: PathBuf,
        /// The output folder, as given.
        out: PathBuf,
    },
    /// The state folder of an incremental run (`--state`) cannot be used.
    #[error("--state {path}: {why}")]
    State {
        /// The state folder, or the file in it.
        path: PathBuf,
        /// Why not.
        why: String,
    },
    /// Not one document could be read: nothing is written, the previous reports stay.
    #[error("{0}; nothing written")]
    NothingRead(String),
}

impl PipelineError {
    /// The process's exit status for this error: [`EXIT_NOTHING_READ`] when no document could be
    /// read, 2 for every other error.
    pub fn exit_code(&self) -> u8 {
        match self {
            PipelineError::NothingRead(_) => EXIT_NOTHING_READ,
            _ => 2,
        }
    }
}

/// The exit status of a run that found no document it could read.
pub const EXIT_NOTHING_READ: u8 = 3;

/// Why a run read nothing, in one line: what the PATHs held, and the first file skipped with its
/// reason.
fn nothing_read(paths: &[PathBuf], skipped: &[Skipped]) -> PipelineError {
    PipelineError::NothingRead(nothing_read_in(paths, skipped))
}

/// Why nothing was read in `paths`, `skipped` the documents that could not be.
fn nothing_read_in(paths: &[PathBuf], skipped: &[Skipped]) -> String {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match skipped.first() {
        None => format!("no documents found in {}", paths.join(", ")),
        Some(first) => format!(
            "no document could be read in {}: {} skipped, the first {}: {}",
            paths.join(", "),
            skipped.len(),
            first.path,
            first.reason
        ),
    }
}

/// Whether `name` is a file tally writes into an output folder (a report of a run or of a shard in
/// CSV or Parquet, the workbook, the page, the manifest): the only files it ever replaces or removes.
fn is_tally_file(name: &str) -> bool {
    name == parts::MENTION_SPOOL
        || report::is_report_file(name, |r| registry::find(r).is_some() || parts::tables::FILES.contains(&r))
}

/// The identity of the corpus in `sources`: their number and a digest of each one's id and size.
fn corpus_identity(sources: &[corpus::Source]) -> report::manifest::CorpusIdentity {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for source in sources {
        hasher.update(format!("{}\t{}\n", source.id, source.bytes.unwrap_or(0)).as_bytes());
    }
    report::manifest::CorpusIdentity { sources: sources.len() as u64, sha256: report::hex(&hasher.finalize()) }
}

/// The files the settings name whose content decides the counts: the `--actors` dictionaries, then
/// the `--stopwords` lists that are files.
fn setting_files(config: &Config) -> Vec<PathBuf> {
    let stopword_files = config.counting.stopwords.name().split(',').map(PathBuf::from).filter(|p| p.is_file());
    config.actors.iter().cloned().chain(stopword_files).collect()
}

/// The SHA-256 of each of the [`setting_files`].
fn setting_digests(config: &Config) -> Result<Vec<String>, PipelineError> {
    setting_files(config)
        .iter()
        .map(|path| {
            report::digest_file(path)
                .map(|(_, sha256)| sha256)
                .map_err(|source| PipelineError::Input(CorpusError::Input { path: path.clone(), source }))
        })
        .collect()
}

/// Checks that the output folder `out` exists or can be made, can be written in, and holds no file
/// tally would replace that it did not write ([`report::foreign_files`]).
fn check_output(out: &std::path::Path) -> Result<(), PipelineError> {
    let failed = |source| PipelineError::Output { path: out.to_path_buf(), source };
    report::check_writable(out).map_err(failed)?;
    let foreign = report::foreign_files(out, is_tally_file);
    if foreign.is_empty() {
        return Ok(());
    }
    let shown = match foreign.len() {
        n @ 6.. => format!("{} and {} more", foreign[..5].join(", "), n - 5),
        _ => foreign.join(", "),
    };
    Err(failed(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "it holds {shown}, named as tally's reports, which no signed manifest.json of tally's there lists as \
             it wrote them (a file of yours, or a report changed since): move them, or give another --out; \
             nothing was written"
        ),
    )))
}

/// Refuses an input that is the output folder `out` or lies inside it: its reports would be read
/// as documents, or written over them.
fn check_apart(inputs: &[PathBuf], out: &std::path::Path) -> Result<(), PipelineError> {
    let out_at = report::resolve_path(out);
    for input in inputs.iter().filter(|p| p.as_os_str() != corpus::STDIN) {
        if report::resolve_path(input).starts_with(&out_at) {
            return Err(PipelineError::InputInOutput { input: input.clone(), out: out.to_path_buf() });
        }
    }
    Ok(())
}

/// What a finished run did.
#[derive(Debug)]
pub struct Summary {
    /// The manifest written with the reports.
    pub manifest: Manifest,
    /// The files written.
    pub written: Vec<PathBuf>,
    /// The most mentioned actors: name, kind and mentions, most first (at most [`TOP`]).
    pub top_actors: Vec<(String, &'static str, u64)>,
    /// The most frequent terms that are neither stopwords nor numbers, with their counts (at most
    /// [`TOP`]).
    pub top_terms: Vec<(String, i64)>,
}

/// How many actors and terms the summary names.
pub const TOP: usize = 5;

/// Thread-seconds spent in each fused per-document stage.
#[derive(Debug, Default, Clone, Copy)]
struct StageTimes {
    read: Duration,
    tokenize: Duration,
    actors: Duration,
    count: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, other: StageTimes) {
        self.read += other.read;
        self.tokenize += other.tokenize;
        self.actors += other.actors;
        self.count += other.count;
    }
}

/// A document read, tokenized and searched for actors, waiting to be counted; `index` is its
/// item's reading-order number in the batch being processed, `tokens` where its words are in the
/// worker's `found_tokens`.
struct Found {
    index: usize,
    doc: Document,
    tokens: Range<usize>,
    mentions: Vec<Mention>,
}

/// How many documents, or bytes of them, a worker finds actors in before it counts them: each stage
/// then runs with its own tables in the caches, not the other's (the counts' outgrow them).
const FOUND_DOCUMENTS: usize = 512;
const FOUND_BYTES: usize = 1 << 20;

/// One thread's share of a batch: its counts, its scratch buffers, and what went wrong.
struct Worker<'a> {
    finder: &'a ActorFinder,
    fields: &'a Fields,
    options: &'a CountOptions,
    shard: Option<Shard>,
    counts: Counts,
    /// Documents waiting to be counted, their bytes, and their words, one after the other: one
    /// buffer, sized by the bytes waiting, not one a document, each grown to the longest it held.
    found: Vec<Found>,
    found_bytes: usize,
    found_tokens: Vec<Token>,
    /// Mention buffers of documents counted, for the next ones.
    spare: Vec<Vec<Mention>>,
    term_buf: String,
    times: StageTimes,
    /// Time spent on documents: the thread time the batches offered (see [`process_batch`]) less
    /// this is time spent waiting at batch ends.
    busy: Duration,
    skipped: Vec<(usize, Skipped)>,
    warnings: Vec<(usize, Warning)>,
}

impl<'a> Worker<'a> {
    /// One worker for each of `threads` threads, their counts siblings.
    fn each(
        threads: usize,
        finder: &'a ActorFinder,
        fields: &'a Fields,
        options: &'a CountOptions,
        shard: Option<Shard>,
        spill: Option<NgramSpill>,
    ) -> Vec<Mutex<Worker<'a>>> {
        Counts::siblings(threads, spill)
            .into_iter()
            .map(|counts| Mutex::new(Worker::new(finder, fields, options, shard, counts)))
            .collect()
    }

    fn new(
        finder: &'a ActorFinder,
        fields: &'a Fields,
        options: &'a CountOptions,
        shard: Option<Shard>,
        counts: Counts,
    ) -> Self {
        Worker {
            finder,
            fields,
            options,
            shard,
            counts,
            found: Vec::new(),
            found_bytes: 0,
            found_tokens: Vec::new(),
            spare: Vec::new(),
            term_buf: String::new(),
            times: StageTimes::default(),
            busy: Duration::ZERO,
            skipped: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Whether the document with id `id` is this run's to count (all are, unless it is a shard).
    fn counts(&self, id: &str) -> bool {
        self.shard.is_none_or(|s| s.holds(id))
    }

    /// Reads, tokenizes and searches the `k`-th item of `batch`, counting what waits once enough does.
    fn process(&mut self, batch: &corpus::Batch, k: usize) {
        let (index, item) = (batch.first_index + k, &batch.items[k]);
        let t0 = Instant::now();
        // A shard decides on a file by its id, which is known before reading it.
        if let Item::File { source, .. } = item {
            if !self.counts(&source.id) {
                return;
            }
        }
        let doc = match item.read(self.fields) {
            Ok((doc, date_error)) => {
                if !self.counts(&doc.id) {
                    return;
                }
                if let Some(err) = date_error {
                    let message = format!("malformed date: {err}; the document has no date");
                    self.warnings.push((index, Warning { path: item.location(), message }));
                }
                doc
            }
            // A file goes by its id, as above; a failed line or record by where it is.
            Err(_) if !matches!(item, Item::File { .. }) && !self.counts(&item.location()) => return,
            Err(err) => {
                self.skipped.push((index, Skipped { path: item.location(), reason: err.to_string() }));
                return;
            }
        };
        let t1 = Instant::now();
        let mut mentions = self.spare.pop().unwrap_or_default();
        let first = self.found_tokens.len();
        words_into(doc.body(), doc.body_start, &mut self.found_tokens);
        let t2 = Instant::now();
        if !self.options.no_actors {
            self.finder.find(&doc.content, &self.found_tokens[first..], doc.date, &mut mentions);
        }
        let t3 = Instant::now();
        // Terms are counted in words: Chinese and Japanese split by a dictionary.
        split_unspaced_runs(doc.body(), doc.body_start, &mut self.found_tokens, first);
        let tokens = first..self.found_tokens.len();
        let split = t3.elapsed();
        self.times += StageTimes { read: t1 - t0, tokenize: t2 - t1 + split, actors: t3 - t2, ..StageTimes::default() };
        self.found_bytes += doc.content.len();
        self.found.push(Found { index, doc, tokens, mentions });
        if self.found.len() >= FOUND_DOCUMENTS || self.found_bytes >= FOUND_BYTES {
            self.count_found(batch);
        }
    }

    /// Counts the documents waiting (all from `batch`), in the order they were found.
    fn count_found(&mut self, batch: &corpus::Batch) {
        let t0 = Instant::now();
        for mut found in self.found.drain(..) {
            let counted = self.counts.add_document(
                found.index,
                &found.doc,
                &self.found_tokens[found.tokens],
                &mut found.mentions,
                &mut self.term_buf,
                self.options,
            );
            if let Some(actors) = counted.pairs_left_out.filter(|_| self.options.pairs) {
                let message = format!(
                    "{actors} distinct actors, more than {}: its actor pairs are not counted",
                    crate::count::MAX_PAIRED_ACTORS
                );
                let path = batch.items[found.index - batch.first_index].location();
                self.warnings.push((found.index, Warning { path, message }));
            }
            found.mentions.clear();
            self.spare.push(found.mentions);
        }
        self.found_bytes = 0;
        self.found_tokens.clear();
        // A document far longer than the bytes waiting leaves no buffer its size behind.
        self.found_tokens.shrink_to(FOUND_BYTES / 2);
        self.times.count += t0.elapsed();
    }

    fn absorb(&mut self, other: Worker<'a>) {
        self.counts = std::mem::take(&mut self.counts).merge(other.counts);
        self.times += other.times;
        self.busy += other.busy;
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
    }
}

/// A progress bar over the documents: with a length and an ETA when every source is one document,
/// a count otherwise (the documents in JSON Lines and CSV files are not known in advance).
fn progress_bar(sources: &[corpus::Source]) -> indicatif::ProgressBar {
    let one_each = sources.iter().all(|s| s.format == corpus::Format::Text);
    let (bar, template) = if one_each {
        (
            indicatif::ProgressBar::new(sources.len() as u64),
            "{bar:30} {pos}/{len} documents, {msg}, {elapsed} elapsed, ETA {eta}",
        )
    } else {
        (indicatif::ProgressBar::new_spinner(), "{spinner} {pos} documents, {msg}, {elapsed} elapsed")
    };
    let style = indicatif::ProgressStyle::with_template(template).expect("a valid template").with_key(
        "eta",
        |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = out.write_str(&time_left(state.elapsed(), state.pos(), state.len().unwrap_or(0)));
        },
    );
    bar.set_style(style);
    bar.set_message("0.0 MB");
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
    bar
}

/// The time left to count `len` documents when `done` took `elapsed`, at the run's average pace so
/// far (a batch's pace swings too much to go by), rounded up: never "0s" while any remain.
fn time_left(elapsed: Duration, done: u64, len: u64) -> String {
    if done >= len {
        return "0s".to_string();
    }
    if done == 0 {
        return "…".to_string();
    }
    let seconds = (elapsed.as_secs_f64() * (len - done) as f64 / done as f64).ceil().max(1.0) as u64;
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h {:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

/// Reads and counts the documents of `batch` on `pool`, each thread into its own worker.
/// Returns the thread time the batch offered: its time on every thread, working or waiting for the
/// others.
fn process_batch(pool: &rayon::ThreadPool, workers: &[Mutex<Worker>], batch: &corpus::Batch) -> Duration {
    let started = Instant::now();
    pool.install(|| {
        (0..batch.items.len()).into_par_iter().for_each(|k| {
            let thread = rayon::current_thread_index().expect("runs in the pool");
            let mut worker = workers[thread].lock().expect("a worker panicked");
            let t = Instant::now();
            worker.process(batch, k);
            worker.busy += t.elapsed();
        });
        // The batch is counted whole before its mentions are taken.
        workers.par_iter().for_each(|worker| {
            let mut worker = worker.lock().expect("a worker panicked");
            let t = Instant::now();
            worker.count_found(batch);
            worker.busy += t.elapsed();
        });
    });
    started.elapsed() * workers.len() as u32
}

/// The workers' counts and findings added into one.
fn merge_workers(workers: Vec<Mutex<Worker>>) -> Worker {
    let mut workers = workers.into_iter().map(|w| w.into_inner().expect("a worker panicked"));
    let mut total = workers.next().expect("at least one thread");
    workers.for_each(|w| total.absorb(w));
    total.counts.settle();
    total
}

/// A reference corpus (`--reference`), and how the run's corpus was read and counted: the
/// reference is read and counted so.
#[derive(Clone, Copy)]
struct Reference<'a> {
    paths: &'a [PathBuf],
    fields: &'a Fields,
    choice: &'a corpus::Choice,
    max_document_bytes: usize,
    finder: &'a ActorFinder,
    options: &'a CountOptions,
}

/// Counts the `reference` corpus on `pool`, its actors resolved across it as a run's are (so a
/// corpus and itself as the reference count alike): its mention rows wait in a spool in `scratch`
/// until then, and go with it; its document rows are not kept. Returns the counts and the documents
/// that could not be read; an error when none could be.
fn count_reference(
    reference: &Reference,
    pool: &rayon::ThreadPool,
    scratch: &Path,
) -> Result<(Counts, Vec<Skipped>), PipelineError> {
    let Reference { paths, fields, choice, max_document_bytes, finder, options } = *reference;
    for path in paths {
        std::fs::metadata(path).map_err(|source| CorpusError::Input { path: path.clone(), source })?;
    }
    let discovery = corpus::discover(paths, &[], choice)?;
    // The reference's places and lines in context are not reported.
    let options = &CountOptions { kwic: Default::default(), contexts: 0, ..options.clone() };
    let workers = Worker::each(pool.current_num_threads(), finder, fields, options, None, None);
    let spool_path = report::temporary(scratch, report::REFERENCE_SPOOL);
    let spool_error = |source| PipelineError::Spool { path: spool_path.clone(), source };
    let _spool_goes = run::RemovedOnDrop(Some(spool_path.clone()));
    let mut spool = spool::Writer::create(&spool_path).map_err(spool_error)?;
    let mut rows = Vec::new();
    for batch in corpus::batches(discovery.sources, fields.clone(), max_document_bytes, BATCH_ITEMS, BATCH_BYTES) {
        process_batch(pool, &workers, &batch);
        rows.clear();
        for worker in &workers {
            let counts = &mut worker.lock().expect("a worker panicked").counts;
            rows.append(&mut counts.take_rows().1);
        }
        rows.sort_unstable_by_key(MentionRow::place);
        spool.write(&rows).map_err(spool_error)?;
    }
    spool.finish().map_err(spool_error)?;
    let mut total = pool.install(|| merge_workers(workers));
    let skipped = discovery.skipped.into_iter().chain(total.skipped.into_iter().map(|(_, s)| s));
    let skipped: Vec<Skipped> =
        skipped.map(|s| Skipped { path: format!("reference {}", s.path), reason: s.reason }).collect();
    if total.counts.totals().documents == 0 {
        return Err(PipelineError::NothingRead(format!("the reference: {}", nothing_read_in(paths, &skipped))));
    }
    if total.counts.tokens() == 0 {
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(PipelineError::NothingRead(format!(
            "the reference: its {} documents in {} hold no words, and keyness compares how often words occur",
            total.counts.totals().documents,
            paths.join(", ")
        )));
    }
    // Keyness compares the actors' mentions and documents: no timeline, no pairs. Counted again a
    // document at a time, from the spool.
    let resolution = total.counts.resolve_actors(0, ResolvedFigures { timeline: false, pairs: false });
    let mut source = MentionSource::spool(&spool_path, 0);
    let mut document: Vec<MentionRow> = Vec::new();
    while let Some(row) = source.take()? {
        if document.last().is_some_and(|last| last.index != row.index) {
            total.counts.count_resolved(&resolution, None, None, &mut document);
            document.clear();
        }
        document.push(row);
    }
    total.counts.count_resolved(&resolution, None, None, &mut document);
    Ok((total.counts, skipped))
}

/// The `keyness` report of `counts` against the `reference` corpus, and what of it could not be
/// read.
fn keyness_against(
    counts: &Counts,
    reference: &Reference,
    min_documents: u64,
    pool: &rayon::ThreadPool,
    scratch: &Path,
) -> Result<(DataFrame, ReferenceInfo, Vec<Skipped>), PipelineError> {
    let paths = reference.paths;
    let (reference, skipped) = count_reference(reference, pool, scratch)?;
    let df = frames::keyness(counts, &reference, min_documents).map_err(ReportError::from)?;
    let info = ReferenceInfo {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        documents: reference.totals().documents,
        tokens: reference.tokens(),
        bytes: reference.bytes(),
    };
    Ok((df, info, skipped))
}

/// Writes the reports made of the n-gram tables (`ngrams`, sliced; `collocations`, returned to be
/// written with the others) and lets the tables go: a run does it before it counts the actors again
/// from the mention rows, so the tables and the actor tables are never held at once.
fn ngram_reports(
    reports: &mut ReportSet,
    counts: &mut Counts,
    options: &frames::FrameOptions,
    csv: &report::CsvOptions,
    pool: &rayon::ThreadPool,
) -> Result<Vec<(&'static str, DataFrame)>, PipelineError> {
    pool.install(|| counts.compact_ngrams());
    release_free_memory();
    if NGRAMS.is_written(options) {
        let rows = pool.install(|| frames::NgramRows::of(counts, options));
        write_sliced(reports, NGRAMS.name, csv, rows.len(), |range| rows.frame(range))?;
        drop(rows);
        release_free_memory();
    }
    let collocations = pool
        .install(|| frames::build_some(counts, options, |r| r.name == COLLOCATIONS.name))
        .map_err(ReportError::from)?;
    counts.drop_ngrams();
    release_free_memory();
    Ok(collocations)
}

/// Writes the n-gram table of a shard's `counts` (or of an incremental run's sum of units) a slice
/// at a time: it is the largest.
fn write_ngram_table(reports: &mut ReportSet, counts: &Counts) -> Result<(), PipelineError> {
    use crate::parts::tables::{NgramPart, Table};
    let mut out = reports.stream(NgramPart::FILE, &report::CsvOptions::default())?;
    for df in parts::ngram_frames(counts, STREAMED_FRAME_ROWS) {
        out.append(&df.map_err(ReportError::from)?)?;
    }
    out.finish(&parts::ngram_columns().map_err(ReportError::from)?)?;
    Ok(())
}

/// Writes the `terms` report a slice at a time, when it is asked for, and says its first rows (the
/// page and the summary show its top terms).
fn terms_report(
    reports: &mut ReportSet,
    counts: &Counts,
    options: &frames::FrameOptions,
    csv: &report::CsvOptions,
    pool: &rayon::ThreadPool,
) -> Result<Vec<(&'static str, DataFrame)>, PipelineError> {
    if !TERMS.is_written(options) {
        return Ok(Vec::new());
    }
    let rows = pool.install(|| frames::TermRows::of(counts, options.stem));
    let head = write_sliced(reports, TERMS.name, csv, rows.len(), |range| rows.frame(range))?;
    Ok(vec![(TERMS.name, head)])
}

/// Writes the report `name` of `rows` rows, each slice of them as `frame` makes it, and says the first
/// slice (the columns, when there are no rows).
fn write_sliced(
    reports: &mut ReportSet,
    name: &str,
    csv: &report::CsvOptions,
    rows: usize,
    frame: impl Fn(std::ops::Range<usize>) -> PolarsResult<DataFrame>,
) -> Result<DataFrame, PipelineError> {
    let mut out = reports.stream(name, csv)?;
    let head = frame(0..rows.min(STREAMED_FRAME_ROWS)).map_err(ReportError::from)?;
    out.append(&head)?;
    for start in (STREAMED_FRAME_ROWS..rows).step_by(STREAMED_FRAME_ROWS) {
        let end = rows.min(start + STREAMED_FRAME_ROWS);
        out.append(&frame(start..end).map_err(ReportError::from)?)?;
    }
    out.finish(&head)?;
    Ok(head)
}

/// The reports made of the whole corpus's counts but those written a slice at a time
/// ([`ngram_reports`], [`terms_report`]) and those written as they were counted, with `made` (the
/// frames [`ngram_reports`] returned) after them.
fn totals(
    counts: &Counts,
    options: &frames::FrameOptions,
    pool: &rayon::ThreadPool,
    made: Vec<(&'static str, DataFrame)>,
) -> Result<Vec<(&'static str, DataFrame)>, PipelineError> {
    let wanted = |report: &Report| report.when != When::Ngrams && !report.streamed && !report.sliced;
    let mut frames = pool.install(|| frames::build_some(counts, options, wanted)).map_err(ReportError::from)?;
    frames.extend(made);
    Ok(frames)
}

/// Lets glibc's allocator keep as many heaps ("arenas") as a run has worker threads, two at least,
/// unless `MALLOC_ARENA_MAX` says otherwise. By default it makes up to eight a core as threads
/// contend, and what a thread frees stays in its heap for that heap's later use: on 10 copies of
/// Reuters, every report, two threads, the default's peak resident memory was 490 MB and two heaps'
/// 377 MB, in the same time (docs/performance.md).
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(unused_variables))]
fn limit_allocator_arenas(threads: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let arenas = i32::try_from(threads.max(2)).unwrap_or(i32::MAX);
        // SAFETY: mallopt sets one of the allocator's tunables; it touches no allocation.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// A pool of `threads` worker threads, the allocator's heaps limited to as many
/// ([`limit_allocator_arenas`]).
fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, PipelineError> {
    limit_allocator_arenas(threads);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| PipelineError::Threads { threads, source })
}

/// Gives the memory freed back to the system, between stages that free much of it (the threads'
/// counts once merged, the n-gram tables once reported). glibc's allocator keeps what is freed for
/// later and lets go of it only at the top of a heap: on 10 copies of Reuters that held ~100 MB of
/// a run's peak resident memory.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Rows of a streamed report (`mentions`, `ngrams`) made into one table at most, as they are written
/// (by `tally run` and `tally merge`).
const STREAMED_FRAME_ROWS: usize = 1 << 16;

/// Rows of a streamed report written at once, at least (but its last): fewer than a batch's mentions
/// (about 40,000 in news), four batches' document rows, so a Parquet row group is never a handful of
/// rows and a batch's mentions do not wait for the next.
const STREAMED_WRITE_ROWS: usize = 1 << 14;

/// Builds a table of rows (mentions, documents, kwic lines) to be streamed.
type RowsFrame<T> = Box<dyn Fn(&[T]) -> PolarsResult<DataFrame> + Send + Sync>;

/// Rows written as the batches are counted (`mentions`, `documents`, `kwic`): each batch's rows are
/// put in reading order and wait until there are [`STREAMED_WRITE_ROWS`], then go to their sink.
struct RowStream<T> {
    out: Box<dyn Sink<T>>,
    /// A row's place in reading order.
    place: fn(&T) -> (usize, usize),
    waiting: Vec<T>,
    written: u64,
}

impl<T: 'static> RowStream<T> {
    fn new(out: Box<dyn Sink<T>>, place: fn(&T) -> (usize, usize)) -> Self {
        RowStream { out, place, waiting: Vec::new(), written: 0 }
    }

    /// Rows of a report (or a shard's table), made into tables by `frame`.
    fn report(
        stream: ReportStream,
        frame: impl Fn(&[T]) -> PolarsResult<DataFrame> + Send + Sync + 'static,
        place: fn(&T) -> (usize, usize),
    ) -> Self {
        RowStream::new(Box::new(Framed { stream, frame: Box::new(frame) }), place)
    }

    /// Adds the rows of a batch, which come after every row added before.
    fn add(&mut self, mut rows: Vec<T>) -> Result<(), ReportError> {
        rows.sort_unstable_by_key(self.place);
        self.written += rows.len() as u64;
        match self.waiting.is_empty() {
            true => self.waiting = rows,
            false => self.waiting.append(&mut rows),
        }
        if self.waiting.len() >= STREAMED_WRITE_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ReportError> {
        self.out.append(&self.waiting)?;
        self.waiting.clear();
        Ok(())
    }

    /// Writes what waits and finishes the report; says how many rows it holds.
    fn finish(mut self) -> Result<u64, ReportError> {
        self.flush()?;
        self.out.finish()?;
        Ok(self.written)
    }
}

/// Where a [`RowStream`] writes its rows, in reading order.
trait Sink<T>: Send {
    fn append(&mut self, rows: &[T]) -> Result<(), ReportError>;
    fn finish(self: Box<Self>) -> Result<(), ReportError>;
}

/// A report (or a shard's table), written a table of at most [`STREAMED_FRAME_ROWS`] rows at a
/// time (one long document can hold millions of mentions).
struct Framed<T> {
    stream: ReportStream,
    frame: RowsFrame<T>,
}

impl<T> Sink<T> for Framed<T> {
    fn append(&mut self, rows: &[T]) -> Result<(), ReportError> {
        for slice in rows.chunks(STREAMED_FRAME_ROWS) {
            self.stream.append(&(self.frame)(slice)?)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), ReportError> {
        let empty = (self.frame)(&[])?;
        self.stream.finish(&empty)
    }
}

/// A run's mentions, spooled until its actors are resolved.
impl Sink<MentionRow> for spool::Writer {
    fn append(&mut self, rows: &[MentionRow]) -> Result<(), ReportError> {
        self.write(rows).map_err(|e| ReportError::File { path: self.path().into(), source: Box::new(e.into()) })
    }

    fn finish(self: Box<Self>) -> Result<(), ReportError> {
        let path = self.path().to_path_buf();
        spool::Writer::finish(*self).map_err(|e| ReportError::File { path, source: Box::new(e.into()) })
    }
}

/// How many mention rows a merge holds, over all shards, at most (about).
const MERGE_MENTION_ROWS: usize = 1 << 18;

/// The error of reading the spool at `path`.
fn spool_failed(path: &Path) -> impl FnOnce(std::io::Error) -> PipelineError + '_ {
    move |source| PipelineError::Spool { path: path.to_path_buf(), source }
}

/// Mention rows in reading order, read back once the actors are resolved: a shard's table, or
/// spools (a run's, or those of an incremental run's units).
enum MentionSource {
    Shard(parts::MentionReader),
    /// Spools read one after another, each's places moved on by its offset: a run's one, or the units
    /// of a state, which follow one another in reading order. One is open at a time, however many.
    Spools {
        open: Option<(Box<spool::Reader>, PathBuf)>,
        next: std::collections::VecDeque<(PathBuf, usize)>,
    },
}

impl MentionSource {
    /// The rows of the parts, in their order: the spools of consecutive parts that keep one (a
    /// state's units, which follow one another in reading order) as one source read one after
    /// another, each other part's `part_mentions` table (a shard's) as a source of its own, read a
    /// slice of about `MERGE_MENTION_ROWS` over all of them at a time.
    fn parts(parts: &[merge::Part]) -> Result<Vec<MentionSource>, PipelineError> {
        let spooled = |part: &merge::Part| part.manifest.reports.iter().any(|r| r.name == parts::MENTION_SPOOL);
        let tables = parts.iter().filter(|part| !spooled(part)).count();
        let slice = (MERGE_MENTION_ROWS / tables.max(1)).max(1 << 10);
        let mut sources = Vec::new();
        for part in parts {
            match (spooled(part), sources.last_mut()) {
                (true, Some(MentionSource::Spools { next, .. })) => {
                    next.push_back((part.dir.join(parts::MENTION_SPOOL), part.offset));
                }
                (true, _) => sources.push(MentionSource::Spools {
                    open: None,
                    next: [(part.dir.join(parts::MENTION_SPOOL), part.offset)].into(),
                }),
                (false, _) => {
                    sources.push(MentionSource::Shard(parts::MentionReader::open(&part.dir, slice, part.offset)?))
                }
            }
        }
        Ok(sources)
    }

    /// The rows of the spool at `path`, their places in reading order moved on by `offset`.
    fn spool(path: &Path, offset: usize) -> MentionSource {
        MentionSource::Spools { open: None, next: [(path.to_path_buf(), offset)].into() }
    }

    /// The next row, without taking it; none at the end.
    fn peek(&mut self) -> Result<Option<&MentionRow>, PipelineError> {
        match self {
            MentionSource::Shard(reader) => Ok(reader.peek()?),
            MentionSource::Spools { open, next } => {
                // The first spool with a row left, each closed once read.
                loop {
                    if open.is_none() {
                        let Some((path, offset)) = next.pop_front() else { return Ok(None) };
                        let reader = spool::Reader::open(&path, offset).map_err(spool_failed(&path))?;
                        *open = Some((Box::new(reader), path));
                    }
                    let (reader, path) = open.as_mut().expect("opened above");
                    if reader.peek().map_err(spool_failed(path))?.is_some() {
                        break;
                    }
                    *open = None;
                }
                let (reader, path) = open.as_mut().expect("a spool with a row left");
                reader.peek().map_err(spool_failed(path))
            }
        }
    }

    /// Takes the next row.
    fn take(&mut self) -> Result<Option<MentionRow>, PipelineError> {
        self.peek()?;
        match self {
            MentionSource::Shard(reader) => Ok(reader.take()?),
            MentionSource::Spools { open: Some((reader, path)), .. } => reader.take().map_err(spool_failed(path)),
            MentionSource::Spools { open: None, .. } => Ok(None),
        }
    }
}

/// A warning for each field carried into `documents` (`--meta`, `--group-by`) that no document of
/// the corpus has: most often a name mistyped, or a folder of document files, which have none.
fn unseen_fields(fields: &Fields, totals: &crate::count::DocumentTotals) -> Vec<Warning> {
    fields
        .carried()
        .enumerate()
        .filter(|(at, _)| totals.carried.get(*at).copied().unwrap_or(0) == 0)
        .map(|(_, name)| {
            let flag = if fields.meta.contains(name) { "--meta" } else { "--group-by" };
            Warning {
                path: "settings".into(),
                message: format!(
                    "{flag} {name}: no document has a field `{name}` (JSON Lines, CSV and Parquet fields, named as in the files)"
                ),
            }
        })
        .collect()
}

/// A document's date and group, which its actors are counted by.
type Place = (Option<Date>, Option<Arc<str>>);

/// Records the date and group of each document of `rows` at its place in reading order.
fn note_places(places: &mut Vec<Place>, rows: &[DocumentRow]) {
    for row in rows {
        if places.len() <= row.index {
            places.resize(row.index + 1, (None, None));
        }
        places[row.index] = (row.date, row.group.clone());
    }
}

/// Resolves the actors of `counts` across the corpus, then writes the `mentions` report from the
/// mention rows of `sources` (each shard's `part_mentions.parquet`, or a run's spool), merged into
/// reading order, each naming its resolved actor, and counts again from them the actor tables the
/// reports of `options` are made from; `places` gives each document's date and group by its place
/// in reading order; the report is written only when `options` asks for it. Says how many rows it
/// read, and the time spent resolving and counting.
fn write_mentions(
    reports: &mut ReportSet,
    csv: &report::CsvOptions,
    mut sources: Vec<MentionSource>,
    counts: &mut Counts,
    places: &[Place],
    options: &frames::FrameOptions,
) -> Result<(u64, Duration), PipelineError> {
    let started = Instant::now();
    // The page shows the lines in context of its table's actors.
    let resolution = counts.resolve_actors(report::html::TABLE_ROWS, options.reports.resolved_figures());
    let write = MENTIONS.is_written(options);
    let mut resolving = started.elapsed();
    let stream = match write {
        true => Some(reports.stream(MENTIONS.name, csv)?),
        false => None,
    };
    // The sources' mention rows, each in order, merged into one order by a heap of their next rows.
    let mut next = std::collections::BinaryHeap::new();
    for (k, shard) in sources.iter_mut().enumerate() {
        if let Some(row) = shard.peek()? {
            next.push(std::cmp::Reverse((row.place(), k)));
        }
    }
    std::thread::scope(|scope| {
        // The rows counted are written a batch at a time on a thread of their own, while the next
        // batch is read and counted.
        let (send, batches) = std::sync::mpsc::sync_channel::<Vec<MentionRow>>(1);
        let writer = stream.map(|mut stream| {
            scope.spawn(move || -> Result<(), PipelineError> {
                for batch in batches {
                    stream.append(&frames::mentions(&batch).map_err(ReportError::from)?)?;
                }
                stream.finish(&frames::mentions(&[]).map_err(ReportError::from)?)?;
                Ok(())
            })
        });
        // Hands `batch` to the writer; false when the writer has stopped, on an error it returns.
        let hand_over = |batch: &mut Vec<MentionRow>| match &writer {
            Some(_) => send.send(std::mem::replace(batch, Vec::with_capacity(STREAMED_FRAME_ROWS))).is_ok(),
            None => {
                batch.clear();
                true
            }
        };
        // Rows of one document, counted when the next begins.
        let (mut batch, mut mentions, mut doc_start): (Vec<MentionRow>, u64, usize) =
            (Vec::with_capacity(STREAMED_FRAME_ROWS), 0, 0);
        let mut count_document = |batch: &mut Vec<MentionRow>, from: usize| {
            let t = Instant::now();
            let (date, group) = places.get(batch[from].index).map_or((None, None), |(d, g)| (*d, g.as_ref()));
            counts.count_resolved(&resolution, date, group, &mut batch[from..]);
            resolving += t.elapsed();
        };
        let mut writing = true;
        while let Some(std::cmp::Reverse((_, k))) = next.pop() {
            let row = sources[k].take()?.expect("peeked");
            if batch.len() > doc_start && batch[doc_start].index != row.index {
                count_document(&mut batch, doc_start);
                doc_start = batch.len();
                if batch.len() >= STREAMED_FRAME_ROWS {
                    writing = hand_over(&mut batch);
                    if !writing {
                        break;
                    }
                    doc_start = 0;
                }
            }
            batch.push(row);
            mentions += 1;
            if let Some(row) = sources[k].peek()? {
                next.push(std::cmp::Reverse((row.place(), k)));
            }
        }
        if writing && batch.len() > doc_start {
            count_document(&mut batch, doc_start);
        }
        if writing && !batch.is_empty() {
            hand_over(&mut batch);
        }
        drop(send);
        if let Some(writer) = writer {
            writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        Ok((mentions, resolving))
    })
}

/// The rows a batch leaves to be written.
#[derive(Default)]
struct BatchRows {
    mentions: Vec<MentionRow>,
    documents: Vec<DocumentRow>,
    kwic: Vec<KwicRow>,
}

/// The reports a run writes as it counts, those asked for (or a shard's tables).
struct Streams {
    mentions: Option<RowStream<MentionRow>>,
    documents: Option<RowStream<DocumentRow>>,
    kwic: Option<RowStream<KwicRow>>,
}

impl Streams {
    /// Writes the rows of each batch received, then finishes the reports; says how many mentions
    /// were written.
    fn write(mut self, batches: mpsc::Receiver<BatchRows>) -> Result<u64, ReportError> {
        for rows in batches {
            if let Some(mentions) = &mut self.mentions {
                mentions.add(rows.mentions)?;
            }
            if let Some(documents) = &mut self.documents {
                documents.add(rows.documents)?;
            }
            if let Some(kwic) = &mut self.kwic {
                kwic.add(rows.kwic)?;
            }
        }
        if let Some(documents) = self.documents {
            documents.finish()?;
        }
        if let Some(kwic) = self.kwic {
            kwic.finish()?;
        }
        self.mentions.map_or(Ok(0), RowStream::finish)
    }
}

/// The manifest of reports made with `settings` from `inputs`, of what `counts` hold and the
/// `mentions` written; what was skipped, the stage times and the rest are the caller's, the
/// reports' list and signature are added as they are written.
fn manifest_of(settings: Settings, inputs: Vec<String>, counts: &Counts, mentions: u64) -> Manifest {
    let looked = settings.analysis.looks_for_actors();
    Manifest {
        program: env!("CARGO_PKG_NAME").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        settings,
        inputs,
        documents: counts.totals().documents,
        undated: counts.totals().undated(),
        bytes: counts.bytes(),
        tokens: counts.tokens(),
        terms: counts.distinct_terms(),
        mentions: looked.then_some(mentions),
        actors: looked.then_some(counts.actors().len() as u64),
        ..Manifest::default()
    }
}

/// A shard writes Parquet only: its tables are for `tally merge` or a Parquet engine.
const PARTS_FORMATS: report::Formats = report::Formats { csv: false, parquet: true, xlsx: false, html: false };

/// Stages the `frames`, the workbook and the page (as `reports` formats say) and the manifest, with
/// the writing time and the throughput since `started`; commits them; sums up for the terminal.
/// `heads` are the first rows of the reports written a slice at a time, which the workbook's summary,
/// the page and the terminal show.
fn write_reports(
    mut reports: ReportSet,
    frames: &[(&str, DataFrame)],
    heads: &[(&str, DataFrame)],
    csv: &report::CsvOptions,
    mut manifest: Manifest,
    counts: &Counts,
    started: Instant,
) -> Result<Summary, PipelineError> {
    let writing = Instant::now();
    reports.add_frames(frames, csv)?;
    let shown: Vec<(&str, DataFrame)> = frames.iter().chain(heads).cloned().collect();
    if manifest.shard.is_none() {
        reports.add_overviews(&shown, &manifest, counts.totals(), counts.actor_contexts())?;
    }
    manifest.stages.write_s = writing.elapsed().as_secs_f64();
    let total_s = started.elapsed().as_secs_f64().max(1e-9);
    manifest.stages.total_s = total_s;
    // A reference corpus is read and counted in the same time: its documents count too.
    let (reference_bytes, reference_documents) = manifest.reference.as_ref().map_or((0, 0), |r| (r.bytes, r.documents));
    manifest.throughput = Throughput {
        mb_per_s: (manifest.bytes + reference_bytes) as f64 / 1e6 / total_s,
        documents_per_s: (manifest.documents + reference_documents) as f64 / total_s,
    };
    reports.add_manifest(&mut manifest)?;
    let written = reports.commit()?;
    let mut top_actors: Vec<_> =
        counts.actors().iter().map(|(key, stat)| (key.name.to_string(), key.kind.as_str(), stat.mentions)).collect();
    top_actors.sort_unstable_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    top_actors.truncate(TOP);
    let top_terms = match shown.iter().find(|(name, _)| *name == TERMS.name) {
        Some((_, df)) => report::top_terms(df, TOP).map_err(ReportError::from)?,
        None => Vec::new(),
    };
    Ok(Summary { manifest, written, top_actors, top_terms })
}

/// Reads every document under `paths` as `tally run` does (folders, text, JSON Lines, CSV, Parquet,
/// compressed files, standard input) and hands each, with its words as `tokenize` finds them
/// ([`crate::tokenize::tokenize_into`] to count terms, [`words_into`] to find actors), to `each`.
/// A file or document that cannot be read is reported on standard error and skipped; when not one
/// could be read, that is the error ([`EXIT_NOTHING_READ`], as `tally run`).
pub fn for_each_document(
    paths: &[PathBuf],
    tokenize: fn(&str, usize, &mut Vec<Token>),
    mut each: impl FnMut(&Document, &[Token]) -> std::io::Result<()>,
) -> Result<(), PipelineError> {
    let discovery = corpus::discover(paths, &[], &corpus::Choice::default())?;
    let mut skipped = discovery.skipped;
    for s in &skipped {
        eprintln!("tally: skipped {}: {}", s.path, s.reason);
    }
    let fields = corpus::Fields::default();
    let mut tokens = Vec::new();
    let max = corpus::DEFAULT_MAX_DOCUMENT_BYTES;
    let mut read = 0u64;
    for batch in corpus::batches(discovery.sources, fields.clone(), max, BATCH_ITEMS, BATCH_BYTES) {
        for item in &batch.items {
            let doc = match item.read(&fields) {
                Ok((doc, _)) => doc,
                Err(err) => {
                    eprintln!("tally: skipped {}: {err}", item.location());
                    skipped.push(Skipped { path: item.location(), reason: err.to_string() });
                    continue;
                }
            };
            read += 1;
            tokens.clear();
            tokenize(doc.body(), doc.body_start, &mut tokens);
            each(&doc, &tokens).map_err(PipelineError::Print)?;
        }
    }
    match read {
        0 => Err(nothing_read(paths, &skipped)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_goes_by_the_average_pace_and_is_never_nothing_while_documents_remain() {
        let s = Duration::from_secs;
        // A third left after 1 s: half a second more, said as a second.
        assert_eq!(time_left(s(1), 12_288, 19_044), "1s");
        // A third left after 20 s: 10 s more.
        assert_eq!(time_left(s(20), 200, 300), "10s");
        assert_eq!(time_left(s(100), 100, 400), "5m 00s");
        assert_eq!(time_left(s(3000), 1, 3), "1h 40m");
        assert_eq!(time_left(Duration::from_millis(1), 999_999, 1_000_000), "1s");
        assert_eq!(time_left(s(5), 0, 10), "…", "no pace yet");
        assert_eq!(time_left(s(5), 10, 10), "0s");
    }
}
