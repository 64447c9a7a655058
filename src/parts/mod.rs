//! Scale-out: one shard of a corpus counted on its own (`tally run --shard K/N`), its counts written
//! as plain Parquet tables, and `tally merge` adding the shards' tables back into the reports a
//! single run over the whole corpus writes, byte for byte.
//!
//! A document belongs to shard `1 + h mod N`, `h` the 64-bit FNV-1a hash of its id's UTF-8 bytes
//! (stable across machines and versions). Every shard lists the whole corpus, so each document keeps
//! its place in reading order, which orders the merged `documents` and `mentions` rows.
//!
//! The partial tables are sums, minima and maxima of rows, so any Parquet engine can reduce them;
//! each is declared once, with its columns, in [`tables`].
//!
//! `manifest.json` beside them is the shard's manifest, with its place (`shard`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;

use crate::actors::{Form, Kind, Mention, Origin};
use crate::count::{
    ActorKey, ActorStat, Context, Counts, DocumentRow, KwicRow, MentionRow, NgramStat, PeriodStat, TermStat,
};
use crate::report::Manifest;

pub mod tables;

use tables::Cell;
pub use tables::Table;
use tables::{
    ActorPart, AliasPart, CodePart, DocumentPart, GroupTermPart, KwicPart, MentionPart, NgramPart, StemPart, TermPart,
    TermPartPart, TermPeriodPart,
};

/// `--shard K/N`: the K-th of N parts of the corpus, K from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Shard {
    /// K.
    pub part: u32,
    /// N.
    pub parts: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not K/N with 1 <= K <= N (e.g. 2/8)");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (part, parts): (u32, u32) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if part == 0 || part > parts {
            return Err(bad());
        }
        Ok(Shard { part, parts })
    }
}

impl TryFrom<String> for Shard {
    type Error = String;

    fn try_from(text: String) -> Result<Shard, String> {
        text.parse()
    }
}

impl Shard {
    /// Whether the document with id `id` belongs to this shard.
    pub fn holds(&self, id: &str) -> bool {
        (crate::hashing::fnv1a(id.as_bytes()) % u64::from(self.parts)) as u32 + 1 == self.part
    }
}

/// The shard's n-gram table of `counts`, `rows` rows a table: the largest of its tables, streamed,
/// each n-gram's words joined in one buffer rather than as a row of their own.
pub fn ngram_frames(counts: &Counts, rows: usize) -> impl Iterator<Item = PolarsResult<DataFrame>> + '_ {
    assert!(counts.is_settled(), "counts are settled before they are written");
    let mut ngrams = (counts.bigrams().iter().map(|([a, b], s)| ([a, b, 0], 2, s)))
        .chain(counts.trigrams().iter().map(|(k, s)| (k, 3, s)));
    let mut joined = String::new();
    // The columns as the table declares them.
    let [ngram, count_column, documents_column]: [&str; 3] =
        NgramPart::columns().try_into().expect("the n-gram table's three columns");
    std::iter::from_fn(move || {
        let mut text = StringChunkedBuilder::new(ngram.into(), rows);
        let (mut count, mut documents) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
        for (ids, words, s) in ngrams.by_ref().take(rows) {
            joined.clear();
            for &id in &ids[..words] {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(counts.term_name(id));
            }
            text.append_value(&joined);
            count.push(s.count);
            documents.push(s.documents);
        }
        (!count.is_empty()).then(|| {
            let (count, documents) =
                (<u64 as Cell>::column(count_column, count), <u64 as Cell>::column(documents_column, documents));
            DataFrame::new_infer_height(vec![text.finish().into_column(), count, documents])
        })
    })
}

/// The shard's n-gram table with no rows: its columns.
pub fn ngram_columns() -> PolarsResult<DataFrame> {
    NgramPart::frame(Vec::new())
}

