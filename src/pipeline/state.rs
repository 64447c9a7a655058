//! Incremental runs (`tally run --state DIR`): a corpus that grows is counted once, then only what
//! changed.
//!
//! The corpus's files, in reading order, are cut into units: each file of documents (JSON Lines,
//! CSV, TSV, Parquet) is one, and document files follow one another in a unit until it holds
//! [`UNIT_BYTES`] and a file whose id hashes to a cut ends it ([`units`]). The cut depends on the
//! files' own names, so a file added or removed moves only the cuts near it. Each unit's counts are
//! kept in `DIR/units/` as the tables of a shard (the [`crate::parts`] layout, with its manifest),
//! counted as a shard is, its mention rows as a spool; a later run with the same DIR counts only the
//! units whose files are new or changed, drops the tables of units that are gone, and adds the
//! units' tables up in reading order as `tally merge` adds shards. The state keeps that sum for
//! every unit but the last ([`Sum`]): a run whose first units are the ones it adds up, with the
//! tables it added up, reads it instead of their tables. What is computed over the whole corpus
//! (actors resolved across documents, keyness, dispersion, every rank and cap) is computed from the
//! sum, so the reports are those of a run over the whole corpus, byte for byte.
//!
//! A unit is known by the SHA-256 of its files' ids, sizes and modification times (its key); when
//! only the times changed (a copy, a checkout), by the SHA-256 of the files' content, taken when it
//! was counted. `state.json` records what decided the counts (the settings, the digests of the
//! dictionaries, the version and build of tally): a run with others starts over and says why.
//!
//! Safe under a stop at any moment: a unit's tables are written whole or not at all (a report set,
//! staged and swapped in), `state.json` is replaced whole once every unit it names is in place, and
//! a unit whose tables are not the files its manifest lists (by size and SHA-256) is counted again,
//! never trusted; so is a sum, which is also left unread when a unit it adds up has other tables. Only one run uses a state at a time (a lock on `DIR/state.lock`).

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use sha2::Digest;

use super::merge::{add_up, sum_of, MergeSettings, Part, Piece, Whole};
use super::{
    corpus_identity, is_tally_file, manifest_of, setting_digests, write_ngram_table, PipelineError, Summary,
    PARTS_FORMATS,
};
use crate::actors::ActorFinder;
use crate::config::Config;
use crate::corpus::{self, Discovery, Format, Source};
use crate::count::Counts;
use crate::parts::{self, Shard};
use crate::report::manifest::{Analysis, Settings, ShardInfo, Stages, StateInfo, Warning};
use crate::report::{self, Manifest};

/// The state's listing of its units, in the state folder.
const STATE_FILE: &str = "state.json";
/// The file a run holds locked while it uses the state.
const LOCK_FILE: &str = "state.lock";
/// The folder of the units' tables, in the state folder.
const UNITS: &str = "units";
/// The layout of the state, one more each time it changes meaning: a state of another layout is
/// started over.
const FORMAT: u32 = 2;

/// The bytes of document files a unit holds, on average: a unit ends after a file with a chance of
/// the file's bytes in this many, told by a hash of the file's id ([`ends_a_unit`]).
const UNIT_BYTES: u64 = 4 << 20;
/// Bytes of document files no unit goes past.
const UNIT_MAX_BYTES: u64 = 64 << 20;

/// What a state folder records.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct StateFile {
    /// `tally`.
    program: String,
    /// The state's layout ([`FORMAT`]).
    format: u32,
    /// What decided the units' counts: the settings, the dictionaries' digests, tally's version
    /// and build ([`decided_by`]).
    settings: serde_json::Map<String, serde_json::Value>,
    /// The units, in the reading order of the run that wrote it.
    units: Vec<Unit>,
    /// The sum of the first units' tables, when one is kept.
    #[serde(default)]
    sum: Option<Sum>,
}

/// The tables of counts of the first units of a state added up (their rows stay in the units): a
/// run after units are added reads the sum and the new units, not every unit.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Sum {
    /// Its folder in `units/`.
    folder: String,
    /// The units it adds up, the first units of the state in reading order.
    units: Vec<Summed>,
}

