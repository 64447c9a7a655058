//! Scale-out: one shard of a corpus counted on its own (`tally run --shard K/N`), its counts written
//! as plain Parquet tables, and `tally merge` adding the shards' tables back into the reports a
//! single run over the whole corpus writes, byte for byte.
//!
//! A document belongs to shard `1 + h mod N`, `h` the 64-bit FNV-1a hash of its id's UTF-8 bytes
//! (stable across machines and versions). Every shard lists the whole corpus, so each document keeps
//! its place in reading order, which orders the merged `documents` and `mentions` rows.
//!
//! The partial tables are sums, minima and maxima of rows, so any Parquet engine can reduce them:
//!
//! | file | columns | reduce by key |
//! |---|---|---|
//! | `part_terms.parquet` | term, count, documents, first_date, last_date, is_stopword | sum; min, max dates; any |
//! | `part_term_parts.parquet` | term, part, count | sum |
//! | `part_term_timeline.parquet` | period, term, count, documents | sum |
//! | `part_ngrams.parquet` | ngram, count, documents | sum |
//! | `part_actors.parquet` | actor, kind, mentions, documents, first_date, last_date, source | sum; min, max dates; min source |
//! | `part_actor_aliases.parquet` | actor, kind, alias, count | sum |
//! | `part_actor_codes.parquet` | actor, kind, code, count | sum |
//! | `part_actor_pairs.parquet` | actor_a, kind_a, actor_b, kind_b, documents, sentences | sum |
//! | `part_actor_timeline.parquet` | date, actor, kind, mentions, documents | sum |
//! | `part_documents.parquet` | index, doc, date, bytes, tokens, terms, mentions | union, by index |
//! | `part_mentions.parquet` | index, then the `mentions` report's columns | union, by index and start |
//! | `part_kwic.parquet` | index, then the `kwic` report's columns | union, by index and start |
//! | `part_stems.parquet` | stem, documents (with `--stem`) | sum |
//!
//! `manifest.json` beside them is the shard's manifest, with its place (`shard`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;

use crate::actors::{Form, Kind, Mention, Origin};
use crate::corpus::Date;
use crate::count::{
    ActorKey, ActorStat, Counts, DocumentRow, KwicRow, MentionRow, NgramStat, PairStat, PeriodStat, TermStat,
    TimelineStat,
};
use crate::frames::{dates, int, text};
use crate::report::Manifest;

/// The file names of a shard's tables.
pub const TERMS: &str = "part_terms";
/// See [`TERMS`].
pub const TERM_PARTS: &str = "part_term_parts";
/// See [`TERMS`].
pub const TERM_TIMELINE: &str = "part_term_timeline";
/// See [`TERMS`].
pub const NGRAMS: &str = "part_ngrams";
/// See [`TERMS`].
pub const ACTORS: &str = "part_actors";
/// See [`TERMS`].
pub const ALIASES: &str = "part_actor_aliases";
/// See [`TERMS`].
pub const CODES: &str = "part_actor_codes";
/// See [`TERMS`].
pub const PAIRS: &str = "part_actor_pairs";
/// See [`TERMS`].
pub const TIMELINE: &str = "part_actor_timeline";
/// See [`TERMS`].
pub const DOCUMENTS: &str = "part_documents";
/// See [`TERMS`].
pub const MENTIONS: &str = "part_mentions";
/// See [`TERMS`].
pub const KWIC: &str = "part_kwic";
/// See [`TERMS`].
pub const STEMS: &str = "part_stems";

/// Every table a shard may write.
pub const TABLES: [&str; 13] = [
    TERMS,
    TERM_PARTS,
    TERM_TIMELINE,
    NGRAMS,
    ACTORS,
    ALIASES,
    CODES,
    PAIRS,
    TIMELINE,
    DOCUMENTS,
    MENTIONS,
    KWIC,
    STEMS,
];

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

/// A column of counts.
fn int_col(name: &str, values: impl Iterator<Item = u64>) -> Column {
    int(name, values.map(|v| v as i64).collect())
}

/// A column of text.
fn text_col<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> Column {
    text(name, values.collect())
}