/// The shard's tables of `counts` (all but n-grams, [`ngram_frames`], and documents, mentions and
/// kwic lines, which are streamed as [`documents_frame`], [`mentions_frame`] and [`kwic_frame`]).
pub fn frames(counts: &Counts) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    assert!(counts.is_settled(), "counts are settled before they are written");
    let terms = counts.terms();
    let name = |id: u32| compact_str::CompactString::from(counts.term_name(id));
    let term_rows = (0..).zip(terms).map(|(id, t)| TermPart {
        term: name(id),
        count: t.stat.count,
        documents: t.stat.documents.into(),
        first_date: t.stat.first_date,
        last_date: t.stat.last_date,
        is_stopword: t.stat.stopword,
    });
    let part_rows = (0..).zip(terms).flat_map(|(id, t)| {
        t.parts().into_iter().map(move |(part, count)| TermPartPart { term: name(id), part: part.into(), count })
    });
    let period_rows = (0..).zip(terms).flat_map(|(id, t)| {
        t.periods().into_iter().map(move |(period, s)| TermPeriodPart {
            period: Some(period),
            term: name(id),
            count: s.count,
            documents: s.documents,
        })
    });
    let kind = |key: &ActorKey| Arc::from(key.kind.as_str());
    let actors: Vec<(&ActorKey, &ActorStat)> = counts.actors().iter().collect();
    let actor_rows = actors.iter().map(|&(key, s)| ActorPart {
        actor: Arc::clone(&key.name),
        kind: kind(key),
        mentions: s.mentions,
        documents: s.documents,
        first_date: s.first_date,
        last_date: s.last_date,
        source: Arc::from(s.origin.map_or("", Origin::as_str)),
    });
    let alias_rows = actors.iter().flat_map(|&(key, s)| {
        s.aliases.iter().map(move |(alias, &count)| AliasPart {
            actor: Arc::clone(&key.name),
            kind: kind(key),
            alias: alias.clone(),
            count,
        })
    });
    let code_rows = actors.iter().flat_map(|&(key, s)| {
        s.codes.iter().map(move |(code, &count)| CodePart {
            actor: Arc::clone(&key.name),
            kind: kind(key),
            code: Arc::clone(code),
            count,
        })
    });
    let stem_rows = counts.stems().iter().map(|(stem, s)| StemPart { stem: Arc::clone(stem), documents: s.documents });
    let group_rows = counts.group_terms().iter().flat_map(|(group, terms)| {
        terms.iter().map(move |(term, s)| GroupTermPart {
            group: Arc::clone(group),
            term: term.clone(),
            count: s.count,
            documents: s.documents,
        })
    });
    Ok(vec![
        (TermPart::FILE, TermPart::frame(term_rows.collect())?),
        (TermPartPart::FILE, TermPartPart::frame(part_rows.collect())?),
        (TermPeriodPart::FILE, TermPeriodPart::frame(period_rows.collect())?),
        (ActorPart::FILE, ActorPart::frame(actor_rows.collect())?),
        (AliasPart::FILE, AliasPart::frame(alias_rows.collect())?),
        (CodePart::FILE, CodePart::frame(code_rows.collect())?),
        (StemPart::FILE, StemPart::frame(stem_rows.collect())?),
        (GroupTermPart::FILE, GroupTermPart::frame(group_rows.collect())?),
    ])
}

/// A shard's document rows, in reading order, as for [`crate::frames::documents`].
pub fn documents_frame(docs: &[DocumentRow]) -> PolarsResult<DataFrame> {
    DocumentPart::frame(
        docs.iter()
            .map(|d| DocumentPart {
                index: d.index as u64,
                doc: Arc::from(d.doc.as_str()),
                date: d.date,
                bytes: d.bytes,
                tokens: d.tokens,
                terms: d.terms,
                mentions: d.mentions,
                meta: serde_json::to_string(&d.meta).expect("text values make JSON"),
                group: d.group.as_deref().unwrap_or("").to_string(),
            })
            .collect(),
    )
}

/// A shard's mention rows, in reading order, as for [`crate::frames::mentions`].
pub fn mentions_frame(rows: &[MentionRow]) -> PolarsResult<DataFrame> {
    MentionPart::frame(
        rows.iter()
            .map(|r| MentionPart {
                index: r.index as u64,
                doc: Arc::clone(&r.doc),
                start: r.mention.start as u64,
                end: r.mention.end as u64,
                text: r.text.clone(),
                actor: Arc::clone(&r.mention.actor),
                kind: Arc::from(r.mention.kind.as_str()),
                form: Arc::from(r.mention.form.as_str()),
                code: r.mention.code.clone().unwrap_or_else(|| Arc::from("")),
                sentence: r.mention.sentence.into(),
                left: r.context.as_ref().map_or_else(String::new, |c| c.left.clone()),
                right: r.context.as_ref().map_or_else(String::new, |c| c.right.clone()),
            })
            .collect(),
    )
}

