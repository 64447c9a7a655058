//! Counts in, polars DataFrames out: one function per report table, rows in a fixed order so the same
//! corpus always gives the same tables.
//!
//! Counts are `Int64` (what Spark, DuckDB and pandas read without surprise), dates are `Date`, ratios
//! are `Float64`, everything else is `String`.

use polars::prelude::*;
use rayon::prelude::*;

use crate::actors::Origin;
use crate::corpus::{Date, Period};
use std::sync::Arc;

use crate::count::{
    radix_sort, ActorKey, ActorStat, Counts, DateTotals, DocumentRow, KwicRow, MentionRow, NgramStat, Ngrams, PairStat,
    PeriodStat, Term, TimelineStat,
};
use crate::hashing::FastMap;

pub mod registry;
mod stats;

pub use registry::Report;

pub use stats::{g2, log_ratio};

/// How the reports are cut and grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameOptions {
    /// The span `term_timeline` and `actor_timeline` count by.
    pub period: Period,
    /// How many of the most frequent terms `term_timeline` follows.
    pub timeline_terms: usize,
    /// The fewest occurrences an n-gram needs to be reported.
    pub min_count: u64,
    /// The fewest documents a keyness or period_keyness item needs (of the corpus or the reference,
    /// of the period).
    pub min_documents: u64,
    /// Whether n-grams were left uncounted (`--no-ngrams`): no ngrams and collocations reports.
    pub no_ngrams: bool,
    /// Whether terms were asked for in context (`--kwic`): the kwic report is written.
    pub kwic: bool,
    /// The Snowball stemmer of `--stem`, if asked for: terms get a stem column and the stems report
    /// is written.
    pub stem: Option<&'static str>,
    /// Whether there is a reference corpus (`--reference`): the keyness report is written.
    pub reference: bool,
    /// The reports asked for (`--reports`).
    pub reports: registry::Selection,
    /// The fields carried into `documents` (`--meta`, `--group-by`), a column each.
    pub meta: Vec<String>,
    /// Whether documents are grouped (`--group-by`): the group reports are written.
    pub groups: bool,
}

impl Default for FrameOptions {
    fn default() -> Self {
        FrameOptions {
            period: Period::Month,
            timeline_terms: 1000,
            min_count: 3,
            min_documents: 2,
            no_ngrams: false,
            kwic: false,
            stem: None,
            reference: false,
            reports: registry::Selection::ALL,
            meta: Vec::new(),
            groups: false,
        }
    }
}

/// Builds every report [`registry::REPORTS`] makes from the counts of the whole corpus and `options`
/// asks for, in parallel on the current rayon pool.
pub fn build_totals(counts: &Counts, options: &FrameOptions) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    build_some(counts, options, |_| true)
}

/// The reports of [`build_totals`] that `wanted` picks, in parallel on the current rayon pool, in
/// the order of [`registry::REPORTS`].
pub fn build_some(
    counts: &Counts,
    options: &FrameOptions,
    wanted: impl Fn(&Report) -> bool + Sync,
) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    assert!(counts.is_settled(), "counts are settled before reports are made of them");
    registry::REPORTS
        .par_iter()
        .filter(|report| report.is_written(options) && wanted(report))
        .filter_map(|report| Some((report, report.build?)))
        .map(|(report, build)| {
            let df = build(counts, options)?;
            debug_assert!(
                df.get_column_names().iter().map(|c| c.as_str()).eq(report.columns_with(options)),
                "{} is built with the columns it declares",
                report.name
            );
            Ok((report.name, df))
        })
        .collect::<PolarsResult<_>>()
}

/// A copy of counts' rows (which merged counts hold in no order) sorted by `place`.
fn in_reading_order<T: Clone>(rows: &[T], place: fn(&T) -> (usize, usize)) -> Vec<T> {
    let mut sorted = rows.to_vec();
    sorted.sort_unstable_by_key(place);
    sorted
}

/// `kwic`: doc, start, end, left, match, right, term (the `--kwic` TERM matched); the rows come in
/// reading order, as for [`mentions`].
pub fn kwic(rows: &[KwicRow]) -> PolarsResult<DataFrame> {
    debug_assert!(rows.is_sorted_by_key(KwicRow::place), "kwic rows come in reading order");
    frame(vec![
        text("doc", rows.iter().map(|r| &*r.doc).collect()),
        int("start", rows.iter().map(|r| r.line.start as i64).collect()),
        int("end", rows.iter().map(|r| r.line.end as i64).collect()),
        text("left", rows.iter().map(|r| r.line.left.as_str()).collect()),
        text("match", rows.iter().map(|r| r.line.matched.as_str()).collect()),
        text("right", rows.iter().map(|r| r.line.right.as_str()).collect()),
        text("term", rows.iter().map(|r| &*r.line.query).collect()),
    ])
}

/// A column of whole numbers, which takes `values` over rather than copying them.
pub(crate) fn int(name: &str, values: Vec<i64>) -> Column {
    Int64Chunked::from_vec(name.into(), values).into_column()
}

/// A column of real numbers, which takes `values` over rather than copying them.
fn float(name: &str, values: Vec<f64>) -> Column {
    Float64Chunked::from_vec(name.into(), values).into_column()
}

pub(crate) fn text<S: AsRef<str>>(name: &str, values: Vec<S>) -> Column {
    let values: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
    Column::new(name.into(), values)
}

pub(crate) fn dates(name: &str, values: impl Iterator<Item = Option<Date>>) -> Column {
    let days: Vec<Option<i32>> = values.map(|d| d.map(Date::days_since_epoch)).collect();
    Series::new(name.into(), days).into_date().into_column()
}

fn frame(columns: Vec<Column>) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(columns)
}

/// Whether a term is a number: digits, with `.`, `,` or `'` between them ("1,000", "3.5").
pub fn is_number(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || ".,'".contains(c))
}

/// Rounds to `places` decimals; a result of zero is +0, never "-0" in a report.
fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale + 0.0
}

/// `terms`, with a `stem` column after `term` when stems are asked for.
fn terms_with(counts: &Counts, options: &FrameOptions) -> PolarsResult<DataFrame> {
    let rows = TermRows::of(counts, options.stem);
    rows.frame(0..rows.len())
}

/// `stems`: stem, count (of all its terms), documents (holding any of them), terms (how many), forms
/// (its terms, most frequent first, as `term (count); …`, at most ten); by count, then stem.
pub fn stems(counts: &Counts, language: &str) -> PolarsResult<DataFrame> {
    let mut by_stem: FastMap<String, Vec<(&str, u64)>> = FastMap::default();
    let stemmed: Vec<(String, &str, u64)> = (0..counts.terms().len() as u32)
        .into_par_iter()
        .filter(|&id| counts.terms()[id as usize].stat.count > 0)
        .map(|id| {
            let name = counts.term_name(id);
            (crate::count::stem_of(language, name), name, counts.terms()[id as usize].stat.count)
        })
        .collect();
    for (stem, term, count) in stemmed {
        by_stem.entry(stem).or_default().push((term, count));
    }
    // Stem, its count, its terms with theirs.
    type StemRow<'a> = (String, u64, Vec<(&'a str, u64)>);
    let mut rows: Vec<StemRow> = by_stem
        .into_iter()
        .map(|(stem, mut forms)| {
            forms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            (stem, forms.iter().map(|f| f.1).sum(), forms)
        })
        .collect();
    rows.par_sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let forms = |f: &[(&str, u64)]| f.iter().take(10).map(|(t, n)| format!("{t} ({n})")).collect::<Vec<_>>().join("; ");
    frame(vec![
        text("stem", rows.iter().map(|r| r.0.as_str()).collect()),
        int("count", rows.iter().map(|r| r.1 as i64).collect()),
        int(
            "documents",
            rows.iter().map(|r| counts.stems().get(r.0.as_str()).map_or(0, |s| s.documents) as i64).collect(),
        ),
        int("terms", rows.iter().map(|r| r.2.len() as i64).collect()),
        text("forms", rows.iter().map(|r| forms(&r.2)).collect()),
    ])
}

/// The numbers of the terms `keep` keeps, sorted by `group` and, within a group, by name. A name
/// is compared by its first eight bytes, held beside its number, and read from the term only when
/// those are equal: sorting millions of terms, most comparisons then touch no term at all.
fn sorted_by_name_within<K: Ord + Send>(
    counts: &Counts,
    keep: impl Fn(&Term) -> bool,
    group: impl Fn(&Term) -> K,
) -> Vec<u32> {
    // The first eight bytes, zero after the end: in the order of the names, ties aside.
    let head = |name: &str| {
        let mut bytes = [0u8; 8];
        let n = name.len().min(8);
        bytes[..n].copy_from_slice(&name.as_bytes()[..n]);
        u64::from_be_bytes(bytes)
    };
    let mut keys: Vec<(K, u64, u32)> = (0..counts.terms().len() as u32)
        .filter_map(|id| {
            let t = &counts.terms()[id as usize];
            keep(t).then(|| (group(t), head(counts.term_name(id)), id))
        })
        .collect();
    let name = |id: u32| counts.term_name(id);
    keys.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then_with(|| name(a.2).cmp(name(b.2))));
    keys.into_iter().map(|k| k.2).collect()
}