/// The shard's tables of `counts` (all but documents, mentions and kwic lines, which are streamed as
/// [`documents_frame`], [`mentions_frame`] and [`kwic_frame`]).
pub fn frames(counts: &Counts) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    assert!(counts.is_settled(), "counts are settled before they are written");
    let name = |id: u32| &*counts.terms()[id as usize].name;
    let terms = DataFrame::new_infer_height(vec![
        text_col("term", counts.terms().iter().map(|t| &*t.name)),
        int_col("count", counts.terms().iter().map(|t| t.stat.count)),
        int_col("documents", counts.terms().iter().map(|t| t.stat.documents)),
        dates("first_date", counts.terms().iter().map(|t| t.stat.first_date)),
        dates("last_date", counts.terms().iter().map(|t| t.stat.last_date)),
        Column::new("is_stopword".into(), counts.terms().iter().map(|t| t.stat.stopword).collect::<Vec<bool>>()),
    ])?;
    let cells: Vec<(&str, u8, u64)> =
        counts.terms().iter().flat_map(|t| t.parts.iter().into_iter().map(|(part, n)| (&*t.name, part, n))).collect();
    let term_parts = DataFrame::new_infer_height(vec![
        text_col("term", cells.iter().map(|c| c.0)),
        int_col("part", cells.iter().map(|c| u64::from(c.1))),
        int_col("count", cells.iter().map(|c| c.2)),
    ])?;
    let periods: Vec<(&str, Date, PeriodStat)> =
        counts.terms().iter().flat_map(|t| t.periods.iter().map(|&(p, s)| (&*t.name, p, s))).collect();
    let term_timeline = DataFrame::new_infer_height(vec![
        dates("period", periods.iter().map(|p| Some(p.1))),
        text_col("term", periods.iter().map(|p| p.0)),
        int_col("count", periods.iter().map(|p| p.2.count)),
        int_col("documents", periods.iter().map(|p| p.2.documents)),
    ])?;
    let joined = |ids: &[u32]| ids.iter().map(|&id| name(id)).collect::<Vec<_>>().join(" ");
    let grams: Vec<(String, NgramStat)> = counts
        .bigrams()
        .iter()
        .map(|(k, s)| (joined(&k), s))
        .chain(counts.trigrams().iter().map(|(k, s)| (joined(&k), s)))
        .collect();
    let ngrams = DataFrame::new_infer_height(vec![
        text_col("ngram", grams.iter().map(|g| g.0.as_str())),
        int_col("count", grams.iter().map(|g| g.1.count)),
        int_col("documents", grams.iter().map(|g| g.1.documents)),
    ])?;
    let actors: Vec<_> = counts.actors().iter().collect();
    let actor_table = DataFrame::new_infer_height(vec![
        text_col("actor", actors.iter().map(|a| &*a.0.name)),
        text_col("kind", actors.iter().map(|a| a.0.kind.as_str())),
        int_col("mentions", actors.iter().map(|a| a.1.mentions)),
        int_col("documents", actors.iter().map(|a| a.1.documents)),
        dates("first_date", actors.iter().map(|a| a.1.first_date)),
        dates("last_date", actors.iter().map(|a| a.1.last_date)),
        text_col("source", actors.iter().map(|a| a.1.origin.map_or("", Origin::as_str))),
    ])?;
    let keyed = |of: fn(&ActorStat) -> Vec<(&str, u64)>, column: &str| -> PolarsResult<DataFrame> {
        let rows: Vec<(&ActorKey, &str, u64)> =
            actors.iter().flat_map(|a| of(a.1).into_iter().map(move |(v, n)| (a.0, v, n))).collect();
        DataFrame::new_infer_height(vec![
            text_col("actor", rows.iter().map(|r| &*r.0.name)),
            text_col("kind", rows.iter().map(|r| r.0.kind.as_str())),
            text_col(column, rows.iter().map(|r| r.1)),
            int_col("count", rows.iter().map(|r| r.2)),
        ])
    };
    let aliases = keyed(|s| s.aliases.iter().map(|(a, n)| (a.as_str(), *n)).collect(), "alias")?;
    let codes = keyed(|s| s.codes.iter().map(|(c, n)| (&**c, *n)).collect(), "code")?;
    let pairs: Vec<(&ActorKey, &ActorKey, &PairStat)> = counts.pairs().collect();
    let pair_table = DataFrame::new_infer_height(vec![
        text_col("actor_a", pairs.iter().map(|p| &*p.0.name)),
        text_col("kind_a", pairs.iter().map(|p| p.0.kind.as_str())),
        text_col("actor_b", pairs.iter().map(|p| &*p.1.name)),
        text_col("kind_b", pairs.iter().map(|p| p.1.kind.as_str())),
        int_col("documents", pairs.iter().map(|p| p.2.documents)),
        int_col("sentences", pairs.iter().map(|p| p.2.sentences)),
    ])?;
    let timeline: Vec<_> = counts.timeline().iter().collect();
    let timeline_table = DataFrame::new_infer_height(vec![
        dates("date", timeline.iter().map(|t| Some((t.0).0))),
        text_col("actor", timeline.iter().map(|t| &*(t.0).1.name)),
        text_col("kind", timeline.iter().map(|t| (t.0).1.kind.as_str())),
        int_col("mentions", timeline.iter().map(|t| t.1.mentions)),
        int_col("documents", timeline.iter().map(|t| t.1.documents)),
    ])?;
    Ok(vec![
        (TERMS, terms),
        (TERM_PARTS, term_parts),
        (TERM_TIMELINE, term_timeline),
        (NGRAMS, ngrams),
        (ACTORS, actor_table),
        (ALIASES, aliases),
        (CODES, codes),
        (PAIRS, pair_table),
        (TIMELINE, timeline_table),
        (
            STEMS,
            DataFrame::new_infer_height(vec![
                text_col("stem", counts.stems().keys().map(|s| &**s)),
                int_col("documents", counts.stems().values().map(|s| s.documents)),
            ])?,
        ),
    ])
}