/// A shard's kwic rows, in reading order, as for [`crate::frames::kwic`].
pub fn kwic_frame(rows: &[KwicRow]) -> PolarsResult<DataFrame> {
    KwicPart::frame(
        rows.iter()
            .map(|r| KwicPart {
                index: r.index as u64,
                doc: Arc::clone(&r.doc),
                start: r.line.start as u64,
                end: r.line.end as u64,
                left: r.line.left.clone(),
                r#match: r.line.matched.clone(),
                right: r.line.right.clone(),
                term: Arc::clone(&r.line.query),
            })
            .collect(),
    )
}
/// Why a shard's results cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file is missing or unreadable.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The parts do not fit together.
    #[error("{0}")]
    Mismatch(String),
}

/// The table `T` of the shard in `dir`, read whole.
fn table<T: Table>(dir: &Path) -> Result<DataFrame, MergeError> {
    let path = dir.join(format!("{}.parquet", T::FILE));
    parquet_reader(&path)?.finish().map_err(|e| MergeError::Read { path, source: e.into() })
}

/// The file a unit of an incremental run's state keeps its mention rows in, in the order they were
/// found (`pipeline::spool`'s format), where a shard writes its `part_mentions` table: the rows are
/// read back by tally alone, in order, and a table costs more to write and read.
pub const MENTION_SPOOL: &str = "part_mentions.spool";

/// Rows of the n-gram table read at once.
const NGRAM_SLICE: usize = 1 << 18;

/// The table `T` of the shard in `dir`, read `rows` rows at a time.
fn slices<T: Table>(
    dir: &Path,
    rows: usize,
) -> Result<impl Iterator<Item = Result<DataFrame, MergeError>>, MergeError> {
    let path = dir.join(format!("{}.parquet", T::FILE));
    let fail = |path: &Path, e: PolarsError| MergeError::Read { path: path.to_path_buf(), source: e.into() };
    let len = parquet_reader(&path)?.num_rows().map_err(|e| fail(&path, e))?;
    Ok((0..len).step_by(rows.max(1)).map(move |start| {
        let slice = Some((start, rows.min(len - start)));
        parquet_reader(&path)?.with_slice(slice).finish().map_err(|e| fail(&path, e))
    }))
}

/// The rows of `df`, the table `T` of the shard in `dir`, one at a time.
fn rows<'a, T: Table>(dir: &Path, df: &'a DataFrame) -> Result<impl Iterator<Item = T> + 'a, MergeError> {
    T::rows(df).map_err(|e| MergeError::Read { path: dir.join(format!("{}.parquet", T::FILE)), source: e.into() })
}

/// A mismatch found in the table `T` of the shard in `dir`.
fn mismatch<T: Table>(dir: &Path, what: String) -> MergeError {
    MergeError::Mismatch(format!("{}: {what}", dir.join(format!("{}.parquet", T::FILE)).display()))
}

/// The kind named `text` in the table `T` of the shard in `dir`.
fn kind<T: Table>(dir: &Path, text: &str) -> Result<Kind, MergeError> {
    Kind::parse(text).ok_or_else(|| mismatch::<T>(dir, format!("no kind `{text}`")))
}

/// The layout of a shard's tables, one more each time a table or column changes meaning, comes or
/// goes: `tally merge` adds only shards written in the layout it reads. 1 was the layout with
/// `part_actor_pairs` and `part_actor_timeline`, whose shards record none (0).
pub const FORMAT: u32 = 2;

/// What decided a shard's figures, keyed by setting: its analysis and the version of tally.
fn counting_settings(m: &Manifest) -> serde_json::Map<String, serde_json::Value> {
    settings_of(&m.settings.analysis, &m.version)
}

/// What decides the figures of counts made with `analysis` by tally's `version`, keyed by setting.
pub fn settings_of(
    analysis: &crate::report::manifest::Analysis,
    version: &str,
) -> serde_json::Map<String, serde_json::Value> {
    let mut settings = match serde_json::to_value(analysis) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    settings.insert("version".into(), version.into());
    settings
}

/// What a difference in the setting `key` between two counts is, in words.
pub fn setting_in_words(key: &str) -> String {
    match key {
        "digests" => "the content of the files the settings name (--actors, --stopwords)".to_string(),
        "version" => "the tally version".to_string(),
        "fields" => {
            "the fields read (--text-field, --date-field, --id-field, --title-field, --meta, --group-by)".into()
        }
        _ => format!("--{}", key.replace('_', "-")),
    }
}

