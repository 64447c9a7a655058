//! `tally merge`: adds the partial results of a corpus' shards into the reports of the whole.

use std::path::PathBuf;
use std::time::Instant;

use super::run::RepeatedIds;
use super::{
    check_apart, check_output, is_tally_file, keyness_against, manifest_of, ngram_reports, note_places, nothing_read,
    release_free_memory, terms_report, thread_pool, totals, unseen_fields, write_mentions, write_ngram_table,
    write_reports, MentionSource, PipelineError, Reference, RowStream, Summary, MERGE_MENTION_ROWS, PARTS_FORMATS,
};
use crate::actors::ActorFinder;
use crate::corpus::{Choice, Skipped};
use crate::count::{Counts, DocumentRow, KwicRow, MentionRow};
use crate::frames;
use crate::frames::registry::{DOCUMENTS, KEYNESS, KWIC};
use crate::parts::{self, MergeError};
use crate::report::manifest::{CorpusIdentity, Settings, ShardInfo, Stages, StateInfo, Warning};
use crate::report::{self, Manifest, ReportSet};

/// The settings of `tally merge`.
#[derive(Debug, Clone)]
pub struct MergeSettings {
    /// The shards' output folders.
    pub parts: Vec<PathBuf>,
    /// Where the reports go.
    pub out: PathBuf,
    /// Worker threads.
    pub threads: usize,
    /// The formats to write.
    pub formats: report::Formats,
    /// CSV options.
    pub csv: report::CsvOptions,
    /// The rows of each report a sheet of the workbook holds; none: the shards' (which a shard's
    /// `--sheet-rows` or tally.toml set).
    pub sheet_rows: Option<u32>,
    /// A reference corpus for the `keyness` report, read with the shards' settings.
    pub reference: Vec<PathBuf>,
}

/// One part of a corpus whose counts are added up: a shard's folder, or a unit of an incremental
/// run's state.
pub(super) struct Part {
    /// Its folder of tables.
    pub(super) dir: PathBuf,
    /// The place in reading order of the whole where its own places start: 0 for a shard, which
    /// lists the whole corpus; the places of the units before it for a unit.
    pub(super) offset: usize,
    /// Its manifest.
    pub(super) manifest: Manifest,
}

/// What the manifest of the whole says that its parts do not.
pub(super) struct Whole {
    /// The settings to record.
    pub(super) settings: Settings,
    /// The PATHs read, as given.
    pub(super) inputs: Vec<String>,
    /// The corpus read.
    pub(super) corpus: Option<CorpusIdentity>,
    /// The files skipped and the warnings found when listing the corpus, which come before each
    /// document's; none: those the parts record at no place (every shard alike), the first's.
    pub(super) listed: Option<(Vec<Skipped>, Vec<Warning>)>,
    /// The thread-seconds of the work that made the parts.
    pub(super) work: Stages,
    /// What an incremental run kept of its state.
    pub(super) state: Option<StateInfo>,
    /// Which files of the reference corpus are read.
    pub(super) choice: Choice,
    /// The shard the sum is, written as a shard's tables rather than as reports (an incremental
    /// run of one shard, `--shard K/N --state DIR`).
    pub(super) shard: Option<crate::parts::Shard>,
}

/// `tally merge`: adds the shards' partial results into the reports of the whole corpus.
pub fn merge(settings: &MergeSettings) -> Result<Summary, PipelineError> {
    let started = Instant::now();
    // The shards' folders are the merge's input: the reports must not land in one of them.
    check_apart(&settings.parts, &settings.out)?;
    check_output(&settings.out)?;
    let pool = thread_pool(settings.threads)?;
    let manifests: Vec<(PathBuf, Manifest)> = settings
        .parts
        .iter()
        .map(|dir| parts::read_manifest(dir).map(|m| (dir.clone(), m)))
        .collect::<Result<_, _>>()?;
    parts::check_complete(&manifests)?;
    parts::check_compatible(&manifests)?;
    parts::check_intact(&manifests)?;
    // keyness is written with a reference, and only when asked for.
    if let Some((_, first)) = manifests.first() {
        let asked = &first.settings.analysis.reports;
        let keyness = crate::frames::registry::Selection::of(asked).holds(&KEYNESS);
        if !settings.reference.is_empty() && !keyness {
            let why = "--reference adds the keyness report, which the shards were asked to leave out (--reports)";
            return Err(MergeError::Mismatch(why.into()).into());
        }
        if settings.reference.is_empty() && !asked.is_empty() && keyness {
            return Err(MergeError::Mismatch("the shards were asked for keyness: give --reference".into()).into());
        }
    }
    let first = &manifests[0].1;
    let mut work = Stages::default();
    for (_, m) in &manifests {
        work.add_work(&m.stages);
    }
    let whole = Whole {
        settings: first.settings.clone(),
        inputs: first.inputs.clone(),
        corpus: first.corpus.clone(),
        listed: None,
        // The shards' stage times summed (thread-seconds of work).
        work,
        state: None,
        // The shards' globs are not recorded: the reference is read by its extensions.
        choice: Choice::reading(first.settings.analysis.input_format),
        shard: None,
    };
    let parts: Vec<Part> = manifests.into_iter().map(|(dir, manifest)| Part { dir, offset: 0, manifest }).collect();
    let pieces: Vec<Piece> = parts.iter().map(Piece::Whole).collect();
    let counts = pool.install(|| sum_of(Counts::default(), &pieces))?;
    add_up(&parts, whole, counts, settings, &pool, started)
}