/// A shard's document rows: `index` (the document's place in reading order), then the `documents`
/// report's columns; the rows come in reading order, as for [`crate::frames::documents`].
pub fn documents_frame(docs: &[DocumentRow]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        int_col("index", docs.iter().map(|d| d.index as u64)),
        text_col("doc", docs.iter().map(|d| d.doc.as_str())),
        dates("date", docs.iter().map(|d| d.date)),
        int_col("bytes", docs.iter().map(|d| d.bytes)),
        int_col("tokens", docs.iter().map(|d| d.tokens)),
        int_col("terms", docs.iter().map(|d| d.terms)),
        int_col("mentions", docs.iter().map(|d| d.mentions)),
    ])
}

/// A shard's mention rows: `index` (the document's place in reading order), then the `mentions`
/// report's columns; the rows come in reading order, as for [`crate::frames::mentions`].
pub fn mentions_frame(rows: &[MentionRow]) -> PolarsResult<DataFrame> {
    let mut df = crate::frames::mentions(rows)?;
    df.insert_column(0, int_col("index", rows.iter().map(|r| r.index as u64)))?;
    Ok(df)
}

/// A shard's kwic rows: `index`, then the `kwic` report's columns; the rows come in reading order,
/// as for [`crate::frames::kwic`].
pub fn kwic_frame(rows: &[KwicRow]) -> PolarsResult<DataFrame> {
    let mut df = crate::frames::kwic(rows)?;
    df.insert_column(0, int_col("index", rows.iter().map(|r| r.index as u64)))?;
    Ok(df)
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

fn read_table(dir: &Path, name: &str) -> Result<DataFrame, MergeError> {
    let path = dir.join(format!("{name}.parquet"));
    parquet_reader(&path)?.finish().map_err(|e| MergeError::Read { path, source: e.into() })
}

/// What decided a shard's figures, keyed by setting: its analysis and the version of tally.
fn counting_settings(m: &Manifest) -> serde_json::Map<String, serde_json::Value> {
    let mut settings = match serde_json::to_value(&m.settings.analysis) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    settings.insert("version".into(), m.version.clone().into());
    settings
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
                let what = match key.as_str() {
                    "digests" => "the content of the files the settings name (--actors, --stopwords)".to_string(),
                    "version" => "the tally version".to_string(),
                    _ => format!("the setting `{key}`"),
                };
                return Err(differs(what, have.to_string(), want.to_string()));
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

/// A shard's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, MergeError> {
    let path = dir.join(crate::report::MANIFEST);
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| MergeError::Read { path: path.clone(), source: e };
    let text = std::fs::read_to_string(&path).map_err(|e| fail(e.into()))?;
    serde_json::from_str(&text).map_err(|e| fail(e.into()))
}

/// Typed views of a table's columns, each failure naming the file.
struct Table<'a> {
    df: &'a DataFrame,
    path: PathBuf,
}