/// Refuses shards that cannot be added up: made by another version of tally, with other counting
/// settings or dictionaries, or over another corpus. The error names the first difference.
pub fn check_compatible(manifests: &[(PathBuf, Manifest)]) -> Result<(), MergeError> {
    let Some((first_dir, first)) = manifests.first() else { return Ok(()) };
    let expected = counting_settings(first);
    for (dir, m) in &manifests[1..] {
        let differs = |what: String, theirs: String, ours: String| {
            MergeError::Mismatch(format!(
                "{} cannot be merged with {}: {what} is {theirs} there and {ours} in {}",
                dir.display(),
                first_dir.display(),
                first_dir.display()
            ))
        };
        let got = counting_settings(m);
        for (key, want) in &expected {
            let have = got.get(key).cloned().unwrap_or(serde_json::Value::Null);
            if &have != want {
                return Err(differs(setting_in_words(key), have.to_string(), want.to_string()));
            }
        }
        if m.corpus != first.corpus {
            let show = |c: &Option<crate::report::manifest::CorpusIdentity>| match c {
                Some(c) => format!("{} files (digest {})", c.sources, &c.sha256[..12.min(c.sha256.len())]),
                None => "unknown".into(),
            };
            return Err(differs("the corpus read".into(), show(&m.corpus), show(&first.corpus)));
        }
    }
    Ok(())
}

/// Refuses a shard whose tables are not the files its manifest lists, by size and SHA-256 (a table
/// copied from another shard, or changed since), or whose listing is not the one tally signed.
pub fn check_intact(manifests: &[(PathBuf, Manifest)]) -> Result<(), MergeError> {
    for (dir, m) in manifests {
        if m.signature != crate::report::manifest::signature(&m.reports) {
            let listing = dir.join(crate::report::MANIFEST);
            return Err(MergeError::Mismatch(format!(
                "{}: its listing of files is not the one tally wrote: make the shard again",
                listing.display()
            )));
        }
        for name in tables::FILES.iter().map(|t| format!("{t}.parquet")).chain([MENTION_SPOOL.to_string()]) {
            let path = dir.join(&name);
            let listed = m.reports.iter().find(|r| r.name == name);
            let changed = match listed {
                None if !path.exists() => continue,
                None => "a table its manifest.json does not list".to_string(),
                Some(r) => match crate::report::digest_file(&path) {
                    Ok((bytes, sha256)) if bytes == r.bytes && sha256 == r.sha256 => continue,
                    Ok((bytes, _)) if bytes != r.bytes => format!(
                        "not the table its shard wrote ({bytes} bytes, where its manifest.json lists {})",
                        r.bytes
                    ),
                    Ok(_) => "not the table its shard wrote (another SHA-256 than its manifest.json lists)".into(),
                    Err(e) => return Err(MergeError::Read { path, source: e.into() }),
                },
            };
            return Err(MergeError::Mismatch(format!("{}: {changed}: make the shard again", path.display())));
        }
    }
    Ok(())
}

/// A shard's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, MergeError> {
    let path = dir.join(crate::report::MANIFEST);
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| MergeError::Read { path: path.clone(), source: e };
    let text = std::fs::read_to_string(&path).map_err(|e| fail(e.into()))?;
    serde_json::from_str(&text).map_err(|e| fail(e.into()))
}

/// Reads one shard's counts (mentions aside) from `dir`, its documents' places in reading order
/// moved on by `offset` (the documents before it, for a unit of an incremental run's state).
pub fn read_counts(dir: &Path, offset: usize) -> Result<Counts, MergeError> {
    let mut counts = read_tables(dir)?;
    read_rows(dir, offset, &mut counts)?;
    Ok(counts)
}

