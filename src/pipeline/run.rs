//! `tally run`: reads, counts and reports a corpus, or one shard of it (`--shard`).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::spool;
use super::{
    check_apart, check_output, corpus_identity, is_tally_file, keyness_against, manifest_of, merge_workers,
    ngram_reports, note_places, nothing_read, process_batch, progress_bar, release_free_memory, setting_digests,
    setting_files, terms_report, thread_pool, totals, unseen_fields, write_mentions, write_ngram_table, write_reports,
    BatchRows, MentionSource, PipelineError, Reference, RowStream, Streams, Summary, Worker, BATCH_BYTES, BATCH_ITEMS,
    PARTS_FORMATS,
};
use crate::actors::ActorFinder;
use crate::config::Config;
use crate::corpus::{self, CorpusError, Skipped};
use crate::count::{DocumentRow, KwicRow, MentionRow, NgramSpill, NGRAM_SHARD_SLOTS};
use crate::frames;
use crate::frames::registry::{DOCUMENTS, KEYNESS, KWIC};
use crate::parts;
use crate::parts::tables::{DocumentPart, KwicPart, MentionPart, Table};
use crate::report::manifest::{Analysis, Settings, ShardInfo, Stages, Warning};
use crate::report::{self, Manifest, ReportError, ReportSet};

/// Runs tally over `config.paths` and writes the reports to `config.out`.
pub fn run(config: &Config) -> Result<Summary, PipelineError> {
    let started = Instant::now();
    for path in config.paths.iter().filter(|p| p.as_os_str() != corpus::STDIN) {
        std::fs::metadata(path).map_err(|source| CorpusError::Input { path: path.clone(), source })?;
    }
    check_apart(&config.paths, &config.out)?;
    check_apart(&config.reference, &config.out)?;
    // Nor the files the settings name: a dictionary made of an earlier run's candidates.csv.
    check_apart(&setting_files(config), &config.out)?;
    check_output(&config.out)?;
    if let Some(state) = &config.state {
        super::state::check_place(config, state)?;
    }
    let pool = thread_pool(config.threads)?;

    let finder = ActorFinder::with_files(&config.actors)?;
    let discovery = corpus::discover(&config.paths, std::slice::from_ref(&config.out), &config.choice)?;
    // A shard may hold none of the documents; a run over files that are all unreadable, or over
    // folders that hold none, has failed.
    if discovery.sources.is_empty() {
        return Err(nothing_read(&config.paths, &discovery.skipped));
    }
    match &config.state {
        Some(state) => super::state::run(config, state, &pool, &finder, discovery, started),
        None => count(config, &pool, &finder, discovery, started, false),
    }
}