impl<'a> Table<'a> {
    fn fail(&self, e: PolarsError) -> MergeError {
        MergeError::Read { path: self.path.clone(), source: e.into() }
    }
    fn text(&self, name: &str) -> Result<&'a StringChunked, MergeError> {
        self.df.column(name).and_then(|c| c.str()).map_err(|e| self.fail(e))
    }
    fn int(&self, name: &str) -> Result<&'a Int64Chunked, MergeError> {
        self.df.column(name).and_then(|c| c.i64()).map_err(|e| self.fail(e))
    }
    fn date(&self, name: &str) -> Result<Vec<Option<Date>>, MergeError> {
        let days = self.df.column(name).and_then(|c| c.date()).map_err(|e| self.fail(e))?.physical().clone();
        Ok(days.iter().map(|d| d.map(Date::from_days_since_epoch)).collect())
    }
    fn kind(&self, column: &StringChunked, i: usize) -> Result<Kind, MergeError> {
        let text = column.get(i).unwrap_or("");
        Kind::parse(text).ok_or_else(|| MergeError::Mismatch(format!("{}: no kind `{text}`", self.path.display())))
    }
}

/// The number of a term read from a shard's terms table.
fn term_id(counts: &Counts, t: &Table, name: Option<&str>) -> Result<u32, MergeError> {
    let name = name.unwrap_or("");
    counts
        .term_number(name)
        .ok_or_else(|| MergeError::Mismatch(format!("{}: term `{name}` is not in {TERMS}.parquet", t.path.display())))
}

fn count(c: &Int64Chunked, i: usize) -> u64 {
    c.get(i).unwrap_or(0).max(0) as u64
}