/// `terms`: term, count, documents, per_million (count per million words), documents_share (documents
/// / N), idf (ln(N / documents)), juilland_d, dp (dispersion, see [`dispersion`]), first_date,
/// last_date (of the dated documents it occurs in), is_stopword, is_number; N the documents
/// counted; ratios to three decimals (six for the share, four for dispersion); by count, then term.
pub fn terms(counts: &Counts) -> PolarsResult<DataFrame> {
    let rows = TermRows::of(counts, None);
    rows.frame(0..rows.len())
}

/// The rows of `terms` in order, by term number: millions of them on a large vocabulary, so a run
/// makes its table a slice at a time ([`TermRows::frame`]) and writes each before the next.
pub struct TermRows<'a> {
    counts: &'a Counts,
    order: Vec<u32>,
    /// The language of the `stem` column, when there is one.
    stem: Option<&'static str>,
}

impl<'a> TermRows<'a> {
    /// The terms of `counts` that `terms` reports, sorted; with a `stem` column in `stem`'s language.
    pub fn of(counts: &'a Counts, stem: Option<&'static str>) -> TermRows<'a> {
        let counted = |t: &Term| t.stat.count > 0;
        let order = sorted_by_name_within(counts, counted, |t| std::cmp::Reverse(t.stat.count));
        TermRows { counts, order, stem }
    }

    /// Rows in all.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no term is reported.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The table of the rows in `range`.
    pub fn frame(&self, range: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
        let counts = self.counts;
        let ids = &self.order[range];
        let rows: Vec<&Term> = ids.iter().map(|&id| &counts.terms()[id as usize]).collect();
        let names: Vec<&str> = ids.iter().map(|&id| counts.term_name(id)).collect();
        let sizes = PartSizes::of(counts);
        let dispersion: Vec<(Option<f64>, Option<f64>)> = rows.iter().map(|t| dispersion(t, &sizes)).collect();
        // Three decimals keep one occurrence in a billion words visible without printing noise digits.
        let per_million =
            |n: u64| if counts.tokens() == 0 { 0.0 } else { (n as f64 * 1e9 / counts.tokens() as f64).round() / 1e3 };
        let n = counts.totals().documents as f64;
        let share = |df: u64| round(df as f64 / n, 6);
        let idf = |df: u64| round((n / df as f64).ln(), 3);
        let floats = |f: &dyn Fn(u64) -> f64, of: fn(&crate::count::TermStat) -> u64| {
            rows.iter().map(|t| f(of(&t.stat))).collect::<Vec<f64>>()
        };
        let mut columns = vec![text("term", names.clone())];
        if let Some(language) = self.stem {
            columns.push(text("stem", names.iter().map(|n| crate::count::stem_of(language, n)).collect()));
        }
        columns.extend([
            int("count", rows.iter().map(|t| t.stat.count as i64).collect()),
            int("documents", rows.iter().map(|t| t.stat.documents as i64).collect()),
            Column::new("per_million".into(), floats(&per_million, |s| s.count)),
            Column::new("documents_share".into(), floats(&share, |s| s.documents.into())),
            Column::new("idf".into(), floats(&idf, |s| s.documents.into())),
            Column::new("juilland_d".into(), dispersion.iter().map(|d| d.0).collect::<Vec<Option<f64>>>()),
            Column::new("dp".into(), dispersion.iter().map(|d| d.1).collect::<Vec<Option<f64>>>()),
            dates("first_date", rows.iter().map(|t| t.stat.first_date)),
            dates("last_date", rows.iter().map(|t| t.stat.last_date)),
            Column::new("is_stopword".into(), rows.iter().map(|t| t.stat.stopword).collect::<Vec<bool>>()),
            Column::new("is_number".into(), names.iter().map(|n| is_number(n)).collect::<Vec<bool>>()),
        ]);
        frame(columns)
    }
}

/// The sizes of the corpus's dispersion parts, in words, that [`dispersion`] measures against.
struct PartSizes<'a> {
    sizes: &'a [u64],
    /// Words in all.
    total: u64,
    /// The parts holding any word.
    parts: f64,
}

impl PartSizes<'_> {
    fn of(counts: &Counts) -> PartSizes<'_> {
        let sizes = &counts.totals().part_tokens[..];
        PartSizes { sizes, total: sizes.iter().sum(), parts: sizes.iter().filter(|&&n| n > 0).count() as f64 }
    }
}

/// A term's Juilland's D and Gries' DP over the corpus's
/// [`DISPERSION_PARTS`](crate::count::DISPERSION_PARTS) parts (each document in one, by a hash of
/// its id; a part's size is its words). With n the parts holding any word, s_i part i's share of
/// the corpus's words, v_i the term's occurrences in part i and f in all:
/// - DP = ½ Σ_i |v_i / f − s_i| (Gries 2008, "Dispersions and adjusted frequencies in corpora"), 0
///   for a term spread as the words are, towards 1 for one packed in one part; computed as
///   1 − Σ_i min(v_i / f, s_i), the same sum without its zero terms.
/// - D = 1 − V / √(n − 1) (Juilland and Chang-Rodríguez 1964), V the coefficient of variation
///   (population standard deviation over mean) of the term's relative frequencies v_i / size_i in
///   the n parts: 1 for a term even over the parts, 0 for one in a single part. None when n < 2.
///
/// Four decimals; both none for a term in no part. Sums run in part order, so the figures never
/// depend on how the counting was split.
fn dispersion(term: &Term, sizes: &PartSizes) -> (Option<f64>, Option<f64>) {
    let term_parts = term.parts();
    if term_parts.is_empty() {
        return (None, None);
    }
    let PartSizes { sizes, total, parts } = *sizes;
    let f = term.stat.count as f64;
    let (mut min_sum, mut x_sum, mut x2_sum) = (0.0, 0.0, 0.0);
    for &(part, v) in &term_parts {
        let size = sizes[part as usize] as f64;
        min_sum += (v as f64 / f).min(size / total as f64);
        let x = v as f64 / size;
        x_sum += x;
        x2_sum += x * x;
    }
    let dp = round((1.0 - min_sum).max(0.0), 4);
    let juilland = (parts >= 2.0).then(|| {
        let mean = x_sum / parts;
        let sd = (x2_sum / parts - mean * mean).max(0.0).sqrt();
        round(1.0 - sd / mean / (parts - 1.0).sqrt(), 4)
    });
    (juilland, Some(dp))
}

/// Surface forms and their mentions, most mentioned first (then in byte order).
fn alias_list(aliases: &FastMap<String, u64>) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = aliases.iter().map(|(a, n)| (a.as_str(), *n)).collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v
}

/// A column of lists of text, a list a row.
pub(crate) fn text_lists<'a>(name: &str, rows: impl ExactSizeIterator<Item = Vec<&'a str>>) -> Column {
    let mut lists = ListStringChunkedBuilder::new(name.into(), rows.len(), rows.len() * 2);
    for row in rows {
        lists.append_values_iter(row.into_iter());
    }
    lists.finish().into_column()
}

/// A column of lists of whole numbers, a list a row.
fn int_lists(name: &str, rows: impl ExactSizeIterator<Item = Vec<i64>>) -> Column {
    let mut lists =
        ListPrimitiveChunkedBuilder::<Int64Type>::new(name.into(), rows.len(), rows.len() * 2, DataType::Int64);
    for row in rows {
        lists.append_values_iter(row.into_iter());
    }
    lists.finish().into_column()
}

/// The code most of an actor's mentions had (the first in byte order on a tie), or "".
fn main_code(codes: &FastMap<std::sync::Arc<str>, u64>) -> &str {
    codes.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map_or("", |(code, _)| code)
}

/// `actors`: actor, kind, code, source, mentions, documents, first_date, last_date, aliases and
/// alias_mentions (lists, most mentioned form first); by mentions, then actor and kind.
pub fn actors(counts: &Counts) -> PolarsResult<DataFrame> {
    actor_table(counts, |_| true)
}

/// Documents an inferred name must stand in to be a dictionary candidate.
pub const CANDIDATE_MIN_DOCUMENTS: u64 = 2;

/// `candidates`: the columns of `actors` for inferred actors (names no dictionary holds) seen in at
/// least [`CANDIDATE_MIN_DOCUMENTS`] documents, most mentioned first: what to add to a dictionary.
pub fn candidates(counts: &Counts) -> PolarsResult<DataFrame> {
    actor_table(counts, |s| s.origin == Some(Origin::Inferred) && s.documents >= CANDIDATE_MIN_DOCUMENTS)
}

/// The actors `keep` accepts, by mentions, then actor and kind.
fn actor_table(counts: &Counts, keep: fn(&ActorStat) -> bool) -> PolarsResult<DataFrame> {
    let mut rows: Vec<_> = counts.actors().iter().filter(|r| keep(r.1)).collect();
    rows.sort_unstable_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then_with(|| a.0.cmp(b.0)));
    let stat = |f: fn(&ActorStat) -> i64| rows.iter().map(|r| f(r.1)).collect::<Vec<_>>();
    let aliases: Vec<Vec<(&str, u64)>> = rows.iter().map(|r| alias_list(&r.1.aliases)).collect();
    frame(vec![
        text("actor", rows.iter().map(|r| &*r.0.name).collect()),
        text("kind", rows.iter().map(|r| r.0.kind.as_str()).collect()),
        text("code", rows.iter().map(|r| main_code(&r.1.codes)).collect()),
        text("source", rows.iter().map(|r| r.1.origin.map_or("", |o| o.as_str())).collect()),
        int("mentions", stat(|s| s.mentions as i64)),
        int("documents", stat(|s| s.documents as i64)),
        dates("first_date", rows.iter().map(|r| r.1.first_date)),
        dates("last_date", rows.iter().map(|r| r.1.last_date)),
        text_lists("aliases", aliases.iter().map(|a| a.iter().map(|(form, _)| *form).collect())),
        int_lists("alias_mentions", aliases.iter().map(|a| a.iter().map(|(_, n)| *n as i64).collect())),
    ])
}