/// Reads and counts the documents `discovery` found, and writes the reports of `config` (or a
/// shard's tables) to `config.out`; `started` is when the run started. A `unit` of an incremental
/// run's state is a shard whose mention rows are kept as a spool ([`parts::MENTION_SPOOL`]), which
/// only tally reads, rather than as a table.
pub(super) fn count(
    config: &Config,
    pool: &rayon::ThreadPool,
    finder: &ActorFinder,
    discovery: corpus::Discovery,
    started: Instant,
    unit: bool,
) -> Result<Summary, PipelineError> {
    let discovered = Instant::now();
    let progress = config.progress.then(|| progress_bar(&discovery.sources));

    let csv = &config.csv;
    // A shard writes its partial tables (Parquet) for `tally merge`; a whole run, the reports.
    let formats = if config.shard.is_some() { PARTS_FORMATS } else { config.formats };
    let corpus_identity = corpus_identity(&discovery.sources);
    let mut reports = ReportSet::new(&config.out, formats, is_tally_file)?;
    reports.set_sheet_rows(config.sheet_rows);
    // A run's mentions wait in the spool until its actors are resolved.
    // Named as a temporary file, which a killed run's next run clears.
    // Without any report made of actors, none are looked for and there are no mentions to spool.
    let spool = match config.shard {
        None if !config.counting.no_actors => Some(report::temporary(reports.scratch_folder(), report::SPOOL)),
        _ => None,
    };
    // Dropped before `reports`, whose staging folder it is in, whatever way the run ends.
    let _spool_goes = RemovedOnDrop(spool.clone());
    let streams = match config.shard {
        None => Streams {
            mentions: match &spool {
                Some(path) => {
                    let writer = spool::Writer::create(path)
                        .map_err(|source| PipelineError::Spool { path: path.clone(), source })?;
                    Some(RowStream::new(Box::new(writer), MentionRow::place))
                }
                None => None,
            },
            documents: match DOCUMENTS.is_written(&config.frames) {
                true => Some(RowStream::report(
                    reports.stream(DOCUMENTS.name, csv)?,
                    {
                        let meta = config.frames.meta.clone();
                        move |rows: &[DocumentRow]| frames::documents(rows, &meta)
                    },
                    DocumentRow::place,
                )),
                false => None,
            },
            kwic: match KWIC.is_written(&config.frames) {
                true => Some(RowStream::report(reports.stream(KWIC.name, csv)?, frames::kwic, KwicRow::place)),
                false => None,
            },
        },
        Some(_) => Streams {
            mentions: Some(match unit {
                true => {
                    let path = reports.stage_file(parts::MENTION_SPOOL);
                    let writer =
                        spool::Writer::create(&path).map_err(|source| PipelineError::Spool { path, source })?;
                    RowStream::new(Box::new(writer), MentionRow::place)
                }
                false => {
                    RowStream::report(reports.stream(MentionPart::FILE, csv)?, parts::mentions_frame, MentionRow::place)
                }
            }),
            documents: Some(RowStream::report(
                reports.stream(DocumentPart::FILE, csv)?,
                parts::documents_frame,
                DocumentRow::place,
            )),
            kwic: Some(RowStream::report(reports.stream(KwicPart::FILE, csv)?, parts::kwic_frame, KwicRow::place)),
        },
    };
    // One worker per pool thread, kept across batches: each thread locks only its own.
    // What outgrows the n-gram tables' memory waits on disk beside the reports being staged, as
    // temporary files a killed run's next run clears.
    let spill = NgramSpill {
        bigrams: report::temporary(reports.scratch_folder(), report::BIGRAM_SPILL),
        trigrams: report::temporary(reports.scratch_folder(), report::TRIGRAM_SPILL),
        max_slots: NGRAM_SHARD_SLOTS,
    };
    let workers =
        Worker::each(config.threads, finder, &config.analysis.fields, &config.counting, config.shard, Some(spill));
    let (batch_tx, batch_rx) = mpsc::sync_channel(1);
    let (rows_tx, rows_rx) = mpsc::sync_channel::<BatchRows>(2);
    // Each document's date, by its place in reading order, for the actors counted again.
    let mut places = Vec::new();
    // The thread time the batches offered, working or waiting (see `wait_s`).
    let mut offered = Duration::ZERO;
    // The places in reading order the batches took.
    let mut items = 0;
    let mut repeated = RepeatedIds::default();
    let mentions_spooled = std::thread::scope(|scope| -> Result<u64, PipelineError> {
        scope.spawn(move || {
            let (fields, max) = (config.analysis.fields.clone(), config.analysis.max_document_bytes);
            for batch in corpus::batches(discovery.sources, fields, max, BATCH_ITEMS, BATCH_BYTES) {
                if batch_tx.send(batch).is_err() {
                    break; // the consumer stopped on an error
                }
            }
        });
        // The rows of a batch are written while the pool works on the next one.
        let writer = scope.spawn(move || streams.write(rows_rx));
        for batch in batch_rx {
            offered += process_batch(pool, &workers, &batch);
            items = batch.first_index + batch.items.len();
            let (mut rows, mut bytes) = (BatchRows::default(), 0);
            for worker in &workers {
                let counts = &mut worker.lock().expect("a worker panicked").counts;
                let (mut documents, mut mentions, mut kwic) = counts.take_rows();
                rows.mentions.append(&mut mentions);
                rows.documents.append(&mut documents);
                if spool.is_some() {
                    note_places(&mut places, &rows.documents);
                }
                rows.kwic.append(&mut kwic);
                bytes += counts.bytes();
            }
            // A shard's (or a unit's) are said by the merge of them all, across them too.
            if config.shard.is_none() {
                repeated.note(&rows.documents);
            }
            if let Some(bar) = &progress {
                let mb = bytes as f64 / 1e6;
                bar.set_position((batch.first_index + batch.items.len()) as u64);
                bar.set_message(format!("{mb:.1} MB, {:.1} MB/s", mb / discovered.elapsed().as_secs_f64().max(1e-9)));
            }
            if rows_tx.send(rows).is_err() {
                break; // the writer stopped on an error, which join reports
            }
        }
        drop(rows_tx);
        Ok(writer.join().expect("the mentions writer panicked")?)
    })?;
    // Writing the reports (the workbook above all) takes a while on a large corpus: say so.
    if let Some(bar) = &progress {
        bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg}, {elapsed}").expect("a valid template"));
        bar.set_message(format!("writing the reports to {}", config.out.display()));
        bar.enable_steady_tick(Duration::from_millis(250));
    }
    let processed = Instant::now();

    let total = pool.install(|| merge_workers(workers));
    release_free_memory();
    let Worker { mut counts, mut times, mut skipped, mut warnings, busy, .. } = total;
    let spill_failures = counts.ngram_spill_failures();
    let waited = offered.saturating_sub(busy) + counts.shared_waits();
    skipped.sort_by_key(|(i, _)| *i);
    warnings.extend(repeated.warnings());
    warnings.sort_by_key(|(i, _)| *i);
    if config.shard.is_none() && counts.totals().documents == 0 {
        let all: Vec<Skipped> = discovery.skipped.iter().cloned().chain(skipped.into_iter().map(|(_, s)| s)).collect();
        return Err(nothing_read(&config.paths, &all));
    }
    let (made, heads) = match config.shard {
        None => (
            ngram_reports(&mut reports, &mut counts, &config.frames, csv, pool)?,
            terms_report(&mut reports, &counts, &config.frames, csv, pool)?,
        ),
        Some(_) => (Vec::new(), Vec::new()),
    };
    let mentions_written = match &spool {
        Some(spool) => {
            let sources = vec![MentionSource::spool(spool, 0)];
            let written = write_mentions(&mut reports, csv, sources, &mut counts, &places, &config.frames);
            let _ = std::fs::remove_file(spool);
            let (written, took) = written?;
            times.actors += took;
            written
        }
        None => mentions_spooled,
    };
    let mut frames = match config.shard {
        None => totals(&counts, &config.frames, pool, made)?,
        Some(_) => {
            write_ngram_table(&mut reports, &counts)?;
            parts::frames(&counts).map_err(ReportError::from)?
        }
    };
    let mut reference = None;
    if !config.reference.is_empty() && KEYNESS.is_written(&config.frames) {
        let reference_corpus = Reference {
            paths: &config.reference,
            fields: &config.analysis.fields,
            choice: &config.choice,
            max_document_bytes: config.analysis.max_document_bytes,
            finder,
            options: &config.counting,
        };
        let (df, info, reference_skipped) =
            keyness_against(&counts, &reference_corpus, config.frames.min_documents, pool, reports.scratch_folder())?;
        frames.push((KEYNESS.name, df));
        skipped.extend(reference_skipped.into_iter().map(|s| (usize::MAX, s)));
        reference = Some(info);
    }
    let framed = Instant::now();

    let seconds = |d: Duration| d.as_secs_f64();
    let discovery_skipped = discovery.skipped.len();
    let discovery_warnings = config.warnings.len() + discovery.warnings.len();
    let shard = config.shard.map(|s| ShardInfo {
        part: s.part,
        parts: s.parts,
        format: parts::FORMAT,
        skipped_at: std::iter::repeat_n(None, discovery_skipped).chain(skipped.iter().map(|(i, _)| Some(*i))).collect(),
        warnings_at: std::iter::repeat_n(None, discovery_warnings)
            .chain(warnings.iter().map(|(i, _)| Some(*i)))
            .collect(),
        items,
    });
    let settings = Settings {
        out: config.out.display().to_string(),
        threads: config.threads,
        csv_bom: config.csv.bom,
        sheet_rows: config.sheet_rows,
        formats,
        settings_file: config.settings_file.as_ref().map(|p| p.display().to_string()),
        reference: config.reference.iter().map(|p| p.display().to_string()).collect(),
        actors: config.actors.iter().map(|p| p.display().to_string()).collect(),
        analysis: Analysis { digests: setting_digests(config)?, ..config.analysis.clone() },
    };
    let inputs = config.paths.iter().map(|p| p.display().to_string()).collect();
    let manifest = Manifest {
        skipped: discovery.skipped.into_iter().chain(skipped.into_iter().map(|(_, s)| s)).collect(),
        warnings: config
            .warnings
            .iter()
            .map(|w| Warning { path: "settings".into(), message: w.clone() })
            .chain(discovery.warnings.into_iter().map(|w| Warning { path: w.path, message: w.reason }))
            .chain(warnings.into_iter().map(|(_, w)| w))
            .chain(spill_failures.into_iter().map(|why| Warning {
                path: "n-grams".into(),
                message: format!("kept in memory: what outgrew it could not be written to disk ({why})"),
            }))
            // A shard's documents are some of the corpus's: `tally merge` says it of them all.
            .chain(match config.shard {
                None => unseen_fields(&config.analysis.fields, counts.totals()),
                Some(_) => Vec::new(),
            })
            .collect(),
        stages: Stages {
            discover_s: seconds(discovered - started),
            read_s: seconds(times.read),
            tokenize_s: seconds(times.tokenize),
            actors_s: seconds(times.actors),
            count_s: seconds(times.count),
            wait_s: seconds(waited),
            process_s: seconds(processed - discovered),
            frames_s: seconds(framed - processed),
            write_s: 0.0,
            total_s: 0.0,
        },
        corpus: Some(corpus_identity),
        shard,
        reference,
        ..manifest_of(settings, inputs, &counts, mentions_written)
    };
    let summary = pool.install(|| write_reports(reports, &frames, &heads, csv, manifest, &counts, started))?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    Ok(summary)
}

