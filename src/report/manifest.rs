//! What a run did, as `manifest.json`: the program and settings, the inputs, what was read and
//! skipped and why, warnings, each stage's time and the run's throughput.

use serde::Serialize;

use crate::corpus::Skipped;

/// The manifest of one run.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Manifest {
    /// `tally`.
    pub program: String,
    /// The program's version.
    pub version: String,
    /// The settings the run used.
    pub settings: Settings,
    /// The PATHs read, as given.
    pub inputs: Vec<String>,
    /// Documents read and counted.
    pub documents: u64,
    /// Of those, the documents with no date (no header, no date field, or a malformed one): the
    /// timelines and the reports by period leave them out.
    #[serde(default)]
    pub undated: u64,
    /// Bytes of those documents.
    pub bytes: u64,
    /// Words in their bodies.
    pub tokens: u64,
    /// Distinct terms.
    pub terms: u64,
    /// Actor mentions; none (null) when no report asked for needed actors, so none were looked for.
    pub mentions: Option<u64>,
    /// Distinct actors; none as `mentions`.
    pub actors: Option<u64>,
    /// Files not read, with the reason for each.
    pub skipped: Vec<Skipped>,
    /// Problems that did not stop a document from being read.
    pub warnings: Vec<Warning>,
    /// Seconds each stage took.
    pub stages: Stages,
    /// The run's speed.
    pub throughput: Throughput,
    /// The files of the set this manifest heads (all the run wrote in its output folder but the
    /// manifest), each with its size and SHA-256. The next run into the folder removes those it does
    /// not write again, so no report is left over from another run; no other file is ever removed.
    #[serde(default)]
    pub reports: Vec<ReportFile>,
    /// The SHA-256 of the listing in `reports` ([`signature`]): what marks the manifest as tally's
    /// own and whole, and so the files it lists as tally's to replace.
    #[serde(default)]
    pub signature: String,
    /// Which corpus was read: for `tally merge`, which adds only shards of one corpus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corpus: Option<CorpusIdentity>,
    /// For one shard of a sharded run (`--shard K/N`): which, and where its skipped files and
    /// warnings stand in the whole corpus's reading order, so `tally merge` can interleave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
    /// The reference corpus of the `keyness` report (`--reference`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceInfo>,
    /// What an incremental run (`--state DIR`) kept of its state, when it was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<StateInfo>,
}

/// What an incremental run (`--state DIR`) kept of its state and counted again.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct StateInfo {
    /// The state folder.
    pub path: String,
    /// Units of the corpus (a file of documents, or a run of document files) whose tables were
    /// kept from the state.
    pub reused: u64,
    /// Units counted in this run: new, changed, or whose tables in the state were damaged.
    pub counted: u64,
    /// Units in the state that are no longer in the corpus, whose tables were dropped.
    pub dropped: u64,
    /// Units whose tables were read as one sum the state keeps of its first units, rather than
    /// unit by unit (their rows are read from each).
    #[serde(default)]
    pub summed: u64,
    /// Why the state was started over, when it was (other settings, another version of tally).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_over: Option<String>,
    /// The thread-seconds counting the reused units took when they were counted: the time saved.
    pub saved_s: f64,
    /// The state's size on disk, in bytes, once this run ended.
    pub bytes: u64,
}

/// One file of a set of reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReportFile {
    /// Its name in the output folder.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

/// What a later run reads of a manifest to know the files it may replace.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Listing {
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub reports: Vec<ReportFile>,
    #[serde(default)]
    pub signature: String,
}

/// The signature of a listing of report files: the SHA-256 of `tally report set`, then a line per
/// file (name, size and SHA-256, tab-separated).
pub fn signature(files: &[ReportFile]) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(b"tally report set\n");
    for f in files {
        hasher.update(format!("{}\t{}\t{}\n", f.name, f.bytes, f.sha256).as_bytes());
    }
    super::hex(&hasher.finalize())
}

/// The identity of the corpus a run read: how many files (or streams) it found and a digest of their
/// ids and sizes, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CorpusIdentity {
    /// Files and streams found.
    pub sources: u64,
    /// The SHA-256 of each one's id and size, a line each.
    pub sha256: String,
}

/// What was read of a reference corpus.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct ReferenceInfo {
    /// Its PATHs, as given.
    pub paths: Vec<String>,
    /// Documents read and counted.
    pub documents: u64,
    /// Words in their bodies.
    pub tokens: u64,
    /// Bytes of its documents read.
    #[serde(default)]
    pub bytes: u64,
}