/// A unit a sum adds up.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Summed {
    /// Its folder in `units/`.
    folder: String,
    /// The signature of its tables (its manifest's): a unit counted again since, into the same
    /// folder, is not the one added up.
    signature: String,
}

/// One unit of the corpus whose tables the state holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Unit {
    /// The SHA-256 of its files' ids, sizes and modification times.
    key: String,
    /// The SHA-256 of its files' ids and sizes: where to look when only the times changed.
    shape: String,
    /// The SHA-256 of its files' ids and content when it was counted; none when a file changed
    /// while it was counted.
    content: Option<String>,
    /// Its folder in `units/`.
    folder: String,
    /// The places in reading order it takes (documents, records and files that were not read).
    items: usize,
    /// The seconds counting it took.
    seconds: f64,
}

/// Where the state of `shard` is kept in the state folder `state`: a folder of its own for each
/// shard (`shard-K-of-N`), so the shards of one corpus may share it.
fn folder_of(state: &Path, shard: Option<Shard>) -> std::path::PathBuf {
    match shard {
        Some(s) => state.join(format!("shard-{}-of-{}", s.part, s.parts)),
        None => state.to_path_buf(),
    }
}

/// Whether `name` is a shard's folder in a state folder ([`folder_of`]).
fn is_shard_folder(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("shard-") else { return false };
    rest.split_once("-of-").is_some_and(|(k, n)| k.parse::<u32>().is_ok() && n.parse::<u32>().is_ok())
}

/// Refuses a state folder tally cannot keep its units in: a file, a folder of other files, or
/// one that holds an input or the output folder or lies in one.
pub(super) fn check_place(config: &Config, state: &Path) -> Result<(), PipelineError> {
    if config.shard.is_some() {
        check_folder(state, &|name| is_shard_folder(name))?;
    }
    check_folder(&folder_of(state, config.shard), &|name| {
        [STATE_FILE, LOCK_FILE, UNITS].contains(&name) || name.starts_with(".state.json.") || is_shard_folder(name)
    })?;
    check_apart_from(config, state)
}

/// Refuses a state folder that is a file or holds entries tally did not write there (`ours` says
/// which names are tally's).
fn check_folder(state: &Path, ours: &dyn Fn(&str) -> bool) -> Result<(), PipelineError> {
    let refuse = |why: String| Err(PipelineError::State { path: state.to_path_buf(), why });
    if state.exists() && !state.is_dir() {
        return refuse("a file is there: --state names a folder".into());
    }
    let not_ours = |what: String| {
        refuse(format!(
            "it holds {what}, which is no part of a state: give a new or empty folder, or the one an earlier run \
             kept its state in"
        ))
    };
    if let Ok(entries) = fs::read_dir(state) {
        let names: Vec<String> =
            entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into()).collect();
        if names.iter().any(|n| n == "manifest.json") && !ours("manifest.json") {
            return refuse(
                "it holds reports (manifest.json): --state names a folder of its own, not a run's --out; give a \
                 new or empty folder, or the one an earlier run kept its state in"
                    .into(),
            );
        }
        if let Some(other) = names.iter().find(|n| !ours(n)) {
            return not_ours(other.clone());
        }
    }
    let file = state.join(STATE_FILE);
    if fs::symlink_metadata(&file).is_ok() && !is_tally_state(&file) {
        return refuse(format!(
            "its {STATE_FILE} is not tally's state (a file of yours, or damaged): move it away to start the state over"
        ));
    }
    let units = state.join(UNITS);
    if fs::symlink_metadata(&units).is_ok() && !units.is_dir() {
        return not_ours(format!("{UNITS}, a file where tally keeps a folder"));
    }
    // In `units/`, only the units' folders (32 hexadecimal digits) and their staging folders.
    if let Ok(entries) = fs::read_dir(&units) {
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_unit_name(&name) {
                return not_ours(format!("{UNITS}/{name}"));
            }
        }
    }
    Ok(())
}