/// A file removed when this is dropped (the mention spool).
pub(super) struct RemovedOnDrop(pub(super) Option<std::path::PathBuf>);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// How many documents whose id an earlier one has are named, each in a warning of its own.
const REPEATED_IDS_NAMED: usize = 20;

/// The documents whose id an earlier document of the run has (an id field that is no id, the same
/// ids in several files), whose rows in `documents` and `mentions` could not be told apart: each
/// id known by a 64-bit hash (8 bytes a document).
#[derive(Default)]
pub(super) struct RepeatedIds {
    seen: std::collections::HashSet<u64, foldhash::fast::RandomState>,
    /// The first repeated, by place in reading order, and the id.
    named: Vec<(usize, String)>,
    /// All repeated, and the place of the first not named.
    count: usize,
    more_at: usize,
}

impl RepeatedIds {
    /// Notes the ids of `rows`, the documents of a batch (after those of the batches before it),
    /// in reading order: the later of two is the repeat, whatever the threads.
    pub(super) fn note(&mut self, rows: &[DocumentRow]) {
        let mut ids: Vec<(usize, &str)> = rows.iter().map(|r| (r.index, r.doc.as_str())).collect();
        ids.sort_unstable();
        for (index, id) in ids {
            if !self.seen.insert(crate::hashing::fnv1a(id.as_bytes())) {
                self.count += 1;
                match self.named.len() < REPEATED_IDS_NAMED {
                    true => self.named.push((index, id.to_string())),
                    false if self.count == REPEATED_IDS_NAMED + 1 => self.more_at = index,
                    false => {}
                }
            }
        }
    }

    /// A warning for each id named, and one for the rest, at their places.
    pub(super) fn warnings(self) -> Vec<(usize, Warning)> {
        let mut said: Vec<(usize, Warning)> = self
            .named
            .into_iter()
            .map(|(at, id)| (at, Warning { path: id, message: REPEATED_ID.to_string() }))
            .collect();
        if self.count > REPEATED_IDS_NAMED {
            let more = self.count - REPEATED_IDS_NAMED;
            let message = format!("{more} more documents have the id of an earlier one");
            said.push((self.more_at, Warning { path: "documents".into(), message }));
        }
        said
    }
}

/// What is said of a document whose id an earlier one has.
const REPEATED_ID: &str = "the id of an earlier document: the rows of `documents` and `mentions` with it are several \
                           documents' (an id field that is no id? --id-field names the one to use)";