/// What a shard's manifest adds.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct ShardInfo {
    /// K of `--shard K/N`, from 1.
    pub part: u32,
    /// N.
    pub parts: u32,
    /// The layout of its tables (`parts::FORMAT`); none (0) before layouts were numbered.
    #[serde(default)]
    pub format: u32,
    /// For each entry of `skipped`, the document's place in reading order (none: found so when
    /// listing the files, which every shard does alike).
    pub skipped_at: Vec<Option<usize>>,
    /// The same for `warnings`.
    pub warnings_at: Vec<Option<usize>>,
    /// The places in reading order the shard's listing took: documents, records and files that
    /// were not read (none, 0, before they were recorded).
    #[serde(default)]
    pub items: usize,
}

/// Settings recorded in the manifest: where and how the reports were written, and the
/// [`Analysis`] that decided their figures.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Settings {
    /// The output folder.
    pub out: String,
    /// Worker threads.
    pub threads: usize,
    /// Whether CSV reports start with a byte-order mark.
    pub csv_bom: bool,
    /// The rows of each report a sheet of the workbook holds (`--sheet-rows`).
    #[serde(default)]
    pub sheet_rows: u32,
    /// The formats the reports were written in.
    pub formats: super::Formats,
    /// The settings file read, if any.
    pub settings_file: Option<String>,
    /// Users' actor dictionaries read (their content is in [`Analysis::digests`]).
    pub actors: Vec<String>,
    /// The reference corpus's PATHs (`--reference`).
    #[serde(default)]
    pub reference: Vec<String>,
    /// What decided the figures.
    #[serde(flatten)]
    pub analysis: Analysis,
}

/// The settings that decide a run's figures, declared once: a run fills them from the command line
/// and `tally.toml` (the resolved `Config`), the manifest stores them whole, and `tally merge`
/// reads them back (the counting and report options below) and refuses shards whose analyses
/// differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Analysis {
    /// The fields of JSON Lines and CSV/TSV documents.
    pub fields: crate::corpus::Fields,
    /// How standard input and files of no known extension hold their documents (`--input-format`).
    #[serde(default)]
    pub input_format: Option<crate::corpus::Format>,
    /// The largest document read (`--max-document-bytes`); 0 in a manifest written before it was
    /// recorded (see [`Analysis::max_document_bytes`]).
    #[serde(default)]
    pub max_document_bytes: usize,
    /// The span timelines count by.
    #[serde(default)]
    pub period: crate::corpus::Period,
    /// How many terms term_timeline follows.
    #[serde(default)]
    pub timeline_terms: usize,
    /// The fewest occurrences an n-gram needs to be reported.
    #[serde(default)]
    pub min_count: u64,
    /// The fewest documents an item of keyness and period_keyness needs (`--min-documents`); 1,
    /// no threshold, in a manifest written before it was recorded.
    #[serde(default = "one")]
    pub min_documents: u64,
    /// The stopword list (`--stopwords`).
    #[serde(default)]
    pub stopwords: String,
    /// Whether stopwords were left out of the terms.
    #[serde(default)]
    pub drop_stopwords: bool,
    /// Whether n-grams were left uncounted (`--no-ngrams`).
    #[serde(default)]
    pub no_ngrams: bool,
    /// The reports asked for (`--reports`), in the workbook's order; none for every report.
    #[serde(default)]
    pub reports: Vec<String>,
    /// The terms shown in context (`--kwic`).
    #[serde(default)]
    pub kwic: Vec<String>,
    /// Characters of context on each side of them.
    #[serde(default)]
    pub kwic_width: usize,
    /// The Snowball stemmer of `--stem`, if asked for.
    #[serde(default)]
    pub stem: Option<String>,
    /// The SHA-256 of each file a setting names whose content decides the counts (the `--actors`
    /// dictionaries, a `--stopwords` file), in the order given.
    #[serde(default)]
    pub digests: Vec<String>,
}

impl Analysis {
    /// The counting options of this analysis but its `--kwic` terms (a reference corpus, the one
    /// corpus counted from an analysis read back, reports no places in context), or why the
    /// stopword list it names is not one tally has.
    pub fn count_options(&self) -> Result<crate::count::CountOptions, String> {
        let stopwords = crate::tokenize::Stopwords::named(&self.stopwords).map_err(|e| e.to_string())?;
        Ok(self.count_options_with(stopwords, crate::kwic::Query::default()))
    }