/// Reads one shard's counts (mentions aside) from `dir`.
pub fn read_counts(dir: &Path) -> Result<Counts, MergeError> {
    let mut counts = Counts::default();
    let table = |name: &str| read_table(dir, name).map(|df| (df, dir.join(format!("{name}.parquet"))));

    let (df, path) = table(TERMS)?;
    let t = Table { df: &df, path };
    let (term, n, docs) = (t.text("term")?, t.int("count")?, t.int("documents")?);
    let (first, last) = (t.date("first_date")?, t.date("last_date")?);
    let stop = t.df.column("is_stopword").and_then(|c| c.bool()).map_err(|e| t.fail(e))?;
    for i in 0..df.height() {
        let stat = TermStat {
            count: count(n, i),
            documents: count(docs, i),
            first_date: first[i],
            last_date: last[i],
            stopword: stop.get(i).unwrap_or(false),
        };
        counts.add_term(term.get(i).unwrap_or(""), stat);
    }

    let (df, path) = table(TERM_PARTS)?;
    let t = Table { df: &df, path };
    let (term, part, n) = (t.text("term")?, t.int("part")?, t.int("count")?);
    for i in 0..df.height() {
        let part = u8::try_from(count(part, i))
            .ok()
            .filter(|&p| usize::from(p) < crate::count::DISPERSION_PARTS)
            .ok_or_else(|| MergeError::Mismatch(format!("{}: row {i}: no such part", t.path.display())))?;
        let id = term_id(&counts, &t, term.get(i))?;
        counts.add_term_part(id, part, count(n, i));
    }

    let (df, path) = table(TERM_TIMELINE)?;
    let t = Table { df: &df, path };
    let (periods, term, n, docs) = (t.date("period")?, t.text("term")?, t.int("count")?, t.int("documents")?);
    for (i, period) in periods.into_iter().enumerate() {
        let period =
            period.ok_or_else(|| MergeError::Mismatch(format!("{}: a row without a period", t.path.display())))?;
        let id = term_id(&counts, &t, term.get(i))?;
        counts.add_term_period(id, period, PeriodStat { count: count(n, i), documents: count(docs, i) });
    }

    let (df, path) = table(NGRAMS)?;
    let t = Table { df: &df, path };
    let (gram, n, docs) = (t.text("ngram")?, t.int("count")?, t.int("documents")?);
    for i in 0..df.height() {
        let ids = gram
            .get(i)
            .unwrap_or("")
            .split(' ')
            .map(|w| term_id(&counts, &t, Some(w)))
            .collect::<Result<Vec<_>, _>>()?;
        let stat = NgramStat { count: count(n, i), documents: count(docs, i) };
        match ids[..] {
            [a, b] => counts.bigrams().add([a, b], stat),
            [a, b, c] => counts.trigrams().add([a, b, c], stat),
            _ => return Err(MergeError::Mismatch(format!("{}: row {i}: not a bigram or trigram", t.path.display()))),
        }
    }

    let key = |t: &Table, names: &StringChunked, kinds: &StringChunked, i: usize| -> Result<ActorKey, MergeError> {
        Ok(ActorKey { name: Arc::from(names.get(i).unwrap_or("")), kind: t.kind(kinds, i)? })
    };
    let (df, path) = table(ACTORS)?;
    let t = Table { df: &df, path };
    let (actor, kind, mentions, docs) = (t.text("actor")?, t.text("kind")?, t.int("mentions")?, t.int("documents")?);
    let (first, last, source) = (t.date("first_date")?, t.date("last_date")?, t.text("source")?);
    for i in 0..df.height() {
        let stat = ActorStat {
            mentions: count(mentions, i),
            documents: count(docs, i),
            first_date: first[i],
            last_date: last[i],
            origin: Origin::parse(source.get(i).unwrap_or("")),
            ..ActorStat::default()
        };
        counts.add_actor(key(&t, actor, kind, i)?, stat);
    }
    for (name, column) in [(ALIASES, "alias"), (CODES, "code")] {
        let (df, path) = table(name)?;
        let t = Table { df: &df, path };
        let (actor, kind, value, n) = (t.text("actor")?, t.text("kind")?, t.text(column)?, t.int("count")?);
        for i in 0..df.height() {
            let k = key(&t, actor, kind, i)?;
            if !counts.actors().contains_key(&k) {
                let name = &k.name;
                return Err(MergeError::Mismatch(format!(
                    "{}: actor {name} is not in {ACTORS}.parquet",
                    t.path.display()
                )));
            }
            let value = value.get(i).unwrap_or("");
            let mut stat = ActorStat::default();
            match column {
                "alias" => stat.aliases.insert(value.to_string(), count(n, i)),
                _ => stat.codes.insert(Arc::from(value), count(n, i)),
            };
            counts.add_actor(k, stat);
        }
    }

    let (df, path) = table(PAIRS)?;
    let t = Table { df: &df, path };
    let (a, ka, b, kb) = (t.text("actor_a")?, t.text("kind_a")?, t.text("actor_b")?, t.text("kind_b")?);
    let (docs, sentences) = (t.int("documents")?, t.int("sentences")?);
    for i in 0..df.height() {
        let pair = PairStat { documents: count(docs, i), sentences: count(sentences, i) };
        counts.add_pair(&key(&t, a, ka, i)?, &key(&t, b, kb, i)?, pair);
    }

    let (df, path) = table(TIMELINE)?;
    let t = Table { df: &df, path };
    let (dates, actor, kind) = (t.date("date")?, t.text("actor")?, t.text("kind")?);
    let (mentions, docs) = (t.int("mentions")?, t.int("documents")?);
    for (i, date) in dates.into_iter().enumerate() {
        let date = date.ok_or_else(|| MergeError::Mismatch(format!("{}: a row without a date", t.path.display())))?;
        let stat = TimelineStat { mentions: count(mentions, i), documents: count(docs, i) };
        counts.add_timeline(date, key(&t, actor, kind, i)?, stat);
    }

    let (df, path) = table(DOCUMENTS)?;
    let t = Table { df: &df, path };
    let (index, doc, dates) = (t.int("index")?, t.text("doc")?, t.date("date")?);
    let (bytes, tokens, terms, mentions) = (t.int("bytes")?, t.int("tokens")?, t.int("terms")?, t.int("mentions")?);
    for (i, date) in dates.into_iter().enumerate() {
        counts.add_row(DocumentRow {
            index: count(index, i) as usize,
            doc: doc.get(i).unwrap_or("").to_string(),
            date,
            bytes: count(bytes, i),
            tokens: count(tokens, i),
            terms: count(terms, i),
            mentions: count(mentions, i),
        });
    }
    let (df, path) = table(STEMS)?;
    let t = Table { df: &df, path };
    let (stem, docs) = (t.text("stem")?, t.int("documents")?);
    for i in 0..df.height() {
        counts.add_stem(Arc::from(stem.get(i).unwrap_or("")), count(docs, i));
    }

    let (df, path) = table(KWIC)?;
    let t = Table { df: &df, path };
    let (index, doc, start, end) = (t.int("index")?, t.text("doc")?, t.int("start")?, t.int("end")?);
    let (left, matched, right, term) = (t.text("left")?, t.text("match")?, t.text("right")?, t.text("term")?);
    let text = |c: &StringChunked, i: usize| c.get(i).unwrap_or("").to_string();
    for i in 0..df.height() {
        counts.add_kwic_row(KwicRow {
            index: count(index, i) as usize,
            doc: Arc::from(doc.get(i).unwrap_or("")),
            line: crate::kwic::KwicLine {
                start: count(start, i) as usize,
                end: count(end, i) as usize,
                left: text(left, i),
                matched: text(matched, i),
                right: text(right, i),
                query: Arc::from(term.get(i).unwrap_or("")),
            },
        });
    }
    Ok(counts)
}