/// Documents two actors must share to be reported as a pair when they share no sentence.
pub const PAIR_MIN_DOCUMENTS: u64 = 2;

/// `actor_pairs`: actor_a, kind_a, actor_b, kind_b, documents, sentences, pmi, log_dice; by
/// documents, then sentences and the actors. A pair is reported when its actors are named in one
/// sentence at least once, or in [`PAIR_MIN_DOCUMENTS`] documents: pairs that only share one
/// document are most pairs, and mostly chance. Association is over documents: with N documents, f_a
/// and f_b the documents mentioning each actor and f_ab both, PMI = log2(N f_ab / (f_a f_b)) (Church
/// and Hanks 1990) and log-Dice = 14 + log2(2 f_ab / (f_a + f_b)) (Rychlý 2008); three decimals.
pub fn actor_pairs(counts: &Counts) -> PolarsResult<DataFrame> {
    let mut rows: Vec<((&ActorKey, &ActorKey), &PairStat)> = counts
        .pairs()
        .filter(|(_, _, p)| p.sentences >= 1 || p.documents >= PAIR_MIN_DOCUMENTS)
        .map(|(a, b, p)| ((a, b), p))
        .collect();
    rows.par_sort_unstable_by(|a, b| {
        b.1.documents.cmp(&a.1.documents).then_with(|| b.1.sentences.cmp(&a.1.sentences)).then_with(|| a.0.cmp(&b.0))
    });
    let n = counts.totals().documents as f64;
    let docs = |key| counts.actors().get(key).map_or(0, |s: &ActorStat| s.documents) as f64;
    // (f_ab, f_a, f_b) of each row.
    let f: Vec<(f64, f64, f64)> = rows.iter().map(|r| (r.1.documents as f64, docs((r.0).0), docs((r.0).1))).collect();
    let round = |x: f64| (x * 1e3).round() / 1e3;
    frame(vec![
        text("actor_a", rows.iter().map(|r| &*(r.0).0.name).collect()),
        text("kind_a", rows.iter().map(|r| (r.0).0.kind.as_str()).collect()),
        text("actor_b", rows.iter().map(|r| &*(r.0).1.name).collect()),
        text("kind_b", rows.iter().map(|r| (r.0).1.kind.as_str()).collect()),
        int("documents", rows.iter().map(|r| r.1.documents as i64).collect()),
        int("sentences", rows.iter().map(|r| r.1.sentences as i64).collect()),
        Column::new("pmi".into(), f.iter().map(|&(ab, a, b)| round((n * ab / (a * b)).log2())).collect::<Vec<f64>>()),
        Column::new(
            "log_dice".into(),
            f.iter().map(|&(ab, a, b)| round(14.0 + (2.0 * ab / (a + b)).log2())).collect::<Vec<f64>>(),
        ),
    ])
}

/// `mentions`: doc, start, end, text, actor, kind, form, code (on the document's date), sentence; the
/// rows come in reading order (by document, then start), as callers sort or merge them.
pub fn mentions(rows: &[MentionRow]) -> PolarsResult<DataFrame> {
    debug_assert!(rows.is_sorted_by_key(MentionRow::place), "mention rows come in reading order");
    frame(vec![
        text("doc", rows.iter().map(|r| &*r.doc).collect()),
        int("start", rows.iter().map(|r| r.mention.start as i64).collect()),
        int("end", rows.iter().map(|r| r.mention.end as i64).collect()),
        text("text", rows.iter().map(|r| r.text.as_str()).collect()),
        text("actor", rows.iter().map(|r| &*r.mention.actor).collect()),
        text("kind", rows.iter().map(|r| r.mention.kind.as_str()).collect()),
        text("form", rows.iter().map(|r| r.mention.form.as_str()).collect()),
        text("code", rows.iter().map(|r| r.mention.code.as_deref().unwrap_or("")).collect()),
        int("sentence", rows.iter().map(|r| i64::from(r.mention.sentence)).collect()),
    ])
}

/// `documents`: doc, date, bytes, tokens, terms (distinct), mentions, then a column of text for
/// each name of `meta` (the fields carried, whose values the rows hold in that order); the rows
/// come in reading order, as for [`mentions`].
pub fn documents(rows: &[DocumentRow], meta: &[String]) -> PolarsResult<DataFrame> {
    debug_assert!(rows.is_sorted_by_key(DocumentRow::place), "document rows come in reading order");
    let mut columns = vec![
        text("doc", rows.iter().map(|r| r.doc.as_str()).collect()),
        dates("date", rows.iter().map(|r| r.date)),
        int("bytes", rows.iter().map(|r| r.bytes as i64).collect()),
        int("tokens", rows.iter().map(|r| r.tokens as i64).collect()),
        int("terms", rows.iter().map(|r| r.terms as i64).collect()),
        int("mentions", rows.iter().map(|r| r.mentions as i64).collect()),
    ];
    for (at, name) in meta.iter().enumerate() {
        let values: Vec<Option<&str>> = rows.iter().map(|r| r.meta.get(at).and_then(|v| v.as_deref())).collect();
        columns.push(Column::new(name.as_str().into(), values));
    }
    frame(columns)
}

/// `n` per million words of a group of `totals` (three decimals), and `documents` as a share of its
/// documents (six), as the timelines give them by period.
fn rates(totals: Option<&DateTotals>, n: u64, documents: u64) -> (f64, f64) {
    let (words, docs) = totals.map_or((0, 0), |t| (t.tokens, t.documents));
    (round(n as f64 * 1e6 / words.max(1) as f64, 3), round(documents as f64 / docs.max(1) as f64, 6))
}

/// `group_terms`: group, term, count, documents, per_million (of the group's words),
/// documents_share (of the group's documents), is_stopword; by group, then count and term.
pub fn group_terms(counts: &Counts) -> PolarsResult<DataFrame> {
    let totals = &counts.totals().groups;
    let mut rows: Vec<(&Arc<str>, &str, PeriodStat)> = counts
        .group_terms()
        .iter()
        .flat_map(|(group, terms)| terms.iter().map(move |(term, s)| (group, term.as_str(), *s)))
        .filter(|(_, _, s)| s.count > 0)
        .collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.2.count.cmp(&a.2.count)).then_with(|| a.1.cmp(b.1)));
    let (per_million, share): (Vec<f64>, Vec<f64>) =
        rows.iter().map(|(g, _, s)| rates(totals.get(*g), s.count, s.documents)).unzip();
    let stopword = |term: &str| counts.term(term).is_some_and(|t| t.stopword);
    frame(vec![
        text("group", rows.iter().map(|r| &**r.0).collect()),
        text("term", rows.iter().map(|r| r.1).collect()),
        int("count", rows.iter().map(|r| r.2.count as i64).collect()),
        int("documents", rows.iter().map(|r| r.2.documents as i64).collect()),
        float("per_million", per_million),
        float("documents_share", share),
        Column::new("is_stopword".into(), rows.iter().map(|r| stopword(r.1)).collect::<Vec<bool>>()),
    ])
}

/// `group_actors`: group, actor, kind, mentions, documents, per_million (mentions per million words
/// of the group), documents_share (of the group's documents); by group, then mentions, actor and
/// kind.
pub fn group_actors(counts: &Counts) -> PolarsResult<DataFrame> {
    let totals = &counts.totals().groups;
    let mut rows: Vec<(&Arc<str>, &ActorKey, TimelineStat)> =
        counts.group_actors().iter().map(|((group, key), s)| (group, key, *s)).collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.2.mentions.cmp(&a.2.mentions)).then_with(|| a.1.cmp(b.1)));
    let (per_million, share): (Vec<f64>, Vec<f64>) =
        rows.iter().map(|(g, _, s)| rates(totals.get(*g), s.mentions, s.documents)).unzip();
    frame(vec![
        text("group", rows.iter().map(|r| &**r.0).collect()),
        text("actor", rows.iter().map(|r| &*r.1.name).collect()),
        text("kind", rows.iter().map(|r| r.1.kind.as_str()).collect()),
        int("mentions", rows.iter().map(|r| r.2.mentions as i64).collect()),
        int("documents", rows.iter().map(|r| r.2.documents as i64).collect()),
        float("per_million", per_million),
        float("documents_share", share),
    ])
}

/// `actor_timeline`: period (its first day), actor, kind, mentions, documents, per_million (mentions
/// per million words of the period's documents) and documents_share (of the period's documents); by
/// period, then mentions, actor and kind.
pub fn actor_timeline(counts: &Counts, options: &FrameOptions) -> PolarsResult<DataFrame> {
    let periods = period_totals(counts, options.period);
    let mut by_period: FastMap<(Date, &ActorKey), (u64, u64)> = FastMap::default();
    for ((date, key), s) in counts.timeline() {
        let t = by_period.entry((options.period.start(*date), key)).or_default();
        t.0 += s.mentions;
        t.1 += s.documents;
    }
    let mut rows: Vec<_> = by_period.into_iter().collect();
    rows.sort_unstable_by(|a, b| {
        (a.0).0.cmp(&(b.0).0).then_with(|| (b.1).0.cmp(&(a.1).0)).then_with(|| (a.0).1.cmp((b.0).1))
    });
    frame(vec![
        dates("period", rows.iter().map(|r| Some((r.0).0))),
        text("actor", rows.iter().map(|r| &*(r.0).1.name).collect()),
        text("kind", rows.iter().map(|r| (r.0).1.kind.as_str()).collect()),
        int("mentions", rows.iter().map(|r| (r.1).0 as i64).collect()),
        int("documents", rows.iter().map(|r| (r.1).1 as i64).collect()),
        float("per_million", rows.iter().map(|r| periods.per_million(&(r.0).0, (r.1).0)).collect()),
        float("documents_share", rows.iter().map(|r| periods.share(&(r.0).0, (r.1).1)).collect()),
    ])
}