/// Reads the tables of counts in `dir` (terms, n-grams, actors…), not its rows (documents, kwic
/// lines, mentions): a shard's, or the tables alone of an incremental run's sum of units.
pub fn read_tables(dir: &Path) -> Result<Counts, MergeError> {
    let mut counts = Counts::default();
    for (i, r) in rows::<TermPart>(dir, &table::<TermPart>(dir)?)?.enumerate() {
        let documents = u32::try_from(r.documents)
            .map_err(|_| mismatch::<TermPart>(dir, format!("row {i}: more documents than tally counts a term in")))?;
        let stat = TermStat {
            count: r.count,
            documents,
            first_date: r.first_date,
            last_date: r.last_date,
            stopword: r.is_stopword,
        };
        counts.add_term(&r.term, stat);
    }
    let term_id = |counts: &Counts, term: &str, table: fn(&Path, String) -> MergeError| {
        counts
            .term_number(term)
            .ok_or_else(|| table(dir, format!("term `{term}` is not in {}.parquet", TermPart::FILE)))
    };

    for (i, r) in rows::<TermPartPart>(dir, &table::<TermPartPart>(dir)?)?.enumerate() {
        let part = u8::try_from(r.part)
            .ok()
            .filter(|&p| usize::from(p) < crate::count::DISPERSION_PARTS)
            .ok_or_else(|| mismatch::<TermPartPart>(dir, format!("row {i}: no such part")))?;
        let id = term_id(&counts, &r.term, mismatch::<TermPartPart>)?;
        counts.add_term_part(id, part, r.count);
    }
    for r in rows::<TermPeriodPart>(dir, &table::<TermPeriodPart>(dir)?)? {
        let period = r.period.ok_or_else(|| mismatch::<TermPeriodPart>(dir, "a row without a period".into()))?;
        let id = term_id(&counts, &r.term, mismatch::<TermPeriodPart>)?;
        counts.add_term_period(id, period, PeriodStat { count: r.count, documents: r.documents });
    }
    counts.compact_spreads();
    // The largest table, read a slice at a time: a sum of units holds the n-grams of a whole corpus.
    let mut i = 0;
    for df in slices::<NgramPart>(dir, NGRAM_SLICE)? {
        for r in rows::<NgramPart>(dir, &df?)? {
            let (mut ids, mut words) = ([0u32; 3], 0);
            for word in r.ngram.split(' ') {
                if words == 3 {
                    return Err(mismatch::<NgramPart>(dir, format!("row {i}: not a bigram or trigram")));
                }
                ids[words] = term_id(&counts, word, mismatch::<NgramPart>)?;
                words += 1;
            }
            let stat = NgramStat { count: r.count, documents: r.documents };
            match words {
                2 => counts.bigrams().add([ids[0], ids[1]], stat),
                3 => counts.trigrams().add(ids, stat),
                _ => return Err(mismatch::<NgramPart>(dir, format!("row {i}: not a bigram or trigram"))),
            }
            i += 1;
        }
    }

    for r in rows::<ActorPart>(dir, &table::<ActorPart>(dir)?)? {
        let stat = ActorStat {
            mentions: r.mentions,
            documents: r.documents,
            first_date: r.first_date,
            last_date: r.last_date,
            origin: Origin::parse(&r.source),
            ..ActorStat::default()
        };
        counts.add_actor(ActorKey { name: r.actor, kind: kind::<ActorPart>(dir, &r.kind)? }, stat);
    }
    let known = |counts: &Counts, key: &ActorKey, table: fn(&Path, String) -> MergeError| match counts
        .actors()
        .contains_key(key)
    {
        true => Ok(()),
        false => Err(table(dir, format!("actor {} is not in {}.parquet", key.name, ActorPart::FILE))),
    };
    for r in rows::<AliasPart>(dir, &table::<AliasPart>(dir)?)? {
        let key = ActorKey { name: r.actor, kind: kind::<AliasPart>(dir, &r.kind)? };
        known(&counts, &key, mismatch::<AliasPart>)?;
        let mut stat = ActorStat::default();
        stat.aliases.insert(r.alias, r.count);
        counts.add_actor(key, stat);
    }
    for r in rows::<CodePart>(dir, &table::<CodePart>(dir)?)? {
        let key = ActorKey { name: r.actor, kind: kind::<CodePart>(dir, &r.kind)? };
        known(&counts, &key, mismatch::<CodePart>)?;
        let mut stat = ActorStat::default();
        stat.codes.insert(r.code, r.count);
        counts.add_actor(key, stat);
    }
    for r in rows::<GroupTermPart>(dir, &table::<GroupTermPart>(dir)?)? {
        counts.add_group_term(&r.group, &r.term, PeriodStat { count: r.count, documents: r.documents });
    }
    for r in rows::<StemPart>(dir, &table::<StemPart>(dir)?)? {
        counts.add_stem(r.stem, r.documents);
    }
    Ok(counts)
}