/// Refuses a state folder that holds an input or the output folder, or lies in one.
fn check_apart_from(config: &Config, state: &Path) -> Result<(), PipelineError> {
    let refuse = |why: String| Err(PipelineError::State { path: state.to_path_buf(), why });
    let at = report::resolve_path(state);
    for input in config.paths.iter().chain(&config.reference).filter(|p| p.as_os_str() != corpus::STDIN) {
        let input_at = report::resolve_path(input);
        if input_at.starts_with(&at) || at.starts_with(&input_at) {
            return refuse(format!(
                "it holds the input {} or lies in it: its tables would be read as documents; give another folder",
                input.display()
            ));
        }
    }
    let out_at = report::resolve_path(&config.out);
    if out_at.starts_with(&at) || at.starts_with(&out_at) {
        return refuse(format!(
            "it holds the output folder {} or lies in it: give them folders apart",
            config.out.display()
        ));
    }
    Ok(())
}

/// Whether `name` is one tally gives a unit's folder in `units/`, or the folder it stages one in.
fn is_unit_name(name: &str) -> bool {
    let hex = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match name.strip_prefix('.').and_then(|rest| rest.split_once(".tally-")) {
        Some((unit, pid)) => hex(unit) && pid.parse::<u32>().is_ok(),
        None => hex(name),
    }
}

/// Whether the file at `path` is a state tally wrote: JSON whose `program` is tally (of whatever
/// layout: another version's is started over, not refused).
fn is_tally_state(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else { return false };
    serde_json::from_str::<serde_json::Value>(&text)
        .is_ok_and(|v| v.get("program").and_then(|p| p.as_str()) == Some(env!("CARGO_PKG_NAME")))
}