/// The words and documents of each period, by its first day, that timelines are normalised by.
struct PeriodTotals {
    /// Words of the period's documents, documents.
    by_period: FastMap<Date, (u64, u64)>,
}

impl PeriodTotals {
    /// Words of the period's documents.
    fn words(&self, period: &Date) -> u64 {
        self.by_period.get(period).map_or(0, |t| t.0)
    }

    /// `n` per million words of the period, to three decimals.
    fn per_million(&self, period: &Date, n: u64) -> f64 {
        round(n as f64 * 1e6 / self.words(period).max(1) as f64, 3)
    }

    /// `documents` as a share of the period's documents, to six decimals (as terms' documents_share).
    fn share(&self, period: &Date, documents: u64) -> f64 {
        round(documents as f64 / self.by_period.get(period).map_or(1, |t| t.1.max(1)) as f64, 6)
    }
}

/// The words and documents of the dated documents in each period.
fn period_totals(counts: &Counts, period: Period) -> PeriodTotals {
    let mut by_period: FastMap<Date, (u64, u64)> = FastMap::default();
    for (&date, d) in &counts.totals().dates {
        let t = by_period.entry(period.start(date)).or_default();
        t.0 += d.tokens;
        t.1 += d.documents;
    }
    PeriodTotals { by_period }
}

/// `term_timeline`: period (its first day), term, count, documents, per_million (of the period's
/// words), documents_share (of the period's documents); for the `timeline_terms` most frequent terms that are neither stopwords nor numbers; by
/// period, then count and term.
pub fn term_timeline(counts: &Counts, options: &FrameOptions) -> PolarsResult<DataFrame> {
    let mut top: Vec<u32> = (0..counts.terms().len() as u32)
        .filter(|&id| {
            let t = &counts.terms()[id as usize];
            t.stat.count > 0 && !t.stat.stopword && !is_number(counts.term_name(id))
        })
        .collect();
    let by_count = |a: &u32, b: &u32| {
        let (x, y) = (&counts.terms()[*a as usize], &counts.terms()[*b as usize]);
        y.stat.count.cmp(&x.stat.count).then_with(|| counts.term_name(*a).cmp(counts.term_name(*b)))
    };
    if top.len() > options.timeline_terms {
        top.select_nth_unstable_by(options.timeline_terms, by_count);
        top.truncate(options.timeline_terms);
    }
    let periods = period_totals(counts, options.period);
    let mut rows: Vec<((Date, u32), PeriodStat)> = top
        .iter()
        .flat_map(|&id| counts.terms()[id as usize].periods().into_iter().map(move |(period, s)| ((period, id), s)))
        .collect();
    rows.par_sort_unstable_by(|a, b| {
        (a.0).0.cmp(&(b.0).0).then_with(|| b.1.count.cmp(&a.1.count)).then_with(|| by_count(&(a.0).1, &(b.0).1))
    });
    // The counts went by the same period (`CountOptions::period`), so every period has its words.
    frame(vec![
        dates("period", rows.iter().map(|r| Some((r.0).0))),
        text("term", rows.iter().map(|r| counts.term_name((r.0).1)).collect()),
        int("count", rows.iter().map(|r| r.1.count as i64).collect()),
        int("documents", rows.iter().map(|r| r.1.documents as i64).collect()),
        float("per_million", rows.iter().map(|r| periods.per_million(&(r.0).0, r.1.count)).collect()),
        float("documents_share", rows.iter().map(|r| periods.share(&(r.0).0, r.1.documents)).collect()),
    ])
}

/// The terms in byte order, their text in one buffer: a report of millions of rows that names terms
/// reads a small table, not each term's figures and then its text elsewhere in memory.
struct RankedTerms {
    /// Each term's rank in byte order, by number: comparing ranks compares terms.
    ranks: Vec<u32>,
    /// The terms' text, by rank.
    text: String,
    /// Where each term's text starts in `text`, by rank, and where the last one ends.
    bounds: Vec<usize>,
}

impl RankedTerms {
    fn of(counts: &Counts) -> RankedTerms {
        let by_rank = sorted_by_name_within(counts, |_| true, |_| ());
        let mut ranks = vec![0; by_rank.len()];
        for (rank, &id) in by_rank.iter().enumerate() {
            ranks[id as usize] = rank as u32;
        }
        let mut text = String::new();
        let mut bounds = vec![0];
        for &id in &by_rank {
            text.push_str(counts.term_name(id));
            bounds.push(text.len());
        }
        RankedTerms { ranks, text, bounds }
    }

    fn rank(&self, id: u32) -> u32 {
        self.ranks[id as usize]
    }

    fn name(&self, rank: u32) -> &str {
        let rank = rank as usize;
        &self.text[self.bounds[rank]..self.bounds[rank + 1]]
    }
}

/// `ngrams`: n, ngram (its terms joined by a space), count, documents; the bigrams and trigrams
/// (terms in a row inside one sentence) seen at least `min_count` times; by n, then count and ngram.
pub fn ngrams(counts: &Counts, options: &FrameOptions) -> PolarsResult<DataFrame> {
    let rows = NgramRows::of(counts, options);
    rows.frame(0..rows.len())
}

/// The rows of `ngrams` in order, each by its terms' ranks: millions of them on a large corpus, so
/// a run makes its table a slice at a time ([`NgramRows::frame`]) and writes each before the next.
pub struct NgramRows {
    terms: RankedTerms,
    bigrams: Vec<([u32; 2], NgramStat)>,
    trigrams: Vec<([u32; 3], NgramStat)>,
}

impl NgramRows {
    /// The n-grams of `counts` that `ngrams` reports, sorted. Bigrams, then trigrams: sorting both at
    /// once would hold both sorts' spare room together.
    pub fn of(counts: &Counts, options: &FrameOptions) -> NgramRows {
        let terms = RankedTerms::of(counts);
        let bigrams = by_count(counts.bigrams(), &terms, options.min_count);
        let trigrams = by_count(counts.trigrams(), &terms, options.min_count);
        NgramRows { terms, bigrams, trigrams }
    }

    /// Rows in all.
    pub fn len(&self) -> usize {
        self.bigrams.len() + self.trigrams.len()
    }

    /// Whether no n-gram is reported.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The table of the rows in `range`.
    pub fn frame(&self, range: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
        let split = self.bigrams.len();
        let bigrams = &self.bigrams[range.start.min(split)..range.end.min(split)];
        let trigrams = &self.trigrams[range.start.max(split) - split..range.end.max(split) - split];
        let mut text = StringChunkedBuilder::new("ngram".into(), range.len());
        let mut joined = String::new();
        let keys = bigrams.iter().map(|(key, _)| &key[..]).chain(trigrams.iter().map(|(key, _)| &key[..]));
        for key in keys {
            joined.clear();
            for &rank in key {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(self.terms.name(rank));
            }
            text.append_value(&joined);
        }
        let stats = bigrams.iter().map(|r| r.1).chain(trigrams.iter().map(|r| r.1));
        let n = std::iter::repeat_n(2, bigrams.len()).chain(std::iter::repeat_n(3, trigrams.len()));
        frame(vec![
            int("n", n.collect()),
            text.finish().into_column(),
            int("count", stats.clone().map(|s| s.count as i64).collect()),
            int("documents", stats.map(|s| s.documents as i64).collect()),
        ])
    }
}

/// The n-grams seen at least `min_count` times, each by its terms' ranks, most frequent first, then
/// by ranks, which order n-grams as their text does: a term holds no space nor anything before it,
/// so "a b" sorts before "ab c" as "a" sorts before "ab".
fn by_count<const N: usize>(table: &Ngrams<N>, terms: &RankedTerms, min_count: u64) -> Vec<([u32; N], NgramStat)> {
    // Room for exactly the rows reported, counted first: grown as they come, millions of rows would
    // take up to twice theirs, and room for every n-gram counted would hold hundreds of megabytes
    // for the many seen fewer than `min_count` times.
    let reported = table.iter().filter(|r| r.1.count >= min_count).count();
    let mut rows = Vec::with_capacity(reported);
    rows.extend(table.iter().filter(|r| r.1.count >= min_count).map(|(key, s)| (key.map(|id| terms.rank(id)), s)));
    sort_by_count(&mut rows, terms);
    rows
}

/// Sorts n-grams by count, most first, then by their terms' ranks.
fn sort_by_count<const N: usize>(rows: &mut Vec<([u32; N], NgramStat)>, terms: &RankedTerms) {
    // Stable radix sorts from the least significant key to the most: the last term's rank to the
    // first's, then the count, most first (its shortfall from the most, in two halves if it must).
    let mut scratch = Vec::new();
    let rank_bits = u32::BITS - (terms.ranks.len() as u32).leading_zeros();
    for i in (0..N).rev() {
        radix_sort(rows, &mut scratch, rank_bits, |r| r.0[i]);
    }
    let most = rows.iter().map(|r| r.1.count).max().unwrap_or(0);
    let (bits, fewer) = (u64::BITS - most.leading_zeros(), |r: &([u32; N], NgramStat)| most - r.1.count);
    radix_sort(rows, &mut scratch, bits.min(32), |r| fewer(r) as u32);
    if bits > 32 {
        radix_sort(rows, &mut scratch, bits - 32, |r| (fewer(r) >> 32) as u32);
    }
}