/// One shard's mention rows, read a slice of rows at a time, in its order (by document, then
/// start): a merge holds a slice of each shard, not all their mentions.
pub struct MentionReader {
    path: PathBuf,
    rows: usize,
    read: usize,
    slice: usize,
    buffer: std::collections::VecDeque<MentionRow>,
}

impl MentionReader {
    /// The mention rows of the shard in `dir`, to be read `slice` rows at a time.
    pub fn open(dir: &Path, slice: usize) -> Result<MentionReader, MergeError> {
        MentionReader::open_file(dir.join(format!("{MENTIONS}.parquet")), slice)
    }

    /// The mention rows of the Parquet file at `path`, written as a shard writes them.
    pub fn open_file(path: PathBuf, slice: usize) -> Result<MentionReader, MergeError> {
        let rows =
            parquet_reader(&path)?.num_rows().map_err(|e| MergeError::Read { path: path.clone(), source: e.into() })?;
        Ok(MentionReader { path, rows, read: 0, slice: slice.max(1), buffer: Default::default() })
    }

    /// The next row, without taking it; none at the end.
    pub fn peek(&mut self) -> Result<Option<&MentionRow>, MergeError> {
        if self.buffer.is_empty() && self.read < self.rows {
            let len = self.slice.min(self.rows - self.read);
            let df = parquet_reader(&self.path)?
                .with_slice(Some((self.read, len)))
                .finish()
                .map_err(|e| MergeError::Read { path: self.path.clone(), source: e.into() })?;
            self.buffer.extend(mention_rows(&df, &self.path)?);
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

/// The mention rows of `df`, read from `path`.
fn mention_rows(df: &DataFrame, path: &Path) -> Result<Vec<MentionRow>, MergeError> {
    let t = Table { df, path: path.to_path_buf() };
    let (index, doc, start, end) = (t.int("index")?, t.text("doc")?, t.int("start")?, t.int("end")?);
    let (text, actor, kind, form) = (t.text("text")?, t.text("actor")?, t.text("kind")?, t.text("form")?);
    let (code, sentence) = (t.text("code")?, t.int("sentence")?);
    let mut rows = Vec::with_capacity(df.height());
    let mut last_doc: Option<Arc<str>> = None;
    for i in 0..df.height() {
        let name = doc.get(i).unwrap_or("");
        // Rows of one document share its id.
        let doc_id = match &last_doc {
            Some(d) if &**d == name => Arc::clone(d),
            _ => Arc::from(name),
        };
        last_doc = Some(Arc::clone(&doc_id));
        let form_text = form.get(i).unwrap_or("");
        let form = Form::parse(form_text)
            .ok_or_else(|| MergeError::Mismatch(format!("{}: no form `{form_text}`", t.path.display())))?;
        let code = code.get(i).filter(|c| !c.is_empty()).map(Arc::from);
        rows.push(MentionRow {
            index: count(index, i) as usize,
            doc: doc_id,
            mention: Mention {
                start: count(start, i) as usize,
                end: count(end, i) as usize,
                actor: Arc::from(actor.get(i).unwrap_or("")),
                kind: t.kind(kind, i)?,
                form,
                // The mentions report does not say; the actors table carries each actor's source.
                origin: Origin::Inferred,
                code,
                sentence: count(sentence, i) as u32,
            },
            text: text.get(i).unwrap_or("").to_string(),
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
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let file = std::fs::File::create(dir.path().join(format!("{MENTIONS}.parquet"))).unwrap();
        crate::report::write_parquet(file, &mut mentions_frame(&rows).unwrap()).unwrap();
        // Slices of 2 rows: 4 reads, the last one short.
        let mut reader = MentionReader::open(dir.path(), 2).unwrap();
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