/// `tally run --state DIR`: counts the units of `discovery` the state does not hold, keeps them in
/// it, drops those gone from the corpus, and writes the reports of the whole corpus.
pub(super) fn run(
    config: &Config,
    state: &Path,
    pool: &rayon::ThreadPool,
    finder: &ActorFinder,
    discovery: Discovery,
    started: Instant,
) -> Result<Summary, PipelineError> {
    let state = &folder_of(state, config.shard);
    let failed = |doing: &'static str| {
        move |e: std::io::Error| PipelineError::State { path: state.to_path_buf(), why: format!("{doing}: {e}") }
    };
    let units_dir = state.join(UNITS);
    fs::create_dir_all(&units_dir).map_err(failed("cannot make its folder of units"))?;
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(state.join(LOCK_FILE))
        .map_err(failed("cannot open its lock file"))?;
    // A file system that cannot lock files (some network ones) leaves the state unguarded.
    if let Err(fs::TryLockError::WouldBlock) = lock.try_lock() {
        return Err(PipelineError::State {
            path: state.to_path_buf(),
            why: "another tally run is using it: wait for it to end".into(),
        });
    }
    let digests = setting_digests(config)?;
    let analysis = Analysis { digests, ..config.analysis.clone() };
    let decided = decided_by(&analysis).map_err(failed("cannot read tally's own program file"))?;
    let settings_digest = digest_of(&decided);
    let old = read_state(state).map_err(|why| PipelineError::State { path: state.to_path_buf(), why })?;
    let old_units = old.as_ref().map_or(0, |old| old.units.len());
    let (known, old_sum, started_over) = match old {
        None => (Vec::new(), None, None),
        Some(old) => match differs(&old, &decided) {
            None => (old.units, old.sum, None),
            Some(why) => (Vec::new(), None, Some(why)),
        },
    };
    let discovered = Instant::now();

    // Each unit of the corpus: kept from the state, or to count. A unit of a shard's state holds
    // that shard's documents.
    let shard = config.shard.unwrap_or(Shard { part: 1, parts: 1 });
    let sources = &discovery.sources;
    let ranges = units(sources);
    let by_key: HashMap<&str, &Unit> = known.iter().map(|u| (u.key.as_str(), u)).collect();
    let by_shape: HashMap<&str, &Unit> = known.iter().map(|u| (u.shape.as_str(), u)).collect();
    let found: Vec<Option<(Unit, Manifest)>> = pool.install(|| {
        ranges
            .par_iter()
            .map(|range| {
                let files = &sources[range.clone()];
                let key = key_of(files, true);
                let kept = match by_key.get(key.as_str()) {
                    Some(&unit) => Some(unit.clone()),
                    // Only the times changed: the same content is the same unit.
                    None => by_shape
                        .get(key_of(files, false).as_str())
                        .filter(|unit| unit.content.is_some() && unit.content == content_of(files))
                        .map(|&unit| Unit { key, ..unit.clone() }),
                };
                kept.and_then(|unit| {
                    let manifest = intact(&units_dir.join(&unit.folder), files, &analysis, shard)?;
                    // Its places in reading order as its own tables record them.
                    (manifest.shard.as_ref()?.items == unit.items).then_some((unit, manifest))
                })
            })
            .collect()
    });
    let to_count = found.iter().filter(|f| f.is_none()).count();
    if !config.quiet && to_count > 0 {
        eprintln!("tally: {}: {} of {} units of the corpus to count", state.display(), to_count, ranges.len());
    }
    let mut kept: Vec<(Unit, Manifest)> = Vec::with_capacity(ranges.len());
    let mut work = Stages { discover_s: (discovered - started).as_secs_f64(), ..Stages::default() };
    let mut saved = 0.0;
    for (range, found) in ranges.iter().zip(found) {
        match found {
            Some((unit, manifest)) => {
                saved += unit.seconds;
                kept.push((unit, manifest));
            }
            None => {
                let files = &sources[range.clone()];
                let (unit, manifest) = count_unit(config, &units_dir, files, &settings_digest, pool, finder)?;
                work.add_work(&manifest.stages);
                kept.push((unit, manifest));
            }
        }
    }

    // The sum kept, when it adds up units still at the head of the corpus, unchanged and whole.
    let sum = old_sum.filter(|sum| {
        is_unit_name(&sum.folder)
            && !sum.units.is_empty()
            && sum.units.len() <= kept.len()
            && sum.units.iter().zip(&kept).all(|(summed, (unit, manifest))| {
                summed.folder == unit.folder && summed.signature == manifest.signature
            })
            && intact(&units_dir.join(&sum.folder), &sources[..ranges[sum.units.len() - 1].end], &analysis, shard)
                .is_some()
    });

    // The state names its units once they are all in place; then those it no longer names go.
    let mut file = StateFile {
        program: env!("CARGO_PKG_NAME").into(),
        format: FORMAT,
        settings: decided,
        units: kept.iter().map(|(unit, _)| unit.clone()).collect(),
        sum,
    };
    write_state(state, &file).map_err(failed("cannot write its state.json"))?;
    let folders: std::collections::HashSet<&str> = file.units.iter().map(|u| u.folder.as_str()).collect();
    let dropped = match started_over {
        Some(_) => old_units,
        None => known.iter().filter(|u| !folders.contains(u.folder.as_str())).count(),
    };
    remove_unnamed(&units_dir, &file).map_err(failed("cannot read its folder of units"))?;

    let mut offset = 0;
    let parts: Vec<Part> = kept
        .into_iter()
        .map(|(unit, manifest)| {
            let part = Part { dir: units_dir.join(&unit.folder), offset, manifest };
            offset += unit.items;
            part
        })
        .collect();
    let mut sum_failed = None;
    // The units' tables: the sum's, where one is kept, then each unit's after those it adds up. Every
    // unit but the last is added up into a new sum for the next run, when the sum kept leaves out more
    // than the last (the unit files added after the last one join).
    let summed = file.sum.as_ref().map_or(0, |sum| sum.units.len());
    let sum_dir = file.sum.as_ref().map(|sum| units_dir.join(&sum.folder));
    let pieces: Vec<Piece> = sum_dir
        .as_deref()
        .map(Piece::Tables)
        .into_iter()
        .chain(parts[..summed].iter().map(Piece::Rows))
        .chain(parts[summed..].iter().map(Piece::Whole))
        .collect();
    let (but_last, last) = pieces.split_at(pieces.len().saturating_sub(1));
    let counts = pool.install(|| sum_of(Counts::default(), but_last))?;
    if summed + 1 < parts.len() {
        let units: Vec<Summed> = (file.units.iter().zip(&parts))
            .map(|(unit, part)| Summed { folder: unit.folder.clone(), signature: part.manifest.signature.clone() })
            .take(parts.len() - 1)
            .collect();
        let folder = digest_of(&(&units, &settings_digest))[..32].to_string();
        let files = &sources[..ranges[parts.len() - 2].end];
        // The sum only saves the next run time: a sum that cannot be written is said, and the run
        // goes on without it.
        match write_sum(&units_dir.join(&folder), &counts, files, &analysis, shard, pool) {
            Ok(()) => file.sum = Some(Sum { folder, units }),
            Err(e) => {
                sum_failed = Some(Warning {
                    path: units_dir.join(&folder).display().to_string(),
                    message: format!(
                        "the sum of the state's units could not be written ({e}): the next run reads the sum it \
                         had before, if any, else every unit"
                    ),
                })
            }
        }
        write_state(state, &file).map_err(failed("cannot write its state.json"))?;
        remove_unnamed(&units_dir, &file).map_err(failed("cannot read its folder of units"))?;
    }
    let counts = pool.install(|| sum_of(counts, last))?;
    let info = StateInfo {
        path: state.display().to_string(),
        reused: (parts.len() - to_count) as u64,
        counted: to_count as u64,
        dropped: dropped as u64,
        summed: summed as u64,
        started_over,
        saved_s: saved,
        bytes: size_of(state),
    };
    let whole = Whole {
        settings: Settings {
            out: config.out.display().to_string(),
            threads: config.threads,
            csv_bom: config.csv.bom,
            sheet_rows: config.sheet_rows,
            formats: config.formats,
            settings_file: config.settings_file.as_ref().map(|p| p.display().to_string()),
            reference: config.reference.iter().map(|p| p.display().to_string()).collect(),
            actors: config.actors.iter().map(|p| p.display().to_string()).collect(),
            analysis,
        },
        inputs: config.paths.iter().map(|p| p.display().to_string()).collect(),
        corpus: Some(corpus_identity(sources)),
        listed: Some((
            discovery.skipped,
            config
                .warnings
                .iter()
                .map(|w| Warning { path: "settings".into(), message: w.clone() })
                .chain(discovery.warnings.into_iter().map(|w| Warning { path: w.path, message: w.reason }))
                .chain(sum_failed)
                .collect(),
        )),
        work,
        state: Some(info),
        choice: config.choice.clone(),
        shard: config.shard,
    };
    let settings = MergeSettings {
        parts: Vec::new(),
        out: config.out.clone(),
        threads: config.threads,
        formats: config.formats,
        csv: config.csv.clone(),
        sheet_rows: Some(config.sheet_rows),
        reference: config.reference.clone(),
    };
    let summary = add_up(&parts, whole, counts, &settings, pool, started);
    drop(lock);
    summary
}