/// `collocations`: term_a, term_b, count, count_a, count_b, pmi, log_likelihood, t_score, log_dice:
/// each bigram "a b" seen at least `min_count` times, scored on its 2x2 table over the corpus's N
/// bigrams (see `stats::Association`); count_a is the bigrams "a *", count_b the bigrams "* b";
/// by log_likelihood, then count and the terms; three decimals.
pub fn collocations(counts: &Counts, options: &FrameOptions) -> PolarsResult<DataFrame> {
    let (mut firsts, mut seconds) = (vec![0u64; counts.terms().len()], vec![0u64; counts.terms().len()]);
    let mut n = 0;
    for ([a, b], s) in counts.bigrams().iter() {
        firsts[a as usize] += s.count;
        seconds[b as usize] += s.count;
        n += s.count;
    }
    let mut rows: Vec<([u32; 2], u64, stats::Association)> = counts
        .bigrams()
        .iter()
        .filter(|r| r.1.count >= options.min_count)
        .map(|([a, b], s)| {
            ([a, b], s.count, stats::Association::of(s.count, firsts[a as usize], seconds[b as usize], n))
        })
        .collect();
    let terms = RankedTerms::of(counts);
    let name = |id: u32| terms.name(terms.rank(id));
    rows.par_sort_unstable_by(|x, y| {
        y.2.log_likelihood
            .total_cmp(&x.2.log_likelihood)
            .then_with(|| y.1.cmp(&x.1))
            .then_with(|| x.0.map(|id| terms.rank(id)).cmp(&y.0.map(|id| terms.rank(id))))
    });
    let score = |f: fn(&stats::Association) -> f64| rows.iter().map(|r| round(f(&r.2), 3)).collect::<Vec<f64>>();
    frame(vec![
        text("term_a", rows.iter().map(|r| name(r.0[0])).collect()),
        text("term_b", rows.iter().map(|r| name(r.0[1])).collect()),
        int("count", rows.iter().map(|r| r.1 as i64).collect()),
        int("count_a", rows.iter().map(|r| firsts[r.0[0] as usize] as i64).collect()),
        int("count_b", rows.iter().map(|r| seconds[r.0[1] as usize] as i64).collect()),
        float("pmi", score(|a| a.pmi)),
        float("log_likelihood", score(|a| a.log_likelihood)),
        float("t_score", score(|a| a.t_score)),
        float("log_dice", score(|a| a.log_dice)),
    ])
}

/// Keyness figures of an item seen `a` times in a target of `c` words and `b` times in a reference of
/// `d` words.
struct Keyness {
    a: u64,
    b: u64,
    c: u64,
    d: u64,
    log_likelihood: f64,
    log_ratio: f64,
}

impl Keyness {
    fn of(a: u64, b: u64, c: u64, d: u64) -> Keyness {
        Keyness { a, b, c, d, log_likelihood: round(g2(a, b, c, d), 3), log_ratio: round(log_ratio(a, b, c, d), 3) }
    }
}

/// One keyness row: the item (a term, or an actor with its kind) and its figures.
struct KeyRow<'a> {
    group: Option<Date>,
    item: &'a str,
    kind: &'static str,
    key: Keyness,
    /// Documents holding the item: of the corpus (keyness) or of the period (period keyness).
    documents: u64,
    /// Whether the item is a term on the stopword list.
    stopword: bool,
}

/// A keyness table: `group` (the period, for period keyness), item, type (`term` or `actor`), kind,
/// then counts, rates per million words, the two measures, documents and is_stopword; by group, then
/// log_likelihood, item.
fn keyness_frame(mut rows: Vec<KeyRow>, columns: [&str; 4], group: bool) -> PolarsResult<DataFrame> {
    rows.par_sort_unstable_by(|x, y| {
        x.group
            .cmp(&y.group)
            .then_with(|| y.key.log_likelihood.total_cmp(&x.key.log_likelihood))
            .then_with(|| (x.item, x.kind).cmp(&(y.item, y.kind)))
    });
    let per_million = |n: u64, words: u64| round(n as f64 * 1e6 / words.max(1) as f64, 3);
    let mut out = Vec::new();
    if group {
        out.push(dates("period", rows.iter().map(|r| r.group)));
    }
    let kind = |r: &KeyRow| if r.kind.is_empty() { "term" } else { "actor" };
    out.extend([
        text("item", rows.iter().map(|r| r.item).collect()),
        text("type", rows.iter().map(kind).collect()),
        text("kind", rows.iter().map(|r| r.kind).collect()),
        int(columns[0], rows.iter().map(|r| r.key.a as i64).collect()),
        int(columns[1], rows.iter().map(|r| r.key.b as i64).collect()),
        float(columns[2], rows.iter().map(|r| per_million(r.key.a, r.key.c)).collect()),
        float(columns[3], rows.iter().map(|r| per_million(r.key.b, r.key.d)).collect()),
        float("log_likelihood", rows.iter().map(|r| r.key.log_likelihood).collect()),
        float("log_ratio", rows.iter().map(|r| r.key.log_ratio).collect()),
        int("documents", rows.iter().map(|r| r.documents as i64).collect()),
        Column::new("is_stopword".into(), rows.iter().map(|r| r.stopword).collect::<Vec<bool>>()),
    ]);
    frame(out)
}

/// `keyness`: every term and actor of the corpus or of the reference (`--reference`), as item, type
/// (`term` or `actor`), kind (actors'), count and reference_count, per_million and
/// reference_per_million (per million words of each corpus), log_likelihood (G², signed: negative
/// when the item is relatively rarer in the corpus than in the reference) and log_ratio (binary log
/// of the ratio of the rates, a zero count taken as 0.5); see [`g2`] and [`log_ratio`]; documents
/// (of the corpus holding it) and is_stopword. An item in fewer than `min_documents` documents of
/// both corpora is left out. By log_likelihood, then item; three decimals.
pub fn keyness(counts: &Counts, reference: &Counts, min_documents: u64) -> PolarsResult<DataFrame> {
    let (c, d) = (counts.tokens(), reference.tokens());
    let columns = ["count", "reference_count", "per_million", "reference_per_million"];
    let mut rows = Vec::new();
    // Frequencies relative to a corpus of no words are none: no row.
    if c == 0 || d == 0 {
        return keyness_frame(rows, columns, false);
    }
    for (id, term) in (0..).zip(counts.terms()).filter(|(_, t)| t.stat.count > 0) {
        let name = counts.term_name(id);
        let (b, in_reference) = reference.term(name).map_or((0, 0), |s| (s.count, u64::from(s.documents)));
        if u64::from(term.stat.documents).max(in_reference) >= min_documents {
            let key = Keyness::of(term.stat.count, b, c, d);
            let (documents, stopword) = (term.stat.documents.into(), term.stat.stopword);
            rows.push(KeyRow { group: None, item: name, kind: "", key, documents, stopword });
        }
    }
    let in_reference = |t: &Term| t.stat.count > 0 && u64::from(t.stat.documents) >= min_documents;
    for (id, term) in (0..).zip(reference.terms()).filter(|(_, t)| in_reference(t)) {
        let name = reference.term_name(id);
        if counts.term(name).is_none_or(|s| s.count == 0) {
            let key = Keyness::of(0, term.stat.count, c, d);
            rows.push(KeyRow { group: None, item: name, kind: "", key, documents: 0, stopword: term.stat.stopword });
        }
    }
    for (key, stat) in counts.actors() {
        let (b, in_reference) = reference.actors().get(key).map_or((0, 0), |s| (s.mentions, s.documents));
        if stat.documents.max(in_reference) >= min_documents {
            rows.push(KeyRow {
                group: None,
                item: &key.name,
                kind: key.kind.as_str(),
                key: Keyness::of(stat.mentions, b, c, d),
                documents: stat.documents,
                stopword: false,
            });
        }
    }
    let reference_only =
        reference.actors().iter().filter(|(k, s)| s.documents >= min_documents && !counts.actors().contains_key(*k));
    for (key, stat) in reference_only {
        rows.push(KeyRow {
            group: None,
            item: &key.name,
            kind: key.kind.as_str(),
            key: Keyness::of(0, stat.mentions, c, d),
            documents: 0,
            stopword: false,
        });
    }
    keyness_frame(rows, columns, false)
}

/// Moves the [`PERIOD_KEYNESS_TOP`] strongest of `candidates` per period, of G² at least
/// [`PERIOD_KEYNESS_MIN_G2`], to `rows`.
fn keep_strongest<'a>(candidates: &mut Vec<KeyRow<'a>>, rows: &mut Vec<KeyRow<'a>>) {
    candidates.retain(|r| r.key.log_likelihood >= PERIOD_KEYNESS_MIN_G2);
    candidates.sort_unstable_by(|x, y| {
        x.group
            .cmp(&y.group)
            .then_with(|| y.key.log_likelihood.total_cmp(&x.key.log_likelihood))
            .then_with(|| (x.item, x.kind).cmp(&(y.item, y.kind)))
    });
    let mut per_period: FastMap<Option<Date>, usize> = FastMap::default();
    rows.extend(candidates.drain(..).filter(|r| {
        let n = per_period.entry(r.group).or_default();
        *n += 1;
        *n <= PERIOD_KEYNESS_TOP
    }));
}