    /// The counting options of this analysis, with its stopword list and its `--kwic` query as read.
    pub fn count_options_with(
        &self,
        stopwords: crate::tokenize::Stopwords,
        kwic: crate::kwic::Query,
    ) -> crate::count::CountOptions {
        crate::count::CountOptions {
            period: self.period,
            stopwords: std::sync::Arc::new(stopwords),
            drop_stopwords: self.drop_stopwords,
            no_ngrams: self.no_ngrams || !self.selection().needs_ngrams(),
            no_actors: !self.looks_for_actors(),
            no_term_periods: !self.selection().needs_term_periods(),
            kwic: std::sync::Arc::new(kwic),
            stem: self.stemmer(),
            group_at: self.fields.group_at().filter(|_| self.selection().needs_groups()),
            contexts: 0,
            pairs: self.selection().resolved_figures().pairs,
        }
    }

    /// The largest document read.
    pub fn max_document_bytes(&self) -> usize {
        match self.max_document_bytes {
            0 => crate::corpus::DEFAULT_MAX_DOCUMENT_BYTES,
            max => max,
        }
    }

    /// The report options of this analysis, with a reference corpus or not.
    pub fn frame_options(&self, reference: bool) -> crate::frames::FrameOptions {
        crate::frames::FrameOptions {
            period: self.period,
            timeline_terms: self.timeline_terms,
            min_count: self.min_count,
            min_documents: self.min_documents,
            no_ngrams: self.no_ngrams,
            kwic: !self.kwic.is_empty(),
            stem: self.stemmer(),
            reference,
            reports: self.selection(),
            meta: self.fields.carried().cloned().collect(),
            groups: self.fields.group_by.is_some(),
        }
    }

    /// Whether a run of this analysis looks for actors: a report asked for is made of them.
    pub fn looks_for_actors(&self) -> bool {
        self.selection().needs_actors()
    }

    /// The reports asked for.
    fn selection(&self) -> crate::frames::registry::Selection {
        crate::frames::registry::Selection::of(&self.reports)
    }

    /// The Snowball stemmer of `--stem`, as tally names it.
    fn stemmer(&self) -> Option<&'static str> {
        self.stem.as_deref().and_then(crate::tokenize::Stopwords::stem_language_named)
    }
}

/// 1, for serde.
fn one() -> u64 {
    1
}

/// A problem with one document that did not stop it from being read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Warning {
    /// The document's path.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Seconds per stage. Reading, tokenizing, finding actors and counting run fused per document on
/// every thread, so theirs are thread-seconds summed over threads; the others are wall-clock.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Stages {
    /// Listing the documents (wall).
    pub discover_s: f64,
    /// Reading files (summed over threads).
    pub read_s: f64,
    /// Splitting text into words (summed over threads).
    pub tokenize_s: f64,
    /// Finding actor mentions (summed over threads).
    pub actors_s: f64,
    /// Counting terms and actors (summed over threads).
    pub count_s: f64,
    /// Threads waiting for one another while reading and counting: idle at the end of a batch while
    /// others finish theirs, or waiting for a table they share (summed over threads; compare with
    /// `threads` times `process_s`).
    #[serde(default)]
    pub wait_s: f64,
    /// The parallel stage as a whole, including merging the threads' counts (wall).
    pub process_s: f64,
    /// Building the DataFrames (wall).
    pub frames_s: f64,
    /// Writing the report files (wall).
    pub write_s: f64,
    /// The whole run (wall).
    pub total_s: f64,
}

impl Stages {
    /// Adds the work `other` did before its reports were made: listing, then reading, tokenizing,
    /// finding actors and counting, and waiting (the stages summed over shards or units).
    pub fn add_work(&mut self, other: &Stages) {
        self.discover_s += other.discover_s;
        self.read_s += other.read_s;
        self.tokenize_s += other.tokenize_s;
        self.actors_s += other.actors_s;
        self.count_s += other.count_s;
        self.wait_s += other.wait_s;
    }
}

/// The run's speed over its whole wall time.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Throughput {
    /// Megabytes (10^6 bytes) of documents per second.
    pub mb_per_s: f64,
    /// Documents per second.
    pub documents_per_s: f64,
}