/// Makes `dir`, in `units/`, a new empty folder, whatever was there under its name.
fn empty_folder(dir: &Path) -> Result<(), PipelineError> {
    let emptied = match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(dir),
        Ok(_) => fs::remove_file(dir),
        Err(_) => Ok(()),
    };
    emptied
        .and_then(|()| fs::create_dir_all(dir))
        .map_err(|e| PipelineError::State { path: dir.to_path_buf(), why: e.to_string() })
}

/// Removes from `units_dir` what tally names as it names units (a stopped run's staging folder
/// among them) and the state `file` does not name.
fn remove_unnamed(units_dir: &Path, file: &StateFile) -> std::io::Result<()> {
    let named: std::collections::HashSet<&str> =
        file.units.iter().map(|u| u.folder.as_str()).chain(file.sum.iter().map(|s| s.folder.as_str())).collect();
    for entry in fs::read_dir(units_dir)?.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_unit_name(&name) && !named.contains(name.as_str()) {
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
    }
    Ok(())
}

/// Writes `counts`, the sum of the tables of every unit of the corpus of `files`, into `dir` as a
/// shard's tables without its rows, whole or not at all.
fn write_sum(
    dir: &Path,
    counts: &Counts,
    files: &[Source],
    analysis: &Analysis,
    shard: Shard,
    pool: &rayon::ThreadPool,
) -> Result<(), PipelineError> {
    // A folder of that name is one a run stopped in, or damaged: nothing of it is kept.
    empty_folder(dir)?;
    let mut tables = report::ReportSet::new(dir, PARTS_FORMATS, is_tally_file)?;
    pool.install(|| write_ngram_table(&mut tables, counts))?;
    let frames = parts::frames(counts).map_err(report::ReportError::from)?;
    let settings = Settings { formats: PARTS_FORMATS, analysis: analysis.clone(), ..Settings::default() };
    let mut manifest = Manifest {
        corpus: Some(corpus_identity(files)),
        shard: Some(ShardInfo {
            part: shard.part,
            parts: shard.parts,
            format: parts::FORMAT,
            skipped_at: Vec::new(),
            warnings_at: Vec::new(),
            items: 0,
        }),
        ..manifest_of(settings, Vec::new(), counts, 0)
    };
    pool.install(|| -> Result<(), report::ReportError> {
        tables.add_frames(&frames, &report::CsvOptions::default())?;
        tables.add_manifest(&mut manifest)?;
        tables.commit().map(|_| ())
    })?;
    Ok(())
}