/// What is read of a folder of counts to add it up.
pub(super) enum Piece<'a> {
    /// A part's tables and rows.
    Whole(&'a Part),
    /// A part's rows alone (documents, kwic lines), its tables being in a sum read as [`Piece::Tables`].
    Rows(&'a Part),
    /// The tables alone of a folder of counts: an incremental run's sum of its first units.
    Tables(&'a std::path::Path),
}

impl Piece<'_> {
    fn read(&self) -> Result<Counts, MergeError> {
        match self {
            Piece::Whole(part) => parts::read_counts(&part.dir, part.offset),
            Piece::Rows(part) => {
                let mut counts = Counts::default();
                parts::read_rows(&part.dir, part.offset, &mut counts)?;
                Ok(counts)
            }
            Piece::Tables(dir) => parts::read_tables(dir),
        }
    }
}

/// `counts` with the counts of `pieces` added, on the current rayon pool. Each is read while the one
/// before is merged in: two pieces' counts in memory besides the sum, however many there are.
pub(super) fn sum_of(mut counts: Counts, pieces: &[Piece]) -> Result<Counts, MergeError> {
    let Some((first, rest)) = pieces.split_first() else { return Ok(counts) };
    let mut read = first.read()?;
    for piece in rest {
        let sum = std::mem::take(&mut counts);
        let (merged, next) = rayon::join(move || sum.merge(read), || piece.read());
        (counts, read) = (merged, next?);
    }
    Ok(counts.merge(read))
}

/// Writes `counts`, the sum of `parts` (in reading order, for an incremental run's units), as the
/// reports of the whole corpus, as `settings` says.
pub(super) fn add_up(
    parts: &[Part],
    whole: Whole,
    mut counts: Counts,
    settings: &MergeSettings,
    pool: &rayon::ThreadPool,
    started: Instant,
) -> Result<Summary, PipelineError> {
    release_free_memory();
    // A shard may hold none of the documents.
    if let Some(shard) = whole.shard {
        return write_shard(parts, whole, shard, counts, settings, pool, started);
    }
    if counts.totals().documents == 0 {
        let skipped: Vec<Skipped> = match &whole.listed {
            Some((listed, _)) => listed.clone(),
            None => Vec::new(),
        }
        .into_iter()
        .chain(parts.iter().flat_map(|p| p.manifest.skipped.iter().cloned()))
        .collect();
        let inputs: Vec<PathBuf> = match whole.state {
            Some(_) => whole.inputs.iter().map(PathBuf::from).collect(),
            None => parts.iter().map(|p| p.dir.clone()).collect(),
        };
        return Err(nothing_read(&inputs, &skipped));
    }
    let processed = Instant::now();

    let mut reports = ReportSet::new(&settings.out, settings.formats, is_tally_file)?;
    // The rows a sheet holds: asked for, else the shards' (0 in a shard written before they were
    // recorded), else the default.
    let shards_rows = Some(whole.settings.sheet_rows).filter(|&rows| rows > 0);
    let sheet_rows = settings.sheet_rows.or(shards_rows).unwrap_or(crate::report::xlsx::DEFAULT_SHEET_ROWS);
    reports.set_sheet_rows(sheet_rows);
    let mut places = Vec::new();
    note_places(&mut places, counts.documents());
    let first_settings = &whole.settings;
    let options = first_settings.analysis.frame_options(!settings.reference.is_empty());
    let made = ngram_reports(&mut reports, &mut counts, &options, &settings.csv, pool)?;
    let heads = terms_report(&mut reports, &counts, &options, &settings.csv, pool)?;
    let (mentions, resolving) =
        write_mentions(&mut reports, &settings.csv, MentionSource::parts(parts)?, &mut counts, &places, &options)?;
    // The shards' document rows and kwic lines, all read, as a run writes them.
    let (document_rows, _, kwic_rows) = counts.take_rows();
    let mut repeated = RepeatedIds::default();
    repeated.note(&document_rows);
    if DOCUMENTS.is_written(&options) {
        let meta = options.meta.clone();
        let mut documents = RowStream::report(
            reports.stream(DOCUMENTS.name, &settings.csv)?,
            move |rows: &[DocumentRow]| frames::documents(rows, &meta),
            DocumentRow::place,
        );
        documents.add(document_rows)?;
        documents.finish()?;
    }
    if KWIC.is_written(&options) {
        let mut kwic = RowStream::report(reports.stream(KWIC.name, &settings.csv)?, frames::kwic, KwicRow::place);
        kwic.add(kwic_rows)?;
        kwic.finish()?;
    }
    let mut frames = totals(&counts, &options, pool, made)?;
    let mut reference = None;
    let mut reference_skipped = Vec::new();
    if KEYNESS.is_written(&options) {
        let choice = &whole.choice;
        let actors: Vec<PathBuf> = first_settings.actors.iter().map(PathBuf::from).collect();
        let finder = ActorFinder::with_files(&actors)?;
        let counting = first_settings
            .analysis
            .count_options()
            .map_err(|e| MergeError::Mismatch(format!("the shards' stopwords: {e}")))?;
        let reference_corpus = Reference {
            paths: &settings.reference,
            fields: &first_settings.analysis.fields,
            choice,
            max_document_bytes: first_settings.analysis.max_document_bytes(),
            finder: &finder,
            options: &counting,
        };
        let (df, info, skipped) =
            keyness_against(&counts, &reference_corpus, options.min_documents, pool, reports.scratch_folder())?;
        frames.push((KEYNESS.name, df));
        reference = Some(info);
        reference_skipped = skipped;
    }
    let framed = Instant::now();

    let (skipped, warnings) = gathered(parts, &whole, repeated.warnings());
    let merged_settings = Settings {
        out: settings.out.display().to_string(),
        threads: settings.threads,
        csv_bom: settings.csv.bom,
        sheet_rows,
        formats: settings.formats,
        reference: settings.reference.iter().map(|p| p.display().to_string()).collect(),
        ..whole.settings.clone()
    };
    let manifest = Manifest {
        skipped: skipped.into_iter().map(|(_, s)| s).chain(reference_skipped).collect(),
        warnings: warnings
            .into_iter()
            .map(|(_, w)| w)
            .chain(unseen_fields(&whole.settings.analysis.fields, counts.totals()))
            .collect(),
        // The work that made the parts, and the adding up's own.
        stages: Stages {
            actors_s: whole.work.actors_s + resolving.as_secs_f64(),
            ..adding_up(whole.work, started, processed, framed)
        },
        corpus: whole.corpus,
        reference,
        state: whole.state,
        ..manifest_of(merged_settings, whole.inputs, &counts, mentions)
    };
    pool.install(|| write_reports(reports, &frames, &heads, &settings.csv, manifest, &counts, started))
}

/// Entries by their place in reading order (none: found when listing the files, before all).
type Placed<T> = Vec<(Option<usize>, T)>;

/// The files skipped and the warnings of the whole, in the whole run's order: those found when
/// listing once, then each document's by its place in reading order, with `found`, the warnings
/// found of all the parts' documents (their repeated ids).
fn gathered(parts: &[Part], whole: &Whole, found: Vec<(usize, Warning)>) -> (Placed<Skipped>, Placed<Warning>) {
    let (mut skipped, mut warnings) = (Vec::new(), Vec::new());
    if let Some((listed_skipped, listed_warnings)) = &whole.listed {
        skipped.extend(listed_skipped.iter().map(|s| (None, s.clone())));
        warnings.extend(listed_warnings.iter().map(|w| (None, w.clone())));
    }
    for (k, part) in parts.iter().enumerate() {
        let (m, offset) = (&part.manifest, part.offset);
        let shard = m.shard.as_ref().expect("a part is a shard's tables");
        // What a shard found when listing, every shard found alike; a unit's are its own.
        let listed_here = k == 0 || whole.listed.is_some();
        for (s, at) in m.skipped.iter().zip(&shard.skipped_at) {
            if at.is_some() || listed_here {
                skipped.push((at.map(|at| at + offset), s.clone()));
            }
        }
        for (w, at) in m.warnings.iter().zip(&shard.warnings_at) {
            if at.is_some() || listed_here {
                warnings.push((at.map(|at| at + offset), w.clone()));
            }
        }
    }
    warnings.extend(found.into_iter().map(|(at, w)| (Some(at), w)));
    skipped.sort_by_key(|(at, _)| *at);
    warnings.sort_by_key(|(at, _)| *at);
    (skipped, warnings)
}

/// Writes the sum `counts` of `parts` as the tables of `shard` (and their rows, read from the parts
/// in order), for `tally merge` with the other shards.
fn write_shard(
    parts: &[Part],
    whole: Whole,
    shard: crate::parts::Shard,
    mut counts: Counts,
    settings: &MergeSettings,
    pool: &rayon::ThreadPool,
    started: Instant,
) -> Result<Summary, PipelineError> {
    use crate::parts::tables::{DocumentPart, KwicPart, MentionPart, Table};
    let processed = Instant::now();
    let csv = &settings.csv;
    let mut reports = ReportSet::new(&settings.out, PARTS_FORMATS, is_tally_file)?;
    let (document_rows, _, kwic_rows) = counts.take_rows();
    let mut documents =
        RowStream::report(reports.stream(DocumentPart::FILE, csv)?, parts::documents_frame, DocumentRow::place);
    documents.add(document_rows)?;
    documents.finish()?;
    let mut kwic = RowStream::report(reports.stream(KwicPart::FILE, csv)?, parts::kwic_frame, KwicRow::place);
    kwic.add(kwic_rows)?;
    kwic.finish()?;
    // The parts follow one another in reading order: their rows, one after the other, are in it.
    let mut mentions =
        RowStream::report(reports.stream(MentionPart::FILE, csv)?, parts::mentions_frame, MentionRow::place);
    for mut reader in MentionSource::parts(parts)? {
        let mut rows = Vec::new();
        while let Some(row) = reader.take()? {
            rows.push(row);
            if rows.len() == MERGE_MENTION_ROWS {
                mentions.add(std::mem::take(&mut rows))?;
            }
        }
        mentions.add(rows)?;
    }
    let mentions = mentions.finish()?;
    write_ngram_table(&mut reports, &counts)?;
    let frames = parts::frames(&counts).map_err(crate::report::ReportError::from)?;
    let framed = Instant::now();
    // As any shard's, its repeated ids are said by the merge of all the shards.
    let (skipped, warnings) = gathered(parts, &whole, Vec::new());
    let info = ShardInfo {
        part: shard.part,
        parts: shard.parts,
        format: parts::FORMAT,
        skipped_at: skipped.iter().map(|(at, _)| *at).collect(),
        warnings_at: warnings.iter().map(|(at, _)| *at).collect(),
        items: parts.iter().map(|p| p.offset + p.manifest.shard.as_ref().map_or(0, |s| s.items)).max().unwrap_or(0),
    };
    let shard_settings = Settings { formats: PARTS_FORMATS, ..whole.settings.clone() };
    let manifest = Manifest {
        skipped: skipped.into_iter().map(|(_, s)| s).collect(),
        warnings: warnings.into_iter().map(|(_, w)| w).collect(),
        stages: adding_up(whole.work, started, processed, framed),
        corpus: whole.corpus,
        shard: Some(info),
        state: whole.state,
        ..manifest_of(shard_settings, whole.inputs, &counts, mentions)
    };
    pool.install(|| write_reports(reports, &frames, &[], csv, manifest, &counts, started))
}

/// The stages of a set added up: the work that made the parts, then the adding up's own wall
/// time from `started` to `processed` (the tables) and to `framed` (the frames); writing is
/// timed by the writer.
fn adding_up(work: Stages, started: Instant, processed: Instant, framed: Instant) -> Stages {
    Stages {
        process_s: (processed - started).as_secs_f64(),
        frames_s: (framed - processed).as_secs_f64(),
        write_s: 0.0,
        total_s: 0.0,
        ..work
    }
}