/// The G² a period's item needs to be in `period_keyness`: p < 0.001 for one degree of freedom.
pub const PERIOD_KEYNESS_MIN_G2: f64 = 10.83;
/// How many terms and how many actors `period_keyness` lists per period, at most.
pub const PERIOD_KEYNESS_TOP: usize = 50;

/// `period_keyness`: what and who surged in each period: each period's terms (stopwords and numbers
/// aside) and actors against the rest of the corpus, as period, then the columns of [`keyness`]
/// with count and rest_count, per_million and rest_per_million (of the period's words and the rest's).
/// Only items more frequent in the period than in the rest, in at least `min_documents` documents of
/// the period (its `documents`), with G² of at least [`PERIOD_KEYNESS_MIN_G2`], the [`PERIOD_KEYNESS_TOP`] strongest terms and actors per period. One
/// period has no rest: the table is empty then.
pub fn period_keyness(counts: &Counts, options: &FrameOptions) -> PolarsResult<DataFrame> {
    let periods = period_totals(counts, options.period);
    let total: u64 = periods.by_period.values().map(|t| t.0).sum();
    let mut rows: Vec<KeyRow> = Vec::new();
    if periods.by_period.len() >= 2 {
        let mut candidates = Vec::new();
        for (id, term) in (0..).zip(counts.terms()).filter(|(_, t)| t.stat.count > 0 && !t.stat.stopword) {
            let name = counts.term_name(id);
            if is_number(name) {
                continue;
            }
            let term_periods = term.periods();
            let dated: u64 = term_periods.iter().map(|p| p.1.count).sum();
            for (period, s) in term_periods.iter().filter(|(_, s)| s.documents >= options.min_documents) {
                let c = periods.words(period);
                let key = Keyness::of(s.count, dated - s.count, c, total - c);
                let (group, documents) = (Some(*period), s.documents);
                candidates.push(KeyRow { group, item: name, kind: "", key, documents, stopword: false });
            }
        }
        keep_strongest(&mut candidates, &mut rows);
        // (mentions, documents) by period and actor.
        let mut by_period: FastMap<(Date, &ActorKey), (u64, u64)> = FastMap::default();
        let mut dated: FastMap<&ActorKey, u64> = FastMap::default();
        for ((date, key), s) in counts.timeline() {
            let t = by_period.entry((options.period.start(*date), key)).or_default();
            t.0 += s.mentions;
            t.1 += s.documents;
            *dated.entry(key).or_default() += s.mentions;
        }
        for ((period, key), (n, documents)) in by_period.into_iter().filter(|(_, t)| t.1 >= options.min_documents) {
            let c = periods.words(&period);
            candidates.push(KeyRow {
                group: Some(period),
                item: &key.name,
                kind: key.kind.as_str(),
                key: Keyness::of(n, dated[key] - n, c, total - c),
                documents,
                stopword: false,
            });
        }
        keep_strongest(&mut candidates, &mut rows);
    }
    keyness_frame(rows, ["count", "rest_count", "per_million", "rest_per_million"], true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::Kind;
    use crate::count::DocumentRow;

    proptest::proptest! {
        #[test]
        fn ngrams_sort_by_count_most_first_then_by_ranks(
            rows in proptest::collection::vec(([0u32..300, 0u32..300, 0u32..300], 1u64..50), 0..2000),
            huge in proptest::prelude::any::<bool>(),
        ) {
            // Ranks as numbers (the identity), 300 terms; counts past 2^32 now and then.
            let terms = RankedTerms { ranks: (0..300).collect(), text: String::new(), bounds: vec![0] };
            let scale = if huge { 1 << 33 } else { 1 };
            let table: Vec<([u32; 3], NgramStat)> =
                rows.iter().map(|&(key, n)| (key, NgramStat { count: n * scale, documents: n })).collect();
            let mut want: Vec<([u32; 3], NgramStat)> = table.clone();
            want.sort_by_key(|&(key, s)| (std::cmp::Reverse(s.count), key));
            let mut got = table;
            sort_by_count(&mut got, &terms);
            // Keys repeat in this table (a real one holds each once): equal keys agree only in count.
            proptest::prop_assert_eq!(got.iter().map(|r| (r.0, r.1.count)).collect::<Vec<_>>(),
                want.iter().map(|r| (r.0, r.1.count)).collect::<Vec<_>>());
        }
    }

    /// Adds a term with these figures.
    fn put_term(counts: &mut Counts, term: &str, count: u64, documents: u32) {
        let stat = crate::count::TermStat { count, documents, stopword: term == "the", ..Default::default() };
        counts.add_term(term, stat);
    }

    /// Counts of `n` documents and nothing else.
    fn counts_of_documents(n: usize) -> Counts {
        let mut counts = Counts::default();
        for index in 0..n {
            let doc = index.to_string();
            counts.add_row(DocumentRow {
                index,
                doc,
                date: None,
                bytes: 1,
                tokens: 1,
                terms: 1,
                mentions: 0,
                meta: Vec::new(),
                group: None,
            });
        }
        counts
    }

    /// Counts documents (id, date, text) with the default options and no actors.
    fn count_texts(docs: &[(&str, &str, &str)]) -> Counts {
        count_texts_by(docs, Period::Month)
    }

    /// Counts documents (id, date, text) with timelines by `period` and no actors.
    fn count_texts_by(docs: &[(&str, &str, &str)], period: Period) -> Counts {
        count_texts_into(Counts::default(), docs, period)
    }

    /// Counts documents (id, date, text) into `counts`, with timelines by `period` and no actors.
    fn count_texts_into(mut counts: Counts, docs: &[(&str, &str, &str)], period: Period) -> Counts {
        let options = crate::count::CountOptions { period, ..Default::default() };
        let (mut tokens, mut buf) = (Vec::new(), String::new());
        for (index, (id, date, text)) in docs.iter().enumerate() {
            let doc = crate::corpus::Document {
                id: id.to_string(),
                content: text.to_string(),
                body_start: 0,
                date: Date::parse(date).ok(),
                meta: Vec::new(),
            };
            tokens.clear();
            crate::tokenize::tokenize_into(&doc.content, 0, &mut tokens);
            let _ = counts.add_document(index, &doc, &tokens, &mut Vec::new(), &mut buf, &options);
        }
        counts.settle();
        counts
    }

    #[test]
    fn ngram_reports_are_the_same_when_the_tables_spill_to_disk() {
        // A million words drawn from 300, in 400 documents: n-grams that repeat and hundreds of
        // thousands of distinct ones, counted in several goes (a thread counts its n-grams a quarter
        // of a million at a time), so that 64 slots a shard spill runs in every shard.
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let texts: Vec<String> =
            (0..400).map(|_| (0..2500).map(|_| format!("w{}", next() % 300)).collect::<Vec<_>>().join(" ")).collect();
        let docs: Vec<(String, &str)> = texts.iter().enumerate().map(|(i, t)| (format!("d{i}"), t.as_str())).collect();
        let docs: Vec<(&str, &str, &str)> = docs.iter().map(|(id, t)| (id.as_str(), "2024-01-01", *t)).collect();
        let dir = tempfile::tempdir().unwrap();
        let spill = crate::count::NgramSpill {
            bigrams: dir.path().join("b.spill"),
            trigrams: dir.path().join("t.spill"),
            max_slots: 64,
        };
        let spilled = Counts::siblings(1, Some(spill)).pop().unwrap();
        let mut spilled = count_texts_into(spilled, &docs, Period::Month);
        let held = count_texts_by(&docs, Period::Month);
        assert!(dir.path().join("b.spill").exists() && dir.path().join("t.spill").exists(), "both tables spilled");
        let options = FrameOptions::default();
        let (want_grams, want_collocations) =
            (ngrams(&held, &options).unwrap(), collocations(&held, &options).unwrap());
        assert!(want_grams.height() > 100 && want_collocations.height() > 50, "rows to compare");
        for step in ["as counted", "put together on disk"] {
            let grams = ngrams(&spilled, &options).unwrap();
            assert!(grams.equals(&want_grams), "{step}: {grams} against {want_grams}");
            let collocations = collocations(&spilled, &options).unwrap();
            assert!(collocations.equals_missing(&want_collocations), "{step}: {collocations}");
            spilled.compact_ngrams();
        }
    }

    fn ints_of(df: &DataFrame, name: &str) -> Vec<i64> {
        df.column(name).unwrap().i64().unwrap().into_no_null_iter().collect()
    }

    fn floats_of(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
        df.column(name).unwrap().f64().unwrap().iter().collect()
    }

    fn texts_of(df: &DataFrame, name: &str) -> Vec<String> {
        df.column(name).unwrap().str().unwrap().iter().map(|t| t.unwrap().to_string()).collect()
    }

    #[test]
    fn dispersion_as_published_over_parts() {
        // Documents a, b and c fall in parts 96, 29 and 18: three parts of 3, 4 and 2 words (T = 9).
        let part = crate::count::dispersion_part;
        assert_eq!([part("a"), part("b"), part("c")], [96, 29, 18]);
        let counts = count_texts(&[("a", "", "x x y"), ("b", "", "x y y y"), ("c", "", "y z")]);
        let df = terms(&counts).unwrap();
        assert_eq!(texts_of(&df, "term"), ["y", "x", "z"]);
        // DP = ½ Σ |v_i/f − s_i|, s = (3/9, 4/9, 2/9).
        //   y: v = (1, 3, 1), f = 5: ½ (|1/5 − 3/9| + |3/5 − 4/9| + |1/5 − 2/9|) = ½ (0.1333 + 0.1556 + 0.0222) = 0.1556
        //   x: v = (2, 1, 0), f = 3: ½ (|2/3 − 3/9| + |1/3 − 4/9| + 2/9) = ½ (3/9 + 1/9 + 2/9) = 1/3
        //   z: v = (0, 0, 1), f = 1: ½ (3/9 + 4/9 + 7/9) = 7/9 = 0.7778
        assert_eq!(floats_of(&df, "dp"), [Some(0.1556), Some(0.3333), Some(0.7778)]);
        // D = 1 − V/√(n − 1), n = 3, V = sd/mean of x_i = v_i/size_i (population sd).
        //   y: x = (1/3, 3/4, 1/2): mean 0.527778, sd √(0.307870 − 0.278549) = 0.171234, V = 0.324444,
        //      D = 1 − 0.324444/1.414214 = 0.770584
        //   x: x = (2/3, 1/4, 0): mean 11/36 = 0.305556, sd √(0.168981 − 0.093364) = 0.274986,
        //      V = 0.899954, D = 1 − 0.636364 = 0.363636
        //   z: x = (0, 0, 1/2): mean 1/6, sd √(1/12 − 1/36) = 0.235702, V = √2, D = 1 − √2/√2 = 0
        assert_eq!(floats_of(&df, "juilland_d"), [Some(0.7706), Some(0.3636), Some(0.0)]);
        // A term in one part of three, once in 5 words: D = 1 − √2/√2 = 0, which floating point makes
        // −2.2e-16; it must not print as "-0".
        let df = terms(&count_texts(&[("a", "", "x w w w w"), ("b", "", "w"), ("c", "", "w")])).unwrap();
        assert_eq!(texts_of(&df, "term"), ["w", "x"]);
        let x = floats_of(&df, "juilland_d")[1].unwrap();
        assert!(x == 0.0 && x.is_sign_positive(), "{x}");
        // One document: one part, no D; DP 0 (the term is spread as the words are).
        let df = terms(&count_texts(&[("a", "", "x y")])).unwrap();
        assert_eq!((floats_of(&df, "juilland_d")[0], floats_of(&df, "dp")[0]), (None, Some(0.0)));
    }

    #[test]
    fn ngrams_stay_inside_sentences_and_timelines_go_by_period() {
        let text = "Red Hat said. Red hat sold red hat!\n\nHat sold";
        let docs = [("a", "2022-10-27", text), ("b", "2022-11-02", "red hat sold, red")];
        let counts = count_texts(&docs);
        let options = FrameOptions { min_count: 1, ..FrameOptions::default() };
        let grams = ngrams(&counts, &options).unwrap();
        let listed: Vec<String> = texts_of(&grams, "ngram");
        // Sentences: [red hat said] [red hat sold red hat] [hat sold] in a, [red hat sold red] in b (a
        // comma ends none). "said red" would cross a period, "hat hat" a "!" and a blank line.
        // Bigrams: red hat 1 + 2 + 1, hat sold 1 + 1 + 1, sold red 1 + 1, hat said 1.
        // Trigrams: hat sold red 1 + 1, red hat sold 1 + 1, red hat said 1, sold red hat 1.
        assert_eq!(
            listed,
            [
                "red hat",
                "hat sold",
                "sold red",
                "hat said",
                "hat sold red",
                "red hat sold",
                "red hat said",
                "sold red hat"
            ]
        );
        let count: Vec<i64> = grams.column("count").unwrap().i64().unwrap().into_no_null_iter().collect();
        let documents: Vec<i64> = grams.column("documents").unwrap().i64().unwrap().into_no_null_iter().collect();
        assert_eq!(count, [4, 3, 2, 1, 2, 2, 1, 1]);
        assert_eq!(documents, [2, 2, 2, 1, 2, 2, 1, 1]);
        assert_eq!(
            ngrams(&counts, &FrameOptions::default()).unwrap().height(),
            2,
            "red hat and hat sold: 3 times or more"
        );
        // Made a slice at a time, as a run writes it, across the bigrams' end: the same rows.
        let rows = NgramRows::of(&counts, &options);
        let mut sliced = rows.frame(0..0).unwrap();
        for range in [0..3, 3..6, 6..8] {
            sliced.vstack_mut(&rows.frame(range).unwrap()).unwrap();
        }
        assert!(sliced.equals(&grams), "{sliced} against {grams}");

        let timeline = term_timeline(&counts, &options).unwrap();
        let periods: Vec<String> = timeline
            .column("period")
            .unwrap()
            .as_materialized_series()
            .cast(&DataType::String)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|p| p.unwrap().to_string())
            .collect();
        assert_eq!(
            periods,
            ["2022-10-01", "2022-10-01", "2022-10-01", "2022-10-01", "2022-11-01", "2022-11-01", "2022-11-01"]
        );
        assert_eq!(texts_of(&timeline, "term"), ["hat", "red", "sold", "said", "red", "hat", "sold"]);
        // October: 10 words, hat 4 times: 400,000 per million; November: 4 words, red twice.
        assert_eq!(floats_of(&timeline, "per_million")[0], Some(400_000.0));
        assert_eq!(floats_of(&timeline, "per_million")[4], Some(500_000.0));
        let by_week = count_texts_by(&docs, Period::Week);
        let weekly =
            term_timeline(&by_week, &FrameOptions { period: Period::Week, timeline_terms: 1, ..options }).unwrap();
        // hat and red are both seen 5 times: the tie goes to the first by name.
        assert_eq!(texts_of(&weekly, "term"), ["hat", "hat"], "only the most frequent term");
    }

    #[test]
    fn keyness_against_a_reference_as_published() {
        let target = count_texts(&[("a", "2022-10-01", "x x y"), ("b", "2022-11-01", "y z")]);
        let reference = count_texts(&[("r", "", "y y w")]);
        let df = keyness(&target, &reference, 1).unwrap();
        // c = 5 words, d = 3. G² = 2 Σ O ln(O/E), E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d):
        //   x: a 2, b 0: E1 = 1.25: 2·2 ln(2/1.25) = 4 ln 1.6 = 1.880; log ratio log2(0.4/(0.5/3)) = log2 2.4 = 1.263
        //   z: a 1, b 0: E1 = 0.625: 2 ln 1.6 = 0.940; log2(0.2/(0.5/3)) = log2 1.2 = 0.263
        //   y: a 2, b 2: E = 2.5, 1.5: 2(2 ln 0.8 + 2 ln 4/3) = 0.258, rarer in the target: −0.258;
        //      log2(0.4/(2/3)) = log2 0.6 = −0.737
        //   w: a 0, b 1: E2 = 0.375: 2 ln(1/0.375) = 1.962, negative; log2((0.5/5)/(1/3)) = log2 0.3 = −1.737
        assert_eq!(texts_of(&df, "item"), ["x", "z", "y", "w"]);
        assert_eq!(floats_of(&df, "log_likelihood"), [Some(1.88), Some(0.94), Some(-0.258), Some(-1.962)]);
        assert_eq!(floats_of(&df, "log_ratio"), [Some(1.263), Some(0.263), Some(-0.737), Some(-1.737)]);
        // Rates per million words of each corpus: x 2 in 5 words.
        assert_eq!(floats_of(&df, "per_million")[0], Some(400_000.0));
        assert_eq!(floats_of(&df, "reference_per_million")[3], Some(333_333.333));
        // Documents of the corpus holding each: w only the reference's.
        assert_eq!(ints_of(&df, "documents"), [1, 1, 2, 0]);
        // At least two documents of the corpus or of the reference: y only.
        let df = keyness(&target, &reference, 2).unwrap();
        assert_eq!(texts_of(&df, "item"), ["y"]);
        // A stopword is kept and flagged.
        let target = count_texts(&[("a", "", "the the x"), ("b", "", "the x")]);
        let df = keyness(&target, &count_texts(&[("r", "", "x")]), 2).unwrap();
        assert_eq!(texts_of(&df, "item"), ["the", "x"]);
        let flags: Vec<Option<bool>> = df.column("is_stopword").unwrap().bool().unwrap().iter().collect();
        assert_eq!(flags, [Some(true), Some(false)]);
    }

    #[test]
    fn timelines_give_rates_per_million_words_and_shares_of_the_period_documents() {
        // October: 4 + 3 words in two documents; November: 7 words in one.
        let docs = [
            ("a", "2022-10-03", "Armenia talks. Armenia waits."),
            ("b", "2022-10-20", "Calm day here."),
            ("c", "2022-11-02", "Armenia again and more words here now"),
        ];
        let mut counts = count_texts(&docs);
        let armenia = ActorKey { name: "Armenia".into(), kind: Kind::Place };
        let on =
            |day: &str, mentions| (Date::parse(day).unwrap(), crate::count::TimelineStat { mentions, documents: 1 });
        for (date, stat) in [on("2022-10-03", 2), on("2022-11-02", 1)] {
            counts.add_timeline(date, armenia.clone(), stat);
        }
        let options = FrameOptions::default();
        let actors = actor_timeline(&counts, &options).unwrap();
        // 2 of 7 words, 1 of 7: per million; 1 of 2 documents, 1 of 1.
        assert_eq!(floats_of(&actors, "per_million"), [Some(285_714.286), Some(142_857.143)]);
        assert_eq!(floats_of(&actors, "documents_share"), [Some(0.5), Some(1.0)]);
        let terms = term_timeline(&counts, &options).unwrap();
        let armenia_rows: Vec<usize> =
            texts_of(&terms, "term").iter().enumerate().filter(|(_, t)| *t == "armenia").map(|(i, _)| i).collect();
        let share = floats_of(&terms, "documents_share");
        assert_eq!(armenia_rows.iter().map(|&i| share[i]).collect::<Vec<_>>(), [Some(0.5), Some(1.0)]);
    }

    #[test]
    fn period_keyness_finds_what_surged_against_the_rest() {
        let october = format!("{}{}", "surge ".repeat(30), "calm ".repeat(10));
        let counts = count_texts(&[("a", "2022-10-05", &october), ("b", "2022-11-05", &"calm ".repeat(40))]);
        let one_document = FrameOptions { min_documents: 1, ..FrameOptions::default() };
        let df = period_keyness(&counts, &one_document).unwrap();
        // October: 40 words, the rest 40. surge 30 against 0: E1 = 15, G² = 2·30 ln 2 = 41.589,
        // log ratio log2((30/40)/(0.5/40)) = log2 60 = 5.907. calm 10 against 40: rarer, left out.
        // November: calm 40 against 10: E = 25, 25: G² = 2(40 ln 1.6 + 10 ln 0.4) = 19.274, log2 4 = 2.
        assert_eq!(texts_of(&df, "item"), ["surge", "calm"]);
        assert_eq!(floats_of(&df, "log_likelihood"), [Some(41.589), Some(19.274)]);
        assert_eq!(floats_of(&df, "log_ratio"), [Some(5.907), Some(2.0)]);
        assert_eq!(floats_of(&df, "per_million"), [Some(750_000.0), Some(1_000_000.0)]);
        assert_eq!(floats_of(&df, "rest_per_million"), [Some(0.0), Some(250_000.0)]);
        assert_eq!(ints_of(&df, "documents"), [1, 1]);
        // By default an item needs two documents of its period: one article's word does not lead.
        assert_eq!(period_keyness(&counts, &FrameOptions::default()).unwrap().height(), 0);
        let docs = [
            ("a", "2022-10-05", &*october),
            ("a2", "2022-10-06", "surge calm"),
            ("b", "2022-11-05", &"calm ".repeat(40)),
        ];
        let df = period_keyness(&count_texts(&docs), &FrameOptions::default()).unwrap();
        assert_eq!((texts_of(&df, "item"), ints_of(&df, "documents")), (vec!["surge".to_string()], vec![2]));
        // One period: nothing to compare it with.
        let one = count_texts(&[("a", "2022-10-05", &october)]);
        assert_eq!(period_keyness(&one, &FrameOptions::default()).unwrap().height(), 0);
    }

    #[test]
    fn dropped_stopwords_are_not_counted_and_no_ngram_runs_across_them() {
        let options = crate::count::CountOptions { drop_stopwords: true, ..Default::default() };
        let mut counts = Counts::default();
        let text = "The Bank of England raised the rate";
        let doc = crate::corpus::Document {
            id: "a".into(),
            content: text.into(),
            body_start: 0,
            date: None,
            meta: Vec::new(),
        };
        let mut tokens = Vec::new();
        crate::tokenize::tokenize_into(text, 0, &mut tokens);
        let _ = counts.add_document(0, &doc, &tokens, &mut Vec::new(), &mut String::new(), &options);
        counts.settle();
        let df = terms(&counts).unwrap();
        let mut listed = texts_of(&df, "term");
        listed.sort();
        assert_eq!(listed, ["bank", "england", "raised", "rate"], "the and of left out");
        assert_eq!(counts.tokens(), 7, "the words of the text are still its words");
        let grams = ngrams(&counts, &FrameOptions { min_count: 1, ..FrameOptions::default() }).unwrap();
        // "bank of england" loses "of": "bank england" would join words the text does not join.
        assert_eq!(texts_of(&grams, "ngram"), ["england raised"]);
    }

    #[test]
    fn stems_sum_their_terms_and_count_documents_once() {
        let options = crate::count::CountOptions { stem: Some("english"), ..Default::default() };
        let mut counts = Counts::default();
        let (mut tokens, mut buf) = (Vec::new(), String::new());
        for (index, text) in ["Elections, elected, elections.", "An election. They say."].iter().enumerate() {
            let doc = crate::corpus::Document {
                id: index.to_string(),
                content: text.to_string(),
                body_start: 0,
                date: None,
                meta: Vec::new(),
            };
            tokens.clear();
            crate::tokenize::tokenize_into(text, 0, &mut tokens);
            let _ = counts.add_document(index, &doc, &tokens, &mut Vec::new(), &mut buf, &options);
        }
        let df = stems(&counts, "english").unwrap();
        // Snowball English: elections, elected, election -> "elect"; 4 occurrences in 2 documents.
        assert_eq!(texts_of(&df, "stem")[0], "elect");
        let ints = |name: &str| df.column(name).unwrap().i64().unwrap().into_no_null_iter().collect::<Vec<_>>();
        assert_eq!((ints("count")[0], ints("documents")[0], ints("terms")[0]), (4, 2, 3));
        assert_eq!(texts_of(&df, "forms")[0], "elections (2); elected (1); election (1)");
        let with_stems = FrameOptions { stem: Some("english"), ..FrameOptions::default() };
        let terms = terms_with(&counts, &with_stems).unwrap();
        assert_eq!(terms.get_column_names()[..2], ["term", "stem"]);
        assert_eq!(texts_of(&terms, "stem")[..2], ["elect", "an"]);
    }

    #[test]
    fn terms_carry_share_idf_and_flags() {
        let mut counts = counts_of_documents(4);
        for (term, documents) in [("the", 4u32), ("armenia", 1), ("3.5", 2)] {
            put_term(&mut counts, term, documents.into(), documents);
        }
        let df = terms(&counts).unwrap();
        let floats =
            |name: &str| df.column(name).unwrap().f64().unwrap().iter().map(Option::unwrap).collect::<Vec<f64>>();
        let bools =
            |name: &str| df.column(name).unwrap().bool().unwrap().iter().map(Option::unwrap).collect::<Vec<bool>>();
        // Rows: the (4 documents of 4), 3.5 (2), armenia (1). idf = ln(4/4) = 0, ln(4/2) = 0.693…, ln(4) = 1.386….
        assert_eq!(floats("documents_share"), [1.0, 0.5, 0.25]);
        assert_eq!(floats("idf"), [0.0, 0.693, 1.386]);
        assert_eq!(bools("is_stopword"), [true, false, false]);
        assert_eq!(bools("is_number"), [false, true, false]);
    }

    #[test]
    fn terms_sorted_by_count_then_term_with_rates() {
        let mut counts = Counts::default();
        let row = DocumentRow {
            index: 0,
            doc: "d".into(),
            date: None,
            bytes: 0,
            tokens: 3_000_000,
            terms: 0,
            mentions: 0,
            meta: Vec::new(),
            group: None,
        };
        counts.add_row(row);
        for (term, count) in [("b", 2u64), ("a", 2), ("c", 5)] {
            put_term(&mut counts, term, count, 1);
        }
        let df = terms(&counts).unwrap();
        let col = |name: &str| df.column(name).unwrap().as_materialized_series().clone();
        let order: Vec<_> = col("term").str().unwrap().iter().map(|t| t.unwrap().to_string()).collect();
        assert_eq!(order, ["c", "a", "b"]);
        // 5 in 3,000,000 words = 1.6666… per million, kept to three decimals.
        let rates: Vec<f64> = col("per_million").f64().unwrap().into_no_null_iter().collect();
        assert_eq!(rates, [1.667, 0.667, 0.667]);
    }

    #[test]
    fn actor_pairs_score_pmi_and_log_dice_as_published() {
        let mut counts = counts_of_documents(4);
        let key = |name: &str| ActorKey { name: name.into(), kind: Kind::Place };
        for (name, documents) in [("A", 2), ("B", 2), ("C", 1)] {
            counts.add_actor(key(name), ActorStat { documents, ..ActorStat::default() });
        }
        let mut pair = |a: &str, b: &str, documents, sentences| {
            counts.add_pair(&key(a), &key(b), PairStat { documents, sentences });
        };
        pair("A", "B", 1, 1);
        pair("B", "C", 1, 1);
        // Named together in one document only, never in one sentence: not reported.
        pair("A", "C", 1, 0);
        let df = actor_pairs(&counts).unwrap();
        let floats =
            |name: &str| df.column(name).unwrap().f64().unwrap().iter().map(Option::unwrap).collect::<Vec<f64>>();
        // N = 4. A-B: f_ab 1, f_a 2, f_b 2: PMI log2(4·1/(2·2)) = 0, log-Dice 14 + log2(2/4) = 13.
        // B-C: f_ab 1, f_b 2, f_c 1: PMI log2(4·1/(2·1)) = 1, log-Dice 14 + log2(2/3) = 13.41503… -> 13.415.
        assert_eq!(floats("pmi"), [0.0, 1.0]);
        assert_eq!(floats("log_dice"), [13.0, 13.415]);
        let firsts: Vec<_> = df.column("actor_a").unwrap().str().unwrap().iter().map(Option::unwrap).collect();
        assert_eq!(firsts, ["A", "B"], "ties broken by the actors' names");
    }
}