/// Counts the unit of `files` as a shard's tables in a folder of `units_dir`, named for the files'
/// key and the digest of the settings that decide the counts: counts made otherwise (by a run
/// stopped before it named them) are never in a folder a state names.
fn count_unit(
    config: &Config,
    units_dir: &Path,
    files: &[Source],
    settings_digest: &str,
    pool: &rayon::ThreadPool,
    finder: &ActorFinder,
) -> Result<(Unit, Manifest), PipelineError> {
    let key = key_of(files, true);
    let folder = digest_of(&format!("{key}\t{settings_digest}"))[..32].to_string();
    let out = units_dir.join(&folder);
    // A unit counted again is one whose tables were damaged: nothing of them is kept.
    empty_folder(&out)?;
    let unit_config = Config {
        out,
        // A unit of one shard's state holds that shard's documents.
        shard: Some(config.shard.unwrap_or(Shard { part: 1, parts: 1 })),
        state: None,
        reference: Vec::new(),
        progress: false,
        warnings: Vec::new(),
        ..config.clone()
    };
    let discovery = Discovery { sources: files.to_vec(), ..Discovery::default() };
    let started = Instant::now();
    let summary = super::run::count(&unit_config, pool, finder, discovery, started, true)?;
    let seconds = started.elapsed().as_secs_f64();
    let manifest = summary.manifest;
    let items = manifest.shard.as_ref().map_or(0, |s| s.items);
    // The content as counted: a file changed since it was listed gives none.
    let content = content_of(files).filter(|_| files.iter().all(unchanged));
    let unit = Unit { key, shape: key_of(files, false), content, folder, items, seconds };
    Ok((unit, manifest))
}

/// The units of `sources`, as ranges of them in reading order (see the module's documentation).
fn units(sources: &[Source]) -> Vec<Range<usize>> {
    let mut units = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, source) in sources.iter().enumerate() {
        if source.format != Format::Text {
            if start < i {
                units.push(start..i);
            }
            units.push(i..i + 1);
            (start, bytes) = (i + 1, 0);
            continue;
        }
        bytes += source.bytes.unwrap_or(0);
        if ends_a_unit(source) || bytes >= UNIT_MAX_BYTES {
            units.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < sources.len() {
        units.push(start..sources.len());
    }
    units
}

/// Whether a unit of document files ends after `file`: a chance of its bytes in [`UNIT_BYTES`], by
/// its id alone, so that no file moves a cut but its own (a cut that depended on the bytes since the
/// last cut would move every cut after a file added).
fn ends_a_unit(file: &Source) -> bool {
    // The id's hash, mixed, as 24 bits: under the file's bytes in 2^24 / UNIT_BYTES.
    let mixed = crate::hashing::fnv1a(file.id.as_bytes()).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    mixed < file.bytes.unwrap_or(0).saturating_mul((1 << 24) / UNIT_BYTES)
}

/// The SHA-256 of the files' ids, formats and sizes, and with `times` their modification times.
fn key_of(files: &[Source], times: bool) -> String {
    let mut hasher = sha2::Sha256::new();
    for file in files {
        let modified = match times {
            true => file.modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_nanos()),
            false => None,
        };
        let line =
            format!("{}\t{:?}\t{:?}\t{:?}\t{:?}\n", file.id, file.format, file.compression, file.bytes, modified);
        hasher.update(line.as_bytes());
    }
    report::hex(&hasher.finalize())
}