/// Adds the document rows and kwic lines of the shard in `dir` to `counts`, their places in reading
/// order moved on by `offset`.
pub fn read_rows(dir: &Path, offset: usize, counts: &mut Counts) -> Result<(), MergeError> {
    for r in rows::<DocumentPart>(dir, &table::<DocumentPart>(dir)?)? {
        let meta = serde_json::from_str(&r.meta)
            .map_err(|e| mismatch::<DocumentPart>(dir, format!("a `meta` that is not a JSON array of text: {e}")))?;
        counts.add_row(DocumentRow {
            index: r.index as usize + offset,
            doc: r.doc.to_string(),
            date: r.date,
            bytes: r.bytes,
            tokens: r.tokens,
            terms: r.terms,
            mentions: r.mentions,
            meta,
            group: (!r.group.is_empty()).then(|| Arc::from(r.group.as_str())),
        });
    }
    for r in rows::<KwicPart>(dir, &table::<KwicPart>(dir)?)? {
        let line = crate::kwic::KwicLine {
            start: r.start as usize,
            end: r.end as usize,
            left: r.left,
            matched: r.r#match,
            right: r.right,
            query: r.term,
        };
        counts.add_kwic_row(KwicRow { index: r.index as usize + offset, doc: r.doc, line });
    }
    Ok(())
}

/// One shard's mention rows, read a slice of rows at a time, in its order (by document, then
/// start): a merge holds a slice of each shard, not all their mentions.
pub struct MentionReader {
    path: PathBuf,
    rows: usize,
    read: usize,
    slice: usize,
    offset: usize,
    buffer: std::collections::VecDeque<MentionRow>,
}

impl MentionReader {
    /// The mention rows of the shard in `dir`, to be read `slice` rows at a time, their documents'
    /// places moved on by `offset` (as [`read_counts`]).
    pub fn open(dir: &Path, slice: usize, offset: usize) -> Result<MentionReader, MergeError> {
        let path = dir.join(format!("{}.parquet", MentionPart::FILE));
        let rows =
            parquet_reader(&path)?.num_rows().map_err(|e| MergeError::Read { path: path.clone(), source: e.into() })?;
        Ok(MentionReader { path, rows, read: 0, slice: slice.max(1), offset, buffer: Default::default() })
    }

    /// The next row, without taking it; none at the end.
    pub fn peek(&mut self) -> Result<Option<&MentionRow>, MergeError> {
        if self.buffer.is_empty() && self.read < self.rows {
            let len = self.slice.min(self.rows - self.read);
            let df = parquet_reader(&self.path)?
                .with_slice(Some((self.read, len)))
                .finish()
                .map_err(|e| MergeError::Read { path: self.path.clone(), source: e.into() })?;
            self.buffer.extend(mention_rows(&df, &self.path, self.offset)?);
            self.read += len;
        }
        Ok(self.buffer.front())
    }

    /// Takes the next row.
    pub fn take(&mut self) -> Result<Option<MentionRow>, MergeError> {
        self.peek()?;
        Ok(self.buffer.pop_front())
    }
}

/// A reader of the Parquet file at `path`.
fn parquet_reader(path: &Path) -> Result<ParquetReader<std::fs::File>, MergeError> {
    let file =
        std::fs::File::open(path).map_err(|e| MergeError::Read { path: path.to_path_buf(), source: e.into() })?;
    Ok(ParquetReader::new(file))
}

/// The mention rows of `df`, read from `path`, their places moved on by `offset`.
fn mention_rows(df: &DataFrame, path: &Path, offset: usize) -> Result<Vec<MentionRow>, MergeError> {
    let read = MentionPart::rows(df).map_err(|e| MergeError::Read { path: path.to_path_buf(), source: e.into() })?;
    let bad = |what: String| MergeError::Mismatch(format!("{}: {what}", path.display()));
    let mut rows = Vec::with_capacity(df.height());
    let mut last_doc: Option<Arc<str>> = None;
    for r in read {
        // Rows of one document share its id.
        let doc = match last_doc {
            Some(d) if d == r.doc => d,
            _ => r.doc,
        };
        last_doc = Some(Arc::clone(&doc));
        rows.push(MentionRow {
            index: r.index as usize + offset,
            doc,
            mention: Mention {
                start: r.start as usize,
                end: r.end as usize,
                actor: r.actor,
                kind: Kind::parse(&r.kind).ok_or_else(|| bad(format!("no kind `{}`", r.kind)))?,
                form: Form::parse(&r.form).ok_or_else(|| bad(format!("no form `{}`", r.form)))?,
                // The mentions report does not say; the actors table carries each actor's source.
                origin: Origin::Inferred,
                code: Some(r.code).filter(|c| !c.is_empty()),
                sentence: u32::try_from(r.sentence)
                    .map_err(|_| bad(format!("sentence {} out of range", r.sentence)))?,
            },
            text: r.text,
            context: (!r.left.is_empty() || !r.right.is_empty())
                .then(|| Box::new(Context { left: r.left, right: r.right })),
        });
    }
    Ok(rows)
}

