//! Counts in, polars DataFrames out: one function per report table, rows in a fixed order so the same
//! corpus always gives the same tables.
//!
//! Counts are `Int64` (what Spark, DuckDB and pandas read without surprise), dates are `Date`, ratios
//! are `Float64`, everything else is `String`.

use polars::prelude::*;
use rayon::prelude::*;

use crate::actors::Origin;
use crate::corpus::Date;
use crate::count::{ActorKey, ActorStat, Counts, FastMap, MentionRow, PairStat};
use crate::tokenize::is_stopword;

/// Builds the reports made from whole-corpus counts: all but `mentions`, which is written a batch
/// at a time from [`mentions`].
/// The frames are built in parallel on the current rayon pool.
pub fn build_totals(counts: &Counts) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    type Builder = fn(&Counts) -> PolarsResult<DataFrame>;
    let builders: [(&'static str, Builder); 6] = [
        ("terms", terms),
        ("actors", actors),
        ("actor_pairs", actor_pairs),
        ("candidates", candidates),
        ("documents", documents),
        ("actor_timeline", actor_timeline),
    ];
    builders.par_iter().map(|&(name, build)| Ok((name, build(counts)?))).collect()
}

pub(crate) fn int(name: &str, values: Vec<i64>) -> Column {
    Column::new(name.into(), values)
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

/// `terms`: term, count, documents, per_million (count per million words), documents_share (documents
/// / N), idf (ln(N / documents)), first_date, last_date (of the dated documents it occurs in),
/// is_stopword, is_number; N the documents counted; ratios to three decimals (six for the share); by
/// count, then term.
pub fn terms(counts: &Counts) -> PolarsResult<DataFrame> {
    let mut rows: Vec<_> = counts.terms.iter().collect();
    rows.par_sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    // Three decimals keep one occurrence in a billion words visible without printing noise digits.
    let per_million =
        |n: u64| if counts.tokens == 0 { 0.0 } else { (n as f64 * 1e9 / counts.tokens as f64).round() / 1e3 };
    let n = counts.documents.len() as f64;
    let share = |df: u64| (df as f64 / n * 1e6).round() / 1e6;
    let idf = |df: u64| ((n / df as f64).ln() * 1e3).round() / 1e3;
    let is_number = |t: &str| {
        t.starts_with(|c: char| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || ".,'".contains(c))
    };
    frame(vec![
        text("term", rows.iter().map(|r| r.0.as_str()).collect()),
        int("count", rows.iter().map(|r| r.1.count as i64).collect()),
        int("documents", rows.iter().map(|r| r.1.documents as i64).collect()),
        Column::new("per_million".into(), rows.iter().map(|r| per_million(r.1.count)).collect::<Vec<f64>>()),
        Column::new("documents_share".into(), rows.iter().map(|r| share(r.1.documents)).collect::<Vec<f64>>()),
        Column::new("idf".into(), rows.iter().map(|r| idf(r.1.documents)).collect::<Vec<f64>>()),
        dates("first_date", rows.iter().map(|r| r.1.first_date)),
        dates("last_date", rows.iter().map(|r| r.1.last_date)),
        Column::new("is_stopword".into(), rows.iter().map(|r| is_stopword(r.0)).collect::<Vec<bool>>()),
        Column::new("is_number".into(), rows.iter().map(|r| is_number(r.0)).collect::<Vec<bool>>()),
    ])
}

/// Surface forms, most frequent first, as `form (count); …`.
fn alias_list(aliases: &FastMap<String, u64>) -> String {
    let mut v: Vec<_> = aliases.iter().collect();
    v.sort_unstable_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.iter().map(|(a, n)| format!("{a} ({n})")).collect::<Vec<_>>().join("; ")
}

/// The code most of an actor's mentions had (the first in byte order on a tie), or "".
fn main_code(codes: &FastMap<std::sync::Arc<str>, u64>) -> &str {
    codes.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map_or("", |(code, _)| code)
}

/// `actors`: actor, kind, code, source, mentions, documents, first_date, last_date, aliases;
/// by mentions, then actor and kind.
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
    let mut rows: Vec<_> = counts.actors.iter().filter(|r| keep(r.1)).collect();
    rows.sort_unstable_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then_with(|| a.0.cmp(b.0)));
    let stat = |f: fn(&ActorStat) -> i64| rows.iter().map(|r| f(r.1)).collect::<Vec<_>>();
    frame(vec![
        text("actor", rows.iter().map(|r| &*r.0.name).collect()),
        text("kind", rows.iter().map(|r| r.0.kind.as_str()).collect()),
        text("code", rows.iter().map(|r| main_code(&r.1.codes)).collect()),
        text("source", rows.iter().map(|r| r.1.origin.map_or("", |o| o.as_str())).collect()),
        int("mentions", stat(|s| s.mentions as i64)),
        int("documents", stat(|s| s.documents as i64)),
        dates("first_date", rows.iter().map(|r| r.1.first_date)),
        dates("last_date", rows.iter().map(|r| r.1.last_date)),
        text("aliases", rows.iter().map(|r| alias_list(&r.1.aliases)).collect()),
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
        .pairs
        .iter()
        .flat_map(|(a, with_a)| with_a.iter().map(move |(b, p)| ((a, b), p)))
        .filter(|(_, p)| p.sentences >= 1 || p.documents >= PAIR_MIN_DOCUMENTS)
        .collect();
    rows.par_sort_unstable_by(|a, b| {
        b.1.documents.cmp(&a.1.documents).then_with(|| b.1.sentences.cmp(&a.1.sentences)).then_with(|| a.0.cmp(&b.0))
    });
    let n = counts.documents.len() as f64;
    let docs = |key| counts.actors.get(key).map_or(0, |s: &ActorStat| s.documents) as f64;
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

/// `mentions`: doc, start, end, text, actor, kind, form, code (on the document's date), sentence; in
/// reading order.
pub fn mentions(rows: &[MentionRow]) -> PolarsResult<DataFrame> {
    let mut rows: Vec<_> = rows.iter().collect();
    rows.sort_unstable_by_key(|r| (r.index, r.mention.start));
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

/// `documents`: doc, date, bytes, tokens, terms (distinct), mentions; in reading order.
pub fn documents(counts: &Counts) -> PolarsResult<DataFrame> {
    let mut rows: Vec<_> = counts.documents.iter().collect();
    rows.sort_unstable_by_key(|r| r.index);
    frame(vec![
        text("doc", rows.iter().map(|r| r.doc.as_str()).collect()),
        dates("date", rows.iter().map(|r| r.date)),
        int("bytes", rows.iter().map(|r| r.bytes as i64).collect()),
        int("tokens", rows.iter().map(|r| r.tokens as i64).collect()),
        int("terms", rows.iter().map(|r| r.terms as i64).collect()),
        int("mentions", rows.iter().map(|r| r.mentions as i64).collect()),
    ])
}

/// `actor_timeline`: date, actor, kind, mentions, documents; by date, then mentions, actor and kind.
pub fn actor_timeline(counts: &Counts) -> PolarsResult<DataFrame> {
    let mut rows: Vec<_> = counts.timeline.iter().collect();
    rows.sort_unstable_by(|a, b| {
        (a.0).0.cmp(&(b.0).0).then_with(|| b.1.mentions.cmp(&a.1.mentions)).then_with(|| (a.0).1.cmp(&(b.0).1))
    });
    frame(vec![
        dates("date", rows.iter().map(|r| Some((r.0).0))),
        text("actor", rows.iter().map(|r| &*(r.0).1.name).collect()),
        text("kind", rows.iter().map(|r| (r.0).1.kind.as_str()).collect()),
        int("mentions", rows.iter().map(|r| r.1.mentions as i64).collect()),
        int("documents", rows.iter().map(|r| r.1.documents as i64).collect()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::Kind;
    use crate::count::{DocumentRow, TermStat};

    /// Counts of `n` documents and nothing else.
    fn counts_of_documents(n: usize) -> Counts {
        let mut counts = Counts::default();
        for index in 0..n {
            let doc = index.to_string();
            counts.documents.push(DocumentRow { index, doc, date: None, bytes: 1, tokens: 1, terms: 1, mentions: 0 });
        }
        counts
    }

    #[test]
    fn terms_carry_share_idf_and_flags() {
        let mut counts = counts_of_documents(4);
        for (term, documents) in [("the", 4u64), ("armenia", 1), ("3.5", 2)] {
            counts.terms.insert(term.into(), TermStat { count: documents, documents, ..TermStat::default() });
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
        let mut counts = Counts { tokens: 3_000_000, ..Counts::default() };
        for (term, count) in [("b", 2u64), ("a", 2), ("c", 5)] {
            counts.terms.insert(term.into(), TermStat { count, documents: 1, ..TermStat::default() });
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
            counts.actors.insert(key(name), ActorStat { documents, ..ActorStat::default() });
        }
        let mut pair = |a: &str, b: &str, documents, sentences| {
            counts.pairs.entry(key(a)).or_default().insert(key(b), PairStat { documents, sentences });
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