/// The SHA-256 of the files' ids and content; none when one cannot be read.
fn content_of(files: &[Source]) -> Option<String> {
    let mut hasher = sha2::Sha256::new();
    for file in files {
        let (bytes, sha256) = report::digest_file(&file.path).ok()?;
        hasher.update(format!("{}\t{bytes}\t{sha256}\n", file.id).as_bytes());
    }
    Some(report::hex(&hasher.finalize()))
}

/// Whether `file` has the size and modification time it was listed with.
fn unchanged(file: &Source) -> bool {
    fs::metadata(&file.path).is_ok_and(|m| Some(m.len()) == file.bytes && m.modified().ok() == file.modified)
}

/// The manifest of the unit of `files` in `dir` when its tables are whole and its own: the `shard`'s,
/// of this layout, over these files (their ids and sizes), counted with the settings of `analysis` by
/// this version, whose tables are the files its manifest lists.
fn intact(dir: &Path, files: &[Source], analysis: &Analysis, shard: Shard) -> Option<Manifest> {
    let manifest = parts::read_manifest(dir).ok()?;
    let info = manifest.shard.as_ref()?;
    if info.format != parts::FORMAT
        || (info.part, info.parts) != (shard.part, shard.parts)
        || manifest.corpus.as_ref() != Some(&corpus_identity(files))
        || parts::settings_of(&manifest.settings.analysis, &manifest.version)
            != parts::settings_of(analysis, env!("CARGO_PKG_VERSION"))
    {
        return None;
    }
    let listed = [(dir.to_path_buf(), manifest)];
    parts::check_intact(&listed).ok()?;
    let [(_, manifest)] = listed;
    Some(manifest)
}

/// What decides the units' counts: the settings of `analysis` (with the dictionaries' digests),
/// tally's version, the layout of the units' tables, and the build of tally (its size and time),
/// so a state counted by another build is never trusted.
fn decided_by(analysis: &Analysis) -> std::io::Result<serde_json::Map<String, serde_json::Value>> {
    let mut settings = parts::settings_of(analysis, env!("CARGO_PKG_VERSION"));
    settings.insert("tables".into(), parts::FORMAT.into());
    // The program's own SHA-256: the same build copied elsewhere is the same.
    let (_, build) = report::digest_file(&std::env::current_exe()?)?;
    settings.insert("build".into(), build.into());
    Ok(settings)
}

/// The SHA-256 of `value` as JSON, in hexadecimal.
fn digest_of(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).expect("settings make JSON");
    report::hex(&sha2::Sha256::digest(json.as_bytes()))
}

/// Why a state recorded as `old` cannot be kept by a run whose counts `decided` decides, if it
/// cannot.
fn differs(old: &StateFile, decided: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    if old.format != FORMAT {
        return Some(format!("it was kept in layout {}, where this tally keeps layout {FORMAT}", old.format));
    }
    let keys = decided.keys().chain(old.settings.keys());
    let key = keys.into_iter().find(|key| decided.get(*key) != old.settings.get(*key))?;
    let what = match key.as_str() {
        "build" => "the build of tally".to_string(),
        "tables" => "the layout of the units' tables".to_string(),
        _ => parts::setting_in_words(key),
    };
    Some(format!("{what} changed since it was kept"))
}