/// Checks that `manifests` are the N different shards of one sharded run.
pub fn check_complete(manifests: &[(PathBuf, Manifest)]) -> Result<(), MergeError> {
    let mut seen = Vec::new();
    let mut parts = None;
    for (dir, m) in manifests {
        let shard = m.shard.as_ref().ok_or_else(|| {
            MergeError::Mismatch(format!("{}: not a shard's results (no `shard` in its manifest.json)", dir.display()))
        })?;
        if shard.format != FORMAT {
            return Err(MergeError::Mismatch(format!(
                "{}: shard tables of format {}, where this tally reads format {FORMAT}: make the shards again \
                 with this tally",
                dir.display(),
                shard.format
            )));
        }
        if *parts.get_or_insert(shard.parts) != shard.parts {
            return Err(MergeError::Mismatch(format!(
                "{}: shard {}/{} of another split",
                dir.display(),
                shard.part,
                shard.parts
            )));
        }
        if seen.contains(&shard.part) {
            return Err(MergeError::Mismatch(format!(
                "{}: shard {}/{} given twice",
                dir.display(),
                shard.part,
                shard.parts
            )));
        }
        seen.push(shard.part);
    }
    let parts = parts.unwrap_or(0);
    let missing: Vec<String> = (1..=parts).filter(|k| !seen.contains(k)).map(|k| format!("{k}/{parts}")).collect();
    if !missing.is_empty() {
        return Err(MergeError::Mismatch(format!("shards missing: {}", missing.join(", "))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shards_mentions_read_a_slice_at_a_time_are_all_its_mentions_in_order() {
        use crate::actors::{Form, Kind, Mention, Origin};
        let rows: Vec<MentionRow> = (0..7)
            .map(|i| MentionRow {
                index: i / 3,
                doc: Arc::from(format!("d{}", i / 3)),
                mention: Mention {
                    start: 10 * (i % 3),
                    end: 10 * (i % 3) + 6,
                    actor: Arc::from(["Armenia", "Russia"][i % 2]),
                    kind: Kind::Place,
                    form: Form::Name,
                    origin: Origin::Inferred,
                    code: (i % 2 == 0).then(|| Arc::from("ARM")),
                    sentence: i as u32,
                },
                text: ["Armenia", "Russia"][i % 2].to_string(),
                // The first row of each actor keeps its context.
                context: (i < 2).then(|| Box::new(Context { left: "in ".into(), right: format!(" ({i})") })),
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let file = std::fs::File::create(dir.path().join(format!("{}.parquet", MentionPart::FILE))).unwrap();
        crate::report::write_parquet(file, &mut mentions_frame(&rows).unwrap()).unwrap();
        // Slices of 2 rows: 4 reads, the last one short.
        let mut reader = MentionReader::open(dir.path(), 2, 0).unwrap();
        let mut read = Vec::new();
        while let Some(row) = reader.take().unwrap() {
            read.push(row);
        }
        assert_eq!(read, rows);
    }

    #[test]
    fn shards_parse_and_split_every_id_once() {
        assert_eq!("2/8".parse::<Shard>().unwrap(), Shard { part: 2, parts: 8 });
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { part: k, parts: 3 }).collect();
        let mut sizes = [0; 3];
        for i in 0..3000 {
            let id = format!("doc-{i}.txt");
            let holders: Vec<usize> = (0..3).filter(|&k| shards[k].holds(&id)).collect();
            assert_eq!(holders.len(), 1, "{id}");
            sizes[holders[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 800), "uneven: {sizes:?}");
    }
}