/// The state recorded in `state`: none in a new folder; one of no units, of layout 0, when its
/// `state.json` is tally's in a layout this tally does not read (started over, as [`differs`] says);
/// why it cannot be read, when it cannot.
fn read_state(state: &Path) -> Result<Option<StateFile>, String> {
    let path = state.join(STATE_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("its {STATE_FILE} cannot be read: {e}")),
    };
    match serde_json::from_str::<StateFile>(&text) {
        Ok(file) if file.program == env!("CARGO_PKG_NAME") => Ok(Some(file)),
        _ if is_tally_state(&path) => Ok(Some(StateFile {
            program: env!("CARGO_PKG_NAME").into(),
            format: 0,
            settings: serde_json::Map::new(),
            units: Vec::new(),
            sum: None,
        })),
        _ => Err(format!("its {STATE_FILE} is not tally's state: move it away to start the state over")),
    }
}

/// Replaces `state.json` in `state` whole: written beside it, flushed to disk, then renamed over it.
fn write_state(state: &Path, file: &StateFile) -> std::io::Result<()> {
    let path = state.join(STATE_FILE);
    let staged = state.join(format!(".{STATE_FILE}.{}", std::process::id()));
    let mut out = fs::File::create(&staged)?;
    out.write_all(serde_json::to_string(file).map_err(std::io::Error::other)?.as_bytes())?;
    out.sync_all()?;
    fs::rename(&staged, &path)?;
    if let Ok(folder) = fs::File::open(state) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// The bytes of the files under `path`.
fn size_of(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn text(id: &str, bytes: u64) -> Source {
        Source {
            path: PathBuf::from(id),
            id: id.into(),
            format: Format::Text,
            compression: corpus::Compression::None,
            bytes: Some(bytes),
            modified: None,
        }
    }

    #[test]
    fn units_are_files_of_documents_and_runs_of_document_files_cut_by_their_names() {
        let mut sources: Vec<Source> = (0..4000).map(|i| text(&format!("a/{i:05}.txt"), 10_000)).collect();
        sources.insert(1000, Source { format: Format::JsonLines, ..text("a/b.jsonl", 1 << 30) });
        let cut = units(&sources);
        // Every file in one unit, in order.
        assert_eq!(cut.first().unwrap().start, 0);
        assert_eq!(cut.last().unwrap().end, sources.len());
        assert!(cut.windows(2).all(|w| w[0].end == w[1].start));
        assert!(cut.contains(&(1000..1001)), "a file of documents is a unit of its own");
        for range in &cut {
            let bytes: u64 = sources[range.clone()].iter().map(|s| s.bytes.unwrap()).sum();
            let text = sources[range.clone()].iter().all(|s| s.format == Format::Text);
            assert!(!text || bytes <= UNIT_MAX_BYTES, "{range:?}: {bytes}");
            // A unit of document files ends at a cut, at the end, or before a file of documents.
            let last = &sources[range.end - 1];
            assert!(
                !text
                    || range.end == sources.len()
                    || range.end == 1000
                    || bytes >= UNIT_MAX_BYTES
                    || ends_a_unit(last),
                "{range:?}"
            );
        }
        // About UNIT_BYTES a unit: 40 MB of document files in 5 to 20 units.
        assert!((6..=22).contains(&cut.len()), "{} units", cut.len());
        // A file added, small or large, or one removed, far from the end, changes the unit it is in
        // (and a large one may end it) and no other.
        let ids = |sources: &[Source]| -> Vec<String> {
            units(sources).iter().map(|r| key_of(&sources[r.clone()], true)).collect()
        };
        let before = ids(&sources);
        for change in 0..3 {
            let mut changed = sources.clone();
            match change {
                0 => changed.insert(2500, text("a/02500x.txt", 10_000)),
                1 => changed.insert(30, text("a/00030x.txt", 3 << 20)),
                _ => drop(changed.remove(200)),
            }
            let after = ids(&changed);
            let new = after.iter().filter(|k| !before.contains(k)).count();
            assert!(new <= 2, "change {change}: {new} of {} units new", after.len());
        }
    }
}
